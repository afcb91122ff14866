import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyProperties } from '../../../shared/simplify';
import { vsaList } from '../../transport/list';
import { ENTITIES, FEATURES, listFields, listQuery, locatorId } from '../common';
import { simplified } from '../simple';
import { TICKET_FILTER_FIELDS, deskLocator } from './fields';

const show = { resource: ['ticket'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	deskLocator(show, 'The service desk whose tickets to get (the VSA lists tickets per service desk)'),
	...listFields(show, TICKET_FILTER_FIELDS, 'e.g. CreatedDate desc', 'TicketStatus'),
	...simplifyProperties(show),
];

/** Tickets of one service desk: `GET /automation/servicedesks/{id}/tickets` (a bare list of all tickets is 403 on some builds). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const deskId = locatorId.call(this, ENTITIES.serviceDesk, itemIndex);
	const query = listQuery.call(this, itemIndex, TICKET_FILTER_FIELDS);
	const { rows } = await vsaList.call(this, `/automation/servicedesks/${deskId}/tickets`, {
		...query,
		idField: 'ServiceDeskTicketId',
		operation: `get many tickets of service desk ${deskId}`,
		itemIndex,
		feature: FEATURES.serviceDesk,
		notFoundHint: 'Check the service desk ID (Get Many service desks lists them).',
	});
	return simplified.call(this, itemIndex, rows, 'ticket');
}
