import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, router } from './actions/router';
import {
	searchAgents,
	searchAlarms,
	searchMachineGroups,
	searchOrganizations,
	searchProcedures,
	searchServiceDesks,
	searchStaff,
	searchTickets,
	searchUsers,
} from './methods/listSearch';
import {
	getAgentCustomFields,
	getStaff,
	getTicketCategories,
	getTicketCustomFields,
	getTicketPriorities,
	getTicketStatuses,
} from './methods/loadOptions';

export class KaseyaVsa implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaseya VSA',
		name: 'kaseyaVsa',
		icon: { light: 'file:vsa.svg', dark: 'file:vsa.dark.svg' },
		group: ['transform'],
		// 1.1: Simplify on by default for every Get and Get Many
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Manage agents, procedures, patches, custom fields, alarms and Service Desk tickets in Kaseya VSA 9',
		defaults: { name: 'Kaseya VSA' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kaseyaVsaApi', required: true }],
		properties: nodeProperties,
	};

	methods = {
		listSearch: {
			searchAgents,
			searchAlarms,
			searchMachineGroups,
			searchOrganizations,
			searchProcedures,
			searchServiceDesks,
			searchStaff,
			searchTickets,
			searchUsers,
		},
		loadOptions: {
			getAgentCustomFields,
			getStaff,
			getTicketCategories,
			getTicketCustomFields,
			getTicketPriorities,
			getTicketStatuses,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
