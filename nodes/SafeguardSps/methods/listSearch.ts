import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { LocalEntity } from '../transport/localDatabase';
import { listLocal, LOCAL_GROUPS, LOCAL_USERS } from '../transport/localDatabase';
import { expandEntries, SESSION_SORT } from '../transport/paging';
import { apiPath, spsRequest } from '../transport/request';
import { runningQuery } from '../transport/sessions';

/** The credential user's API keys, for the "API Key" picker of API Key → Delete. */
export async function searchApiKeys(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'user/api_keys', operation: 'list your API keys' });
	const items = (Array.isArray(res.items) ? res.items : []) as IDataObject[];
	const needle = (filter ?? '').toLowerCase();
	const results = items
		.map((i) => {
			const body = (i.body ?? {}) as IDataObject;
			const key = String(i.key);
			const name = typeof body.name === 'string' ? `${body.name} (${key})` : key;
			return { name, value: key };
		})
		.filter((r) => !needle || r.name.toLowerCase().includes(needle));
	return { results };
}

/** Sessions per page of a session picker (one search request each). */
const PICKER_PAGE = 100;
const PICKER_FIELDS = 'start_time,creation_time,protocol,user.name,user.gateway_username,client.ip,recording.target.ip,recording.session_id';

function describeSession(body: IDataObject): string {
	const user = ((body.user ?? {}) as IDataObject).name ?? ((body.user ?? {}) as IDataObject).gateway_username ?? '?';
	const target = (((body.recording ?? {}) as IDataObject).target ?? {}) as IDataObject;
	const client = ((body.client ?? {}) as IDataObject).ip;
	const since = String(body.start_time ?? body.creation_time ?? '').replace(/\.\d+Z$/, 'Z');
	return `${String(user)}${client ? ` from ${String(client)}` : ''} → ${String(target.ip ?? '?')} (${String(body.protocol ?? '?')}, ${since})`;
}

/**
 * One page of sessions, newest first (1 request), filtered by the typed text on what is shown; the next page
 * continues at the next offset.
 */
async function sessionPage(
	this: ILoadOptionsFunctions,
	q: string | undefined,
	value: (entry: IDataObject) => string | undefined,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const qs: IDataObject = { fields: PICKER_FIELDS, sort: SESSION_SORT, limit: PICKER_PAGE, offset };
	if (q) qs.q = q;
	const res = await spsRequest.call(this, { method: 'GET', path: 'audit/sessions', qs, operation: 'list sessions for the picker' });
	const items = (Array.isArray(res.items) ? res.items : []) as IDataObject[];
	const needle = (filter ?? '').toLowerCase();
	const results = items
		.map((e) => ({ name: describeSession((e.body ?? {}) as IDataObject), value: value(e) ?? '' }))
		.filter((r) => r.value && (!needle || `${r.name} ${r.value}`.toLowerCase().includes(needle)));
	const matchCount = ((res.meta ?? {}) as IDataObject).match_count;
	const more = items.length === PICKER_PAGE && (typeof matchCount !== 'number' || offset + PICKER_PAGE < Math.min(matchCount, 10_000));
	return { results, ...(more ? { paginationToken: String(offset + PICKER_PAGE) } : {}) };
}

/** Recent recorded sessions (their audit keys), for the Session picker of Audit Session operations. */
export async function searchAuditSessions(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await sessionPage.call(this, undefined, (e) => (typeof e.key === 'string' ? e.key : undefined), filter, paginationToken);
}

/** Running sessions (their recording session IDs), for the Session picker of Active Session operations. */
export async function searchActiveSessions(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const recordingId = (e: IDataObject) => {
		const id = (((e.body ?? {}) as IDataObject).recording as IDataObject | undefined)?.session_id;
		return typeof id === 'string' ? id : typeof e.key === 'string' ? e.key : undefined;
	};
	return await sessionPage.call(this, runningQuery(''), recordingId, filter, paginationToken);
}

export async function searchLocal(this: ILoadOptionsFunctions, entity: LocalEntity, filter?: string): Promise<INodeListSearchResult> {
	const entries = await listLocal.call(this, entity, Number.POSITIVE_INFINITY, 8);
	const needle = (filter ?? '').toLowerCase();
	const results = entries
		.map((e) => ({ name: String(((e.body ?? {}) as IDataObject).name ?? e.key), value: String(e.key) }))
		.filter((r) => !needle || r.name.toLowerCase().includes(needle))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

/** Local users by name (1 + one request per user: SPS lists key + link only). */
export async function searchLocalUsers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchLocal.call(this, LOCAL_USERS, filter);
}

/** Local groups by name (1 + one request per group). */
export async function searchLocalGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchLocal.call(this, LOCAL_GROUPS, filter);
}

/** The entries of the list named in List Path, by name (1 + one request per entry whose list item has no body). */
export async function searchListEntries(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const raw = String(this.getCurrentNodeParameter('listPath') ?? '').trim();
	// nothing to list until List Path is a literal path (an expression has no value in the editor)
	if (!raw || raw.startsWith('=')) return { results: [] };
	const path = apiPath(raw);
	const res = await spsRequest.call(this, { method: 'GET', path, operation: `list the entries of ${path}` });
	const items = (Array.isArray(res.items) ? res.items : []) as IDataObject[];
	const entries = (await expandEntries.call(this, items, 8, `get an entry of ${path}`)).entries;
	const needle = (filter ?? '').toLowerCase();
	const results = entries
		.map((e) => {
			const name = ((e.body ?? {}) as IDataObject).name;
			const key = String(e.key);
			return { name: typeof name === 'string' ? `${name} (${key})` : key, value: key };
		})
		.filter((r) => !needle || r.name.toLowerCase().includes(needle));
	return { results };
}
