import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as terminate from './terminate.operation';

export const operations = { get, getMany, terminate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['activeSession'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get an active session',
				description: 'Get one running session: who, from where, to which server, since when',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many active sessions',
				description: 'List who is connected where, now',
			},
			{
				name: 'Terminate',
				value: 'terminate',
				action: 'Terminate an active session',
				description: 'Close a running session that SPS is recording',
			},
		],
		// the default of version 1 (saved workflows do not store a default value)
		default: 'terminate',
	},
	...get.description,
	...getMany.description,
	...terminate.description,
];
