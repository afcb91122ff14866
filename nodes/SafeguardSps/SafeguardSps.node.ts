import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as activeSession from './actions/activeSession';
import * as apiKey from './actions/apiKey';
import * as auditSession from './actions/auditSession';
import * as configuration from './actions/configuration';
import * as localGroup from './actions/localGroup';
import * as localUser from './actions/localUser';
import { router } from './actions/router';
import * as system from './actions/system';
import * as transaction from './actions/transaction';
import {
	searchActiveSessions,
	searchApiKeys,
	searchAuditSessions,
	searchListEntries,
	searchLocalGroups,
	searchLocalUsers,
} from './methods/listSearch';
import { getLocalGroups } from './methods/loadOptions';

export class SafeguardSps implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Safeguard for Privileged Sessions',
		name: 'safeguardSps',
		icon: { light: 'file:sps.svg', dark: 'file:sps.dark.svg' },
		group: ['transform'],
		// 1.1: Simplify on Get / Get Many (on by default), Audit Session → Search returns Selected Fields by default
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Search recorded sessions, see and terminate active sessions, and manage the configuration and local users of One Identity Safeguard for Privileged Sessions (SPS)',
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
					{ name: 'Local Group', value: 'localGroup' },
					{ name: 'Local User', value: 'localUser' },
					{ name: 'System', value: 'system' },
					{ name: 'Transaction', value: 'transaction' },
				],
				default: 'auditSession',
			},
			...activeSession.description,
			...apiKey.description,
			...auditSession.description,
			...configuration.description,
			...localGroup.description,
			...localUser.description,
			...system.description,
			...transaction.description,
		],
	};

	methods = {
		listSearch: { searchActiveSessions, searchApiKeys, searchAuditSessions, searchListEntries, searchLocalGroups, searchLocalUsers },
		loadOptions: { getLocalGroups },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
