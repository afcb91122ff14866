import type { INodeProperties } from 'n8n-workflow';

/** "Return All" + "Limit" for a get-many operation, shown for the given resource/operation. */
export function returnAllOrLimit(resource: string, operation: string, maxValue?: number): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: { show: { resource: [resource], operation: [operation] } },
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { resource: [resource], operation: [operation], returnAll: [false] } },
			typeOptions: { minValue: 1, ...(maxValue ? { maxValue } : {}) },
			default: 50,
			description: 'Max number of results to return',
		},
	];
}
