import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { spsRequest } from '../../transport/request';
import { CURRENT_USER_SIMPLE, simplifyFor, simplifyOut } from '../simplify';

export const description: INodeProperties[] = [...simplifyFor('system', 'getCurrentUser')];

/** Fields of /api/user_info that belong to the login session, not to the user: never in the output. */
const SESSION_SECRETS = /^(x[-_]?token|csrf[-_]?token|token|session[-_]?id)$/i;

/**
 * GET /api/user_info: the credential's user, its login method and permitted endpoints. The session's CSRF token
 * (`x_token`, which SPS ≥ 7.5 wants back from browsers) is a secret of the login session: it is dropped.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'user_info', operation: 'get the current user', itemIndex });
	const out: IDataObject = {};
	for (const [k, v] of Object.entries(res)) if (k !== 'meta' && !SESSION_SECRETS.test(k)) out[k] = v;
	return simplifyOut.call(this, itemIndex, [out], CURRENT_USER_SIMPLE);
}
