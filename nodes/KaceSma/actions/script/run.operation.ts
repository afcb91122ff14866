import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { asSummaryIfSet, union } from '../common/summary';
import { runDescription, startRuns } from './runner';

export const description = runDescription('run');

/** Starts the script on the machines of all items (one run per script, chunked by URL length). */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	const results: ItemResult[] = [];
	const started = await startRuns.call(this, itemIndexes, results);
	for (const { group, runs } of started) {
		for (const { itemIndex, ids } of group.items) {
			results.push({
				itemIndex,
				json: {
					scriptId: Number(group.scriptId),
					runIds: runs.map((r) => Number(r.runId)),
					machineIds: ids.map(Number),
					machinesInRun: group.ids.length,
					responses: runs.map((r) => r.answer as IDataObject),
				},
			});
		}
	}
	return asSummaryIfSet.call(this, itemIndexes, results, (ok) => {
		const scripts = started
			.filter(({ group }) => ok.some((r) => group.items.some((i) => i.itemIndex === r.itemIndex)))
			.map(({ group, runs }) => ({
				scriptId: Number(group.scriptId),
				runIds: runs.map((r) => Number(r.runId)),
				machineIds: group.ids.map(Number),
				responses: runs.map((r) => r.answer as IDataObject),
			}));
		return { runIds: union(scripts.map((s) => s.runIds)), machineIds: union(scripts.map((s) => s.machineIds)), scripts };
	});
}
