import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { kaceRequest } from '../../transport';
import { ENTITIES } from '../common/entities';
import { locatorId, recordLocator } from '../common/fields';

export const description: INodeProperties[] = [recordLocator(ENTITIES.ticket, { resource: ['ticket'], operation: ['delete'] })];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorId.call(this, ENTITIES.ticket, itemIndex);
	const response = await kaceRequest.call(this, 'DELETE', `/api/service_desk/tickets/${id}`, {
		operation: `delete ticket ${id}`,
		idempotent: false,
		outcomeHint: `Open ticket ${id} in the KACE console to see whether it still exists.`,
		itemIndex,
	});
	return { id: Number(id), deleted: true, response: response ?? {} };
}
