import type { INodeProperties } from 'n8n-workflow';

/**
 * The hidden, expirable field where each credential keeps its appliance session (cookie, CSRF token, bearer
 * token). n8n runs the credential's preAuthentication when it is empty or a request got 401, and persists the
 * result. `password: true` because n8n blanks exactly the password-typed fields before sending credential data to
 * the editor: a live session must not reach a browser that is not allowed to see the password.
 */
export const sessionProperty: INodeProperties = {
	displayName: 'Session',
	name: 'session',
	type: 'hidden',
	typeOptions: { expirable: true, password: true },
	default: '',
};
