import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAlerts from './getAlerts.operation';
import * as getEvents from './getEvents.operation';
import * as getTrailDownloads from './getTrailDownloads.operation';
import * as search from './search.operation';
import * as searchContent from './searchContent.operation';

export const operations = { get, getAlerts, getEvents, getTrailDownloads, search, searchContent };

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
				description: 'Get one recorded session',
			},
			{
				name: 'Get Alerts',
				value: 'getAlerts',
				action: 'Get alerts of an audit session',
				description: 'List the content-policy alerts raised in one session',
			},
			{
				name: 'Get Events',
				value: 'getEvents',
				action: 'Get events of an audit session',
				description: 'List the indexed events (commands, window titles) of one session',
			},
			{
				name: 'Get Trail Downloads',
				value: 'getTrailDownloads',
				action: 'Get trail downloads of an audit session',
				description: 'List who downloaded the recording (audit trail) of one session, from where and when',
			},
			{
				name: 'Search',
				value: 'search',
				action: 'Search audit sessions',
				description: 'Search recorded (active and closed) sessions',
			},
			{
				name: 'Search Content',
				value: 'searchContent',
				action: 'Search content of an audit session',
				description: 'Find commands or screen text inside one indexed session',
			},
		],
		default: 'search',
	},
	...get.description,
	...getAlerts.description,
	...getEvents.description,
	...getTrailDownloads.description,
	...search.description,
	...searchContent.description,
];
