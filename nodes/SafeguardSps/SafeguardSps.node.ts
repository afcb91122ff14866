import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as activeSession from './actions/activeSession';
import * as apiKey from './actions/apiKey';
import * as auditSession from './actions/auditSession';
import * as configuration from './actions/configuration';
import { router } from './actions/router';
import * as system from './actions/system';
import * as transaction from './actions/transaction';
import { searchApiKeys } from './methods/listSearch';

export class SafeguardSps implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Safeguard for Privileged Sessions',
		name: 'safeguardSps',
		icon: { light: 'file:sps.svg', dark: 'file:sps.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Search recorded sessions, terminate sessions and manage One Identity Safeguard for Privileged Sessions (SPS)',
		defaults: { name: 'Safeguard for Privileged Sessions' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'safeguardSpsApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Active Session', value: 'activeSession' },
					{ name: 'API Key', value: 'apiKey' },
					{ name: 'Audit Session', value: 'auditSession' },
					{ name: 'Configuration', value: 'configuration' },
					{ name: 'System', value: 'system' },
					{ name: 'Transaction', value: 'transaction' },
				],
				default: 'auditSession',
			},
			...activeSession.description,
			...apiKey.description,
			...auditSession.description,
			...configuration.description,
			...system.description,
			...transaction.description,
		],
	};

	methods = {
		listSearch: { searchApiKeys },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
