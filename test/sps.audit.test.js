'use strict';
/**
 * SPS audit sessions, active sessions and system operations through the real n8n engine: search paging across
 * limits (limit ≤ 500, offset), exact multiples, the 10,000-result cap and its warning, bodies via `fields` vs one
 * request per session (request counts printed for 2,000 sessions), the other `fields` reading, get/alerts/events,
 * terminate with a URL-encoded recording session ID and SPS's error codes, read retries, system reads.
 */
const { Engine, assertNoSecrets } = require('./harness');
const { startSpsFixture, AUDIT_CAP } = require('./sim/sps');

const CRED = 'safeguardSpsApi';
const NODE = 'safeguardSps';

const outputs = [];
const keep = (r) => {
	outputs.push(r.items, r.error && { message: r.error.message, description: r.error.description });
	return r;
};
const search = (extra = {}) => ({ resource: 'auditSession', operation: 'search', query: '', sessionData: 'key', returnAll: false, limit: 50, ...extra });
const pages = (sim, mark) => sim.requests.slice(mark).filter((q) => q.path === '/api/audit/sessions');

describe('search paging (2,500 sessions)', () => {
	let f;
	let engine;
	beforeAll(async () => {
		f = await startSpsFixture({ sessions: 2498, activeSessions: 2 });
		engine = new Engine({ [CRED]: f.password() });
	});
	afterAll(async () => {
		await f.sim.stop();
		assertNoSecrets(['Admin-Passw0rd!', ...f.sim.state.sessions.keys()], outputs);
	});

	test.each([
		[1, [1]],
		[500, [500]],
		[501, [500, 1]],
		[1000, [500, 500]],
		[1234, [500, 500, 234]],
	])('limit %i → pages of %j, unique keys in SPS order', async (limit, sizes) => {
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, search({ limit })));
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(limit);
		const reqs = pages(f.sim, mark);
		expect(reqs.map((q) => Number(q.query.limit))).toEqual(sizes);
		expect(reqs.map((q) => Number(q.query.offset))).toEqual(sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0)));
		expect(new Set(r.items.map((i) => i.key)).size).toBe(limit);
		expect(r.items.map((i) => i.key)).toEqual(f.sim.state.audit.slice(0, limit).map((s) => s.key));
		expect(r.items[0]).toEqual({ key: r.items[0].key, href: `/api/audit/sessions/${r.items[0].key}` });
	});

	test('Return All → 2,500 in 5 requests, stops on next = null', async () => {
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, search({ returnAll: true })));
		expect(r.items).toHaveLength(2500);
		expect(new Set(r.items.map((i) => i.key)).size).toBe(2500);
		expect(pages(f.sim, mark)).toHaveLength(5);
		expect(r.run.data.resultData.runData.Node[0].hints ?? []).toEqual([]);
	});

	test('query, dates and extra parameters are passed; an empty result is no items', async () => {
		const mark = f.sim.requests.length;
		const start = f.sim.state.audit[100].body.start_time;
		const end = f.sim.state.audit[200].body.start_time;
		const r = keep(
			await engine.runNode(
				NODE,
				CRED,
				search({ returnAll: true, query: 'protocol:RDP', startDate: start, endDate: end, options: { extraQuery: { parameter: [{ name: 'sort', value: 'start_time' }] } } }),
			),
		);
		expect(r.error).toBeUndefined();
		const expected = f.sim.state.audit.slice(100, 200).filter((s) => s.body.protocol === 'RDP');
		expect(r.items.map((i) => i.key)).toEqual(expected.map((s) => s.key));
		expect(pages(f.sim, mark)[0].query).toMatchObject({ q: 'protocol:RDP', start, end, sort: 'start_time', limit: '500', offset: '0' });
		const none = keep(await engine.runNode(NODE, CRED, search({ query: 'protocol:VNC', returnAll: true })));
		expect(none.error).toBeUndefined();
		expect(none.items).toEqual([]);
	});

	test('bad input: SPS’s InvalidQuery is quoted; limit/offset cannot be overridden', async () => {
		const bad = keep(await engine.runNode(NODE, CRED, search({ query: 'this is not a query' })));
		expect(bad.error.message).toContain('SPS rejected search audit sessions');
		expect(bad.error.message).toContain('InvalidQuery');
		const override = keep(await engine.runNode(NODE, CRED, search({ options: { extraQuery: { parameter: [{ name: 'offset', value: '9' }] } } })));
		expect(override.error.message).toContain('"offset" is set by the node for paging');
	});

	test('a transient 503 on a page is retried (reads only)', async () => {
		f.sim.faults.add({ method: 'GET', path: '/api/audit/sessions', nth: 1, status: 503, headers: { 'Retry-After': '0' }, body: { error: { code: 'ServiceUnavailable', details: {} } } });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, search({ limit: 10 })));
		f.sim.faults.clear();
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(10);
		expect(pages(f.sim, mark).map((q) => q.status)).toEqual([503, 200]);
	});
});

describe('request counts for a search returning 2,000 sessions with bodies', () => {
	let f;
	beforeAll(async () => {
		// plain HTTP here: the counts do not depend on TLS, and n8n builds a new HTTPS agent (full handshake) per
		// request, which makes 2,000 single GETs slow in one test process
		f = await startSpsFixture({ sessions: 2000, tls: undefined });
	});
	afterAll(async () => {
		await f.sim.stop();
	});

	test('Selected Fields (fields parameter): 4 list requests; Full Record: 4 + 2,000', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		let mark = f.sim.requests.length;
		const viaFields = keep(await engine.runNode(NODE, CRED, search({ returnAll: true, sessionData: 'fields', fields: 'protocol, user.name ,recording.session_id' })));
		expect(viaFields.error).toBeUndefined();
		expect(viaFields.items).toHaveLength(2000);
		expect(viaFields.items[3]).toEqual({
			key: f.sim.state.audit[3].key,
			href: `/api/audit/sessions/${f.sim.state.audit[3].key}`,
			protocol: 'SSH',
			user: { name: f.sim.state.audit[3].body.user.name },
			recording: { session_id: f.sim.state.audit[3].body.recording.session_id },
		});
		const fieldsCount = f.sim.requests.length - mark;
		expect(pages(f.sim, mark)[0].query.fields).toBe('protocol,user.name,recording.session_id');
		expect(fieldsCount).toBe(1 + 4); // login + 4 pages

		mark = f.sim.requests.length;
		const full = keep(await engine.runNode(NODE, CRED, search({ returnAll: true, sessionData: 'full', options: { concurrency: 8 } })));
		expect(full.error).toBeUndefined();
		expect(full.items).toHaveLength(2000);
		expect(full.items[1999].recording.session_id).toBe(f.sim.state.audit[1999].body.recording.session_id);
		expect(full.items[1999].client).toBeDefined();
		const fullCount = f.sim.requests.length - mark;
		expect(fullCount).toBe(4 + 2000);
		console.log(
			`[request count] search returning 2,000 sessions with bodies: ${fieldsCount - 1} requests with Session Data = Selected Fields (+1 login on a fresh session), ${fullCount} requests with Session Data = Full Record (4 pages + 2,000 session GETs, 8 in flight)`,
		);
	});

	test('Full Record: the session ends while 8 bodies are in flight: ONE re-login for all of them', async () => {
		const g = await startSpsFixture({ sessions: 200, tls: undefined });
		try {
			let bodies = 0;
			g.sim.onRequest = ({ entry }) => {
				if (/^\/api\/audit\/sessions\/[^/]+$/.test(entry.path) && ++bodies === 20) g.sim.expireSessions();
			};
			g.sim.faults.add({ method: 'GET', path: /^\/api\/audit\/sessions\/[^/]+$/, passThrough: true, delayMs: 20, times: 1000 });
			const engine = new Engine({ [CRED]: g.password() });
			const mark = g.sim.requests.length;
			const r = keep(await engine.runNode(NODE, CRED, search({ returnAll: true, sessionData: 'full', options: { concurrency: 8 } })));
			expect(r.error).toBeUndefined();
			expect(r.items).toHaveLength(200);
			expect(r.items.map((i) => i.recording.session_id)).toEqual(g.sim.state.audit.map((a) => a.body.recording.session_id));
			const logins = g.sim.requests.slice(mark).filter((q) => q.path === '/api/authentication');
			expect(logins).toHaveLength(2); // the first one, and one renewal for the 8 refused requests
			// 206 requests: one credential read, and one more when the session was refused (another n8n process may
			// have stored a new one)
			expect(engine.credentialReads(CRED)).toBe(2);
		} finally {
			await g.sim.stop();
		}
	});

	test('the other reading: SPS ignores `fields` → each session is fetched and projected, with a hint', async () => {
		const g = await startSpsFixture({ sessions: 30, fieldsSupported: false });
		try {
			const engine = new Engine({ [CRED]: g.password() });
			const mark = g.sim.requests.length;
			const r = keep(await engine.runNode(NODE, CRED, search({ returnAll: true, sessionData: 'fields', fields: 'protocol,client.ip' })));
			expect(r.items).toHaveLength(30);
			expect(Object.keys(r.items[0]).sort()).toEqual(['client', 'href', 'key', 'protocol']);
			expect(g.sim.requests.length - mark).toBe(1 + 1 + 30);
			expect(r.run.data.resultData.runData.Node[0].hints[0].message).toContain('ignored the fields parameter');
		} finally {
			await g.sim.stop();
		}
	});
});

describe('the 10,000-result cap', () => {
	let f;
	beforeAll(async () => {
		f = await startSpsFixture({ sessions: 10_300, alertEvery: 0 });
	});
	afterAll(async () => {
		await f.sim.stop();
	});

	test('Return All stops at 10,000 without ever asking for an offset SPS ignores, and warns', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, search({ returnAll: true })));
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(AUDIT_CAP);
		expect(new Set(r.items.map((i) => i.key)).size).toBe(AUDIT_CAP);
		const reqs = pages(f.sim, mark);
		expect(reqs).toHaveLength(20);
		expect(Math.max(...reqs.map((q) => Number(q.query.offset)))).toBe(9500);
		const warning = 'SPS matched 10300 sessions but serves only the first 10,000 of a search; 10000 were returned. Narrow the search (dates or query) to reach the rest.';
		expect(r.items[0]._warning).toBe(warning);
		expect(r.items[1]._warning).toBeUndefined();
		expect(r.run.data.resultData.runData.Node[0].hints).toEqual([{ message: warning, type: 'warning', location: 'outputPane' }]);
	});

	test('a limit below the cap is not a truncation: no warning', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const r = keep(await engine.runNode(NODE, CRED, search({ limit: 10_000 })));
		expect(r.items).toHaveLength(10_000);
		expect(r.items[0]._warning).toBeUndefined();
	});

	test('simulator strictness: an offset beyond 10,000 is ignored (page 1 again), as documented', async () => {
		const login = await f.raw('GET', '/api/authentication', { headers: { authorization: `Basic ${Buffer.from('admin:Admin-Passw0rd!').toString('base64')}` } });
		const cookie = String(login.headers['set-cookie'][0]).split(';')[0];
		const res = await f.raw('GET', '/api/audit/sessions?limit=2&offset=10500', { headers: { cookie } });
		expect(res.body.meta.offset).toBe(0);
		expect(res.body.items[0].key).toBe(f.sim.state.audit[0].key);
		const big = await f.raw('GET', '/api/audit/sessions?limit=900&offset=0', { headers: { cookie } });
		expect(big.body.items).toHaveLength(500);
	});
});

describe('session details, alerts, events, termination, system', () => {
	let f;
	let engine;
	beforeAll(async () => {
		f = await startSpsFixture({ sessions: 40, activeSessions: 3, alertEvery: 7, terminateFails: [] });
		engine = new Engine({ [CRED]: f.password() });
	});
	afterAll(async () => {
		await f.sim.stop();
		assertNoSecrets(['Admin-Passw0rd!', ...f.sim.state.sessions.keys()], outputs);
	});

	test('get, get alerts (paged), get events', async () => {
		const s = f.sim.state.audit.find((x) => f.sim.state.alerts.has(x.key));
		const one = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'get', sessionKey: s.key }));
		expect(one.items[0]).toMatchObject({ key: s.key, protocol: s.body.protocol, recording: { session_id: s.body.recording.session_id } });
		for (let i = 0; i < 1200; i++) f.sim.addAlert(s.key, { time: new Date(Date.parse(s.body.start_time) + i * 1000).toISOString() });
		const mark = f.sim.requests.length;
		const alerts = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'getAlerts', sessionKey: s.key, returnAll: true }));
		expect(alerts.items).toHaveLength(1201);
		expect(alerts.items[0]).toMatchObject({ sessionKey: s.key, rule_name: 'PatternMatcherRule', alert_type: 'adp.event.command' });
		expect(f.sim.requests.length - mark).toBe(3);
		const events = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'getEvents', sessionKey: s.key, returnAll: false, limit: 1 }));
		expect(events.items).toEqual([{ sessionKey: s.key, action: 'exec', channels_id: 2, content: 'ls -la', record_id: `${s.key}-e1`, time: expect.any(String), type: 'command' }]);
		const missing = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'get', sessionKey: 'doesNotExist' }));
		expect(missing.error.message).toContain('SPS has nothing at /api/audit/sessions/doesNotExist');
		const wrongKind = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'get', sessionKey: 'svc/abc/ssh:1' }));
		expect(wrongKind.error.message).toContain('looks like a recording session ID');
	});

	test('terminate: the recording session ID is URL-encoded exactly once; not retried; SPS codes explained', async () => {
		const active = f.sim.state.audit.filter((x) => x.body.active);
		const id = active[0].body.recording.session_id;
		expect(id).toMatch(/^svc\/[A-Za-z0-9]+\/ssh-prod:\d+$|^svc\/[A-Za-z0-9]+\/rdp-prod:\d+$/);
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'terminate', sessionId: id }));
		expect(r.error).toBeUndefined();
		expect(r.items[0]).toEqual({ sessionId: id, terminated: true });
		const del = f.sim.requests.slice(mark).find((q) => q.method === 'DELETE');
		expect(del.path).toBe('/api/active-sessions');
		expect(decodeURIComponent(del.rawQuery)).toBe(`id=${id}`);
		expect(del.rawQuery).toContain('%2F');
		expect(del.rawQuery).not.toContain('%25');
		expect(active[0].body.active).toBe(false);

		const again = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'terminate', sessionId: id }));
		expect(again.error.message).toContain('SPS found no active session with this ID');
		expect(again.error.description).toContain('recording.session_id');

		const failing = active[1].body.recording.session_id;
		f.sim.state.terminateFails.add(failing);
		const m2 = f.sim.requests.length;
		const boom = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'terminate', sessionId: failing }));
		expect(boom.error.message).toContain('SPS could not terminate the session');
		expect(boom.error.message).toContain('SessionTerminationFailed');
		expect(f.sim.requests.slice(m2).filter((q) => q.method === 'DELETE')).toHaveLength(1); // 500 on an action: not retried
	});

	test('terminate by audit session key looks up the recording ID first (works with an API key)', async () => {
		const key = f.sim.seedApiKey('admin', 'terminator');
		const keyEngine = new Engine({ [CRED]: f.apiKey(key.token) });
		const [target] = f.sim.addSessions(1, { active: true });
		const mark = f.sim.requests.length;
		const r = keep(await keyEngine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'terminate', sessionId: target.key }));
		expect(r.error).toBeUndefined();
		expect(r.items[0]).toEqual({ sessionId: target.body.recording.session_id, key: target.key, terminated: true });
		expect(f.sim.requests.slice(mark).map((q) => `${q.method} ${q.path}`)).toEqual([`GET /api/audit/sessions/${target.key}`, 'DELETE /api/active-sessions']);
		const ended = keep(await keyEngine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'terminate', sessionId: target.key }));
		expect(ended.error.message).toContain('is not active any more');
	});

	test('system reads: health (with percentages), info + firmware, login methods, current user', async () => {
		const health = keep(await engine.runNode(NODE, CRED, { resource: 'system', operation: 'getHealth' }));
		expect(health.items[0]).toMatchObject({ cpu: 0.12, memory: 0.37, percent: { cpu: 12, memory: 37, disk: 41 } });
		const info = keep(await engine.runNode(NODE, CRED, { resource: 'system', operation: 'getInfo', includeFirmware: true }));
		expect(info.items[0]).toMatchObject({ firmware_version: '7.5.1', hostname: 'sps', firmwareSlots: [{ slot: '0', active: true, version: '7.5.1' }, { slot: '1', active: false, version: '7.4.0' }] });
		const methods = keep(await engine.runNode(NODE, CRED, { resource: 'system', operation: 'getLoginMethods' }));
		expect(methods.items.map((m) => m.name)).toEqual(['local', 'corp-ldap', 'certificates', 'sso']);
		const me = keep(await engine.runNode(NODE, CRED, { resource: 'system', operation: 'getCurrentUser' }));
		expect(me.items[0].user).toEqual({ name: 'admin' });
		expect(me.items[0].meta).toBeUndefined();
	});
});
