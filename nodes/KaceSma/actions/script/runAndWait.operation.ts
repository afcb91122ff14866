import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { asSummaryIfSet, union } from '../common/summary';
import { machineOutcome, runDescription, startRuns, waitForRuns } from './runner';

export const description = runDescription('runAndWait');

/**
 * Starts the runs like "Run", then polls the run status until no machine is pending or the timeout passes.
 * Output: one item per machine with its outcome (success, failed, pushFailed, or pending when the timeout
 * passed), paired with the input item that asked for that machine. An appliance that reports counts instead of
 * machine ids gives 'unknown' per machine unless all machines share one outcome, and the counts in `runCounts`.
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	const results: ItemResult[] = [];
	const started = await startRuns.call(this, itemIndexes, results);
	for (const { group, runs } of started) {
		const first = group.items[0].itemIndex;
		const timeout = this.getNodeParameter('timeout', first, 600) as number;
		const interval = this.getNodeParameter('pollInterval', first, 10) as number;
		let statuses;
		try {
			statuses = await waitForRuns.call(this, runs.map((r) => r.runId), first, timeout, interval);
		} catch (error) {
			for (const { itemIndex } of group.items) results.push({ itemIndex, error });
			continue;
		}
		const runOf = new Map<string, string>();
		for (const run of runs) for (const id of run.machineIds) runOf.set(id, run.runId);
		const claimed = new Set<string>();
		for (const { itemIndex, ids } of group.items) {
			const rows: IDataObject[] = [];
			for (const id of ids) {
				if (claimed.has(id)) continue; // a machine asked for by several items is reported once, with the first
				claimed.add(id);
				const runId = runOf.get(id)!;
				const status = statuses.get(runId)!;
				const outcome = machineOutcome(status, id);
				rows.push({
					scriptId: Number(group.scriptId),
					runId: Number(runId),
					machineId: Number(id),
					outcome,
					timedOut: status.perMachine ? outcome === 'pending' : !status.done,
					// the appliance reported counts, not machines: what is known about the run
					...(status.perMachine ? {} : { runCounts: status.counts }),
				});
			}
			results.push({ itemIndex, json: rows });
		}
	}
	return asSummaryIfSet.call(this, itemIndexes, results, (ok) => {
		const rows = ok.flatMap((r) => r.json as IDataObject[]);
		const byOutcome: Record<string, number[]> = {};
		for (const row of rows) (byOutcome[String(row.outcome)] ??= []).push(Number(row.machineId));
		return {
			scriptIds: union([rows.map((r) => Number(r.scriptId))]),
			runIds: union([rows.map((r) => Number(r.runId))]),
			machines: rows.length,
			counts: Object.fromEntries(Object.entries(byOutcome).map(([outcome, ids]) => [outcome, ids.length])),
			byOutcome,
			timedOut: rows.some((r) => r.timedOut === true),
		};
	});
}
