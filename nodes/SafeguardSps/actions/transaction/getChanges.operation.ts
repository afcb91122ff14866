import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireTransactionAuth, transactionChanges } from '../../transport/transaction';

export const description: INodeProperties[] = [];

/** GET /api/transaction/changes: one item per pending change (none when nothing is pending). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	await requireTransactionAuth.call(this, 'Listing the transaction changes', itemIndex);
	return await transactionChanges.call(this, itemIndex);
}
