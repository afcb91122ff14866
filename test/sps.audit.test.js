'use strict';
/**
 * SPS audit sessions, active sessions and system operations through the real n8n engine: search paging across
 * limits (limit ≤ 500, offset), exact multiples, the 10,000-result cap and its warning, bodies via `fields` vs one
 * request per session (request counts printed for 2,000 sessions), the other `fields` reading, get/alerts/events,
 * terminate with a URL-encoded recording session ID and SPS's error codes, read retries, system reads.
 */
const { Engine, assertNoSecrets } = require('./harness');
const { startSpsFixture, AUDIT_CAP, pinSpsVersion } = require('./sim/sps');

// written for node version 1, whose defaults saved workflows keep (version 1.1: test/sps.simplify.test.js)
pinSpsVersion(1);

const CRED = 'safeguardSpsApi';
const NODE = 'safeguardSps';

const outputs = [];
const keep = (r) => {
	outputs.push(r.items, r.error && { message: r.error.message, description: r.error.description });
	return r;
};
const search = (extra = {}) => ({ resource: 'auditSession', operation: 'search', query: '', sessionData: 'key', returnAll: false, limit: 50, ...extra });
const pages = (sim, mark) => sim.requests.slice(mark).filter((q) => q.path === '/api/audit/sessions');
const session = (sim, key) => sim.state.audit.find((s) => s.key === key);
/** The warning of a run: `_warning` on the first item, which must also be the only execution hint. */
function warningOf(r) {
	const hints = r.run.data.resultData.runData.Node[0].hints ?? [];
	const warning = r.items[0]?._warning;
	expect(hints).toEqual(warning === undefined ? [] : [{ message: warning, type: 'warning', location: 'outputPane' }]);
	return warning;
}

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

	// [limit, [[limit, offset] of each page request]]: pages after the first start one session before the end of the
	// previous one (the overlap that detects a list moving under the read); once SPS reported its match_count, the
	// pages up to the limit are planned at once
	test.each([
		[1, [[1, 0]]],
		[500, [[500, 0]]],
		[501, [[500, 0], [3, 499]]],
		[1000, [[500, 0], [500, 499], [3, 998]]],
		[1234, [[500, 0], [500, 499], [237, 998]]],
	])('limit %i → pages %j, unique keys in SPS order (newest first)', async (limit, plan) => {
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, search({ limit })));
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(limit);
		const reqs = pages(f.sim, mark);
		expect(reqs.map((q) => [Number(q.query.limit), Number(q.query.offset)])).toEqual(plan);
		expect(reqs.every((q) => q.query.sort === '-start_time')).toBe(true);
		expect(new Set(r.items.map((i) => i.key)).size).toBe(limit);
		expect(r.items.map((i) => i.key)).toEqual(f.sim.listed().slice(0, limit));
		expect(r.items[0]).toEqual({ key: r.items[0].key, href: `/api/audit/sessions/${r.items[0].key}` });
		expect(warningOf(r)).toBeUndefined();
	});

	test('Return All → 2,500 in 6 requests (500 + 4 × 499 new + the end), no warning', async () => {
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, search({ returnAll: true })));
		expect(r.items).toHaveLength(2500);
		expect(new Set(r.items.map((i) => i.key)).size).toBe(2500);
		expect(pages(f.sim, mark)).toHaveLength(6);
		expect(warningOf(r)).toBeUndefined();
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

	test('Selected Fields (fields parameter): 5 list requests; Full Record: 5 + 2,000', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		let mark = f.sim.requests.length;
		const viaFields = keep(await engine.runNode(NODE, CRED, search({ returnAll: true, sessionData: 'fields', fields: 'protocol, user.name ,recording.session_id' })));
		expect(viaFields.error).toBeUndefined();
		expect(viaFields.items).toHaveLength(2000);
		const fourth = session(f.sim, f.sim.listed()[3]);
		expect(viaFields.items[3]).toEqual({
			key: fourth.key,
			href: `/api/audit/sessions/${fourth.key}`,
			protocol: fourth.body.protocol,
			user: { name: fourth.body.user.name },
			recording: { session_id: fourth.body.recording.session_id },
		});
		const fieldsCount = f.sim.requests.length - mark;
		expect(pages(f.sim, mark)[0].query.fields).toBe('protocol,user.name,recording.session_id');
		expect(fieldsCount).toBe(1 + 5); // login + 5 pages (500, then 499 new sessions each)

		mark = f.sim.requests.length;
		const full = keep(await engine.runNode(NODE, CRED, search({ returnAll: true, sessionData: 'full', options: { concurrency: 8 } })));
		expect(full.error).toBeUndefined();
		expect(full.items).toHaveLength(2000);
		expect(full.items[1999].recording.session_id).toBe(session(f.sim, f.sim.listed()[1999]).body.recording.session_id);
		expect(full.items[1999].client).toBeDefined();
		const fullCount = f.sim.requests.length - mark;
		expect(fullCount).toBe(5 + 2000);
		console.log(
			`[request count] search returning 2,000 sessions with bodies: ${fieldsCount - 1} requests with Session Data = Selected Fields (+1 login on a fresh session), ${fullCount} requests with Session Data = Full Record (5 pages + 2,000 session GETs, 8 in flight)`,
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
			expect(r.items.map((i) => i.recording.session_id)).toEqual(g.sim.listed().map((k) => session(g.sim, k).body.recording.session_id));
			const logins = g.sim.requests.slice(mark).filter((q) => q.path === '/api/authentication');
			expect(logins).toHaveLength(2); // the first one, and one renewal for the 8 refused requests
			expect(engine.credentialReads(CRED)).toBe(1); // 206 requests, one credential read
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

describe('Return All while SPS records, deletes and hides sessions between pages (A1)', () => {
	/**
	 * Runs a Return All while `mutate(n, sim)` changes SPS before the n-th list request is answered. Returns the
	 * result and what must hold: every session that existed during the WHOLE read is returned exactly once, and
	 * nothing is returned that never existed.
	 */
	async function readWhileChanging(options, params, mutate) {
		const g = await startSpsFixture({ sessions: 2500, activeSessions: 20, tls: undefined, alertEvery: 0, ...options });
		try {
			const initial = new Set(g.sim.state.audit.map((x) => x.key));
			const ever = new Set(initial);
			const removed = new Set();
			let n = 0;
			g.sim.onRequest = ({ entry }) => {
				if (entry.path !== '/api/audit/sessions') return;
				const before = new Set(g.sim.listed());
				mutate(++n, g.sim);
				const after = new Set(g.sim.listed());
				for (const k of before) if (!after.has(k)) removed.add(k);
				for (const k of after) ever.add(k);
			};
			const engine = new Engine({ [CRED]: g.password() });
			const mark = g.sim.requests.length;
			const r = keep(await engine.runNode(NODE, CRED, search({ returnAll: true, ...params })));
			const keys = (r.items ?? []).map((i) => i.key);
			const survivors = [...initial].filter((k) => !removed.has(k));
			return {
				r,
				keys,
				missing: survivors.filter((k) => !keys.includes(k)),
				dupes: keys.length - new Set(keys).size,
				strangers: keys.filter((k) => !ever.has(k)),
				requests: pages(g.sim, mark).length,
				removed: removed.size,
			};
		} finally {
			await g.sim.stop();
		}
	}
	const newest = (sim, from, count) => sim.listed().slice(from, from + count);

	test('newest first (the order the node asks for): sessions recorded, deleted and hidden before the read position', async () => {
		const res = await readWhileChanging({}, {}, (n, sim) => {
			if (n === 2) {
				// an administrator deletes 20 and hides 10 of the sessions already read (before the read position)
				sim.deleteSessions(newest(sim, 100, 20));
				sim.hideSessions(newest(sim, 300, 10));
			}
			if (n === 4) sim.addSessions(25, { startMs: sim.clock.now(), active: true }); // recorded meanwhile: at the front
		});
		expect(res.r.error).toBeUndefined();
		expect(res.removed).toBe(30);
		expect(res.missing).toEqual([]);
		expect(res.dupes).toBe(0);
		expect(res.strangers).toEqual([]);
		expect(warningOf(res.r)).toBeUndefined();
		console.log(`[request count] Return All of 2,520 sessions while 30 were deleted/hidden and 25 recorded: ${res.requests} list requests, ${res.keys.length} returned`);
	});

	test('oldest first (a user sort): SPS’s cleanup deletes the oldest sessions, before the read position: read again, exact', async () => {
		const res = await readWhileChanging({}, { options: { extraQuery: { parameter: [{ name: 'sort', value: 'start_time' }] } } }, (n, sim) => {
			if (n === 3) sim.deleteSessions(sim.listed({ sort: 'start_time' }).slice(0, 50));
			if (n === 5) sim.addSessions(10, { startMs: sim.clock.now() });
		});
		expect(res.r.error).toBeUndefined();
		expect(res.removed).toBe(50);
		expect(res.missing).toEqual([]);
		expect(res.dupes).toBe(0);
		expect(res.strangers).toEqual([]);
		expect(res.requests).toBeLessThanOrEqual(2 * 7);
	});

	test('SPS ignores the sort parameter (the other reading): its own order is used, still exact', async () => {
		const res = await readWhileChanging({ sortIgnored: true }, {}, (n, sim) => {
			if (n === 2) sim.deleteSessions(newest(sim, 10, 40));
			if (n === 3) sim.addSessions(600, { startMs: sim.clock.now(), stepMs: 1 });
		});
		expect(res.r.error).toBeUndefined();
		expect(res.removed).toBe(40);
		expect(res.missing).toEqual([]);
		expect(res.dupes).toBe(0);
		expect(res.strangers).toEqual([]);
	});

	test('a list that changes before the read position on every page: a clear error after a few full reads, never a silent result', async () => {
		const res = await readWhileChanging({}, {}, (n, sim) => {
			if (n > 1) sim.deleteSessions(newest(sim, 0, 1));
		});
		expect(res.r.error.message).toContain('SPS: search audit sessions stopped because the list kept changing while it was read');
		expect(res.r.error.description).toContain('Run it again');
		expect(res.requests).toBeLessThan(40);
	});
});

describe('fewer sessions served than SPS counted (A3)', () => {
	let g;
	beforeAll(async () => {
		// the other reading of hidden sessions: counted in match_count, never listed
		g = await startSpsFixture({ sessions: 1200, tls: undefined, alertEvery: 0, countHidden: true });
		g.sim.hideSessions(g.sim.listed().slice(700, 750));
	});
	afterAll(async () => {
		await g.sim.stop();
	});

	test('Return All: the warning quotes match_count and the number served, in the output and the execution hints', async () => {
		const engine = new Engine({ [CRED]: g.password() });
		const r = keep(await engine.runNode(NODE, CRED, search({ returnAll: true })));
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(1150);
		const warning =
			'SPS reported 1,200 matching sessions (match_count) but served only 1,150. Some sessions it counts are not listed (e.g. hidden sessions, or search restrictions of this user), or they were deleted while the list was read: run it again, or check the search in the SPS web interface.';
		expect(warningOf(r)).toBe(warning);
	});

	test('a Limit that SPS served in full is not a shortfall', async () => {
		const engine = new Engine({ [CRED]: g.password() });
		const r = keep(await engine.runNode(NODE, CRED, search({ limit: 600 })));
		expect(r.items).toHaveLength(600);
		expect(warningOf(r)).toBeUndefined();
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
		expect(reqs).toHaveLength(21); // 500, then 499 new sessions per page up to the 10,000th
		expect(Math.max(...reqs.map((q) => Number(q.query.offset) + Number(q.query.limit)))).toBe(AUDIT_CAP);
		const warning =
			'SPS matched 10,300 sessions (match_count) but serves only the first 10,000 of a search; 10,000 were returned. Narrow the search (dates or query) to reach the rest.';
		expect(warningOf(r)).toBe(warning);
		expect(r.items[1]._warning).toBeUndefined();
	});

	test('a limit below the cap is not a truncation: no warning', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const r = keep(await engine.runNode(NODE, CRED, search({ limit: 10_000 })));
		expect(r.items).toHaveLength(10_000);
		expect(warningOf(r)).toBeUndefined();
	});

	test('simulator strictness: an offset beyond 10,000 is ignored (page 1 again), as documented', async () => {
		const login = await f.raw('GET', '/api/authentication', { headers: { authorization: `Basic ${Buffer.from('admin:Admin-Passw0rd!').toString('base64')}` } });
		const cookie = String(login.headers['set-cookie'][0]).split(';')[0];
		const res = await f.raw('GET', '/api/audit/sessions?limit=2&offset=10500', { headers: { cookie } });
		expect(res.body.meta.offset).toBe(0);
		expect(res.body.items[0].key).toBe(f.sim.listed()[0]);
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

		// SPS's SessionCouldNotBeFound is explained: the session ended (when), read with the audit search
		const again = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'terminate', sessionId: id }));
		expect(again.error.message).toBe(`SPS found no active session with the ID ${id}: it ended at ${active[0].body.end_time}`);
		expect(again.error.description).toBe('Nothing to terminate.');
		const typo = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'terminate', sessionId: 'svc/nope/ssh-prod:1' }));
		expect(typo.error.message).toBe('SPS found no active session with the ID svc/nope/ssh-prod:1, and its search lists no such session on this node');
		expect(typo.error.description).toContain('use recording.session_id');

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

describe('D12: Get Info without the firmware privilege; Get Current User without the CSRF token', () => {
	test.each([
		[403, "this user's group may not read them"],
		[404, 'this SPS does not offer /api/firmware/slots'],
	])('firmware slots answered HTTP %i: the info is returned and the output says what was left out', async (status, why) => {
		const g = await startSpsFixture({ sessions: 0, firmwareSlotsStatus: status });
		try {
			const r = keep(await new Engine({ [CRED]: g.password() }).runNode(NODE, CRED, { resource: 'system', operation: 'getInfo', includeFirmware: true }));
			expect(r.error).toBeUndefined();
			expect(r.items).toHaveLength(1);
			expect(r.items[0]).toMatchObject({ firmware_version: '7.5.1', hostname: 'sps' });
			expect(r.items[0].firmwareSlots).toBeUndefined();
			const warning = `Firmware slots left out: SPS answered HTTP ${status} (${why}). The rest of the appliance info is complete; turn off "Include Firmware Slots" to skip the request.`;
			expect(warningOf(r)).toBe(warning);
		} finally {
			await g.sim.stop();
		}
	});

	test('other failures of the firmware read still fail the operation', async () => {
		const g = await startSpsFixture({ sessions: 0 });
		try {
			g.sim.faults.add({ method: 'GET', path: '/api/firmware/slots', status: 500, times: 10, body: { error: { code: 'InternalError', details: { message: 'boom' } } } });
			const r = keep(await new Engine({ [CRED]: g.password() }).runNode(NODE, CRED, { resource: 'system', operation: 'getInfo', includeFirmware: true }));
			expect(r.error.message).toContain('boom');
		} finally {
			await g.sim.stop();
		}
	});

	test('Get Current User drops the login session’s CSRF token (x_token); nothing secret-like is left', async () => {
		const g = await startSpsFixture({ sessions: 0 });
		try {
			const engine = new Engine({ [CRED]: g.password() });
			const r = keep(await engine.runNode(NODE, CRED, { resource: 'system', operation: 'getCurrentUser' }));
			expect(r.error).toBeUndefined();
			const session = g.sim.state.sessions.get(engine.store[CRED].session);
			expect(session.xToken).toEqual(expect.any(String));
			expect(Object.keys(r.items[0]).sort()).toEqual(['endpoints', 'login_method', 'user']);
			assertNoSecrets([session.xToken, session.id, 'Admin-Passw0rd!'], r.items);
		} finally {
			await g.sim.stop();
		}
	});
});

describe('A4: Selected Fields by default say when and who', () => {
	test.each([
		['the session schema of SPS 7.3–8.2 (One Identity’s Power BI connector)', undefined],
		['the REST reference’s 6.x sample (no start_time, no user)', 'doc-6.0'],
	])('%s', async (_label, sessionSchema) => {
		const g = await startSpsFixture({ sessions: 12, activeSessions: 2, sessionSchema, tls: undefined });
		try {
			const mark = g.sim.requests.length;
			// no `fields` parameter: n8n fills in the node's default
			const r = keep(await new Engine({ [CRED]: g.password() }).runNode(NODE, CRED, search({ returnAll: true, sessionData: 'fields' })));
			expect(r.error).toBeUndefined();
			expect(r.items).toHaveLength(14);
			expect(pages(g.sim, mark)).toHaveLength(1); // still one request per 500 sessions
			for (const item of r.items) {
				const stored = session(g.sim, item.key).body;
				// when: every item carries a time SPS recorded for the session
				expect(item.creation_time).toBe(stored.creation_time);
				expect(item.start_time ?? item.creation_time).toEqual(expect.any(String));
				expect(item).toMatchObject({ protocol: stored.protocol, active: stored.active, client: { ip: stored.client.ip } });
				expect(item.recording).toEqual({ session_id: stored.recording.session_id, target: { ip: stored.recording.target.ip } });
				// who: wherever the appliance records it
				if (stored.user) {
					expect(item.start_time).toBe(stored.start_time);
					const { id, ...who } = stored.user; // user.id is not in the default list
					expect(item.user).toEqual(who);
					expect(id).toEqual(expect.any(String));
					expect(item.user.server_username).toEqual(expect.any(Array));
				} else {
					expect(item.user).toBeUndefined();
				}
			}
		} finally {
			await g.sim.stop();
		}
	});
});
