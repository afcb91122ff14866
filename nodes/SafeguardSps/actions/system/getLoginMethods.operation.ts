import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { spsRequest } from '../../transport/request';

export const description: INodeProperties[] = [];

/**
 * GET /api/authentication/login_methods (SPS 7.0+; anonymous on SPS, sent with this credential's auth like every
 * node request). One item per method: the value to type into the credential's "Login Method" field is `name`.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const res = await spsRequest.call(this, {
		method: 'GET',
		path: 'authentication/login_methods',
		operation: 'list the login methods',
		itemIndex,
	});
	const list = res.login_methods ?? res.items;
	return (Array.isArray(list) ? list : []).map((m: IDataObject | string) => (typeof m === 'string' ? { name: m } : m));
}
