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
		displayOptions: { show: { resource: ['localGroup'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a local group', description: 'Create a local user group and commit' },
			{ name: 'Delete', value: 'delete', action: 'Delete a local group', description: 'Delete a local user group and commit' },
			{ name: 'Get', value: 'get', action: 'Get a local group', description: 'Get one local user group with its members' },
			{ name: 'Get Many', value: 'getMany', action: 'Get many local groups', description: 'List the local user groups with their members' },
			{ name: 'Update', value: 'update', action: 'Update a local group', description: 'Add, remove or replace the members of a local group and commit' },
		],
		default: 'getMany',
	},
	...create.description,
	...del.description,
	...get.description,
	...getMany.description,
	...update.description,
];
