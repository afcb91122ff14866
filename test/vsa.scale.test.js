'use strict';
/**
 * Request counts at scale (for the README): Return All of 5,000 agents, Run Now on 500 agents, Run and Wait on
 * 500 agents. The counts are exact: they are what the VSA sees.
 */
const { Engine } = require('./harness');
const { createVsaSim, vsaCredential, byId } = require('./sim/vsa');

const CRED = 'kaseyaVsaApi';

describe('Kaseya VSA request counts', () => {
	let sim;
	afterEach(async () => {
		if (sim) await sim.stop();
	});

	test('Return All of 5,000 agents = 1 login + 50 pages', async () => {
		sim = createVsaSim({ agents: 5000 });
		await sim.start();
		const engine = new Engine({ [CRED]: vsaCredential(sim) });
		const r = await engine.runNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true });
		expect(r.status).toBe('success');
		expect(r.items).toHaveLength(5000);
		expect(new Set(r.items.map((a) => a.AgentId)).size).toBe(5000);
		const logins = sim.count('/api/v1.0/auth');
		const pages = sim.count('/api/v1.0/assetmgmt/agents');
		console.log(`VSA Return All 5,000 agents: ${sim.requests.length} requests (${logins} login + ${pages} pages of 100)`);
		expect(logins).toBe(1);
		expect(pages).toBe(50);
		expect(sim.requests).toHaveLength(51);
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
