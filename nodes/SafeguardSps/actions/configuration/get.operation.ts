import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { expandEntries } from '../../transport/paging';
import { spsRequest } from '../../transport/request';
import { concurrencyOption, includeBodyProperty, showFor } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'configuration/management/email',
		description:
			'Any REST path below /api, e.g. configuration/ssh/connections or an href such as /api/configuration/ssh/connections/&lt;key&gt;. Folders and lists return one item per entry.',
		displayOptions: showFor('configuration', 'get'),
	},
	includeBodyProperty(
		'configuration',
		'get',
		'Whether to fetch the body of each list entry that carries only its key and link (one request per entry)',
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('configuration', 'get'),
		options: [concurrencyOption],
	},
];

function entryOut(entry: IDataObject): IDataObject {
	const meta = (entry.meta ?? {}) as IDataObject;
	const out: IDataObject = { key: entry.key as string };
	if (typeof meta.href === 'string') out.href = meta.href;
	if (entry.body !== undefined) out.body = entry.body;
	return out;
}

/**
 * GET any path. A single object gives one item { key, href, body }; a list or folder gives one item per entry
 * (bodies fetched on request, with bounded concurrency).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const path = String(this.getNodeParameter('path', itemIndex, ''));
	const res = await spsRequest.call(this, { method: 'GET', path, operation: `get ${path}`, itemIndex });
	if (!Array.isArray(res.items)) {
		const meta = (res.meta ?? {}) as IDataObject;
		if (res.key === undefined && res.body === undefined) {
			// endpoints with their own top-level key (health_status, user_info…): pass through without meta
			const rest: IDataObject = { ...res };
			delete rest.meta;
			return [rest];
		}
		return [{ key: res.key as string, href: (meta.href as string) ?? undefined, body: res.body }];
	}
	let entries = res.items as IDataObject[];
	if (this.getNodeParameter('includeBody', itemIndex, false) as boolean) {
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		entries = (await expandEntries.call(this, entries, (options.concurrency as number) ?? 8, `get an entry of ${path}`, itemIndex)).entries;
	}
	return entries.map(entryOut);
}
