import type { IDataObject, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { envelopeRows, kaceRequest } from '../transport';
import type { QueueValue } from './loadOptions';
import { QUEUE_VALUES, queueValues, readQueueWithValues } from './loadOptions';

/** Ticket fields the Create operation asks for in parameters of their own (title, queue, owner/submitter pickers). */
const OWN_PARAMETERS = new Set(['title', 'hd_queue_id', 'queue', 'owner', 'submitter']);

/** A value the queue's ticket template fills in (so the field is not required of the user). */
function filled(value: unknown): boolean {
	if (value === undefined || value === null || value === '' || value === 0 || value === '0000-00-00 00:00:00') return false;
	if (typeof value === 'object') return Object.keys(value).length > 0;
	return true;
}

/**
 * The fields of a new ticket in the chosen queue (Create, node version 1.1): the queue's own field list
 * (`GET /api/service_desk/queues/{id}/fields`: its labels, which of them are required, custom_N fields), its ticket
 * template (`…/ticket_template`: a field the template fills in is not required of the user), and the queue's
 * statuses, priorities, categories and impacts as dropdowns. Three requests, one after the other.
 */
export async function getQueueTicketFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const queueId = String(this.getCurrentNodeParameter('queueId') ?? '');
	if (!/^\d+$/.test(queueId)) return { fields: [], emptyFieldsNotice: 'Choose a queue first: the fields are those of the queue.' };
	const fieldsBody = await kaceRequest.call(this, 'GET', `/api/service_desk/queues/${queueId}/fields`, {
		operation: `read the fields of queue ${queueId}`,
	});
	const templateBody = await kaceRequest.call(this, 'GET', `/api/service_desk/queues/${queueId}/ticket_template`, {
		operation: `read the ticket template of queue ${queueId}`,
	});
	const queue = await readQueueWithValues.call(this, queueId);
	const template = envelopeRows(templateBody, 'Tickets')[0] ?? {};
	const defs = [...envelopeRows(fieldsBody, 'Fields')].sort((a, b) => Number(a.ordinal ?? 0) - Number(b.ordinal ?? 0));
	const fields: ResourceMapperField[] = [];
	for (const def of defs) {
		const column = String(def.hd_ticket_field_name ?? def.name ?? '').toLowerCase();
		const key = String(def.jsonKey ?? column.replace(/_id$/, ''));
		if (!key || OWN_PARAMETERS.has(key)) continue;
		const label = String(def.field_label ?? def.name ?? key);
		const required = String(def.required_state ?? '').toLowerCase() === 'all' && !filled((template as IDataObject)[key] ?? (template as IDataObject)[column]);
		const field: ResourceMapperField = {
			id: key,
			displayName: /^custom_\d+$/.test(key) ? `${label} (${key})` : label,
			required,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: 'string',
		};
		if (key in QUEUE_VALUES) {
			field.type = 'options';
			field.options = await queueValues.call(this, queueId, key as QueueValue, queue);
		} else if (key === 'due_date') {
			field.type = 'dateTime';
		} else if (key === 'machine' || key === 'asset') {
			field.type = 'number';
			field.displayName = `${label} ID`;
		}
		fields.push(field);
	}
	return { fields };
}
