import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { flatten, spsRequest } from '../../transport/request';
import { findByRecordingId, isRecordingId } from '../../transport/sessions';
import { activeSessionLocator, locatorValue } from '../common';
import { SESSION_SIMPLE, simplifyFor, simplifyOut } from '../simplify';

export const description: INodeProperties[] = [activeSessionLocator('get'), ...simplifyFor('activeSession', 'get')];

/**
 * The audit key of an active session given by its recording session ID or its key. A recording session ID is
 * looked up with the audit search (`q=recording.session_id:"…"`, 1 request).
 */
export async function activeSessionKey(this: IExecuteFunctions, id: string, itemIndex: number): Promise<string> {
	if (!isRecordingId(id)) return id;
	const found = await findByRecordingId.call(this, id, 'active', 'look up the session by its recording session ID', itemIndex);
	if (!found || typeof found.key !== 'string') {
		throw new NodeOperationError(this.getNode(), `SPS lists no session with the recording session ID ${id}`, {
			itemIndex,
			description:
				'Check the ID (recording.session_id of Audit Session → Search or Active Session → Get Many). In an SPS cluster, a session recorded on another node is listed by the Search Master (or, on a Search Local node, only by that node).',
		});
	}
	return found.key;
}

/**
 * One running session: GET /api/audit/sessions/<key> (1 request; 2 when given a recording session ID, which is
 * looked up first). A session that has ended is an error that says when, pointing at Audit Session → Get.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = locatorValue.call(this, 'sessionId', itemIndex);
	if (!id) throw new NodeOperationError(this.getNode(), 'Choose the active session, or give its recording session ID or audit key', { itemIndex });
	const key = await activeSessionKey.call(this, id, itemIndex);
	const res = await spsRequest.call(this, { method: 'GET', path: `audit/sessions/${encodeURIComponent(key)}`, operation: 'get the active session', itemIndex });
	const session = flatten(res);
	if (session.active === false) {
		const ended = typeof session.end_time === 'string' ? ` (it ended at ${session.end_time})` : '';
		throw new NodeOperationError(this.getNode(), `Session ${id} is not active any more${ended}`, {
			itemIndex,
			description: 'Use Audit Session → Get for the record of a session that has ended.',
		});
	}
	return simplifyOut.call(this, itemIndex, [session], SESSION_SIMPLE);
}
