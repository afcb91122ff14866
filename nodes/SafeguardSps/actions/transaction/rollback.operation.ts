import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireTransactionAuth, rollbackTransaction } from '../../transport/transaction';

export const description: INodeProperties[] = [];

/** DELETE /api/transaction: discards this login session's pending changes and releases the lock. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	await requireTransactionAuth.call(this, 'Rolling back a transaction', itemIndex);
	await rollbackTransaction.call(this, itemIndex);
	return { rolledBack: true, status: 'closed' };
}
