import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { spsRequest } from '../../transport/request';
import { requireTransactionAuth, withTransaction } from '../../transport/transaction';
import { showFor, textProperty } from '../common';

export const description: INodeProperties[] = [
	textProperty(showFor('apiKey', 'create'), {
		displayName: 'Name',
		name: 'name',
		required: true,
		placeholder: 'n8n_automation',
		description: 'Name of the new key: letters, digits, underscore, dot or dash, no spaces',
	}),
];

/**
 * Creates an API key for the credential's user and commits the transaction (a key works only after commit).
 * The token is in the output ONCE: SPS never shows it again. Never retried automatically.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
		throw new NodeOperationError(this.getNode(), `API key name "${name}" is not allowed`, {
			itemIndex,
			description: 'Use only letters, digits, underscore, dot or dash (no spaces), e.g. n8n_automation.',
		});
	}
	await requireTransactionAuth.call(this, 'Creating an API key', itemIndex);
	const created = await withTransaction.call(this, itemIndex, 'creating the API key', async () =>
		spsRequest.call(this, {
			method: 'POST',
			path: 'user/api_keys',
			body: { name },
			operation: `create the API key "${name}"`,
			idempotent: false,
			outcomeHint: 'Check API Key → Get Many before retrying, to avoid a second key.',
			itemIndex,
		}),
	);
	const body = (created.body ?? {}) as IDataObject;
	return {
		key: created.key as string,
		...body,
		committed: true,
		note: 'Store the token now: SPS never shows it again.',
	};
}
