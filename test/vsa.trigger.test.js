'use strict';
/**
 * Kaseya VSA Trigger through n8n's real PollContext: baseline on the first poll, null when nothing is new,
 * cursor/de-duplication in workflow static data, manual mode returns a sample without touching the cursor.
 */
const { Engine } = require('./harness');
const { createVsaSim, vsaCredential, byNumber } = require('./sim/vsa');

const CRED = 'kaseyaVsaApi';
const TRIGGER = 'kaseyaVsaTrigger';
const AGENTS = '/api/v1.0/assetmgmt/agents';

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
		// newest first (the id breaks ties), one page: it reaches agents older than the newest minus the overlap
		const baselineRequests = sim.requests.filter((r) => r.path === '/api/v1.0/assetmgmt/agents');
		expect(baselineRequests.map((r) => `${r.query.$orderby}|${r.query.$top}|${r.query.$skip}`)).toEqual(['CreationDate desc,AgentId|100|0']);

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

	describe('agent went offline / online (only the agents that are not online are listed)', () => {
		const NOT_ONLINE = 'Online eq 0 or Online ge 198';
		const isNotOnline = (a) => a.Online === 0 || a.Online >= 198;
		const listCalls = () => sim.requests.filter((r) => r.path === AGENTS);
		const stateOf = (e = engine) => Object.values(e.staticData)[0];

		test('baseline: the first poll lists only the not-online agents, stores {AgentId: code} and emits nothing', async () => {
			const first = await poll('agentOffline');
			expect(first.result).toBeNull();
			const notOnline = sim.state.agents.filter(isNotOnline);
			expect(listCalls().map((r) => r.query.$filter)).toEqual([NOT_ONLINE]);
			expect(stateOf()[`notOnline:`]).toEqual(Object.fromEntries(notOnline.map((a) => [a.AgentId, a.Online])));
			expect(Object.keys(stateOf())).toEqual(['notOnline:']);
		});

		test('upgrade: the state of the version that listed every agent is not misread (first poll = baseline) and is dropped', async () => {
			await poll('agentOffline');
			const node = stateOf();
			delete node['notOnline:'];
			// old format: every agent with its code; here it claims they were all online, so a misread would emit
			node['online:'] = Object.fromEntries(sim.state.agents.map((a) => [a.AgentId, 1]));
			expect((await poll('agentOffline')).result).toBeNull();
			expect(node['online:']).toBeUndefined();
			expect(Object.keys(node['notOnline:']).length).toBe(sim.state.agents.filter(isNotOnline).length);
		});

		test('went offline: an online agent now offline is emitted; agents that were offline, suspended or new are not', async () => {
			expect((await poll('agentOffline')).result).toBeNull();
			const online = sim.state.agents.find((a) => a.Online === 11);
			const wasOffline = sim.state.agents.find((a) => a.Online === 0);
			const neverSeen = sim.state.agents.find((a) => a.Online === 199);
			const suspended = sim.state.agents.find((a) => a.Online === 12);
			sim.setOnline(suspended.AgentId, 198);
			expect((await poll('agentOffline')).result).toBeNull();
			const [fresh] = sim.addAgents([{ Online: 199 }]);
			expect((await poll('agentOffline')).result).toBeNull();

			sim.setOnline(online.AgentId, 0); // online → offline: emitted
			sim.setOnline(wasOffline.AgentId, 1); // offline → online: not this event
			sim.setOnline(neverSeen.AgentId, 0); // never checked in → offline: was never online
			sim.setOnline(suspended.AgentId, 0); // suspended → offline: was not online
			sim.setOnline(fresh.AgentId, 0); // a new agent (199 when first listed) → offline
			sim.resetLog();
			const went = await poll('agentOffline');
			expect(went.items.map((a) => a.AgentId)).toEqual([online.AgentId]);
			expect(went.items[0].Online).toBe(0);
			expect(went.items[0].AgentId).toMatch(/^\d{15}$/);
			// no extra request for this event
			expect(listCalls().map((r) => r.query.$filter)).toEqual([NOT_ONLINE]);
			expect((await poll('agentOffline')).result).toBeNull();
		});

		test('went online: offline and never-checked-in agents now online are emitted after one check of just the leavers; deleted and suspended ones are not', async () => {
			expect((await poll('agentOnline')).result).toBeNull();
			const offline = sim.state.agents.filter((a) => a.Online === 0);
			const [backOnline, deleted, suspendedNow] = offline;
			const neverSeen = sim.state.agents.find((a) => a.Online === 199);
			const wasSuspended = sim.state.agents.find((a) => a.Online === 12);
			sim.setOnline(wasSuspended.AgentId, 198);
			expect((await poll('agentOnline')).result).toBeNull();

			sim.setOnline(backOnline.AgentId, 2);
			sim.setOnline(neverSeen.AgentId, 1);
			sim.state.agents.splice(sim.state.agents.indexOf(deleted), 1);
			sim.setOnline(suspendedNow.AgentId, 198);
			sim.setOnline(wasSuspended.AgentId, 11); // suspended → online: it was not offline
			sim.resetLog();
			const back = await poll('agentOnline');
			expect(back.items.map((a) => a.AgentId).sort()).toEqual([backOnline.AgentId, neverSeen.AgentId].sort());
			expect(back.items.every((a) => [1, 2, 11, 12].includes(a.Online))).toBe(true);
			// the not-online list, then ONE request for the three agents that left it (ids as decimals, from the strings)
			const calls = listCalls();
			expect(calls).toHaveLength(2);
			expect(calls[0].query.$filter).toBe(NOT_ONLINE);
			const ids = [...calls[1].query.$filter.matchAll(/AgentId eq (\d+)M/g)].map((m) => m[1]);
			expect(ids.sort()).toEqual([backOnline.AgentId, neverSeen.AgentId, deleted.AgentId].sort());
			expect(calls[1].query.$filter).toMatch(/^AgentId eq \d{15}M( or AgentId eq \d{15}M){2}$/);

			expect((await poll('agentOnline')).result).toBeNull();
		});

		test('went online: an agent that is no longer online (offline again, suspended) when its check arrives is not emitted and stays in the state', async () => {
			expect((await poll('agentOnline')).result).toBeNull();
			const [flaps, suspends, stays] = sim.state.agents.filter((a) => a.Online === 0);
			for (const a of [flaps, suspends, stays]) sim.setOnline(a.AgentId, 1);
			// between the not-online list and the check of the agents that left it
			sim.onRequest = (ctx) => {
				if (ctx.path === AGENTS && /AgentId eq/.test(ctx.query.get('$filter') ?? '')) {
					sim.setOnline(flaps.AgentId, 0);
					sim.setOnline(suspends.AgentId, 198);
				}
			};
			const back = await poll('agentOnline');
			expect(back.items.map((a) => a.AgentId)).toEqual([stays.AgentId]);
			const state = stateOf()['notOnline:'];
			expect(state[flaps.AgentId]).toBe(0);
			expect(state[suspends.AgentId]).toBe(198);
			expect(state[stays.AgentId]).toBeUndefined();
			sim.onRequest = undefined;
			expect((await poll('agentOnline')).result).toBeNull();
		});

		test('went online with many leavers: the check is split so that each URL stays well below 2,000 characters', async () => {
			expect((await poll('agentOnline')).result).toBeNull();
			const offline = sim.state.agents.filter((a) => a.Online === 0 || a.Online === 199);
			expect(offline.length).toBeGreaterThan(60);
			for (const a of offline) sim.setOnline(a.AgentId, 1);
			sim.resetLog();
			const back = await poll('agentOnline');
			expect(back.items.map((a) => a.AgentId).sort()).toEqual(offline.map((a) => a.AgentId).sort());
			const checks = listCalls().slice(1);
			expect(checks.length).toBeGreaterThan(1);
			expect(checks.every((r) => r.rawQuery.length < 1700 && r.status === 200)).toBe(true);
			const asked = checks.flatMap((r) => [...r.query.$filter.matchAll(/AgentId eq (\d+)M/g)].map((m) => m[1]));
			expect(asked.sort()).toEqual(offline.map((a) => a.AgentId).sort());
		});

		test("the user's filter is ANDed (parenthesized) to the list and to the check: an agent that left the filter is not emitted", async () => {
			const group = sim.state.agents[0].MachineGroup;
			const other = sim.state.agents.find((a) => a.MachineGroup !== group).MachineGroup;
			const options = { filter: `MachineGroup eq '${group}'` };
			expect((await poll('agentOnline', 'trigger', options)).result).toBeNull();
			expect(listCalls().map((r) => r.query.$filter)).toEqual([`(MachineGroup eq '${group}') and (${NOT_ONLINE})`]);
			const inGroup = sim.state.agents.filter((a) => a.MachineGroup === group && a.Online === 0);
			expect(stateOf()[`notOnline:MachineGroup eq '${group}'`]).toEqual(Object.fromEntries(sim.state.agents.filter((a) => a.MachineGroup === group && isNotOnline(a)).map((a) => [a.AgentId, a.Online])));
			const [stays, moves] = inGroup;
			sim.setOnline(stays.AgentId, 1);
			sim.setOnline(moves.AgentId, 1);
			moves.MachineGroup = other;
			sim.resetLog();
			const back = await poll('agentOnline', 'trigger', options);
			expect(back.items.map((a) => a.AgentId)).toEqual([stays.AgentId]);
			expect(listCalls()[1].query.$filter).toMatch(new RegExp(`^\\(MachineGroup eq '${group.replace(/\./g, '\\.')}'\\) and \\(AgentId eq \\d+M or AgentId eq \\d+M\\)$`));
		});

		test('idle poll = 1 + ceil((notOnline − 100) / 99) requests and no extra (2,000 agents, 750 not online: 8 requests)', async () => {
			await sim.stop();
			sim = createVsaSim({ agents: 2000 });
			await sim.start();
			const notOnline = sim.state.agents.filter(isNotOnline).length;
			expect(notOnline).toBe(750);
			for (const event of ['agentOffline', 'agentOnline']) {
				const e = new Engine({ [CRED]: vsaCredential(sim) });
				expect((await e.poll(TRIGGER, CRED, { event, options: {} })).result).toBeNull();
				sim.resetLog();
				expect((await e.poll(TRIGGER, CRED, { event, options: {} })).result).toBeNull();
				// the session is reused: only the list pages of the not-online agents
				// (pages after the first start one row early: the overlap row that proves the list did not move)
				expect(sim.requests).toHaveLength(1 + Math.ceil((notOnline - 100) / 99));
				expect(sim.requests.every((r) => r.path === AGENTS && r.query.$filter === NOT_ONLINE)).toBe(true);
				const state = Object.values(e.staticData)[0]['notOnline:'];
				expect(Object.keys(state)).toHaveLength(notOnline);
				expect(Object.values(state).every((v) => typeof v === 'number')).toBe(true);
			}
		});

		test('manual mode: one matching agent as a sample, states untouched', async () => {
			await poll('agentOnline');
			const before = snapshot(engine);
			const sample = await poll('agentOnline', 'manual');
			expect(sample.items).toHaveLength(1);
			expect([1, 2, 11, 12]).toContain(sample.items[0].Online);
			const offline = await poll('agentOffline', 'manual');
			expect(offline.items).toHaveLength(1);
			expect(offline.items[0].Online).toBe(0);
			expect(snapshot(engine)).toEqual(before);
		});
	});

	describe('nothing lost at the boundaries (issue 11 A2)', () => {
		const newest = () => sim.state.agents.reduce((a, b) => (a.CreationDate >= b.CreationDate ? a : b));

		test('new agent: one created in the same second as the newest agent after the baseline is emitted, once', async () => {
			expect((await poll('newAgent')).result).toBeNull();
			const [twin] = sim.addAgents([{ CreationDate: newest().CreationDate }]);
			const second = await poll('newAgent');
			expect(second.items.map((a) => a.AgentId)).toEqual([twin.AgentId]);
			expect((await poll('newAgent')).result).toBeNull();
			// and again within the same second after an emitting poll
			const [third] = sim.addAgents([{ CreationDate: twin.CreationDate }]);
			expect((await poll('newAgent')).items.map((a) => a.AgentId)).toEqual([third.AgentId]);
			expect((await poll('newAgent')).result).toBeNull();
		});

		test('new agent: one listed late with a creation time a little before the newest (within the 60 s overlap) is emitted', async () => {
			await poll('newAgent');
			const top = Date.parse(newest().CreationDate);
			const [a] = sim.addAgents([{ CreationDate: new Date(top + 10_000).toISOString().replace('.000', '') }]);
			expect((await poll('newAgent')).items.map((x) => x.AgentId)).toEqual([a.AgentId]);
			// committed after the poll above, stamped 5 s before the agent it emitted
			const [late] = sim.addAgents([{ CreationDate: new Date(top + 5_000).toISOString().replace('.000', '') }]);
			expect((await poll('newAgent')).items.map((x) => x.AgentId)).toEqual([late.AgentId]);
			expect((await poll('newAgent')).result).toBeNull();
		});

		test('new agent: a cursor stored by the previous version ({ts, ids: ["*"]}) is migrated, not reset', async () => {
			const ts = Date.parse(newest().CreationDate);
			engine.staticData['node:Trigger'] = { 'newAgent:CreationDate:': { ts, ids: ['*'] } };
			const [later] = sim.addAgents([{ CreationDate: new Date(ts + 1000).toISOString().replace('.000', '') }]);
			const r = await poll('newAgent');
			expect(r.items.map((a) => a.AgentId)).toEqual([later.AgentId]);
			const stored = engine.staticData['node:Trigger']['newAgent:CreationDate:'];
			expect(stored.v).toBe(2);
			expect(stored.ts).toBe(ts + 1000);
			expect(stored.keys).toContain(`${later.AgentId}@${ts + 1000}`);
		});

		test('new agent: 250 new agents and deletes between the pages of one poll: each new agent emitted exactly once', async () => {
			await poll('newAgent');
			const base = Date.parse(newest().CreationDate);
			const added = sim.addAgents(Array.from({ length: 250 }, (_, i) => ({ CreationDate: new Date(base + (i + 1) * 1000).toISOString().replace('.000', '') })));
			let n = 0;
			sim.onRequest = (ctx) => {
				// the newest agents (already read) are deleted while the older pages are read
				if (ctx.path === AGENTS && ++n === 2) {
					const gone = new Set(added.slice(-20).map((a) => a.AgentId));
					sim.state.agents = sim.state.agents.filter((a) => !gone.has(a.AgentId));
				}
			};
			const r = await poll('newAgent');
			const ids = r.items.map((a) => a.AgentId);
			expect(new Set(ids).size).toBe(ids.length);
			// every new agent that still exists, oldest first; the deleted ones only if read before they went
			const kept = added.filter((a) => sim.state.agents.includes(a)).map((a) => a.AgentId);
			expect(ids.filter((id) => kept.includes(id))).toEqual(kept);
			sim.onRequest = undefined;
			expect((await poll('newAgent')).result).toBeNull();
		});

		test('new agent on a VSA that ignores $orderby: every page is read, new and same-second agents still emitted once', async () => {
			sim.ignoreOrderBy = true;
			await poll('newAgent');
			const baseline = sim.requests.filter((r) => r.path === AGENTS).length;
			expect(baseline).toBe(3); // 250 agents: every page
			const [twin] = sim.addAgents([{ CreationDate: newest().CreationDate }]);
			const [later] = sim.addAgents([{ CreationDate: '2031-01-01T00:00:00Z' }]);
			expect((await poll('newAgent')).items.map((a) => a.AgentId)).toEqual([twin.AgentId, later.AgentId]);
			expect((await poll('newAgent')).result).toBeNull();
		});

		test('new alarm: alarms closed between the pages of a poll do not come back as new on the next poll', async () => {
			await sim.stop();
			sim = createVsaSim({ agents: 20, alarms: 350 });
			await sim.start();
			engine = new Engine({ [CRED]: vsaCredential(sim) });
			expect((await poll('newAlarm')).result).toBeNull();
			let n = 0;
			let raised = [];
			sim.onRequest = (ctx) => {
				if (ctx.path === '/api/v1.0/assetmgmt/alarms/true' && ++n === 2) {
					// the 10 oldest alarms are closed, 2 new ones raised, while the poll reads its pages
					for (const a of sim.state.alarms.slice(0, 10)) a.AlarmState = 'Closed';
					raised = [sim.addAlarm(), sim.addAlarm()];
				}
			};
			const second = await poll('newAlarm');
			sim.onRequest = undefined;
			const third = await poll('newAlarm');
			const emitted = [...second.items, ...third.items].map((a) => a.AlarmId);
			expect(emitted.sort()).toEqual(raised.map((a) => a.AlarmId).sort());
			expect((await poll('newAlarm')).result).toBeNull();
		});

		test('went offline: agents coming online between the pages of a poll cause no false "went offline" on the next poll', async () => {
			await sim.stop();
			sim = createVsaSim({ agents: 1200 });
			await sim.start();
			engine = new Engine({ [CRED]: vsaCredential(sim) });
			expect((await poll('agentOffline')).result).toBeNull();
			let n = 0;
			sim.onRequest = (ctx) => {
				// 10 not-online agents among the first listed (by AgentId) come online while page 2 is read
				if (ctx.path === AGENTS && ++n === 2) {
					const first = sim.state.agents.filter((a) => a.Online === 0 || a.Online >= 198).sort((a, b) => byNumber(a.AgentId, b.AgentId));
					for (const a of first.slice(0, 10)) a.Online = 1;
				}
			};
			expect((await poll('agentOffline')).result).toBeNull();
			sim.onRequest = undefined;
			expect((await poll('agentOffline')).result).toBeNull();
		});
	});
});
