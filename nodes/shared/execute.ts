import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isAuthFailureError, toNodeError } from './errors';

/** The result of a batch operation for one input item: its output rows, or the error that belongs to it. */
export interface ItemResult {
	itemIndex: number;
	json?: IDataObject | IDataObject[];
	error?: unknown;
}

/**
 * One operation file (`actions/<resource>/<op>.operation.ts`). Either `execute` (called once per input item) or
 * `executeBatch` (called once with all input items, so it can fold many items into one appliance request).
 */
export interface OperationModule {
	description: INodeProperties[];
	execute?: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;
	executeBatch?: (this: IExecuteFunctions, itemIndexes: number[]) => Promise<ItemResult[]>;
}

function errorItem(this: IExecuteFunctions, error: unknown, itemIndex: number): INodeExecutionData {
	const e = toNodeError(this.getNode(), error, itemIndex);
	const json: IDataObject = { error: e.message };
	if (e.description) json.description = e.description;
	if ('httpCode' in e && e.httpCode) json.httpCode = e.httpCode;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Runs one operation over the input items with n8n's conventions: pairedItem on every output, "Continue On Fail"
 * turns an item's error into an error item and goes on. After a login failure no further request is made in
 * this execution (each would be another failed login on an appliance that locks accounts).
 */
export async function runOperation(this: IExecuteFunctions, op: OperationModule): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];
	const node = this.getNode();

	if (op.executeBatch) {
		let results: ItemResult[];
		try {
			results = await op.executeBatch.call(this, items.map((_, i) => i));
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(node, error, 0);
			results = items.map((_, i) => ({ itemIndex: i, error }));
		}
		results.sort((a, b) => a.itemIndex - b.itemIndex);
		for (const r of results) {
			if (r.error !== undefined) {
				if (!this.continueOnFail()) throw toNodeError(node, r.error, r.itemIndex);
				out.push(errorItem.call(this, r.error, r.itemIndex));
				continue;
			}
			out.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(r.json ?? {}), {
					itemData: { item: r.itemIndex },
				}),
			);
		}
		return [out];
	}

	let authFailure: unknown;
	for (let i = 0; i < items.length; i++) {
		try {
			if (authFailure) throw authFailure;
			const data = await op.execute!.call(this, i);
			out.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(data), { itemData: { item: i } }),
			);
		} catch (error) {
			const nodeError = toNodeError(node, error, i);
			if (isAuthFailureError(nodeError)) authFailure = nodeError;
			if (!this.continueOnFail()) throw nodeError;
			out.push(errorItem.call(this, nodeError, i));
		}
	}
	return [out];
}

/**
 * Runs `fn` over `inputs` with at most `limit` in flight; keeps order; never rejects (errors are returned).
 * With `stopOnError`, no further input is started once one failed (the later results stay empty).
 */
export async function mapLimit<I, O>(
	inputs: I[],
	limit: number,
	fn: (input: I, index: number) => Promise<O>,
	options: { stopOnError?: boolean } = {},
): Promise<Array<{ value?: O; error?: unknown }>> {
	const results: Array<{ value?: O; error?: unknown }> = new Array(inputs.length);
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (next < inputs.length && !(options.stopOnError && failed)) {
			const index = next++;
			try {
				results[index] = { value: await fn(inputs[index], index) };
			} catch (error) {
				results[index] = { error };
				failed = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, worker));
	return results;
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(list: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

/**
 * Reads pages with at most `limit` requests in flight and returns them in input order. Once one read fails no
 * further read is started (the appliance is not hammered after an error), and the error of the earliest failed
 * page is thrown. For reads only: pages are idempotent, so running them concurrently is safe.
 */
export async function readPagesInOrder<I, O>(
	inputs: I[],
	limit: number,
	read: (input: I, index: number) => Promise<O>,
): Promise<O[]> {
	const results = await mapLimit(inputs, limit, read, { stopOnError: true });
	// inputs are started in order, so every page before the first failure has been read
	const failure = results.find((r) => r !== undefined && 'error' in r);
	if (failure) throw failure.error;
	return results.map((r) => r.value as O);
}
