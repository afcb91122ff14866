import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { AUDIT_RESULT_CAP } from '../../transport/paging';
import { sessionKeyLocator } from '../common';
import { ALERT_SIMPLE, simplifyFor } from '../simplify';
import { sessionSubList } from './get.operation';

export const description: INodeProperties[] = [
	sessionKeyLocator('auditSession', 'getAlerts'),
	...returnAllOrLimit('auditSession', 'getAlerts', AUDIT_RESULT_CAP),
	...simplifyFor('auditSession', 'getAlerts'),
];

/** GET /api/audit/sessions/<key>/alerts, paged (limit ≤ 500, offset): one item per alert. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await sessionSubList.call(this, itemIndex, 'alerts', ALERT_SIMPLE);
}
