import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { vsaRequest } from '../../transport/request';
import { ENTITIES, FEATURES, locatorId, vsaId } from '../common';
import { deskLocator, deskOption } from './fields';

const show = { resource: ['ticket'], operation: ['create'] };

export const description: INodeProperties[] = [
	deskLocator(show, 'The service desk to create the ticket in'),
	{
		displayName: 'Summary',
		name: 'summary',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show },
		description: 'The ticket title',
	},
	deskOption('Priority Name or ID', 'priority', 'getTicketPriorities', 'Priority of the ticket, from the service desk', {
		required: true,
		displayOptions: { show },
	}),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Assignee Name or ID',
				name: 'assignee',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getStaff' },
				default: '',
				description:
					'Staff member the ticket is assigned to. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			deskOption('Category Name or ID', 'category', 'getTicketCategories', 'Category, from the service desk'),
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
			},
			{
				displayName: 'Severity',
				name: 'severity',
				type: 'string',
				default: '',
				placeholder: 'e.g. High',
			},
			deskOption('Status Name or ID', 'status', 'getTicketStatuses', 'Initial status, from the service desk (empty: the desk\'s default)'),
			{
				displayName: 'Submitter Email',
				name: 'submitterEmail',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			{
				displayName: 'Submitter Name',
				name: 'submitterName',
				type: 'string',
				default: '',
			},
		],
	},
];

/**
 * `POST /automation/servicedesktickets/{serviceDeskId}/ticket` with {Summary, Description, Priority, Status,
 * Category, Severity, Assignee, SubmitterName, SubmitterEmail} (ids as strings: they can have 26 digits). One
 * ticket per input item; never sent twice.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const deskId = locatorId.call(this, ENTITIES.serviceDesk, itemIndex);
	const summary = String(this.getNodeParameter('summary', itemIndex, '') ?? '').trim();
	if (!summary) throw new NodeOperationError(this.getNode(), 'The Summary is empty', { itemIndex, description: 'A Service Desk ticket needs a summary.' });
	const priority = vsaId.call(this, this.getNodeParameter('priority', itemIndex, ''), 'priority', itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { Summary: summary, Priority: priority };
	const idFields: Array<[string, string, string]> = [
		['status', 'Status', 'status'],
		['category', 'Category', 'category'],
		['assignee', 'Assignee', 'staff member'],
	];
	for (const [param, key, what] of idFields) {
		if (fields[param] !== undefined && fields[param] !== '') body[key] = vsaId.call(this, fields[param], what, itemIndex);
	}
	const texts: Array<[string, string]> = [
		['description', 'Description'],
		['severity', 'Severity'],
		['submitterName', 'SubmitterName'],
		['submitterEmail', 'SubmitterEmail'],
	];
	for (const [param, key] of texts) {
		if (typeof fields[param] === 'string' && fields[param]) body[key] = fields[param];
	}
	const res = await vsaRequest.call(this, 'POST', `/automation/servicedesktickets/${deskId}/ticket`, {
		body,
		operation: `create a ticket in service desk ${deskId}`,
		idempotent: false,
		outcomeHint: 'Check the service desk in VSA (Service Desk > Tickets) for the new ticket before creating it again.',
		itemIndex,
		feature: FEATURES.serviceDesk,
		notFoundHint: 'Check the service desk ID (Get Many service desks lists them).',
	});
	const result = res.body?.Result;
	// the created ticket, or only its id (both forms are seen in clients; UNVERIFIED which builds send which)
	if (result && typeof result === 'object' && !Array.isArray(result)) return { ...(result as IDataObject), created: true };
	const id = result === undefined || result === null || typeof result === 'boolean' ? undefined : String(result as string | number);
	return { ServiceDeskTicketId: id ?? null, ServiceDeskId: deskId, Summary: summary, created: true };
}

