import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../../shared/errors';

import { kaceRequest } from '../../transport';
import { ENTITIES } from '../common/entities';
import { locatorId, recordLocator } from '../common/fields';
import { ticketFields, ticketRecord } from './fields';

const show = { resource: ['ticket'], operation: ['update'] };

export const description: INodeProperties[] = [
	recordLocator(ENTITIES.ticket, show),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: { show },
		default: {},
		options: ticketFields(true),
	},
];

/**
 * Updates a ticket. Clients disagree on the method (PUT in KaceSMA, POST on 10.0 per the XSOAR integration):
 * PUT first, and POST to the same route only when the appliance answers 405 (it did not apply the PUT).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorId.call(this, ENTITIES.ticket, itemIndex);
	const record = ticketRecord.call(this, this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, itemIndex);
	if (!Object.keys(record).length) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update: add at least one field under Update Fields', { itemIndex });
	}
	const request = { body: { Tickets: [record] }, operation: `update ticket ${id}`, idempotent: true, itemIndex };
	let response: IDataObject;
	try {
		response = (await kaceRequest.call(this, 'PUT', `/api/service_desk/tickets/${id}`, request)) as IDataObject;
	} catch (error) {
		if (!(error instanceof NodeApiError) || error.httpCode !== '405') throw toNodeError(this.getNode(), error, itemIndex);
		response = (await kaceRequest.call(this, 'POST', `/api/service_desk/tickets/${id}`, request)) as IDataObject;
	}
	return { id: Number(id), updated: Object.keys(record), response: response ?? {} };
}
