'use strict';
/** KACE SMA scenarios (simulator: test/sim/kace.js). */
const { KaceLimit } = require('../lib/limit-kace');
const { Engine, runChain, ourNode, httpNode, splitOutNode, floorNode, pagination } = require('../lib/n8n');

const CRED = 'kaceSmaApi';
const PASSWORD = 'S3cret-pass!';
const MACHINES = 20_000;
const ACTION_MACHINES = 5_000;
const MI_ID = 2;
const SCRIPT_ID = 3;

const engineFor = (sim) => new Engine({
	[CRED]: { baseUrl: sim.url, username: 'admin', password: PASSWORD, organization: '', apiVersion: '5', totpSecret: '', session: '' },
});
const ids = (n) => Array.from({ length: n }, (_, i) => String(i + 1));
const idItems = (n) => ids(n).map((Id) => ({ Id }));

function expectOk(r, what) {
	if (r.error) throw new Error(`${what}: ${r.error.message}`);
	return r;
}
function expectCount(n, expected, what) {
	if (n !== expected) throw new Error(`${what}: ${n} instead of ${expected}`);
	return n;
}
function uniqueIds(rows, key = 'Id') {
	return new Set(rows.map((r) => String(r[key]))).size;
}

/**
 * Logs the engine's credential in (one small read), so a memory run measures the work, not a cold session
 * (the HTTP Request node with a cold session logs in once per item: see the logins column).
 */
async function warmSession(engine) {
	expectOk(await runChain(engine, [ourNode('kaceSma', CRED, { resource: 'machine', operation: 'getMany', returnAll: false, limit: 1, filters: {}, options: {} })]), 'warm-up');
}

/* ---- Return All ---------------------------------------------------------------------------------- */

/** Return All of the machines at a given page size: Limit / Ours / Instead (HTTP Request paginated + Split Out). */
function returnAllVariants(pageSize) {
	// full records (Simplify off), as the clients it is compared with return them
	const ourParams = { resource: 'machine', operation: 'getMany', returnAll: true, filters: {}, options: pageSize ? { pageSize } : {}, simplify: false };
	const size = pageSize ?? 500;
	return {
		limit: {
			setup: (sim) => new KaceLimit(sim.url, { password: PASSWORD }),
			run: async (client) => {
				if (!client.headers) await client.login();
				return await client.allMachines(size);
			},
			check: (rows) => ({ items: expectCount(uniqueIds(rows), MACHINES, 'limit rows') }),
			teardown: (client) => client.close(),
		},
		limitNewConn: {
			setup: (sim) => new KaceLimit(sim.url, { password: PASSWORD, newConnection: true }),
			run: async (client) => {
				if (!client.headers) await client.login();
				return await client.allMachines(size);
			},
			check: (rows) => ({ items: expectCount(uniqueIds(rows), MACHINES, 'limit rows') }),
			teardown: (client) => client.close(),
		},
		ours: {
			setup: engineFor,
			run: (engine) => runChain(engine, [ourNode('kaceSma', CRED, ourParams)]),
			check: (r) => ({ items: expectCount(uniqueIds(expectOk(r, 'ours').items), MACHINES, 'ours items') }),
		},
		instead: {
			setup: engineFor,
			run: (engine, sim) => runChain(engine, [
				httpNode(CRED, {
					method: 'GET',
					url: `${sim.url}/api/inventory/machines`,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'use_count', value: 'false' }, { name: 'sorting', value: 'id' }] },
					options: pagination('paging', `=limit ${size} offset {{ $pageCount * ${size} }}`, `={{ $response.body.Machines.length < ${size} }}`),
				}),
				splitOutNode('Machines'),
			]),
			check: (r) => ({ items: expectCount(uniqueIds(expectOk(r, 'instead').items), MACHINES, 'instead items') }),
		},
	};
}

const returnAll = {
	id: 'kace-return-all',
	title: `KACE Return All ${MACHINES.toLocaleString('en')} machines`,
	sim: { kind: 'kace', options: { machines: MACHINES } },
	rounds: 7,
	variants: returnAllVariants(undefined),
	targets: (r) => [
		{ name: 'ours/limit ≤ 1.3', pass: r.ours.ms / r.limit.ms <= 1.3 },
		{ name: 'ours/instead ≤ 0.8', pass: r.ours.ms / r.instead.ms <= 0.8 },
		{ name: 'requests = limit', pass: r.ours.requests <= r.limit.requests },
		{ name: 'peak RSS ≤ 2× limit', pass: r.ours.peakMb === undefined || r.ours.peakMb <= 2 * Math.max(r.limit.peakMb, 8) },
		{ name: 'no raw buffers kept', pass: r.ours.retainedBuffersMb < 1 },
	],
};

/* ---- batch actions ------------------------------------------------------------------------------- */

const addToMachines = {
	id: 'kace-add-to-mi',
	title: `KACE add ${ACTION_MACHINES.toLocaleString('en')} machines (items) to one managed install`,
	sim: { kind: 'kace', options: { machines: ACTION_MACHINES } },
	beforeEach: (sim) => sim.probe('kaceMiTargets', MI_ID, true),
	variants: {
		limit: {
			setup: (sim) => new KaceLimit(sim.url, { password: PASSWORD }),
			run: async (client) => {
				if (!client.headers) await client.login();
				return await client.addToMachines(MI_ID, ids(ACTION_MACHINES));
			},
			check: async (_r, sim) => ({ targeted: expectCount(await sim.probe('kaceMiTargets', MI_ID, false), ACTION_MACHINES, 'targets') }),
			teardown: (client) => client.close(),
		},
		ours: {
			setup: engineFor,
			run: (engine) => runChain(engine, [ourNode('kaceSma', CRED, {
				resource: 'managedInstall', operation: 'addToMachines', managedInstallId: { __rl: true, mode: 'id', value: String(MI_ID) }, machineIds: '={{ $json.Id }}',
			})], idItems(ACTION_MACHINES)),
			check: async (r, sim) => {
				expectCount(expectOk(r, 'ours').items.length, ACTION_MACHINES, 'ours items');
				return { targeted: expectCount(await sim.probe('kaceMiTargets', MI_ID, false), ACTION_MACHINES, 'targets') };
			},
		},
		instead: {
			setup: engineFor,
			rounds: 2,
			warm: warmSession,
			run: (engine, sim) => runChain(engine, [httpNode(CRED, {
				method: 'PUT',
				url: `${sim.url}/api/managed_install/managed_installs/${MI_ID}/add_to_machines`,
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: '={ "Machines": [{{ $json.Id }}] }',
			})], idItems(ACTION_MACHINES)),
			check: async (r, sim) => {
				expectCount(expectOk(r, 'instead').items.length, ACTION_MACHINES, 'instead items');
				return { targeted: expectCount(await sim.probe('kaceMiTargets', MI_ID, false), ACTION_MACHINES, 'targets') };
			},
		},
		floor: {
			setup: engineFor,
			run: (engine) => runChain(engine, [floorNode(String(MI_ID), '={{ $json.Id }}')], idItems(ACTION_MACHINES)),
		},
	},
	targets: (r) => [{ name: '≤ 1 request per managed install', pass: r.ours.requests - r.ours.logins <= 1 }],
};

const runScript = {
	id: 'kace-script-run',
	title: `KACE run a script on ${ACTION_MACHINES.toLocaleString('en')} machines (items)`,
	sim: { kind: 'kace', options: { machines: ACTION_MACHINES } },
	beforeEach: (sim) => sim.probe('kaceScriptRuns', true),
	variants: {
		limit: {
			setup: (sim) => new KaceLimit(sim.url, { password: PASSWORD }),
			run: async (client) => {
				if (!client.headers) await client.login();
				return await client.runScript(SCRIPT_ID, ids(ACTION_MACHINES));
			},
			check: (_r, sim) => scriptRunsCheck(sim),
			teardown: (client) => client.close(),
		},
		ours: {
			setup: engineFor,
			run: (engine) => runChain(engine, [ourNode('kaceSma', CRED, {
				resource: 'script', operation: 'run', scriptId: { __rl: true, mode: 'id', value: String(SCRIPT_ID) }, target: 'ids', machineIds: '={{ $json.Id }}',
			})], idItems(ACTION_MACHINES)),
			check: (r, sim) => {
				expectCount(expectOk(r, 'ours').items.length, ACTION_MACHINES, 'ours items');
				return scriptRunsCheck(sim);
			},
		},
		instead: {
			// warm session (the cold-session login storm is shown once, in the add-to-managed-install row)
			setup: async (sim) => {
				const engine = engineFor(sim);
				await warmSession(engine);
				return engine;
			},
			rounds: 1,
			run: (engine, sim) => runChain(engine, [httpNode(CRED, {
				method: 'POST',
				url: `${sim.url}/api/script/${SCRIPT_ID}/actions/run`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'machineIDs', value: '={{ $json.Id }}' }] },
			})], idItems(ACTION_MACHINES)),
			check: (r, sim) => {
				expectCount(expectOk(r, 'instead').items.length, ACTION_MACHINES, 'instead items');
				return scriptRunsCheck(sim);
			},
		},
		floor: {
			setup: engineFor,
			run: (engine) => runChain(engine, [floorNode(String(SCRIPT_ID), '={{ $json.Id }}')], idItems(ACTION_MACHINES)),
		},
	},
	targets: (r) => [{ name: `≤ 5 requests for ${ACTION_MACHINES.toLocaleString('en')} machines`, pass: r.ours.requests - r.ours.logins <= 5 }],
};

async function scriptRunsCheck(sim) {
	const runs = await sim.probe('kaceScriptRuns', false);
	const machines = runs.reduce((n, r) => n + r.machines, 0);
	expectCount(machines, ACTION_MACHINES, 'machines in script runs');
	return { runs: runs.length };
}

/* ---- trigger polls ------------------------------------------------------------------------------- */

const KACE_EVENTS = [
	['newTicket', '/api/service_desk/tickets', 'created'],
	['ticketUpdated', '/api/service_desk/tickets', 'modified'],
	['newMachine', '/api/inventory/machines', 'created'],
	['machineChanged', '/api/inventory/machines', 'modified'],
];

const polls = KACE_EVENTS.map(([event, route, field]) => ({
	id: `kace-poll-${event}`,
	title: `KACE Trigger: poll with no changes (${event})`,
	kind: 'poll',
	memory: false,
	rounds: 2,
	sim: { kind: 'kace', options: { machines: MACHINES } },
	variants: {
		limit: {
			setup: async (sim) => new KaceLimit(sim.url, { password: PASSWORD }).login(),
			run: (client) => client.newest(route, field),
			teardown: (client) => client.close(),
		},
		ours: {
			// a logged-in engine whose trigger has taken its baseline (first poll after activation)
			setup: async (sim) => {
				const engine = engineFor(sim);
				const params = { event, options: {}, ...(event.includes('icket') ? { queueId: '' } : {}) };
				await engine.poll('kaceSmaTrigger', CRED, params);
				return { engine, params };
			},
			run: ({ engine, params }) => engine.poll('kaceSmaTrigger', CRED, params),
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
	id: 'kace-10-executions',
	title: 'KACE 10 consecutive executions (Get Many, 10 machines)',
	sim: { kind: 'kace', options: { machines: 1000 } },
	rounds: 3,
	memory: false,
	variants: {
		limit: {
			setup: (sim) => new KaceLimit(sim.url, { password: PASSWORD }),
			run: async (client) => {
				for (let i = 0; i < 10; i++) {
					if (!client.headers) await client.login();
					await client.get('/api/inventory/machines?use_count=false&sorting=id&paging=limit%2010%20offset%200');
				}
			},
			teardown: (client) => client.close(),
		},
		ours: {
			setup: engineFor,
			run: async (engine) => {
				for (let i = 0; i < 10; i++) {
					expectOk(await runChain(engine, [ourNode('kaceSma', CRED, { resource: 'machine', operation: 'getMany', returnAll: false, limit: 10, filters: {}, options: {} })]), 'ours');
				}
			},
		},
		instead: {
			setup: engineFor,
			run: async (engine, sim) => {
				for (let i = 0; i < 10; i++) {
					expectOk(await runChain(engine, [httpNode(CRED, {
						method: 'GET',
						url: `${sim.url}/api/inventory/machines`,
						sendQuery: true,
						queryParameters: { parameters: [{ name: 'use_count', value: 'false' }, { name: 'sorting', value: 'id' }, { name: 'paging', value: 'limit 10 offset 0' }] },
					})]), 'instead');
				}
			},
		},
	},
	targets: (r) => [{ name: '1 login in 10 executions', pass: r.ours.logins === 1 }],
};

/* ---- page-size sweep (informs DEFAULT_PAGE_SIZE) ------------------------------------------------ */

const SWEEP_SIZES = [250, 500, 1000, 2000, 5000];
const sweep = SWEEP_SIZES.map((size) => ({
	id: `kace-sweep-${size}`,
	title: `KACE Return All ${MACHINES.toLocaleString('en')}, page size ${size}`,
	group: 'sweep',
	pageSize: size,
	sim: { kind: 'kace', options: { machines: MACHINES } },
	rounds: 3,
	variants: { limit: returnAllVariants(size).limit, limitNewConn: returnAllVariants(size).limitNewConn, ours: returnAllVariants(size).ours },
}));

/* ---- the same Return All through the real n8n CLI (bench/cli.mjs: n8n 2.41.1, `n8n execute --id`) --------- */

let formatCli;
const cli = {
	id: 'kace-cli',
	title: "Return All (KACE, VSA, SPS Full Record) through the real n8n CLI (`n8n execute`)",
	run: async () => {
		const m = await import('../cli.mjs');
		formatCli = m.formatCli;
		return await m.benchCli({ log: (line) => process.stdout.write(`\n    ${line}`) });
	},
	format: (out, mode) => formatCli(out, mode),
};

module.exports = { scenarios: [returnAll, addToMachines, runScript, ...polls, consecutive], sweep, extra: [cli], MACHINES };
