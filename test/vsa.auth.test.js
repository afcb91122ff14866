'use strict';
/**
 * Kaseya VSA credential: both login methods (documented test vectors pinned), session reuse, renewal on expiry
 * (HTTP 401 and body ResponseCode 401, mid-paging), proactive renewal before SessionExpiration, one login
 * attempt on bad credentials, credential test, TLS with the CA field, and no secret in any error.
 * Everything runs through the real n8n engine (test/harness.js) against the strict simulator (test/sim/vsa.js).
 */
const path = require('node:path');
const { Engine, assertNoSecrets, credentialTypes } = require('./harness');
const { createVsaSim, vsaCredential, byNumber } = require('./sim/vsa');
const { makePki } = require('./sim/certs');

const auth = require(path.join(__dirname, '..', 'dist', 'nodes', 'KaseyaVsa', 'transport', 'auth.js'));

const CRED = 'kaseyaVsaApi';
const PAT = '00000000-0000-0000-0000-000000000000';
const PASSWORD = 'P@ssw0rd';

function engineFor(sim, overrides) {
	return new Engine({ [CRED]: vsaCredential(sim, overrides) });
}

const authRequests = (sim) => sim.requests.filter((r) => r.path.toLowerCase() === '/api/v1.0/auth');

describe('Kaseya VSA authentication', () => {
	let sim;
	afterEach(async () => {
		if (sim) await sim.stop();
		sim = undefined;
	});

	test('legacy blob and PAT blob match the documented test vectors (kaseya-vsa.md §2.3)', () => {
		expect(auth.legacyAuthHeader('admin', 'P@ssw0rd', '12345678')).toBe(
			'Basic dXNlcj1hZG1pbixwYXNzMj1jMDQyOTY0ODAwMjA5ZjZkODE3NzBkNDdiN2U0MTZjM2ViOGY5M2EwMWQwZWExZWI2ODhlMjU0YjMxY2MwNzVmLHBhc3MxPTQ3OGFhMzI1MjYyMDc3ZDgyODEzMzNjNzkzM2I1YmZhOTZmYjI5YjYscnBhc3MyPWIwM2RkZjNjYTJlNzE0YTY1NDhlNzQ5NWUyYTAzZjVlODI0ZWFhYzk4MzdjZDdmMTU5YzY3YjkwZmI0YjczNDIscnBhc3MxPTIxYmQxMmRjMTgzZjc0MGVlNzZmMjdiNzhlYjM5YzhhZDk3MmE3NTcscmFuZDI9MTIzNDU2Nzg=',
		);
		const plain = Buffer.from(auth.legacyAuthHeader('admin', 'P@ssw0rd', '12345678').slice(6), 'base64').toString('utf8');
		expect(plain).toBe(
			'user=admin,pass2=c042964800209f6d81770d47b7e416c3eb8f93a01d0ea1eb688e254b31cc075f,pass1=478aa325262077d8281333c7933b5bfa96fb29b6,rpass2=b03ddf3ca2e714a6548e7495e2a03f5e824eaac9837cd7f159c67b90fb4b7342,rpass1=21bd12dc183f740ee76f27b78eb39c8ad972a757,rand2=12345678',
		);
		expect(auth.patAuthHeader('admin', PAT)).toBe('Basic YWRtaW46MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw');
		// a fresh 8-digit challenge per call
		const rands = new Set(Array.from({ length: 20 }, () => auth.legacyRandom()));
		expect(rands.size).toBeGreaterThan(15);
		for (const r of rands) expect(r).toMatch(/^[1-9]\d{7}$/);
	});

	test('PAT login: Basic user:PAT once, then Bearer; the session is persisted and reused by the next execution', async () => {
		sim = createVsaSim({ agents: 5 });
		await sim.start();
		const engine = engineFor(sim);
		const r1 = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r1.status).toBe('success');
		expect(r1.items).toHaveLength(5);
		const [login] = authRequests(sim);
		expect(login.headers.authorization).toBe(auth.patAuthHeader('admin', PAT));
		const token = [...sim.state.tokens.keys()][0];
		const apiCalls = sim.requests.filter((r) => r.path !== '/api/v1.0/auth');
		expect(apiCalls.length).toBeGreaterThan(0);
		for (const r of apiCalls) expect(r.headers.authorization).toBe(`Bearer ${token}`);
		const stored = JSON.parse(engine.store[CRED].session);
		expect(stored.token).toBe(token);
		expect(stored.expiresAt).toBeGreaterThan(Date.now() + 25 * 60_000);

		const r2 = await engine.runNode('kaseyaVsa', CRED, { resource: 'organization', operation: 'getMany', returnAll: true });
		expect(r2.status).toBe('success');
		expect(authRequests(sim)).toHaveLength(1);
		expect(engine.logins(CRED)).toBe(1);
	});

	test('legacy password login: the simulator recomputes the hashes; each login uses a fresh rand2', async () => {
		sim = createVsaSim({ agents: 3 });
		await sim.start();
		const engine = engineFor(sim, { authMethod: 'legacyPassword' });
		const r1 = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r1.status).toBe('success');
		expect(r1.items).toHaveLength(3);
		// force a second login
		sim.expireAllTokens();
		const r2 = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r2.status).toBe('success');
		const legacy = sim.state.logins.filter((l) => l.method === 'legacy');
		expect(legacy).toHaveLength(2);
		expect(legacy.every((l) => l.ok)).toBe(true);
		expect(legacy[0].order).toEqual(['user', 'pass2', 'pass1', 'rpass2', 'rpass1', 'rand2']);
		expect(legacy[0].rand2).toMatch(/^\d{8}$/);
		expect(legacy[0].rand2).not.toBe(legacy[1].rand2);
		// the blob really is the documented algorithm for that rand
		expect(authRequests(sim)[0].headers.authorization).toBe(auth.legacyAuthHeader('admin', PASSWORD, legacy[0].rand2));
	});

	test('Result.ApiToken is used when Result.Token is absent; a non-ASCII legacy password is hashed as UTF-8', async () => {
		const unicode = 'Pässwörd-€-密码';
		sim = createVsaSim({ agents: 2, tokenField: 'ApiToken', users: [{ username: 'jürgen', password: unicode, pat: PAT }] });
		await sim.start();
		const engine = engineFor(sim, { authMethod: 'legacyPassword' });
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r.status).toBe('success');
		expect(r.items).toHaveLength(2);
		expect(sim.state.logins).toEqual([expect.objectContaining({ username: 'jürgen', method: 'legacy', ok: true })]);
		const token = [...sim.state.tokens.keys()][0];
		expect(sim.requests[1].headers.authorization).toBe(`Bearer ${token}`);
		assertNoSecrets([unicode], r.items);
	});

	for (const mode of ['http', 'body']) {
		test(`bad PAT (refusal as ${mode === 'http' ? 'HTTP 401' : 'HTTP 200 + ResponseCode 401'}): exactly one login attempt for 3 items, clear message, no secret`, async () => {
			sim = createVsaSim({ agents: 3, authFailure: mode });
			await sim.start();
			const wrongPat = '11111111-2222-3333-4444-555555555555';
			const engine = engineFor(sim, { accessToken: wrongPat });
			const items = [{ a: 1 }, { a: 2 }, { a: 3 }];
			const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true }, { input: items });
			expect(r.status).toBe('error');
			expect(authRequests(sim)).toHaveLength(1);
			expect(engine.logins(CRED)).toBe(1);
			expect(sim.requests).toHaveLength(1);
			expect(r.error.message).toMatch(/refused the Personal Access Token login for user "admin"/);
			expect(r.error.message).toMatch(/Invalid credentials/);
			expect(r.error.message).toMatch(/REST API/);
			assertNoSecrets([wrongPat, PASSWORD], r.error, r.items, r.run.data.resultData);

			// continue on fail: every item gets the error, still one attempt
			const engine2 = engineFor(sim, { accessToken: wrongPat });
			const r2 = await engine2.runNode(
				'kaseyaVsa',
				CRED,
				{ resource: 'agent', operation: 'getMany', returnAll: true },
				{ input: items, settings: { continueOnFail: true } },
			);
			expect(r2.status).toBe('success');
			expect(r2.items).toHaveLength(3);
			expect(r2.items.every((i) => /refused the Personal Access Token login/.test(i.error))).toBe(true);
			expect(r2.raw.map((i) => i.pairedItem.item)).toEqual([0, 1, 2]);
			expect(authRequests(sim)).toHaveLength(2);
			assertNoSecrets([wrongPat, PASSWORD], r2.items, r2.run.data.resultData);
		});
	}

	test('bad legacy password: one attempt for many concurrent agent runs, the message explains the deprecation', async () => {
		sim = createVsaSim({ agents: 10 });
		await sim.start();
		const wrong = 'Wrong-Passw0rd!';
		const engine = engineFor(sim, { authMethod: 'legacyPassword', password: wrong });
		const proc = sim.procedure('Install Patch');
		const input = sim.state.agents.map((a) => ({ agentId: a.AgentId }));
		const r = await engine.runNode(
			'kaseyaVsa',
			CRED,
			{
				resource: 'agentProcedure',
				operation: 'runNow',
				agentId: { __rl: true, mode: 'id', value: '={{ $json.agentId }}' },
				procedureId: { __rl: true, mode: 'id', value: proc.AgentProcedureId },
				options: { concurrency: 8 },
			},
			{ input, settings: { continueOnFail: true } },
		);
		expect(r.items).toHaveLength(10);
		expect(authRequests(sim)).toHaveLength(1);
		expect(sim.requests).toHaveLength(1);
		expect(r.items[0].error).toMatch(/legacy password login/);
		expect(r.items[0].error).toMatch(/deprecated/);
		expect(r.items[0].error).toMatch(/two-factor/);
		expect(sim.state.runs).toHaveLength(0);
		assertNoSecrets([wrong, PAT], r.items, r.run.data.resultData);
	});

	for (const mode of ['http', 'body']) {
		test(`token expiring while pages are read concurrently (${mode === 'http' ? 'HTTP 401' : 'HTTP 200 + ResponseCode 401'}): exactly one re-login, each refused page sent again, no lost or duplicate agents`, async () => {
			sim = createVsaSim({ agents: 1000, expiredToken: mode });
			await sim.start();
			const engine = engineFor(sim);
			let pages = 0;
			// the 2nd list request is the first of the concurrently read pages: every page in flight holds the old token
			sim.onRequest = (ctx) => {
				if (ctx.path === '/api/v1.0/assetmgmt/agents' && ++pages === 2) sim.expireAllTokens();
			};
			const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
			expect(r.status).toBe('success');
			expect(r.items.map((a) => a.AgentId)).toEqual(sim.state.agents.map((a) => a.AgentId).sort(byNumber));
			expect(authRequests(sim)).toHaveLength(2);
			expect(engine.logins(CRED)).toBe(2);
			const listCalls = sim.requests.filter((q) => q.path === '/api/v1.0/assetmgmt/agents');
			const refused = listCalls.filter((q) => q.refused);
			expect(refused.every((q) => q.status === (mode === 'http' ? 401 : 200))).toBe(true);
			// several pages were in flight when the token expired and all of them were refused…
			expect(refused.length).toBeGreaterThanOrEqual(2);
			expect(refused.length).toBeLessThanOrEqual(4);
			// …yet one login renewed the session for all of them, and each page was answered exactly once
			// (every page after the first starts one row before the end of the previous one: the overlap row)
			const answered = listCalls.filter((q) => !q.refused).map((q) => Number(q.query.$skip));
			expect(answered.sort((x, y) => x - y)).toEqual([0, 99, 198, 297, 396, 495, 594, 693, 792, 891, 990]);
			expect(listCalls).toHaveLength(11 + refused.length);
		});
	}

	test('renewal before SessionExpiration: an expiring stored session is renewed before the request (no refused request)', async () => {
		sim = createVsaSim({ agents: 3 });
		await sim.start();
		const engine = engineFor(sim);
		await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		const stored = JSON.parse(engine.store[CRED].session);
		// the clocks (n8n's and the VSA's) have reached SessionExpiration − 30 s (inside the 60 s margin); the
		// process still remembers the token it issued, and must not hand it out again
		const realNow = Date.now;
		const shift = stored.expiresAt - 30_000 - realNow();
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + shift);
		sim.resetLog();
		let r;
		try {
			r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		} finally {
			jest.restoreAllMocks();
		}
		expect(r.status).toBe('success');
		expect(sim.requests.map((q) => `${q.path} ${q.status}`)).toEqual([
			'/api/v1.0/auth 200',
			'/api/v1.0/assetmgmt/agents 200',
		]);
		expect(JSON.parse(engine.store[CRED].session).token).not.toBe(stored.token);
	});

	test('SessionExpiration is read against the server Date header; OffSetInMinutes takes the earlier reading', () => {
		const now = Date.UTC(2030, 0, 1, 12, 0, 0);
		// server clock 5 minutes ahead of n8n: the lifetime (30 min) is what counts
		const serverDate = new Date(now + 5 * 60_000).toUTCString();
		const result = { SessionExpiration: new Date(now + 35 * 60_000).toISOString().replace(/\.000Z$/, 'Z'), OffSetInMinutes: 0 };
		expect(auth.sessionExpiry(result, serverDate, now)).toBe(now + 30 * 60_000);
		// reading B (offset added) would be later: the earlier (reading A) wins
		expect(auth.sessionExpiry({ ...result, OffSetInMinutes: 30 }, serverDate, now)).toBe(now + 30 * 60_000);
		// a negative offset makes reading B the earlier one
		expect(auth.sessionExpiry({ ...result, OffSetInMinutes: -10 }, serverDate, now)).toBe(now + 20 * 60_000);
		// no usable expiration: 20 minutes
		expect(auth.sessionExpiry({}, undefined, now)).toBe(now + 20 * 60_000);
		expect(auth.sessionExpiring({ token: 'x', expiresAt: now + 61_000, issuedAt: now - 60 * 60_000 }, now)).toBe(false);
		expect(auth.sessionExpiring({ token: 'x', expiresAt: now + 59_000, issuedAt: now - 60 * 60_000 }, now)).toBe(true);
	});

	test('concurrent agent runs with an empty session log in once; tokens expiring mid-run cause exactly one re-login', async () => {
		sim = createVsaSim({ agents: 40 });
		await sim.start();
		const engine = engineFor(sim);
		const proc = sim.procedure('Install Patch');
		let runs = 0;
		sim.onRequest = (ctx) => {
			if (ctx.method === 'PUT' && /runnow$/.test(ctx.path) && ++runs === 15) sim.expireAllTokens();
		};
		const r = await engine.runNode(
			'kaseyaVsa',
			CRED,
			{
				resource: 'agentProcedure',
				operation: 'runNow',
				agentId: { __rl: true, mode: 'id', value: '={{ $json.agentId }}' },
				procedureId: { __rl: true, mode: 'id', value: proc.AgentProcedureId },
				options: { concurrency: 8 },
			},
			{ input: sim.state.agents.map((a) => ({ agentId: a.AgentId })) },
		);
		expect(r.status).toBe('success');
		expect(r.items).toHaveLength(40);
		expect(authRequests(sim)).toHaveLength(2);
		expect(engine.logins(CRED)).toBe(2);
		// every agent ran exactly once (refused requests were not executed by the VSA and were sent again)
		const perAgent = new Map();
		for (const run of sim.state.runs) perAgent.set(run.agentId, (perAgent.get(run.agentId) ?? 0) + 1);
		expect(perAgent.size).toBe(40);
		expect([...perAgent.values()].every((n) => n === 1)).toBe(true);
	});

	// a token refused right after its login may have been ended by another queue-mode worker's login: the store is
	// read for that worker's token, then (none came) ONE more login; refused again, the request fails
	test('a token refused again after a fresh login fails clearly, after at most one more login and no further items', async () => {
		sim = createVsaSim({ agents: 3 });
		await sim.start();
		const engine = engineFor(sim);
		await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		sim.resetLog();
		// from now on every agent list answers 401 (as if a proxy stripped the Authorization header)
		sim.faults.add({ path: '/api/v1.0/assetmgmt/agents', times: 10, status: 401, body: { ResponseCode: 401, Status: 'Failed', Error: 'Session has expired' } });
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true }, { input: [{}, {}] });
		expect(r.status).toBe('error');
		expect(r.error.message).toMatch(/refused the session token it had just issued/);
		expect(sim.requests.map((q) => `${q.path} ${q.status}`)).toEqual([
			'/api/v1.0/assetmgmt/agents 401',
			'/api/v1.0/auth 200',
			'/api/v1.0/assetmgmt/agents 401',
			'/api/v1.0/auth 200',
			'/api/v1.0/assetmgmt/agents 401',
		]);
		assertNoSecrets([PAT, PASSWORD, ...sim.state.tokens.keys()], r.error, r.run.data.resultData);
	});

	test('credential test: real login plus a cheap authenticated read; a bad PAT fails with the VSA message and no secret', async () => {
		sim = createVsaSim({ agents: 3 });
		await sim.start();
		const ok = await engineFor(sim).testCredential(CRED);
		expect(ok.status).toBe('OK');
		expect(sim.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /api/v1.0/auth', 'GET /api/v1.0/assetmgmt/agents']);
		expect(sim.requests[1].query.$top).toBe('1');
		expect(sim.requests[1].headers.authorization).toMatch(/^Bearer /);

		const wrong = '99999999-9999-9999-9999-999999999999';
		const bad = await engineFor(sim, { accessToken: wrong }).testCredential(CRED);
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/Invalid credentials/);
		assertNoSecrets([wrong], bad);
	});

	test('credential test, token refused on the test read (a proxy strips Authorization): says so and what to check, not "Unauthorized"', async () => {
		sim = createVsaSim({ agents: 3 });
		await sim.start();
		// a reverse proxy that drops the Authorization header of API calls (the VSA then answers 401 4000001)
		sim.onRequest = (ctx) => {
			if (ctx.path !== '/api/v1.0/auth') delete ctx.headers.authorization;
		};
		const verdict = await engineFor(sim).testCredential(CRED);
		expect(verdict.status).toBe('Error');
		expect(verdict.message).not.toMatch(/^(Unauthorized|Authorization failed)/);
		expect(verdict.message).toMatch(/refused the session token it had just issued/);
		expect(verdict.message).toMatch(/401/);
		expect(verdict.message).toMatch(/Authorization header/);
		expect(verdict.message).toMatch(/proxy/);
		// the read is judged by its answer: no second login
		expect(sim.requests.map((q) => `${q.path} ${q.status}`)).toEqual(['/api/v1.0/auth 200', '/api/v1.0/assetmgmt/agents 401']);
		assertNoSecrets([PAT, ...sim.state.tokens.keys()], verdict);
	});

	test('credential test, a proxy or portal page answers the test read (HTML, any status): says the VSA did not answer, not "OK"', async () => {
		sim = createVsaSim({ agents: 3 });
		await sim.start();
		for (const status of [200, 401, 502]) {
			sim.onRequest = (ctx) => {
				if (ctx.path !== '/api/v1.0/assetmgmt/agents') return undefined;
				ctx.send(status, '<html><body><h1>Access gateway</h1><p>Please sign in.</p></body></html>', { 'Content-Type': 'text/html' });
				return true;
			};
			const verdict = await engineFor(sim).testCredential(CRED);
			expect(verdict.status).toBe('Error');
			expect(verdict.message).toMatch(/not answered by the VSA's REST API/);
			expect(verdict.message).toMatch(/proxy/);
		}
	});

	test('credential test, access denied on the test read (HTTP 403): names the Role, the Scope and the PAT scope, not "Forbidden"', async () => {
		sim = createVsaSim({ agents: 3, users: [{ username: 'tech', password: 'x-Pass-1', pat: PAT, role: 'noAgents' }] });
		await sim.start();
		const verdict = await engineFor(sim).testCredential(CRED);
		expect(verdict.status).toBe('Error');
		expect(verdict.message).not.toMatch(/^Forbidden/);
		expect(verdict.message).toMatch(/403/);
		expect(verdict.message).toMatch(/Role/);
		expect(verdict.message).toMatch(/Scope/);
		expect(verdict.message).toMatch(/REST API/);
		expect(sim.requests.map((q) => `${q.path} ${q.status}`)).toEqual(['/api/v1.0/auth 200', '/api/v1.0/assetmgmt/agents 403']);
	});

	test('limited role: login works, /system reads get 403 4030001 with a Role/Scope hint', async () => {
		sim = createVsaSim({ users: [{ username: 'tech', password: 'x-Pass-1', pat: PAT, role: 'limited' }] });
		await sim.start();
		const engine = engineFor(sim);
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'organization', operation: 'getMany', returnAll: true });
		expect(r.status).toBe('error');
		expect(r.error.message).toMatch(/ResponseCode 4030001, HTTP 403 to get many organizations: "Access denied"/);
		expect(r.error.description).toMatch(/Role/);
		expect(r.error.description).toMatch(/Scope/);
		expect(authRequests(sim)).toHaveLength(1);
	});

	test("the credential's Request Timeout (Seconds) applies to the login and to every read; the timeout hint names that field", async () => {
		sim = createVsaSim({ agents: 150 });
		await sim.start();
		expect(credentialTypes[CRED].properties.map((p) => p.name)).toContain('timeoutSeconds');
		// a read slower than the credential's timeout (1 s) on every attempt
		sim.faults.add({ path: '/api/v1.0/assetmgmt/agents', delayMs: 1500, passThrough: true, times: Infinity });
		const slowRead = await engineFor(sim, { timeoutSeconds: 1 }).runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: false, limit: 5 });
		expect(slowRead.status).toBe('error');
		expect(slowRead.error.message).toMatch(/timed out/);
		expect(slowRead.error.description).toMatch(/'Request Timeout \(Seconds\)' in the credential/);
		// the same read with 3 s is fine
		const patient = await engineFor(sim, { timeoutSeconds: 3 }).runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: false, limit: 5 });
		expect(patient.status).toBe('success');
		expect(patient.items).toHaveLength(5);

		// the login too
		sim.faults.clear();
		sim.faults.add({ path: '/api/v1.0/auth', delayMs: 1500, passThrough: true, times: Infinity });
		const slowLogin = await engineFor(sim, { timeoutSeconds: 1 }).runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: false, limit: 5 });
		expect(slowLogin.status).toBe('error');
		expect(`${slowLogin.error.message} ${slowLogin.error.description}`).toMatch(/timed out|ECONNABORTED|timeout/i);
		assertNoSecrets([PAT, PASSWORD], slowRead.error, slowLogin.error, slowLogin.run.data.resultData);
	}, 60_000);

	test('network failure during login: short message, no Basic blob or secret', async () => {
		const engine = new Engine({ [CRED]: { server: 'http://127.0.0.1:1', authMethod: 'pat', username: 'admin', accessToken: PAT, session: '' } });
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r.status).toBe('error');
		expect(r.error.message).toMatch(/could not be reached|ECONNREFUSED/);
		assertNoSecrets([PAT, auth.patAuthHeader('admin', PAT).slice(6)], r.error, r.run.data.resultData);
	});

	test('HTTPS with the CA certificate field; without it a clear certificate error', async () => {
		const pki = makePki();
		sim = createVsaSim({ agents: 2, tls: { key: pki.serverKeyPem, cert: pki.serverCertPem } });
		await sim.start();
		expect(sim.url).toMatch(/^https:/);
		const withCa = engineFor(sim, { caCertificate: pki.caPem });
		const ok = await withCa.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(ok.status).toBe('success');
		expect(ok.items).toHaveLength(2);
		const ca = await withCa.testCredential(CRED);
		expect(ca.status).toBe('OK');

		const without = engineFor(sim);
		const bad = await without.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(bad.status).toBe('error');
		expect(`${bad.error.message} ${bad.error.description}`).toMatch(/certificate|CERT|SSL|self.signed|TLS/i);
	});
});
