import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAlerts from './getAlerts.operation';
import * as getEvents from './getEvents.operation';
import * as search from './search.operation';

export const operations = { get, getAlerts, getEvents, search };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['auditSession'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get an audit session',
				description: 'Get the full record of one recorded session',
			},
			{
				name: 'Get Alerts',
				value: 'getAlerts',
				action: 'Get the alerts of a session',
				description: 'List the content-policy alerts raised in one session',
			},
			{
				name: 'Get Events',
				value: 'getEvents',
				action: 'Get the events of a session',
				description: 'List the indexed events (commands, window titles) of one session',
			},
			{
				name: 'Search',
				value: 'search',
				action: 'Search audit sessions',
				description: 'Search recorded (active and closed) sessions',
			},
		],
		default: 'search',
	},
	...get.description,
	...getAlerts.description,
	...getEvents.description,
	...search.description,
];
