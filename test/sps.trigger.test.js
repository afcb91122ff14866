'use strict';
/**
 * SPS polling trigger through n8n's real PollContext: baseline on the first poll, cursor from SPS's clock (Date
 * header) with overlap and de-duplication, null when nothing new, manual mode returns a sample without moving
 * the cursor; new alerts on recent sessions; health threshold crossings (once per crossing, optional recovery,
 * both value scales).
 */
const { Engine, assertNoSecrets, nodeTypesMap } = require('./harness');
const { startSpsFixture, pinSpsVersion } = require('./sim/sps');

// written for node version 1, whose defaults saved workflows keep (version 1.1: test/sps.simplify.test.js)
pinSpsVersion(1);

const CRED = 'safeguardSpsApi';
const TRIGGER = 'safeguardSpsTrigger';
const MIN = 60_000;

let f;
const outputs = [];
const poll = async (engine, params, mode = 'trigger') => {
	const r = await engine.poll(TRIGGER, CRED, params, mode);
	outputs.push(r.items);
	return r;
};
const stateOf = (engine, event) => engine.staticData['node:Trigger']?.[event];
const propertiesOf = (node) => nodeTypesMap[`n8n-nodes-it-appliances.${node}`].description.properties;

beforeAll(async () => {
	f = await startSpsFixture({ sessions: 0 });
	// SPS's clock runs 2 days behind n8n's: the cursor must follow SPS, never the n8n clock
	f.sim.clock.advance(-2 * 24 * 60 * MIN);
});
afterAll(async () => {
	await f.sim.stop();
	assertNoSecrets(['Admin-Passw0rd!', ...f.sim.state.sessions.keys()], outputs);
});

describe('New Recorded Session', () => {
	const params = { event: 'newSession', query: '', sessionData: 'full', options: { overlapMinutes: 10 } };

	test('baseline, new sessions once, null when nothing new, overlap de-duplicated, manual sample leaves the cursor', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		// existing sessions, some inside the overlap window before "now"
		f.sim.addSessions(3, { startMs: f.sim.clock.now() - 30 * MIN, stepMs: MIN });
		f.sim.addSessions(2, { startMs: f.sim.clock.now() - 5 * MIN, stepMs: MIN });

		// SPS's Date header has second precision, and a second may begin during the poll: the cursor must be SPS's
		// time between the start and the end of the poll (n8n's own clock is more than a day away from it here)
		const spsSecond = () => Math.floor(f.sim.clock.now() / 1000) * 1000;
		const expectSpsTimeOfPoll = (cursor, from, to) => {
			expect(cursor).toBeGreaterThanOrEqual(from);
			expect(cursor).toBeLessThanOrEqual(to);
		};
		const firstFrom = spsSecond();
		const first = await poll(engine, params);
		expect(first.result).toBeNull();
		const st = stateOf(engine, 'newSession');
		expectSpsTimeOfPoll(st.cursor, firstFrom, spsSecond());
		expect(Math.abs(st.cursor - Date.now())).toBeGreaterThan(24 * 60 * MIN);
		expect(st.seen).toHaveLength(2); // the two inside the overlap window are remembered

		expect((await poll(engine, params)).result).toBeNull();

		f.sim.clock.advance(MIN);
		const fresh = f.sim.addSessions(3, { startMs: f.sim.clock.now() - 20_000, stepMs: 5000 });
		const cursorBefore = stateOf(engine, 'newSession').cursor;
		const mark = f.sim.requests.length;
		const secondFrom = spsSecond();
		const second = await poll(engine, params);
		const secondTo = spsSecond();
		expect(second.items.map((i) => i.key)).toEqual(fresh.map((s) => s.key));
		expect(second.items[0]).toMatchObject({ protocol: fresh[0].body.protocol, recording: { session_id: fresh[0].body.recording.session_id } });
		// one page (with SPS's clock) + one GET per new session; the old sessions in the overlap are not fetched
		expect(f.sim.requests.slice(mark).map((q) => q.path)).toEqual([
			'/api/audit/sessions',
			...fresh.map((s) => `/api/audit/sessions/${s.key}`),
		]);
		const startParam = Date.parse(f.sim.requests[mark].query.start);
		expect(startParam).toBe(cursorBefore - 10 * MIN);
		expectSpsTimeOfPoll(stateOf(engine, 'newSession').cursor, secondFrom, secondTo);
		const cursorAfter = stateOf(engine, 'newSession').cursor;

		expect((await poll(engine, params)).result).toBeNull();

		// a session SPS stored late, with a start time before the previous poll but within the overlap
		f.sim.clock.advance(MIN);
		const late = f.sim.addSessions(1, { startMs: cursorAfter - 3 * MIN });
		const third = await poll(engine, params);
		expect(third.items.map((i) => i.key)).toEqual([late[0].key]);
		expect((await poll(engine, params)).result).toBeNull();

		// manual mode: a sample, state untouched
		const before = JSON.stringify(engine.staticData);
		const sample = await poll(engine, params, 'manual');
		expect(sample.items).toHaveLength(1);
		expect(sample.items[0].key).toEqual(expect.any(String));
		expect(sample.items[0].recording).toBeDefined();
		expect(JSON.stringify(engine.staticData)).toBe(before);
	});

	test('Selected Fields: new sessions come from the search itself, no per-session request', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const p = { ...params, sessionData: 'fields', fields: 'protocol,user.name' };
		expect((await poll(engine, p)).result).toBeNull();
		f.sim.clock.advance(MIN);
		const fresh = f.sim.addSessions(2, { startMs: f.sim.clock.now() - 10_000, stepMs: 1000 });
		const mark = f.sim.requests.length;
		const r = await poll(engine, p);
		expect(r.items).toEqual(fresh.map((s) => ({ key: s.key, href: `/api/audit/sessions/${s.key}`, protocol: s.body.protocol, user: { name: s.body.user.name } })));
		expect(f.sim.requests.length - mark).toBe(1);
	});

	test('A4: Selected Fields with the default field list (the same as the action’s) say when and who', async () => {
		const { DEFAULT_FIELDS } = require('../dist/nodes/SafeguardSps/actions/auditSession/search.operation.js');
		const fieldsDefault = (node) => propertiesOf(node).find((p) => p.name === 'fields').default;
		expect(fieldsDefault('safeguardSpsTrigger')).toBe(DEFAULT_FIELDS);
		expect(fieldsDefault('safeguardSps')).toBe(DEFAULT_FIELDS);
		const engine = new Engine({ [CRED]: f.password() });
		const p = { ...params, sessionData: 'fields' };
		expect((await poll(engine, p)).result).toBeNull();
		f.sim.clock.advance(MIN);
		const fresh = f.sim.addSessions(2, { startMs: f.sim.clock.now() - 10_000, stepMs: 1000 });
		const r = await poll(engine, p);
		expect(r.items.map((i) => [i.key, i.start_time, i.creation_time, i.user])).toEqual(
			fresh.map((s) => [s.key, s.body.start_time, s.body.creation_time, { name: s.body.user.name, server_username: s.body.user.server_username, ...(s.body.user.gateway_username ? { gateway_username: s.body.user.gateway_username } : {}) }]),
		);
	});

	test('a query limits the watched sessions', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const p = { ...params, query: 'protocol:RDP', sessionData: 'key' };
		expect((await poll(engine, p)).result).toBeNull();
		f.sim.clock.advance(MIN);
		const fresh = f.sim.addSessions(10, { startMs: f.sim.clock.now() - 10_000, stepMs: 500 });
		const r = await poll(engine, p);
		const rdp = fresh.filter((s) => s.body.protocol === 'RDP');
		expect(rdp.length).toBeGreaterThan(0);
		expect(r.items.map((i) => i.key)).toEqual(rdp.map((s) => s.key));
	});

	test('an expired login session during polling: one re-login, the poll still works', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		expect((await poll(engine, params)).result).toBeNull();
		f.sim.clock.advance(25 * MIN);
		const fresh = f.sim.addSessions(1, { startMs: f.sim.clock.now() - 1000 });
		const r = await poll(engine, params);
		expect(r.items.map((i) => i.key)).toEqual([fresh[0].key]);
		expect(engine.logins(CRED)).toBe(2);
	});
});

describe('New Alert (A2: also in sessions that run for hours)', () => {
	const params = { event: 'newAlert', query: '', options: { overlapMinutes: 10, concurrency: 4 } };
	const HOUR = 60 * MIN;
	let g;
	beforeEach(async () => {
		g = await startSpsFixture({ sessions: 0, alertEvery: 0 });
		g.sim.clock.advance(-2 * 24 * HOUR); // SPS's clock, not n8n's
	});
	afterEach(async () => {
		await g.sim.stop();
	});
	const at = (ms) => new Date(ms).toISOString();
	const alertReads = (mark) =>
		g.sim.requests
			.slice(mark)
			.filter((q) => q.path.endsWith('/alerts'))
			.map((q) => q.path.split('/')[4]);
	const pollG = async (engine, p = params, mode = 'trigger') => {
		const r = await engine.poll(TRIGGER, CRED, p, mode);
		outputs.push(r.items);
		return r;
	};

	test('a session running for 5 hours raises alerts: each is emitted once; a session that ended long ago is not read', async () => {
		const engine = new Engine({ [CRED]: g.password() });
		const now = () => g.sim.clock.now();
		const [long] = g.sim.addSessions(1, { startMs: now() - 5 * HOUR, active: true, noAlerts: true });
		const [old] = g.sim.addSessions(1, { startMs: now() - 6 * HOUR, noAlerts: true });
		g.sim.addAlert(long.key, { time: at(now() - 4 * HOUR) });
		expect((await pollG(engine)).result).toBeNull(); // baseline: the existing alert is not new

		g.sim.clock.advance(MIN);
		const a1 = g.sim.addAlert(long.key, { matched_content: 'cat /etc/shadow', time: at(now() - 10_000) });
		g.sim.addAlert(old.key, { time: at(now()) }); // cannot happen on SPS; proves the ended session is not read
		const mark = g.sim.requests.length;
		const r = await pollG(engine);
		expect(r.items).toEqual([{ sessionKey: long.key, ...a1 }]);
		expect(alertReads(mark)).toEqual([long.key]);

		expect((await pollG(engine)).result).toBeNull();
		g.sim.clock.advance(MIN);
		const a2 = g.sim.addAlert(long.key, { matched_content: 'rm -rf /var/log', time: at(now() - 5000) });
		expect((await pollG(engine)).items).toEqual([{ sessionKey: long.key, ...a2 }]);
	});

	test('a long session that ends between two polls after its last alert: that alert is emitted', async () => {
		const engine = new Engine({ [CRED]: g.password() });
		const now = () => g.sim.clock.now();
		const [rdp] = g.sim.addSessions(1, { startMs: now() - 3 * HOUR, active: true, noAlerts: true });
		expect((await pollG(engine)).result).toBeNull();

		g.sim.clock.advance(2 * MIN);
		const last = g.sim.addAlert(rdp.key, { matched_content: 'net user admin /add', time: at(now() - 30_000) });
		g.sim.endSession(rdp.key, now() - 20_000);
		expect((await pollG(engine)).items).toEqual([{ sessionKey: rdp.key, ...last }]);
		// ended more than the overlap ago: no longer read
		g.sim.clock.advance(11 * MIN);
		expect((await pollG(engine)).result).toBeNull();
		const mark = g.sim.requests.length;
		expect((await pollG(engine)).result).toBeNull();
		expect(alertReads(mark)).toEqual([]);
	});

	test('cost per poll: 2 list requests + 1 per session started since the previous poll, running, or running at the previous poll', async () => {
		const engine = new Engine({ [CRED]: g.password() });
		const now = () => g.sim.clock.now();
		const running = g.sim.addSessions(6, { startMs: now() - 4 * HOUR, stepMs: 10 * MIN, active: true, noAlerts: true });
		g.sim.addSessions(40, { startMs: now() - 30 * HOUR, stepMs: 10 * MIN, noAlerts: true }); // ended long ago
		expect((await pollG(engine)).result).toBeNull();

		g.sim.clock.advance(5 * MIN);
		const fresh = g.sim.addSessions(3, { startMs: now() - 2 * MIN, stepMs: 10_000, noAlerts: true });
		g.sim.endSession(running[0].key, now() - MIN);
		const alerts = [g.sim.addAlert(fresh[1].key, { time: at(now() - 60_000) }), g.sim.addAlert(running[0].key, { time: at(now() - 70_000) })];
		const mark = g.sim.requests.length;
		const r = await pollG(engine);
		const reqs = g.sim.requests.slice(mark);
		expect(r.items.map((i) => i.record_id).sort()).toEqual(alerts.map((x) => x.record_id).sort());
		const lists = reqs.filter((q) => q.path === '/api/audit/sessions');
		expect(lists.map((q) => q.query.q ?? '')).toEqual(['', 'active:true']);
		expect(alertReads(mark).sort()).toEqual([...running, ...fresh].map((x) => x.key).sort());
		expect(reqs).toHaveLength(2 + running.length + fresh.length);
		console.log(
			`[request count] New Alert poll with 6 sessions running (one ended since the last poll) and 3 started since: ${reqs.length} requests (2 lists + 9 alert lists)`,
		);
	});

	test('the Query narrows the watched sessions; alternatives (OR) stay together when combined with active:true', async () => {
		const engine = new Engine({ [CRED]: g.password() });
		const p = { ...params, query: 'protocol:RDP OR protocol:VNC' };
		expect((await pollG(engine, p)).result).toBeNull();
		const mark = g.sim.requests.length;
		await pollG(engine, p);
		const lists = g.sim.requests.slice(mark).filter((q) => q.path === '/api/audit/sessions');
		expect(lists.map((q) => q.query.q)).toEqual(['protocol:RDP OR protocol:VNC', '(protocol:RDP OR protocol:VNC) AND active:true']);
	});

	test('state of the earlier version ({cursor, seen}) goes on without a gap and without repeats', async () => {
		const engine = new Engine({ [CRED]: g.password() });
		const now = () => g.sim.clock.now();
		const [s1] = g.sim.addSessions(1, { startMs: now() - 20 * MIN, active: true, noAlerts: true });
		const seenBefore = g.sim.addAlert(s1.key, { time: at(now() - 2 * MIN) });
		engine.staticData['node:Trigger'] = { newAlert: { cursor: now() - MIN, seen: [`${s1.key}|${seenBefore.record_id}`] } };
		const missed = g.sim.addAlert(s1.key, { time: at(now() - 30_000) });
		const r = await pollG(engine);
		expect(r.items).toEqual([{ sessionKey: s1.key, ...missed }]);
		const st = stateOf(engine, 'newAlert');
		expect(st.seen).toBeUndefined();
		expect(st.alerts).toMatchObject({ v: 2 });
	});

	test('the other reading: SPS refuses active:true in q → a clear error naming the query, the state is not moved', async () => {
		const engine = new Engine({ [CRED]: g.password() });
		g.sim.onRequest = (ctx) => {
			if (ctx.entry.path === '/api/audit/sessions' && /active:true/.test(ctx.entry.query.q ?? '')) {
				ctx.send(400, { error: { code: 'InvalidQuery', details: { q: ctx.entry.query.q, message: 'Unknown field active' } } });
				return true;
			}
			return undefined;
		};
		await expect(pollG(engine)).rejects.toThrow(/rejected search running sessions \(q=active:true\).*Unknown field active/);
		expect(stateOf(engine, 'newAlert')?.alerts).toBeUndefined();
	});

	test('Fetch Test Event: recent alerts of running and recent sessions, state untouched', async () => {
		const engine = new Engine({ [CRED]: g.password() });
		const [s] = g.sim.addSessions(1, { startMs: g.sim.clock.now() - 7 * HOUR, active: true, noAlerts: true });
		g.sim.addAlert(s.key, { time: at(g.sim.clock.now() - HOUR) });
		const sample = await pollG(engine, params, 'manual');
		expect(sample.items).toHaveLength(1);
		expect(sample.items[0].sessionKey).toBe(s.key);
		expect(stateOf(engine, 'newAlert')).toBeUndefined();
	});
});

describe('Health Threshold Crossed', () => {
	const params = { event: 'healthThreshold', metrics: ['cpu', 'disk', 'memory'], thresholdPercent: 90, options: {} };

	test('emits once per crossing above the threshold, not while it stays above; recovery only when asked', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		f.sim.setHealth({ cpu: 0.2, memory: 0.5, disk: 0.95 });
		expect((await poll(engine, params)).result).toBeNull(); // baseline: disk already above, not an event
		expect(stateOf(engine, 'healthThreshold').above).toEqual({ cpu: false, disk: true, memory: false });

		f.sim.setHealth({ cpu: 0.97 });
		const r = await poll(engine, params);
		expect(r.items).toHaveLength(1);
		expect(r.items[0]).toMatchObject({ event: 'crossedAbove', metric: 'cpu', valuePercent: 97, thresholdPercent: 90 });
		expect(r.items[0].health.cpu).toBe(0.97);
		expect((await poll(engine, params)).result).toBeNull(); // still above

		f.sim.setHealth({ cpu: 0.5 });
		expect((await poll(engine, params)).result).toBeNull(); // back to normal, recovery not requested
		f.sim.setHealth({ cpu: 0.91, memory: 0.93 });
		expect((await poll(engine, params)).items.map((i) => i.metric)).toEqual(['cpu', 'memory']);

		const withRecovery = { ...params, options: { emitRecovery: true } };
		f.sim.setHealth({ cpu: 0.1 });
		const rec = await poll(engine, withRecovery);
		expect(rec.items).toEqual([expect.objectContaining({ event: 'backToNormal', metric: 'cpu', valuePercent: 10 })]);

		const sample = await poll(engine, params, 'manual');
		expect(sample.items.map((i) => [i.metric, i.event])).toEqual([
			['cpu', 'normal'],
			['disk', 'above'],
			['memory', 'above'],
		]);
	});

	test('values reported as percentages (the other reading) are understood with the auto scale', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		f.sim.setHealth({ cpu: 12, memory: 40, disk: 0.5 });
		const pct = { ...params, metrics: ['cpu', 'memory'], options: { scale: 'auto' } };
		expect((await poll(engine, pct)).result).toBeNull();
		f.sim.setHealth({ memory: 95.5 });
		const r = await poll(engine, pct);
		expect(r.items).toEqual([expect.objectContaining({ metric: 'memory', valuePercent: 95.5 })]);
		// an explicit ratio scale reads 12 as 1200 %: the user chose it
		const ratio = { ...params, metrics: ['cpu'], options: { scale: 'percent' } };
		const engine2 = new Engine({ [CRED]: f.password() });
		f.sim.setHealth({ cpu: 0.95 });
		expect((await poll(engine2, ratio)).result).toBeNull();
		f.sim.setHealth({ cpu: 95 });
		expect((await poll(engine2, ratio)).items[0]).toMatchObject({ metric: 'cpu', valuePercent: 95 });
	});
});
