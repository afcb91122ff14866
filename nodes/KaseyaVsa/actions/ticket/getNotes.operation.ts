import { ENTITIES, FEATURES, locator, locatorId } from '../common';
import { getManyOperation } from '../factory';
import { TICKET_NOT_FOUND } from './fields';

const show = { resource: ['ticket'], operation: ['getNotes'] };

const op = getManyOperation({
	resource: 'ticket',
	operation: 'getNotes',
	before: [locator(ENTITIES.ticket, show)],
	plural(itemIndex) {
		return `get the notes of ticket ${locatorId.call(this, ENTITIES.ticket, itemIndex)}`;
	},
	path(itemIndex) {
		return `/automation/servicedesktickets/${locatorId.call(this, ENTITIES.ticket, itemIndex)}/notes`;
	},
	// NoteId as the notes' id is UNVERIFIED: a VSA without it refuses the sort, and the read goes on without it
	key: { idField: 'NoteId' },
	sortHint: 'e.g. Timestamp desc',
	feature: FEATURES.serviceDesk,
	notFoundHint: TICKET_NOT_FOUND,
	decorate(itemIndex, row) {
		return { ServiceDeskTicketId: locatorId.call(this, ENTITIES.ticket, itemIndex), ...row };
	},
});

export const description = op.description;
export const execute = op.execute!;
