import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RequestContext } from '../../shared/http';
import { readPagesInOrder } from '../../shared/execute';
import { applianceRequest, notJson } from '../../shared/http';
import { KACE } from './constants';
import { mapKaceError } from './errors';

export { kaceMessage, mapKaceError } from './errors';

export const CREDENTIAL = 'kaceSmaApi';

/** Default page size for Return All: 500 rows per request (see README "Page sizes" for the measurements). */
export const DEFAULT_PAGE_SIZE = 500;

/** Highest page count one Return All may walk (a runaway guard: 2,000 × page size rows). */
const MAX_PAGES = 2000;

export interface KaceQuery {
	filtering?: string;
	sorting?: string;
	shaping?: string;
	paging?: string;
	use_count?: string;
	[key: string]: string | undefined;
}

/**
 * Encodes one value of the KACE query mini-language. Spaces become %20 (never '+'), the language's own
 * separators (',' between filters, ';' inside `in` sets, '.' between entity and field) stay literal, and
 * everything else that is special in a URL (& # % + ? = / quotes) is percent-encoded exactly once.
 */
export function encodeKaceValue(value: string): string {
	return encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%3B/gi, ';');
}

export function kaceQueryString(query: KaceQuery): string {
	return Object.entries(query)
		.filter(([, v]) => v !== undefined && v !== '')
		.map(([k, v]) => `${k}=${encodeKaceValue(String(v))}`)
		.join('&');
}

/** KACE ids are positive integers: anything else (`../`, `%2F`, letters, spaces) is refused before any request. */
export function kaceId(this: RequestContext, value: unknown, what: string, itemIndex?: number): string {
	const text = String(value ?? '').trim();
	if (!/^\d{1,12}$/.test(text) || text === '0') {
		throw new NodeOperationError(this.getNode(), `The ${what} ID "${String(value ?? '')}" is not valid`, {
			itemIndex,
			description: `A KACE SMA ${what} ID is a positive whole number, e.g. 1234.`,
		});
	}
	return String(Number(text));
}

export interface KaceRequestOptions {
	query?: KaceQuery;
	body?: IDataObject;
	operation: string;
	/** false for actions that must not be sent twice (script run, managed-install change, ticket create/delete) */
	idempotent?: boolean;
	outcomeHint?: string;
	itemIndex?: number;
	/** accept a non-object JSON answer (script run returns a bare run id) */
	allowScalar?: boolean;
}

/** One KACE SMA API call: the credential supplies the session, version and CSRF headers. */
export async function kaceRequest<T = IDataObject>(
	this: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	options: KaceRequestOptions,
): Promise<T> {
	const qs = options.query ? kaceQueryString(options.query) : '';
	const idempotent = options.idempotent ?? method === 'GET';
	return await applianceRequest.call<RequestContext, Parameters<typeof applianceRequest>, Promise<T>>(
		this,
		CREDENTIAL,
		{
			method,
			url: qs ? `${path}?${qs}` : path,
			json: true,
			...(options.body !== undefined ? { body: options.body, headers: { 'Content-Type': 'application/json' } } : {}),
		},
		{
			appliance: KACE,
			operation: options.operation,
			idempotent,
			outcomeHint: options.outcomeHint,
			itemIndex: options.itemIndex,
			mapError: mapKaceError,
			validate: (body) => {
				const problem = notJson(body, method !== 'GET');
				if (problem) return problem;
				if (method === 'GET' && (body === null || typeof body !== 'object') && !options.allowScalar) {
					return 'an unexpected answer (no JSON object)';
				}
				return undefined;
			},
		},
	);
}

/** The collection in a KACE list envelope: the expected key, else the first array property. */
export function envelopeRows(body: unknown, key: string): IDataObject[] {
	if (!body || typeof body !== 'object') return [];
	const b = body as IDataObject;
	if (Array.isArray(b[key])) return b[key] as IDataObject[];
	const lowerKey = key.toLowerCase();
	for (const [k, v] of Object.entries(b)) if (k.toLowerCase() === lowerKey && Array.isArray(v)) return v as IDataObject[];
	for (const v of Object.values(b)) if (Array.isArray(v)) return v as IDataObject[];
	return [];
}

/** A record's id whatever the casing the route uses (`id`, `Id`, `ID`). */
export function recordId(row: IDataObject): string | undefined {
	const v = row.id ?? row.Id ?? row.ID;
	return v === undefined || v === null ? undefined : String(v);
}

export interface ListOptions {
	returnAll: boolean;
	limit?: number;
	pageSize?: number;
	operation: string;
	itemIndex?: number;
}

/**
 * Pages read at once after the first one, when the appliance reported the total count. Measured (docs/bench.md):
 * 3 in flight brings a 20,000-machine Return All from 1.4–1.9× to ≈1.1× a raw keep-alive client; more adds
 * little on a 2-core client and only loads the appliance's PHP workers.
 */
export const PAGE_CONCURRENCY = 3;

/**
 * The total match count of a list envelope. KACE returns it unless `use_count=false`; its key is `Count` in the
 * reference guide's samples, but that is UNVERIFIED, so any top-level numeric key named count/total is accepted.
 */
export function envelopeCount(body: unknown, key: string): number | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	for (const [name, value] of Object.entries(body as IDataObject)) {
		if (name === key || !/^(count|total|totalcount|total_count)$/i.test(name)) continue;
		const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
		if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
	}
	return undefined;
}

/**
 * Reads a KACE collection with `paging=limit N offset M` (the appliance returns 50 rows when no paging is given).
 * Without an explicit sorting it sorts by id so offsets stay stable while the estate changes, and rows already
 * returned are skipped (never duplicated). A session that expires between pages is renewed by the credential
 * and the page is re-requested, so no row is lost.
 *
 * The first page asks for the total count; when it is full and the count says more rows exist, the remaining
 * pages are read {@link PAGE_CONCURRENCY} at a time (in order, stopping at the first error) — exactly
 * ceil(count / page size) requests, no closing empty page. Without a count, or when the estate shrank while
 * reading, the classic sequential loop carries on from the rows actually received.
 */
export async function kaceList(
	this: RequestContext,
	path: string,
	key: string,
	query: KaceQuery,
	options: ListOptions,
): Promise<IDataObject[]> {
	const want = options.returnAll ? Number.POSITIVE_INFINITY : Math.max(0, options.limit ?? 50);
	const pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, 100_000));
	const out: IDataObject[] = [];
	const seen = new Set<string>();
	const base: KaceQuery = { ...query };
	if (!base.sorting) base.sorting = 'id';
	const page = async (offset: number, size: number, count: boolean) => {
		const body = await kaceRequest.call(this, 'GET', path, {
			query: { ...base, use_count: count ? 'true' : 'false', paging: `limit ${size} offset ${offset}` },
			operation: options.operation,
			itemIndex: options.itemIndex,
		});
		return { body, rows: envelopeRows(body, key) };
	};
	const take = (rows: IDataObject[]) => {
		for (const row of rows) {
			const id = recordId(row);
			if (id !== undefined) {
				if (seen.has(id)) continue;
				seen.add(id);
			}
			out.push(row);
			if (out.length >= want) return;
		}
	};

	let offset = 0;
	let pages = 0;
	if (want > pageSize) {
		// count first: one COUNT on the appliance, then the rest of the pages concurrently
		const first = await page(0, pageSize, true);
		pages++;
		take(first.rows);
		offset = first.rows.length;
		const total = envelopeCount(first.body, key);
		if (first.rows.length < pageSize) return out;
		if (total !== undefined) {
			const end = Math.min(total, want);
			const offsets: number[] = [];
			for (let o = pageSize; o < end && pages + offsets.length < MAX_PAGES; o += pageSize) offsets.push(o);
			// the last page asks one row more than the count promises: a row inserted meanwhile (with a sorting
			// other than id it can push the last row past the count) shows up there instead of being lost
			const sizes = offsets.map((o, i) => (i === offsets.length - 1 && end === total ? Math.min(want - o, total - o + 1) : Math.min(pageSize, want - o)));
			const bodies = await readPagesInOrder(offsets, PAGE_CONCURRENCY, async (o, i) => await page(o, sizes[i], false));
			pages += bodies.length;
			let complete = true;
			for (let i = 0; i < bodies.length && out.length < want; i++) {
				take(bodies[i].rows);
				offset = offsets[i] + bodies[i].rows.length;
				const expected = Math.min(pageSize, want - offsets[i], total - offsets[i]);
				if (bodies[i].rows.length !== expected) {
					// the estate changed while reading: carry on sequentially from the rows actually received
					complete = false;
					break;
				}
			}
			if (out.length >= want || (complete && offset >= total)) return out;
		}
	}
	for (; out.length < want && pages < MAX_PAGES; pages++) {
		const size = Math.min(pageSize, want - out.length);
		const { rows } = await page(offset, size, false);
		take(rows);
		offset += rows.length;
		if (rows.length < size) break;
	}
	return out;
}
