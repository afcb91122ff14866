import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { mapLimit } from '../../../shared/execute';
import type { VsaResponse } from '../../transport/request';
import { vsaList } from '../../transport/list';
import { vsaRequest } from '../../transport/request';
import { idLiteral, textLiteral } from '../../transport/odata';
import type { Show } from '../common';
import { ENTITIES, concurrencyOption, locator, locatorId, offlineOptionFields } from '../common';

export type RunMode = 'runNow' | 'runWithPrompts' | 'runAndWait';

const OUTCOME_HINT =
	"Check the agent's procedure history (Agent Procedures > Schedule / Create, or the Get History operation) in VSA before running it again.";

/** Fields shared by the three run operations. */
export function runDescription(mode: RunMode): INodeProperties[] {
	const show: Show = { resource: ['agentProcedure'], operation: [mode] };
	const fields: INodeProperties[] = [
		locator(ENTITIES.agent, show, {
			description: 'The agent to run the procedure on. Map it from the input to run on many agents: one request per agent.',
		}),
		locator(ENTITIES.procedure, show),
	];
	const prompts: INodeProperties = {
		displayName: 'Prompts',
		name: 'prompts',
		type: 'fixedCollection',
		placeholder: 'Add Prompt',
		typeOptions: { multipleValues: true },
		displayOptions: { show },
		default: {},
		description:
			mode === 'runAndWait'
				? "Answers to the procedure's prompts. With prompts the procedure is started through /schedule, without through /runnow."
				: "Answers to the procedure's prompts (see the procedure's getVariable prompts)",
		options: [
			{
				displayName: 'Prompt',
				name: 'prompt',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'The prompt variable name' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					{ displayName: 'Caption', name: 'caption', type: 'string', default: '', description: 'The prompt text (optional)' },
				],
			},
		],
	};
	if (mode !== 'runNow') fields.push(prompts);
	const options: INodeProperties[] = [concurrencyOption()];
	if (mode === 'runWithPrompts') {
		options.push(
			...offlineOptionFields('the run when the agent is offline instead of running it when it checks in'),
			{
				displayName: 'Start At',
				name: 'startAt',
				type: 'dateTime',
				default: '',
				description: "When to run, in the VSA server's time zone. Empty: now.",
			},
		);
	}
	if (mode === 'runAndWait') {
		options.push(
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				default: 10,
				description: 'How long to wait between two status checks of an agent',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 600,
				description:
					'How long to wait for each agent. Agents still running then are returned with finished = false (the procedure keeps running in VSA).',
			},
		);
	}
	fields.push({
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show },
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	});
	return fields;
}

interface Group {
	agentId: string;
	procedureId: string;
	procedureName?: string;
	body?: IDataObject;
	itemIndexes: number[];
}

interface Submitted {
	group: Group;
	/** server time of the run (Date header), else n8n's clock */
	startedAt: number;
	submittedLocal: number;
	json: IDataObject;
}

function promptsOf(this: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const raw = (this.getNodeParameter('prompts', itemIndex, {}) as { prompt?: IDataObject[] }).prompt ?? [];
	return raw
		.filter((p) => String(p.name ?? '').trim() !== '')
		.map((p) => ({ Caption: String(p.caption ?? '') || String(p.name), Name: String(p.name).trim(), Value: String(p.value ?? '') }));
}

/** `2025-05-01T13:45` → Start block of the schedule body (server time zone). */
export function startBlock(value: string): IDataObject | undefined {
	const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})/.exec(value.trim());
	if (!m) return undefined;
	return { StartOn: `${m[1]}T${m[2]}:${m[3]}:00`, StartAt: `T${m[2]}${m[3]}` };
}

function scheduleBody(this: IExecuteFunctions, itemIndex: number, mode: RunMode): IDataObject | undefined {
	const prompts = promptsOf.call(this, itemIndex);
	if (mode === 'runAndWait' && !prompts.length) return undefined;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = { ScriptPrompts: prompts, ServerTimeZone: true };
	if (options.skipIfOffline === true) body.SkipIfOffLine = true;
	if (options.powerUpIfOffline === true) body.PowerUpIfOffLine = true;
	const start = typeof options.startAt === 'string' && options.startAt ? startBlock(options.startAt) : undefined;
	if (start) body.Start = start;
	return body;
}

/** History/record times: ISO with a zone, or (UNVERIFIED format) without one, then read as UTC. */
export function parseVsaTime(value: unknown): number | undefined {
	if (typeof value !== 'string' || !value.trim()) return undefined;
	const v = value.trim();
	const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`;
	const t = Date.parse(withZone);
	return Number.isNaN(t) ? undefined : t;
}

function serverTime(res: VsaResponse): number {
	const d = Date.parse(String(res.headers.date ?? ''));
	return Number.isNaN(d) ? Date.now() : d;
}

/** The procedure's name (history rows carry the name, not the id): from the picker, else one lookup. */
async function procedureName(this: IExecuteFunctions, procedureId: string, itemIndex: number): Promise<string | undefined> {
	const raw = this.getNodeParameter(ENTITIES.procedure.param, itemIndex, {}) as IDataObject;
	if (raw && typeof raw === 'object' && raw.mode === 'list' && typeof raw.cachedResultName === 'string' && raw.cachedResultName) {
		return raw.cachedResultName;
	}
	// AgentProcedureId is a decimal id (M suffix) on the simulator and in Kaseya's examples; some VSA entities type
	// ids as Int32, which rejects the M suffix with HTTP 400 (kaseya-vsa.md §4): then try a plain integer.
	const filters = [`AgentProcedureId eq ${idLiteral(procedureId)}`];
	if (procedureId.length <= 10) filters.push(`AgentProcedureId eq ${procedureId}`);
	for (const filter of filters) {
		try {
			const { rows } = await vsaList.call(this, '/automation/agentprocs', {
				filter,
				returnAll: false,
				limit: 1,
				operation: `look up agent procedure ${procedureId}`,
				itemIndex,
			});
			const name = rows[0]?.AgentProcedureName;
			return typeof name === 'string' && name ? name : undefined;
		} catch {
			// try the next form; without a name the newest history row after the start is used
		}
	}
	return undefined;
}

/**
 * Runs a procedure on the agents of all input items: items are grouped by (agent, procedure, prompts), one
 * request per group (the API takes one agent per request), at most `Concurrency` groups at a time. Every input
 * item of a group gets that group's result. Runs are actions: never retried once they may have reached the VSA.
 */
export async function executeRun(this: IExecuteFunctions, itemIndexes: number[], mode: RunMode): Promise<ItemResult[]> {
	const results: ItemResult[] = [];
	const groups = new Map<string, Group>();
	for (const itemIndex of itemIndexes) {
		try {
			const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
			const procedureId = locatorId.call(this, ENTITIES.procedure, itemIndex);
			const body = mode === 'runNow' ? undefined : scheduleBody.call(this, itemIndex, mode);
			const key = `${agentId}|${procedureId}|${body ? JSON.stringify(body) : ''}`;
			const group = groups.get(key) ?? { agentId, procedureId, body, itemIndexes: [] };
			group.itemIndexes.push(itemIndex);
			groups.set(key, group);
		} catch (error) {
			results.push({ itemIndex, error });
		}
	}
	if (!groups.size) return results;
	const first = [...groups.values()][0].itemIndexes[0];
	const options = this.getNodeParameter('options', first, {}) as IDataObject;
	const concurrency = Math.max(1, Math.min(32, Math.floor(Number(options.concurrency ?? 8)) || 8));

	if (mode === 'runAndWait') {
		const names = new Map<string, string | undefined>();
		for (const group of groups.values()) {
			if (!names.has(group.procedureId)) {
				names.set(group.procedureId, await procedureName.call(this, group.procedureId, group.itemIndexes[0]));
			}
			group.procedureName = names.get(group.procedureId);
		}
	}

	const list = [...groups.values()];
	const submitted = await mapLimit(list, concurrency, async (group): Promise<Submitted> => {
		const { agentId, procedureId, body } = group;
		const route = body ? 'schedule' : 'runnow';
		const submittedLocal = Date.now();
		const res = await vsaRequest.call(this, 'PUT', `/automation/agentprocs/${agentId}/${procedureId}/${route}`, {
			...(body ? { body } : {}),
			operation: `run agent procedure ${procedureId} on agent ${agentId}`,
			idempotent: false,
			outcomeHint: OUTCOME_HINT,
			itemIndex: group.itemIndexes[0],
			notFoundHint:
				'The VSA answers 404 when the agent or the procedure does not exist, when the procedure is a system procedure, or when the user has no execute right on the folder of the procedure.',
		});
		const json: IDataObject = {
			agentId,
			procedureId,
			submitted: true,
			method: route,
			submittedAt: new Date(submittedLocal).toISOString(),
		};
		if (body?.Start) json.scheduledStart = (body.Start as IDataObject).StartOn;
		return { group, startedAt: serverTime(res), submittedLocal, json };
	});

	const done: Array<{ group: Group; json?: IDataObject; error?: unknown }> = [];
	const waiting: Submitted[] = [];
	submitted.forEach((r, i) => {
		if (r.error !== undefined) done.push({ group: list[i], error: r.error });
		else if (mode === 'runAndWait') waiting.push(r.value!);
		else done.push({ group: list[i], json: r.value!.json });
	});

	if (waiting.length) {
		const intervalMs = Math.max(100, Math.round(Number(options.pollInterval ?? 10) * 1000));
		const timeoutMs = Math.max(1000, Math.round(Number(options.timeout ?? 600) * 1000));
		let pending = waiting;
		while (pending.length) {
			await sleep(intervalMs);
			const checks = await mapLimit(pending, concurrency, async (run) => await checkRun.call(this, run, timeoutMs));
			const next: Submitted[] = [];
			checks.forEach((c, i) => {
				const run = pending[i];
				if (c.error !== undefined) done.push({ group: run.group, error: c.error });
				else if (c.value) done.push({ group: run.group, json: c.value });
				else next.push(run);
			});
			pending = next;
		}
	}

	for (const d of done) {
		for (const itemIndex of d.group.itemIndexes) {
			results.push(d.error !== undefined ? { itemIndex, error: d.error } : { itemIndex, json: { ...d.json } });
		}
	}
	return results;
}

/** One status check of a run: the result when finished (or timed out), undefined while it is still pending. */
async function checkRun(this: IExecuteFunctions, run: Submitted, timeoutMs: number): Promise<IDataObject | undefined> {
	const { agentId, procedureId, procedureName: name, itemIndexes } = run.group;
	const itemIndex = itemIndexes[0];
	const waited = Date.now() - run.submittedLocal;
	const scheduled = await vsaList.call(this, `/automation/agentprocs/${agentId}/scheduledprocs`, {
		returnAll: true,
		operation: `check the scheduled procedures of agent ${agentId}`,
		itemIndex,
	});
	const stillScheduled = scheduled.rows.some((r) => String(r.AgentProcedureId ?? '') === procedureId);
	let row: IDataObject | undefined;
	if (!stillScheduled) {
		const history = await vsaList.call(this, `/automation/agentprocs/${agentId}/history`, {
			returnAll: true,
			filter: name ? `ScriptName eq ${textLiteral(name)}` : undefined,
			operation: `read the procedure history of agent ${agentId}`,
			itemIndex,
		});
		// tolerance: the Date header has a one-second resolution
		const since = run.startedAt - 2000;
		let best: number | undefined;
		for (const r of history.rows) {
			if (name && r.ScriptName !== name) continue;
			const t = parseVsaTime(r.LastExecutionTime);
			if (t === undefined || t < since) continue;
			if (best === undefined || t > best) {
				best = t;
				row = r;
			}
		}
	}
	const base: IDataObject = { ...run.json, procedureName: name ?? null, waitedSeconds: Math.round(waited / 100) / 10 };
	if (row) {
		const status = String(row.Status ?? '');
		return {
			...base,
			finished: true,
			status,
			success: /success/i.test(status) && !/fail/i.test(status),
			lastExecutionTime: row.LastExecutionTime ?? null,
			admin: row.Admin ?? null,
		};
	}
	if (waited >= timeoutMs) {
		return {
			...base,
			finished: false,
			status: stillScheduled ? 'Still scheduled when the wait timed out' : 'No history entry yet when the wait timed out',
			success: false,
		};
	}
	return undefined;
}

