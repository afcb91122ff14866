import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { applianceError, toNodeError } from '../../../shared/errors';
import { spsRequest } from '../../transport/request';
import { SPS } from '../../transport/session';
import { findByRecordingId, isRecordingId } from '../../transport/sessions';
import { activeSessionLocator, locatorValue } from '../common';

export const description: INodeProperties[] = [activeSessionLocator('terminate')];

const CLUSTER_RULE =
	'In an SPS cluster the Search Master terminates the sessions of its Search Minions, and a session recorded on a Search Local node can be terminated only on that node.';

/**
 * SPS answered SessionCouldNotBeFound: finds out why (reads only, 2 requests, on this failure path only) — the
 * session ended (when), or it runs on another cluster node this one cannot reach (which, and this node's roles),
 * or SPS lists no such session here.
 */
async function notFound(this: IExecuteFunctions, error: unknown, id: string, known: IDataObject | undefined, itemIndex: number): Promise<never> {
	const original = toNodeError(this.getNode(), error, itemIndex);
	let session = known;
	let roles: string[] = [];
	try {
		session ??= await findByRecordingId.call(this, id, 'active,end_time,node_id', 'look up the session that SPS could not find', itemIndex);
		const info = await spsRequest.call(this, { method: 'GET', path: 'info', operation: 'read the node roles', itemIndex });
		const r = ((info.body ?? {}) as IDataObject).roles;
		roles = Array.isArray(r) ? r.map(String) : [];
	} catch {
		throw original;
	}
	const body = ((session?.body ?? session ?? {}) as IDataObject) || {};
	const here = roles.length ? `This node reports the roles ${roles.join(', ')}.` : 'This node does not report its cluster roles.';
	if (session && body.active === false) {
		const ended = typeof body.end_time === 'string' ? ` at ${body.end_time}` : '';
		throw applianceError(this.getNode(), `${SPS} found no active session with the ID ${id}: it ended${ended}`, 'Nothing to terminate.', {
			httpCode: 404,
			itemIndex,
		});
	}
	if (session && body.active === true) {
		const node = typeof body.node_id === 'string' ? ` on cluster node "${body.node_id}"` : ' on another cluster node';
		throw applianceError(
			this.getNode(),
			`${SPS} could not terminate session ${id} from this node: SPS lists it as running, recorded${node}`,
			`${CLUSTER_RULE} ${here} Point the credential at the Search Master${typeof body.node_id === 'string' ? `, or at node "${body.node_id}" itself` : ''}, and run again. Nothing was terminated.`,
			{ httpCode: 404, itemIndex },
		);
	}
	throw applianceError(
		this.getNode(),
		`${SPS} found no active session with the ID ${id}, and its search lists no such session on this node`,
		`The session may have ended and been cleaned up, the ID may be wrong (use recording.session_id, like svc/…:12), or it runs on a cluster node this node does not search. ${CLUSTER_RULE} ${here}`,
		{ httpCode: 404, itemIndex },
	);
}

/**
 * DELETE /api/active-sessions?id=<recording session id> (the ID URL-encoded exactly once). Not transactional,
 * works with API keys; never retried automatically (the session may already be gone). An audit session key is
 * accepted: its recording session ID is looked up first (1 more request). In a cluster, SPS closes a session only
 * from a node that may (see CLUSTER_RULE); its "not found" is then explained (2 reads on that failure path).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const raw = locatorValue.call(this, 'sessionId', itemIndex);
	if (!raw) throw new NodeOperationError(this.getNode(), 'Choose the session to terminate, or give its recording session ID', { itemIndex });
	let id = raw;
	let auditKey: string | undefined;
	let known: IDataObject | undefined;
	if (!isRecordingId(raw)) {
		// an audit session key: look up its recording session ID
		auditKey = raw;
		const session = await spsRequest.call(this, {
			method: 'GET',
			path: `audit/sessions/${encodeURIComponent(raw)}`,
			operation: 'look up the session to terminate',
			itemIndex,
		});
		const body = (session.body ?? {}) as IDataObject;
		const recording = (body.recording ?? {}) as IDataObject;
		if (typeof recording.session_id !== 'string' || !recording.session_id) {
			throw new NodeOperationError(this.getNode(), `Audit session ${raw} has no recording session ID`, { itemIndex });
		}
		if (body.active === false) {
			throw new NodeOperationError(this.getNode(), `Audit session ${raw} is not active any more: nothing to terminate`, { itemIndex });
		}
		id = recording.session_id;
		known = session;
	}
	try {
		await spsRequest.call(this, {
			method: 'DELETE',
			path: 'active-sessions',
			// axios encodes query values once (encodeURIComponent): "svc/x/p:1" → id=svc%2Fx%2Fp:1
			qs: { id },
			operation: 'terminate the session',
			idempotent: false,
			outcomeHint: 'Check Active Session → Get (or Audit Session → Get, field active) before retrying.',
			itemIndex,
		});
	} catch (error) {
		const e = toNodeError(this.getNode(), error, itemIndex);
		if (/SessionCouldNotBeFound/.test(e.message)) return await notFound.call(this, e, id, known, itemIndex);
		throw e;
	}
	return { sessionId: id, ...(auditKey ? { key: auditKey } : {}), terminated: true };
}
