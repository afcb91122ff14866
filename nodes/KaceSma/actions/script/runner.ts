import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { kaceList, kaceRequest, kaceId } from '../../transport';
import { ENTITIES } from '../common/entities';
import { filterExpression, locatorId, recordLocator } from '../common/fields';
import { parseIdList } from '../common/ids';
import { outputProperty } from '../common/summary';

/**
 * Longest `machineIDs=` value per run request. KACE runs on Apache, whose request line limit is 8,190 bytes;
 * 7,000 leaves room for the path and the rest of the request line. 5,000 machine ids (~24 KB) → 4 runs.
 */
export const MAX_IDS_QUERY_LENGTH = 7000;

export function runDescription(operation: string): INodeProperties[] {
	const show = { resource: ['script'], operation: [operation] };
	const fields: INodeProperties[] = [
		recordLocator(ENTITIES.script, show),
		{
			displayName: 'Target',
			name: 'target',
			type: 'options',
			displayOptions: { show },
			options: [
				{ name: 'Machine IDs', value: 'ids', description: 'A list of IDs, or an expression mapping them from each input item' },
				{ name: 'Machines With Label', value: 'label', description: 'Every machine carrying a label' },
				{ name: 'Machines Matching a Filter', value: 'filter', description: 'Every machine matching a KACE filtering expression' },
			],
			default: 'ids',
		},
		{
			displayName: 'Machine IDs',
			name: 'machineIds',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 12, 34 or {{ $json.ID }}',
			displayOptions: { show: { ...show, target: ['ids'] } },
			description: 'Machines to run the script on. All input items for the same script are combined into one run.',
		},
		{
			displayName: 'Label Name',
			name: 'label',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. Laptops',
			displayOptions: { show: { ...show, target: ['label'] } },
		},
		{
			displayName: 'Filtering',
			name: 'filtering',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. os_name co Windows 11',
			displayOptions: { show: { ...show, target: ['filter'] } },
			description: 'A KACE filtering expression over machines',
		},
	];
	fields.push(outputProperty('script', operation));
	if (operation === 'runAndWait') {
		fields.push(
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 600,
				displayOptions: { show },
				description: 'How long to wait for all machines; machines still pending then are reported as pending',
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				default: 10,
				displayOptions: { show },
				description: 'How often to ask the appliance for the run status',
			},
		);
	}
	return fields;
}

interface ScriptGroup {
	scriptId: string;
	items: Array<{ itemIndex: number; ids: string[] }>;
	ids: string[];
}

/** Machine ids of one input item, from the list, a label or a filter (read with one paged query). */
async function targetIds(this: IExecuteFunctions, itemIndex: number): Promise<string[]> {
	const target = this.getNodeParameter('target', itemIndex, 'ids') as string;
	if (target === 'ids') return parseIdList.call(this, this.getNodeParameter('machineIds', itemIndex), 'machine', itemIndex);
	const filtering =
		target === 'label'
			? filterExpression.call(this, { field: 'label.name', operator: 'eq', value: this.getNodeParameter('label', itemIndex) }, itemIndex)
			: String(this.getNodeParameter('filtering', itemIndex, '')).trim();
	const rows = await kaceList.call(this, '/api/inventory/machines', 'Machines', { filtering, shaping: 'machine limited' }, {
		returnAll: true,
		operation: 'find the target machines',
		itemIndex,
	});
	const ids = rows.map((r) => String(r.id ?? r.Id ?? r.ID)).filter((id) => /^\d+$/.test(id));
	if (!ids.length) {
		throw new NodeOperationError(this.getNode(), `No machine matches ${target === 'label' ? 'the label' : 'the filter'} "${target === 'label' ? String(this.getNodeParameter('label', itemIndex)) : filtering}"`, { itemIndex });
	}
	return ids;
}

/** Splits ids so that each comma-joined list stays under the URL length limit. */
export function chunkByLength(ids: string[], maxLength = MAX_IDS_QUERY_LENGTH): string[][] {
	const out: string[][] = [];
	let current: string[] = [];
	let length = 0;
	for (const id of ids) {
		const add = (current.length ? 1 : 0) + id.length;
		if (current.length && length + add > maxLength) {
			out.push(current);
			current = [];
			length = 0;
		}
		length += current.length ? id.length + 1 : id.length;
		current.push(id);
	}
	if (current.length) out.push(current);
	return out;
}

/** The run id in whatever form the appliance answers (bare number, string, or an object). */
function runIdOf(body: unknown): string | undefined {
	if (typeof body === 'number' || (typeof body === 'string' && /^\d+$/.test(body.trim()))) return String(body).trim();
	if (body && typeof body === 'object') {
		const b = body as IDataObject;
		for (const k of ['runId', 'RunId', 'runID', 'id', 'Id', 'ID', 'jobId']) {
			if (b[k] !== undefined && /^\d+$/.test(String(b[k]))) return String(b[k]);
		}
	}
	return undefined;
}

export interface StartedRun {
	group: ScriptGroup;
	/** each run request: the run id, its machines, and the appliance's answer as it came */
	runs: Array<{ runId: string; machineIds: string[]; answer: unknown }>;
}

/**
 * Groups the items by script, starts one run per URL-sized chunk of their combined machine ids, and returns the
 * runs. A run is an action: a request that may have reached the appliance is never sent again.
 */
export async function startRuns(this: IExecuteFunctions, itemIndexes: number[], results: ItemResult[]): Promise<StartedRun[]> {
	const groups = new Map<string, ScriptGroup>();
	for (const itemIndex of itemIndexes) {
		try {
			const scriptId = locatorId.call(this, ENTITIES.script, itemIndex);
			const ids = await targetIds.call(this, itemIndex);
			const group = groups.get(scriptId) ?? { scriptId, items: [], ids: [] };
			group.items.push({ itemIndex, ids });
			groups.set(scriptId, group);
		} catch (error) {
			results.push({ itemIndex, error });
		}
	}
	const started: StartedRun[] = [];
	for (const group of groups.values()) {
		const seen = new Set<string>();
		for (const item of group.items) for (const id of item.ids) if (!seen.has(id)) { seen.add(id); group.ids.push(id); }
		const chunks = chunkByLength(group.ids);
		const runs: StartedRun['runs'] = [];
		try {
			for (const [n, ids] of chunks.entries()) {
				const body = await kaceRequest.call<IExecuteFunctions, Parameters<typeof kaceRequest>, Promise<unknown>>(
					this,
					'POST',
					`/api/script/${group.scriptId}/actions/run`,
					{
						query: { machineIDs: ids.join(',') },
						operation: `run script ${group.scriptId} on ${ids.length} machine${ids.length === 1 ? '' : 's'}${chunks.length > 1 ? ` (part ${n + 1} of ${chunks.length})` : ''}`,
						idempotent: false,
						allowScalar: true,
						outcomeHint:
							runs.length > 0
								? `Earlier parts already started runs ${runs.map((r) => r.runId).join(', ')}. Check Scripting > Run Status in the KACE console before running again.`
								: 'Check Scripting > Run Status in the KACE console before running again.',
						itemIndex: group.items[0].itemIndex,
					},
				);
				const runId = runIdOf(body);
				if (runId !== undefined && Number(runId) === 0) {
					// KACE answers 0 when it started nothing (KaceSMA's Invoke-SmaScript: "Returns 0 if failed")
					throw new NodeOperationError(this.getNode(), `KACE SMA did not start script ${group.scriptId}: the appliance answered 0 (no run)`, {
						itemIndex: group.items[0].itemIndex,
						description: `The appliance answers 0 when it cannot run the script. Check that the script is enabled (Scripting > Scripts), that all machine IDs exist in the organization the credential logs in to (${ids.length > 20 ? `${ids.length} machines` : ids.join(', ')}), and that the account's role may run scripts on these machines.${runs.length ? ` Earlier parts of this request already started runs ${runs.map((r) => r.runId).join(', ')}.` : ''}`,
					});
				}
				if (!runId) {
					throw new NodeOperationError(this.getNode(), `KACE SMA started script ${group.scriptId} but returned no run ID`, {
						itemIndex: group.items[0].itemIndex,
						description: `The appliance answered ${JSON.stringify(body)?.slice(0, 200)}. Check Scripting > Run Status in the KACE console.`,
					});
				}
				runs.push({ runId, machineIds: ids, answer: body });
			}
			started.push({ group, runs });
		} catch (error) {
			for (const { itemIndex } of group.items) results.push({ itemIndex, error });
		}
	}
	return started;
}

const BUCKETS = ['targeted', 'pending', 'success', 'failed', 'pushFailed'] as const;
type Bucket = (typeof BUCKETS)[number];

export interface RunStatus {
	runId: string;
	scriptId?: number;
	done: boolean;
	/** false when the appliance reported how many machines are in a bucket rather than which */
	perMachine: boolean;
	/** machines per bucket (the number reported, or the length of the list) */
	counts: Record<Bucket, number>;
	targeted: string[];
	pending: string[];
	success: string[];
	failed: string[];
	pushFailed: string[];
}

/** A runStatus bucket: machine ids (array of ids or records, map keyed by id), or a count (some builds). */
function bucketOf(value: unknown): { ids?: string[]; count: number } {
	if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))) return { count: Number(value) };
	let ids: string[] = [];
	if (Array.isArray(value)) {
		ids = value
			.map((v) => (v && typeof v === 'object' ? (v as IDataObject).id ?? (v as IDataObject).Id ?? (v as IDataObject).machineId : v))
			.filter((v) => v !== undefined && v !== null)
			.map(String);
	} else if (value && typeof value === 'object') ids = Object.keys(value);
	return { ids, count: ids.length };
}

function bucket(body: IDataObject, name: string): { ids?: string[]; count: number } {
	for (const [k, v] of Object.entries(body)) if (k.toLowerCase() === name.toLowerCase()) return bucketOf(v);
	return { ids: [], count: 0 };
}

export async function getRunStatus(this: IExecuteFunctions, runId: string, itemIndex: number): Promise<RunStatus> {
	const id = kaceId.call(this, runId, 'script run', itemIndex);
	const body = (await kaceRequest.call(this, 'GET', `/api/script/runStatus/${id}`, {
		operation: `get the status of script run ${id}`,
		itemIndex,
	})) as IDataObject;
	const buckets = Object.fromEntries(BUCKETS.map((name) => [name, bucket(body, name)])) as Record<Bucket, { ids?: string[]; count: number }>;
	return {
		runId: id,
		scriptId: body.scriptId !== undefined ? Number(body.scriptId) : undefined,
		// counts or ids: the run is done when no machine is pending
		done: buckets.pending.count === 0,
		perMachine: BUCKETS.every((name) => buckets[name].ids !== undefined),
		counts: Object.fromEntries(BUCKETS.map((name) => [name, buckets[name].count])) as Record<Bucket, number>,
		targeted: buckets.targeted.ids ?? [],
		pending: buckets.pending.ids ?? [],
		success: buckets.success.ids ?? [],
		failed: buckets.failed.ids ?? [],
		pushFailed: buckets.pushFailed.ids ?? [],
	};
}

/** Polls every run until nothing is pending or the timeout passes; returns the last status of each run. */
export async function waitForRuns(
	this: IExecuteFunctions,
	runIds: string[],
	itemIndex: number,
	timeoutSeconds: number,
	intervalSeconds: number,
): Promise<Map<string, RunStatus>> {
	const deadline = Date.now() + timeoutSeconds * 1000;
	const last = new Map<string, RunStatus>();
	let open = [...runIds];
	while (open.length) {
		for (const runId of open) last.set(runId, await getRunStatus.call(this, runId, itemIndex));
		open = open.filter((r) => !last.get(r)!.done);
		if (!open.length || Date.now() + intervalSeconds * 1000 > deadline) break;
		await sleep(intervalSeconds * 1000);
	}
	return last;
}

/**
 * Outcome of one machine in a run status. When the appliance reports counts, a machine's outcome is known only
 * when every targeted machine is in the same bucket; otherwise it is 'unknown' (the counts say how many of each).
 */
export function machineOutcome(status: RunStatus, machineId: string): string {
	if (!status.perMachine) {
		const { counts } = status;
		const all = counts.targeted || counts.pending + counts.success + counts.failed + counts.pushFailed;
		for (const name of ['pending', 'success', 'failed', 'pushFailed'] as const) if (all > 0 && counts[name] === all) return name;
		return 'unknown';
	}
	if (status.success.includes(machineId)) return 'success';
	if (status.failed.includes(machineId)) return 'failed';
	if (status.pushFailed.includes(machineId)) return 'pushFailed';
	if (status.pending.includes(machineId)) return 'pending';
	return 'unknown';
}
