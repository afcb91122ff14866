'use strict';
/**
 * Leak check: every secret the suite uses or the simulators issue, looked for (plain, URL-encoded, base64 and
 * base64url) in every error, output item, execution data and captured log line of a case.
 */

/** Deep, cycle-safe text of any value, including the non-enumerable parts of errors (message, stack, cause). */
function textOf(value) {
	const seen = new WeakSet();
	const parts = [];
	const walk = (v, depth) => {
		if (v === null || v === undefined) return;
		if (typeof v === 'string') { parts.push(v); return; }
		if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') { parts.push(String(v)); return; }
		if (typeof v === 'function' || typeof v === 'symbol') return;
		if (Buffer.isBuffer(v)) { parts.push(v.toString('utf8')); return; }
		if (typeof v !== 'object' || depth > 40) return;
		if (seen.has(v)) return;
		seen.add(v);
		// sockets, agents and similar live objects are not output
		const name = v.constructor && v.constructor.name;
		if (['Socket', 'TLSSocket', 'Agent', 'Server', 'ClientRequest', 'IncomingMessage', 'Workflow'].includes(name)) return;
		if (v instanceof Error) {
			walk(v.message, depth + 1);
			walk(v.description, depth + 1);
			walk(v.stack, depth + 1);
			walk(v.cause, depth + 1);
		}
		if (v instanceof Map) { for (const [k, x] of v) { walk(k, depth + 1); walk(x, depth + 1); } return; }
		if (v instanceof Set) { for (const x of v) walk(x, depth + 1); return; }
		for (const key of Object.keys(v)) {
			parts.push(key);
			let x;
			try { x = v[key]; } catch { continue; }
			walk(x, depth + 1);
		}
	};
	walk(value, 0);
	return parts.join('\n');
}

function forms(secret) {
	const out = new Set([secret, encodeURIComponent(secret), Buffer.from(secret, 'utf8').toString('base64'), Buffer.from(secret, 'utf8').toString('base64url')]);
	// base64 of a secret embedded in a longer text (e.g. "user:password") is not found by the above; the
	// Basic header values the simulators received are added as secrets of their own (see headerSecrets).
	return [...out].filter((f) => f.length >= 6);
}

/** Each base64 body line of a PEM private key (a leak of any line counts). */
function pemSecrets(label, pem) {
	if (typeof pem !== 'string' || !/PRIVATE KEY/.test(pem)) return [];
	return pem
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter((l) => l.length >= 40 && !l.startsWith('-----') && !/:/.test(l))
		.map((value) => ({ label, value }));
}

const SECRET_COOKIES = /^(kboxid|x-kace-auth-jwt|x-dell-auth-jwt|KACE_CSRF_TOKEN|session_id)$/i;
const SECRET_HEADERS = ['x-kace-csrf-token', 'x-dell-csrf-token', 'x-kace-authorization', 'x-token'];

/** Secrets seen on the wire by a simulator: Authorization values, session cookies, CSRF/authorization headers. */
function headerSecrets(sim) {
	const out = [];
	for (const r of sim.requests || []) {
		const h = r.headers || {};
		if (typeof h.authorization === 'string') {
			const m = /^(\S+)\s+(.+)$/.exec(h.authorization.trim());
			if (m) out.push({ label: `${m[1]} Authorization value`, value: m[2] });
		}
		if (typeof h.cookie === 'string') {
			for (const pair of h.cookie.split(';')) {
				const eq = pair.indexOf('=');
				if (eq <= 0) continue;
				const name = pair.slice(0, eq).trim();
				if (SECRET_COOKIES.test(name)) out.push({ label: `session cookie ${name}`, value: pair.slice(eq + 1).trim() });
			}
		}
		for (const name of SECRET_HEADERS) if (typeof h[name] === 'string') out.push({ label: `header ${name}`, value: h[name] });
	}
	return out;
}

/** De-duplicates and drops values too short to be told apart from ordinary text. */
function normalize(secrets) {
	const map = new Map();
	for (const s of secrets) {
		if (!s || typeof s.value !== 'string') continue;
		const v = s.value.trim();
		if (v.length < 6) continue;
		if (!map.has(v)) map.set(v, s.label);
	}
	return [...map].map(([value, label]) => ({ value, label }));
}

/**
 * Looks for every secret in every source. `sources`: [{ where, value }] (value of any shape).
 * `allowed`: [{ value, where }] pairs that may legitimately appear (e.g. the token of an API key the case
 * created, in that operation's own output item). Returns [{ label, where, form }].
 */
function scan(secrets, sources, allowed = []) {
	const list = normalize(secrets);
	const leaks = [];
	for (const src of sources) {
		const text = typeof src.value === 'string' ? src.value : textOf(src.value);
		if (!text) continue;
		for (const s of list) {
			if (allowed.some((a) => a.value === s.value && a.where === src.where)) continue;
			for (const f of forms(s.value)) {
				if (text.includes(f)) {
					leaks.push({ label: s.label, where: src.where, form: f === s.value ? 'plain' : 'encoded' });
					break;
				}
			}
		}
	}
	return leaks;
}

module.exports = { textOf, scan, pemSecrets, headerSecrets, normalize };
