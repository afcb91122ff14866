import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { referencesToKeys } from '../../transport/merge';
import { apiPath, spsRequest } from '../../transport/request';
import { changeConfiguration } from '../../transport/transaction';
import { autoCommitProperty, jsonFieldsProperty, jsonObjectParameter, showFor } from '../common';

export const listPathProperty = (operation: string, description: string): INodeProperties => ({
	displayName: 'List Path',
	name: 'listPath',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'configuration/ssh/connections',
	description,
	displayOptions: showFor('configuration', operation),
});

/** The list path of a Create / Delete, checked before any request. */
export function listPath(this: IExecuteFunctions, itemIndex: number): string {
	const raw = String(this.getNodeParameter('listPath', itemIndex, '') ?? '').trim();
	if (!raw) throw new NodeOperationError(this.getNode(), 'Enter the path of the configuration list', { itemIndex });
	try {
		return apiPath(raw);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
	}
}

export const description: INodeProperties[] = [
	listPathProperty(
		'create',
		'The list below /api to add an entry to, e.g. configuration/ssh/connections (a connection policy) or configuration/aaa/local_database/groups',
	),
	jsonFieldsProperty(
		'create',
		'The whole new entry, as SPS expects it (every field of the list’s entries: Configuration → Get on an existing entry shows them). References may be given as key strings.',
	),
	autoCommitProperty('configuration', 'create'),
];

/**
 * Adds an entry to a configuration list: POST <list> with the whole entry (SPS answers with the new key), inside the
 * transaction discipline of Update (Auto-Commit: GET/POST /api/transaction → POST <list> → commit; rolled back on
 * failure; a lock held by another administrator stops it before anything changes). Never resent.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const path = listPath.call(this, itemIndex);
	const autoCommit = this.getNodeParameter('autoCommit', itemIndex, true) as boolean;
	const body = referencesToKeys(jsonObjectParameter.call(this, 'fields', itemIndex, 'Fields (JSON)')) as IDataObject;
	if (!Object.keys(body).length) {
		throw new NodeOperationError(this.getNode(), 'Fields (JSON) is empty: give the whole new entry', {
			itemIndex,
			description: 'Configuration → Get on an existing entry of this list shows every field an entry has.',
		});
	}
	return await changeConfiguration.call(this, itemIndex, { what: `adding an entry to ${path}`, autoCommit }, async () => {
		const res = await spsRequest.call(this, {
			method: 'POST',
			path,
			body,
			operation: `add an entry to ${path}`,
			idempotent: false,
			outcomeHint: 'Check Transaction → Get Changes, or Configuration → Get on the list, before retrying (to avoid a second entry).',
			itemIndex,
		});
		const key = String(res.key ?? '');
		const href = ((res.meta ?? {}) as IDataObject).href;
		return { path, key, href: typeof href === 'string' ? href : `/api/${path}/${key}`, body };
	});
}
