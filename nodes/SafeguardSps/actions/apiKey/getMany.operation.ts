import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { expandEntries } from '../../transport/paging';
import { flatten, spsRequest } from '../../transport/request';
import { includeBodyProperty, wanted } from '../common';
import { API_KEY_SIMPLE, simplifyFor, simplifyOut } from '../simplify';

export const description: INodeProperties[] = [
	...returnAllOrLimit('apiKey', 'getMany'),
	includeBodyProperty(
		'apiKey',
		'getMany',
		'Whether to fetch each key whose list entry carries only its key and link (one request per key). The token itself is never shown again by SPS.',
	),
	...simplifyFor('apiKey', 'getMany'),
];

/** GET /api/user/api_keys: the current user's keys (SPS never returns the token again). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'user/api_keys', operation: 'list your API keys', itemIndex });
	let entries = (Array.isArray(res.items) ? res.items : []) as IDataObject[];
	entries = entries.slice(0, wanted.call(this, itemIndex));
	if (this.getNodeParameter('includeBody', itemIndex, false) as boolean) {
		entries = (await expandEntries.call(this, entries, 4, 'get an API key', itemIndex)).entries;
	}
	return simplifyOut.call(this, itemIndex, entries.map(flatten), API_KEY_SIMPLE);
}
