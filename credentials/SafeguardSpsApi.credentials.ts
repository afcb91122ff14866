import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { tlsCredentialProperties } from '../nodes/shared/tls';
import {
	API_KEY_SESSION,
	configError,
	SPS,
	spsAuthType,
	spsBaseUrl,
	spsHeaders,
	spsLogin,
	spsTls,
} from '../nodes/SafeguardSps/transport/session';
import { clientKeyProperty } from '../nodes/SafeguardSps/transport/credentialFields';
import { sessionProperty } from '../nodes/shared/session';

const CREDENTIAL_REFUSED =
	'SPS refused the credential (HTTP 401). API key: check the key (the token shown once when the key was created); a new key works only after the transaction that created it was committed, and a deleted key stops working once its deletion is committed. Password or certificate: the login worked but SPS refused the session: check that the clocks of n8n and SPS agree.';
const NO_REST_API_PRIVILEGE =
	"SPS accepted the credential but this user may not use the REST API (HTTP 403 on /api/user_info): grant the user's group the REST API privilege in SPS (Users & Access Control > Appliance Access); it applies at the next login.";
const NOT_SPS =
	'The answer to GET /api/user_info is not from SPS (no user in it: a proxy or portal page?): check the Base URL: it must be the address of SPS itself.';

export class SafeguardSpsApi implements ICredentialType {
	name = 'safeguardSpsApi';

	displayName = 'One Identity Safeguard for Privileged Sessions (SPS) API';

	icon: Icon = { light: 'file:../nodes/SafeguardSps/sps.svg', dark: 'file:../nodes/SafeguardSps/sps.dark.svg' };

	documentationUrl = 'https://github.com/it-appliances/n8n-nodes-it-appliances#sps-credential';

	properties: INodeProperties[] = [
		sessionProperty,
		{
			displayName: 'SPS URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://sps.example.com',
			description: 'Address of the SPS web interface that has REST/management access enabled (without /api)',
			required: true,
		},
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{
					name: 'API Key',
					value: 'apiKey',
					description: 'Authorization: apikey header on every request. API keys cannot commit transactions.',
				},
				{
					name: 'Client Certificate',
					value: 'x509',
					description: 'Mutual TLS login with an X.509 client certificate',
				},
				{
					name: 'Password',
					value: 'password',
					description: 'Username and password (local, LDAP or RADIUS login method)',
				},
			],
			default: 'password',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			displayOptions: { show: { authType: ['password'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['password'] } },
		},
		{
			displayName: 'Login Method',
			name: 'loginMethod',
			type: 'string',
			default: '',
			placeholder: 'local',
			description:
				'Name of the SPS login method (e.g. local, or the name of an LDAP/RADIUS/certificate method). Leave empty for the default method. The SPS node operation System → Get Login Methods lists them; a refused login also names them.',
			displayOptions: { show: { authType: ['password', 'x509'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Token of an SPS API key (shown once when the key is created). It works only after the transaction that created it was committed.',
			displayOptions: { show: { authType: ['apiKey'] } },
		},
		{
			displayName: 'Client Certificate (PEM)',
			name: 'clientCertificate',
			type: 'string',
			typeOptions: { rows: 4, password: true },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'The X.509 client certificate SPS maps to a user (with its chain, if any)',
			displayOptions: { show: { authType: ['x509'] } },
		},
		clientKeyProperty,
		{
			displayName: 'Private Key Passphrase',
			name: 'clientKeyPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for an encrypted private key',
			displayOptions: { show: { authType: ['x509'] } },
		},
		...tlsCredentialProperties,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (spsAuthType(credentials) === 'apiKey') {
			// no login for API keys: a constant marker, no request
			if (!String(credentials.apiKey ?? '').trim()) {
				throw configError(`${SPS} API key authentication needs the API key in the credential`);
			}
			return { session: API_KEY_SESSION };
		}
		return { session: await spsLogin(this.helpers, credentials) };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const url = String(requestOptions.url ?? '');
		return {
			...requestOptions,
			...(/^https?:\/\//i.test(url) ? {} : { baseURL: `${spsBaseUrl(credentials)}/api` }),
			headers: { ...(requestOptions.headers ?? {}), ...spsHeaders(credentials) },
			...spsTls(credentials),
		};
	}

	/**
	 * GET /api/user_info with the credential. A refused password or certificate login fails in preAuthentication
	 * with SPS's reason; an API key has no login, so SPS's answer to this request is the verdict: n8n's credential
	 * tester reports a non-2xx answer by these rules (else by the bare HTTP status text, e.g. "Unauthorized").
	 */
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/user_info',
			// SPS's refusals are read from its error body: n8n 1.x does not apply responseCode rules to an HTTP error, and
			// would show its bare "Unauthorized"/"Forbidden"
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{ type: 'responseSuccessBody', properties: { key: 'error.code', value: 'Unauthenticated', message: CREDENTIAL_REFUSED } },
			{ type: 'responseSuccessBody', properties: { key: 'error.code', value: 'AuthenticationFailure', message: CREDENTIAL_REFUSED } },
			{ type: 'responseSuccessBody', properties: { key: 'error.code', value: 'Unauthorized', message: NO_REST_API_PRIVILEGE } },
			// no SPS answer at all (an HTML page of a proxy or portal, an empty body): user_info always names the user
			{ type: 'responseSuccessBody', properties: { key: 'user', value: undefined, message: NOT_SPS } },
		],
	};
}
