import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toNodeError } from '../../../shared/errors';
import type { ItemResult } from '../../../shared/execute';

/** Output of a batch action: one item per input item (default), or one summary item for the whole batch. */
export function outputProperty(resource: string, operation: string): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		displayOptions: { show: { resource: [resource], operation: [operation] } },
		options: [
			{ name: 'One Item per Input Item', value: 'perItem', description: 'What was sent for each input item, with the appliance\'s answer' },
			{ name: 'One Summary Item', value: 'summary', description: 'Counts, IDs and the appliance\'s answers of the whole batch in one item' },
		],
		default: 'perItem',
	};
}

/** The distinct values of all lists, in first-seen order. */
export function union<T>(lists: T[][]): T[] {
	return [...new Set(lists.flat())];
}

/**
 * The results of a batch as they go out: unchanged, or (Output: One Summary Item) one item with what `summarize`
 * makes of the successful results, the counts, and — with Continue On Fail — the failed items and their errors.
 * Without Continue On Fail a failure stops the run as it does item by item. The summary is paired with the first
 * input item.
 */
export function asSummaryIfSet(
	this: IExecuteFunctions,
	itemIndexes: number[],
	results: ItemResult[],
	summarize: (ok: ItemResult[]) => IDataObject,
): ItemResult[] {
	if (!itemIndexes.length || this.getNodeParameter('output', itemIndexes[0], 'perItem') !== 'summary') return results;
	const failed = results.filter((r) => r.error !== undefined).sort((a, b) => a.itemIndex - b.itemIndex);
	if (failed.length && !this.continueOnFail()) return failed;
	const ok = results.filter((r) => r.error === undefined).sort((a, b) => a.itemIndex - b.itemIndex);
	const json: IDataObject = {
		...summarize(ok),
		items: itemIndexes.length,
		succeeded: ok.length,
		failed: failed.length,
	};
	if (failed.length) {
		json.errors = failed.map((f) => ({ item: f.itemIndex, error: toNodeError(this.getNode(), f.error, f.itemIndex).message }));
	}
	return [{ itemIndex: itemIndexes[0], json }];
}
