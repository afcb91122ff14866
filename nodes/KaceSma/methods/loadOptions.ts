import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { envelopeRows, kaceList, kaceRequest, recordId } from '../transport';

function options(rows: IDataObject[], nameOf: (r: IDataObject) => unknown): INodePropertyOptions[] {
	const seen = new Set<string>();
	const out: INodePropertyOptions[] = [];
	for (const row of rows) {
		const id = recordId(row);
		if (id === undefined || seen.has(id)) continue;
		seen.add(id);
		out.push({ name: String(nameOf(row) ?? id), value: id });
	}
	return out.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getQueues(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await kaceList.call(this, '/api/service_desk/queues', 'Queues', { shaping: 'queue limited' }, {
		returnAll: true,
		operation: 'list service desk queues',
	});
	return options(rows, (r) => r.name);
}

/** Queues for a filter: "All Queues" (empty value) first, so the default is a valid choice. */
export async function getQueuesOrAll(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return [{ name: 'All Queues', value: '' }, ...(await getQueues.call(this))];
}

export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await kaceList.call(this, '/api/users/users', 'Users', {}, { returnAll: true, operation: 'list users' });
	return options(rows, (r) => (r.full_name ? `${String(r.full_name)} (${String(r.user_name ?? '')})` : r.user_name));
}

/** The queue the pickers are for: the Queue parameter, or the queue of the ticket being updated. */
async function currentQueue(this: ILoadOptionsFunctions): Promise<string | undefined> {
	const queue = this.getCurrentNodeParameter('queueId');
	if (queue && /^\d+$/.test(String(queue))) return String(queue);
	const ticket = this.getCurrentNodeParameter('ticketId', { extractValue: true }) as unknown;
	const ticketId = ticket && typeof ticket === 'object' ? (ticket as IDataObject).value : ticket;
	if (!ticketId || !/^\d+$/.test(String(ticketId))) return undefined;
	// LIMITED is id + title only; ALL holds every column, the foreign key hd_queue_id included
	const body = await kaceRequest.call(this, 'GET', `/api/service_desk/tickets/${String(ticketId)}`, {
		query: { shaping: 'hd_ticket all' },
		operation: `read ticket ${String(ticketId)}`,
	});
	const row = envelopeRows(body, 'Tickets')[0];
	return row?.hd_queue_id !== undefined ? String(row.hd_queue_id) : undefined;
}

/**
 * A queue's statuses/priorities/categories/impacts. Reading 1 (what the simulator follows): the queue record
 * shaped with `status limited,priority limited,…` carries arrays `Statuses`, `Priorities`, `Categories`,
 * `Impacts`. Reading 2 (fallback, when those arrays are absent): the distinct values used by the queue's tickets.
 */
async function queueChoices(this: ILoadOptionsFunctions, plural: string, singular: string): Promise<INodePropertyOptions[]> {
	const queueId = await currentQueue.call(this);
	if (!queueId) return [];
	const body = await kaceRequest.call(this, 'GET', `/api/service_desk/queues/${queueId}`, {
		query: { shaping: 'queue all,status limited,priority limited,category limited,impact limited' },
		operation: `read queue ${queueId}`,
	});
	const queue = envelopeRows(body, 'Queues')[0] ?? {};
	const direct = Object.entries(queue).find(([k, v]) => k.toLowerCase() === plural.toLowerCase() && Array.isArray(v));
	if (direct) return options(direct[1] as IDataObject[], (r) => r.name);
	const tickets = await kaceList.call(
		this,
		'/api/service_desk/tickets',
		'Tickets',
		{ filtering: `hd_queue_id eq ${queueId}`, shaping: `hd_ticket limited,${singular} limited` },
		{ returnAll: false, limit: 1000, operation: `read the ${plural.toLowerCase()} used in queue ${queueId}` },
	);
	return options(
		tickets.map((t) => t[singular]).filter((v): v is IDataObject => !!v && typeof v === 'object'),
		(r) => r.name,
	);
}

export async function getStatuses(this: ILoadOptionsFunctions) {
	return await queueChoices.call(this, 'Statuses', 'status');
}
export async function getPriorities(this: ILoadOptionsFunctions) {
	return await queueChoices.call(this, 'Priorities', 'priority');
}
export async function getCategories(this: ILoadOptionsFunctions) {
	return await queueChoices.call(this, 'Categories', 'category');
}
export async function getImpacts(this: ILoadOptionsFunctions) {
	return await queueChoices.call(this, 'Impacts', 'impact');
}
