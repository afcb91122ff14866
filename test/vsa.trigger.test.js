'use strict';
/**
 * Kaseya VSA Trigger through n8n's real PollContext: baseline on the first poll, null when nothing is new,
 * cursor/de-duplication in workflow static data, manual mode returns a sample without touching the cursor.
 */
const { Engine } = require('./harness');
const { createVsaSim, vsaCredential } = require('./sim/vsa');

const CRED = 'kaseyaVsaApi';
const TRIGGER = 'kaseyaVsaTrigger';

const snapshot = (engine) => JSON.parse(JSON.stringify(engine.staticData));

describe('Kaseya VSA Trigger', () => {
	let sim;
	let engine;
	const poll = (event, mode = 'trigger', options = {}) => engine.poll(TRIGGER, CRED, { event, options }, mode);

	beforeEach(async () => {
		sim = createVsaSim({ agents: 250, alarms: 3 });
		await sim.start();
		engine = new Engine({ [CRED]: vsaCredential(sim) });
	});
	afterEach(async () => {
		await sim.stop();
	});

	test('new alarm: baseline, then only new alarms (from /alarms/true, de-duplicated by AlarmId), null when nothing is new', async () => {
		const first = await poll('newAlarm');
		expect(first.result).toBeNull();
		const a1 = sim.addAlarm({ AlarmSubject: 'CPU high' });
		const a2 = sim.addAlarm({ AlarmSubject: 'Service stopped' });
		const second = await poll('newAlarm');
		expect(second.items.map((a) => a.AlarmId)).toEqual([a1.AlarmId, a2.AlarmId]);
		expect(second.items[0].AlarmId).toMatch(/^\d{18}$/);
		const third = await poll('newAlarm');
		expect(third.result).toBeNull();

		// a closed alarm leaves the list; a new one is still detected
		sim.state.alarms[0].AlarmState = 'Closed';
		const a3 = sim.addAlarm({ AlarmSubject: 'Disk full' });
		const fourth = await poll('newAlarm');
		expect(fourth.items.map((a) => a.AlarmId)).toEqual([a3.AlarmId]);
		expect(sim.requests.every((r) => r.path === '/api/v1.0/auth' || r.path === '/api/v1.0/assetmgmt/alarms/true')).toBe(true);
		expect(engine.logins(CRED)).toBe(1);
	});

	test('new alarm in manual mode: the newest alarm as a sample; static data untouched', async () => {
		const before = snapshot(engine);
		const sample = await poll('newAlarm', 'manual');
		expect(sample.items).toHaveLength(1);
		const newest = sim.state.alarms[sim.state.alarms.length - 1];
		expect(sample.items[0].AlarmId).toBe(newest.AlarmId);
		expect(snapshot(engine)).toEqual(before);

		// with a cursor in place, a manual poll does not move it
		await poll('newAlarm');
		const withCursor = snapshot(engine);
		sim.addAlarm();
		const again = await poll('newAlarm', 'manual');
		expect(again.items).toHaveLength(1);
		expect(snapshot(engine)).toEqual(withCursor);
		// …and the real poll still sees the new alarm
		const real = await poll('newAlarm');
		expect(real.items).toHaveLength(1);
	});

	test('new agent: baseline, then new agents oldest first; newest-first paging stops at the cursor; same-timestamp agents emitted once', async () => {
		expect((await poll('newAgent')).result).toBeNull();
		const baselineRequests = sim.requests.filter((r) => r.path === '/api/v1.0/assetmgmt/agents');
		expect(baselineRequests.map((r) => `${r.query.$orderby}|${r.query.$top}`)).toEqual(['CreationDate desc|1']);

		const added = sim.addAgents([
			{ CreationDate: '2030-01-01T00:00:03Z' },
			{ CreationDate: '2030-01-01T00:00:01Z' },
			{ CreationDate: '2030-01-01T00:00:02Z' },
		]);
		sim.resetLog();
		const second = await poll('newAgent');
		expect(second.items.map((a) => a.AgentId)).toEqual([added[1], added[2], added[0]].map((a) => a.AgentId));
		// one page was enough (the page reached agents older than the cursor)
		expect(sim.requests.filter((r) => r.path === '/api/v1.0/assetmgmt/agents')).toHaveLength(1);

		expect((await poll('newAgent')).result).toBeNull();
		const [same] = sim.addAgents([{ CreationDate: '2030-01-01T00:00:03Z' }]);
		const third = await poll('newAgent');
		expect(third.items.map((a) => a.AgentId)).toEqual([same.AgentId]);
		expect((await poll('newAgent')).result).toBeNull();
	});

	test('new agent in manual mode returns the newest agent and leaves the cursor alone', async () => {
		await poll('newAgent');
		const before = snapshot(engine);
		const [a] = sim.addAgents([{ CreationDate: '2031-01-01T00:00:00Z' }]);
		const sample = await poll('newAgent', 'manual');
		expect(sample.items.map((x) => x.AgentId)).toEqual([a.AgentId]);
		expect(snapshot(engine)).toEqual(before);
		const real = await poll('newAgent');
		expect(real.items.map((x) => x.AgentId)).toEqual([a.AgentId]);
	});

	test('agent went offline / online: the first poll records the states; then only transitions', async () => {
		expect((await poll('agentOffline')).result).toBeNull();
		const online = sim.state.agents.find((a) => a.Online === 11);
		const offline = sim.state.agents.find((a) => a.Online === 0);
		sim.setOnline(online.AgentId, 0);
		sim.setOnline(offline.AgentId, 1);
		const went = await poll('agentOffline');
		expect(went.items.map((a) => a.AgentId)).toEqual([online.AgentId]);
		expect(went.items[0].Online).toBe(0);
		expect((await poll('agentOffline')).result).toBeNull();

		const onlineEngine = new Engine({ [CRED]: vsaCredential(sim) });
		const pollOnline = (mode = 'trigger') => onlineEngine.poll(TRIGGER, CRED, { event: 'agentOnline', options: {} }, mode);
		expect((await pollOnline()).result).toBeNull();
		sim.setOnline(online.AgentId, 2);
		const neverSeen = sim.state.agents.find((a) => a.Online === 199);
		sim.setOnline(neverSeen.AgentId, 1);
		const back = await pollOnline();
		expect(back.items.map((a) => a.AgentId).sort()).toEqual([online.AgentId, neverSeen.AgentId].sort());
		expect((await pollOnline()).result).toBeNull();

		// manual: one online agent as a sample, states untouched
		const before = JSON.parse(JSON.stringify(onlineEngine.staticData));
		const sample = await pollOnline('manual');
		expect(sample.items).toHaveLength(1);
		expect([1, 2, 11, 12]).toContain(sample.items[0].Online);
		expect(JSON.parse(JSON.stringify(onlineEngine.staticData))).toEqual(before);
	});

	test('the agents poll walks all pages (250 agents = 3 requests) and keeps a compact state map', async () => {
		await poll('agentOffline');
		const pages = sim.requests.filter((r) => r.path === '/api/v1.0/assetmgmt/agents');
		expect(pages.map((r) => r.query.$skip)).toEqual(['0', '100', '200']);
		const node = Object.values(engine.staticData)[0];
		const map = node['online:'];
		expect(Object.keys(map)).toHaveLength(250);
		expect(Object.values(map).every((v) => typeof v === 'number')).toBe(true);
	});
});
