import { ApplianceConfigError } from './errors';

/**
 * Validates and normalises an appliance base URL typed by a user: must be http(s), must not carry
 * credentials, query or fragment. A trailing slash and the given API suffixes (e.g. `/api/v1.0`) are removed,
 * so `https://vsa.example.com/api/v1.0/` and `https://vsa.example.com` are the same appliance.
 */
export function normalizeBaseUrl(raw: unknown, appliance: string, stripSuffixes: RegExp[] = []): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	const field = `${appliance} URL`;
	if (!text) throw new ApplianceConfigError(`${field} is empty: enter the address of the appliance, e.g. https://appliance.example.com`);
	const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
	if (!URL.canParse(candidate) || /\s/.test(text)) {
		throw new ApplianceConfigError(`${field} "${text}" is not a valid URL: use the form https://appliance.example.com`);
	}
	const url = new URL(candidate);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new ApplianceConfigError(`${field} must start with https:// (got ${url.protocol})`);
	}
	if (url.username || url.password) {
		throw new ApplianceConfigError(`${field} must not contain a user name or password: put them in the credential fields instead`);
	}
	if (url.search || url.hash) {
		throw new ApplianceConfigError(`${field} must not contain a query string or fragment: use only https://host[:port]`);
	}
	let path = url.pathname.replace(/\/+$/, '');
	for (const suffix of stripSuffixes) path = path.replace(suffix, '');
	path = path.replace(/\/+$/, '');
	return `${url.protocol}//${url.host}${path}`;
}
