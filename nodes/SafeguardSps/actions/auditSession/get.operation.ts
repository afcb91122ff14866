import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { warnInOutput } from '../../../shared/hints';
import { pageAuditList, shortfallWarning } from '../../transport/paging';
import { flatten, spsRequest } from '../../transport/request';
import { showFor, wanted } from '../common';

export const sessionKeyProperty = (operation: string): INodeProperties => ({
	displayName: 'Session Key',
	name: 'sessionKey',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'rUhhQZ3jYsY1NDWYp9DEpq',
	description: 'The key of the audit session (the key field of Audit Session → Search)',
	displayOptions: showFor('auditSession', operation),
});

export const description: INodeProperties[] = [sessionKeyProperty('get')];

export function sessionKey(this: IExecuteFunctions, itemIndex: number): string {
	const key = String(this.getNodeParameter('sessionKey', itemIndex, '') ?? '').trim();
	if (!key) throw new NodeOperationError(this.getNode(), 'Enter the audit session key', { itemIndex });
	if (key.includes('/')) {
		throw new NodeOperationError(this.getNode(), `"${key}" looks like a recording session ID, not an audit session key`, {
			itemIndex,
			description: 'Use the key field from Audit Session → Search (recording session IDs like svc/…:12 are for Active Session → Terminate).',
		});
	}
	return key;
}

/** GET /api/audit/sessions/<key>: the full session record. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const key = sessionKey.call(this, itemIndex);
	const res = await spsRequest.call(this, {
		method: 'GET',
		path: `audit/sessions/${encodeURIComponent(key)}`,
		operation: 'get the audit session',
		itemIndex,
	});
	return flatten(res);
}

/**
 * GET /api/audit/sessions/<key>/alerts or …/events, paged (limit ≤ 500, offset) up to Return All / Limit: one item
 * per entry, with a warning when SPS served fewer than its match_count.
 */
export async function sessionSubList(this: IExecuteFunctions, itemIndex: number, list: 'alerts' | 'events'): Promise<IDataObject[]> {
	const key = sessionKey.call(this, itemIndex);
	const want = wanted.call(this, itemIndex);
	const listed = await pageAuditList.call(this, `audit/sessions/${encodeURIComponent(key)}/${list}`, {}, want, `list the session ${list}`, itemIndex);
	const out = listed.items.map((entry) => ({ sessionKey: key, ...entry }));
	const shortfall = shortfallWarning(listed, want, list);
	return shortfall ? warnInOutput.call(this, out, shortfall) : out;
}
