import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { vsaRequest } from '../../transport/request';
import { ENTITIES, FEATURES, locator, locatorId, vsaId } from '../common';
import { TICKET_NOT_FOUND, TICKET_OUTCOME_HINT, deskLocator, deskOption } from './fields';

const show = { resource: ['ticket'], operation: ['update'] };

export const description: INodeProperties[] = [
	deskLocator(show, 'The service desk of the ticket (its statuses, priorities and custom fields are offered below)'),
	locator(ENTITIES.ticket, show),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Custom Fields',
				name: 'customFields',
				type: 'fixedCollection',
				placeholder: 'Add Custom Field',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						displayName: 'Custom Field',
						name: 'field',
						values: [
							deskOption('Field Name or ID', 'id', 'getTicketCustomFields', 'Custom field of the service desk'),
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			deskOption('Priority Name or ID', 'priority', 'getTicketPriorities', 'New priority, from the service desk'),
			deskOption('Status Name or ID', 'status', 'getTicketStatuses', 'New status, from the service desk'),
		],
	},
];

interface Change {
	what: string;
	path: string;
	body?: string;
}

/**
 * One request per change, in this order: `PUT …/servicedesktickets/{id}/status/{statusId}`, `…/priority/{priorityId}`,
 * then `…/customfields/{fieldId}` with the value as a bare JSON string (as Kaseya's VSAModule sends it). A change is
 * never sent twice; if one fails, the error says which changes the VSA had already made.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	locatorId.call(this, ENTITIES.serviceDesk, itemIndex);
	const ticketId = locatorId.call(this, ENTITIES.ticket, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes: Change[] = [];
	const updated: IDataObject = {};
	if (fields.status !== undefined && fields.status !== '') {
		const id = vsaId.call(this, fields.status, 'status', itemIndex);
		changes.push({ what: 'status', path: `status/${id}` });
		updated.status = id;
	}
	if (fields.priority !== undefined && fields.priority !== '') {
		const id = vsaId.call(this, fields.priority, 'priority', itemIndex);
		changes.push({ what: 'priority', path: `priority/${id}` });
		updated.priority = id;
	}
	const custom = ((fields.customFields as IDataObject | undefined)?.field as IDataObject[] | undefined) ?? [];
	const customValues: IDataObject = {};
	for (const row of custom) {
		const id = vsaId.call(this, row.id, 'custom field', itemIndex);
		const value = String(row.value ?? '');
		changes.push({ what: `custom field ${id}`, path: `customfields/${id}`, body: JSON.stringify(value) });
		customValues[id] = value;
	}
	if (Object.keys(customValues).length) updated.customFields = customValues;
	if (!changes.length) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			itemIndex,
			description: 'Add a status, a priority or a custom field under Update Fields.',
		});
	}
	const done: string[] = [];
	for (const change of changes) {
		let failure: unknown;
		try {
			await vsaRequest.call(this, 'PUT', `/automation/servicedesktickets/${ticketId}/${change.path}`, {
				...(change.body !== undefined ? { body: change.body } : {}),
				operation: `set the ${change.what} of ticket ${ticketId}`,
				idempotent: false,
				outcomeHint: TICKET_OUTCOME_HINT,
				itemIndex,
				feature: FEATURES.serviceDesk,
				notFoundHint: TICKET_NOT_FOUND,
			});
		} catch (error) {
			failure = error ?? new NodeOperationError(this.getNode(), `Setting the ${change.what} of ticket ${ticketId} failed`, { itemIndex });
		}
		if (failure !== undefined) {
			// what the VSA already did stays done: say so, so that nobody sends those changes again blindly
			if (done.length && typeof failure === 'object') {
				const e = failure as { description?: string };
				e.description = `${e.description ? `${e.description} ` : ''}Already changed on the ticket before this failed: ${done.join(', ')}.`;
			}
			throw failure;
		}
		done.push(change.what);
	}
	return { ServiceDeskTicketId: ticketId, updated };
}
