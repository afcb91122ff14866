import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as update from './update.operation';

export const operations = { create, delete: del, get, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['configuration'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a configuration entry',
				description: 'Add an entry to a configuration list (e.g. a connection policy), with auto-commit and rollback on failure',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a configuration entry',
				description: 'Delete one entry of a configuration list, with auto-commit and rollback on failure',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a configuration path',
				description: 'Read any REST path: an object, a list or a folder',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a configuration object',
				description: 'Change fields of one configuration object, with auto-commit and rollback on failure',
			},
		],
		default: 'get',
	},
	...create.description,
	...del.description,
	...get.description,
	...update.description,
];
