import type { IDataObject } from 'n8n-workflow';

import type { ItemResult } from '../../shared/execute';
import { mapLimit } from '../../shared/execute';

/**
 * Batch actions (one request per agent at most, fewer where the VSA takes many at once): the input items that
 * ask the VSA for the same thing share one request, and every one of them gets that request's answer (or error)
 * with `pairedItem` pointing back at it. Like agentProcedure/run.ts does for procedure runs.
 */
export interface ItemGroup<V> {
	key: string;
	/** groups of one lane are sent one after the other, in item order (two values for one field of one agent) */
	lane: string;
	value: V;
	itemIndexes: number[];
}

export interface Prepared<V> {
	/** items with the same key share one request */
	key: string;
	/** default: the key (groups run in parallel) */
	lane?: string;
	value: V;
}

/**
 * Groups the items by key. `merge` folds a later item's value into its group's (more agents for one patch run);
 * without it the first item's value stands for the group. An item whose parameters are invalid gets its own
 * error and sends nothing.
 */
export function groupItems<V>(
	itemIndexes: number[],
	prepare: (itemIndex: number) => Prepared<V>,
	merge?: (into: V, next: V) => void,
): { groups: Array<ItemGroup<V>>; results: ItemResult[] } {
	const results: ItemResult[] = [];
	const byKey = new Map<string, ItemGroup<V>>();
	for (const itemIndex of itemIndexes) {
		let prepared: Prepared<V>;
		try {
			prepared = prepare(itemIndex);
		} catch (error) {
			results.push({ itemIndex, error });
			continue;
		}
		const group = byKey.get(prepared.key);
		if (group) {
			group.itemIndexes.push(itemIndex);
			merge?.(group.value, prepared.value);
		} else {
			byKey.set(prepared.key, { key: prepared.key, lane: prepared.lane ?? prepared.key, value: prepared.value, itemIndexes: [itemIndex] });
		}
	}
	return { groups: [...byKey.values()], results };
}

/** What a group's request answered, for each of its items (or the same object for all of them). */
export type GroupAnswer = IDataObject | ((itemIndex: number) => IDataObject);

/**
 * Sends one request per group, at most `concurrency` lanes at a time (the groups of a lane in item order), and
 * gives each item of a group the group's answer or error. `send` must send actions with `idempotent: false`.
 */
export async function sendGroups<V>(
	groups: Array<ItemGroup<V>>,
	concurrency: number,
	send: (group: ItemGroup<V>) => Promise<GroupAnswer>,
): Promise<ItemResult[]> {
	const lanes = new Map<string, Array<ItemGroup<V>>>();
	for (const group of groups) lanes.set(group.lane, [...(lanes.get(group.lane) ?? []), group]);
	const results: ItemResult[] = [];
	await mapLimit([...lanes.values()], concurrency, async (lane) => {
		for (const group of lane) {
			let answer: GroupAnswer | undefined;
			let error: unknown;
			try {
				answer = await send(group);
			} catch (e) {
				error = e ?? new Error('failed');
			}
			for (const itemIndex of group.itemIndexes) {
				if (error !== undefined) results.push({ itemIndex, error });
				else results.push({ itemIndex, json: typeof answer === 'function' ? answer(itemIndex) : { ...answer } });
			}
		}
	});
	return results;
}

/** groupItems, then sendGroups: the whole batch of an action. */
export async function runGrouped<V>(
	itemIndexes: number[],
	concurrency: number,
	prepare: (itemIndex: number) => Prepared<V>,
	send: (group: ItemGroup<V>) => Promise<GroupAnswer>,
	merge?: (into: V, next: V) => void,
): Promise<ItemResult[]> {
	const { groups, results } = groupItems(itemIndexes, prepare, merge);
	return [...results, ...(await sendGroups(groups, concurrency, send))];
}
