import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { parseSession, vsaApiBase, vsaLogin } from '../nodes/KaseyaVsa/transport/auth';
import { sessionProperty } from '../nodes/shared/session';
import { tlsCredentialProperties, tlsRequestOptions } from '../nodes/shared/tls';

const TOKEN_REFUSED =
	'The login worked, but the VSA refused the session token it had just issued when it was used for a read (HTTP 401, GET /api/v1.0/assetmgmt/agents). Something between n8n and the VSA probably removes the Authorization header (a reverse proxy, load balancer or web application firewall): let it pass that header through, or set the Server URL to the VSA itself. Also check that the Server URL does not lead to another VSA server than the one that issued the token (a load balancer without sticky sessions).';

const ACCESS_DENIED =
	'The login worked, but the VSA denied the test read (HTTP 403 "Access denied", GET /api/v1.0/assetmgmt/agents). The user\'s Role must grant access to agents (System > User Security > Roles) and its Scope must include the organizations and machine groups to use (System > User Security > Scopes). A Personal Access Token needs the scope "REST API (Read, Write)" (not only "Data Warehouse API") and can be narrower than the user\'s Role.';

export class KaseyaVsaApi implements ICredentialType {
	name = 'kaseyaVsaApi';

	displayName = 'Kaseya VSA API';

	icon: Icon = { light: 'file:../nodes/KaseyaVsa/vsa.svg', dark: 'file:../nodes/KaseyaVsa/vsa.dark.svg' };

	documentationUrl = 'https://github.com/it-appliances/n8n-nodes-it-appliances#kaseya-vsa-credential';

	properties: INodeProperties[] = [
		sessionProperty,
		{
			displayName: 'Server URL',
			name: 'server',
			type: 'string',
			default: '',
			placeholder: 'https://vsa.example.com',
			description: 'Address of the VSA 9 server (without /api/v1.0)',
			required: true,
		},
		{
			displayName: 'Authentication Method',
			name: 'authMethod',
			type: 'options',
			options: [
				{
					name: 'Personal Access Token',
					value: 'pat',
					description: 'Recommended. Create it in System > User Security > Users > Access Tokens with the scope "REST API".',
				},
				{
					name: 'Legacy Password (Deprecated)',
					value: 'legacyPassword',
					description:
						'Hashed username/password login of VSA 9.3–9.5. Deprecated by Kaseya; does not work for accounts with two-factor authentication.',
				},
			],
			default: 'pat',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'The VSA login name of the user',
			required: true,
		},
		{
			displayName: 'Personal Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '00000000-0000-0000-0000-000000000000',
			description: 'The token (a GUID) shown once when it was created; it needs the scope "REST API"',
			displayOptions: { show: { authMethod: ['pat'] } },
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authMethod: ['legacyPassword'] } },
			required: true,
		},
		...tlsCredentialProperties,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const session = await vsaLogin(this.helpers, credentials);
		return { session: JSON.stringify(session) };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const session = parseSession(credentials.session);
		const url = String(requestOptions.url ?? '');
		const headers: Record<string, string> = { Accept: 'application/json' };
		if (session) headers.Authorization = `Bearer ${session.token}`;
		return {
			...requestOptions,
			...(/^https?:\/\//i.test(url) ? {} : { baseURL: vsaApiBase(credentials) }),
			headers: { ...(requestOptions.headers ?? {}), ...headers },
			...tlsRequestOptions(credentials),
		};
	}

	/**
	 * A real login (n8n always runs preAuthentication for a test; a refused login fails there with the VSA's
	 * words), then one cheap authenticated read. n8n's tester shows the bare HTTP status text for a failed read
	 * ("Unauthorized", "Forbidden"), so the refusals of that read get rules that say what is wrong and what to check.
	 */
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/assetmgmt/agents',
			qs: { $top: 1 },
		},
		// n8n's type takes one kind of rule per list, but its tester checks every rule by its own type (1.123.x and
		// 2.41.x alike): the HTTP refusals and the refusals inside an HTTP 200 are both needed
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: TOKEN_REFUSED,
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: ACCESS_DENIED,
				},
			},
			// VSA 9.3 reports a refused token or a denied read inside an HTTP 200 (kaseya-vsa.md §6.2)
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 401, message: TOKEN_REFUSED } },
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 4010001, message: TOKEN_REFUSED } },
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 4030001, message: ACCESS_DENIED } },
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as ICredentialTestRequest['rules'],
	};
}
