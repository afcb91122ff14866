import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { applianceError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http';
import type { PageRead } from '../../shared/paging';
import { ListChangedError, readAnchoredList } from '../../shared/paging';
import { VSA } from './auth';
import { compareIds, fitsInt32, idLiteral } from './odata';
import type { Feature } from './request';
import { resultRows, vsaRequest } from './request';

/** The server's page cap (kaseya-vsa.md §4: $top above 100 is silently capped). */
export const PAGE_SIZE = 100;
/**
 * Pages read at the same time once the first page has reported TotalRecords. A raw client reading 5,000 agents
 * gets faster up to 4–8 requests in flight (bench); 4 takes most of that gain while keeping the load on the
 * appliance (one SQL query per page) modest.
 */
export const PAGE_CONCURRENCY = 4;

export interface ListOptions {
	filter?: string;
	orderby?: string;
	returnAll: boolean;
	limit?: number;
	operation: string;
	itemIndex?: number;
	/**
	 * The record's id field (AgentId, OrgId…): the key that tells rows apart, the default sort and the tie-breaker
	 * of the user's sort, and the keyset (`AgentId gt …M`) the read continues by when the list moves.
	 */
	idField?: string;
	/** lists without an id field: the fields that together tell two records apart (default: the whole record) */
	keyFields?: string[];
	/** pages read at once after the first (default {@link PAGE_CONCURRENCY}; 1 = one page at a time) */
	concurrency?: number;
	/** a newest-first read (trigger) that ends before the records older than a time, see {@link NewestFirst} */
	newestFirst?: NewestFirst;
	/** replaces the generic 404 hint (vsaRequest) */
	notFoundHint?: string;
	/** a 404 for a missing route says that this VSA does not offer the feature (vsaRequest) */
	feature?: Feature;
}

/**
 * A read sorted by a time field, descending (`$orderby=CreationDate desc`), that stops early: the list ends before
 * the first row older than `since` (ms). Only pages that came sorted by that time are cut; a page that did not (the
 * VSA ignoring `$orderby`) makes the read go through every page, and the caller filters by time itself. Rows
 * without a readable time sort last (SQL Server puts NULL last in a descending sort). Read one page at a time.
 */
export interface NewestFirst {
	timeOf: (row: IDataObject) => number | undefined;
	/** undefined: the first row's time minus `window` (a baseline: "the newest records and those just before") */
	since?: number;
	window?: number;
}

export interface ListResult {
	rows: IDataObject[];
	/** the last TotalRecords the VSA reported */
	total?: number;
}

/** The keyset cannot continue this read (the VSA ignores the sort, or refuses every id literal): read it again without. */
class KeysetUnavailable extends Error {}

const SORT_REFUSED = /orderby|order by|sort/i;

/** The VSA's 400 about the sort WE added: names the sort, or the id field (a record type without it, UNVERIFIED ids). */
function sortRefused(error: NodeApiError, idField: string | undefined): boolean {
	return SORT_REFUSED.test(error.message) || (!!idField && new RegExp(`\\b${idField}\\b`).test(error.message));
}

/** True for our NodeApiError of an HTTP 400 answer. */
function badRequest(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && String(error.httpCode) === '400';
}

/**
 * How the list is sorted, and what the read may take back:
 *  - no sort from the user: by the id (`$orderby=AgentId`), which makes the keyset possible;
 *  - the user's sort: the id is added as tie-breaker (`OSType desc,AgentId`), so rows that tie keep one order;
 *  - the VSA refusing what WE added (HTTP 400 naming the sort; multi-key or id sort support is UNVERIFIED): the
 *    read goes on without it, once, on the first page.
 */
interface SortPlan {
	orderby?: string;
	/** what to send instead if the VSA refuses `orderby`; undefined = nothing to take back (or already confirmed) */
	fallback?: { orderby?: string };
	/** the sort is the id alone: rows after a row are `id gt` (ascending) or `id lt` (descending) it */
	keyset?: 'gt' | 'lt';
	/** which literal the VSA takes for the id in $filter (decimal `123M`; `int` for Edm.Int32 ids) */
	literal: 'decimal' | 'int';
}

function sortPlan(idField: string | undefined, user: string | undefined): SortPlan {
	if (!idField) return { orderby: user, literal: 'decimal' };
	if (!user) return { orderby: idField, fallback: {}, keyset: 'gt', literal: 'decimal' };
	const keys = user.split(',').map((part) => part.trim().split(/\s+/));
	const at = keys.findIndex(([field]) => field.toLowerCase() === idField.toLowerCase());
	if (at === 0 && keys.length === 1) {
		return { orderby: user, keyset: (keys[0][1] ?? '').toLowerCase() === 'desc' ? 'lt' : 'gt', literal: 'decimal' };
	}
	// the id already among the keys: it is unique, so the order is total from there on
	if (at > 0) return { orderby: user, literal: 'decimal' };
	return { orderby: `${user},${idField}`, fallback: { orderby: user }, literal: 'decimal' };
}

const and = (filter: string | undefined, extra: string) => (filter ? `(${filter}) and (${extra})` : extra);

/** A promise's value or its error, to decide about an error without re-throwing it from a catch clause. */
async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
	try {
		return { ok: true, value: await promise };
	} catch (error) {
		return { ok: false, error };
	}
}

/**
 * Reads a VSA collection exactly, also while records are added and deleted between pages (shared/paging.ts
 * readAnchoredList): `$top=100`, every page after the first overlapping the previous one by a row (its anchor).
 * The first page comes alone (it reports TotalRecords), then the pages up to the total 4 at a time, in order.
 * When the anchor has moved (rows deleted before the read position) the read continues by key —
 * `(<filter>) and (AgentId gt <anchor>M)` in the same order — when the list is sorted by its id alone (the default);
 * otherwise, and whenever the VSA turns out to ignore `$orderby` (an answer not in id order) or refuses every id
 * literal (Edm.Int32 ids longer than 10 digits), the list is swept again from the start: no row that existed
 * during the whole read is lost, none is repeated. A list that moves under every sweep fails loudly.
 *
 * A token that expires between pages is renewed by the session layer (one login for all pages in flight) and the
 * SAME page is requested again.
 */
export async function vsaList(this: RequestContext, path: string, options: ListOptions): Promise<ListResult> {
	const want = options.returnAll ? Number.POSITIVE_INFINITY : Math.max(0, options.limit ?? 50);
	if (want === 0) return { rows: [] };
	const { idField, filter, operation, itemIndex } = options;
	const plan = sortPlan(idField, options.orderby);
	let unsorted = false;

	const idOf = (row: IDataObject): string | undefined => {
		const v = idField ? row[idField] : undefined;
		return v === undefined || v === null ? undefined : String(v);
	};
	const key = (row: IDataObject): string | undefined => {
		if (idField) return idOf(row);
		return options.keyFields ? JSON.stringify(options.keyFields.map((f) => row[f] ?? null)) : undefined;
	};
	/** the ids of `rows` follow the keyset's direction (after `after`, when given) */
	const inKeyOrder = (rows: IDataObject[], after?: string): boolean => {
		const sign = plan.keyset === 'lt' ? -1 : 1;
		let previous = after;
		for (const row of rows) {
			const id = idOf(row);
			if (id === undefined || !/^\d+$/.test(id)) continue;
			if (previous !== undefined && sign * compareIds(id, previous) <= 0) return false;
			previous = id;
		}
		return true;
	};
	const send = async (qs: Record<string, string | number | undefined>): Promise<PageRead<IDataObject>> => {
		const res = await vsaRequest.call(this, 'GET', path, { qs, operation, itemIndex, notFoundHint: options.notFoundHint, feature: options.feature });
		const reported = res.body?.TotalRecords;
		const n = Number(reported);
		return { rows: resultRows(res), total: reported !== undefined && reported !== null && Number.isFinite(n) ? n : undefined };
	};

	// newest-first reads: the list ends before the first row older than `since`, while the pages come sorted
	const newest = options.newestFirst;
	let since = newest?.since;
	let timeSorted = true;
	const cutAtSince = (page: PageRead<IDataObject>, offset: number): PageRead<IDataObject> => {
		if (!newest || !timeSorted) return page;
		const times = page.rows.map((row) => newest.timeOf(row) ?? Number.NEGATIVE_INFINITY);
		if (times.some((t, i) => i > 0 && t > times[i - 1])) {
			timeSorted = false;
			return page;
		}
		if (since === undefined && offset === 0 && times.length && Number.isFinite(times[0])) since = times[0] - (newest.window ?? 0);
		const limit = since;
		const cut = limit === undefined ? -1 : times.findIndex((t) => t < limit);
		return cut < 0 ? page : { rows: page.rows.slice(0, cut), total: page.total };
	};

	const readPage = async (offset: number, limit: number): Promise<PageRead<IDataObject>> => {
		const qs = { $top: limit, $skip: offset, $filter: filter, $orderby: plan.orderby };
		const first = await settle(send(qs));
		let page: PageRead<IDataObject>;
		if (first.ok) page = first.value;
		else {
			// the VSA refused the sort we added (not the user's): go on without it
			const fallback = plan.fallback;
			if (!fallback || !badRequest(first.error) || !sortRefused(first.error, idField)) throw first.error;
			plan.orderby = fallback.orderby;
			plan.keyset = undefined;
			plan.fallback = undefined;
			page = await send({ ...qs, $orderby: plan.orderby });
		}
		plan.fallback = undefined;
		if (plan.keyset && !inKeyOrder(page.rows)) unsorted = true;
		return newest ? cutAtSince(page, offset) : page;
	};

	const readAfter = async (last: IDataObject, limit: number): Promise<PageRead<IDataObject>> => {
		const id = idOf(last);
		if (unsorted || !plan.keyset || !idField || id === undefined || !/^\d+$/.test(id)) throw new KeysetUnavailable();
		const literals: Array<SortPlan['literal']> = plan.literal === 'decimal' ? ['decimal', 'int'] : ['int'];
		for (const literal of literals) {
			if (literal === 'int' && !fitsInt32(id)) break;
			const condition = `${idField} ${plan.keyset} ${literal === 'decimal' ? idLiteral(id) : id}`;
			const sent = await settle(send({ $top: limit, $filter: and(filter, condition), $orderby: plan.orderby }));
			// an Edm.Int32 id refuses the M literal (kaseya-vsa.md §4): try the plain integer, else no keyset
			if (!sent.ok && badRequest(sent.error)) continue;
			if (!sent.ok) throw sent.error;
			const page = sent.value;
			plan.literal = literal;
			if (!inKeyOrder(page.rows, id)) {
				unsorted = true;
				throw new KeysetUnavailable();
			}
			// the total of a keyset page counts only the rows after the key
			return { rows: page.rows };
		}
		throw new KeysetUnavailable();
	};

	const read = async (keyset: boolean) =>
		await readAnchoredList<IDataObject>({
			want,
			pageSize: PAGE_SIZE,
			concurrency: newest ? 1 : options.concurrency ?? PAGE_CONCURRENCY,
			key,
			readPage,
			readAfter: keyset && plan.keyset ? readAfter : undefined,
		});

	let result = await settle(read(true));
	if (!result.ok && result.error instanceof KeysetUnavailable) result = await settle(read(false));
	if (result.ok) return { rows: result.value.rows, total: result.value.total };
	const error = result.error;
	if (!(error instanceof ListChangedError)) throw error;
	throw applianceError(
		this.getNode(),
		`${VSA}: the records changed faster than they could be read exactly (${operation}): ${error.message}`,
		`Records were added or deleted before the read position between pages, again and again, so the node stopped instead of returning a list with rows missing. Run it again${
			plan.keyset ? '' : '; without a Sort option the node reads by id and can continue from the last record it read whatever changes'
		}, or narrow the filter.`,
		{ itemIndex },
	);
}

/**
 * One page of a list for a searchable dropdown (n8n's list search), continued by `$skip` tokens. A picker shows
 * what is there now; it does not need the exact read of {@link vsaList}.
 */
export async function vsaSearchPage(
	this: RequestContext,
	path: string,
	options: { filter?: string; orderby?: string; skip: number; operation: string; top?: number; feature?: Feature },
): Promise<{ rows: IDataObject[]; nextSkip?: number }> {
	const top = options.top ?? PAGE_SIZE;
	const res = await vsaRequest.call(this, 'GET', path, {
		qs: { $top: top, $skip: options.skip, $filter: options.filter, $orderby: options.orderby },
		operation: options.operation,
		feature: options.feature,
	});
	const rows = resultRows(res);
	const total = Number(res.body?.TotalRecords);
	const next = options.skip + rows.length;
	const more = rows.length > 0 && (Number.isFinite(total) && res.body?.TotalRecords !== undefined ? next < total : rows.length >= top);
	return { rows, nextSkip: more ? next : undefined };
}
