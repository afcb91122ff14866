import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { getQueuesOrAll } from './methods/loadOptions';
import { envelopeRows, kaceId, kaceList, kaceRequest, recordId } from './transport';

interface EventDefinition {
	path: string;
	key: string;
	field: string;
	label: string;
	shaping?: string;
}

const EVENTS: Record<string, EventDefinition> = {
	newMachine: { path: '/api/inventory/machines', key: 'Machines', field: 'created', label: 'machines' },
	machineChanged: { path: '/api/inventory/machines', key: 'Machines', field: 'modified', label: 'machines' },
	newTicket: {
		path: '/api/service_desk/tickets',
		key: 'Tickets',
		field: 'created',
		label: 'tickets',
		shaping: 'hd_ticket all,status limited,priority limited,category limited,owner limited,submitter limited',
	},
	ticketUpdated: {
		path: '/api/service_desk/tickets',
		key: 'Tickets',
		field: 'modified',
		label: 'tickets',
		shaping: 'hd_ticket all,status limited,priority limited,category limited,owner limited,submitter limited',
	},
};

/** Most records one poll emits; the rest follow on the next poll (the cursor only moves past what was emitted). */
const MAX_PER_POLL = 5000;

interface Cursor {
	/** newest server timestamp emitted ('YYYY-MM-DD HH:MM:SS', appliance time) */
	ts: string;
	/** ids already emitted at exactly that timestamp; ['*'] = every record at it (baseline) */
	ids: string[];
}

function timestampOf(row: IDataObject, field: string): string {
	const key = Object.keys(row).find((k) => k.toLowerCase() === field.toLowerCase());
	return key ? String(row[key] ?? '') : '';
}

export class KaceSmaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Quest KACE SMA Trigger',
		name: 'kaceSmaTrigger',
		icon: { light: 'file:kace.svg', dark: 'file:kace.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when machines or service desk tickets appear or change on a Quest KACE SMA',
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
					{ name: 'Ticket Updated', value: 'ticketUpdated', description: 'A service desk ticket was modified' },
				],
				default: 'newTicket',
			},
			{
				displayName: 'Queue Name or ID',
				name: 'queueId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getQueuesOrAll' },
				displayOptions: { show: { event: ['newTicket', 'ticketUpdated'] } },
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
						description: 'Extra KACE filtering expression the records must match',
					},
					{
						displayName: 'Shaping',
						name: 'shaping',
						type: 'string',
						default: '',
						placeholder: 'e.g. machine all',
						description: 'Which fields to return',
					},
					{
						displayName: 'Timestamp Field',
						name: 'timestampField',
						type: 'string',
						default: '',
						placeholder: 'e.g. last_inventory',
						description: 'Server timestamp that marks a change (default: created for new records, modified for changes)',
					},
				],
			},
		],
	};

	methods = { loadOptions: { getQueuesOrAll } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as string;
		const definition = EVENTS[event];
		if (!definition) throw new NodeOperationError(this.getNode(), `Unknown event "${event}"`);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const field = String(options.timestampField || definition.field).trim();
		if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
			throw new NodeOperationError(this.getNode(), `Timestamp Field "${field}" is not a valid field name`);
		}
		const filters: string[] = [];
		const queue = definition.key === 'Tickets' ? (this.getNodeParameter('queueId', '') as string) : '';
		if (queue) filters.push(`hd_queue_id eq ${kaceId.call(this, queue, 'queue')}`);
		if (options.filtering) filters.push(String(options.filtering));
		const shaping = String(options.shaping || definition.shaping || '');
		const base = { ...(shaping ? { shaping } : {}) };

		const newest = async (): Promise<IDataObject | undefined> => {
			const body = await kaceRequest.call(this, 'GET', definition.path, {
				query: {
					...base,
					...(filters.length ? { filtering: filters.join(',') } : {}),
					sorting: `${field} desc,id desc`,
					paging: 'limit 1',
					use_count: 'false',
				},
				operation: `read the newest ${definition.label}`,
			});
			return envelopeRows(body, definition.key)[0];
		};

		if (this.getMode() === 'manual') {
			// "Fetch test event": a sample, and the cursor stays where it is
			const sample = await newest();
			return sample ? [this.helpers.returnJsonArray([sample])] : null;
		}

		const staticData = this.getWorkflowStaticData('node');
		const cursorKey = `${event}:${field}:${queue}:${String(options.filtering ?? '')}`;
		const cursor = staticData[cursorKey] as Cursor | undefined;
		if (!cursor) {
			// first poll after activation: remember where the appliance is, emit nothing
			const row = await newest();
			staticData[cursorKey] = { ts: row ? timestampOf(row, field) : '0000-00-00 00:00:00', ids: ['*'] } as Cursor;
			return null;
		}

		const rows = await kaceList.call(
			this,
			definition.path,
			definition.key,
			{ ...base, filtering: [...filters, `${field} ge ${cursor.ts}`].join(','), sorting: `${field} asc,id asc` },
			{ returnAll: false, limit: MAX_PER_POLL, operation: `poll for ${definition.label}` },
		);
		const atCursor = new Set(cursor.ids);
		const fresh = rows.filter((row) => {
			const ts = timestampOf(row, field);
			if (ts > cursor.ts) return true;
			return ts === cursor.ts && !atCursor.has('*') && !atCursor.has(recordId(row) ?? '');
		});
		if (!fresh.length) return null;
		const maxTs = fresh.reduce((m, r) => (timestampOf(r, field) > m ? timestampOf(r, field) : m), cursor.ts);
		const idsAtMax = rows.filter((r) => timestampOf(r, field) === maxTs).map((r) => recordId(r) ?? '');
		staticData[cursorKey] = {
			ts: maxTs,
			ids: maxTs === cursor.ts ? [...new Set([...cursor.ids, ...idsAtMax])] : idsAtMax,
		} as Cursor;
		return [this.helpers.returnJsonArray(fresh)];
	}
}
