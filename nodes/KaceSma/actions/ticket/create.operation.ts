import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { kaceId, kaceRequest } from '../../transport';
import { createdRecord } from '../common/factory';
import { beforeV11, fromV11, isV11 } from '../common/versions';
import { ticketFields, ticketRecord, ticketUserFields } from './fields';

const show = { resource: ['ticket'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Queue Name or ID',
		name: 'queueId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getQueues' },
		required: true,
		displayOptions: { show },
		default: '',
		description: 'Service desk queue of the new ticket. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
	},
	// version 1.1: exactly the fields of the chosen queue (its labels, required fields, custom fields and values)
	{
		displayName: 'Fields',
		name: 'queueFields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		displayOptions: fromV11(show),
		typeOptions: {
			loadOptionsDependsOn: ['queueId'],
			resourceMapper: {
				resourceMapperMethod: 'getQueueTicketFields',
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: false,
			},
		},
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: fromV11(show),
		default: {},
		options: ticketUserFields(),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: beforeV11(show),
		default: {},
		options: ticketFields(false),
	},
];

/** POST /api/service_desk/tickets {"Tickets":[…]} → {"Result":"Success","IDs":[n]}, then reads the ticket back. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const queueId = kaceId.call(this, this.getNodeParameter('queueId', itemIndex), 'queue', itemIndex);
	const title = String(this.getNodeParameter('title', itemIndex)).trim();
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const mapped = isV11.call(this) ? ((this.getNodeParameter('queueFields', itemIndex, {}) as IDataObject).value as IDataObject | null) : undefined;
	const record = ticketRecord.call(this, { ...(mapped ?? {}), ...additional }, itemIndex);
	const body = (await kaceRequest.call(this, 'POST', '/api/service_desk/tickets', {
		body: { Tickets: [{ ...record, title, hd_queue_id: Number(queueId) }] },
		operation: 'create a ticket',
		idempotent: false,
		outcomeHint: `Search queue ${queueId} for a ticket titled "${title}" before creating it again.`,
		itemIndex,
	})) as IDataObject;
	return await createdRecord.call(this, body, 'ticket', itemIndex);
}
