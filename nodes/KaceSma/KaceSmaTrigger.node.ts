import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { advanceCursor, baselineCursor, cursorSince, readCursor } from '../shared/poll';
import { getQueuesOrAll } from './methods/loadOptions';
import { pollComments, sampleComment } from './commentTrigger';
import { formatKaceTime, parseKaceTime } from './time';
import { envelopeRows, kaceId, kaceList, kaceRequest, recordId } from './transport';

interface EventDefinition {
	path: string;
	key: string;
	field: string;
	label: string;
	/** names of the base entity in a shaping expression (the first is used when adding it) */
	entity: string[];
	shaping?: string;
}

const TICKET_SHAPING = 'hd_ticket all,status limited,priority limited,category limited,owner limited,submitter limited';

const EVENTS: Record<string, EventDefinition> = {
	newMachine: { path: '/api/inventory/machines', key: 'Machines', field: 'created', label: 'machines', entity: ['machine', 'machines'] },
	machineChanged: { path: '/api/inventory/machines', key: 'Machines', field: 'modified', label: 'machines', entity: ['machine', 'machines'] },
	newTicket: { path: '/api/service_desk/tickets', key: 'Tickets', field: 'created', label: 'tickets', entity: ['hd_ticket', 'ticket', 'tickets'], shaping: TICKET_SHAPING },
	ticketUpdated: { path: '/api/service_desk/tickets', key: 'Tickets', field: 'modified', label: 'tickets', entity: ['hd_ticket', 'ticket', 'tickets'], shaping: TICKET_SHAPING },
};

/** Most records one poll emits; the rest follow on the next poll (the cursor only moves past what was read). */
const MAX_PER_POLL = 5000;

/** A shaping expression with the base entity at level ALL (every column, any timestamp field included). */
export function baseAtAll(shaping: string, entity: string[]): string {
	const parts = shaping
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
	let found = false;
	const out = parts.map((p) => {
		const name = p.split(/\s+/)[0];
		if (!entity.includes(name.toLowerCase())) return p;
		found = true;
		return `${name} all`;
	});
	return (found ? out : [`${entity[0]} all`, ...out]).join(',');
}

/** The key the shared cursor gives a record (nodes/shared/poll.ts): `${id}@${time}`. */

export class KaceSmaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Quest KACE SMA Trigger',
		name: 'kaceSmaTrigger',
		icon: { light: 'file:kace.svg', dark: 'file:kace.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when machines or service desk tickets appear or change, or a ticket gets a comment, on a Quest KACE SMA',
		defaults: { name: 'Quest KACE SMA Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kaceSmaApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				options: [
					{ name: 'Machine Changed', value: 'machineChanged', description: 'A machine record was modified (e.g. by an inventory)' },
					{ name: 'New Machine', value: 'newMachine', description: 'A machine appeared in the inventory' },
					{ name: 'New Ticket', value: 'newTicket', description: 'A service desk ticket was created' },
					{ name: 'Ticket Comment Added', value: 'ticketCommentAdded', description: 'A comment was added to a service desk ticket' },
					{ name: 'Ticket Updated', value: 'ticketUpdated', description: 'A service desk ticket was modified' },
				],
				default: 'newTicket',
			},
			{
				displayName: 'Queue Name or ID',
				name: 'queueId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getQueuesOrAll' },
				displayOptions: { show: { event: ['newTicket', 'ticketUpdated', 'ticketCommentAdded'] } },
				default: '',
				description: 'Only tickets of this queue (empty: all queues). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Filtering',
						name: 'filtering',
						type: 'string',
						default: '',
						placeholder: 'e.g. os_name co Windows',
						description: 'Extra KACE filtering expression the records must match (Ticket Comment Added: the tickets)',
					},
					{
						displayName: 'Include Owners-Only Comments',
						name: 'ownersOnly',
						type: 'boolean',
						default: true,
						displayOptions: { show: { '/event': ['ticketCommentAdded'] } },
						description: 'Whether to emit the comments only the ticket owners may read too',
					},
					{
						displayName: 'Overlap (Seconds)',
						name: 'overlapSeconds',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 86400 },
						default: 0,
						description:
							'Also look this far back before the newest timestamp already seen, for records the appliance saves with an earlier timestamp than the moment they become visible (e.g. a timestamp field filled from an agent\'s clock). Records already emitted are not emitted again; each poll re-reads the records of that span.',
					},
					{
						displayName: 'Shaping',
						name: 'shaping',
						type: 'string',
						default: '',
						placeholder: 'e.g. machine all',
						displayOptions: { hide: { '/event': ['ticketCommentAdded'] } },
						description: 'Which fields to return. When it leaves out the timestamp field, the record itself is read at level ALL.',
					},
					{
						displayName: 'Timestamp Field',
						name: 'timestampField',
						type: 'string',
						default: '',
						placeholder: 'e.g. last_inventory',
						displayOptions: { hide: { '/event': ['ticketCommentAdded'] } },
						description: 'Server timestamp that marks a change (default: created for new records, modified for changes)',
					},
				],
			},
		],
	};

	methods = { loadOptions: { getQueuesOrAll } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as string;
		if (event === 'ticketCommentAdded') {
			const options = this.getNodeParameter('options', {}) as IDataObject;
			const queue = this.getNodeParameter('queueId', '') as string;
			const ticketFilters = [...(queue ? [`hd_queue_id eq ${kaceId.call(this, queue, 'queue')}`] : []), ...(options.filtering ? [String(options.filtering)] : [])];
			const rows =
				this.getMode() === 'manual'
					? await sampleComment.call(this, ticketFilters)
					: await pollComments.call(this, {
							ticketFilters,
							overlapMs: Math.max(0, Math.round(Number(options.overlapSeconds ?? 0) * 1000)) || 0,
							ownersOnly: options.ownersOnly !== false,
							cursorKey: `${event}:${queue}:${String(options.filtering ?? '')}`,
						});
			return rows ? [this.helpers.returnJsonArray(rows)] : null;
		}
		const definition = EVENTS[event];
		if (!definition) throw new NodeOperationError(this.getNode(), `Unknown event "${event}"`);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const field = String(options.timestampField || definition.field).trim();
		if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
			throw new NodeOperationError(this.getNode(), `Timestamp Field "${field}" is not a valid field name`);
		}
		const overlapMs = Math.max(0, Math.round(Number(options.overlapSeconds ?? 0) * 1000)) || 0;
		const filters: string[] = [];
		const queue = definition.key === 'Tickets' ? (this.getNodeParameter('queueId', '') as string) : '';
		if (queue) filters.push(`hd_queue_id eq ${kaceId.call(this, queue, 'queue')}`);
		if (options.filtering) filters.push(String(options.filtering));
		const userShaping = String(options.shaping || definition.shaping || '');

		const timeOf = (row: IDataObject): number | undefined => {
			const key = Object.keys(row).find((k) => k.toLowerCase() === field.toLowerCase());
			return key === undefined ? undefined : parseKaceTime(row[key]);
		};

		const staticData = this.getWorkflowStaticData('node');
		const cursorKey = `${event}:${field}:${queue}:${String(options.filtering ?? '')}`;
		// the shaping that carries the timestamp field, once a read showed that the user's does not
		const shapingKey = `${cursorKey}#shaping`;
		const remembered = staticData[shapingKey] as { for?: string; use?: string } | undefined;
		let shaping = remembered?.for === userShaping && typeof remembered.use === 'string' ? remembered.use : userShaping;

		/**
		 * Reads records with `fetch`, making sure every record carries a readable timestamp: a shaping that leaves
		 * the field out is read again with the record at level ALL (and that is remembered); a field that is still
		 * missing fails the poll, so that no unusable cursor is ever stored.
		 */
		const readTimed = async (fetch: (shaping: string) => Promise<IDataObject[]>): Promise<IDataObject[]> => {
			let rows = await fetch(shaping);
			const untimed = () => rows.some((r) => timeOf(r) === undefined);
			if (untimed() && shaping !== baseAtAll(userShaping, definition.entity)) {
				shaping = baseAtAll(userShaping, definition.entity);
				staticData[shapingKey] = { for: userShaping, use: shaping };
				rows = await fetch(shaping);
			}
			if (untimed()) {
				throw new NodeOperationError(this.getNode(), `KACE SMA returned ${definition.label} without a readable "${field}" timestamp`, {
					description: `The trigger needs that field in every record (YYYY-MM-DD HH:MM:SS) to know which records are new. Check the Timestamp Field option (a date field of the ${definition.label}), and the Filtering option.`,
				});
			}
			return rows;
		};
		const newest = async (withShaping: string): Promise<IDataObject[]> => {
			const body = await kaceRequest.call(this, 'GET', definition.path, {
				query: {
					...(withShaping ? { shaping: withShaping } : {}),
					...(filters.length ? { filtering: filters.join(',') } : {}),
					sorting: `${field} desc,id desc`,
					paging: 'limit 1',
					use_count: 'false',
				},
				operation: `read the newest ${definition.label}`,
			});
			return envelopeRows(body, definition.key).slice(0, 1);
		};
		/** every record stamped at or after `since`, oldest first (by id within a second) */
		const since = (from: number, all: boolean) => async (withShaping: string) =>
			await kaceList.call(
				this,
				definition.path,
				definition.key,
				{
					...(withShaping ? { shaping: withShaping } : {}),
					filtering: [...filters, `${field} ge ${formatKaceTime(from)}`].join(','),
					sorting: `${field} asc,id asc`,
				},
				{ returnAll: all, limit: MAX_PER_POLL, operation: `poll for ${definition.label}` },
			);

		if (this.getMode() === 'manual') {
			// "Fetch test event": a sample, and the cursor stays where it is
			const sample = await newest(shaping);
			return sample.length ? [this.helpers.returnJsonArray(sample)] : null;
		}

		const stored = staticData[cursorKey];
		const cursor = readCursor(stored, parseKaceTime);
		if (!cursor) {
			// first poll after activation (or a cursor an earlier version left unusable): remember where the
			// appliance is — every record of the newest second (and of the overlap before it) — and emit nothing
			const [top] = await readTimed(newest);
			const present = top ? await readTimed(since(timeOf(top)! - overlapMs, true)) : [];
			staticData[cursorKey] = baselineCursor(present, timeOf, recordId, overlapMs, 0) as unknown as IDataObject;
			return null;
		}

		const rows = await readTimed(since(cursorSince(cursor, overlapMs), false));
		// the cursor's floor keeps a raised overlap (or a migrated cursor) from emitting what earlier polls handled
		const { fresh, cursor: next } = advanceCursor(cursor, rows, timeOf, recordId, overlapMs);
		// an idle poll leaves the stored cursor as it is (no static-data write), unless it is of an earlier version or
		// its keys do not cover the window of the current overlap (the overlap was changed)
		if (fresh.length || (stored as { v?: unknown }).v !== 2 || next.floor !== cursor.floor) {
			staticData[cursorKey] = next as unknown as IDataObject;
		}
		return fresh.length ? [this.helpers.returnJsonArray(fresh)] : null;
	}
}
