import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ENTITIES } from '../common/entities';
import { locatorId, recordLocator } from '../common/fields';
import { beforeV11, fromV11 } from '../common/versions';
import { ticketFields, ticketRecord } from './fields';
import { writeTicket } from './write';

const show = { resource: ['ticket'], operation: ['update'] };

export const description: INodeProperties[] = [
	recordLocator(ENTITIES.ticket, show),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: fromV11(show),
		default: {},
		options: ticketFields(true, true),
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: beforeV11(show),
		default: {},
		options: ticketFields(true),
	},
];

/** Updates a ticket (PUT, or POST where the appliance answers 405: see writeTicket). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorId.call(this, ENTITIES.ticket, itemIndex);
	const record = ticketRecord.call(this, this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, itemIndex);
	if (!Object.keys(record).length) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update: add at least one field under Update Fields', { itemIndex });
	}
	const response = await writeTicket.call(this, id, record, { operation: `update ticket ${id}`, idempotent: true, itemIndex });
	return { id: Number(id), updated: Object.keys(record), response };
}
