import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { ASSET_TYPES } from '../actions/asset/getTypes.operation';
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

export async function getAssetTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await kaceList.call(this, ASSET_TYPES.path, ASSET_TYPES.key, {}, {
		returnAll: true,
		operation: 'list asset types',
		unverified: ASSET_TYPES.unverified,
	});
	return options(rows, (r) => r.name);
}

/** The id of a record locator parameter of the node being edited, when it holds one. */
function currentLocatorId(this: ILoadOptionsFunctions, name: string): string | undefined {
	const raw = this.getCurrentNodeParameter(name, { extractValue: true }) as unknown;
	const id = raw && typeof raw === 'object' ? (raw as IDataObject).value : raw;
	return id !== undefined && id !== null && /^\d+$/.test(String(id)) ? String(id) : undefined;
}

/**
 * The custom fields (field_NNNNN) of the asset type chosen (create) or of the asset's type (update). KACE's API
 * has no route that describes an asset type's fields; an asset read at shaping ALL carries the fields of its type,
 * so one asset of the type is read (its values are shown as examples). A type without any asset yet offers
 * nothing: the field name (field_NNNNN, see the asset type in the console) can then be given as an expression.
 */
export async function getAssetFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	let typeId = this.getCurrentNodeParameter('assetTypeId') as string | undefined;
	if (!typeId || !/^\d+$/.test(String(typeId))) {
		const assetId = currentLocatorId.call(this, 'assetId');
		if (!assetId) return [];
		const body = await kaceRequest.call(this, 'GET', `/api/asset/assets/${assetId}`, { operation: `read asset ${assetId}` });
		const asset = envelopeRows(body, 'Assets')[0];
		typeId = asset?.asset_type_id !== undefined ? String(asset.asset_type_id) : undefined;
		if (!typeId) return [];
	}
	const body = await kaceRequest.call(this, 'GET', '/api/asset/assets', {
		query: { filtering: `asset_type_id eq ${String(typeId)}`, shaping: 'asset all', paging: 'limit 1', use_count: 'false' },
		operation: `read an asset of type ${String(typeId)}`,
	});
	const sample = envelopeRows(body, 'Assets')[0] ?? {};
	return Object.keys(sample)
		.filter((key) => /^field_\d+$/.test(key))
		.map((key) => {
			const example = sample[key];
			const shown = example === undefined || example === null || example === '' || typeof example === 'object' ? '' : ` (e.g. ${String(example).slice(0, 40)})`;
			return { name: `${key}${shown}`, value: key };
		});
}

export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const rows = await kaceList.call(this, '/api/users/users', 'Users', {}, { returnAll: true, operation: 'list users' });
	return options(rows, (r) => (r.full_name ? `${String(r.full_name)} (${String(r.user_name ?? '')})` : r.user_name));
}

/** The queue the pickers are for: the Queue parameter, or the queue of the ticket being updated. */
async function currentQueue(this: ILoadOptionsFunctions): Promise<string | undefined> {
	const queue = this.getCurrentNodeParameter('queueId');
	if (queue && /^\d+$/.test(String(queue))) return String(queue);
	const ticketId = currentLocatorId.call(this, 'ticketId');
	if (!ticketId) return undefined;
	// LIMITED is id + title only; ALL holds every column, the foreign key hd_queue_id included
	const body = await kaceRequest.call(this, 'GET', `/api/service_desk/tickets/${String(ticketId)}`, {
		query: { shaping: 'hd_ticket all' },
		operation: `read ticket ${String(ticketId)}`,
	});
	const row = envelopeRows(body, 'Tickets')[0];
	return row?.hd_queue_id !== undefined ? String(row.hd_queue_id) : undefined;
}

/** The four lists of values a ticket takes from its queue: the plural the queue record uses, the ticket's field. */
export const QUEUE_VALUES = { status: 'Statuses', priority: 'Priorities', category: 'Categories', impact: 'Impacts' } as const;
export type QueueValue = keyof typeof QUEUE_VALUES;

/** A queue record with its statuses, priorities, categories and impacts (reading 1 below). */
export async function readQueueWithValues(this: ILoadOptionsFunctions, queueId: string): Promise<IDataObject> {
	const body = await kaceRequest.call(this, 'GET', `/api/service_desk/queues/${queueId}`, {
		query: { shaping: 'queue all,status limited,priority limited,category limited,impact limited' },
		operation: `read queue ${queueId}`,
	});
	return envelopeRows(body, 'Queues')[0] ?? {};
}

/**
 * A queue's statuses/priorities/categories/impacts. Reading 1 (what the simulator follows): the queue record
 * shaped with `status limited,priority limited,…` carries arrays `Statuses`, `Priorities`, `Categories`,
 * `Impacts`. Reading 2 (fallback, when those arrays are absent): the distinct values used by the queue's tickets.
 */
export async function queueValues(this: ILoadOptionsFunctions, queueId: string, singular: QueueValue, queue: IDataObject): Promise<INodePropertyOptions[]> {
	const plural = QUEUE_VALUES[singular];
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

async function queueChoices(this: ILoadOptionsFunctions, singular: QueueValue): Promise<INodePropertyOptions[]> {
	const queueId = await currentQueue.call(this);
	if (!queueId) return [];
	return await queueValues.call(this, queueId, singular, await readQueueWithValues.call(this, queueId));
}

export async function getStatuses(this: ILoadOptionsFunctions) {
	return await queueChoices.call(this, 'status');
}
export async function getPriorities(this: ILoadOptionsFunctions) {
	return await queueChoices.call(this, 'priority');
}
export async function getCategories(this: ILoadOptionsFunctions) {
	return await queueChoices.call(this, 'category');
}
export async function getImpacts(this: ILoadOptionsFunctions) {
	return await queueChoices.call(this, 'impact');
}
