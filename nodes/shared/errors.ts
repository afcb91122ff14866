import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * `httpCode` markers on the errors our credentials throw. n8n 2.x keeps the thrown error as the `cause` of the
 * NodeApiError it wraps it in; n8n 1.x drops it and keeps only `httpCode`, the message and `context.data`, so the
 * markers are what lets `extractFailure` recognise a refused login there too.
 */
export const LOGIN_REFUSED_MARK = 'APPLIANCE_LOGIN_REFUSED';
export const CONFIG_MARK = 'APPLIANCE_CONFIG';

/** Sets `httpCode` on an error thrown from a credential (an HTTP status, a network code or a marker). */
export function withHttpCode<E extends Error>(error: E, httpCode: string | number): E {
	(error as E & { httpCode?: string }).httpCode = String(httpCode);
	return error;
}

/** A problem with what the user configured (URL, field values); thrown where no node is at hand (credentials). */
export class ApplianceConfigError extends Error {
	readonly isApplianceConfigError = true;

	readonly httpCode = CONFIG_MARK;
}

/**
 * A login that the appliance refused. Thrown from `preAuthentication` WITHOUT an HTTP status, so n8n does not
 * treat it as an expired session and log in a second time (appliances lock accounts after a few failures).
 */
export class ApplianceAuthError extends Error {
	readonly isApplianceAuthError = true;

	readonly httpCode = LOGIN_REFUSED_MARK;
}

/** What went wrong with one HTTP exchange, extracted from whatever n8n/axios threw. Never carries headers we sent. */
export interface HttpFailure {
	/** HTTP status when the appliance answered */
	status?: number;
	/** network error code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, DEPTH_ZERO_SELF_SIGNED_CERT…) */
	code?: string;
	/** response headers (lower-case names) */
	headers: Record<string, string>;
	/** parsed or raw response body */
	body?: unknown;
	/** the error was a login failure raised by the credential */
	auth?: string;
	/** the error was a configuration problem raised by the credential */
	config?: string;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ERR_INVALID_URL']);
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_OSSL|HOSTNAME_MISMATCH|ALTNAME/;

/** True when the request certainly never reached the appliance (safe to retry even for actions). */
export function neverSent(failure: HttpFailure): boolean {
	if (failure.status !== undefined || failure.auth || failure.config) return false;
	if (!failure.code) return false;
	return NOT_SENT_CODES.has(failure.code) || TLS_CODES.test(failure.code);
}

export function isTlsFailure(failure: HttpFailure): boolean {
	return !!failure.code && TLS_CODES.test(failure.code);
}

/** The advice for a certificate that could not be verified. */
export const TLS_ADVICE =
	"Paste the appliance's CA certificate (PEM) into the credential's 'CA Certificate' field. As a last resort, enable 'Ignore SSL Issues'. (n8n 1.x does not apply the CA field to requests: there, use n8n 2.x or 'Ignore SSL Issues'.)";

/**
 * A network failure during a credential's login, reduced to message + code (the raw error would carry the
 * request, password included). n8n's credential test shows `cause.code` alone when there is one, so a
 * certificate failure carries its code only in `httpCode` and says in its message which field fixes it.
 */
export function loginNetworkError(appliance: string, error: unknown, tlsAdvice = TLS_ADVICE): Error {
	const e = error as { code?: string; cause?: { code?: string } };
	const code = e.code ?? e.cause?.code;
	if (code && TLS_CODES.test(code)) {
		return withHttpCode(new Error(`${appliance}: the HTTPS certificate could not be verified (${code}). ${tlsAdvice}`), code);
	}
	const out = new Error(`${appliance} login request failed: ${code ?? 'network error'}`) as Error & { code?: string };
	if (code) out.code = code;
	return code ? withHttpCode(out, code) : out;
}

function lowerHeaders(h: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (!h || typeof h !== 'object') return out;
	for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
		if (v === undefined || v === null) continue;
		out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
	}
	return out;
}

/** Walks an error and its `cause` chain (n8n wraps axios errors in NodeApiError) and extracts the HTTP facts. */
export function extractFailure(error: unknown): HttpFailure {
	const failure: HttpFailure = { headers: {} };
	let current: unknown = error;
	for (let depth = 0; current && depth < 6; depth++) {
		const e = current as {
			isApplianceAuthError?: boolean;
			isApplianceConfigError?: boolean;
			message?: string;
			code?: unknown;
			response?: { status?: number; headers?: unknown; data?: unknown; body?: unknown };
			cause?: unknown;
			errorResponse?: unknown;
		};
		if (e.isApplianceAuthError && !failure.auth) failure.auth = e.message;
		if (e.isApplianceConfigError && !failure.config) failure.config = e.message;
		if (e.response && typeof e.response === 'object' && failure.status === undefined) {
			if (typeof e.response.status === 'number') failure.status = e.response.status;
			failure.headers = lowerHeaders(e.response.headers);
			failure.body = e.response.data ?? e.response.body;
		}
		if (typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) && !failure.code) failure.code = e.code;
		current = e.cause;
	}
	if (!failure.code && error instanceof Error && /timeout of \d+ms exceeded/i.test(error.message)) failure.code = 'ETIMEDOUT';
	if (failure.status !== undefined || failure.code || failure.auth || failure.config) return failure;
	// n8n 1.x: the wrapped error is gone; recover what its NodeApiError kept (httpCode, context.data, message)
	const e = (error ?? {}) as { httpCode?: unknown; context?: { data?: unknown }; message?: unknown; messages?: unknown };
	const code = typeof e.httpCode === 'string' || typeof e.httpCode === 'number' ? String(e.httpCode) : '';
	const texts = [e.message, ...(Array.isArray(e.messages) ? e.messages : [])].filter((m): m is string => typeof m === 'string' && m !== '');
	if (code === LOGIN_REFUSED_MARK) failure.auth = texts[0] ?? 'Login refused';
	else if (code === CONFIG_MARK) failure.config = texts[0] ?? 'Invalid credential configuration';
	else if (/^\d{3}$/.test(code)) {
		failure.status = Number(code);
		failure.body = e.context?.data;
	} else if (/^[A-Z][A-Z0-9_]+$/.test(code)) failure.code = code;
	return failure;
}

/** Removes every secret value (and its URL-encoded and base64 forms) from a text. */
export function redact(text: string, secrets: Array<string | undefined>): string {
	let out = text;
	for (const s of secrets) {
		if (!s || s.length < 4) continue;
		for (const form of [s, encodeURIComponent(s), Buffer.from(s, 'utf8').toString('base64')]) {
			out = out.split(form).join('***');
		}
	}
	return out;
}

/**
 * Marks an error as a failure of the credential itself (a refused login, or a login that cannot work: bad URL, a
 * portal page answering instead of the appliance), so the runner stops calling the appliance for later items.
 */
export function markAuthFailure<T extends NodeApiError | NodeOperationError>(error: T): T {
	(error.context as IDataObject).applianceAuthFailure = true;
	return error;
}

export function isAuthFailureError(error: unknown): boolean {
	const ctx = (error as { context?: IDataObject } | undefined)?.context;
	return !!ctx && ctx.applianceAuthFailure === true;
}

/** Builds the error n8n shows: a short message, a description with the fix, no request internals. */
export function applianceError(
	node: INode,
	message: string,
	description: string | undefined,
	details: { httpCode?: number | string; itemIndex?: number; applianceMessage?: string } = {},
): NodeApiError {
	const response: JsonObject = { message };
	if (details.applianceMessage) response.applianceMessage = details.applianceMessage;
	if (details.httpCode !== undefined) response.httpCode = String(details.httpCode);
	return new NodeApiError(node, response, {
		message,
		description,
		httpCode: details.httpCode !== undefined ? String(details.httpCode) : undefined,
		itemIndex: details.itemIndex,
	});
}

/**
 * Turns anything thrown while running an operation into a NodeApiError/NodeOperationError for the item.
 * Our own errors are kept (with the item index); anything else is reduced to its message, never the raw
 * axios object (it carries the request headers: cookies, tokens).
 */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}
