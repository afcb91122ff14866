import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { AUDIT_RESULT_CAP } from '../../transport/paging';
import { sessionKeyLocator } from '../common';
import { EVENT_SIMPLE, simplifyFor } from '../simplify';
import { sessionSubList } from './get.operation';

export const description: INodeProperties[] = [
	sessionKeyLocator('auditSession', 'getEvents'),
	...returnAllOrLimit('auditSession', 'getEvents', AUDIT_RESULT_CAP),
	...simplifyFor('auditSession', 'getEvents'),
];

/** GET /api/audit/sessions/<key>/events, paged (limit ≤ 500, offset): one item per event. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await sessionSubList.call(this, itemIndex, 'events', EVENT_SIMPLE);
}
