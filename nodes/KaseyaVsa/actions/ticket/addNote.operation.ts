import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { vsaRequest } from '../../transport/request';
import { ENTITIES, FEATURES, locator, locatorId, noteField, optionsCollection } from '../common';
import { TICKET_NOT_FOUND } from './fields';

const show = { resource: ['ticket'], operation: ['addNote'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.ticket, show),
	noteField(show),
	optionsCollection(show, [
		{
			displayName: 'Hidden',
			name: 'hidden',
			type: 'boolean',
			default: false,
			description: "Whether the note is hidden from the ticket's submitter (an internal note)",
		},
		{
			displayName: 'System Note',
			name: 'systemFlag',
			type: 'boolean',
			default: false,
			description: 'Whether the note is owned by the system instead of the VSA user of the credential',
		},
	]),
];

/** `POST /automation/servicedesktickets/{ticketId}/notes` with {"Text", "Hidden", "SystemFlag"}; never sent twice. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const ticketId = locatorId.call(this, ENTITIES.ticket, itemIndex);
	const text = String(this.getNodeParameter('note', itemIndex, '') ?? '');
	if (!text.trim()) throw new NodeOperationError(this.getNode(), 'The note is empty', { itemIndex });
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body = { Text: text, Hidden: options.hidden === true, SystemFlag: options.systemFlag === true };
	const res = await vsaRequest.call(this, 'POST', `/automation/servicedesktickets/${ticketId}/notes`, {
		body,
		operation: `add a note to ticket ${ticketId}`,
		idempotent: false,
		outcomeHint: "Check the ticket's notes in VSA (or with Get Notes) before adding the note again.",
		itemIndex,
		feature: FEATURES.serviceDesk,
		notFoundHint: TICKET_NOT_FOUND,
	});
	return { ServiceDeskTicketId: ticketId, added: true, ...body, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
}
