import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { SeenKeys, advanceCursor, baselineCursor, cursorSince, readCursor } from '../shared/poll';
import { parseVsaTime } from './actions/agentProcedure/run';
import { getServiceDesksOrAll } from './methods/loadOptions';
import type { TicketEvent } from './ticketTrigger';
import { pollTickets } from './ticketTrigger';
import { PAGE_SIZE, vsaList } from './transport/list';
import { compareIds, idLiteral } from './transport/odata';

/** Online codes (kaseya-vsa.md §5.3): 0 offline; 1, 2, 11, 12 online; 198 suspended; 199 never checked in. */
const ONLINE_CODES = new Set([1, 2, 11, 12]);
const OFFLINE_OR_NEW = new Set([0, 199]);
/** Online codes from here up are not online: 198 suspended, 199 never checked in. */
const SUSPENDED = 198;
/** The agents that are not online: offline (0), suspended (198) or never checked in (199). */
const NOT_ONLINE_FILTER = `Online eq 0 or Online ge ${SUSPENDED}`;
/** Longest `AgentId eq …M or …` filter (percent-encoded) per request: keeps the URL well below 2,000 characters. */
const MAX_ID_FILTER = 1500;

type Event = 'newAgent' | 'agentOffline' | 'agentOnline' | 'newAlarm' | TicketEvent;

/**
 * New Agent: every poll re-reads the agents created up to this long before the newest one it knows, so an agent
 * whose creation time is a little older than one already seen (two creations committed out of order, times to
 * the second) is still emitted. The cursor keeps the ids of those agents (shared/poll.ts).
 */
const NEW_AGENT_OVERLAP_MS = 60_000;

/** Largest alarm list one poll keeps in memory (static data); beyond it the oldest keys are forgotten first. */
const MIN_SEEN = 5000;

function onlineCode(row: IDataObject): number | undefined {
	const n = Number(row.Online);
	return row.Online === undefined || row.Online === null || !Number.isFinite(n) ? undefined : n;
}

/** AgentIds in groups whose percent-encoded `AgentId eq …M or …` filter (and the user's filter) stays short. */
function idChunks(ids: string[], filter: string | undefined): string[][] {
	const budget = MAX_ID_FILTER - (filter ? encodeURIComponent(`() and ()${filter}`).length : 0);
	const chunks: string[][] = [];
	let current: string[] = [];
	let length = 0;
	for (const id of ids) {
		const cost = encodeURIComponent(` or AgentId eq ${id}M`).length;
		// at most one page of rows per request (the server's cap)
		if (current.length && (length + cost > budget || current.length >= PAGE_SIZE)) {
			chunks.push(current);
			current = [];
			length = 0;
		}
		current.push(id);
		length += cost;
	}
	if (current.length) chunks.push(current);
	return chunks;
}

function alarmTime(row: IDataObject): number | undefined {
	for (const f of ['EventDateTime', 'AlarmDate', 'CreationDate', 'EventTime']) {
		const t = parseVsaTime(row[f]);
		if (t !== undefined) return t;
	}
	return undefined;
}


export class KaseyaVsaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaseya VSA Trigger',
		name: 'kaseyaVsaTrigger',
		icon: { light: 'file:vsa.svg', dark: 'file:vsa.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow when agents appear, go offline or online, alarms are raised, or Service Desk tickets are created or updated in Kaseya VSA 9',
		defaults: { name: 'Kaseya VSA Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kaseyaVsaApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				options: [
					{
						name: 'Agent Went Offline',
						value: 'agentOffline',
						description: 'An agent that was online is now offline (the first poll only records the current states)',
					},
					{
						name: 'Agent Went Online',
						value: 'agentOnline',
						description:
							'An agent that was offline (or never checked in) is now online (the first poll only records the current states)',
					},
					{ name: 'New Agent', value: 'newAgent', description: 'An agent was created (installed)' },
					{ name: 'New Alarm', value: 'newAlarm', description: 'An alarm was raised' },
					{ name: 'New Service Desk Ticket', value: 'newTicket', description: 'A ticket was created in a service desk' },
					{
						name: 'Service Desk Ticket Updated',
						value: 'ticketUpdated',
						description: 'A ticket was changed (status, priority, note, assignee…): emitted at each change',
					},
				],
				default: 'newAlarm',
			},
			{
				displayName: 'Service Desk Name or ID',
				name: 'serviceDesk',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getServiceDesksOrAll' },
				default: 'all',
				displayOptions: { show: { event: ['newTicket', 'ticketUpdated'] } },
				description:
					'Watch one service desk, or all of them (one request per desk and poll). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Raw Filter',
						name: 'filter',
						type: 'string',
						default: '',
						placeholder: "e.g. substringof('.acme', AgentName)",
						description: 'An OData $filter the agents, alarms or tickets must match (e.g. TicketStatus eq \'Open\')',
					},
					{
						displayName: 'Timestamp Field',
						name: 'timestampField',
						type: 'string',
						default: 'CreationDate',
						displayOptions: { show: { '/event': ['newAgent'] } },
						description: 'Agent field holding the creation time (e.g. FirstCheckIn if CreationDate is empty on your VSA)',
					},
				],
			},
		],
	};

	methods = { loadOptions: { getServiceDesksOrAll } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as Event;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const filter = String(options.filter ?? '').trim() || undefined;
		const manual = this.getMode() === 'manual';
		// manual mode ("Fetch Test Event") must not even create the static data
		const staticData: IDataObject = manual ? {} : this.getWorkflowStaticData('node');
		const and = (extra: string) => (filter ? `(${filter}) and (${extra})` : extra);

		if (event === 'newTicket' || event === 'ticketUpdated') return await pollTickets.call(this, event, filter, manual, staticData);

		if (event === 'newAgent') {
			const field = String(options.timestampField || 'CreationDate').trim();
			if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
				throw new NodeOperationError(this.getNode(), `Timestamp Field "${field}" is not a valid field name`);
			}
			const orderby = `${field} desc`;
			const timeOf = (row: IDataObject) => parseVsaTime(row[field]);
			const idOf = (row: IDataObject) => (row.AgentId === undefined || row.AgentId === null ? undefined : String(row.AgentId));
			if (manual) {
				const { rows } = await vsaList.call(this, '/assetmgmt/agents', {
					filter,
					orderby,
					returnAll: false,
					limit: 1,
					idField: 'AgentId',
					operation: 'read the newest agent',
				});
				return rows.length ? [this.helpers.returnJsonArray(rows)] : null;
			}
			/** newest first, down to `since` (undefined: the newest agent's time minus the overlap) */
			const readSince = async (since: number | undefined, operation: string) => {
				const { rows } = await vsaList.call(this, '/assetmgmt/agents', {
					filter,
					orderby,
					returnAll: true,
					idField: 'AgentId',
					newestFirst: { timeOf, since, window: NEW_AGENT_OVERLAP_MS },
					operation,
				});
				const timed = rows.filter((row) => timeOf(row) !== undefined);
				if (rows.length && !timed.length) {
					throw new NodeOperationError(
						this.getNode(),
						`The agents have no readable time in the Timestamp Field "${field}"`,
						{ description: 'Set the Timestamp Field option to an agent field holding a date and time on your VSA, e.g. FirstCheckIn.' },
					);
				}
				return timed;
			};
			const key = `newAgent:${field}:${filter ?? ''}`;
			const cursor = readCursor(staticData[key], parseVsaTime);
			if (!cursor) {
				// every agent created in the newest second (and the overlap before it), not just the newest one: an
				// agent created later in that same second is then told apart from them
				const rows = await readSince(undefined, 'read the newest agents');
				staticData[key] = baselineCursor(rows, timeOf, idOf, NEW_AGENT_OVERLAP_MS) as unknown as IDataObject;
				return null;
			}
			const rows = await readSince(cursorSince(cursor, NEW_AGENT_OVERLAP_MS), 'poll for new agents');
			const next = advanceCursor(cursor, rows, timeOf, idOf, NEW_AGENT_OVERLAP_MS);
			staticData[key] = next.cursor as unknown as IDataObject;
			return next.fresh.length ? [this.helpers.returnJsonArray(next.fresh)] : null;
		}

		if (event === 'agentOffline' || event === 'agentOnline') {
			const wantOnline = event === 'agentOnline';
			if (manual) {
				const { rows } = await vsaList.call(this, '/assetmgmt/agents', {
					filter: and(wantOnline ? 'Online gt 0 and Online lt 198' : 'Online eq 0'),
					returnAll: false,
					limit: 1,
					operation: `read an ${wantOnline ? 'online' : 'offline'} agent`,
				});
				return rows.length ? [this.helpers.returnJsonArray(rows)] : null;
			}
			// Only the agents that are NOT online are listed (offline, suspended, never checked in): on a healthy estate
			// that is a small part of it, and the VSA has no change feed. The previous list is kept as {AgentId: code}.
			const { rows } = await vsaList.call(this, '/assetmgmt/agents', {
				filter: and(NOT_ONLINE_FILTER),
				returnAll: true,
				idField: 'AgentId',
				operation: 'poll the agents that are not online',
			});
			// the state of versions that listed every agent is dropped (a different meaning, and large)
			delete staticData[`online:${filter ?? ''}`];
			const key = `notOnline:${filter ?? ''}`;
			const previous = staticData[key] as Record<string, number> | undefined;
			const states: Record<string, number> = {};
			const changed: IDataObject[] = [];
			for (const row of rows) {
				const id = String(row.AgentId ?? '');
				const code = onlineCode(row);
				if (!id || code === undefined) continue;
				states[id] = code;
				// offline now and not in the previous list, so it was online (a new agent starts at 199, in the list)
				if (!wantOnline && previous && code === 0 && previous[id] === undefined) changed.push(row);
			}
			if (wantOnline && previous) {
				// offline or never checked in before and no longer listed: online now, or suspended, deleted or out of
				// the filter. Read just those agents again to tell.
				const left = Object.keys(previous).filter(
					(id) => OFFLINE_OR_NEW.has(previous[id]) && states[id] === undefined && /^\d{1,30}$/.test(id),
				);
				for (const ids of idChunks(left, filter)) {
					const { rows: now } = await vsaList.call(this, '/assetmgmt/agents', {
						filter: and(ids.map((id) => `AgentId eq ${idLiteral(id)}`).join(' or ')),
						returnAll: true,
						idField: 'AgentId',
						operation: 'read the agents that are no longer offline',
					});
					for (const row of now) {
						const id = String(row.AgentId ?? '');
						const code = onlineCode(row);
						if (!id || code === undefined) continue;
						if (ONLINE_CODES.has(code)) changed.push(row);
						// back offline (or suspended) since the list was read: keep it in the not-online list
						else if (code === 0 || code >= SUSPENDED) states[id] = code;
					}
				}
			}
			// the first poll only records the states
			staticData[key] = states;
			if (!previous || !changed.length) return null;
			return [this.helpers.returnJsonArray(changed)];
		}

		if (event === 'newAlarm') {
			// /alarms/true (all alarms) + our own memory: /alarms/false is session-stateful on the server
			if (manual) {
				const { rows } = await vsaList.call(this, '/assetmgmt/alarms/true', {
					filter,
					returnAll: false,
					limit: 100,
					operation: 'read the newest alarm',
				});
				if (!rows.length) return null;
				const newest = rows.reduce((best, row) => {
					const tb = alarmTime(best);
					const tr = alarmTime(row);
					if (tr !== undefined && tb !== undefined && tr !== tb) return tr > tb ? row : best;
					return compareIds(String(row.AlarmId ?? ''), String(best.AlarmId ?? '')) > 0 ? row : best;
				});
				return [this.helpers.returnJsonArray([newest])];
			}
			const { rows } = await vsaList.call(this, '/assetmgmt/alarms/true', {
				filter,
				returnAll: true,
				idField: 'AlarmId',
				operation: 'poll for new alarms',
			});
			const key = `alarms:${filter ?? ''}`;
			const baseline = !Array.isArray((staticData[key] as IDataObject | undefined)?.seen);
			const before = new SeenKeys((staticData[key] as IDataObject | undefined) ?? {}, 'seen', Number.MAX_SAFE_INTEGER);
			const fresh = baseline ? [] : rows.filter((row) => !before.has(String(row.AlarmId ?? '')));
			// remember exactly the alarms listed now (closed alarms leave the list and are forgotten)
			const memory: IDataObject = {};
			const now = new SeenKeys(memory, 'seen', Math.max(MIN_SEEN, rows.length));
			for (const row of rows) if (row.AlarmId !== undefined && row.AlarmId !== null) now.add(String(row.AlarmId));
			if (!memory.seen) memory.seen = [];
			staticData[key] = memory;
			if (!fresh.length) return null;
			fresh.sort((a, b) => compareIds(String(a.AlarmId ?? ''), String(b.AlarmId ?? '')));
			return [this.helpers.returnJsonArray(fresh)];
		}

		throw new NodeOperationError(this.getNode(), `Unknown event "${String(event)}"`);
	}
}
