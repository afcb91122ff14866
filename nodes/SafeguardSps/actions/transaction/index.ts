import type { INodeProperties } from 'n8n-workflow';

import * as commit from './commit.operation';
import * as getChanges from './getChanges.operation';
import * as getStatus from './getStatus.operation';
import * as rollback from './rollback.operation';

export const operations = { commit, getChanges, getStatus, rollback };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['transaction'] } },
		options: [
			{
				name: 'Commit',
				value: 'commit',
				action: 'Commit the transaction',
				description: 'Apply the pending configuration changes of this login session',
			},
			{
				name: 'Get Changes',
				value: 'getChanges',
				action: 'Get the pending changes',
				description: 'List the uncommitted changes of this login session',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get the transaction status',
				description: 'Whether this login session has an open transaction',
			},
			{
				name: 'Roll Back',
				value: 'rollback',
				action: 'Roll back the transaction',
				description: 'Discard the pending changes of this login session and release the lock',
			},
		],
		default: 'getStatus',
	},
	...commit.description,
	...getChanges.description,
	...getStatus.description,
	...rollback.description,
];
