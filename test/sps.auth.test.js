'use strict';
/**
 * SPS credential through the real n8n engine: password (Basic UTF-8, login methods), X.509 over mutual TLS with a
 * generated CA, API keys; session cookie handling (idle expiry → exactly one re-login, clock skew), exactly one
 * login attempt on bad credentials, TLS verification with the CA field, the credential test, the X-Token and 411
 * rules of the simulator, and no secret in any output.
 */
const { Engine, assertNoSecrets, credentialTypes } = require('./harness');
const { startSpsFixture, pinSpsVersion } = require('./sim/sps');

// written for node version 1, whose defaults saved workflows keep (version 1.1: test/sps.simplify.test.js)
pinSpsVersion(1);

const CRED = 'safeguardSpsApi';
const NODE = 'safeguardSps';
const currentUser = { resource: 'system', operation: 'getCurrentUser' };

let f;
const outputs = []; // everything the engine returned, checked for secrets at the end
const keep = (r) => {
	outputs.push(r.items, r.error && { message: r.error.message, description: r.error.description, stack: r.error.stack });
	return r;
};

beforeAll(async () => {
	f = await startSpsFixture({ sessions: 20, activeSessions: 1 });
});
afterAll(async () => {
	await f.sim.stop();
	const { pki } = f;
	assertNoSecrets(
		['Admin-Passw0rd!', 'Pässwörd-ñ€', 'Ldap-Passw0rd!', 'wrong-Passw0rd!', pki.passphrase, ...f.sim.state.apiKeys.map((k) => k.token), ...sessionIds()],
		outputs,
	);
	// private keys: check a distinctive inner line, not the armour
	const text = JSON.stringify(outputs);
	for (const pem of [pki.clientKeyPem, pki.encryptedClientKeyPem]) expect(text).not.toContain(pem.split('\n')[2]);
});

function sessionIds() {
	return [...f.sim.state.sessions.keys()];
}

function requestsSince(mark) {
	return f.sim.requests.slice(mark);
}

describe('password authentication', () => {
	test('logs in once with Basic (UTF-8), sends the session cookie and a non-browser User-Agent, reuses the session', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const mark = f.sim.requests.length;
		const r1 = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r1.error).toBeUndefined();
		expect(r1.items[0].user.name).toBe('admin');
		const r2 = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r2.error).toBeUndefined();
		expect(engine.logins(CRED)).toBe(1);

		const log = requestsSince(mark);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/authentication', 'GET /api/user_info', 'GET /api/user_info']);
		const login = log[0];
		expect(login.headers.authorization).toBe(`Basic ${Buffer.from('admin:Admin-Passw0rd!', 'utf8').toString('base64')}`);
		expect(login.rawQuery).toBe(''); // default login method: no login_method parameter
		const session = engine.store[CRED].session;
		expect(session).toMatch(/^[0-9a-f]{40}$/);
		for (const r of log.slice(1)) {
			expect(r.headers.cookie).toBe(`session_id=${session}`);
			expect(r.headers.authorization).toBeUndefined();
		}
		for (const r of log) {
			expect(r.headers['user-agent']).toBe('n8n-nodes-it-appliances');
			expect(r.headers['user-agent']).not.toMatch(/Mozilla/);
		}
	});

	test('non-ASCII user name and password are sent as UTF-8', async () => {
		const engine = new Engine({ [CRED]: f.password({ username: 'jürgen', password: 'Pässwörd-ñ€' }) });
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error).toBeUndefined();
		expect(r.items[0].user.name).toBe('jürgen');
	});

	test('the login method is passed as login_method', async () => {
		const engine = new Engine({ [CRED]: f.password({ username: 'ldapuser', password: 'Ldap-Passw0rd!', loginMethod: 'corp-ldap' }) });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error).toBeUndefined();
		expect(r.items[0].login_method.name).toBe('corp-ldap');
		expect(requestsSince(mark)[0].query).toEqual({ login_method: 'corp-ldap' });
	});

	test('bad password: exactly one login attempt for the whole execution, a clear message, no secret', async () => {
		const engine = new Engine({ [CRED]: f.password({ password: 'wrong-Passw0rd!' }) });
		const before = f.sim.logins('admin').length;
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser, { input: [{}, {}, {}] }));
		expect(r.status).toBe('error');
		expect(f.sim.logins('admin').length - before).toBe(1);
		expect(r.error.message).toContain('SPS refused the login for user "admin"');
		expect(r.error.message).toContain('AuthenticationFailure: Authentication failed');
		expect(r.error.message).toContain('Check the username, password and "Login Method"');
		// the anonymous login-method list (not a login attempt) names what can be used
		expect(r.error.message).toContain('Login methods offered by this SPS: "local" (local/password), "corp-ldap" (ldap/password)');
		expect(requestsSince(mark).filter((q) => q.path === '/api/authentication')).toHaveLength(1);
		expect(engine.store[CRED].session).toBe('');
	});

	test('bad password with Continue On Fail: every item fails, still exactly one login attempt', async () => {
		const engine = new Engine({ [CRED]: f.password({ password: 'wrong-Passw0rd!' }) });
		const before = f.sim.logins('admin').length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser, { input: [{}, {}, {}], settings: { continueOnFail: true } }));
		expect(r.items).toHaveLength(3);
		for (const item of r.items) expect(item.error).toContain('SPS refused the login');
		expect(f.sim.logins('admin').length - before).toBe(1);
	});

	test('a SAML (redirecting) login method is reported as unusable for the API, without following the redirect', async () => {
		const engine = new Engine({ [CRED]: f.password({ loginMethod: 'sso' }) });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.status).toBe('error');
		expect(r.error.message).toContain('redirect (HTTP 302)');
		expect(r.error.message).toContain('login method "sso" is a browser-based (SAML/federated) method');
		expect(requestsSince(mark).map((q) => q.path)).toEqual(['/api/authentication']);
	});

	test('an unknown login method names the methods the appliance offers', async () => {
		const engine = new Engine({ [CRED]: f.password({ loginMethod: 'ldap' }) });
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error.message).toContain('InvalidAuthenticationRequest: Unknown login method');
		expect(r.error.message).toContain('"certificates" (x509/x509)');
	});

	test('idle expiry after 20 minutes: exactly one re-login, then success', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		keep(await engine.runNode(NODE, CRED, currentUser));
		expect(engine.logins(CRED)).toBe(1);
		f.sim.clock.advance(19 * 60_000); // still inside the idle window
		keep(await engine.runNode(NODE, CRED, currentUser));
		expect(engine.logins(CRED)).toBe(1);
		f.sim.clock.advance(21 * 60_000); // idle > 20 min: SPS answers 401
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error).toBeUndefined();
		expect(engine.logins(CRED)).toBe(2);
		expect(requestsSince(mark).map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
			'GET /api/user_info 401',
			'GET /api/authentication 200',
			'GET /api/user_info 200',
		]);
	});

	test('clock skew: a Set-Cookie whose expires lies in the past for n8n is still used (no cookie jar)', async () => {
		f.sim.clock.advance(-3 * 3600_000); // SPS's clock 3 h behind: expires = SPS now + 20 min = n8n now − 2 h 40
		try {
			const engine = new Engine({ [CRED]: f.password() });
			// the cookie SPS sets has expired by the n8n server's clock: a cookie jar would drop it
			expect(f.sim.clock.now() + f.sim.IDLE_MS).toBeLessThan(Date.now());
			keep(await engine.runNode(NODE, CRED, currentUser));
			const r = keep(await engine.runNode(NODE, CRED, currentUser));
			expect(r.error).toBeUndefined();
			expect(engine.logins(CRED)).toBe(1);
		} finally {
			f.sim.clock.advance(3 * 3600_000);
		}
	});
});

describe('API key authentication', () => {
	test('sends Authorization: apikey on every request and never logs in', async () => {
		const key = f.sim.seedApiKey('admin', 'seeded_for_test');
		const engine = new Engine({ [CRED]: f.apiKey(key.token) });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error).toBeUndefined();
		expect(r.items[0].user.name).toBe('admin');
		const log = requestsSince(mark);
		expect(log.map((q) => q.path)).toEqual(['/api/user_info']);
		expect(log[0].headers.authorization).toBe(`apikey ${key.token}`);
		expect(log[0].headers.cookie).toBeUndefined();
		expect(engine.store[CRED].session).toBe('apikey');
	});

	test('a refused API key gives a clear message and stops the run (no login request)', async () => {
		const engine = new Engine({ [CRED]: f.apiKey('not-a-valid-token-123') });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser, { input: [{}, {}, {}], settings: { continueOnFail: true } }));
		expect(r.items).toHaveLength(3);
		expect(r.items[0].error).toContain('SPS refused the API key');
		expect(r.items[0].description).toContain('only after the transaction that created it was committed');
		const log = requestsSince(mark);
		expect(log.filter((q) => q.path === '/api/authentication')).toHaveLength(0);
		// n8n resends once after its (request-free) re-authentication; later items are not tried at all
		expect(log.length).toBeLessThanOrEqual(2);
	});
});

describe('X.509 client certificate (mutual TLS with the generated CA)', () => {
	test('logs in with type=x509 over mutual TLS and uses the session', async () => {
		const engine = new Engine({ [CRED]: f.x509() });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error).toBeUndefined();
		expect(r.items[0].user.name).toBe('certuser');
		expect(r.items[0].login_method.credential).toBe('x509');
		const [login, call] = requestsSince(mark);
		expect(login.query).toEqual({ type: 'x509', login_method: 'certificates' });
		expect(login.headers.authorization).toBeUndefined();
		expect(login.peerCertificate.subject.CN).toBe(f.pki.clientCN);
		expect(call.headers.cookie).toMatch(/^session_id=[0-9a-f]{40}$/);
	});

	test('an encrypted private key works with its passphrase', async () => {
		const engine = new Engine({ [CRED]: f.x509({ clientKey: f.pki.encryptedClientKeyPem, clientKeyPassphrase: f.pki.passphrase }) });
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error).toBeUndefined();
		expect(r.items[0].user.name).toBe('certuser');
	});

	test('a wrong passphrase is reported as such, before anything reaches SPS', async () => {
		const engine = new Engine({ [CRED]: f.x509({ clientKey: f.pki.encryptedClientKeyPem, clientKeyPassphrase: 'not-the-passphrase' }) });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.status).toBe('error');
		expect(r.error.message).toContain('client private key could not be decrypted');
		expect(requestsSince(mark)).toHaveLength(0);
	});

	test('a certificate from another CA is refused by SPS: one attempt, a message saying what to check', async () => {
		const engine = new Engine({ [CRED]: f.x509({ clientCertificate: f.pki.otherClientCertPem, clientKey: f.pki.otherClientKeyPem }) });
		const before = f.sim.logins().length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser, { input: [{}, {}] }));
		expect(r.status).toBe('error');
		expect(r.error.message).toContain('SPS refused the login for the client certificate');
		expect(r.error.message).toContain('Client certificate is not trusted');
		expect(r.error.message).toContain('issued by a CA that SPS trusts');
		expect(f.sim.logins().length - before).toBe(1);
	});

	test('certificate auth without a key is a configuration error, no request', async () => {
		const engine = new Engine({ [CRED]: f.x509({ clientKey: '' }) });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error.message).toContain('needs the client certificate and its private key');
		expect(requestsSince(mark)).toHaveLength(0);
	});
});

describe('TLS verification', () => {
	test('without the CA certificate the self-signed chain fails with our message pointing at the CA field', async () => {
		const engine = new Engine({ [CRED]: f.password({ caCertificate: '' }) });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.status).toBe('error');
		expect(r.error.message).toMatch(/^SPS: the HTTPS certificate could not be verified \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)$/);
		expect(r.error.description).toContain("'CA Certificate' field");
		expect(requestsSince(mark)).toHaveLength(0);
	});

	test('an unrelated CA does not make the connection trusted', async () => {
		const engine = new Engine({ [CRED]: f.password({ caCertificate: f.pki.otherCaPem }) });
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error.message).toContain('the HTTPS certificate could not be verified');
	});

	test('the CA field makes it succeed with verification on; a PEM pasted without newlines works too', async () => {
		const oneLine = f.pki.caPem.replace(/\n/g, ' ');
		const engine = new Engine({ [CRED]: f.password({ caCertificate: oneLine, allowUnauthorizedCerts: false }) });
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error).toBeUndefined();
	});

	test('"Ignore SSL Issues" connects without the CA', async () => {
		const engine = new Engine({ [CRED]: f.password({ caCertificate: '', allowUnauthorizedCerts: true }) });
		const r = keep(await engine.runNode(NODE, CRED, currentUser));
		expect(r.error).toBeUndefined();
	});

	test('a URL with /api and a trailing slash is accepted; a URL with a query is refused', async () => {
		const ok = new Engine({ [CRED]: f.password({ baseUrl: `${f.sim.url}/api/` }) });
		expect(keep(await ok.runNode(NODE, CRED, currentUser)).error).toBeUndefined();
		const bad = new Engine({ [CRED]: f.password({ baseUrl: `${f.sim.url}/?x=1` }) });
		const r = keep(await bad.runNode(NODE, CRED, currentUser));
		expect(r.error.message).toContain('must not contain a query string');
	});
});

describe('Request Timeout (Seconds), the credential field every appliance has', () => {
	test('shown in the SPS credential and applied to SPS requests; the error points at it', async () => {
		const field = credentialTypes[CRED].properties.find((p) => p.name === 'timeoutSeconds');
		expect(field).toMatchObject({ displayName: 'Request Timeout (Seconds)', type: 'number', default: 60 });
		const engine = new Engine({ [CRED]: f.password({ timeoutSeconds: 1 }) });
		keep(await engine.runNode(NODE, CRED, currentUser)); // logged in
		f.sim.faults.add({ method: 'GET', path: '/api/health_status', delayMs: 2500, passThrough: true, times: 10 });
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'system', operation: 'getHealth' }));
		f.sim.faults.clear();
		expect(r.error.message).toContain('the request timed out');
		expect(r.error.description).toContain("raise 'Request Timeout (Seconds)' in the credential");
	}, 30_000);
});

describe('credential test', () => {
	test('password: real login + GET /api/user_info', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const mark = f.sim.requests.length;
		const res = await engine.testCredential(CRED);
		expect(res).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(requestsSince(mark).map((q) => q.path)).toEqual(['/api/authentication', '/api/user_info']);
	});

	test('bad password: Error with SPS’s reason', async () => {
		const engine = new Engine({ [CRED]: f.password({ password: 'wrong-Passw0rd!' }) });
		const res = await engine.testCredential(CRED);
		outputs.push(res.message);
		expect(res.status).toBe('Error');
		expect(res.message).toContain('SPS refused the login');
	});

	test('C10: a bad API key: the credential test says what is wrong, not n8n’s bare "Unauthorized"', async () => {
		const engine = new Engine({ [CRED]: f.apiKey('not-a-valid-api-key-token-0000') });
		const mark = f.sim.requests.length;
		const raw = await engine.testCredential(CRED);
		expect(raw.status).toBe('Error');
		// one request: the refusal is read from SPS's error body, not retried as an HTTP error
		expect(requestsSince(mark).map((q) => `${q.path} ${q.status}`)).toEqual(['/api/user_info 401']);
		const verdict = raw;
		outputs.push(verdict.message);
		expect(verdict.message).not.toBe('Unauthorized');
		expect(verdict.message).toContain('SPS refused the credential (HTTP 401). API key: check the key');
		expect(verdict.message).toContain('works only after the transaction that created it was committed');
	});

	test('C10: a user without the REST API privilege: the credential test says which privilege', async () => {
		f.sim.faults.add({ method: 'GET', path: '/api/user_info', status: 403, body: { error: { code: 'Unauthorized', details: { path: '/api/user_info' } } } });
		const verdict = await new Engine({ [CRED]: f.password() }).testCredential(CRED);
		f.sim.faults.clear();
		expect(verdict.message).not.toBe('Forbidden');
		expect(verdict.message).toContain('REST API privilege');
	});

	test('an answer that is not from SPS (a portal page with HTTP 200): the test says so and names the Base URL', async () => {
		f.sim.faults.add({ method: 'GET', path: '/api/user_info', status: 200, html: true });
		const verdict = await new Engine({ [CRED]: f.password() }).testCredential(CRED);
		f.sim.faults.clear();
		expect(verdict.status).toBe('Error');
		expect(verdict.message).toContain('not from SPS');
		expect(verdict.message).toContain('Base URL');
	});

	test('API key and certificate credentials test OK', async () => {
		const key = f.sim.seedApiKey('admin', 'cred_test');
		expect((await new Engine({ [CRED]: f.apiKey(key.token) }).testCredential(CRED)).status).toBe('OK');
		expect((await new Engine({ [CRED]: f.x509() }).testCredential(CRED)).status).toBe('OK');
	});
});

describe('simulator strictness the node must satisfy', () => {
	const raw = (...args) => f.raw(...args);

	test('browser-like User-Agent without X-Token → 403 on writes; POST without Content-Length → 411', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		keep(await engine.runNode(NODE, CRED, currentUser));
		const cookie = `session_id=${engine.store[CRED].session}`;
		const browser = await raw('POST', '/api/transaction', {
			headers: { cookie, 'user-agent': 'Mozilla/5.0 (compatible; n8n/2.41.1; +https://n8n.io/)', 'content-type': 'application/json', 'content-length': 2 },
			body: '{}',
		});
		expect(browser.status).toBe(403);
		expect(browser.body.error.code).toBe('InvalidXToken');
		const chunked = await raw('POST', '/api/transaction', {
			headers: { cookie, 'user-agent': 'n8n-nodes-it-appliances', 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
			body: '{}',
		});
		expect(chunked.status).toBe(411);
	});

	test('every POST/PUT the node sent carried a Content-Length and the non-browser User-Agent', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const mark = f.sim.requests.length;
		keep(
			await engine.runNode(NODE, CRED, {
				resource: 'configuration',
				operation: 'update',
				path: 'configuration/management/disk_fillup_prevention',
				fields: '{"used_space_ratio_limit": 85}',
				autoCommit: true,
				mode: 'merge',
			}),
		);
		const writes = requestsSince(mark).filter((q) => q.method === 'POST' || q.method === 'PUT');
		expect(writes.map((q) => `${q.method} ${q.path}`)).toEqual([
			'POST /api/transaction',
			'PUT /api/configuration/management/disk_fillup_prevention',
			'PUT /api/transaction',
		]);
		for (const w of writes) {
			expect(Number(w.headers['content-length'])).toBeGreaterThan(0);
			expect(w.headers['content-type']).toMatch(/^application\/json/);
			expect(w.headers['user-agent']).toBe('n8n-nodes-it-appliances');
		}
		expect(writes[0].body).toBe('{}');
	});
});
