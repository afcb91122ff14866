import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import type { RequestContext } from '../../shared/http';
import { applianceRequest, credentialsOnce, notJson } from '../../shared/http';
import { ListChangedError, readAnchoredList } from '../../shared/paging';
import { KACE } from './constants';
import { isCsrfRefusal, mapKaceError } from './errors';

export { kaceMessage, mapKaceError } from './errors';

export const CREDENTIAL = 'kaceSmaApi';

/** Default page size for Return All: 500 rows per request (see README "Page sizes" for the measurements). */
export const DEFAULT_PAGE_SIZE = 500;

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
	/** sent alongside other requests of this execution (pages read in parallel): one re-login for all */
	concurrent?: boolean;
	/**
	 * What the route offers, when only one source documents it (e.g. 'asset archiving (SMA 9.0 and later)'): an
	 * HTTP 404 then says that this build or module may not offer it, instead of only "not found".
	 */
	unverified?: string;
}

/** Per execution context: a session renewal after a CSRF refusal (HTTP 403) in progress, and how many completed. */
interface CsrfGate {
	renewal?: Promise<void>;
	generation: number;
}
const csrfGates = new WeakMap<object, CsrfGate>();

/**
 * One KACE SMA API call: the credential supplies the session, version and CSRF headers.
 *
 * Some builds refuse a stale CSRF token with HTTP 403 instead of 401, which n8n does not take for an expired
 * session. Such a refusal (recognised by the appliance's message, so that a 403 of the account's role costs no
 * login) renews the session once and sends the request once more, like n8n does on a 401: the credential's
 * session is emptied, so n8n logs in before the resend. Requests in flight together share that one renewal. The
 * refused request never ran on the appliance, so actions are resent too.
 */
export async function kaceRequest<T = IDataObject>(
	this: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	options: KaceRequestOptions,
): Promise<T> {
	const qs = options.query ? kaceQueryString(options.query) : '';
	const idempotent = options.idempotent ?? method === 'GET';
	const send = async (): Promise<{ value?: T; error?: unknown; csrf: boolean }> => {
		let csrf = false;
		try {
			const value = await applianceRequest.call<RequestContext, Parameters<typeof applianceRequest>, Promise<T>>(
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
					concurrent: options.concurrent,
					mapError: (failure) => {
						// a 401 was already renewed by n8n: only a 403 is renewed here
						csrf = failure.status === 403 && isCsrfRefusal(failure);
						return mapKaceError(failure, { query: options.query, operation: options.operation, unverified: options.unverified });
					},
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
			return { value, csrf: false };
		} catch (error) {
			return { error, csrf };
		}
	};
	const result = (r: { value?: T; error?: unknown }): T => {
		if (r.error !== undefined) throw r.error;
		return r.value as T;
	};

	let gate = csrfGates.get(this);
	if (!gate) {
		gate = { generation: 0 };
		csrfGates.set(this, gate);
	}
	if (gate.renewal) await gate.renewal;
	const generation = gate.generation;
	const first = await send();
	if (!first.csrf) return result(first);
	// renewed by another request since this one was sent (or being renewed): once more with the new session
	if (gate.renewal) await gate.renewal;
	if (gate.generation !== generation) return result(await send());
	let done = () => {};
	gate.renewal = new Promise<void>((resolve) => (done = resolve));
	try {
		const credential = await credentialsOnce.call(this, CREDENTIAL);
		credential.session = '';
		return result(await send());
	} finally {
		gate.generation++;
		gate.renewal = undefined;
		done();
	}
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
	/** see {@link KaceRequestOptions.unverified} */
	unverified?: string;
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
 * How a list is ordered for paging. Offsets are only meaningful over a TOTAL order, and MySQL may return rows that
 * tie on the ORDER BY columns in a different order on each request, so the id (unique) is appended to a sort of
 * the user that does not name it. When the id is the first sort key, `id gt|lt <last id>` continues the list
 * exactly from any row (keyset); the KACE filter language has no OR, so other sorts cannot be continued by key.
 */
export function pagingOrder(sorting: string | undefined): { sorting: string; keyset?: 'gt' | 'lt' } {
	const keys = String(sorting ?? '')
		.split(',')
		.map((k) => k.trim().split(/\s+/))
		.filter((k) => k[0] !== '');
	if (!keys.length) return { sorting: 'id', keyset: 'gt' };
	const text = keys.map((k) => k.join(' ')).join(',');
	const idAt = keys.findIndex((k) => k[0].toLowerCase() === 'id');
	if (idAt === 0) return { sorting: text, keyset: keys[0][1]?.toLowerCase() === 'desc' ? 'lt' : 'gt' };
	return { sorting: idAt > 0 ? text : `${text},id` };
}

/**
 * Reads a KACE collection with `paging=limit N offset M` (the appliance returns 50 rows when no paging is given),
 * exactly while the estate changes (nodes/shared/paging.ts): every page after the first starts one row before the
 * end of the previous one, and when that row is not where it was (records before the read position were added or
 * deleted) the read continues by key (`id gt <last id>`, sorted by id: the default) or reads the list again
 * (another sort), so no record that existed during the whole read is lost and none is repeated.
 *
 * The first page asks for the total count when more than one page is wanted; the other pages are then read
 * {@link PAGE_CONCURRENCY} at a time (in order, stopping at the first error). A session that expires between
 * pages is renewed once for all pages in flight, and the page is requested again.
 */
export async function kaceList(
	this: RequestContext,
	path: string,
	key: string,
	query: KaceQuery,
	options: ListOptions,
): Promise<IDataObject[]> {
	const want = options.returnAll ? Number.POSITIVE_INFINITY : Math.max(0, options.limit ?? 50);
	if (want === 0) return [];
	const pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, 100_000));
	const order = pagingOrder(query.sorting);
	const base: KaceQuery = { ...query, sorting: order.sorting };
	const read = async (q: KaceQuery, concurrent: boolean) =>
		await kaceRequest.call(this, 'GET', path, {
			query: q,
			operation: options.operation,
			itemIndex: options.itemIndex,
			concurrent,
			unverified: options.unverified,
		});
	try {
		const result = await readAnchoredList<IDataObject>({
			want,
			// each page after the first re-reads the last row of the previous one: one row more per request keeps
			// Page Size new rows per request (20,000 machines at 500: 40 requests, as without the overlap)
			pageSize: pageSize + 1,
			concurrency: PAGE_CONCURRENCY,
			key: recordId,
			readPage: async (offset, limit, first) => {
				const count = first && want > limit;
				const body = await read({ ...base, use_count: count ? 'true' : 'false', paging: `limit ${limit} offset ${offset}` }, !first);
				return { rows: envelopeRows(body, key), total: count ? envelopeCount(body, key) : undefined };
			},
			readAfter: order.keyset
				? async (last, limit) => {
						const id = recordId(last);
						if (!id || !/^\d+$/.test(id)) throw new ListChangedError(`a record without a numeric id (${id ?? 'none'}) cannot anchor the read`, 0);
						const filtering = [base.filtering, `id ${order.keyset} ${id}`].filter(Boolean).join(',');
						const body = await read({ ...base, filtering, use_count: 'false', paging: `limit ${limit}` }, false);
						return { rows: envelopeRows(body, key) };
					}
				: undefined,
		});
		return result.rows;
	} catch (error) {
		if (!(error instanceof ListChangedError)) throw toNodeError(this.getNode(), error, options.itemIndex ?? 0);
		throw new NodeOperationError(this.getNode(), `${KACE}: ${options.operation} could not be read exactly: ${error.message}`, {
			itemIndex: options.itemIndex,
			description:
				'The list changed while it was read, and every re-read found it changed again, so no complete and exact result could be returned. Run again when the appliance is quieter. Sorted by id (the default, no Sorting option) the read continues by id and stays exact whatever changes.',
		});
	}
}
