import type { INodeProperties } from 'n8n-workflow';

import type { BuilderField, Show } from '../common';
import { ENTITIES, FEATURES, locator } from '../common';

/** Filterable ticket fields (PsKaseya's KTicket, kaseya-vsa.md §5.10) offered in the filter builder. */
export const TICKET_FILTER_FIELDS: BuilderField[] = [
	{ name: 'Assignee', value: 'Assignee', kind: 'text' },
	{ name: 'Category', value: 'Category', kind: 'text' },
	{ name: 'Organization', value: 'Organization', kind: 'text' },
	{ name: 'Owner', value: 'Owner', kind: 'text' },
	{ name: 'Priority', value: 'Priority', kind: 'text' },
	{ name: 'Severity', value: 'Severity', kind: 'text' },
	{ name: 'Stage', value: 'Stage', kind: 'text' },
	{ name: 'Status', value: 'TicketStatus', kind: 'text' },
	{ name: 'Submitter', value: 'Submitter', kind: 'text' },
	{ name: 'Submitter Email', value: 'SubmitterEmail', kind: 'text' },
	{ name: 'Summary', value: 'Summary', kind: 'text' },
	{ name: 'Ticket ID', value: 'ServiceDeskTicketId', kind: 'id' },
	{ name: 'Ticket Reference', value: 'TicketRef', kind: 'text' },
];

export const SERVICE_DESK_FEATURE = FEATURES.serviceDesk;

/** The service desk picker; statuses, priorities, categories and custom fields are read from it. */
export function deskLocator(show: Show, description = 'The service desk of the ticket'): INodeProperties {
	return locator(ENTITIES.serviceDesk, show, { description });
}

/** A dropdown read from the chosen service desk. */
export function deskOption(displayName: string, name: string, method: string, what: string, extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName,
		name,
		type: 'options',
		typeOptions: { loadOptionsMethod: method, loadOptionsDependsOn: ['serviceDeskId.value'] },
		default: '',
		description: `${what}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		...extra,
	};
}

export const TICKET_OUTCOME_HINT = 'Check the ticket in VSA (Service Desk > Tickets) before sending the change again.';

/** The 404 hint of the ticket routes (the route itself missing is FEATURES.serviceDesk). */
export const TICKET_NOT_FOUND =
	'Check the ticket ID (copy it from a Get Many result): the ticket may have been deleted, or be outside the user\'s scope.';
