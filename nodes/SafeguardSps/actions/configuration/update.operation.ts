import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { changedPaths, deepMerge, referencesToKeys } from '../../transport/merge';
import { spsRequest } from '../../transport/request';
import { changeConfiguration } from '../../transport/transaction';
import { autoCommitProperty, jsonFieldsProperty, jsonObjectParameter, showFor } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'configuration/management/email',
		description: 'Path of ONE configuration object below /api (not a list or folder), e.g. configuration/ssh/connections/&lt;key&gt;',
		displayOptions: showFor('configuration', 'update'),
	},
	{
		displayName: 'Update Mode',
		name: 'mode',
		type: 'options',
		options: [
			{
				name: 'Merge Into Current',
				value: 'merge',
				description: 'Read the object, deep-merge the fields below into it and write it back (GET → merge → PUT)',
			},
			{
				name: 'Replace Whole Object',
				value: 'replace',
				description: 'Write the JSON below as the complete object (SPS rejects missing fields)',
			},
		],
		default: 'merge',
		displayOptions: showFor('configuration', 'update'),
	},
	jsonFieldsProperty(
		'update',
		'Fields to change, e.g. {"admin_address": "ops@example.com"}. Objects merge, arrays and values replace. References may be given as key strings.',
	),
	autoCommitProperty('configuration', 'update'),
];

/**
 * Updates one configuration object. Auto-commit (default): GET /api/transaction → POST /api/transaction →
 * GET <path> → merge → PUT <path> → PUT /api/transaction {"status":"commit"}; any failure after opening rolls back
 * (DELETE /api/transaction) and the error reports both.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const path = String(this.getNodeParameter('path', itemIndex, '')).trim();
	const mode = this.getNodeParameter('mode', itemIndex, 'merge') as string;
	const autoCommit = this.getNodeParameter('autoCommit', itemIndex, true) as boolean;
	const change = jsonObjectParameter.call(this, 'fields', itemIndex, 'Fields (JSON)');
	if (!path) throw new NodeOperationError(this.getNode(), 'Enter the path of the configuration object to update', { itemIndex });

	const apply = async (): Promise<IDataObject> => {
		let before: unknown;
		let next: unknown;
		let key: string | undefined;
		if (mode === 'replace') {
			next = referencesToKeys(change);
		} else {
			const current = await spsRequest.call(this, { method: 'GET', path, operation: `read ${path}`, itemIndex });
			if (Array.isArray(current.items)) {
				throw new NodeOperationError(this.getNode(), `${path} is a list or folder, not a single object`, {
					itemIndex,
					description: 'Give the path of one entry, e.g. its href from Configuration → Get on this path.',
				});
			}
			if (current.body === undefined || current.body === null || typeof current.body !== 'object' || Array.isArray(current.body)) {
				throw new NodeOperationError(this.getNode(), `${path} has no object body that can be merged`, {
					itemIndex,
					description: 'Use Update Mode "Replace Whole Object" for this path.',
				});
			}
			key = current.key as string | undefined;
			before = current.body;
			next = referencesToKeys(deepMerge(current.body, change));
		}
		await spsRequest.call(this, {
			method: 'PUT',
			path,
			body: next,
			operation: `update ${path}`,
			// a PUT of the same full object is repeatable, but keep actions single-shot inside a transaction
			idempotent: false,
			outcomeHint: 'Check Transaction → Get Changes before retrying.',
			itemIndex,
		});
		const out: IDataObject = { path, ...(key !== undefined ? { key } : {}) };
		if (before !== undefined) out.changedFields = changedPaths(before, next);
		out.body = next as IDataObject;
		return out;
	};

	return await changeConfiguration.call(this, itemIndex, { what: `updating ${path}`, autoCommit }, apply);
}
