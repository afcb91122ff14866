import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireTransactionAuth, transactionStatus } from '../../transport/transaction';

export const description: INodeProperties[] = [];

/** GET /api/transaction: whether this login session has an open transaction. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	await requireTransactionAuth.call(this, 'Reading the transaction status', itemIndex);
	const { status, raw } = await transactionStatus.call(this, itemIndex);
	const body = ((raw.body ?? raw.transaction ?? {}) as IDataObject) || {};
	const meta = (raw.meta ?? {}) as IDataObject;
	const out: IDataObject = { ...body, status };
	if (meta.remaining_seconds !== undefined) out.remainingSeconds = meta.remaining_seconds;
	return out;
}
