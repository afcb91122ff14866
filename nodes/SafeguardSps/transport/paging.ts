import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mapLimit } from '../../shared/execute';
import { toNodeError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http';
import type { PageRead } from '../../shared/paging';
import { ListChangedError, readAnchoredList } from '../../shared/paging';
import { apiPath, spsRequest } from './request';
import { SPS } from './session';

/** SPS serves at most 500 entries per audit list request (larger limits are silently cut to 500). */
export const AUDIT_PAGE_MAX = 500;
/** SPS never returns more than the first 10 000 results of a search; larger offsets are IGNORED (→ page 1 again). */
export const AUDIT_RESULT_CAP = 10_000;
const CAP_TEXT = AUDIT_RESULT_CAP.toLocaleString('en-US');

/**
 * The order the node asks for when searching sessions (`sort`, as One Identity's own Power BI connector sends it):
 * newest first by start time. A STABLE order is what makes Return All exact while SPS records and deletes sessions:
 * new sessions enter at the front (before the read position, so the anchor of the next page is found further down
 * and nothing is lost), cleanup deletes at the back. A user-supplied `sort` (Additional Query Parameters) wins.
 */
export const SESSION_SORT = '-start_time';

export interface PagedList {
	items: IDataObject[];
	/** match_count SPS reported on the last page read (all matches, also beyond the cap) */
	matchCount?: number;
	/** match_count SPS reported when the read started */
	firstMatchCount?: number;
	/** more results exist than the 10,000 SPS lets a client page through, and more were wanted */
	capped: boolean;
	/** how often the list moved under the read so that it was read again (0 = it did not) */
	moved: number;
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
 * The identity of an audit list entry: a session's key, an alert's or event's record id. Entries without one (an
 * audit-trail download) are told apart by their whole content (the shared pager's JSON key).
 */
function entryKey(entry: IDataObject): string | undefined {
	if (typeof entry.key === 'string') return entry.key;
	if (typeof entry.record_id === 'string' || typeof entry.record_id === 'number') return String(entry.record_id);
	return undefined;
}

/**
 * Pages an SPS audit list (`/api/audit/sessions`, `…/alerts`, `…/events`) with limit (≤ 500) and offset until `want`
 * entries, the end, or the 10,000 entries SPS serves of a list — through the shared anchored pager: every page
 * overlaps the previous one by an entry, so a list that changes between two requests (sessions recorded, deleted or
 * hidden) is re-anchored instead of silently losing or repeating entries. Never asks for an offset at or beyond
 * 10,000 (SPS ignores such offsets and would answer with the first page again). Pages are read `concurrency` at a
 * time once the first page reported the match_count.
 */
export async function pageAuditList(
	this: RequestContext,
	path: string,
	qs: IDataObject,
	want: number,
	operation: string,
	itemIndex?: number,
	options: { serverTime?: boolean; concurrent?: boolean; concurrency?: number; trailingSlash?: boolean } = {},
): Promise<PagedList> {
	let serverTime: number | undefined;
	let firstMatchCount: number | undefined;
	let sent = 0;
	const concurrency = Math.max(1, Math.min(32, Math.floor(options.concurrency ?? 1) || 1));
	const readPage = async (offset: number, limit: number, first: boolean): Promise<PageRead<IDataObject>> => {
		const full = options.serverTime === true && sent++ === 0;
		const answer = (await spsRequest.call(this, {
			method: 'GET',
			path,
			qs: { ...qs, limit, offset },
			operation,
			itemIndex,
			returnFullResponse: full,
			trailingSlash: options.trailingSlash,
			// pages read at once share one renewal of a refused session; the first page of a read is alone in flight
			concurrent: options.concurrent === true || (concurrency > 1 && !first),
		})) as IDataObject;
		let res = answer as ListResponse;
		if (full) {
			serverTime = parseDateHeader(((answer.headers ?? {}) as IDataObject).date);
			res = (answer.body ?? {}) as ListResponse;
		}
		const total = typeof res.meta?.match_count === 'number' ? res.meta.match_count : undefined;
		if (first && firstMatchCount === undefined) firstMatchCount = total;
		return { rows: Array.isArray(res.items) ? res.items : [], total };
	};
	let result;
	try {
		result = await readAnchoredList<IDataObject>({
			want,
			pageSize: AUDIT_PAGE_MAX,
			concurrency,
			key: entryKey,
			readPage,
			reachable: AUDIT_RESULT_CAP,
		});
	} catch (error) {
		if (!(error instanceof ListChangedError)) throw toNodeError(this.getNode(), error, itemIndex ?? 0);
		throw new NodeOperationError(this.getNode(), `${SPS}: ${operation} stopped because the list kept changing while it was read: ${error.message}`, {
			itemIndex,
			description:
				'Entries were deleted or hidden before the read position between two pages in every one of several full reads, so no read could finish without possibly missing some. Run it again when SPS is quieter (e.g. outside its cleanup or archiving window), or narrow the search (dates or query) so that fewer pages are needed.',
		});
	}
	return {
		items: result.rows,
		matchCount: result.total,
		firstMatchCount,
		capped: result.capped,
		moved: result.moved,
		requests: result.requests,
		serverTime,
	};
}

/**
 * When SPS served fewer entries than it counted (its match_count) and than were asked for: a warning quoting both
 * numbers, or undefined. A list that only grew during the read (sessions recorded meanwhile) is not a shortfall:
 * every entry counted when the read started was returned.
 */
export function shortfallWarning(listed: PagedList, want: number, noun: string): string | undefined {
	const counted = [listed.firstMatchCount, listed.matchCount].filter((n): n is number => typeof n === 'number');
	if (!counted.length) return listed.capped ? `SPS serves only the first ${CAP_TEXT} ${noun} of a list; ${listed.items.length} were returned and more exist.` : undefined;
	const expected = Math.min(want, ...counted);
	const served = listed.items.length;
	if (served >= expected) return undefined;
	const matched = Math.max(...counted);
	const n = (x: number) => x.toLocaleString('en-US');
	if (listed.capped) {
		return `SPS matched ${n(matched)} ${noun} (match_count) but serves only the first ${CAP_TEXT} of a search; ${n(served)} were returned. Narrow the search (dates or query) to reach the rest.`;
	}
	const changed = listed.moved ? ', and the list changed while it was read' : '';
	return `SPS reported ${n(matched)} matching ${noun} (match_count) but served only ${n(served)}${changed}. Some ${noun} it counts are not listed (e.g. hidden sessions, or search restrictions of this user), or they were deleted while the list was read: run it again, or check the search in the SPS web interface.`;
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
			concurrent: true,
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
