import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import { warningHint } from '../../shared/hints';
import { spsCredentials, spsRequest } from './request';
import { SPS, spsAuthType } from './session';

export const COMMIT_HINT =
	'Check Transaction → Get Status and Get Changes before retrying: "closed" with the change visible in the configuration means it was committed.';

/**
 * Operations that change the configuration (or API keys) need an SPS transaction, which API keys cannot use.
 * Fails BEFORE any request, with what to do.
 */
export async function requireTransactionAuth(this: IExecuteFunctions, what: string, itemIndex: number): Promise<void> {
	const credentials = await spsCredentials.call(this);
	if (spsAuthType(credentials) === 'apiKey') {
		throw new NodeOperationError(this.getNode(), `${what} needs an SPS transaction, and API keys cannot commit transactions`, {
			itemIndex,
			description:
				'Use an SPS credential with Password or Client Certificate authentication for this operation. API keys work for reads (search, get, health) and for terminating sessions.',
		});
	}
}

export interface TransactionStatus {
	status: string;
	raw: IDataObject;
}

/** GET /api/transaction. Accepts the current shape ({body:{status}}) and the ≤6.9 one ({transaction:{status}}). */
export async function transactionStatus(this: IExecuteFunctions, itemIndex: number): Promise<TransactionStatus> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'transaction', operation: 'get the transaction status', itemIndex });
	const body = ((res.body ?? res.transaction ?? {}) as IDataObject) || {};
	return { status: typeof body.status === 'string' ? body.status : 'unknown', raw: res };
}

export async function transactionChanges(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'transaction/changes', operation: 'list the transaction changes', itemIndex });
	const changes = res.changes ?? (res.body as IDataObject | undefined)?.changes;
	return Array.isArray(changes) ? (changes as IDataObject[]).map(withoutPasswordValues) : [];
}

/** A change of a password object keeps its path and type; its values (the password or its hash) are never shown. */
function withoutPasswordValues(change: IDataObject): IDataObject {
	if (!/(^|\/)configuration\/passwords(\/|$)/.test(String(change.path ?? ''))) return change;
	const out: IDataObject = { ...change };
	for (const k of ['old_value', 'new_value']) if (out[k] !== null && out[k] !== undefined) out[k] = '(password, not shown)';
	return out;
}

/** POST /api/transaction (with a body: SPS answers 411 without Content-Length). Takes the configuration lock. */
export async function openTransaction(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await spsRequest.call(this, {
		method: 'POST',
		path: 'transaction',
		body: {},
		operation: 'open a transaction',
		idempotent: false,
		outcomeHint: 'Check Transaction → Get Status; roll back with Transaction → Roll Back if it is open.',
		itemIndex,
	});
}

/** PUT /api/transaction {"status":"commit"}. Never retried automatically. */
export async function commitTransaction(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await spsRequest.call(this, {
		method: 'PUT',
		path: 'transaction',
		body: { status: 'commit' },
		operation: 'commit the transaction',
		idempotent: false,
		outcomeHint: COMMIT_HINT,
		itemIndex,
	});
}

/** DELETE /api/transaction: discards the changes and releases the lock. Never retried automatically. */
export async function rollbackTransaction(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await spsRequest.call(this, {
		method: 'DELETE',
		path: 'transaction',
		operation: 'roll back the transaction',
		idempotent: false,
		outcomeHint: 'Check Transaction → Get Status: "closed" means nothing is pending.',
		itemIndex,
	});
}

function summarizeChanges(changes: IDataObject[]): string {
	const paths = changes
		.slice(0, 3)
		.map((c) => String(c.path ?? c.type ?? '?'))
		.join(', ');
	return `${paths}${changes.length > 3 ? ', …' : ''}`;
}

/** True when SPS never answered (network/timeout): the outcome of the last action is unknown. */
function outcomeUnknown(error: NodeApiError | NodeOperationError): boolean {
	const code = 'httpCode' in error ? error.httpCode : undefined;
	return !code || code === '502' || code === '504';
}

function failed(
	this: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	stage: 'change' | 'commit',
	rollback: 'done' | 'failed' | 'skipped',
	rollbackError?: unknown,
): NodeApiError | NodeOperationError {
	const e = toNodeError(this.getNode(), error, itemIndex);
	const before = e.description ? `${e.description} ` : '';
	if (rollback === 'done') {
		e.message = `${e.message} (transaction rolled back)`;
		e.description = `${before}The transaction was rolled back: the SPS configuration is unchanged.`;
	} else if (rollback === 'failed') {
		const r = toNodeError(this.getNode(), rollbackError, itemIndex);
		e.message = `${e.message} (and the rollback failed)`;
		e.description = `${before}Rolling the transaction back also failed: ${r.message}. This login session may still hold the configuration lock: run Transaction → Roll Back, or check Transaction → Get Status.`;
	} else if (stage === 'commit') {
		e.description = `${before}The commit was not sent again and the transaction was not rolled back. ${COMMIT_HINT}`;
	}
	return e;
}

/**
 * Runs `work` inside an SPS transaction and commits it ("auto-commit"):
 *   GET /api/transaction → (POST /api/transaction) → work → PUT /api/transaction {"status":"commit"}.
 * If this login session already has an open transaction WITH changes, nothing is done (auto-commit would commit
 * someone's pending changes too). On any failure after opening, DELETE /api/transaction rolls back and the error
 * reports both. A commit whose outcome is unknown (no answer) is neither retried nor rolled back.
 */
export async function withTransaction(
	this: IExecuteFunctions,
	itemIndex: number,
	what: string,
	work: () => Promise<IDataObject>,
): Promise<IDataObject> {
	const status = await transactionStatus.call(this, itemIndex);
	if (status.status === 'open') {
		const changes = await transactionChanges.call(this, itemIndex);
		if (changes.length) {
			throw new NodeOperationError(
				this.getNode(),
				`${SPS}: this login session already has an open transaction with ${changes.length} uncommitted change(s) (${summarizeChanges(changes)}); ${what} was not started`,
				{
					itemIndex,
					description:
						'Auto-commit would commit those changes too. Commit them with Transaction → Commit or discard them with Transaction → Roll Back, then run again.',
				},
			);
		}
	} else {
		await openTransaction.call(this, itemIndex);
	}

	let result: IDataObject | undefined;
	let failure: unknown;
	let stage: 'change' | 'commit' = 'change';
	try {
		result = await work();
	} catch (error) {
		failure = error;
	}
	if (failure === undefined) {
		stage = 'commit';
		try {
			await commitTransaction.call(this, itemIndex);
			return result ?? {};
		} catch (error) {
			failure = error;
		}
	}
	const nodeError = toNodeError(this.getNode(), failure, itemIndex);
	if (stage === 'commit' && outcomeUnknown(nodeError)) {
		throw failed.call(this, nodeError, itemIndex, stage, 'skipped');
	}
	let rollbackError: unknown;
	try {
		await rollbackTransaction.call(this, itemIndex);
	} catch (error) {
		rollbackError = error;
	}
	throw failed.call(this, nodeError, itemIndex, stage, rollbackError === undefined ? 'done' : 'failed', rollbackError);
}

/** The hint of a change left pending in the login session's transaction (Auto-Commit off). */
export const PENDING_HINT =
	'The change is pending in the SPS transaction of this login session: commit it with Transaction → Commit (or discard it with Roll Back).';

/**
 * A configuration change with the node's transaction discipline (every operation that changes the configuration
 * goes through here): API keys are refused before any request; Auto-Commit on → {@link withTransaction} (open,
 * change, commit; rolled back on any failure, nothing changed); off → the change joins this login session's
 * transaction (opened when needed) and stays pending until Transaction → Commit, with a hint saying so.
 */
export async function changeConfiguration(
	this: IExecuteFunctions,
	itemIndex: number,
	change: { what: string; autoCommit: boolean },
	apply: () => Promise<IDataObject>,
): Promise<IDataObject> {
	const what = change.what.charAt(0).toUpperCase() + change.what.slice(1);
	await requireTransactionAuth.call(this, what, itemIndex);
	if (change.autoCommit) {
		const out = await withTransaction.call(this, itemIndex, change.what, apply);
		return { ...out, committed: true };
	}
	const status = await transactionStatus.call(this, itemIndex);
	if (status.status !== 'open') await openTransaction.call(this, itemIndex);
	const out = await apply();
	warningHint.call(this, PENDING_HINT);
	return { ...out, committed: false, transaction: 'open' };
}
