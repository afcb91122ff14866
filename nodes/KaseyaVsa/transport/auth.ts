import { createHash, randomInt } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { ApplianceAuthError, ApplianceConfigError, loginNetworkError } from '../../shared/errors';
import { tlsRequestOptions } from '../../shared/tls';
import { normalizeBaseUrl } from '../../shared/url';
import { parseVsaJson } from './json';

export const VSA = 'Kaseya VSA';
export const CREDENTIAL = 'kaseyaVsaApi';
export const API_PATH = '/api/v1.0';

/** What a login leaves in the credential's hidden expirable `session` field (as JSON). */
export interface VsaSession {
	token: string;
	/** when to stop using the token (ms since epoch, n8n's clock) */
	expiresAt: number;
	/** when the token was issued (ms since epoch, n8n's clock) */
	issuedAt?: number;
}

/** Lifetime assumed when the auth answer carries no usable SessionExpiration (third-party clients assume ~20 min). */
export const DEFAULT_SESSION_MS = 20 * 60_000;

/** `https://vsa.example.com` from whatever the user typed (a trailing `/api/v1.0` or `/` is removed). */
export function vsaServer(credentials: ICredentialDataDecryptedObject): string {
	return normalizeBaseUrl(credentials.server, VSA, [/\/api\/v1\.0$/i, /\/api$/i]);
}

export function vsaApiBase(credentials: ICredentialDataDecryptedObject): string {
	return `${vsaServer(credentials)}${API_PATH}`;
}

export function parseSession(value: unknown): VsaSession | undefined {
	if (typeof value !== 'string' || !value) return undefined;
	try {
		const s = JSON.parse(value) as VsaSession;
		return typeof s.token === 'string' && s.token && typeof s.expiresAt === 'number' ? s : undefined;
	} catch {
		return undefined;
	}
}

/**
 * True when the session should be renewed before the next request: past its expiry minus a margin of
 * 60 s (or a tenth of its lifetime for very short sessions, so a 2-minute session is not renewed on every call).
 */
export function sessionExpiring(session: VsaSession, now = Date.now()): boolean {
	const lifetime = session.issuedAt !== undefined ? session.expiresAt - session.issuedAt : DEFAULT_SESSION_MS;
	const margin = Math.min(60_000, Math.max(0, lifetime) / 10);
	return now >= session.expiresAt - margin;
}

const hex = (alg: 'sha256' | 'sha1', s: string) => createHash(alg).update(s, 'utf8').digest('hex');

/** The challenge for a legacy login: a fresh 8-digit decimal number per login. */
export function legacyRandom(): string {
	return String(randomInt(10_000_000, 100_000_000));
}

/**
 * The legacy hashed-password Basic blob (kaseya-vsa.md §2.3), field order user, pass2, pass1, rpass2, rpass1,
 * rand2; lower-case hex digests of UTF-8 input; the password comes before the username in the covered hashes.
 */
export function legacyAuthHeader(username: string, password: string, rand: string = legacyRandom()): string {
	const plain =
		`user=${username}` +
		`,pass2=${hex('sha256', hex('sha256', password + username) + rand)}` +
		`,pass1=${hex('sha1', hex('sha1', password + username) + rand)}` +
		`,rpass2=${hex('sha256', password)}` +
		`,rpass1=${hex('sha1', password)}` +
		`,rand2=${rand}`;
	return `Basic ${Buffer.from(plain, 'utf8').toString('base64')}`;
}

/** Personal Access Token login: Basic base64("<username>:<PAT>"). */
export function patAuthHeader(username: string, pat: string): string {
	return `Basic ${Buffer.from(`${username}:${pat}`, 'utf8').toString('base64')}`;
}

function envelopeMessage(body: unknown): string | undefined {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const b = body as IDataObject;
		const e = b.Error ?? b.error ?? b.Message ?? b.message;
		if (typeof e === 'string' && e && e !== 'None') return e;
	}
	if (typeof body === 'string') {
		const t = body.trim();
		if (t && !t.startsWith('<')) return t.slice(0, 300);
	}
	return undefined;
}

function responseCode(body: unknown): number | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const rc = (body as IDataObject).ResponseCode;
	if (rc === undefined || rc === null || rc === '') return undefined;
	const n = Number(rc);
	return Number.isFinite(n) ? n : undefined;
}

/** Network failures during login, reduced to message + code (the axios error would carry the Basic blob). */

/** A failed login answer that is not a refusal (5xx, 429): keeps status + headers so reads can retry it. */
function httpStatusError(message: string, res: IN8nHttpFullResponse, body: unknown): Error {
	const error = new Error(message) as Error & { response: unknown };
	error.response = { status: res.statusCode, headers: res.headers, data: body };
	return error;
}

function header(headers: IN8nHttpFullResponse['headers'], name: string): string | undefined {
	const v = headers?.[name];
	if (v === undefined || v === null) return undefined;
	return Array.isArray(v) ? String(v[0]) : String(v);
}

/**
 * When the token stops being usable, on n8n's clock. kaseya-vsa.md §2.5 leaves the meaning of
 * `OffSetInMinutes` UNVERIFIED: Kaseya's module adds it to `SessionExpiration` (reading B: the value is server
 * local time labelled Z), while the ISO `Z` says UTC (reading A). Both are supported by taking the EARLIER of
 * the two (renewing early costs one login; renewing late costs a refused request). The simulator follows
 * reading A (SessionExpiration is true UTC, OffSetInMinutes 0). The lifetime is measured against the server's
 * own `Date` header when present, so a clock difference between n8n and the VSA does not matter.
 */
export function sessionExpiry(result: IDataObject, serverDate: string | undefined, now = Date.now()): number {
	const expiration = Date.parse(String(result.SessionExpiration ?? ''));
	if (Number.isNaN(expiration)) return now + DEFAULT_SESSION_MS;
	const offset = Number(result.OffSetInMinutes ?? 0);
	const candidates = [expiration];
	if (Number.isFinite(offset) && offset !== 0) candidates.push(expiration + offset * 60_000);
	const end = Math.min(...candidates);
	const server = Date.parse(serverDate ?? '');
	const lifetime = end - (Number.isNaN(server) ? now : server);
	// a lifetime that is already over or absurd (clock or offset confusion): fall back to the default
	if (!(lifetime > 0) || lifetime > 366 * 24 * 3600_000) return now + DEFAULT_SESSION_MS;
	return now + lifetime;
}

/**
 * Logs in (GET /api/v1.0/auth with the Basic blob of the chosen method) and returns the session. Runs as the
 * credential's preAuthentication: n8n stores the result in the hidden expirable `session` field. A refused login
 * throws ApplianceAuthError (no HTTP status), so n8n never tries a second login in the same execution.
 */
export async function vsaLogin(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<VsaSession> {
	const base = vsaApiBase(credentials);
	const method = credentials.authMethod === 'legacyPassword' ? 'legacyPassword' : 'pat';
	const username = String(credentials.username ?? '').trim();
	const secret = String((method === 'pat' ? credentials.accessToken : credentials.password) ?? '').trim();
	const methodName = method === 'pat' ? 'Personal Access Token' : 'legacy password';
	if (!username || !secret) {
		throw new ApplianceConfigError(
			`${VSA} credential needs a username and a ${method === 'pat' ? 'Personal Access Token' : 'password'}`,
		);
	}
	const authorization = method === 'pat' ? patAuthHeader(username, secret) : legacyAuthHeader(username, secret);

	let res: IN8nHttpFullResponse;
	try {
		res = (await helpers.httpRequest({
			method: 'GET',
			url: `${base}/auth`,
			headers: { Authorization: authorization, Accept: 'application/json' },
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// TLS settings and the credential's Request Timeout (Seconds)
			...tlsRequestOptions(credentials),
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw loginNetworkError(VSA, error);
	}

	const text = typeof res.body === 'string' ? res.body : res.body === undefined || res.body === null ? '' : String(res.body);
	let body: unknown = text;
	try {
		body = text.trim() ? parseVsaJson(text) : undefined;
	} catch {
		body = text;
	}
	const said = envelopeMessage(body);
	const code = responseCode(body);
	const status = res.statusCode;
	const refused =
		status === 401 ||
		status === 403 ||
		code === 401 ||
		code === 403 ||
		code === 4010001 ||
		code === 4030001 ||
		code === 4000001;
	if (refused) {
		const fix =
			method === 'pat'
				? 'Check the username (the VSA login name) and the Personal Access Token: it must have the scope "REST API", must not be expired or revoked, and its IP allow-list must include the n8n server.'
				: 'Check the username and password. Legacy password login is deprecated (Kaseya disables it on SaaS and for integration accounts) and does not work for accounts with two-factor authentication: create a Personal Access Token with the scope "REST API" and switch the credential to it.';
		throw new ApplianceAuthError(
			`${VSA} refused the ${methodName} login for user "${username}"${said ? `: "${said}"` : ''} (${
				code !== undefined && code !== status ? `ResponseCode ${code}, ` : ''
			}HTTP ${status}). ${fix}`,
		);
	}
	if (status === 404) {
		throw new ApplianceConfigError(
			`${VSA} login route ${API_PATH}/auth was not found (HTTP 404) at ${vsaServer(credentials)}: the Server URL must be the VSA address (https://vsa.example.com), and the REST API must be available (VSA 9.3 or later).`,
		);
	}
	if (status < 200 || status >= 300) {
		throw httpStatusError(`${VSA} login failed with HTTP ${status}${said ? `: "${said}"` : ''}`, res, body);
	}
	if (!body || typeof body !== 'object') {
		throw new ApplianceConfigError(
			`${VSA} login answered with ${text.trim().startsWith('<') ? 'an HTML page' : 'something that is not JSON'}: check that the Server URL points at the VSA itself (not a portal or proxy login page).`,
		);
	}
	const result = ((body as IDataObject).Result ?? {}) as IDataObject;
	const tokenValue = result.Token ?? result.ApiToken;
	const token = tokenValue === undefined || tokenValue === null ? '' : String(tokenValue);
	if (!token) {
		throw new ApplianceConfigError(
			`${VSA} login answered without a session token (no Result.Token)${said ? `: "${said}"` : ''}. Check that the Server URL points at the VSA 9 REST API.`,
		);
	}
	const now = Date.now();
	return { token, expiresAt: sessionExpiry(result, header(res.headers, 'date'), now), issuedAt: now };
}
