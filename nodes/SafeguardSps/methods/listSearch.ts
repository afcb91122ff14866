import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { spsRequest } from '../transport/request';

/** The credential user's API keys, for the "API Key" picker of API Key → Delete. */
export async function searchApiKeys(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'user/api_keys', operation: 'list your API keys' });
	const items = (Array.isArray(res.items) ? res.items : []) as IDataObject[];
	const needle = (filter ?? '').toLowerCase();
	const results = items
		.map((i) => {
			const body = (i.body ?? {}) as IDataObject;
			const key = String(i.key);
			const name = typeof body.name === 'string' ? `${body.name} (${key})` : key;
			return { name, value: key };
		})
		.filter((r) => !needle || r.name.toLowerCase().includes(needle));
	return { results };
}
