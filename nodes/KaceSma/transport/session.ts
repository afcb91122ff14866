import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { ApplianceAuthError, ApplianceConfigError, withHttpCode, loginNetworkError } from '../../shared/errors';
import { briefRefusal } from '../../shared/login';
import { tlsRequestOptions } from '../../shared/tls';
import { normalizeBaseUrl } from '../../shared/url';
import { isBase32, totp } from './totp';

import { KACE, LOGIN_PATH, VERIFY_2FA_PATH } from './constants';
import { kaceMessage } from './errors';

export { KACE };

/** What a login leaves us: the cookie header to replay, the CSRF token (≤12.0) and x-kace-authorization (newer). */
export interface KaceSession {
	cookie: string;
	csrf?: string;
	authorization?: string;
}

export function kaceBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	// users paste the console address: strip the console paths
	return normalizeBaseUrl(credentials.baseUrl, KACE, [/\/(adminui|userui|systemui)(\/.*)?$/i]);
}

export function parseSession(value: unknown): KaceSession | undefined {
	if (typeof value !== 'string' || !value) return undefined;
	try {
		const s = JSON.parse(value) as KaceSession;
		return typeof s.cookie === 'string' ? s : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Headers for every call. Both version header names are sent (≤11.x reads x-dell-*, 12.0+ x-kace-*; 12.1+
 * accepts either), and the CSRF token under both names when the appliance issued one.
 */
export function kaceHeaders(credentials: ICredentialDataDecryptedObject, session?: KaceSession): Record<string, string> {
	const version = String(credentials.apiVersion ?? '').trim() || '5';
	const headers: Record<string, string> = {
		Accept: 'application/json',
		'x-kace-api-version': version,
		'x-dell-api-version': version,
	};
	if (session?.cookie) headers.Cookie = session.cookie;
	if (session?.csrf) {
		headers['x-kace-csrf-token'] = session.csrf;
		headers['x-dell-csrf-token'] = session.csrf;
	}
	if (session?.authorization) headers['x-kace-authorization'] = session.authorization;
	return headers;
}

function setCookies(headers: IN8nHttpFullResponse['headers']): Map<string, string> {
	const raw = headers['set-cookie'];
	const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
	const jar = new Map<string, string>();
	for (const line of list) {
		const pair = String(line).split(';')[0];
		const eq = pair.indexOf('=');
		if (eq <= 0) continue;
		const name = pair.slice(0, eq).trim();
		const value = pair.slice(eq + 1).trim();
		// a cookie being deleted (empty value or "deleted") must not be replayed
		if (!value || value === 'deleted') jar.delete(name);
		else jar.set(name, value);
	}
	return jar;
}

function header(headers: IN8nHttpFullResponse['headers'], name: string): string | undefined {
	const v = headers[name];
	if (v === undefined || v === null) return undefined;
	const s = Array.isArray(v) ? String(v[0]) : String(v);
	return s.trim() || undefined;
}

/** An error for a failed (non-auth) login answer that our request layer can classify (retry 5xx for reads). */
function httpStatusError(message: string, res: IN8nHttpFullResponse): Error {
	const error = new Error(message) as Error & { response: unknown };
	error.response = {
		status: res.statusCode,
		headers: res.headers,
		data: { errorDescription: kaceMessage(res.body) ?? message },
	};
	return withHttpCode(error, res.statusCode);
}

/** Network failures during login, reduced to message + code (the axios error would carry the password). */

/**
 * Logs in (and passes the 2FA step when a TOTP secret is set). Runs as the credential's preAuthentication:
 * n8n stores the result in the hidden expirable `session` field and calls this again only when the field is
 * empty or a request got 401. A refused login throws ApplianceAuthError (no HTTP status), so n8n does not try a
 * second login in the same request.
 */
export async function kaceLogin(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
	/** the session this login replaces (the credential's, unless the transport emptied it to force the login) */
	replaced = String(credentials.session ?? ''),
): Promise<KaceSession> {
	const base = kaceBaseUrl(credentials);
	const username = String(credentials.username ?? '').trim();
	const password = String(credentials.password ?? '');
	if (!username || !password) throw new ApplianceConfigError(`${KACE} credential needs a username and a password`);
	const organization = String(credentials.organization ?? '').trim();
	const tls = tlsRequestOptions(credentials);

	const body: Record<string, string> = { userName: username, password };
	if (organization) body.organizationName = organization;
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: `${base}${LOGIN_PATH}`,
		headers: { ...kaceHeaders(credentials), 'Content-Type': 'application/json' },
		body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		...tls,
	};
	const who = `user "${username}"${organization ? ` in organization "${organization}"` : ''}`;
	const secret = String(credentials.totpSecret ?? '').trim();
	// n8n logs in again when a request of the current session was refused with 401: a session of a two-factor
	// account without a secret is refused that way forever, so it is checked first (see below)
	const previous = parseSession(replaced);
	if (previous && !secret) {
		await refuseUnverifiedTwoFactor(helpers, { ...request, method: 'GET', url: `${base}${PROBE_PATH}`, body: undefined }, credentials, previous, who);
	}
	let res: IN8nHttpFullResponse;
	try {
		res = (await helpers.httpRequest(request)) as IN8nHttpFullResponse;
	} catch (error) {
		throw loginNetworkError(KACE, error);
	}
	if (res.statusCode === 401 || res.statusCode === 403) {
		const said = kaceMessage(res.body);
		throw new ApplianceAuthError(
			`${KACE} login failed for ${who}${said ? `: "${said}"` : ''} (HTTP ${res.statusCode}). Check the username, password and organization in the credential.`,
		);
	}
	if (res.statusCode === 404) {
		throw new ApplianceConfigError(
			`${KACE} login route ${LOGIN_PATH} was not found (HTTP 404) at ${base}: check that the URL is the appliance address (https://host, no path).`,
		);
	}
	if (res.statusCode < 200 || res.statusCode >= 300) {
		throw httpStatusError(`${KACE} login failed with HTTP ${res.statusCode}`, res);
	}
	const jar = setCookies(res.headers);
	if (!jar.size) {
		const html = typeof res.body === 'string' && /^\s*</.test(res.body);
		throw new ApplianceConfigError(
			`${KACE} login was answered ${html ? 'by an HTML page' : 'without a session cookie'}, not by the appliance's API: check that the URL points at the KACE SMA itself (https://host, no path), not a proxy, portal or single sign-on page.`,
		);
	}
	if (organization) checkOrganization(jar, res.body, organization, username);
	const session: KaceSession = {
		cookie: '',
		csrf: header(res.headers, 'x-kace-csrf-token') ?? header(res.headers, 'x-dell-csrf-token') ?? jar.get('KACE_CSRF_TOKEN'),
		authorization: header(res.headers, 'x-kace-authorization'),
	};
	session.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

	if (secret) {
		// the appliance checks the code against its own clock: use it (from the Date header) when it is known
		const serverTime = Date.parse(String(res.headers.date ?? ''));
		if (!isBase32(secret)) {
			throw new ApplianceConfigError(
				`${KACE}: the TOTP secret is not valid base32 (letters A-Z and digits 2-7, as shown when two-factor authentication was set up)`,
			);
		}
		const code = totp(secret, Number.isNaN(serverTime) ? Date.now() : serverTime);
		let verify: IN8nHttpFullResponse;
		try {
			verify = (await helpers.httpRequest({
				...request,
				url: `${base}${VERIFY_2FA_PATH}`,
				headers: { ...kaceHeaders(credentials, session), 'Content-Type': 'application/json' },
				body: { currentCode: code },
			})) as IN8nHttpFullResponse;
		} catch (error) {
			throw loginNetworkError(KACE, error);
		}
		if (verify.statusCode < 200 || verify.statusCode >= 300) {
			const said = kaceMessage(verify.body);
			// remembered briefly only (nodes/shared/login.ts): another n8n process may have used this one-time code
			throw briefRefusal(new ApplianceAuthError(
				`${KACE} rejected the two-factor code for ${who}${said ? `: "${said}"` : ''} (HTTP ${verify.statusCode}). Check the TOTP secret in the credential and that the n8n server's clock is right.`,
			));
		}
		for (const [k, v] of setCookies(verify.headers)) jar.set(k, v);
		session.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
		session.csrf = header(verify.headers, 'x-kace-csrf-token') ?? header(verify.headers, 'x-dell-csrf-token') ?? session.csrf;
		session.authorization = header(verify.headers, 'x-kace-authorization') ?? session.authorization;
	}
	return session;
}

/**
 * The organization the session landed in, as the appliance reports it: the KACE_LAST_ORG_SECURE cookie (10.0
 * clients read it; that it names the landing organization is UNVERIFIED), else an organization name in the login
 * body. Undefined when the appliance reports none.
 */
function landedOrganization(jar: Map<string, string>, body: unknown): string | undefined {
	const cookie = jar.get('KACE_LAST_ORG_SECURE');
	if (cookie) {
		try {
			return decodeURIComponent(cookie.replace(/\+/g, ' ')).trim() || undefined;
		} catch {
			return cookie.trim() || undefined;
		}
	}
	if (body && typeof body === 'object') {
		const b = body as Record<string, unknown>;
		for (const k of ['organizationName', 'orgName', 'organization']) {
			if (typeof b[k] === 'string' && (b[k] as string).trim()) return (b[k] as string).trim();
		}
	}
	return undefined;
}

/**
 * Multi-organization appliances may ignore the organization asked for and log the user in to their default one:
 * every row read would then be another organization's. The login is refused (ApplianceAuthError: one attempt per
 * execution, nothing read) when the appliance reports a different organization. An id where a name was asked
 * for (or the reverse) cannot be compared and is let through, like an appliance that reports none.
 */
function checkOrganization(jar: Map<string, string>, body: unknown, organization: string, username: string): void {
	const landed = landedOrganization(jar, body);
	if (landed === undefined || /^\d+$/.test(landed) !== /^\d+$/.test(organization)) return;
	if (landed.toLowerCase() === organization.toLowerCase()) return;
	throw new ApplianceAuthError(
		`${KACE} logged user "${username}" in to organization "${landed}", not "${organization}": nothing was read, so that another organization's records cannot reach this workflow. Check the credential's Organization (the name as the console lists it) and that the account belongs to that organization.`,
	);
}

/** A cheap authenticated read: every API call of a session still waiting for its two-factor code answers 401. */
const PROBE_PATH = '/api/users/me';

/**
 * A two-factor account logged in without a TOTP secret gets a session on which every API call answers 401 "User
 * not fully authenticated." n8n takes that 401 for an expired session and calls the login again before our code
 * sees the answer. So a login that RENEWS a session (the credential still holds the refused one) and has no
 * secret first reads with the old session: when the appliance says it is not fully authenticated, the login fails
 * with what to add, without an HTTP status (n8n does not log in again) and without a second login. A first login
 * costs nothing extra; a renewal costs this one read. Any other answer of the read is left to the login.
 */
async function refuseUnverifiedTwoFactor(
	helpers: IHttpRequestHelper['helpers'],
	request: IHttpRequestOptions,
	credentials: ICredentialDataDecryptedObject,
	session: KaceSession,
	who: string,
): Promise<void> {
	let res: IN8nHttpFullResponse;
	try {
		res = (await helpers.httpRequest({ ...request, headers: kaceHeaders(credentials, session) })) as IN8nHttpFullResponse;
	} catch {
		return; // a network failure here shows again, with its own message, on the request that follows
	}
	const said = kaceMessage(res.body);
	if (res.statusCode === 401 && /not fully authenticated/i.test(said ?? '')) {
		throw new ApplianceAuthError(
			`${KACE} requires a two-factor code for ${who} ("${said}"): add the account's TOTP secret (the base32 key shown when two-factor authentication was set up) to the credential field 'TOTP Secret (Two-Factor)'.`,
		);
	}
}
