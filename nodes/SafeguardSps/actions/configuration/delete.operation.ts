import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { spsRequest } from '../../transport/request';
import { changeConfiguration } from '../../transport/transaction';
import { autoCommitProperty, locator, locatorValue, showFor } from '../common';
import { listPath, listPathProperty } from './create.operation';

export const description: INodeProperties[] = [
	listPathProperty('delete', 'The list below /api the entry belongs to, e.g. configuration/ssh/connections'),
	locator({
		displayName: 'Entry',
		name: 'entryKey',
		description: 'The entry to delete: pick it from the list above, or give its key',
		show: showFor('configuration', 'delete'),
		search: 'searchListEntries',
		placeholder: 'e.g. 8348340645707e2575e3c6',
		idPattern: { regex: '^\\s*[^/\\s?#]+\\s*$', errorMessage: 'A key of one entry (no "/")' },
	}),
	autoCommitProperty('configuration', 'delete'),
];

/**
 * Deletes one entry of a configuration list: DELETE <list>/<key>, inside the transaction discipline of Update
 * (Auto-Commit: open, delete, commit; rolled back on failure; a lock held by another administrator stops it before
 * anything changes). Never resent.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const path = listPath.call(this, itemIndex);
	const key = locatorValue.call(this, 'entryKey', itemIndex);
	if (!key || key.includes('/')) throw new NodeOperationError(this.getNode(), 'Choose the entry to delete, or give its key', { itemIndex });
	const autoCommit = this.getNodeParameter('autoCommit', itemIndex, true) as boolean;
	const entry = `${path}/${encodeURIComponent(key)}`;
	return await changeConfiguration.call(this, itemIndex, { what: `deleting ${entry}`, autoCommit }, async () => {
		await spsRequest.call(this, {
			method: 'DELETE',
			path: entry,
			operation: `delete ${entry}`,
			idempotent: false,
			outcomeHint: 'Check Transaction → Get Changes, or Configuration → Get on the list, before retrying.',
			itemIndex,
		});
		return { path, key, deleted: true };
	});
}
