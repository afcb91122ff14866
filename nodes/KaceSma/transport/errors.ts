import type { IDataObject } from 'n8n-workflow';

import type { HttpFailure } from '../../shared/errors';
import type { MappedError } from '../../shared/http';
import { KACE } from './constants';

/** The appliance's words from an error body ({"errorCode":-1,"errorDescription":"…"} or text). */
export function kaceMessage(body: unknown): string | undefined {
	if (body && typeof body === 'object') {
		const b = body as IDataObject;
		const m = b.errorDescription ?? b.error ?? b.message ?? b.Message;
		if (typeof m === 'string' && m) return m;
		if (m && typeof m === 'object') return JSON.stringify(m).slice(0, 300);
	}
	if (typeof body === 'string') {
		const t = body.trim();
		if (!t) return undefined;
		try {
			return kaceMessage(JSON.parse(t));
		} catch {
			return t.startsWith('<') ? undefined : t.slice(0, 300);
		}
	}
	return undefined;
}

/** A request refused because of its CSRF token (≤ 12.0; some builds answer 403 instead of 401). */
export function isCsrfRefusal(failure: HttpFailure): boolean {
	if (failure.status !== 403 && failure.status !== 401) return false;
	return /csrf|xsrf/i.test(kaceMessage(failure.body) ?? '');
}

/** What a request sent, so that the advice for a refusal fits what the appliance is refusing. */
export interface KaceRequestContext {
	query?: { filtering?: string; sorting?: string; shaping?: string; [key: string]: string | undefined };
	operation?: string;
	/** what an unverified route offers (see KaceRequestOptions.unverified) */
	unverified?: string;
}

/** Words of the appliance that point at the query language rather than at a value of the request. */
const QUERY_WORDS = /filter|sort|shap|operator|entity|level|field|criteri|query|syntax/i;

/** The fix for an HTTP 400: filter advice only when a filter/sort/shaping was sent and the message is about it. */
function badRequestAdvice(said: string | undefined, context: KaceRequestContext): string {
	const q = context.query ?? {};
	const sent = (['filtering', 'sorting', 'shaping'] as const).filter((k) => typeof q[k] === 'string' && q[k] !== '');
	if (sent.length && (!said || QUERY_WORDS.test(said))) {
		const parts: string[] = [];
		if (q.filtering) {
			parts.push(
				'Filtering: "field operator value" joined with commas; co/st/en only on text fields, in/nin take values separated by ;, sub-entity fields are written entity.field (e.g. software.display_name).',
			);
		}
		if (q.sorting) parts.push('Sorting: "field asc|desc" joined with commas.');
		if (q.shaping) parts.push('Shaping: "entity level" joined with commas, level one of limited, standard, extended, all.');
		return `The appliance rejected the ${sent.join('/')} sent. Check the field names and operators. ${parts.join(' ')}`;
	}
	if (said && /\bids?\b|\bid\(s\)/i.test(said)) {
		return `The appliance refused an ID given to ${context.operation ?? 'this operation'}; its message above names it. Check that each ID exists in the organization the credential logs in to.`;
	}
	return `The appliance refused a value given to ${context.operation ?? 'this operation'}; its message above says which. Check that value in the node's parameters (or in the input item it is mapped from).`;
}

export function mapKaceError(failure: HttpFailure, context: KaceRequestContext = {}): MappedError {
	const said = kaceMessage(failure.body);
	const status = failure.status;
	const lower = (said ?? '').toLowerCase();
	if (status === 401 && lower.includes('not fully authenticated')) {
		return {
			message: `${KACE} requires a two-factor code for this account ("${said}")`,
			description: "Add the account's TOTP secret (the base32 key shown when two-factor authentication was set up) to the credential field 'TOTP Secret (Two-Factor)'.",
			applianceMessage: said,
		};
	}
	if (isCsrfRefusal(failure)) {
		return {
			applianceMessage: said,
			description:
				"The appliance refused the session's CSRF token, even after a fresh login. Check that no proxy between n8n and the appliance strips the x-kace-csrf-token / x-dell-csrf-token headers or the KACE_CSRF_TOKEN cookie.",
		};
	}
	if (status === 404 && context.unverified) {
		return {
			applianceMessage: said,
			description: `Either the record does not exist in the organization the credential logs in to, or this KACE SMA build or module does not offer ${context.unverified} (only one source documents this route). Check the ID first; if it exists, the appliance does not offer this through its API.`,
		};
	}
	const hints: Record<number, string> = {
		401: 'The session was refused even after a fresh login. Check that the account is not locked or disabled, and that no proxy strips the CSRF or authorization headers.',
		403: "The account's role does not allow this. Read-only administrators cannot change data; standard users only see their own records.",
		404: 'Not found. Check that the ID exists in this organization, and that the credential\'s API Version Header is 5 or higher (version 1 makes some routes answer 404).',
		405: 'The appliance does not allow this method on this route in its version.',
		414: 'The request URL is too long for the appliance.',
		415: 'The appliance refused the request body type.',
	};
	return {
		applianceMessage: said,
		description: status === 400 ? badRequestAdvice(said, context) : status !== undefined ? hints[status] : undefined,
	};
}
