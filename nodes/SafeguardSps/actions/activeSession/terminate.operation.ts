import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { spsRequest } from '../../transport/request';
import { showFor } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'svc/rUhhQZ3jYsY1NDWYp9DEpq/ssh-prod:29',
		description:
			'Recording session ID (recording.session_id of an audit session, like svc/…:29). An audit session key is accepted too: its recording session ID is looked up first.',
		displayOptions: showFor('activeSession', 'terminate'),
	},
];

/**
 * DELETE /api/active-sessions?id=<recording session id> (the ID URL-encoded exactly once). Not transactional,
 * works with API keys; never retried automatically (the session may already be gone).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const raw = String(this.getNodeParameter('sessionId', itemIndex, '') ?? '').trim();
	if (!raw) throw new NodeOperationError(this.getNode(), 'Enter the session ID to terminate', { itemIndex });
	let id = raw;
	let auditKey: string | undefined;
	if (!raw.includes('/') && !raw.includes(':')) {
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
	}
	await spsRequest.call(this, {
		method: 'DELETE',
		path: 'active-sessions',
		// axios encodes query values once (encodeURIComponent): "svc/x/p:1" → id=svc%2Fx%2Fp:1
		qs: { id },
		operation: 'terminate the session',
		idempotent: false,
		outcomeHint: 'Check Audit Session → Get (field active) before retrying.',
		itemIndex,
	});
	return { sessionId: id, ...(auditKey ? { key: auditKey } : {}), terminated: true };
}
