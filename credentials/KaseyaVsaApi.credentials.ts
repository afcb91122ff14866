import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { parseSession, sessionExpiring, vsaApiBase, vsaLogin } from '../nodes/KaseyaVsa/transport/auth';
import { sharedLogin } from '../nodes/shared/login';
import { sessionProperty } from '../nodes/shared/session';
import { tlsCredentialProperties, tlsRequestOptions } from '../nodes/shared/tls';

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
		// one login per credential version and n8n process at a time (nodes/shared/login.ts); a token about to
		// expire is never handed out
		const usable = (value: string) => {
			const session = parseSession(value);
			return !!session && !sessionExpiring(session);
		};
		return { session: await sharedLogin(credentials, async () => JSON.stringify(await vsaLogin(this.helpers, credentials)), usable) };
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

	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/assetmgmt/agents',
			qs: { $top: 1 },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'ResponseCode',
					value: 401,
					message: 'The VSA refused the session token right after logging in (ResponseCode 401)',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'ResponseCode',
					value: 4030001,
					message:
						'Logged in, but the VSA user may not list agents (ResponseCode 4030001 "Access denied"): check the user\'s Role and Scope',
				},
			},
		],
	};
}
