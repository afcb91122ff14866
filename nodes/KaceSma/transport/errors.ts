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

export function mapKaceError(failure: HttpFailure): MappedError {
	const said = kaceMessage(failure.body);
	const status = failure.status;
	const lower = (said ?? '').toLowerCase();
	if (status === 401 && lower.includes('not fully authenticated')) {
		return {
			message: `${KACE} requires a two-factor code for this account ("${said}")`,
			description: "Add the account's TOTP secret (the base32 key shown when two-factor authentication was set up) to the credential field 'TOTP Secret'.",
			applianceMessage: said,
		};
	}
	const hints: Record<number, string> = {
		400: 'The appliance rejected the request. Check filter field names and operators (co/st/en only on text fields; in/nin take values separated by ;) and the values sent.',
		401: 'The session was refused even after a fresh login. Check that the account is not locked or disabled, and that no proxy strips the CSRF or authorization headers.',
		403: "The account's role does not allow this. Read-only administrators cannot change data; standard users only see their own records.",
		404: 'Not found. Check that the ID exists in this organization, and that the credential\'s API Version Header is 5 or higher (version 1 makes some routes answer 404).',
		405: 'The appliance does not allow this method on this route in its version.',
		414: 'The request URL is too long for the appliance.',
		415: 'The appliance refused the request body type.',
	};
	return {
		applianceMessage: said,
		description: status !== undefined ? hints[status] : undefined,
	};
}
