import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as update from './update.operation';

export const operations = { get, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['configuration'] } },
		options: [
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
	...get.description,
	...update.description,
];
