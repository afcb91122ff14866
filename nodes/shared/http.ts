import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { HttpFailure } from './errors';
import { applianceError, extractFailure, isTlsFailure, markAuthFailure, neverSent, redact, TLS_ADVICE } from './errors';
import { REPLACED_SESSION } from './login';

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions;

export interface MappedError {
	/** replaces the default message ("<appliance> answered HTTP n to <operation>: \"…\"") */
	message?: string;
	description?: string;
	/** the appliance's own words, quoted in the message */
	applianceMessage?: string;
}

export interface RequestPolicy {
	/** "KACE SMA", "Kaseya VSA", "SPS" */
	appliance: string;
	/** what we were doing, for messages: "get many machines" */
	operation: string;
	/** a read (or other request that is safe to repeat); false for anything that may run something twice */
	idempotent: boolean;
	/** how to check whether a non-idempotent request ran, quoted when its outcome is unknown */
	outcomeHint?: string;
	/** attempts in total for retryable failures (default 4 for reads, 3 for actions) */
	maxAttempts?: number;
	/** extracts the appliance's message and a fix from a failed response */
	mapError: (failure: HttpFailure) => MappedError | undefined;
	/** checks a 2xx body; returns a problem description when it is not what the route returns */
	validate?: (body: unknown) => string | undefined;
	/** longest Retry-After we wait for (ms); longer ones fail with the wait in the message */
	maxRetryAfterMs?: number;
	itemIndex?: number;
	/** values that must never appear in a message (the appliance may echo them) */
	secrets?: Array<string | undefined>;
	/** what to do about a certificate that could not be verified (default: paste the CA certificate) */
	tlsDescription?: string;
}

const RETRYABLE_READ_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * The decrypted credential of an execution context, read ONCE per context and type. Without it n8n reads the
 * credential from its database and decrypts it on every request (`getCredentials` inside
 * httpRequestWithAuthentication): a quarter of the node's time for a 41-request Return All in `n8n execute`
 * (docs/bench.md). n8n renews the session in place on this object (`Object.assign` after preAuthentication) and
 * persists it as usual, so later requests of the execution use the new session.
 */
const credentialCache = new WeakMap<object, Map<string, Promise<ICredentialDataDecryptedObject>>>();

function cacheOf(ctx: object): Map<string, Promise<ICredentialDataDecryptedObject>> {
	let byType = credentialCache.get(ctx);
	if (!byType) {
		byType = new Map();
		credentialCache.set(ctx, byType);
	}
	return byType;
}

/** The credential of this execution context, read once (see above). */
export async function credentialsOnce(this: RequestContext, credentialType: string): Promise<ICredentialDataDecryptedObject> {
	const byType = cacheOf(this);
	let data = byType.get(credentialType);
	if (!data) {
		data = this.getCredentials<ICredentialDataDecryptedObject>(credentialType);
		byType.set(credentialType, data);
		const types = byType;
		data.catch(() => types.delete(credentialType));
	}
	return await data;
}

/**
 * Replaces the credential of this execution context, for a transport that logs in by handing n8n a copy with an
 * empty session (the VSA's forced login): n8n wrote the new session into that copy.
 */
export function rememberCredentials(ctx: RequestContext, credentialType: string, data: ICredentialDataDecryptedObject): void {
	cacheOf(ctx).set(credentialType, Promise.resolve(data));
}

async function credentialOptions(
	this: RequestContext,
	credentialType: string,
): Promise<{ credentialsDecrypted: { id: string; name: string; type: string; data: ICredentialDataDecryptedObject } } | undefined> {
	// a context without getCredentials (the VSA transport's session adapter) manages its credential itself
	if (typeof (this as Partial<RequestContext>).getCredentials !== 'function') return undefined;
	const data = await credentialsOnce.call(this, credentialType);
	const ref = this.getNode().credentials?.[credentialType];
	return { credentialsDecrypted: { id: ref?.id ?? '', name: ref?.name ?? '', type: credentialType, data } };
}

/** Parses Retry-After (seconds or HTTP date) into milliseconds. */
export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number | undefined {
	const raw = headers['retry-after'];
	if (!raw) return undefined;
	if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Math.round(parseFloat(raw) * 1000);
	const at = Date.parse(raw);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - now);
}

function backoffMs(attempt: number): number {
	const base = Math.min(8000, 400 * 2 ** (attempt - 1));
	return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** True when a 2xx body we expected as JSON came back as text (HTML error page, truncated JSON, empty). */
export function notJson(body: unknown, allowEmpty: boolean): string | undefined {
	if (typeof body !== 'string') return undefined;
	const text = body.trim();
	if (!text) return allowEmpty ? undefined : 'an empty response';
	if (text.startsWith('<')) return 'an HTML page instead of JSON (a proxy or login page answered?)';
	try {
		JSON.parse(text);
		return undefined;
	} catch {
		return 'an incomplete or invalid JSON document';
	}
}

function describeCode(code: string): string {
	switch (code) {
		case 'ECONNREFUSED':
			return 'the connection was refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'the host name could not be resolved';
		case 'ECONNRESET':
		case 'EPIPE':
			return 'the connection was reset';
		case 'ETIMEDOUT':
		case 'ECONNABORTED':
		case 'ESOCKETTIMEDOUT':
			return 'the request timed out';
		default:
			return `network error ${code}`;
	}
}

/**
 * One request through n8n's `httpRequestWithAuthentication` (so the credential's login, session reuse and the
 * single re-login on 401 all apply), with bounded retries and clear errors:
 *  - reads retry on 429/5xx, resets, timeouts and malformed bodies, with exponential backoff honouring Retry-After;
 *  - actions retry only when the request provably never left (connection refused, DNS, TLS) or was refused
 *    with 429; after a reset, timeout or gateway error their outcome is reported as unknown, never resent.
 */
export async function applianceRequest<T = unknown>(
	this: RequestContext,
	credentialType: string,
	options: IHttpRequestOptions,
	policy: RequestPolicy,
): Promise<T> {
	const node = this.getNode();
	const maxAttempts = policy.maxAttempts ?? (policy.idempotent ? 4 : 3);
	const maxRetryAfter = policy.maxRetryAfterMs ?? 60_000;
	const clean = (s: string) => redact(s, policy.secrets ?? []);
	let failure: HttpFailure | undefined;
	let malformed: string | undefined;

	const credential = await credentialOptions.call(this, credentialType);
	for (let attempt = 1; attempt <= maxAttempts; attempt++) {
		failure = undefined;
		malformed = undefined;
		let response: unknown;
		try {
			// a context without getCredentials (the VSA transport's session adapter) renews sessions itself
			response = credential
				? await sendWithSession.call(this, credentialType, options, credential)
				: await this.helpers.httpRequestWithAuthentication.call(this, credentialType, { ...options }, credential);
		} catch (error) {
			failure = extractFailure(error);
		}
		if (!failure) {
			const body = options.returnFullResponse ? (response as { body?: unknown }).body : response;
			malformed = policy.validate?.(body);
			if (!malformed) return response as T;
		}

		// decide whether another attempt is allowed
		let waitMs: number | undefined;
		if (failure?.auth || failure?.config) break;
		if (malformed) {
			if (!policy.idempotent) break;
			waitMs = backoffMs(attempt);
		} else if (failure && failure.status !== undefined) {
			const after = retryAfterMs(failure.headers);
			const retryable = failure.status === 429 || (policy.idempotent && RETRYABLE_READ_STATUS.has(failure.status));
			if (!retryable) break;
			if (after !== undefined && after > maxRetryAfter) break;
			waitMs = after ?? backoffMs(attempt);
		} else if (failure) {
			if (neverSent(failure)) {
				if (isTlsFailure(failure)) break; // a certificate problem does not heal by retrying
				waitMs = backoffMs(attempt);
			} else if (policy.idempotent) {
				waitMs = backoffMs(attempt);
			} else break;
		}
		if (attempt === maxAttempts || waitMs === undefined) break;
		await sleep(waitMs);
	}

	throw buildError(node, policy, failure, malformed, clean, maxAttempts);
}

/** Per execution context: the renewal of the session in progress, and how many have completed. */
interface SessionGate {
	renewal?: Promise<void>;
	generation: number;
	/** the session stayed refused after a renewal: later requests fail the same way, no more logins */
	refused?: unknown;
}

const gates = new WeakMap<object, SessionGate>();

type CredentialOption = NonNullable<Awaited<ReturnType<typeof credentialOptions>>>;

/**
 * Pauses before reading the stored credential again, for a session refused right after its own login: on an
 * appliance that ends a user's earlier sessions at each login, another worker's login has just ended it, and that
 * worker stores its session moments later.
 */
const STORED_WAITS_MS = [250, 500, 1000, 1000, 2000];

/**
 * The credential as stored now (n8n reads its database on each getCredentials), when `isNew` accepts it: another
 * execution or queue-mode worker renewed the session meanwhile. With `wait`, reads again after each of
 * STORED_WAITS_MS before giving up.
 */
export async function storedCredential(
	ctx: RequestContext,
	credentialType: string,
	isNew: (stored: ICredentialDataDecryptedObject) => boolean,
	wait = false,
): Promise<ICredentialDataDecryptedObject | undefined> {
	for (let i = 0; ; i++) {
		try {
			const stored = await (ctx as IExecuteFunctions).getCredentials<ICredentialDataDecryptedObject>(credentialType);
			if (isNew(stored)) return stored;
		} catch {
			// not readable now: as if nothing new was stored
		}
		if (!wait || i >= STORED_WAITS_MS.length) return undefined;
		await sleep(STORED_WAITS_MS[i]);
	}
}

/**
 * Sends one request of an execution with the session handling n8n lacks for many requests and many processes.
 * n8n re-logs in on every HTTP 401 it sees, so N requests refused at once (session expired, KACE CSRF token
 * rotated) would mean N logins, and it knows nothing of the session another queue-mode worker stored meanwhile.
 * Here the request is sent with `ignoreHttpStatusErrors` (n8n's own re-login cannot fire); on a 401 either another
 * request of the execution is already renewing the session (wait, then send once more with the new one), or this
 * request renews it for all of them:
 *  1. the session stored now, when it is not the refused one (another process renewed it), is taken, no login;
 *  2. otherwise the request is sent with the credential's session emptied, so n8n runs the credential's
 *     preAuthentication first (one login per process at a time: nodes/shared/login.ts) and stores the new session;
 *  3. a session refused right after that login (the appliance may end a user's earlier sessions when another
 *     worker logs in) is replaced by the one that worker stores (read again for up to 4.75 s); when none comes
 *     (the database still holds a dead session: n8n's last write wins), one more login; a session refused after
 *     that fails the request.
 * At most two logins per request, the second only after that wait; any other status is thrown like n8n throws
 * it, so retries and messages are unchanged.
 */
async function sendWithSession(
	this: RequestContext,
	credentialType: string,
	options: IHttpRequestOptions,
	credential: CredentialOption,
): Promise<unknown> {
	let gate = gates.get(this);
	if (!gate) {
		gate = { generation: 0 };
		gates.set(this, gate);
	}
	const data = credential.credentialsDecrypted.data;
	const send = async (using: CredentialOption) =>
		(await this.helpers.httpRequestWithAuthentication.call(
			this,
			credentialType,
			{ ...options, ignoreHttpStatusErrors: true, returnFullResponse: true },
			using,
		)) as IN8nHttpFullResponse;
	const done = (res: IN8nHttpFullResponse) => {
		if (res.statusCode >= 200 && res.statusCode < 300) return options.returnFullResponse ? res : res.body;
		throw Object.assign(new Error(`HTTP ${res.statusCode}`), {
			response: { status: res.statusCode, headers: res.headers, data: res.body },
		});
	};
	let logins = 0;
	let adoptions = 0;
	/** the login handed back the session that was refused (an API key): neither waiting nor logging in again helps */
	let unchanged = false;
	/** the session refused, still to be renewed (set after a refusal right after a login: no need to resend) */
	let refused: { session: string; res: IN8nHttpFullResponse } | undefined;
	for (let round = 0; round < 12; round++) {
		if (!refused) {
			if (gate.renewal) await gate.renewal;
			if (gate.refused) throw gate.refused;
			const generation = gate.generation;
			const res = await send(credential);
			if (res.statusCode !== 401) return done(res);
			// renewed by another request since this one was sent: once more with the new session
			if (gate.renewal || gate.generation !== generation) continue;
			// the session this request was sent with (n8n logs in first when the field is empty)
			refused = { session: String(data.session ?? ''), res };
		}
		// this request renews the session for the execution
		let release = () => {};
		gate.renewal = new Promise<void>((resolve) => (release = resolve));
		try {
			const before = refused.session;
			// after our first login the other worker's session is on its way: wait for it (after a second, no more)
			const stored = adoptions < 3 && logins < 2 && !unchanged ? await storedCredential(this, credentialType, (c) => !!c.session && c.session !== before, logins === 1) : undefined;
			if (stored) {
				adoptions++;
				data.session = stored.session;
				refused = undefined;
				continue;
			}
			if (logins >= 2 || unchanged) {
				gate.refused = Object.assign(new Error('HTTP 401'), {
					response: { status: 401, headers: refused.res.headers, data: refused.res.body },
				});
				throw gate.refused;
			}
			logins++;
			const copy: ICredentialDataDecryptedObject = { ...data, session: '', [REPLACED_SESSION]: refused.session };
			const res = await send({ credentialsDecrypted: { ...credential.credentialsDecrypted, data: copy } }).catch((error: unknown) => {
				// a refused login: the other requests of the execution fail the same way, without a login of their own
				if (extractFailure(error).auth) gate.refused = error;
				return Promise.reject(error);
			});
			// n8n wrote the new session into the copy (and stored it): the whole execution uses it from now on
			data.session = copy.session;
			unchanged = String(copy.session ?? '') === refused.session;
			refused = res.statusCode === 401 ? { session: String(copy.session ?? ''), res } : undefined;
			if (!refused) return done(res);
		} finally {
			gate.generation++;
			gate.renewal = undefined;
			release();
		}
	}
	throw Object.assign(new Error('HTTP 401'), { response: { status: 401, headers: {}, data: undefined } });
}

function buildError(
	node: ReturnType<RequestContext['getNode']>,
	policy: RequestPolicy,
	failure: HttpFailure | undefined,
	malformed: string | undefined,
	clean: (s: string) => string,
	maxAttempts: number,
): NodeApiError | NodeOperationError {
	const { appliance, operation, itemIndex } = policy;
	if (malformed) {
		return applianceError(
			node,
			`${appliance} returned ${malformed} to ${operation}`,
			policy.idempotent
				? `Tried ${maxAttempts} times. Check that the URL points at the appliance itself (not a proxy or portal) and that the appliance is healthy.`
				: `The request reached the appliance, so it was not sent again: the outcome is unknown. ${policy.outcomeHint ?? ''}`.trim(),
			{ itemIndex },
		);
	}
	if (!failure) return applianceError(node, `${appliance}: ${operation} failed`, undefined, { itemIndex });
	// a credential that cannot work (bad URL, a portal page answering the login): every later item would try again
	if (failure.config) return markAuthFailure(new NodeOperationError(node, clean(failure.config), { itemIndex }));
	if (failure.auth) {
		return markAuthFailure(
			applianceError(node, clean(failure.auth), 'Fix the credential and run again. Only one login attempt was made, to avoid locking the account.', {
				itemIndex,
				httpCode: 401,
			}),
		);
	}
	if (failure.status === undefined) {
		const code = failure.code ?? 'UNKNOWN';
		if (isTlsFailure(failure)) {
			return applianceError(
				node,
				`${appliance}: the HTTPS certificate could not be verified (${code})`,
				policy.tlsDescription ?? TLS_ADVICE,
				{ itemIndex },
			);
		}
		if (neverSent(failure)) {
			return applianceError(
				node,
				`${appliance} could not be reached for ${operation}: ${describeCode(code)}`,
				'Check the URL and port in the credential, and that n8n can reach the appliance.',
				{ itemIndex },
			);
		}
		if (!policy.idempotent) {
			return applianceError(
				node,
				`${appliance}: the outcome of ${operation} is unknown (${describeCode(code)})`,
				`The request may have reached the appliance and run. It was not sent again, to avoid running it twice. ${policy.outcomeHint ?? ''}`.trim(),
				{ itemIndex },
			);
		}
		return applianceError(
			node,
			`${appliance}: ${operation} failed: ${describeCode(code)} (tried ${maxAttempts} times)`,
			failure.code === 'ETIMEDOUT' || failure.code === 'ECONNABORTED' || failure.code === 'ESOCKETTIMEDOUT'
				? "The appliance did not answer in time. It may be overloaded or restarting: try again later, or raise 'Request Timeout (Seconds)' in the credential."
				: 'The appliance may be overloaded or restarting. Try again later.',
			{ itemIndex },
		);
	}
	const mapped = policy.mapError(failure);
	const status = failure.status;
	const quoted = mapped?.applianceMessage ? `: "${clean(mapped.applianceMessage)}"` : '';
	const after = retryAfterMs(failure.headers);
	let description = mapped?.description;
	if (status === 429) {
		description = `The appliance is rate-limiting requests${after !== undefined ? `; it asked to wait ${Math.ceil(after / 1000)} s` : ''}. Reduce how often this workflow runs or lower the concurrency option.`;
	} else if (!policy.idempotent && (status === 502 || status === 504)) {
		return applianceError(
			node,
			`${appliance}: the outcome of ${operation} is unknown (HTTP ${status} from a gateway)`,
			`The request may have reached the appliance and run. It was not sent again, to avoid running it twice. ${policy.outcomeHint ?? ''}`.trim(),
			{ itemIndex, httpCode: status },
		);
	} else if (policy.idempotent && RETRYABLE_READ_STATUS.has(status)) {
		description = `${description ? `${description} ` : ''}Tried ${maxAttempts} times.`;
	}
	const message = mapped?.message ?? `${appliance} answered HTTP ${status} to ${operation}${quoted}`;
	const error = applianceError(node, clean(message), description && clean(description), {
		itemIndex,
		httpCode: status,
		applianceMessage: mapped?.applianceMessage && clean(mapped.applianceMessage),
	});
	// a 401 here already survived n8n's one re-login: later items must not log in again
	return status === 401 ? markAuthFailure(error) : error;
}
