import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RequestContext } from '../../shared/http';
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
 * Reads a KACE collection with `paging=limit N offset M` until a short page (the appliance returns 50 rows when
 * no paging is given). Without an explicit sorting it sorts by id so offsets stay stable while the estate
 * changes, and rows already returned are skipped (never duplicated). A session that expires between pages is
 * renewed by the credential and the page is re-requested, so no row is lost.
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
	const base: KaceQuery = { ...query, use_count: 'false' };
	if (!base.sorting) base.sorting = 'id';
	let offset = 0;
	for (let page = 0; out.length < want && page < MAX_PAGES; page++) {
		const size = Math.min(pageSize, want - out.length);
		const body = await kaceRequest.call(this, 'GET', path, {
			query: { ...base, paging: `limit ${size} offset ${offset}` },
			operation: options.operation,
			itemIndex: options.itemIndex,
		});
		const rows = envelopeRows(body, key);
		for (const row of rows) {
			const id = recordId(row);
			if (id !== undefined) {
				if (seen.has(id)) continue;
				seen.add(id);
			}
			out.push(row);
			if (out.length >= want) break;
		}
		offset += rows.length;
		if (rows.length < size) break;
	}
	return out;
}
