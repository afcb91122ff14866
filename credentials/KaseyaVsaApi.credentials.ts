import type {
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

const TEST_READ = 'GET /api/v1.0/assetmgmt/agents?$top=1';

const TOKEN_REFUSED = `The login worked, but the VSA refused the session token it had just issued when it was used for a read (401, ${TEST_READ}). Something between n8n and the VSA probably removes the Authorization header (a reverse proxy, load balancer or web application firewall): let it pass that header through, or set the Server URL to the VSA itself. Also check that the Server URL does not lead to another VSA server than the one that issued the token (a load balancer without sticky sessions).`;

const ACCESS_DENIED = `The login worked, but the VSA denied the test read (403 "Access denied", ${TEST_READ}). The user's Role must grant access to agents (System > User Security > Roles) and its Scope must include the organizations and machine groups to use (System > User Security > Scopes). A Personal Access Token needs the scope "REST API (Read, Write)" (not only "Data Warehouse API") and can be narrower than the user's Role.`;

const ROUTE_NOT_FOUND = `The login worked, but the VSA answered the test read with "not found" (404, ${TEST_READ}): check that the Server URL is the VSA itself and that its REST API includes the agent list (VSA 9.3 or later).`;

const READ_FAILED = `The login worked, but the VSA refused the test read (${TEST_READ}) with an error of its own. Run a Kaseya VSA node with this credential (Agent > Get Many, Limit 1) to see the VSA's message.`;

const NOT_THE_VSA = `The login worked, but the test read (${TEST_READ}) was not answered by the VSA's REST API: no VSA answer came back (an HTML page from a proxy, portal or web server, or an empty body). Check the Server URL, and that any proxy between n8n and the VSA passes API requests (and their Authorization header) through.`;

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
	 * A real login (n8n always runs preAuthentication for a test; a refused login fails there with the VSA's own
	 * words), then one cheap authenticated read. The read is taken whatever its HTTP status
	 * (`ignoreHttpStatusErrors`) and judged by the VSA's envelope: n8n's tester would otherwise show the bare status
	 * text ("Unauthorized", "Forbidden") — and n8n 1.x never reaches `responseCode` rules at all (its NodeApiError
	 * drops the HTTP error it wraps) — while the body rules below work the same on n8n 1.123.x and 2.x. The first
	 * rule that matches gives the message.
	 */
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/assetmgmt/agents',
			qs: { $top: 1 },
			ignoreHttpStatusErrors: true,
		},
		rules: [
			// the token refused (HTTP 401, or inside an HTTP 200 as VSA 9.3 does), or no Authorization header arrived
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 401, message: TOKEN_REFUSED } },
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 4010001, message: TOKEN_REFUSED } },
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 4000001, message: TOKEN_REFUSED } },
			// the Role or Scope denies agents
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 4030001, message: ACCESS_DENIED } },
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 403, message: ACCESS_DENIED } },
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 404, message: ROUTE_NOT_FOUND } },
			// any other refusal of the VSA
			{ type: 'responseSuccessBody', properties: { key: 'Status', value: 'Failed', message: READ_FAILED } },
			// no VSA envelope at all (an HTML page of a proxy or portal, an empty body): a list answer always has Result
			{ type: 'responseSuccessBody', properties: { key: 'Result', value: undefined, message: NOT_THE_VSA } },
		],
	};
}
