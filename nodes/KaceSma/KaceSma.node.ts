import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resourceProperty, resources, router } from './actions/router';
import { listSearch } from './methods/listSearch';
import {
	getAssetFields,
	getAssetTypes,
	getCategories,
	getImpacts,
	getPriorities,
	getQueues,
	getQueuesOrAll,
	getStatuses,
	getUsers,
} from './methods/loadOptions';
import { getQueueTicketFields } from './methods/resourceMapping';

export class KaceSma implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Quest KACE SMA',
		name: 'kaceSma',
		icon: { light: 'file:kace.svg', dark: 'file:kace.dark.svg' },
		group: ['transform'],
		// 1.1: Simplify on by default, user pickers, Create with the fields of the chosen queue
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Read the inventory, manage assets, target managed installs, run scripts and manage service desk tickets on a Quest KACE SMA',
		defaults: { name: 'Quest KACE SMA' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kaceSmaApi', required: true }],
		properties: [resourceProperty, ...Object.values(resources).flatMap((r) => r.description)],
	};

	methods = {
		listSearch,
		loadOptions: { getAssetFields, getAssetTypes, getCategories, getImpacts, getPriorities, getQueues, getQueuesOrAll, getStatuses, getUsers },
		resourceMapping: { getQueueTicketFields },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
