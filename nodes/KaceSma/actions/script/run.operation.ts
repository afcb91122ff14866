import type { IExecuteFunctions } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
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
				},
			});
		}
	}
	return results;
}
