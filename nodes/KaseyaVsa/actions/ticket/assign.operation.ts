import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vsaRequest } from '../../transport/request';
import { ENTITIES, FEATURES, locator, locatorId } from '../common';
import { TICKET_OUTCOME_HINT } from './fields';

const show = { resource: ['ticket'], operation: ['assign'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.ticket, show),
	locator(ENTITIES.staff, show, { description: 'The staff member to assign the ticket to' }),
];

/** `PUT /automation/servicedesks/assign/{ticketId}/{staffId}` (no body); never sent twice. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const ticketId = locatorId.call(this, ENTITIES.ticket, itemIndex);
	const staffId = locatorId.call(this, ENTITIES.staff, itemIndex);
	const res = await vsaRequest.call(this, 'PUT', `/automation/servicedesks/assign/${ticketId}/${staffId}`, {
		operation: `assign ticket ${ticketId} to staff member ${staffId}`,
		idempotent: false,
		outcomeHint: TICKET_OUTCOME_HINT,
		itemIndex,
		feature: FEATURES.serviceDesk,
		notFoundHint: 'Check the ticket ID and the staff ID: one of them does not exist (or is outside the user\'s scope).',
	});
	return { ServiceDeskTicketId: ticketId, staffId, assigned: true, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
}
