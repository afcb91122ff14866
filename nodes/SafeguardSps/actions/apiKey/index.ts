import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as getMany from './getMany.operation';
import * as getManyAdmin from './getManyAdmin.operation';

export const operations = { create, delete: del, getMany, getManyAdmin };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['apiKey'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an API key',
				description: 'Create an API key for the credential user and commit; the token is returned once',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an API key',
				description: 'Delete one of the credential user’s API keys and commit',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many API keys',
				description: 'List the credential user’s API keys (without tokens)',
			},
			{
				name: 'Get Many (All Users)',
				value: 'getManyAdmin',
				action: 'Get many API keys of all users',
				description: 'Administrators: list every user’s API keys, where the appliance offers it',
			},
		],
		default: 'getMany',
	},
	...create.description,
	...del.description,
	...getMany.description,
	...getManyAdmin.description,
];
