import type { INodeProperties } from 'n8n-workflow';

/**
 * `clientKey`: the PEM private key for certificate authentication (field name fixed by nodes/shared/tls.ts). The
 * lint heuristic goes by field name and misjudges it; it must keep `password: true`, because n8n blanks exactly the
 * password-typed fields before sending credential data to the editor.
 */
export const clientKeyProperty: INodeProperties = {
	displayName: 'Client Private Key (PEM)',
	name: 'clientKey',
	type: 'string',
	typeOptions: { rows: 4, password: true },
	default: '',
	placeholder: '-----BEGIN PRIVATE KEY-----',
	description: 'Private key of the client certificate, unencrypted or encrypted (then also enter the passphrase)',
	displayOptions: { show: { authType: ['x509'] } },
};
