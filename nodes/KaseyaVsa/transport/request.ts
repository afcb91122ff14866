import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import type { HttpFailure } from '../../shared/errors';
import { ApplianceAuthError, ApplianceConfigError, extractFailure } from '../../shared/errors';
import type { MappedError, RequestContext } from '../../shared/http';
import { applianceRequest, credentialsOnce, rememberCredentials, storedCredential } from '../../shared/http';
import { REPLACED_SESSION } from '../../shared/login';
import { CREDENTIAL, VSA, parseSession, sessionExpiring } from './auth';
import { parseVsaJson, stringifyIds } from './json';

/** The VSA envelope (kaseya-vsa.md §3). `Error: "None"` is success. */
export interface VsaEnvelope {
	TotalRecords?: number;
	Result?: unknown;
	ResponseCode?: number | string;
	Status?: string;
	Error?: string;
	[key: string]: unknown;
}

export interface VsaResponse {
	statusCode: number;
	headers: IDataObject;
	/** parsed body (ids as strings), undefined for an empty answer (HTTP 204) */
	body?: VsaEnvelope;
}

/** A 2xx body that is not JSON (HTML page, cut document): reported through `validate`, retried for reads. */
class NotJson {
	constructor(readonly reason: string) {}
}

interface RawResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

// ---------------------------------------------------------------------------------------------------------
// Session handling
//
// n8n logs in (runs the credential's preAuthentication) when the hidden `session` field is empty, and re-logs
// in on an HTTP 401 error. The VSA, however, may refuse a token inside an HTTP 200 (body ResponseCode 401, seen
// on 9.3), and many concurrent requests (run a procedure on 500 agents) would each log in on their own. So every
// request is sent with `ignoreHttpStatusErrors: true` (n8n's own 401 retry never fires) and this layer decides:
//  - no or expiring session (SessionExpiration − margin is past): ONE request logs in, by passing the
//    credential data with an empty `session` (`credentialsDecrypted`), which makes n8n run preAuthentication
//    and persist the new token; concurrent requests wait for it and then use the new token;
//  - HTTP 401 or body ResponseCode 401/4010001: the same single-flight login, then the request is sent once more;
//    a second refusal is an authentication error, and no further request is made in this execution;
//  - before either login, and once after a token refused right after one, a usable token that another execution
//    or queue-mode worker stored meanwhile is taken instead (sendAsLogin);
//  - a refused login (wrong PAT/password) is remembered: every other request of the execution fails with the
//    same message without contacting the VSA (exactly one login attempt per execution).
// ---------------------------------------------------------------------------------------------------------

interface Gate {
	/** resolves when the request that is logging in right now has finished */
	login?: Promise<void>;
	/** completed logins in this execution */
	generation: number;
	/** a refused login: no more requests in this execution */
	authFailure?: string;
}

const gates = new WeakMap<object, Gate>();

function gateFor(ctx: object): Gate {
	let gate = gates.get(ctx);
	if (!gate) {
		gate = { generation: 0 };
		gates.set(ctx, gate);
	}
	return gate;
}

/** Body ResponseCode as a number (it arrives as a number or a string). */
export function responseCodeOf(body: unknown): number | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const rc = (body as IDataObject).ResponseCode;
	if (rc === undefined || rc === null || rc === '') return undefined;
	const n = Number(rc);
	return Number.isFinite(n) ? n : undefined;
}

function sessionRefused(res: RawResponse): boolean {
	if (res.statusCode === 401) return true;
	const rc = responseCodeOf(res.body);
	return rc === 401 || rc === 4010001;
}

function parseBody(text: string): unknown {
	if (!text.trim()) return undefined;
	try {
		return stringifyIds(parseVsaJson(text));
	} catch {
		return text;
	}
}

/** Reduces whatever n8n threw to a clean error (no request headers, no token) our request layer understands. */
function cleanError(error: unknown, gate: Gate): Error {
	const failure = extractFailure(error);
	if (failure.auth) {
		gate.authFailure = failure.auth;
		return new ApplianceAuthError(failure.auth);
	}
	if (failure.config) return new ApplianceConfigError(failure.config);
	if (failure.status !== undefined) {
		return Object.assign(new Error(`${VSA} answered HTTP ${failure.status}`), {
			response: { status: failure.status, headers: failure.headers, data: failure.body },
		});
	}
	const code = failure.code;
	const message = error instanceof Error && /timeout/i.test(error.message) ? 'timeout' : code ?? 'network error';
	return Object.assign(new Error(`${VSA} request failed: ${message}`), code ? { code } : {});
}

/** Sends with the given credential data; an empty `session` in it makes n8n log in first (preAuthentication). */
async function rawSend(
	ctx: RequestContext,
	gate: Gate,
	options: IHttpRequestOptions,
	credentials: ICredentialDataDecryptedObject,
): Promise<RawResponse> {
	const ref = ctx.getNode().credentials?.[CREDENTIAL];
	const extra = { credentialsDecrypted: { id: ref?.id ?? '', name: ref?.name ?? '', type: CREDENTIAL, data: credentials } };
	let res: IN8nHttpFullResponse;
	try {
		res = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL,
			{
				...options,
				json: false,
				encoding: 'text',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			},
			extra,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		throw cleanError(error, gate);
	}
	const text = typeof res.body === 'string' ? res.body : res.body === undefined || res.body === null ? '' : String(res.body);
	return { statusCode: res.statusCode, headers: (res.headers ?? {}) as IDataObject, body: parseBody(text) };
}

/**
 * Renews the session for one request; other requests of the execution wait until it is done:
 *  1. a usable session stored meanwhile by another execution or worker is taken, without a login;
 *  2. otherwise the request is sent with the session emptied, so n8n logs in first (preAuthentication);
 *  3. a token refused right after that login (the VSA may end a user's earlier tokens when another worker logs in)
 *     is replaced by the one that worker stores (read again for up to 4.75 s); when none comes (the database still
 *     holds a dead token: n8n's last write wins), one more login, and a token refused after it fails the request.
 */
async function sendAsLogin(
	ctx: RequestContext,
	gate: Gate,
	options: IHttpRequestOptions,
	credentials: ICredentialDataDecryptedObject,
): Promise<RawResponse> {
	let release!: () => void;
	gate.login = new Promise<void>((resolve) => (release = resolve));
	/** a usable token stored meanwhile by another execution or worker, instead of `replacing` */
	const adopt = async (replacing: string, wait: boolean): Promise<RawResponse | undefined> => {
		const usable = (c: ICredentialDataDecryptedObject) => {
			const session = parseSession(c.session);
			return c.session !== replacing && !!session && !sessionExpiring(session);
		};
		const stored = replacing ? await storedCredential(ctx, CREDENTIAL, usable, wait) : undefined;
		if (!stored) return undefined;
		rememberCredentials(ctx, CREDENTIAL, stored);
		gate.generation++;
		const res = await rawSend(ctx, gate, options, stored);
		return sessionRefused(res) ? undefined : res;
	};
	/** the request sent after a login: the empty session makes n8n log in; REPLACED_SESSION tells the login which session this one replaces, so it is not handed the same (refused or expiring) token again (nodes/shared/login.ts) */
	const login = async (replacing: string) => {
		const fresh = { ...credentials, session: '', [REPLACED_SESSION]: replacing };
		const res = await rawSend(ctx, gate, options, fresh);
		// n8n wrote the new session into `fresh` (and persisted it): the other requests use it from now on
		rememberCredentials(ctx, CREDENTIAL, fresh);
		gate.generation++;
		return { res, session: String(fresh.session ?? '') };
	};
	try {
		const replacing = String(credentials.session ?? '');
		const taken = await adopt(replacing, false);
		if (taken) return taken;
		const first = await login(replacing);
		if (!sessionRefused(first.res)) return first.res;
		const again = await adopt(first.session, true);
		if (again) return again;
		const { res } = await login(first.session);
		if (!sessionRefused(res)) return res;
		gate.authFailure = `${VSA} refused the session token it had just issued (HTTP ${res.statusCode}${
			responseCodeOf(res.body) !== undefined ? `, ResponseCode ${responseCodeOf(res.body)}` : ''
		}). Check that no proxy between n8n and the VSA removes the Authorization header, and that the user is not disabled.`;
		throw new ApplianceAuthError(gate.authFailure);
	} finally {
		gate.login = undefined;
		release();
	}
}

/** One HTTP exchange with session handling (see above). Returns every HTTP status; throws on network errors. */
async function sessionSend(ctx: RequestContext, options: IHttpRequestOptions): Promise<RawResponse> {
	const gate = gateFor(ctx);
	for (;;) {
		if (gate.authFailure) throw new ApplianceAuthError(gate.authFailure);
		if (gate.login) {
			await gate.login;
			continue;
		}
		const generation = gate.generation;
		// read once per execution (shared/http.ts credentialsOnce) and handed to n8n with every request
		const credentials = await credentialsOnce.call(ctx, CREDENTIAL);
		// someone started or finished a login while the credential was read: read it again
		if (gate.login || gate.generation !== generation) continue;
		const session = parseSession(credentials.session);
		if (!session || sessionExpiring(session)) return await sendAsLogin(ctx, gate, options, credentials);

		const res = await rawSend(ctx, gate, options, credentials);
		if (!sessionRefused(res)) return res;

		// the token was refused: renew once (unless another request already did), then send once more
		while (gate.login) await gate.login;
		if (gate.authFailure) throw new ApplianceAuthError(gate.authFailure);
		if (gate.generation !== generation) {
			const again = await rawSend(ctx, gate, options, await credentialsOnce.call(ctx, CREDENTIAL));
			if (sessionRefused(again)) throw new ApplianceAuthError(refusedAgain(again));
			return again;
		}
		return await sendAsLogin(ctx, gate, options, credentials);
	}
}

function refusedAgain(res: RawResponse): string {
	return `${VSA} refused the session token again after a fresh login (HTTP ${res.statusCode}). Check that no proxy removes the Authorization header.`;
}

// ---------------------------------------------------------------------------------------------------------
// Envelope and errors
// ---------------------------------------------------------------------------------------------------------

/** HTTP-like status of a 7-digit VSA code (4030001 → 403) or a 3-digit one. */
export function statusOfCode(code: number): number {
	const abs = Math.abs(Math.trunc(code));
	if (abs >= 1_000_000) return Math.trunc(abs / 10_000);
	return abs;
}

/** The VSA's own words: `Error` unless it is the success marker "None". */
export function vsaMessage(body: unknown): string | undefined {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const b = body as IDataObject;
		const e = b.Error ?? b.error ?? b.Message ?? b.message;
		if (typeof e === 'string' && e.trim() && e.trim() !== 'None') return e.trim().slice(0, 500);
	}
	if (typeof body === 'string') {
		const t = body.trim();
		if (t && !t.startsWith('<')) return t.slice(0, 300);
	}
	return undefined;
}

const CODE_HINTS: Record<number, string> = {
	4000001:
		'The Authorization header did not reach the VSA. Check that no proxy or load balancer between n8n and the VSA removes it.',
	4010001: 'The VSA did not accept the session. Check the Server URL (it must be the VSA itself) and the credential.',
	4030001:
		"The VSA user's Role does not grant this function, or the agent/organization is outside the user's Scope (System > User Security > Roles / Scopes). A Personal Access Token can also be narrower than the user's role. Audit and /system reads often need extra rights.",
};

const STATUS_HINTS: Record<number, string> = {
	400: "The VSA rejected the request. Check the OData filter: operators eq, ne, gt, lt, and, or; functions substringof('text', Field) and startswith(Field, 'text'); text in single quotes (double a quote inside: O''Brien); numeric ids with the M suffix (AgentId eq 123456789012345M); only filterable fields.",
	401: 'The VSA refused the session. Check the credential.',
	403: "The VSA user's Role or Scope does not allow this (System > User Security > Roles / Scopes).",
	404: 'Not found. Check the ID (copy it from a Get Many result); the record may have been deleted or be outside the user\'s Scope.',
	405: 'This VSA version does not allow this method on this route.',
	409: 'The VSA reported a conflict with the current state of the record.',
	500: 'The VSA failed internally. Retry later; if it persists, check the VSA server logs.',
};

/** IIS's default request-filtering limits in front of the VSA (requestFiltering/requestLimits). */
const IIS_MAX_QUERY_STRING = 2048;

/**
 * IIS request filtering refuses a query string over `maxQueryString` (2,048 characters by default) or a URL over
 * `maxUrl` with HTTP 404 and an HTML page before the VSA sees the request: 404.15 / 404.14 in IIS's detailed page.
 * IIS's page for remote clients (its default) does not name the substatus: an HTML 404 to a query string over the
 * default limit is then taken for a 404.15 too.
 */
function requestFiltering(failure: HttpFailure, operation: string, queryLength: number): MappedError | undefined {
	const body = failure.body;
	if (failure.status !== 404 || typeof body !== 'string' || !body.trim().startsWith('<')) return undefined;
	const named = /404\.15|query string is too long/i.test(body) ? 'query' : /404\.14|URL is too long/i.test(body) ? 'url' : undefined;
	const kind = named ?? (queryLength > IIS_MAX_QUERY_STRING ? 'query' : undefined);
	if (!kind) return undefined;
	const size = `${queryLength.toLocaleString('en-US')} characters`;
	if (kind === 'url') {
		return {
			message: `${VSA}'s web server (IIS) refused the request to ${operation}: the URL is too long (IIS 404.14)`,
			description:
				"IIS, the VSA's web server, refuses URLs longer than its maxUrl limit (4,096 characters by default) before the VSA sees them. Shorten the values that go into the URL, or ask the VSA administrator to raise requestFiltering/requestLimits maxUrl in the VSA web site's web.config.",
		};
	}
	return {
		message: `${VSA}'s web server (IIS) refused the request to ${operation}: the query string is too long (${size}; ${
			named ? 'IIS 404.15' : "HTTP 404 with IIS's generic page, as IIS answers a 404.15 to remote clients"
		})`,
		description: `IIS, the VSA's web server, refuses query strings longer than its maxQueryString limit (2,048 characters by default) before the VSA sees them, and this request's filter made it ${size} long. Shorten the filter: fewer ids or conditions per filter (split a long "AgentId eq …M or …" list over several items or runs of the workflow, at most 50 agent ids per filter; the trigger splits its own checks this way), or a shorter condition (e.g. the machine group instead of a list of agents). The VSA administrator can also raise requestFiltering/requestLimits maxQueryString in the VSA web site's web.config.`,
	};
}

/**
 * A 404 that says the ROUTE is missing, not a record: ASP.NET Web API's own answer for a route it does not have
 * (`{"Message":"No HTTP resource was found that matches the request URI …"}`, no ResponseCode) or an HTML page.
 * A record the VSA does not find comes in its envelope (`ResponseCode` 404, `Error` "… not found").
 */
export function routeMissing(failure: HttpFailure): boolean {
	if (failure.status !== 404) return false;
	const body = failure.body;
	if (typeof body === 'string') return body.trim().startsWith('<') || /No HTTP resource/i.test(body);
	if (!body || typeof body !== 'object' || Array.isArray(body)) return true;
	return responseCodeOf(body) === undefined && /No HTTP resource|No route|No type was found/i.test(String((body as IDataObject).Message ?? ''));
}

/** What a VSA without a feature's route means, for `VsaRequestOptions.feature`. */
export interface Feature {
	/** "the Service Desk module", "agent notes" */
	name: string;
	/** why it can be missing and what to do */
	hint: string;
}

export function mapVsaError(failure: HttpFailure, operation: string, notFoundHint?: string, queryLength = 0, feature?: Feature): MappedError {
	const filtered = requestFiltering(failure, operation, queryLength);
	if (filtered) return filtered;
	if (feature && routeMissing(failure)) {
		const said = vsaMessage(failure.body);
		return {
			message: `${VSA}: this VSA build or module does not offer ${feature.name} (HTTP 404 to ${operation})`,
			description: feature.hint,
			applianceMessage: said,
		};
	}
	const body = failure.body;
	const said = vsaMessage(body);
	const code = responseCodeOf(body);
	const status = failure.status ?? 0;
	let description = (code !== undefined && CODE_HINTS[code]) || STATUS_HINTS[status];
	if (status === 404 && notFoundHint) description = notFoundHint;
	if (status === 400 && said && /Edm\.Int32/i.test(said)) {
		description =
			'This field is typed Int32 in the VSA\'s OData model and cannot take a 15–26-digit id: get the record by its ID (Get operation) or filter on a text field (e.g. OrgRef eq \'acme\') instead.';
	}
	const codeText = code !== undefined && code !== status && code !== 0 ? `ResponseCode ${code}, ` : '';
	const message = `${VSA} answered ${codeText}HTTP ${status} to ${operation}${said ? `: "${said}"` : ''}`;
	return { message, description, applianceMessage: said };
}

function httpLikeError(status: number, headers: IDataObject, body: unknown): Error {
	return Object.assign(new Error(`${VSA} answered HTTP ${status}`), { response: { status, headers, data: body } });
}

/**
 * Applies the envelope rules (kaseya-vsa.md §3): empty 2xx body = success; ResponseCode 40x/50x (3 or 7 digits)
 * inside HTTP 200 = error; ResponseCode 0/20x or Status "OK" = success; no ResponseCode and no Status = the raw
 * payload is the result; anything else is an unexpected answer. `Error: "None"` is never a failure.
 */
function checkEnvelope(res: RawResponse, method: string): VsaResponse | NotJson {
	const { statusCode, headers, body } = res;
	if (statusCode < 200 || statusCode >= 300) throw httpLikeError(statusCode, headers, body);
	// writes answer 204 with no body; an empty answer to a read is a broken answer, never "no rows"
	if (body === undefined) return method === 'GET' ? new NotJson('an empty response') : { statusCode, headers };
	if (typeof body === 'string') {
		return new NotJson(
			body.trim().startsWith('<')
				? 'an HTML page instead of JSON (a proxy or login page answered?)'
				: 'an incomplete or invalid JSON document',
		);
	}
	if (Array.isArray(body) || typeof body !== 'object' || body === null) {
		return { statusCode, headers, body: { Result: body } };
	}
	const envelope = body as VsaEnvelope;
	const code = responseCodeOf(envelope);
	if (code !== undefined) {
		const st = statusOfCode(code);
		if (st >= 400 && st < 600) throw httpLikeError(st, headers, envelope);
		if (code === 0 || (st >= 200 && st < 300)) return { statusCode, headers, body: envelope };
	}
	if (String(envelope.Status ?? '').toUpperCase() === 'OK') return { statusCode, headers, body: envelope };
	if (code === undefined && envelope.Status === undefined) return { statusCode, headers, body: { Result: envelope } };
	throw httpLikeError(statusCode, headers, envelope);
}

// ---------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------

export type QueryValue = string | number | undefined;

/** `?$top=100&$filter=…` with OData option names kept literal and every value percent-encoded once. */
export function odataQueryString(qs: Record<string, QueryValue>): string {
	const parts = Object.entries(qs)
		.filter(([, v]) => v !== undefined && v !== '')
		.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
	return parts.length ? `?${parts.join('&')}` : '';
}

export interface VsaRequestOptions {
	qs?: Record<string, QueryValue>;
	body?: unknown;
	/** what we are doing, for messages: "get many agents" */
	operation: string;
	/** false for actions that must not be sent twice (procedure run, schedule, rename, alarm close) */
	idempotent?: boolean;
	outcomeHint?: string;
	itemIndex?: number;
	/** replaces the generic 404 hint */
	notFoundHint?: string;
	/** a 404 for a missing ROUTE (not a missing record) says that this VSA does not offer the feature */
	feature?: Feature;
}

/**
 * applianceRequest (retries, outcome-unknown errors, TLS messages) calls httpRequestWithAuthentication on the
 * context it is given: hand it one whose requests go through the session layer and the envelope check above.
 */
function sessionAdapter(ctx: RequestContext): IExecuteFunctions {
	return {
		getNode: () => ctx.getNode(),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, requestOptions: IHttpRequestOptions) => {
				const checked = checkEnvelope(await sessionSend(ctx, requestOptions), String(requestOptions.method ?? 'GET').toUpperCase());
				return checked instanceof NotJson ? { statusCode: 200, headers: {}, body: checked } : checked;
			},
		},
	} as unknown as IExecuteFunctions;
}

/** One VSA API call (path relative to /api/v1.0). The credential adds the Bearer token, base URL and TLS. */
export async function vsaRequest(
	this: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	options: VsaRequestOptions,
): Promise<VsaResponse> {
	const idempotent = options.idempotent ?? method === 'GET';
	const adapter = sessionAdapter(this);
	const query = odataQueryString(options.qs ?? {});
	const request: IHttpRequestOptions = {
		method,
		url: `${path}${query}`,
		// the timeout is the credential's Request Timeout (Seconds), set by its authenticate (tlsRequestOptions)
		returnFullResponse: true,
	};
	if (options.body !== undefined) {
		request.body = options.body as IDataObject;
		request.headers = { 'Content-Type': 'application/json' };
	}
	return await applianceRequest.call<RequestContext, Parameters<typeof applianceRequest>, Promise<VsaResponse>>(
		adapter,
		CREDENTIAL,
		request,
		{
			appliance: VSA,
			operation: options.operation,
			idempotent,
			outcomeHint: options.outcomeHint,
			itemIndex: options.itemIndex,
			mapError: (failure) => mapVsaError(failure, options.operation, options.notFoundHint, Math.max(0, query.length - 1), options.feature),
			validate: (body) => (body instanceof NotJson ? body.reason : undefined),
		},
	);
}

/** The record of a single-record GET (`Result` object). */
export function resultObject(res: VsaResponse): IDataObject {
	const r = res.body?.Result;
	if (Array.isArray(r)) return (r[0] ?? {}) as IDataObject;
	return r && typeof r === 'object' ? (r as IDataObject) : {};
}

/** The records of a list GET (`Result` array). */
export function resultRows(res: VsaResponse): IDataObject[] {
	const r = res.body?.Result;
	if (Array.isArray(r)) return r.filter((x) => x && typeof x === 'object') as IDataObject[];
	if (r && typeof r === 'object') return [r as IDataObject];
	return [];
}
