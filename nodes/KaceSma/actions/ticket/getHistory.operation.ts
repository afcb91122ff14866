import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENTITIES } from '../common/entities';
import { readList } from '../common/factory';
import { listQueryFields, locatorId, recordLocator } from '../common/fields';
import { simplified } from '../common/simple';
import { CHANGE_SIMPLE, CHANGES, changesPath } from './write';

const show = { resource: ['ticket'], operation: ['getHistory'] };

export const description: INodeProperties[] = [recordLocator(ENTITIES.ticket, show), ...listQueryFields('ticket', 'getHistory', 'change')];

/** GET /api/service_desk/tickets/{id}/changes: every change of the ticket (creation, field changes, comments), oldest first. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = locatorId.call(this, ENTITIES.ticket, itemIndex);
	const rows = await readList.call(this, itemIndex, { path: changesPath(id), key: CHANGES.key, shaping: CHANGES.shaping, operation: `get the history of ticket ${id}` });
	return simplified.call(this, itemIndex, rows, CHANGE_SIMPLE);
}
