import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { toNodeError } from '../../../shared/errors';
import { kaceRequest } from '../../transport';

/**
 * Writes fields of a ticket. Clients disagree on the method (PUT in KaceSMA, POST on 10.0 per the XSOAR
 * integration): PUT first, and POST to the same route only when the appliance answers 405 (it did not apply the PUT).
 */
export async function writeTicket(
	this: IExecuteFunctions,
	id: string,
	record: IDataObject,
	options: { operation: string; idempotent: boolean; outcomeHint?: string; itemIndex: number },
): Promise<IDataObject> {
	const request = { body: { Tickets: [record] }, ...options };
	try {
		return ((await kaceRequest.call(this, 'PUT', `/api/service_desk/tickets/${id}`, request)) ?? {}) as IDataObject;
	} catch (error) {
		if (!(error instanceof NodeApiError) || error.httpCode !== '405') throw toNodeError(this.getNode(), error, options.itemIndex);
		return ((await kaceRequest.call(this, 'POST', `/api/service_desk/tickets/${id}`, request)) ?? {}) as IDataObject;
	}
}

/** The history of a ticket (`…/tickets/{id}/changes`), its author shaped in. */
export const CHANGES = { key: 'Changes', shaping: 'hd_ticket_change all,user limited' };
export const changesPath = (id: string) => `/api/service_desk/tickets/${id}/changes`;

/** The flat record of Simplify for a change of a ticket's history. */
export const CHANGE_SIMPLE = [
	'id',
	'timestamp',
	{ name: 'user', from: ['user.full_name', 'user.user_name'] },
	'user_id',
	'comment',
	'description',
	'owners_only',
];
