import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const operations = { create, delete: del, get, getMany, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['localUser'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a local user', description: 'Create a user of SPS’s local user database and commit' },
			{ name: 'Delete', value: 'delete', action: 'Delete a local user', description: 'Delete a local user (and its group memberships) and commit' },
			{ name: 'Get', value: 'get', action: 'Get a local user', description: 'Get one local user' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many local users', description: 'List the users of SPS’s local user database' },
			{ name: 'Update', value: 'update', action: 'Update a local user', description: 'Change a local user’s password or name and commit' },
		],
		default: 'getMany',
	},
	...create.description,
	...del.description,
	...get.description,
	...getMany.description,
	...update.description,
];
