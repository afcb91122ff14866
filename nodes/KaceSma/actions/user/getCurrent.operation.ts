import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyProperties } from '../../../shared/simplify';
import { envelopeRows, kaceRequest } from '../../transport';
import { ENTITIES } from '../common/entities';
import { simplified } from '../common/simple';

export const description: INodeProperties[] = [...simplifyProperties({ resource: ['user'], operation: ['getCurrent'] })];

/** GET /api/users/me: the account the credential logs in with (a plain user object, or a Users envelope). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const body = (await kaceRequest.call(this, 'GET', '/api/users/me', { operation: 'get the current user', itemIndex })) as IDataObject;
	const user = envelopeRows(body, ENTITIES.user.key)[0] ?? body;
	return simplified.call(this, itemIndex, [user], ENTITIES.user.simple);
}
