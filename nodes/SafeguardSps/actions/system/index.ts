import type { INodeProperties } from 'n8n-workflow';

import * as getCurrentUser from './getCurrentUser.operation';
import * as getHealth from './getHealth.operation';
import * as getInfo from './getInfo.operation';
import * as getLoginMethods from './getLoginMethods.operation';

export const operations = { getCurrentUser, getHealth, getInfo, getLoginMethods };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['system'] } },
		options: [
			{
				name: 'Get Current User',
				value: 'getCurrentUser',
				action: 'Get the current user',
				description: 'Who the credential logs in as, its login method and permitted endpoints',
			},
			{
				name: 'Get Health',
				value: 'getHealth',
				action: 'Get the health status',
				description: 'CPU, memory, disk, load, session counts and more',
			},
			{
				name: 'Get Info',
				value: 'getInfo',
				action: 'Get the appliance info',
				description: 'Host name, version and firmware slots',
			},
			{
				name: 'Get Login Methods',
				value: 'getLoginMethods',
				action: 'Get the login methods',
				description: 'The login methods the appliance offers (names for the credential’s Login Method field)',
			},
		],
		default: 'getHealth',
	},
	...getCurrentUser.description,
	...getHealth.description,
	...getInfo.description,
	...getLoginMethods.description,
];
