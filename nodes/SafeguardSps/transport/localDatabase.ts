import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from '../../shared/http';
import { referencesToKeys } from './merge';
import { expandEntries } from './paging';
import { flatten, spsRequest } from './request';

/**
 * SPS's local user database (`/api/configuration/aaa/local_database/users|groups`): one table of what differs
 * between users and groups, and the reads and writes both share. Writes run inside a configuration transaction
 * (transaction.ts changeConfiguration); a group's members are names (local users or LDAP names), so a user's
 * memberships are edited in the groups.
 */
export interface LocalEntity {
	resource: 'localUser' | 'localGroup';
	path: string;
	/** "local user" */
	noun: string;
	plural: string;
	/** the picker parameter */
	param: string;
	search: string;
	example: string;
}

export const LOCAL_USERS: LocalEntity = {
	resource: 'localUser',
	path: 'configuration/aaa/local_database/users',
	noun: 'local user',
	plural: 'local users',
	param: 'userId',
	search: 'searchLocalUsers',
	example: '103640099357f3b14f0529a',
};

export const LOCAL_GROUPS: LocalEntity = {
	resource: 'localGroup',
	path: 'configuration/aaa/local_database/groups',
	noun: 'local group',
	plural: 'local groups',
	param: 'groupId',
	search: 'searchLocalGroups',
	example: '-401',
};

/**
 * An entry as it goes out: `{key, href, ...body}`. A user's password is a write-only reference; the reference is
 * replaced by `passwordSet` (the password itself is never readable).
 */
export function localRow(entry: IDataObject): IDataObject {
	const row = flatten(entry);
	if ('password' in row) {
		row.passwordSet = row.password !== null && row.password !== undefined && row.password !== '';
		delete row.password;
	}
	return row;
}

/**
 * The entries of a local list with their bodies: GET <list> (entries carry key + link only) and one GET per entry,
 * `concurrency` at a time, up to `want` entries (the list is not paged by SPS: it is read whole and cut).
 */
export async function listLocal(
	this: RequestContext,
	entity: LocalEntity,
	want: number,
	concurrency: number,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const res = await spsRequest.call(this, { method: 'GET', path: entity.path, operation: `list the ${entity.plural}`, itemIndex });
	const entries = ((Array.isArray(res.items) ? res.items : []) as IDataObject[]).slice(0, want);
	return (await expandEntries.call(this, entries, concurrency, `get a ${entity.noun}`, itemIndex)).entries;
}

/** GET <list>/<key>: one entry (body included). */
export async function getLocal(this: RequestContext, entity: LocalEntity, key: string, itemIndex?: number): Promise<IDataObject> {
	return await spsRequest.call(this, { method: 'GET', path: `${entity.path}/${encodeURIComponent(key)}`, operation: `get the ${entity.noun}`, itemIndex });
}

/**
 * POST /api/configuration/passwords {"plain": …}: a write-only reference to the password, for one object. The
 * password is never returned, quoted in a message or logged.
 */
export async function storePassword(this: RequestContext, password: string, itemIndex?: number): Promise<string> {
	const res = await spsRequest.call(this, {
		method: 'POST',
		path: 'configuration/passwords',
		body: { plain: password },
		operation: 'store the password',
		idempotent: false,
		outcomeHint: 'Nothing uses a stored password until the user references it; check Transaction → Get Changes.',
		itemIndex,
		secrets: [password],
	});
	if (typeof res.key !== 'string' || !res.key) throw new Error('SPS stored the password but returned no reference key');
	return res.key;
}

/** PUT of one local entry's whole body (references written as keys). Never resent. */
export async function putLocal(this: RequestContext, entity: LocalEntity, key: string, body: IDataObject, itemIndex?: number): Promise<void> {
	await spsRequest.call(this, {
		method: 'PUT',
		path: `${entity.path}/${encodeURIComponent(key)}`,
		body: referencesToKeys(body),
		operation: `update the ${entity.noun} ${String(body.name ?? key)}`,
		idempotent: false,
		outcomeHint: 'Check Transaction → Get Changes before retrying.',
		itemIndex,
	});
}

function membersOf(body: IDataObject): string[] {
	return Array.isArray(body.members) ? body.members.map(String) : [];
}

/**
 * Edits the groups a member name belongs to (inside the caller's transaction): `add` = group keys the name joins,
 * `remove` = drop the name from every group, `rename` = replace it by a new name in every group. Reads only what it
 * needs (the named groups, or every group for remove/rename) and writes only the groups that change. Returns the
 * names of the groups changed.
 */
export async function editMemberships(
	this: RequestContext,
	name: string,
	change: { add?: string[]; remove?: boolean; renameTo?: string },
	itemIndex?: number,
): Promise<string[]> {
	let groups: IDataObject[];
	if (change.add) {
		groups = [];
		for (const key of change.add) groups.push(await getLocal.call(this, LOCAL_GROUPS, key, itemIndex));
	} else {
		groups = await listLocal.call(this, LOCAL_GROUPS, Number.POSITIVE_INFINITY, 8, itemIndex);
	}
	const changed: string[] = [];
	for (const group of groups) {
		const body = { ...((group.body ?? {}) as IDataObject) };
		const members = membersOf(body);
		let next = members;
		if (change.add && !members.includes(name)) next = [...members, name];
		if (change.remove) next = members.filter((m) => m !== name);
		if (change.renameTo !== undefined) next = members.map((m) => (m === name ? change.renameTo! : m));
		if (JSON.stringify(next) === JSON.stringify(members)) continue;
		body.members = next;
		await putLocal.call(this, LOCAL_GROUPS, String(group.key), body, itemIndex);
		changed.push(String(body.name ?? group.key));
	}
	return changed;
}

/** A list of names given as a comma-separated string or an array (from an expression). */
export function nameList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return [...new Set(list.map((v) => String(v).trim()).filter(Boolean))];
}
