import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runOperation } from '../../shared/execute';
import { asset } from './asset';
import type { ResourceDefinition } from '../../shared/resource';
import { machine } from './machine';
import { managedInstall } from './managedInstall';
import { operatingSystem } from './operatingSystem';
import { script } from './script';
import { software } from './software';
import { ticket } from './ticket';

export const resources: Record<string, ResourceDefinition> = {
	asset,
	machine,
	managedInstall,
	operatingSystem,
	script,
	software,
	ticket,
};

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Asset', value: 'asset' },
		{ name: 'Machine', value: 'machine' },
		{ name: 'Managed Install', value: 'managedInstall' },
		{ name: 'Operating System', value: 'operatingSystem' },
		{ name: 'Script', value: 'script' },
		{ name: 'Service Desk Ticket', value: 'ticket' },
		{ name: 'Software', value: 'software' },
	],
	default: 'machine',
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = resources[resource]?.operations[operation];
	if (!op) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`);
	}
	return await runOperation.call(this, op);
}
