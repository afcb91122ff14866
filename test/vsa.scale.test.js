'use strict';
/**
 * Request counts at scale (for the README): Return All of 5,000 agents, Run Now on 500 agents, Run and Wait on
 * 500 agents. The counts are exact: they are what the VSA sees. Also the concurrent paging of vsaList: order,
 * Limit, a failing page, no TotalRecords, a collection that shrinks while it is read.
 *
 * Every page after the first starts one row before the end of the previous one (the overlap row that proves the
 * list did not move, shared/paging.ts): n records take 1 + ceil((n − 100) / 99) pages.
 */

/** The $skip of every page of an unchanged list of n records read with the overlap row. */
const overlapSkips = (n) => [0, ...Array.from({ length: Math.ceil((n - 100) / 99) }, (_, i) => 99 * (i + 1))];
const sortedIds = (sim) => sim.state.agents.map((a) => a.AgentId).sort(byNumber);
const path = require('node:path');
const { Engine, assertNoSecrets } = require('./harness');
const { createVsaSim, vsaCredential, byId, byNumber } = require('./sim/vsa');

const { PAGE_CONCURRENCY } = require(path.join(__dirname, '..', 'dist', 'nodes', 'KaseyaVsa', 'transport', 'list.js'));

const CRED = 'kaseyaVsaApi';
const AGENTS = '/api/v1.0/assetmgmt/agents';
const PAT = '00000000-0000-0000-0000-000000000000';

/**
 * Slows every agent list answer down (20 ms) and records how many list requests the simulator holds at once:
 * `first` when the first one arrived, `max` over the run.
 */
function trackInFlight(sim) {
	const stats = { first: undefined, max: 0 };
	sim.faults.add({ path: AGENTS, delayMs: 20, passThrough: true, times: Infinity });
	sim.onRequest = (ctx) => {
		if (ctx.path !== AGENTS) return;
		const open = sim.requests.filter((q) => q.path === AGENTS && q.status === undefined).length;
		if (stats.first === undefined) stats.first = open;
		stats.max = Math.max(stats.max, open);
	};
	return stats;
}

describe('Kaseya VSA request counts', () => {
	let sim;
	afterEach(async () => {
		if (sim) await sim.stop();
	});

	test('Return All of 5,000 agents = 1 login + 51 pages, PAGE_CONCURRENCY in flight, every agent once and in id order', async () => {
		sim = createVsaSim({ agents: 5000 });
		await sim.start();
		const engine = new Engine({ [CRED]: vsaCredential(sim) });
		const inFlight = trackInFlight(sim);
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r.status).toBe('success');
		expect(r.items.map((a) => a.AgentId)).toEqual(sortedIds(sim));
		const logins = sim.count('/api/v1.0/auth');
		const pages = sim.requests.filter((q) => q.path === AGENTS);
		console.log(`VSA Return All 5,000 agents: ${sim.requests.length} requests (${logins} login + ${pages.length} pages of 100, up to ${inFlight.max} in flight)`);
		expect(logins).toBe(1);
		expect(pages.map((q) => Number(q.query.$skip)).sort((a, b) => a - b)).toEqual(overlapSkips(5000));
		// the last page asks for the 50 rows left, the overlap row and one more (a list that grew shows there)
		expect(pages.slice(0, -1).every((q) => q.query.$top === '100')).toBe(true);
		expect(pages.find((q) => q.query.$skip === '4950').query.$top).toBe('51');
		expect(sim.requests).toHaveLength(52);
		// the first page alone (it reports TotalRecords), then PAGE_CONCURRENCY at a time, never more
		expect(pages[0].query.$skip).toBe('0');
		expect(inFlight.first).toBe(1);
		expect(inFlight.max).toBe(PAGE_CONCURRENCY);
		// n8n reads (database + decryption) the credential once for the execution, not once per request
		expect(engine.credentialReads(CRED)).toBe(1);
		// the next execution reuses the stored token: no login, one credential read again
		const again = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: false, limit: 300 });
		expect(again.items).toHaveLength(300);
		expect(sim.count('/api/v1.0/auth')).toBe(1);
		expect(engine.credentialReads(CRED)).toBe(2);
	});

	test('Return All of 2,345 agents: 24 pages + 1 login, every agent exactly once, in id order', async () => {
		sim = createVsaSim({ agents: 2345 });
		await sim.start();
		const engine = new Engine({ [CRED]: vsaCredential(sim) });
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r.status).toBe('success');
		expect(r.items.map((a) => a.AgentId)).toEqual(sortedIds(sim));
		expect(sim.count('/api/v1.0/auth')).toBe(1);
		expect(sim.requests.filter((q) => q.path === AGENTS).map((q) => Number(q.query.$skip)).sort((a, b) => a - b)).toEqual(overlapSkips(2345));
		expect(sim.count(AGENTS)).toBe(24);
		expect(sim.requests).toHaveLength(25);
		const last = sim.requests.find((q) => q.query.$skip === '2277');
		expect(last.query.$top).toBe('69');
	});

	test('Limit 250 = 3 page requests ($top 100, 100, 53), the first 250 agents in id order', async () => {
		sim = createVsaSim({ agents: 1000 });
		await sim.start();
		const engine = new Engine({ [CRED]: vsaCredential(sim) });
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: false, limit: 250 });
		expect(r.status).toBe('success');
		expect(r.items.map((a) => a.AgentId)).toEqual(sortedIds(sim).slice(0, 250));
		const pages = sim.requests.filter((q) => q.path === AGENTS).map((q) => `${q.query.$top}/${q.query.$skip}`);
		expect(pages.sort()).toEqual(['100/0', '100/99', '53/198']);
	});

	test('a page failing mid-way: one clear NodeApiError without secrets, and no page is started after it', async () => {
		sim = createVsaSim({ agents: 5000 });
		await sim.start();
		const engine = new Engine({ [CRED]: vsaCredential(sim) });
		// the 10th list request is refused like a bad query (HTTP 400 is not retried); pages are slowed down a little
		// so that the workers are demonstrably still busy when it fails
		sim.faults.add({ path: AGENTS, nth: 10, status: 400, body: { Result: null, ResponseCode: 400, Status: 'Failed', Error: 'Simulated page failure' } });
		sim.faults.add({ path: AGENTS, delayMs: 15, passThrough: true, times: Infinity });
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r.status).toBe('error');
		expect(r.error.name).toBe('NodeApiError');
		expect(r.error.message).toBe('Kaseya VSA answered HTTP 400 to get many agents: "Simulated page failure"');
		const tokens = [...sim.state.tokens.keys()];
		assertNoSecrets([PAT, 'P@ssw0rd', ...tokens], r.error, r.run.data.resultData);
		const pages = sim.requests.filter((q) => q.path === AGENTS);
		const failed = pages.findIndex((q) => q.status === 400);
		expect(failed).toBe(9);
		// only the pages already in flight when the 10th failed were answered; none was launched afterwards
		expect(pages.length).toBeLessThanOrEqual(10 + PAGE_CONCURRENCY - 1);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(sim.requests.filter((q) => q.path === AGENTS)).toHaveLength(pages.length);
	});

	test('no TotalRecords: pages are read one at a time until a short page, still complete and in order', async () => {
		sim = createVsaSim({ agents: 1050 });
		sim.reportTotalRecords = false;
		await sim.start();
		const engine = new Engine({ [CRED]: vsaCredential(sim) });
		const inFlight = trackInFlight(sim);
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r.status).toBe('success');
		expect(r.items.map((a) => a.AgentId)).toEqual(sortedIds(sim));
		const pages = sim.requests.filter((q) => q.path === AGENTS);
		expect(pages.map((q) => Number(q.query.$skip))).toEqual(overlapSkips(1050));
		expect(inFlight.max).toBe(1);
	});

	test('the collection shrinks while pages are read concurrently: the read goes on by AgentId from the last agent it is sure of', async () => {
		sim = createVsaSim({ agents: 1000 });
		await sim.start();
		const engine = new Engine({ [CRED]: vsaCredential(sim) });
		const before = sim.state.agents.map((a) => a.AgentId);
		let n = 0;
		sim.onRequest = (ctx) => {
			// 150 agents deleted as the first concurrent page arrives
			if (ctx.path === AGENTS && ++n === 2) sim.state.agents.splice(850);
		};
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r.status).toBe('success');
		const got = r.items.map((a) => a.AgentId);
		// every remaining agent once, in id order; deleted ones only if read before they were deleted (the first page)
		expect(new Set(got).size).toBe(got.length);
		expect(got.filter((id) => sim.state.agents.some((a) => a.AgentId === id))).toEqual(sortedIds(sim));
		const firstPage = before.slice().sort(byNumber).slice(0, 100);
		expect(got.filter((id) => !sim.state.agents.some((a) => a.AgentId === id)).every((id) => firstPage.includes(id))).toBe(true);
		const lists = sim.requests.filter((q) => q.path === AGENTS);
		expect(lists.some((q) => /^AgentId gt \d{15}M$/.test(q.query.$filter ?? ''))).toBe(true);
		console.log(`VSA Return All of 1,000 agents shrinking to 850 during the read: ${lists.length} list requests`);
	});

	test('Run Now on 500 agents = 1 login + 500 PUT …/runnow (one per agent, concurrency 8)', async () => {
		sim = createVsaSim({ agents: 500 });
		await sim.start();
		const engine = new Engine({ [CRED]: vsaCredential(sim) });
		const proc = sim.procedure('Install Patch');
		const r = await engine.runNode(
			'kaseyaVsa',
			CRED,
			{
				resource: 'agentProcedure',
				operation: 'runNow',
				agentId: { __rl: true, mode: 'id', value: '={{ $json.AgentId }}' },
				procedureId: byId(proc.AgentProcedureId),
			},
			{ input: sim.state.agents.map((a) => ({ AgentId: a.AgentId })) },
		);
		expect(r.status).toBe('success');
		expect(r.items).toHaveLength(500);
		const puts = sim.requests.filter((q) => q.method === 'PUT').length;
		console.log(`VSA Run Now on 500 agents: ${sim.requests.length} requests (${sim.count('/api/v1.0/auth')} login + ${puts} runnow)`);
		expect(sim.count('/api/v1.0/auth')).toBe(1);
		expect(puts).toBe(500);
		expect(sim.requests).toHaveLength(501);
	});

	test('Run and Wait on 500 agents (all finished at the first check) = 1 login + 1 name lookup + 500 runs + 500 scheduled + 500 history', async () => {
		sim = createVsaSim({ agents: 500, durationMs: 20 });
		for (const a of sim.state.agents) a.Online = 1;
		await sim.start();
		const engine = new Engine({ [CRED]: vsaCredential(sim) });
		const proc = sim.procedure('Install Patch');
		const r = await engine.runNode(
			'kaseyaVsa',
			CRED,
			{
				resource: 'agentProcedure',
				operation: 'runAndWait',
				agentId: { __rl: true, mode: 'id', value: '={{ $json.AgentId }}' },
				procedureId: byId(proc.AgentProcedureId),
				options: { pollInterval: 0.5, timeout: 60, concurrency: 16 },
			},
			{ input: sim.state.agents.map((a) => ({ AgentId: a.AgentId })) },
		);
		expect(r.status).toBe('success');
		expect(r.items).toHaveLength(500);
		expect(r.items.every((i) => i.finished && i.success)).toBe(true);
		const counts = {
			login: sim.count('/api/v1.0/auth'),
			lookup: sim.requests.filter((q) => q.path === '/api/v1.0/automation/agentprocs').length,
			run: sim.requests.filter((q) => q.method === 'PUT').length,
			scheduled: sim.count(/\/scheduledprocs$/),
			history: sim.count(/\/history$/),
		};
		console.log(`VSA Run and Wait on 500 agents: ${sim.requests.length} requests ${JSON.stringify(counts)}`);
		expect(counts).toEqual({ login: 1, lookup: 1, run: 500, scheduled: 500, history: 500 });
		expect(sim.requests).toHaveLength(1502);
	});
});
