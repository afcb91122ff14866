import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** displayOptions for one resource/operation pair. */
export function showFor(resource: string, operation: string | string[]): IDisplayOptions {
	return { show: { resource: [resource], operation: Array.isArray(operation) ? operation : [operation] } };
}

/** "Include Body" for lists whose entries carry only key + href. */
export function includeBodyProperty(resource: string, operation: string, description: string): INodeProperties {
	return {
		displayName: 'Include Body',
		name: 'includeBody',
		type: 'boolean',
		default: false,
		description,
		displayOptions: showFor(resource, operation),
	};
}

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 32 },
	default: 8,
	description:
		'How many requests to SPS may run at the same time: list pages once SPS reported how many match, and the bodies of Full Record (one request per session)',
};

/** Reads a JSON parameter (object expected); accepts an object or a JSON string. */
export function jsonObjectParameter(this: IExecuteFunctions, name: string, itemIndex: number, label: string): IDataObject {
	const raw = this.getNodeParameter(name, itemIndex, {}) as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		const text = raw.trim();
		if (!text) return {};
		try {
			value = JSON.parse(text);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `${label} is not valid JSON: ${(error as Error).message}`, { itemIndex });
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(this.getNode(), `${label} must be a JSON object, e.g. {"admin_address": "ops@example.com"}`, { itemIndex });
	}
	return value as IDataObject;
}

/** Wanted number of results for Return All / Limit. */
export function wanted(this: IExecuteFunctions, itemIndex: number): number {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
}
