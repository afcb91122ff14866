import type { ICredentialDataDecryptedObject, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

/**
 * Connection settings every appliance credential offers (TLS trust, client certificate, timeout). They are applied to EVERY request the credential makes
 * (login, node operations, list searches, polls, credential test) through the credential's `authenticate`
 * function, because n8n's `test.request.skipSslCertificateValidation` only reaches the credential test.
 */
export const tlsCredentialProperties: INodeProperties[] = [
	{
		displayName: 'CA Certificate (PEM)',
		name: 'caCertificate',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: '-----BEGIN CERTIFICATE-----',
		description:
			"PEM of the certificate authority that signed the appliance's HTTPS certificate (appliances usually use their own CA). Verification stays on; the certificate is trusted in addition to nothing else.",
	},
	{
		displayName: 'Ignore SSL Issues (Insecure)',
		name: 'allowUnauthorizedCerts',
		type: 'boolean',
		default: false,
		description: 'Whether to connect even if SSL certificate validation is not possible',
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 3600 },
		default: 60,
		description:
			'How long to wait for the appliance to answer one request (login included) before giving up. Raise it for slow appliances or very large pages.',
	},
];

export type TlsRequestOptions = Pick<IHttpRequestOptions, 'skipSslCertificateValidation' | 'agentOptions' | 'timeout'>;

function pem(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	if (!trimmed) return undefined;
	// Pasted PEMs often lose their newlines in single-line inputs: restore them around the armour lines.
	return trimmed
		.replace(/\\n/g, '\n')
		.replace(/(-----BEGIN [A-Z ]+-----)\s*/g, '$1\n')
		.replace(/\s*(-----END [A-Z ]+-----)/g, '\n$1');
}

/** Request options carrying the credential's connection settings (CA, client certificate, insecure toggle, timeout). */
export function tlsRequestOptions(credentials: ICredentialDataDecryptedObject): TlsRequestOptions {
	const seconds = Number(credentials.timeoutSeconds);
	const out: TlsRequestOptions = { timeout: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000 };
	if (credentials.allowUnauthorizedCerts === true) out.skipSslCertificateValidation = true;
	const agentOptions: NonNullable<IHttpRequestOptions['agentOptions']> = {};
	const ca = pem(credentials.caCertificate);
	if (ca) agentOptions.ca = ca;
	const cert = pem(credentials.clientCertificate);
	const key = pem(credentials.clientKey);
	if (cert && key) {
		agentOptions.cert = cert;
		agentOptions.key = key;
		if (typeof credentials.clientKeyPassphrase === 'string' && credentials.clientKeyPassphrase !== '') {
			agentOptions.passphrase = credentials.clientKeyPassphrase;
		}
	}
	if (Object.keys(agentOptions).length) out.agentOptions = agentOptions;
	return out;
}
