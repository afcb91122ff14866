import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { spsRequest } from '../../transport/request';
import { healthMetrics } from '../../transport/health';
import { HEALTH_SIMPLE, simplifyFor, simplifyOut } from '../simplify';

export const description: INodeProperties[] = [...simplifyFor('system', 'getHealth')];

/** GET /api/health_status, plus cpu/memory/disk as percentages (see transport/health.ts for the scale). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'health_status', operation: 'get the health status', itemIndex });
	const health = ((res.health_status ?? res.body ?? {}) as IDataObject) || {};
	return simplifyOut.call(this, itemIndex, [{ ...health, percent: healthMetrics(health, 'auto') as unknown as IDataObject }], HEALTH_SIMPLE);
}
