import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import {
	ApplianceAuthError,
	ApplianceConfigError,
	CONFIG_MARK,
	loginNetworkError as sharedLoginNetworkError,
	withHttpCode,
} from '../../shared/errors';
import type { TlsRequestOptions } from '../../shared/tls';
import { tlsRequestOptions } from '../../shared/tls';
import { normalizeBaseUrl } from '../../shared/url';

export const SPS = 'SPS';
export const CREDENTIAL_TYPE = 'safeguardSpsApi';
export const LOGIN_PATH = '/api/authentication';
export const LOGIN_METHODS_PATH = '/api/authentication/login_methods';
/**
 * A fixed, non-browser User-Agent on EVERY request: SPS ≥ 7.5 demands an X-Token (CSRF) header on
 * POST/PUT/DELETE from browser-like clients, and n8n's own default outbound User-Agent can be
 * "Mozilla/5.0 (compatible; n8n/…)" when N8N's global user agent is enforced.
 */
export const USER_AGENT = 'n8n-nodes-it-appliances';
/** Value of the hidden `session` field for API-key credentials (there is no login). */
export const API_KEY_SESSION = 'apikey';

export type SpsAuthType = 'password' | 'x509' | 'apiKey';

export function spsAuthType(credentials: ICredentialDataDecryptedObject): SpsAuthType {
	const t = credentials.authType;
	return t === 'x509' || t === 'apiKey' ? t : 'password';
}

/**
 * Puts a marker in `httpCode`: n8n 1.x's NodeApiError keeps only that (and the message) of an error thrown in
 * preAuthentication/authenticate, so the request layer can still tell a refused login from a network error.
 */
function authError(message: string): ApplianceAuthError {
	return new ApplianceAuthError(message);
}

export function configError(message: string): ApplianceConfigError {
	return new ApplianceConfigError(message);
}

/** The appliance address without a trailing `/api` (users paste either). */
export function spsBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	try {
		return normalizeBaseUrl(credentials.baseUrl, SPS, [/\/api$/i]);
	} catch (error) {
		throw withHttpCode(error as Error, CONFIG_MARK);
	}
}

/**
 * TLS options for this credential. The client certificate is presented only for certificate authentication
 * (fields left over from switching the auth type must not change how a password login connects).
 */
export function spsTls(credentials: ICredentialDataDecryptedObject): TlsRequestOptions {
	if (spsAuthType(credentials) === 'x509') return tlsRequestOptions(credentials);
	return tlsRequestOptions({ ...credentials, clientCertificate: '', clientKey: '', clientKeyPassphrase: '' });
}

/** Headers every request carries: Accept, the non-browser User-Agent, and the session cookie or API key. */
export function spsHeaders(credentials: ICredentialDataDecryptedObject): Record<string, string> {
	const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': USER_AGENT };
	if (spsAuthType(credentials) === 'apiKey') {
		headers.Authorization = `apikey ${String(credentials.apiKey ?? '').trim()}`;
		return headers;
	}
	const session = typeof credentials.session === 'string' ? credentials.session : '';
	// no cookie at all (→ 401 → one login) rather than a value that cannot be a session id
	if (session && session !== API_KEY_SESSION && /^[A-Za-z0-9._~+/=-]+$/.test(session)) headers.Cookie = `session_id=${session}`;
	return headers;
}

/** Values that must never appear in any message or output. */
export function spsSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	const out: string[] = [];
	for (const f of ['password', 'apiKey', 'clientKey', 'clientKeyPassphrase', 'session']) {
		const v = credentials[f];
		if (typeof v === 'string' && v && v !== API_KEY_SESSION) out.push(v);
	}
	return out;
}

/** The `session_id` value from Set-Cookie headers (parsed by hand: `expires` is ignored on purpose, clock skew). */
export function sessionIdFromSetCookie(headers: IN8nHttpFullResponse['headers']): string | undefined {
	const raw = headers['set-cookie'];
	const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
	let found: string | undefined;
	for (const line of list) {
		for (const candidate of String(line).split(/,(?=\s*[A-Za-z0-9_-]+=)/)) {
			const pair = candidate.split(';')[0].trim();
			const eq = pair.indexOf('=');
			if (eq <= 0) continue;
			if (pair.slice(0, eq).trim() !== 'session_id') continue;
			const value = pair.slice(eq + 1).trim().replace(/^"|"$/g, '');
			found = value && value !== 'deleted' ? value : undefined;
		}
	}
	return found;
}

/** `{"error":{"code","details"}}` → "Code: details text" (short, no secrets added). */
export function spsErrorText(body: unknown): { code?: string; text?: string; details?: IDataObject } {
	let parsed = body;
	if (typeof parsed === 'string') {
		const t = parsed.trim();
		if (t.startsWith('{')) {
			try {
				parsed = JSON.parse(t) as unknown;
			} catch {
				return {};
			}
		} else if (t && !t.startsWith('<')) return { text: t.slice(0, 300) };
		else return {};
	}
	if (!parsed || typeof parsed !== 'object') return {};
	const err = (parsed as IDataObject).error;
	if (typeof err === 'string') return { text: err.slice(0, 300) };
	if (!err || typeof err !== 'object') return {};
	const e = err as IDataObject;
	const code = typeof e.code === 'string' ? e.code : typeof e.code === 'number' ? String(e.code) : undefined;
	const details = e.details && typeof e.details === 'object' && !Array.isArray(e.details) ? (e.details as IDataObject) : undefined;
	let text: string | undefined;
	if (details) {
		const m = details.message ?? details.reason ?? details.error;
		const parts: string[] = [];
		if (typeof m === 'string' && m) parts.push(m);
		const lists: string[] = [];
		for (const [k, v] of Object.entries(details)) {
			if (k === 'message' || k === 'reason' || k === 'error') continue;
			// lists (e.g. the missing, unknown and wrongly typed fields of a configuration change) are what to fix
			if (Array.isArray(v)) {
				if (v.length) lists.push(`${k.replace(/_/g, ' ')}: ${listText(v)}`);
				continue;
			}
			if (v === null || typeof v === 'object') continue;
			parts.push(`${k}: ${String(v)}`);
		}
		parts.push(...lists);
		if (parts.length) text = parts.join('; ').slice(0, 1500);
	} else if (typeof e.details === 'string') text = e.details.slice(0, 400);
	return { code, text, details };
}

/** The entries of a list in an SPS error: strings as they are, objects as `path (key: value, …)`; at most 25. */
function listText(list: unknown[]): string {
	const one = (item: unknown): string => {
		if (item === null || typeof item !== 'object') return String(item);
		const o = item as IDataObject;
		const head = o.path ?? o.field ?? o.name ?? o.key;
		const rest = Object.entries(o)
			.filter(([k, v]) => v !== head && v !== null && typeof v !== 'object' && !['path', 'field', 'name', 'key'].includes(k))
			.map(([k, v]) => `${k}: ${String(v)}`);
		const text = rest.join(', ');
		return head === undefined ? text || JSON.stringify(o) : `${String(head)}${text ? ` (${text})` : ''}`;
	};
	const shown = list.slice(0, 25).map(one).join(', ');
	return list.length > 25 ? `${shown}, … (${list.length - 25} more)` : shown;
}

/** What to do when SPS's certificate cannot be verified, depending on whether a CA is already configured. */
export function tlsAdvice(credentials: ICredentialDataDecryptedObject): string {
	if (String(credentials.caCertificate ?? '').trim()) {
		return "The CA certificate in the credential did not verify SPS's certificate. Check that it is the CA that issued the SPS web certificate (SPS: Basic Settings > Management > SSL certificate > CA X.509 certificate). n8n 1.x does not apply the credential's CA to its requests: there, set NODE_EXTRA_CA_CERTS for the n8n process, or enable 'Ignore SSL Issues'.";
	}
	return "Paste the SPS CA certificate (PEM, from SPS: Basic Settings > Management > SSL certificate) into the credential's 'CA Certificate' field. As a last resort, enable 'Ignore SSL Issues'.";
}

/** Network failures during login, reduced to message + code (the axios error would carry the password). */
export function loginNetworkError(error: unknown, credentials: ICredentialDataDecryptedObject = {}): Error {
	const e = error as { code?: string; cause?: { code?: string; message?: string }; message?: string };
	const code = e.code ?? e.cause?.code;
	const text = `${e.message ?? ''} ${e.cause?.message ?? ''}`;
	// A wrong passphrase usually fails as "bad decrypt"; now and then the wrongly decrypted bytes pass the padding check
	// and OpenSSL reports a decoder error instead: with an encrypted key, a key that cannot be read is the passphrase.
	const encryptedKey = /ENCRYPTED/.test(String(credentials.clientKey ?? ''));
	if (
		code === 'ERR_OSSL_BAD_DECRYPT' ||
		code === 'ERR_MISSING_PASSPHRASE' ||
		/bad decrypt|bad password read|passphrase/i.test(text) ||
		(encryptedKey && /^ERR_OSSL/.test(code ?? '') && /DECODER|unsupported|ASN1|PEM/i.test(`${code} ${text}`))
	) {
		return configError(
			`${SPS}: the client private key could not be decrypted: check "Private Key Passphrase" (it must be the passphrase of the encrypted key).`,
		);
	}
	if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /key values mismatch/i.test(text)) {
		return configError(`${SPS}: the client private key does not belong to the client certificate: paste the matching pair.`);
	}
	if (/PEM|DECODER|ASN1|no start line|unsupported/i.test(text) && /^ERR_OSSL/.test(code ?? '') && !/CERT|VERIFY|SELF_SIGNED/.test(code ?? '')) {
		return configError(
			`${SPS}: the client certificate or private key is not valid PEM (${code}): paste the full -----BEGIN …----- blocks.`,
		);
	}
	return sharedLoginNetworkError(SPS, error, tlsAdvice(credentials));
}

/** An error our request layer can classify by HTTP status (e.g. a 5xx login answer: reads may retry). */
function httpStatusError(message: string, res: IN8nHttpFullResponse): Error {
	const error = new Error(message) as Error & { response: unknown };
	const { text } = spsErrorText(res.body);
	withHttpCode(error, String(res.statusCode));
	error.response = {
		status: res.statusCode,
		headers: res.headers,
		data: { error: { code: `HTTP${res.statusCode}`, details: { message: text ?? message } } },
	};
	return error;
}

interface LoginMethodInfo {
	name?: string;
	authentication?: string;
	credential?: string;
}

/**
 * Lists the appliance's login methods (anonymous GET, SPS 7.0+) for error messages. Never a login attempt;
 * failures are ignored.
 */
async function describeLoginMethods(
	helpers: IHttpRequestHelper['helpers'],
	base: string,
	tls: TlsRequestOptions,
): Promise<string | undefined> {
	try {
		const res = (await helpers.httpRequest({
			method: 'GET',
			url: `${base}${LOGIN_METHODS_PATH}`,
			headers: { Accept: 'application/json', 'User-Agent': USER_AGENT },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 10_000,
			...tls,
		})) as IN8nHttpFullResponse;
		if (res.statusCode !== 200 || !res.body || typeof res.body !== 'object') return undefined;
		const list = (res.body as IDataObject).login_methods;
		if (!Array.isArray(list) || !list.length) return undefined;
		return (list as LoginMethodInfo[])
			.map((m) => {
				const kind = [m.authentication, m.credential].filter(Boolean).join('/');
				return `"${String(m.name)}"${kind ? ` (${kind})` : ''}`;
			})
			.join(', ');
	} catch {
		return undefined;
	}
}

/**
 * Logs in to SPS and returns the `session_id` cookie value. Runs as the credential's preAuthentication (n8n
 * stores the value in the hidden expirable `session` field and calls this again only when the field is empty, a
 * request got 401, or in a credential test).
 *  - Password: `GET /api/authentication[?login_method=…]` with `Authorization: Basic base64(utf8(user:pass))`.
 *  - Certificate: `GET /api/authentication?type=x509[&login_method=…]` over mutual TLS, no Basic header.
 * Redirects are not followed: a 3xx means a browser-based (SAML/federated) login method. A refused login throws
 * ApplianceAuthError (no HTTP status, so n8n does not log in a second time).
 */
export async function spsLogin(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const base = spsBaseUrl(credentials);
	const authType = spsAuthType(credentials);
	const loginMethod = String(credentials.loginMethod ?? '').trim();
	const tls = spsTls(credentials);
	const qs: IDataObject = {};
	const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': USER_AGENT };
	let who: string;

	if (authType === 'x509') {
		if (!String(credentials.clientCertificate ?? '').trim() || !String(credentials.clientKey ?? '').trim()) {
			throw configError(
				`${SPS} certificate authentication needs the client certificate and its private key (PEM) in the credential`,
			);
		}
		qs.type = 'x509';
		who = 'the client certificate';
	} else {
		const username = String(credentials.username ?? '').trim();
		const password = String(credentials.password ?? '');
		if (!username || !password) throw configError(`${SPS} password authentication needs a username and a password`);
		if (username.includes(':')) {
			throw configError(`${SPS} usernames for Basic authentication cannot contain ":"`);
		}
		headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
		who = `user "${username}"`;
	}
	if (loginMethod) qs.login_method = loginMethod;
	const methodText = loginMethod ? `login method "${loginMethod}"` : "the appliance's default login method";

	const request: IHttpRequestOptions = {
		method: 'GET',
		url: `${base}${LOGIN_PATH}`,
		qs,
		headers,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		maxRedirects: 0,
		timeout: 30_000,
		...tls,
	};
	let res: IN8nHttpFullResponse;
	try {
		res = (await helpers.httpRequest(request)) as IN8nHttpFullResponse;
	} catch (error) {
		throw loginNetworkError(error, credentials);
	}

	const status = res.statusCode;
	if (status >= 300 && status < 400) {
		throw authError(
			`${SPS} answered the login for ${who} with a redirect (HTTP ${status}): ${methodText} is a browser-based (SAML/federated) method that cannot be used for the REST API. Set "Login Method" in the credential to a password (local, LDAP, RADIUS) or certificate method.`,
		);
	}
	if (status === 400 || status === 401 || status === 403) {
		const { code, text } = spsErrorText(res.body);
		const said = [code, text].filter(Boolean).join(': ');
		const fix =
			authType === 'x509'
				? 'Check that the client certificate is issued by a CA that SPS trusts for this login method and is mapped to an SPS user, and the "Login Method" field. (n8n 1.x does not send client certificates with its requests: certificate authentication needs n8n 2.x.)'
				: 'Check the username, password and "Login Method" in the credential; the user also needs the REST API privilege.';
		const methods = await describeLoginMethods(helpers, base, tls);
		throw authError(
			`${SPS} refused the login for ${who} with ${methodText} (HTTP ${status}${said ? `, "${said}"` : ''}). ${fix}${methods ? ` Login methods offered by this SPS: ${methods}.` : ''}`,
		);
	}
	if (status === 404) {
		throw configError(
			`${SPS} login route ${LOGIN_PATH} was not found (HTTP 404) at ${base}: check that the URL is the SPS address (https://host, the REST API must be enabled on that interface).`,
		);
	}
	if (status < 200 || status >= 300) throw httpStatusError(`${SPS} login failed with HTTP ${status}`, res);

	const sessionId = sessionIdFromSetCookie(res.headers);
	if (!sessionId) {
		throw configError(
			`${SPS} accepted the login but sent no session_id cookie: check that the URL points at SPS itself (not a proxy or portal that strips cookies).`,
		);
	}
	return sessionId;
}
