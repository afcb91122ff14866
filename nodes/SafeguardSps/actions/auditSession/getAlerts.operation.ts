import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { AUDIT_RESULT_CAP, pageAuditList } from '../../transport/paging';
import { wanted } from '../common';
import { sessionKey, sessionKeyProperty } from './get.operation';

export const description: INodeProperties[] = [sessionKeyProperty('getAlerts'), ...returnAllOrLimit('auditSession', 'getAlerts', AUDIT_RESULT_CAP)];

/** GET /api/audit/sessions/<key>/alerts, paged (limit ≤ 500, offset): one item per entry. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const key = sessionKey.call(this, itemIndex);
	const listed = await pageAuditList.call(
		this,
		`audit/sessions/${encodeURIComponent(key)}/alerts`,
		{},
		wanted.call(this, itemIndex),
		'list the session alerts',
		itemIndex,
	);
	return listed.items.map((entry) => ({ sessionKey: key, ...entry }));
}
