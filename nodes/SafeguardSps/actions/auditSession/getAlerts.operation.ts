import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { AUDIT_RESULT_CAP } from '../../transport/paging';
import { sessionKeyProperty, sessionSubList } from './get.operation';

export const description: INodeProperties[] = [sessionKeyProperty('getAlerts'), ...returnAllOrLimit('auditSession', 'getAlerts', AUDIT_RESULT_CAP)];

/** GET /api/audit/sessions/<key>/alerts, paged (limit ≤ 500, offset): one item per entry. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await sessionSubList.call(this, itemIndex, 'alerts');
}
