import type { INodeProperties } from 'n8n-workflow';

import * as terminate from './terminate.operation';

export const operations = { terminate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['activeSession'] } },
		options: [
			{
				name: 'Terminate',
				value: 'terminate',
				action: 'Terminate an active session',
				description: 'Close a running session that SPS is recording',
			},
		],
		default: 'terminate',
	},
	...terminate.description,
];
