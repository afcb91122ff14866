import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { commitTransaction, requireTransactionAuth } from '../../transport/transaction';

export const description: INodeProperties[] = [];

/** PUT /api/transaction {"status":"commit"}: applies this login session's pending changes. Never retried. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	await requireTransactionAuth.call(this, 'Committing a transaction', itemIndex);
	const res = await commitTransaction.call(this, itemIndex);
	const body = ((res.body ?? res.transaction ?? {}) as IDataObject) || {};
	return { committed: true, status: (body.status as string) ?? 'closed' };
}
