import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { spsRequest } from '../../transport/request';

export const description: INodeProperties[] = [];

/** GET /api/user_info: the credential's user, its login method and permitted endpoints. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'user_info', operation: 'get the current user', itemIndex });
	const out: IDataObject = { ...res };
	delete out.meta;
	return out;
}
