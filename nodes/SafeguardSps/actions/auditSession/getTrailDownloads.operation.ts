import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { AUDIT_RESULT_CAP } from '../../transport/paging';
import { sessionKeyLocator } from '../common';
import { simplifyFor, TRAIL_DOWNLOAD_SIMPLE } from '../simplify';
import { sessionSubList } from './get.operation';

export const description: INodeProperties[] = [
	sessionKeyLocator('auditSession', 'getTrailDownloads'),
	...returnAllOrLimit('auditSession', 'getTrailDownloads', AUDIT_RESULT_CAP),
	...simplifyFor('auditSession', 'getTrailDownloads'),
];

/**
 * Who downloaded the recording: GET /api/audit/sessions/<key>/trail_downloads, paged (limit ≤ 500, offset). One
 * item per download: username, ip_address, time, from_api. Its entries carry no id: the pager tells them apart by
 * their whole content (two downloads by the same user from the same address in the same second are one).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await sessionSubList.call(this, itemIndex, 'trail_downloads', TRAIL_DOWNLOAD_SIMPLE);
}
