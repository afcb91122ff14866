import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { spsRequest } from '../../transport/request';
import { requireTransactionAuth, withTransaction } from '../../transport/transaction';
import { showFor } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'API Key',
		name: 'apiKeyId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: 'The key to delete (its ID, not the token)',
		displayOptions: showFor('apiKey', 'delete'),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchApiKeys', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '2dde93c0-5ac4-4f8e-9a6b-5f1e8a7c2b10',
			},
		],
	},
];

/** Deletes one of the user's API keys and commits (the key stops working after commit). Never retried. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const key = String(this.getNodeParameter('apiKeyId', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!key) throw new NodeOperationError(this.getNode(), 'Choose the API key to delete', { itemIndex });
	await requireTransactionAuth.call(this, 'Deleting an API key', itemIndex);
	await withTransaction.call(this, itemIndex, 'deleting the API key', async () =>
		spsRequest.call(this, {
			method: 'DELETE',
			path: `user/api_keys/${encodeURIComponent(key)}`,
			operation: 'delete the API key',
			idempotent: false,
			outcomeHint: 'Check API Key → Get Many before retrying.',
			itemIndex,
		}),
	);
	return { key, deleted: true, committed: true };
}
