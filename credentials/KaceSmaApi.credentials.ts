import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { kaceBaseUrl, kaceHeaders, kaceLogin, parseSession } from '../nodes/KaceSma/transport/session';
import { sharedLogin } from '../nodes/shared/login';
import { sessionProperty } from '../nodes/shared/session';
import { tlsCredentialProperties, tlsRequestOptions } from '../nodes/shared/tls';

export class KaceSmaApi implements ICredentialType {
	name = 'kaceSmaApi';

	displayName = 'Quest KACE SMA API';

	icon: Icon = { light: 'file:../nodes/KaceSma/kace.svg', dark: 'file:../nodes/KaceSma/kace.dark.svg' };

	documentationUrl = 'https://github.com/it-appliances/n8n-nodes-it-appliances#kace-sma-credential';

	properties: INodeProperties[] = [
		sessionProperty,
		{
			displayName: 'Appliance URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://kace.example.com',
			description: 'Address of the KACE SMA (the console address without /adminui)',
			required: true,
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Organization',
			name: 'organization',
			type: 'string',
			default: '',
			placeholder: 'Default',
			description:
				'Organization to log in to on multi-organization appliances (use System for the System organization). Leave empty on single-organization appliances.',
		},
		{
			displayName: 'API Version Header',
			name: 'apiVersion',
			type: 'string',
			default: '5',
			description:
				'Value sent in x-kace-api-version and x-dell-api-version. 5 is known to work from K1000 8.0 to SMA 14; do not use 1 (asset routes answer 404).',
		},
		{
			displayName: 'TOTP Secret (Two-Factor)',
			name: 'totpSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Base32 secret of the account\'s authenticator (shown when two-factor authentication was set up). Needed only when the account uses two-factor authentication.',
		},
		...tlsCredentialProperties,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		// one login per credential version and n8n process at a time (nodes/shared/login.ts)
		return { session: await sharedLogin(credentials, async (replaced) => JSON.stringify(await kaceLogin(this.helpers, credentials, replaced))) };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const session = parseSession(credentials.session);
		const url = String(requestOptions.url ?? '');
		return {
			...requestOptions,
			...(url.startsWith('http') ? {} : { baseURL: kaceBaseUrl(credentials) }),
			headers: { ...(requestOptions.headers ?? {}), ...kaceHeaders(credentials, session) },
			...tlsRequestOptions(credentials),
		};
	}

	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/api/users/me',
		},
	};
}
