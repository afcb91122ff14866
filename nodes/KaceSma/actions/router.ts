import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runOperation } from '../../shared/execute';
import type { ResourceDefinition } from '../../shared/resource';
import { asset } from './asset';
import { machine } from './machine';
import { managedInstall } from './managedInstall';
import { operatingSystem } from './operatingSystem';
import { inventoryProcess } from './process';
import { script } from './script';
import { service } from './service';
import { software } from './software';
import { startupProgram } from './startupProgram';
import { ticket } from './ticket';
import { user } from './user';

export const resources: Record<string, ResourceDefinition> = {
	asset,
	machine,
	managedInstall,
	operatingSystem,
	process: inventoryProcess,
	script,
	service,
	software,
	startupProgram,
	ticket,
	user,
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
		{ name: 'Process', value: 'process' },
		{ name: 'Script', value: 'script' },
		{ name: 'Service', value: 'service' },
		{ name: 'Service Desk Ticket', value: 'ticket' },
		{ name: 'Software', value: 'software' },
		{ name: 'Startup Program', value: 'startupProgram' },
		{ name: 'User', value: 'user' },
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
