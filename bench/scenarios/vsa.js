'use strict';
/** Kaseya VSA scenarios (simulator: test/sim/vsa.js, $top capped at 100). */
const { VsaLimit } = require('../lib/limit-others');
const { overlapPages } = require('../lib/measure');
const { Engine, runChain, ourNode, httpNode, splitOutNode, pagination } = require('../lib/n8n');

const CRED = 'kaseyaVsaApi';
const AGENTS = 5_000;

const engineFor = (sim) => new Engine({ [CRED]: { ...sim.credential, session: '' } });

function expectOk(r, what) {
	if (r.error) throw new Error(`${what}: ${r.error.message}`);
	return r;
}
function expectCount(n, expected, what) {
	if (n !== expected) throw new Error(`${what}: ${n} instead of ${expected}`);
	return n;
}
const unique = (rows, key) => new Set(rows.map((r) => String(r[key]))).size;

const returnAll = {
	id: 'vsa-return-all',
	title: `VSA Return All ${AGENTS.toLocaleString('en')} agents ($top=100 cap)`,
	sim: { kind: 'vsa', options: { agents: AGENTS } },
	rounds: 5,
	variants: {
		limit: {
			setup: (sim) => new VsaLimit(sim.credential),
			run: async (client) => {
				if (!client.headers) await client.login();
				return await client.list('/assetmgmt/agents');
			},
			// plain JSON.parse: the 15-digit AgentIds survive, the 26-digit OrgIds do not (the node parses losslessly)
			check: (rows) => ({ items: expectCount(unique(rows, 'AgentId'), AGENTS, 'limit rows') }),
			teardown: (client) => client.close(),
		},
		limitNewConn: {
			setup: (sim) => new VsaLimit(sim.credential, { newConnection: true }),
			run: async (client) => {
				if (!client.headers) await client.login();
				return await client.list('/assetmgmt/agents');
			},
			check: (rows) => ({ items: expectCount(unique(rows, 'AgentId'), AGENTS, 'limit rows') }),
			teardown: (client) => client.close(),
		},
		ours: {
			setup: engineFor,
			run: (engine) => runChain(engine, [ourNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: true, simplify: false })]),
			check: (r) => ({ items: expectCount(unique(expectOk(r, 'ours').items, 'AgentId'), AGENTS, 'ours items') }),
		},
		instead: {
			setup: engineFor,
			run: (engine, sim) => runChain(engine, [
				httpNode(CRED, {
					method: 'GET',
					url: `${sim.url}/api/v1.0/assetmgmt/agents`,
					sendQuery: true,
					queryParameters: { parameters: [{ name: '$top', value: '100' }] },
					options: pagination('$skip', '={{ $pageCount * 100 }}', '={{ $response.body.Result.length < 100 }}'),
				}),
				splitOutNode('Result'),
			]),
			check: (r) => ({ items: expectCount(unique(expectOk(r, 'instead').items, 'AgentId'), AGENTS, 'instead items') }),
		},
	},
	targets: (r) => [
		{ name: 'ours/limit ≤ 1.3', pass: r.ours.ms / r.limit.ms <= 1.3 },
		{ name: 'ours/instead ≤ 0.8', pass: r.ours.ms / r.instead.ms <= 0.8 },
		{ name: `requests ≤ limit + ${overlapPages(AGENTS, 100)} (exact-read overlap)`, pass: r.ours.requests <= r.limit.requests + overlapPages(AGENTS, 100) },
	],
};

/* ---- trigger polls ------------------------------------------------------------------------------- */

const EVENTS = [
	// [event, what the minimal raw client asks for the same check]
	['newAgent', (c) => c.get('/assetmgmt/agents?$top=1&$skip=0&$orderby=CreationDate%20desc')],
	['newAlarm', (c) => c.list('/assetmgmt/alarms/true')],
	['agentOnline', (c) => c.list('/assetmgmt/agents')],
	['agentOffline', (c) => c.list('/assetmgmt/agents')],
];

const polls = EVENTS.map(([event, raw]) => ({
	id: `vsa-poll-${event}`,
	title: `VSA Trigger: poll with no changes (${event}, ${AGENTS.toLocaleString('en')} agents)`,
	memory: false,
	rounds: 2,
	sim: { kind: 'vsa', options: { agents: AGENTS } },
	variants: {
		limit: {
			setup: async (sim) => new VsaLimit(sim.credential).login(),
			run: (client) => raw(client),
			teardown: (client) => client.close(),
		},
		ours: {
			setup: async (sim) => {
				const engine = engineFor(sim);
				const params = { event, options: {} };
				await engine.poll('kaseyaVsaTrigger', CRED, params);
				return { engine, params };
			},
			run: ({ engine, params }) => engine.poll('kaseyaVsaTrigger', CRED, params),
			check: ({ result, items }) => {
				if (result !== null) throw new Error(`a poll with no changes emitted ${items.length} items`);
				return { items: items.length };
			},
		},
	},
	targets: (r) => [{ name: '≤ 2 requests, no items', pass: r.ours.requests <= 2 && r.ours.summary?.items === 0 }],
}));

/* ---- persisted session ------------------------------------------------------------------------- */

const consecutive = {
	id: 'vsa-10-executions',
	title: 'VSA 10 consecutive executions (Get Many, 10 agents)',
	sim: { kind: 'vsa', options: { agents: 200 } },
	rounds: 3,
	memory: false,
	variants: {
		limit: {
			setup: (sim) => new VsaLimit(sim.credential),
			run: async (client) => {
				for (let i = 0; i < 10; i++) {
					if (!client.headers) await client.login();
					await client.get('/assetmgmt/agents?$top=10&$skip=0');
				}
			},
			teardown: (client) => client.close(),
		},
		ours: {
			setup: engineFor,
			run: async (engine) => {
				for (let i = 0; i < 10; i++) {
					expectOk(await runChain(engine, [ourNode('kaseyaVsa', CRED, { resource: 'agent', operation: 'getMany', returnAll: false, limit: 10 })]), 'ours');
				}
			},
		},
		instead: {
			setup: engineFor,
			run: async (engine, sim) => {
				for (let i = 0; i < 10; i++) {
					expectOk(await runChain(engine, [httpNode(CRED, {
						method: 'GET',
						url: `${sim.url}/api/v1.0/assetmgmt/agents`,
						sendQuery: true,
						queryParameters: { parameters: [{ name: '$top', value: '10' }] },
					})]), 'instead');
				}
			},
		},
	},
	targets: (r) => [{ name: '1 login in 10 executions', pass: r.ours.logins === 1 }],
};

module.exports = { scenarios: [returnAll, ...polls, consecutive] };
