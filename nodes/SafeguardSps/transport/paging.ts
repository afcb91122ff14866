import type { IDataObject } from 'n8n-workflow';

import { mapLimit } from '../../shared/execute';
import type { RequestContext } from '../../shared/http';
import { apiPath, spsRequest } from './request';

/** SPS serves at most 500 entries per audit list request (larger limits are silently cut to 500). */
export const AUDIT_PAGE_MAX = 500;
/** SPS never returns more than the first 10 000 results of a search; larger offsets are IGNORED (→ page 1 again). */
export const AUDIT_RESULT_CAP = 10_000;

export interface PagedList {
	items: IDataObject[];
	/** match_count reported by SPS (all matches, also beyond the cap) */
	matchCount?: number;
	/** true when more results exist than the 10 000 SPS lets a client page through, and more were wanted */
	capped: boolean;
	/** requests made */
	requests: number;
	/** SPS's clock (Date header of the first answer, ms) when asked for */
	serverTime?: number;
}

/** A Date response header as milliseconds (undefined when absent or unparsable). */
export function parseDateHeader(value: unknown): number | undefined {
	const text = Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : '';
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? undefined : ms;
}

interface ListResponse {
	items?: IDataObject[];
	meta?: IDataObject;
}

/**
 * Pages an SPS audit list (`/api/audit/sessions`, `…/alerts`, `…/events`) with limit/offset until `want` entries,
 * the end (`meta.next` null or a short page), or the 10 000 cap. Never asks for an offset at or beyond the cap,
 * because SPS ignores such offsets and would answer with the first page again.
 */
export async function pageAuditList(
	this: RequestContext,
	path: string,
	qs: IDataObject,
	want: number,
	operation: string,
	itemIndex?: number,
	options: { serverTime?: boolean } = {},
): Promise<PagedList> {
	const items: IDataObject[] = [];
	const seen = new Set<string>();
	let offset = 0;
	let matchCount: number | undefined;
	let requests = 0;
	let moreOnServer = false;
	let serverTime: number | undefined;
	while (items.length < want) {
		const limit = Math.min(AUDIT_PAGE_MAX, want - items.length, AUDIT_RESULT_CAP - offset);
		if (limit <= 0) {
			moreOnServer = true;
			break;
		}
		const full = options.serverTime === true && requests === 0;
		const answer = (await spsRequest.call(this, {
			method: 'GET',
			path,
			qs: { ...qs, limit, offset },
			operation,
			itemIndex,
			returnFullResponse: full,
		})) as IDataObject;
		let res = answer as ListResponse;
		if (full) {
			const headers = (answer.headers ?? {}) as IDataObject;
			serverTime = parseDateHeader(headers.date);
			res = (answer.body ?? {}) as ListResponse;
		}
		requests++;
		const page = Array.isArray(res.items) ? res.items : [];
		const meta = res.meta ?? {};
		if (typeof meta.match_count === 'number') matchCount = meta.match_count;
		let fresh = 0;
		for (const entry of page) {
			const id = typeof entry.key === 'string' ? entry.key : typeof entry.record_id === 'string' ? entry.record_id : undefined;
			if (id !== undefined) {
				if (seen.has(id)) continue;
				seen.add(id);
			}
			fresh++;
			if (items.length < want) items.push(entry);
		}
		offset += page.length;
		const hasNextLink = 'next' in meta ? meta.next !== null && meta.next !== undefined && meta.next !== '' : page.length >= limit;
		if (!page.length || !fresh || !hasNextLink) break;
		if (offset >= AUDIT_RESULT_CAP) {
			moreOnServer = true;
			break;
		}
	}
	const capped =
		items.length < want &&
		(moreOnServer || (matchCount !== undefined && matchCount > AUDIT_RESULT_CAP && offset >= AUDIT_RESULT_CAP));
	return { items, matchCount, capped, requests, serverTime };
}

/**
 * Fetches the body of every list entry that carries only key + href (GET each href), at most `concurrency` at a
 * time. Entries that already have a body are kept. Fails with the first error after all requests settled.
 */
export async function expandEntries(
	this: RequestContext,
	entries: IDataObject[],
	concurrency: number,
	operation: string,
	itemIndex?: number,
): Promise<{ entries: IDataObject[]; requests: number }> {
	const todo: number[] = [];
	entries.forEach((e, i) => {
		const href = (e.meta as IDataObject | undefined)?.href;
		if (e.body === undefined && typeof href === 'string') todo.push(i);
	});
	if (!todo.length) return { entries, requests: 0 };
	const results = await mapLimit(todo, Math.max(1, Math.min(32, Math.floor(concurrency) || 1)), async (index) => {
		const href = String((entries[index].meta as IDataObject).href);
		// only follow links into this SPS's /api (never another host)
		const path = apiPath(href.startsWith('/') ? href : `/${href}`);
		return await spsRequest.call(this, {
			method: 'GET',
			path,
			operation,
			itemIndex,
		});
	});
	const out = entries.slice();
	for (let n = 0; n < todo.length; n++) {
		const r = results[n];
		if (r.error !== undefined) throw r.error;
		const full = r.value ?? {};
		out[todo[n]] = { ...entries[todo[n]], body: full.body ?? full };
	}
	return { entries: out, requests: todo.length };
}
