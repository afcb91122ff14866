import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from '../../shared/http';
import { pageAuditList } from './paging';

/**
 * Session searches shared by Audit Session, Active Session, the pickers and the trigger. A running session is a
 * session of SPS's audit search with `active` true: SPS has no list of active sessions of its own
 * (`/api/active-sessions` only serves DELETE).
 */

/** The user's query narrowed to running sessions (`active` is a boolean session field of SPS's search). */
export function runningQuery(query: string): string {
	if (!query) return 'active:true';
	// AND binds tighter than OR in SPS's search expressions: keep the user's alternatives together
	return /\sOR\s/.test(query) ? `(${query}) AND active:true` : `${query} AND active:true`;
}

/**
 * The fields an active-session list asks for: who (user), from where to where (client → target and port, the
 * connection policy), since when, the IDs to act on, and the cluster node that records it.
 */
export const ACTIVE_FIELDS = [
	'start_time',
	'creation_time',
	'active',
	'protocol',
	'user.name',
	'user.gateway_username',
	'user.server_username',
	'client.ip',
	'recording.target.ip',
	'recording.target.port',
	'recording.connection_policy',
	'recording.session_id',
	'node_id',
].join(',');

/** A recording session ID (svc/…/policy:12) rather than an audit session key (no "/" and no ":"). */
export function isRecordingId(id: string): boolean {
	return id.includes('/') || id.includes(':');
}

/** The q term that finds one session by its recording session ID (quoted: the ID holds "/" and ":"). */
export function recordingIdQuery(id: string): string {
	return `recording.session_id:"${id.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Finds the session with a recording session ID through the audit search (1 request): its key and the few
 * fields the caller asks for, or undefined when SPS lists none (ended long ago and cleaned up, a typo, or recorded
 * on a cluster node this one does not search).
 */
export async function findByRecordingId(
	this: RequestContext,
	id: string,
	fields: string,
	operation: string,
	itemIndex?: number,
): Promise<IDataObject | undefined> {
	const listed = await pageAuditList.call(this, 'audit/sessions', { q: recordingIdQuery(id), fields }, 1, operation, itemIndex);
	return listed.items[0];
}
