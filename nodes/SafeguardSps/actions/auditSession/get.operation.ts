import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { SimpleField } from '../../../shared/simplify';
import { warnInOutput } from '../../../shared/hints';
import { pageAuditList, shortfallWarning } from '../../transport/paging';
import { flatten, spsRequest } from '../../transport/request';
import { locatorValue, sessionKeyLocator, wanted } from '../common';
import { SESSION_SIMPLE, simplifyFor, simplifyOut } from '../simplify';

export const description: INodeProperties[] = [sessionKeyLocator('auditSession', 'get'), ...simplifyFor('auditSession', 'get')];

export function sessionKey(this: IExecuteFunctions, itemIndex: number): string {
	const key = locatorValue.call(this, 'sessionKey', itemIndex);
	if (!key) throw new NodeOperationError(this.getNode(), 'Choose the session, or give its audit session key', { itemIndex });
	if (key.includes('/')) {
		throw new NodeOperationError(this.getNode(), `"${key}" looks like a recording session ID, not an audit session key`, {
			itemIndex,
			description: 'Use the key field from Audit Session → Search (recording session IDs like svc/…:12 are for Active Session → Get and Terminate).',
		});
	}
	return key;
}

/** GET /api/audit/sessions/<key>: the full session record (or its simple fields). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const key = sessionKey.call(this, itemIndex);
	const res = await spsRequest.call(this, {
		method: 'GET',
		path: `audit/sessions/${encodeURIComponent(key)}`,
		operation: 'get the audit session',
		itemIndex,
	});
	return simplifyOut.call(this, itemIndex, [flatten(res)], SESSION_SIMPLE);
}

/** The per-session lists of SPS's audit API, with what they are called in messages. */
const SUB_LISTS = {
	alerts: { noun: 'alerts', operation: 'list the session alerts' },
	events: { noun: 'events', operation: 'list the session events' },
	trail_downloads: { noun: 'audit-trail downloads', operation: 'list the audit-trail downloads of the session' },
	content: { noun: 'content matches', operation: 'search the session content' },
} as const;

/**
 * GET /api/audit/sessions/<key>/<list> (alerts, events, trail_downloads, content), paged exactly (limit ≤ 500,
 * offset, the shared anchored pager) up to Return All / Limit: one item per entry, with a warning when SPS served
 * fewer than its match_count.
 */
export async function sessionSubList(
	this: IExecuteFunctions,
	itemIndex: number,
	list: keyof typeof SUB_LISTS,
	simple: SimpleField[],
	qs: IDataObject = {},
): Promise<IDataObject[]> {
	const key = sessionKey.call(this, itemIndex);
	const want = wanted.call(this, itemIndex);
	const { noun, operation } = SUB_LISTS[list];
	const path = `audit/sessions/${encodeURIComponent(key)}/${list}`;
	// the content search is documented (and served) as …/content/?q=
	const listed = await pageAuditList.call(this, path, qs, want, operation, itemIndex, { trailingSlash: list === 'content' });
	const out = simplifyOut.call(
		this,
		itemIndex,
		listed.items.map((entry) => ({ sessionKey: key, ...entry })),
		simple,
	);
	const shortfall = shortfallWarning(listed, want, noun);
	return shortfall ? warnInOutput.call(this, out, shortfall) : out;
}
