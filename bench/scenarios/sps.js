'use strict';
/** One Identity SPS scenarios (simulator: test/sim/sps.js over HTTPS with its own CA, as SPS is HTTPS-only). */
const { SpsLimit } = require('../lib/limit-others');
const { overlapPages } = require('../lib/measure');
const { Engine, runChain, ourNode, httpNode, splitOutNode, pagination } = require('../lib/n8n');

const CRED = 'safeguardSpsApi';
const SESSIONS = 2_000;
const FIELDS = 'protocol,user.name,recording.session_id,client.ip,start_time';
const CONCURRENCY = 8; // the node's default (Options > Concurrency)

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

// full records (Simplify off), as the clients it is compared with return them
const search = (sessionData, extra = {}) => ({ resource: 'auditSession', operation: 'search', query: '', sessionData, returnAll: true, simplify: false, ...extra });

/** Full records: search (4 pages of 500) + one GET per session. */
function fullVariants(concurrency) {
	return {
		limit: {
			setup: (sim) => new SpsLimit(sim.credential),
			run: async (client) => {
				if (!client.headers) await client.login();
				return await client.searchFull(concurrency);
			},
			check: (rows) => ({ items: expectCount(unique(rows, 'key'), SESSIONS, 'limit rows') }),
			teardown: (client) => client.close(),
		},
		limitNewConn: {
			setup: (sim) => new SpsLimit(sim.credential, { newConnection: true }),
			run: async (client) => {
				if (!client.headers) await client.login();
				return await client.searchFull(concurrency);
			},
			check: (rows) => ({ items: expectCount(unique(rows, 'key'), SESSIONS, 'limit rows') }),
			teardown: (client) => client.close(),
		},
		ours: {
			setup: engineFor,
			run: (engine) => runChain(engine, [ourNode('safeguardSps', CRED, search('full', { options: { concurrency } }))]),
			check: (r) => {
				const items = expectOk(r, 'ours').items;
				if (!items[0].recording) throw new Error('ours: no session body');
				return { items: expectCount(unique(items, 'key'), SESSIONS, 'ours items') };
			},
		},
		instead: {
			setup: engineFor,
			// list (paginated) → Split Out → one GET per session (HTTP Request sends all items' requests at once)
			run: (engine, sim) => runChain(engine, [
				httpNode(CRED, {
					method: 'GET',
					url: `${sim.url}/api/audit/sessions`,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'limit', value: '500' }] },
					options: pagination('offset', '={{ $pageCount * 500 }}', '={{ $response.body.items.length < 500 }}'),
				}, 'Search'),
				splitOutNode('items'),
				httpNode(CRED, { method: 'GET', url: `=${sim.url}{{ $json.meta.href }}` }, 'Get Session'),
			]),
			check: (r) => ({ items: expectCount(unique(expectOk(r, 'instead').items, 'key'), SESSIONS, 'instead items') }),
		},
	};
}

const full = {
	id: 'sps-search-full',
	title: `SPS search returning ${SESSIONS.toLocaleString('en')} sessions with bodies (Full Record, HTTP)`,
	sim: { kind: 'sps', options: { sessions: SESSIONS, tls: false } },
	rounds: 2,
	variants: fullVariants(CONCURRENCY),
	targets: (r) => [
		{ name: 'ours/limit ≤ 1.3', pass: r.ours.ms / r.limit.ms <= 1.3 },
		{ name: 'ours/instead ≤ 0.8', pass: r.ours.ms / r.instead.ms <= 0.8 },
		{ name: `requests ≤ limit + ${overlapPages(SESSIONS, 500)} (exact-read overlap)`, pass: r.ours.requests <= r.limit.requests + overlapPages(SESSIONS, 500) },
	],
};

/** The same over HTTPS (SPS is HTTPS-only): n8n opens a new connection, i.e. a full TLS handshake, per request. */
const fullTls = {
	id: 'sps-search-full-https',
	title: `SPS search returning ${SESSIONS.toLocaleString('en')} sessions with bodies (Full Record, HTTPS)`,
	sim: { kind: 'sps', options: { sessions: SESSIONS } },
	rounds: 1,
	memory: false,
	variants: (({ limit, limitNewConn, ours }) => ({ limit, limitNewConn, ours }))(fullVariants(CONCURRENCY)),
	targets: (r) => [
		{ name: 'ours/limit ≤ 1.3', pass: r.ours.ms / r.limit.ms <= 1.3 },
		{ name: `requests ≤ limit + ${overlapPages(SESSIONS, 500)} (exact-read overlap)`, pass: r.ours.requests <= r.limit.requests + overlapPages(SESSIONS, 500) },
	],
};

const fields = {
	id: 'sps-search-fields',
	title: `SPS search returning ${SESSIONS.toLocaleString('en')} sessions with bodies (Selected Fields, HTTPS)`,
	sim: { kind: 'sps', options: { sessions: SESSIONS } },
	rounds: 5,
	variants: {
		limit: {
			setup: (sim) => new SpsLimit(sim.credential),
			run: async (client) => {
				if (!client.headers) await client.login();
				return await client.search(FIELDS);
			},
			check: (rows) => ({ items: expectCount(unique(rows, 'key'), SESSIONS, 'limit rows') }),
			teardown: (client) => client.close(),
		},
		ours: {
			setup: engineFor,
			run: (engine) => runChain(engine, [ourNode('safeguardSps', CRED, search('fields', { fields: FIELDS }))]),
			check: (r) => ({ items: expectCount(unique(expectOk(r, 'ours').items, 'key'), SESSIONS, 'ours items') }),
		},
		instead: {
			setup: engineFor,
			run: (engine, sim) => runChain(engine, [
				httpNode(CRED, {
					method: 'GET',
					url: `${sim.url}/api/audit/sessions`,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'limit', value: '500' }, { name: 'fields', value: FIELDS }] },
					options: pagination('offset', '={{ $pageCount * 500 }}', '={{ $response.body.items.length < 500 }}'),
				}),
				splitOutNode('items'),
			]),
			check: (r) => ({ items: expectCount(unique(expectOk(r, 'instead').items, 'key'), SESSIONS, 'instead items') }),
		},
	},
	targets: full.targets,
};

/* ---- trigger polls ------------------------------------------------------------------------------- */

const POLLS = [
	['newSession', { event: 'newSession', query: '', sessionData: 'full', options: { overlapMinutes: 10 } }, (c) => c.get('/api/audit/sessions?limit=500&offset=0')],
	['newAlert', { event: 'newAlert', query: '', lookbackMinutes: 60, options: { overlapMinutes: 10, concurrency: 4 } }, (c) => c.get('/api/audit/sessions?limit=500&offset=0')],
	['healthThreshold', { event: 'healthThreshold', metrics: ['cpu', 'disk', 'memory'], thresholdPercent: 90, options: {} }, (c) => c.get('/api/health_status')],
];

const polls = POLLS.map(([event, params, raw]) => ({
	id: `sps-poll-${event}`,
	title: `SPS Trigger: poll with no changes (${event}, ${SESSIONS.toLocaleString('en')} sessions)`,
	memory: false,
	rounds: 2,
	sim: { kind: 'sps', options: { sessions: SESSIONS } },
	variants: {
		limit: {
			setup: async (sim) => new SpsLimit(sim.credential).login(),
			run: (client) => raw(client),
			teardown: (client) => client.close(),
		},
		ours: {
			setup: async (sim) => {
				const engine = engineFor(sim);
				await engine.poll('safeguardSpsTrigger', CRED, params);
				return engine;
			},
			run: (engine) => engine.poll('safeguardSpsTrigger', CRED, params),
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
	id: 'sps-10-executions',
	title: 'SPS 10 consecutive executions (search, 10 sessions)',
	sim: { kind: 'sps', options: { sessions: 100 } },
	rounds: 3,
	memory: false,
	variants: {
		limit: {
			setup: (sim) => new SpsLimit(sim.credential),
			run: async (client) => {
				for (let i = 0; i < 10; i++) {
					if (!client.headers) await client.login();
					await client.get('/api/audit/sessions?limit=10&offset=0');
				}
			},
			teardown: (client) => client.close(),
		},
		ours: {
			setup: engineFor,
			run: async (engine) => {
				for (let i = 0; i < 10; i++) {
					expectOk(await runChain(engine, [ourNode('safeguardSps', CRED, { ...search('key'), returnAll: false, limit: 10 })]), 'ours');
				}
			},
		},
		instead: {
			setup: engineFor,
			run: async (engine, sim) => {
				for (let i = 0; i < 10; i++) {
					expectOk(await runChain(engine, [httpNode(CRED, {
						method: 'GET',
						url: `${sim.url}/api/audit/sessions`,
						sendQuery: true,
						queryParameters: { parameters: [{ name: 'limit', value: '10' }] },
					})]), 'instead');
				}
			},
		},
	},
	targets: (r) => [{ name: '1 login in 10 executions', pass: r.ours.logins === 1 }],
};

/* ---- concurrency sweep for Full Record (informs the default of Options > Concurrency) ------------- */

const sweep = [2, 4, 8, 16].map((c) => ({
	id: `sps-sweep-${c}`,
	title: `SPS Full Record ${SESSIONS.toLocaleString('en')} sessions over HTTP, concurrency ${c}`,
	group: 'sweep',
	pageSize: `concurrency ${c}`,
	sim: { kind: 'sps', options: { sessions: SESSIONS, tls: false } },
	rounds: 1,
	memory: false,
	variants: { limit: fullVariants(c).limit, limitNewConn: fullVariants(c).limitNewConn, ours: fullVariants(c).ours },
}));

module.exports = { scenarios: [full, fullTls, fields, ...polls, consecutive], sweep };
