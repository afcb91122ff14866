'use strict';
/**
 * Return All / Limit while the VSA changes under the read (issue 11 A1): records inserted and deleted between
 * pages, with pages in flight. The invariant for every list: every record that existed during the WHOLE read is
 * returned, none twice, and nothing that never existed. Also the UNVERIFIED readings: a VSA that ignores $orderby,
 * an id field typed Edm.Int32 (plain-integer keyset, or no keyset at all).
 */
const { Engine } = require('./harness');
const { createVsaSim, vsaCredential, byNumber: byId } = require('./sim/vsa');

const CRED = 'kaseyaVsaApi';
const AGENTS = '/api/v1.0/assetmgmt/agents';
const ALARMS = '/api/v1.0/assetmgmt/alarms/true';
const PROCS = '/api/v1.0/automation/agentprocs';
const ORGS = '/api/v1.0/system/orgs';

/**
 * Tracks a collection while it changes: `present()` lists the ids now; `survivors` = present at the start and never
 * removed; `ever` = every id present at some time.
 */
function tracker(ids) {
	const start = new Set(ids());
	const removed = new Set();
	const ever = new Set(start);
	return {
		removed,
		ever,
		note() {
			const now = new Set(ids());
			for (const id of ever) if (!now.has(id)) removed.add(id);
			for (const id of now) ever.add(id);
		},
		survivors: () => [...start].filter((id) => !removed.has(id)),
	};
}

/** Asserts the exactness invariant on the ids a read returned. */
function expectExact(got, t) {
	const set = new Set(got);
	expect(set.size).toBe(got.length); // no duplicates
	const missing = t.survivors().filter((id) => !set.has(id));
	expect(missing).toEqual([]); // nothing that existed during the whole read is lost
	expect(got.filter((id) => !t.ever.has(id))).toEqual([]); // nothing that never existed
}

/** Runs `change(n)` on the n-th request to `path` (before it is answered). */
function onList(sim, path, change) {
	let n = 0;
	sim.onRequest = (ctx) => {
		if (ctx.path === path && ctx.method === 'GET') change(++n, ctx);
	};
}

/** Slows the answers to `path` a little, so that pages really are in flight together. */
const slow = (sim, path) => sim.faults.add({ path, delayMs: 15, passThrough: true, times: Infinity });

describe('Kaseya VSA Return All while records are inserted and deleted between pages', () => {
	let sim;
	afterEach(async () => {
		if (sim) await sim.stop();
		sim = undefined;
	});

	const run = (parameters) => new Engine({ [CRED]: vsaCredential(sim) }).runNode('kaseyaVsa', CRED, parameters);

	/** Runs the node while `change(n)` alters the collection before the n-th request to `path`; the run must succeed. */
	async function readWhileChanging(path, ids, change, parameters) {
		const t = tracker(ids);
		onList(sim, path, (n) => {
			change(n);
			t.note();
		});
		const r = await run(parameters);
		expect(r.status).toBe('success');
		return { r, t };
	}

	/** deletes `count` agents among the first `within` in id order (before the read position) and adds `add` */
	function churnAgents(count, within, add) {
		const sorted = [...sim.state.agents].sort((a, b) => byId(a.AgentId, b.AgentId));
		const victims = new Set(sorted.slice(0, within).filter((_, i) => i % Math.max(1, Math.floor(within / count)) === 0).slice(0, count).map((a) => a.AgentId));
		sim.state.agents = sim.state.agents.filter((a) => !victims.has(a.AgentId));
		if (add) sim.addAgents(add);
	}

	test('agents, 4 pages in flight: deletes before the read position and inserts between pages lose nothing, repeat nothing', async () => {
		sim = createVsaSim({ agents: 1200 });
		await sim.start();
		slow(sim, AGENTS);
		const { r, t } = await readWhileChanging(AGENTS, () => sim.state.agents.map((a) => a.AgentId), (n) => {
			// while the concurrent pages are in flight and again later: 10 deleted among the rows already read, 7 added
			if (n === 2 || n === 5 || n === 9) churnAgents(10, 100 * n, 7);
		}, { resource: 'agent', operation: 'getMany', returnAll: true });
		const got = r.items.map((a) => a.AgentId);
		expectExact(got, t);
		expect(t.removed.size).toBe(30);
		// a stable order: by AgentId unless the user sorts
		expect([...got].sort(byId)).toEqual(got);
		const lists = sim.requests.filter((q) => q.path === AGENTS);
		expect(lists.every((q) => q.query.$orderby === 'AgentId')).toBe(true);
		// the list moved: the read went on by key from the last agent it was sure of (AgentId gt …M)
		expect(lists.some((q) => /^AgentId gt \d{15}M$/.test(q.query.$filter ?? ''))).toBe(true);
	});

	test('agents with a filter and Limit: the keyset is ANDed to the filter in parentheses; exactly Limit rows', async () => {
		sim = createVsaSim({ agents: 900 });
		await sim.start();
		const { r, t } = await readWhileChanging(AGENTS, () => sim.state.agents.filter((a) => a.OSType === 'Windows').map((a) => a.AgentId), (n) => {
			if (n === 2) churnAgents(15, 200, 0);
		}, { resource: 'agent', operation: 'getMany', returnAll: false, limit: 400, options: { filter: "OSType eq 'Windows'" } });
		const got = r.items.map((a) => a.AgentId);
		expect(got).toHaveLength(400);
		expect(new Set(got).size).toBe(400);
		// the first 400 Windows agents by id: in id order, and no agent that existed all along skipped up to the last one
		expect([...got].sort(byId)).toEqual(got);
		const last = got[got.length - 1];
		const skipped = t.survivors().filter((id) => byId(id, last) <= 0 && !got.includes(id));
		expect(skipped).toEqual([]);
		expect(t.removed.size).toBeGreaterThan(0);
		const keyset = sim.requests.filter((q) => q.path === AGENTS && /AgentId gt/.test(q.query.$filter ?? ''));
		expect(keyset.length).toBeGreaterThan(0);
		expect(keyset[0].query.$filter).toMatch(/^\(OSType eq 'Windows'\) and \(AgentId gt \d{15}M\)$/);
	});

	test('agents sorted by AgentId desc (the user\'s sort): after a delete the read goes on by AgentId lt …M', async () => {
		sim = createVsaSim({ agents: 500 });
		await sim.start();
		const { r, t } = await readWhileChanging(AGENTS, () => sim.state.agents.map((a) => a.AgentId), (n) => {
			if (n === 2) {
				const newest = [...sim.state.agents].sort((a, b) => byId(b.AgentId, a.AgentId)).slice(0, 100);
				const gone = new Set(newest.filter((_, i) => i % 10 === 0).map((a) => a.AgentId));
				sim.state.agents = sim.state.agents.filter((a) => !gone.has(a.AgentId));
			}
		}, { resource: 'agent', operation: 'getMany', returnAll: true, options: { orderby: 'AgentId desc' } });
		const got = r.items.map((a) => a.AgentId);
		expectExact(got, t);
		expect([...got].sort(byId).reverse()).toEqual(got);
		const lists = sim.requests.filter((q) => q.path === AGENTS);
		expect(lists.every((q) => q.query.$orderby === 'AgentId desc')).toBe(true);
		expect(lists.some((q) => /^AgentId lt \d{15}M$/.test(q.query.$filter ?? ''))).toBe(true);
	});

	test('alarms (18-digit AlarmId): alarms closed and raised between pages', async () => {
		sim = createVsaSim({ agents: 50, alarms: 650 });
		await sim.start();
		slow(sim, ALARMS);
		const open = () => sim.state.alarms.filter((a) => a.AlarmState === 'Open').map((a) => a.AlarmId);
		const { r, t } = await readWhileChanging(ALARMS, open, (n) => {
			if (n === 2 || n === 4) {
				// close a dozen of the oldest open alarms, raise a few new ones
				for (const a of sim.state.alarms.filter((x) => x.AlarmState === 'Open').slice(0, 12)) a.AlarmState = 'Closed';
				for (let i = 0; i < 5; i++) sim.addAlarm();
			}
		}, { resource: 'alarm', operation: 'getMany', returnAll: true });
		expectExact(r.items.map((a) => a.AlarmId), t);
		expect(sim.requests.some((q) => q.path === ALARMS && /^AlarmId gt \d{18}M$/.test(q.query.$filter ?? ''))).toBe(true);
	});

	test('procedures whose id is typed Int32 (plain integer keyset after the M literal is refused)', async () => {
		const procedures = Array.from({ length: 420 }, (_, i) => ({ AgentProcedureId: String(1000 + i * 3), AgentProcedureName: `Proc ${i}` }));
		sim = createVsaSim({ agents: 5, procedures, int32Fields: ['AgentProcedureId'] });
		await sim.start();
		const { r, t } = await readWhileChanging(PROCS, () => sim.state.procedures.map((p) => p.AgentProcedureId), (n) => {
			if (n === 2) sim.state.procedures.splice(10, 20);
		}, { resource: 'agentProcedure', operation: 'getMany', returnAll: true });
		expectExact(r.items.map((p) => p.AgentProcedureId), t);
		const filters = sim.requests.filter((q) => q.path === PROCS).map((q) => q.query.$filter).filter(Boolean);
		expect(filters.some((f) => /^AgentProcedureId gt \d+M$/.test(f))).toBe(true);
		expect(filters.some((f) => /^AgentProcedureId gt \d+$/.test(f))).toBe(true);
	});

	test('organizations whose 26-digit OrgId is typed Int32: no keyset possible, the list is swept again instead', async () => {
		sim = createVsaSim({ agents: 5, int32Fields: ['OrgId'] });
		for (let i = 0; i < 330; i++) {
			sim.state.orgs.push({ OrgId: `${10n ** 25n + BigInt(i) * 7919n}`, OrgName: `Org ${i}`, OrgRef: `org${i}`, OrgType: 'Customer', ParentOrgId: null });
		}
		await sim.start();
		const { r, t } = await readWhileChanging(ORGS, () => sim.state.orgs.map((o) => o.OrgId), (n) => {
			if (n === 2) sim.state.orgs.splice(5, 8);
		}, { resource: 'organization', operation: 'getMany', returnAll: true });
		expectExact(r.items.map((o) => o.OrgId), t);
	});

	test('a VSA that ignores $orderby: the unsorted answer is noticed, no keyset is used, deletes still lose nothing', async () => {
		sim = createVsaSim({ agents: 800 });
		sim.ignoreOrderBy = true;
		await sim.start();
		const { r, t } = await readWhileChanging(AGENTS, () => sim.state.agents.map((a) => a.AgentId), (n) => {
			// the server order is the insertion order: delete from its front
			if (n === 3) sim.state.agents.splice(0, 25);
		}, { resource: 'agent', operation: 'getMany', returnAll: true });
		expectExact(r.items.map((a) => a.AgentId), t);
		expect(sim.requests.some((q) => q.path === AGENTS && /AgentId gt/.test(q.query.$filter ?? ''))).toBe(false);
	});

	test('a list that keeps moving under every read (no keyset possible) fails loudly, never a silent short list', async () => {
		sim = createVsaSim({ agents: 600 });
		sim.ignoreOrderBy = true;
		await sim.start();
		onList(sim, AGENTS, (n) => {
			if (n > 1) sim.state.agents.splice(0, 3);
		});
		const r = await run({ resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r.status).toBe('error');
		expect(r.error.message).toMatch(/changed/i);
		expect(r.error.description).toMatch(/again/i);
	});

	test("the user's sort gets the id as tie-breaker; a sort the VSA may refuse with it falls back to the user's sort alone", async () => {
		sim = createVsaSim({ agents: 300 });
		await sim.start();
		const r = await run({ resource: 'agent', operation: 'getMany', returnAll: true, options: { orderby: 'OSType desc' } });
		expect(r.status).toBe('success');
		expect(r.items).toHaveLength(300);
		const lists = sim.requests.filter((q) => q.path === AGENTS);
		expect(lists.every((q) => q.query.$orderby === 'OSType desc,AgentId')).toBe(true);
		// within one OSType the agents come by id: a stable order across pages
		const windows = r.items.filter((a) => a.OSType === 'Windows').map((a) => a.AgentId);
		expect([...windows].sort(byId)).toEqual(windows);

		// a VSA that refuses two sort keys: the read goes on with the user's sort only
		sim.resetLog();
		sim.onRequest = (ctx) => {
			if (ctx.path === AGENTS && (ctx.query.get('$orderby') ?? '').includes(',')) {
				sim.reply(ctx, 400, { Result: null, ResponseCode: 400, Status: 'Failed', Error: 'Multiple sort keys are not supported' });
				return true;
			}
			return undefined;
		};
		const again = await run({ resource: 'agent', operation: 'getMany', returnAll: true, options: { orderby: 'OSType desc' } });
		expect(again.status).toBe('success');
		expect(new Set(again.items.map((a) => a.AgentId)).size).toBe(300);
		expect(sim.requests.filter((q) => q.path === AGENTS && q.status === 400)).toHaveLength(1);
	});
});
