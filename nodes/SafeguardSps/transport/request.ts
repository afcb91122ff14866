import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { HttpFailure } from '../../shared/errors';
import { markAuthFailure } from '../../shared/errors';
import type { MappedError, RequestContext } from '../../shared/http';
import { applianceRequest, credentialsOnce, notJson } from '../../shared/http';
import { CREDENTIAL_TYPE, SPS, spsAuthType, spsErrorText, spsSecrets, tlsAdvice } from './session';

export interface SpsCall {
	method: IHttpRequestMethods;
	/** path below /api: "audit/sessions", "/api/audit/sessions/<key>" (an SPS href) or "configuration/ssh" */
	path: string;
	qs?: IDataObject;
	/** JSON body; POST and PUT always send one (`{}` when omitted) so SPS gets a Content-Length */
	body?: unknown;
	/** what we are doing, for messages: "search audit sessions" */
	operation: string;
	/** default: true for GET, false otherwise (never auto-retried once it may have reached SPS) */
	idempotent?: boolean;
	/** how to check whether an action ran when its outcome is unknown */
	outcomeHint?: string;
	itemIndex?: number;
	returnFullResponse?: boolean;
	/** sent alongside other requests of this execution: a refused session is renewed once for all of them */
	concurrent?: boolean;
	/** values of this request that must never appear in a message (a password being stored), besides the credential's */
	secrets?: string[];
	/** the path ends with "/" as SPS documents it (`…/content/?q=`) */
	trailingSlash?: boolean;
}

/** The credential of this execution context (read once per context, shared with the request layer). */
export async function spsCredentials(this: RequestContext): Promise<ICredentialDataDecryptedObject> {
	return await credentialsOnce.call(this, CREDENTIAL_TYPE);
}

/**
 * Turns a user-typed path or an SPS href into the path below /api, refusing anything that could leave the API
 * (other hosts, `..`, query strings). "https://sps/api/configuration/x", "/api/configuration/x" and
 * "configuration/x" are the same.
 */
export function apiPath(raw: string): string {
	let p = String(raw ?? '').trim();
	// a pasted full URL: keep only its path (the host is always the credential's)
	p = p.replace(/^https?:\/\/[^/?#]*/i, '');
	p = p.replace(/^\/+/, '');
	if (/^api(\/|$)/.test(p)) p = p.replace(/^api\/?/, '');
	p = p.replace(/\/+$/, '');
	if (/[?#]/.test(p)) throw new Error(`SPS path "${raw}" must not contain "?" or "#": give query options in their own fields`);
	if (p.split('/').some((s) => s === '..' || s === '.')) throw new Error(`SPS path "${raw}" must not contain "." or ".." segments`);
	if (/\s/.test(p)) throw new Error(`SPS path "${raw}" must not contain spaces`);
	return p;
}

function detailsPath(details?: IDataObject): string | undefined {
	const p = details?.path;
	return typeof p === 'string' ? p : undefined;
}

/** Maps SPS's `{"error":{"code","details"}}` answers to a message that says what to fix. */
export function spsMapError(failure: HttpFailure, call: SpsCall, authType: string): MappedError | undefined {
	const status = failure.status;
	const { code, text, details } = spsErrorText(failure.body);
	const said = [code, text].filter(Boolean).join(': ') || undefined;
	const quote = said ? `: "${said}"` : '';
	const all = `${code ?? ''} ${text ?? ''}`;

	if (status === 401) {
		if (authType === 'apiKey') {
			return {
				message: `${SPS} refused the API key (HTTP 401${said ? `, "${said}"` : ''})`,
				description:
					'Check the API key in the credential. A new key works only after the transaction that created it was committed; a deleted key stops working after its deletion was committed.',
				applianceMessage: said,
			};
		}
		return {
			message: `${SPS} did not accept the login session for ${call.operation} even after logging in again (HTTP 401${said ? `, "${said}"` : ''})`,
			description:
				"Check that the user has the REST API privilege, and that the n8n server's clock is synchronised with SPS (SPS rejects sessions when the clocks differ).",
			applianceMessage: said,
		};
	}
	if (/(^|\/)aaa\/local_database\/users(\/|$)/.test(call.path) && call.method !== 'GET' && /ldap/i.test(all)) {
		return {
			message: `${SPS} does not let local users be managed while LDAP authentication is active${quote}`,
			description:
				'SPS authenticates its users against an LDAP directory (Users & Access Control → Settings): local user accounts are disabled and cannot be created, changed or deleted. Manage the person in the directory (SPS privileges follow local groups that name the LDAP groups or users), or switch SPS back to local authentication.',
			applianceMessage: said,
		};
	}
	if (status === 403 && /x-?token/i.test(all)) {
		return {
			message: `${SPS} demanded an X-Token (CSRF) header for ${call.operation}${quote}`,
			description:
				'SPS 7.5+ requires it from browser-like clients. This node sends a non-browser User-Agent; check that no proxy between n8n and SPS rewrites the User-Agent header.',
			applianceMessage: said,
		};
	}
	if (code === 'TransactionNotOpen' || (status === 400 && /transaction/i.test(all) && /not open|no open|closed/i.test(all))) {
		return {
			message: `${SPS} has no open transaction to commit${quote}`,
			description:
				'Nothing was committed. The transaction was already committed or rolled back, or the login session expired (which discards its transaction and its changes). Check Transaction → Get Status and make the changes again.',
			applianceMessage: said,
		};
	}
	if (status === 409 || status === 423 || /lock/i.test(all)) {
		const by = typeof details?.locked_by === 'string' ? ` by "${details.locked_by}"` : '';
		return {
			message: `${SPS} could not ${call.operation} because the configuration is locked${by}${quote}`,
			description:
				'Another administrator session (web UI or another API client) holds an open transaction. Wait until it is committed or rolled back, or ask its owner to close it in the SPS web interface, then run this again.',
			applianceMessage: said,
		};
	}
	if (status === 403) {
		return {
			message: `${SPS} does not allow this user to ${call.operation} (HTTP 403${said ? `, "${said}"` : ''})`,
			description:
				"Grant the user's group the matching privilege in SPS (Users & Access Control → Appliance Access). REST privileges follow the web-interface ones and apply at the next login.",
			applianceMessage: said,
		};
	}
	if (code === 'SessionIdMissing') {
		return { message: `${SPS} needs the recording session ID to terminate a session${quote}`, description: 'Enter a session ID such as svc/…/policy:12.', applianceMessage: said };
	}
	if (code === 'SessionCouldNotBeFound') {
		return {
			message: `${SPS} found no active session with this ID${quote}`,
			description:
				'The session has already ended or the ID is not a recording session ID (svc/…:N, shown as recording.session_id in Audit Session → Get). In a cluster, terminate it on the node that recorded it or on the Search Master.',
			applianceMessage: said,
		};
	}
	if (code === 'SessionTerminationFailed') {
		return {
			message: `${SPS} could not terminate the session${quote}`,
			description: 'SPS tried and failed. Check the session in the SPS web interface (Active Sessions) before trying again.',
			applianceMessage: said,
		};
	}
	if (status === 404) {
		return {
			message: `${SPS} has nothing at /api/${apiPathSafe(call.path)} (HTTP 404${said ? `, "${said}"` : ''})`,
			description:
				'Check the path or key. Use Configuration → Get on a parent path (e.g. configuration/ssh) to list what exists; some endpoints exist only in newer SPS versions.',
			applianceMessage: said,
		};
	}
	if (status === 405) {
		return { message: `${SPS} does not allow ${call.method} on /api/${apiPathSafe(call.path)}${quote}`, description: METHOD_ADVICE[call.method] ?? METHOD_ADVICE.GET, applianceMessage: said };
	}
	if (status === 411) {
		return { message: `${SPS} demanded a request body length (HTTP 411) for ${call.operation}`, description: 'A proxy between n8n and SPS may have removed the body.', applianceMessage: said };
	}
	if (status === 400 || status === 422) {
		const where = detailsPath(details);
		const lists = details && Object.values(details).some((v) => Array.isArray(v) && v.length);
		return {
			message: `${SPS} rejected ${call.operation}${where ? ` at "${where}"` : ''}${quote}`,
			description: lists
				? 'Correct the fields SPS lists (missing, unknown or of the wrong type) and run again. Configuration → Get shows the object with all its fields and their current values.'
				: 'Correct the value SPS names and run again.',
			applianceMessage: said,
		};
	}
	if (said) return { message: `${SPS} answered HTTP ${status} to ${call.operation}: "${said}"`, applianceMessage: said };
	return undefined;
}

/** What a 405 means for each method: SPS creates in lists, replaces objects and deletes list entries. */
const METHOD_ADVICE: Record<string, string> = {
	GET: 'SPS does not let this path be read (some, like configuration/passwords, are write-only).',
	PUT: 'Use a path of a single object (not a list or folder).',
	POST: 'Give the path of a list to add an entry to (e.g. configuration/ssh/connections), not of an object or folder.',
	DELETE: 'Give the path of one entry of a list (e.g. configuration/ssh/connections/<key>): SPS deletes list entries, not objects or folders.',
};

function apiPathSafe(p: string): string {
	try {
		return apiPath(p);
	} catch {
		return p;
	}
}

/**
 * A 401 that reaches us is persistent: n8n already logged in again (password/certificate) or re-sent once (API
 * key). It is a credential/permission problem: stop the run instead of trying (and re-logging in) for each item.
 */
function classify(error: NodeApiError | NodeOperationError): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError && String(error.httpCode) === '401') return markAuthFailure(error);
	return error;
}

/**
 * One SPS REST call: JSON in and out, the credential's auth (cookie session with one re-login on 401, or API key),
 * bounded retries for reads only, and SPS error bodies turned into clear messages.
 */
export async function spsRequest(this: RequestContext, call: SpsCall): Promise<IDataObject> {
	const credentials = await spsCredentials.call(this);
	const authType = spsAuthType(credentials);
	let path: string;
	try {
		path = apiPath(call.path);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex: call.itemIndex });
	}
	const options: IHttpRequestOptions = {
		method: call.method,
		url: `/${path}${call.trailingSlash ? '/' : ''}`,
		json: true,
		headers: {},
	};
	if (call.qs && Object.keys(call.qs).length) options.qs = call.qs;
	if (call.method === 'POST' || call.method === 'PUT') {
		// a string, because n8n drops an empty object body (and SPS answers 411 without Content-Length)
		options.body = JSON.stringify(call.body ?? {});
		options.headers = { 'Content-Type': 'application/json; charset=utf-8' };
	}
	if (call.returnFullResponse) options.returnFullResponse = true;
	const idempotent = call.idempotent ?? call.method === 'GET';
	try {
		return (await applianceRequest.call(this, CREDENTIAL_TYPE, options, {
			appliance: SPS,
			operation: call.operation,
			idempotent,
			outcomeHint: call.outcomeHint,
			itemIndex: call.itemIndex,
			concurrent: call.concurrent,
			secrets: [...spsSecrets(credentials), ...(call.secrets ?? [])],
			mapError: (failure) => spsMapError(failure, { ...call, path }, authType),
			validate: (body) => notJson(body, call.method !== 'GET'),
			tlsDescription: tlsAdvice(credentials),
		})) as IDataObject;
	} catch (error) {
		throw classify(error as NodeApiError | NodeOperationError);
	}
}

/** `{key, href, ...body}` for a list item or single object (bodies that are not objects stay under `body`). */
export function flatten(entry: IDataObject): IDataObject {
	const meta = (entry.meta ?? {}) as IDataObject;
	const out: IDataObject = { key: entry.key as string };
	if (typeof meta.href === 'string') out.href = meta.href;
	const body = entry.body;
	if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(out, body as IDataObject);
	else if (body !== undefined) out.body = body;
	return out;
}
