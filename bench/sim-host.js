'use strict';
/**
 * Child process that hosts ONE appliance simulator for the benchmark (bench/run.js forks it).
 *
 * Why a separate process: the simulator stands for a remote appliance. In its own process it has its own CPU
 * core and heap, so the client side (Limit / Ours / Instead) is timed and its peak RSS measured without the
 * simulator's work and data in the same process.
 *
 * IPC protocol (parent → child, one reply per message with the same id):
 *   {id, cmd: 'start', kind: 'kace'|'vsa'|'sps', options}  → {url, credential?}
 *   {id, cmd: 'stats'}   → {total, logins, byRoute: {'GET /path': n}, statuses: {code: n}, cpuMs}
 *   {id, cmd: 'timeline'} → [{path, at, answeredAt}] of the logged requests (arrival and answer times, ms)
 *   {id, cmd: 'reset'}   → clears the request log
 *   {id, cmd: 'latency', ms}  → every request waits `ms` before it is answered (0 = off)
 *   {id, cmd: 'call', method, args} → sim[method](...args) (JSON result)
 *   {id, cmd: 'probe', name, args}  → a named read of the simulator state (see PROBES)
 *   {id, cmd: 'stop'}
 */
const path = require('node:path');

const SIM = path.join(__dirname, '..', 'test', 'sim');

let sim;
let kind;
let loginRoute = () => false;
let cpuAtReset = process.cpuUsage();

/** Normalises a request path for the per-route counts (numeric ids and long keys → :id). */
function routeKey(entry) {
	const p = entry.path.replace(/\/(\d+|[A-Za-z0-9_-]{16,})(?=\/|$)/g, '/:id');
	return `${entry.method} ${p}`;
}

const PROBES = {
	/** KACE: how many machines a managed install targets; `clear` empties the list (between timed runs). */
	kaceMiTargets(id, clear) {
		const mi = sim.state.managedInstalls.find((m) => Number(m.id) === Number(id));
		const n = mi.targets.length;
		if (clear) {
			mi.targets = [];
			sim.invalidate();
		}
		return n;
	},
	/** KACE: machines of the script runs started since the last reset of the run list; `clear` forgets the runs. */
	kaceScriptRuns(clear) {
		const runs = sim.state.scriptRuns.map((r) => ({ id: r.id, scriptId: r.scriptId, machines: r.machineIds.length }));
		if (clear) sim.state.scriptRuns.length = 0;
		return runs;
	},
	kaceLiveSessions() {
		return sim.liveSessions().length;
	},
};

async function start(k, options = {}) {
	kind = k;
	if (k === 'kace') {
		const { createKaceSim } = require(path.join(SIM, 'kace.js'));
		sim = createKaceSim(options);
		await sim.start();
		loginRoute = (e) => e.path === '/ams/shared/api/security/login';
		return { url: sim.url };
	}
	if (k === 'vsa') {
		const { createVsaSim, vsaCredential } = require(path.join(SIM, 'vsa.js'));
		sim = createVsaSim(options);
		await sim.start();
		loginRoute = (e) => /^\/api\/v1\.0\/auth$/i.test(e.path);
		return { url: sim.url, credential: vsaCredential(sim) };
	}
	if (k === 'sps') {
		const { createSpsSim } = require(path.join(SIM, 'sps.js'));
		const { makePki } = require(path.join(SIM, 'certs.js'));
		const pki = await makePki();
		const { tls = true, ...rest } = options;
		sim = createSpsSim({
			users: [{ username: 'admin', password: 'Admin-Passw0rd!', loginMethod: 'local' }],
			// tls: false → plain HTTP (like test/sps.audit.test.js does for its 2,000-request counts)
			tls: tls ? { key: pki.serverKeyPem, cert: pki.serverCertPem, ca: [pki.caPem], requestCert: true, rejectUnauthorized: false } : undefined,
			...rest,
		});
		await sim.start();
		loginRoute = (e) => e.path === '/api/authentication';
		return {
			url: sim.url,
			caPem: pki.caPem,
			credential: {
				baseUrl: sim.url, caCertificate: pki.caPem, allowUnauthorizedCerts: false, session: '',
				authType: 'password', username: 'admin', password: 'Admin-Passw0rd!', loginMethod: '',
			},
		};
	}
	throw new Error(`unknown simulator kind ${k}`);
}

function stats() {
	const byRoute = {};
	const statuses = {};
	let logins = 0;
	for (const e of sim.requests) {
		const key = routeKey(e);
		byRoute[key] = (byRoute[key] ?? 0) + 1;
		statuses[e.status] = (statuses[e.status] ?? 0) + 1;
		if (loginRoute(e)) logins++;
	}
	const cpu = process.cpuUsage(cpuAtReset);
	return { total: sim.requests.length, logins, byRoute, statuses, cpuMs: (cpu.user + cpu.system) / 1000 };
}

let latencyRule;
function setLatency(ms) {
	if (latencyRule) {
		const i = sim.faults.rules.indexOf(latencyRule);
		if (i >= 0) sim.faults.rules.splice(i, 1);
		latencyRule = undefined;
	}
	if (ms > 0) {
		sim.faults.add({ path: /./, delayMs: ms, passThrough: true, times: Number.MAX_SAFE_INTEGER });
		latencyRule = sim.faults.rules[sim.faults.rules.length - 1];
	}
}

process.on('message', async (msg) => {
	const { id, cmd } = msg;
	try {
		let result;
		switch (cmd) {
			case 'start': result = await start(msg.kind, msg.options); break;
			case 'stats': result = stats(); break;
			case 'timeline': result = sim.requests.map((e) => ({ path: e.path, at: e.at, answeredAt: e.answeredAt })); break;
			case 'reset':
				sim.resetLog();
				if (global.gc) global.gc();
				cpuAtReset = process.cpuUsage();
				result = true;
				break;
			case 'latency': setLatency(msg.ms); result = true; break;
			case 'call': result = await sim[msg.method](...(msg.args ?? [])); break;
			case 'probe': result = PROBES[msg.name](...(msg.args ?? [])); break;
			case 'stop':
				await sim.stop();
				result = true;
				process.send({ id, result }, () => process.exit(0));
				return;
			default: throw new Error(`unknown command ${cmd}`);
		}
		process.send({ id, result: result === undefined ? null : result });
	} catch (e) {
		process.send({ id, error: `${kind ?? '?'} simulator: ${e && e.stack ? e.stack : e}` });
	}
});
process.on('disconnect', () => process.exit(0));
