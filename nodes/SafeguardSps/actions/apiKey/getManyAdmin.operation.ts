import type { IDataObject, IExecuteFunctions, INodeProperties, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { toNodeError } from '../../../shared/errors';
import { flatten, spsRequest } from '../../transport/request';
import { wanted } from '../common';
import { API_KEY_SIMPLE, simplifyFor, simplifyOut } from '../simplify';

export const ADMIN_LIST_PATH = 'configuration/aaa/local_database/api_keys';

export const description: INodeProperties[] = [...returnAllOrLimit('apiKey', 'getManyAdmin'), ...simplifyFor('apiKey', 'getManyAdmin')];

/**
 * Every user's API keys, for administrators. The endpoint is not in the public documentation of every version
 * (unverified): a 404 becomes a clear "not offered by this SPS" error.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	let res: IDataObject;
	try {
		res = await spsRequest.call(this, { method: 'GET', path: ADMIN_LIST_PATH, operation: "list all users' API keys", itemIndex });
	} catch (error) {
		if (String((error as NodeApiError).httpCode) === '404') {
			throw new NodeOperationError(this.getNode(), "This SPS does not offer an administrator list of all users' API keys", {
				itemIndex,
				description: `GET /api/${ADMIN_LIST_PATH} answered 404 (the endpoint exists only on some SPS versions). Use API Key → Get Many with each user's own credential instead.`,
			});
		}
		throw toNodeError(this.getNode(), error, itemIndex);
	}
	const entries = (Array.isArray(res.items) ? res.items : []) as IDataObject[];
	return simplifyOut.call(this, itemIndex, entries.slice(0, wanted.call(this, itemIndex)).map(flatten), API_KEY_SIMPLE);
}
