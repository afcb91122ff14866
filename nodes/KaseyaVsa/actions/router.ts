import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runOperation } from '../../shared/execute';
import { agent } from './agent';
import { agentProcedure } from './agentProcedure';
import { alarm } from './alarm';
import type { ResourceDefinition } from './common';
import { customField } from './customField';
import { machineGroup } from './machineGroup';
import { organization } from './organization';
import { patch } from './patch';
import { serviceDesk } from './serviceDesk';
import { ticket } from './ticket';
import { user } from './user';

export const RESOURCES: Record<string, ResourceDefinition> = {
	agent,
	customField,
	agentProcedure,
	alarm,
	machineGroup,
	organization,
	patch,
	serviceDesk,
	ticket,
	user,
};

export const resourceSelector: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Agent', value: 'agent' },
		{ name: 'Agent Custom Field', value: 'customField' },
		{ name: 'Agent Procedure', value: 'agentProcedure' },
		{ name: 'Alarm', value: 'alarm' },
		{ name: 'Machine Group', value: 'machineGroup' },
		{ name: 'Organization', value: 'organization' },
		{ name: 'Patch', value: 'patch' },
		{ name: 'Service Desk', value: 'serviceDesk' },
		{ name: 'Service Desk Ticket', value: 'ticket' },
		{ name: 'User', value: 'user' },
	],
	default: 'agent',
};

export const nodeProperties: INodeProperties[] = [
	resourceSelector,
	...Object.values(RESOURCES).flatMap((r) => r.description),
];

/** Runs the selected operation over all input items (resource and operation are the same for every item). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = RESOURCES[resource]?.operations[operation];
	if (!op) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`);
	}
	return await runOperation.call(this, op);
}
