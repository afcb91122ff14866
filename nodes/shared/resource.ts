import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { OperationModule } from './execute';

export interface ResourceDefinition {
	operations: Record<string, OperationModule>;
	description: INodeProperties[];
}

/** Assembles a resource: its Operation selector (options sorted by name) followed by each operation's fields. */
export function defineResource(
	resource: string,
	choices: Array<INodePropertyOptions & { action: string }>,
	operations: Record<string, OperationModule>,
	defaultOperation: string,
): ResourceDefinition {
	const selector: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: [...choices].sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultOperation,
	};
	return {
		operations,
		description: [selector, ...Object.values(operations).flatMap((op) => op.description)],
	};
}
