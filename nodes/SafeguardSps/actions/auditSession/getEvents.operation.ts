import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { AUDIT_RESULT_CAP, pageAuditList } from '../../transport/paging';
import { wanted } from '../common';
import { sessionKey, sessionKeyProperty } from './get.operation';

export const description: INodeProperties[] = [sessionKeyProperty('getEvents'), ...returnAllOrLimit('auditSession', 'getEvents', AUDIT_RESULT_CAP)];

/** GET /api/audit/sessions/<key>/events, paged (limit ≤ 500, offset): one item per entry. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const key = sessionKey.call(this, itemIndex);
	const listed = await pageAuditList.call(
		this,
		`audit/sessions/${encodeURIComponent(key)}/events`,
		{},
		wanted.call(this, itemIndex),
		'list the session events',
		itemIndex,
	);
	return listed.items.map((entry) => ({ sessionKey: key, ...entry }));
}
