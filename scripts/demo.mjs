#!/usr/bin/env node
// `npm start`: the whole thing on one machine, nothing to configure.
//
//   1. checks the ports (and names the process holding a busy one);
//   2. builds the package (npm run build);
//   3. installs a pinned n8n into the git-ignored .n8n-runtime/ on first run (progress shown; later runs reuse it):
//      n8n 2.41.1 where Node 24 can be had, else n8n 1.123.81 on this Node (scripts/platform.cjs);
//   4. starts the KACE SMA, Kaseya VSA and SPS simulators in this process on loopback ports, with demo data and new
//      tickets / alarms / recorded sessions arriving every 25 s;
//   5. copies this package into <state>/<line>/.n8n/nodes/node_modules (n8n loads it as an installed community
//      package), imports credentials pointing at the simulators and the demo workflows, activates the trigger ones;
//   6. starts the n8n editor and prints the URL, the owner login and what to click; then a status line every 5 min
//      (URL and login again, what the simulators saw).
// Ctrl-C, SIGTERM or SIGHUP (to this process or to the `npm start` that runs it) stops n8n, its task runner and the
// simulators. If this process is killed outright, n8n notices within a second and stops itself.
//
// Options (npm start -- --port 5680 …); each has an environment variable too:
//   --n8n auto|v1|v2       DEMO_N8N       n8n line: auto (default) = v2 where it can run, else v1
//   --port 5678            N8N_PORT       editor port
//   --kace-port 18443      KACE_SIM_PORT  simulator ports
//   --vsa-port 18444       VSA_SIM_PORT
//   --sps-port 18445       SPS_SIM_PORT
//   --broker-port 5679     N8N_RUNNERS_BROKER_PORT   n8n 2.x task-runner broker (default: 5679, or a free one)
//   --listen 127.0.0.1     N8N_LISTEN_ADDRESS        editor bind address (0.0.0.0 = every interface; see README)
//   --host localhost       N8N_HOST       host name in the editor's own URLs (use with --listen)
//   --state-dir .demo      DEMO_STATE_DIR where the demo keeps n8n's database, the SPS CA and the logs
//   --tick 25              DEMO_TICK      seconds between new simulator data (0 = never)
//   --status-every 300     DEMO_STATUS_EVERY  seconds between status lines (0 = never)
//   --verbose                             print every piece of new simulator data as it arrives
//   --fresh                               forget the previous demo state (<state>/<line>: database, owner, executions)
//   --no-build                            skip `npm run build`

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as rt from './n8n-runtime.mjs';
import { busyPorts, groupOptions, killGroup, portFree, spawnNpm, watchParent } from './proc.mjs';
import { ACCOUNTS, DEFAULT_PORTS, startSimulators } from './simulators.mjs';
import { demoCredentials, demoWorkflows, TRIGGER_WORKFLOW_IDS } from '../demo/workflows.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const argv = process.argv.slice(2);
const has = (f) => argv.includes(`--${f}`);
const opt = (f, envName, d) => {
	const i = argv.indexOf(`--${f}`);
	if (i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--')) return argv[i + 1];
	const eq = argv.find((a) => a.startsWith(`--${f}=`));
	if (eq) return eq.slice(f.length + 3);
	return (envName && process.env[envName]) || d;
};
const portOpt = (f, envName, d) => {
	const v = opt(f, envName, d);
	const n = Number(v);
	if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`--${f} ${v}: not a TCP port`);
	return n;
};

const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const clock = () => new Date().toTimeString().slice(0, 8);
const every = (s) => (s >= 60 ? `${Math.round(s / 60)} min` : `${s} s`);
const say = (msg) => process.stdout.write(`[demo +${secs(Date.now() - t0)}] ${msg}\n`);
/** a path as the user can use it from the repository folder */
const shown = (p) => (p.startsWith(ROOT + path.sep) ? path.relative(ROOT, p) : p);

// ------------------------------------------------------------------ stopping

let stopping = false;
const stoppers = []; // run in reverse order
let buildChild;
async function stopAll(code = 0, why = '') {
	if (stopping) return;
	stopping = true;
	if (why) say(why);
	if (!stoppers.length && !buildChild) {
		rt.stopChildren('SIGKILL'); // an install step, if one was running
		process.exit(code);
	}
	say('stopping n8n and the simulators…');
	const t = Date.now();
	if (buildChild) killGroup(buildChild.pid, 'SIGTERM');
	for (const stop of stoppers.reverse()) {
		try {
			await stop();
		} catch (e) {
			say(`while stopping: ${e.message}`);
		}
	}
	rt.stopChildren('SIGKILL'); // an install or n8n command still running
	say(`stopped in ${secs(Date.now() - t)}`);
	process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stopAll(0, `${sig} received`));
// `npm start` runs `sh -c "node scripts/demo.mjs"`: a SIGTERM or SIGHUP sent to npm alone ends npm and the shell but
// never reaches this process, so watch them.
watchParent((reason) => stopAll(0, `${reason}: stopping`));

// ------------------------------------------------------------------ options

function runVisible(cmd, args) {
	return new Promise((resolve, reject) => {
		const child = cmd === 'npm' ? spawnNpm(args, { cwd: ROOT, stdio: 'inherit', ...groupOptions() }) : spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...groupOptions() });
		buildChild = child;
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			buildChild = undefined;
			if (code === 0) resolve();
			else reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}`));
		});
	});
}

async function main() {
	const want = opt('n8n', 'DEMO_N8N', 'auto');
	if (!['auto', 'v1', 'v2'].includes(want)) throw new Error(`--n8n must be auto, v1 or v2, not "${want}"`);
	const plan = rt.planFor(want); // throws with the reason and what to install
	const LINE = plan.line;
	const PORT = portOpt('port', 'N8N_PORT', 5678);
	const SIM_PORTS = {
		kace: portOpt('kace-port', 'KACE_SIM_PORT', DEFAULT_PORTS.kace),
		vsa: portOpt('vsa-port', 'VSA_SIM_PORT', DEFAULT_PORTS.vsa),
		sps: portOpt('sps-port', 'SPS_SIM_PORT', DEFAULT_PORTS.sps),
	};
	const LISTEN = opt('listen', 'N8N_LISTEN_ADDRESS', '127.0.0.1');
	const HOST = opt('host', 'N8N_HOST', 'localhost');
	const TICK = Number(opt('tick', 'DEMO_TICK', 25));
	const STATUS_EVERY = Number(opt('status-every', 'DEMO_STATUS_EVERY', 300));
	const STATE_DIR = path.resolve(ROOT, opt('state-dir', 'DEMO_STATE_DIR', '.demo'));
	const USER_FOLDER = path.join(STATE_DIR, LINE);
	const timings = {};
	say(`${plan.why}: n8n ${plan.n8n}${want === 'auto' ? ' (--n8n v1|v2 to choose)' : ''}`);

	// ports first: fail before spending minutes on builds and installs
	const wanted = { 'n8n editor': PORT, 'KACE SMA simulator': SIM_PORTS.kace, 'Kaseya VSA simulator': SIM_PORTS.vsa, 'SPS simulator': SIM_PORTS.sps };
	let brokerPort;
	if (LINE === 'v2') {
		const asked = opt('broker-port', 'N8N_RUNNERS_BROKER_PORT', '');
		if (asked) wanted['n8n task-runner broker'] = brokerPort = portOpt('broker-port', 'N8N_RUNNERS_BROKER_PORT', asked);
		else brokerPort = (await portFree(PORT + 1)) && PORT + 1 !== SIM_PORTS.kace ? PORT + 1 : await rt.freePort();
	}
	const dup = Object.entries(wanted).filter(([, p], i, all) => all.findIndex(([, q]) => q === p) !== i);
	if (dup.length) throw new Error(`the same port is given twice: ${dup.map(([w, p]) => `${p} (${w})`).join(', ')}`);
	const busy = [...(await busyPorts({ 'n8n editor': PORT }, LISTEN)), ...(await busyPorts(Object.fromEntries(Object.entries(wanted).slice(1))))];
	if (busy.length) {
		const flags = { 'n8n editor': '--port', 'KACE SMA simulator': '--kace-port', 'Kaseya VSA simulator': '--vsa-port', 'SPS simulator': '--sps-port', 'n8n task-runner broker': '--broker-port' };
		throw new Error(
			`port ${busy.map((b) => b.text).join('; ')}.\n` +
				`  Another demo still running? Stop that process, or choose other ports, e.g. npm start -- ${busy.map((b) => `${flags[b.what]} ${b.port + 100}`).join(' ')}`,
		);
	}

	if (!has('no-build')) {
		say('building the package (npm run build)…');
		const t = Date.now();
		await runVisible('npm', ['run', '--silent', 'build']);
		timings.build = Date.now() - t;
		say(`built in ${secs(timings.build)}`);
	}

	const tRt = Date.now();
	say(`n8n ${plan.n8n}: checking .n8n-runtime/${LINE}/ (the first run installs it: several minutes, progress below)…`);
	const runtime = await rt.ensureRuntime(LINE);
	timings.runtime = Date.now() - tRt;
	say(`n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion} ready (${secs(timings.runtime)})`);

	if (has('fresh')) {
		say(`--fresh: removing ${shown(USER_FOLDER)}`);
		await fsp.rm(USER_FOLDER, { recursive: true, force: true });
	}
	await fsp.mkdir(USER_FOLDER, { recursive: true });

	const VERBOSE = has('verbose');
	const added = { tickets: 0, alarms: 0, sessions: 0, agents: 0 };
	const sims = await startSimulators({
		ports: SIM_PORTS,
		pkiFile: path.join(STATE_DIR, 'sps-pki.json'),
		log: (m) => {
			if (m.startsWith('new data: ')) {
				added.tickets++;
				added.alarms++;
				added.sessions++;
				if (m.includes('VSA agent')) added.agents++;
				if (!VERBOSE) return; // summarised in the status line
			}
			say(`simulators: ${m}`);
		},
	});
	stoppers.push(() => sims.stop());
	await fsp.writeFile(path.join(STATE_DIR, 'sps-ca.pem'), sims.pki.caPem);
	say(`simulators up: KACE SMA ${sims.urls.kace}, Kaseya VSA ${sims.urls.vsa}, SPS ${sims.urls.sps}`);

	// the package, as n8n loads an installed community package (a copy: a rebuild + restart picks up changes)
	await rt.linkPackage(USER_FOLDER, ROOT, { line: LINE });

	// credentials and workflows: imported when they changed (an import resets a workflow to inactive)
	const credentials = demoCredentials(sims, LINE);
	const workflows = demoWorkflows(sims);
	const digest = createHash('sha256').update(JSON.stringify({ credentials, workflows, line: LINE })).digest('hex');
	const markerFile = path.join(USER_FOLDER, 'demo-import.json');
	const marker = fs.existsSync(markerFile) ? JSON.parse(fs.readFileSync(markerFile, 'utf8')) : {};
	if (marker.digest !== digest) {
		const t = Date.now();
		say(`importing ${credentials.length} credentials and ${workflows.length} workflows…`);
		const credFile = path.join(USER_FOLDER, 'demo-credentials.json');
		await fsp.writeFile(credFile, JSON.stringify(credentials, null, 2), { mode: 0o600 });
		const wfDir = path.join(USER_FOLDER, 'demo-workflows');
		await fsp.rm(wfDir, { recursive: true, force: true });
		await fsp.mkdir(wfDir, { recursive: true });
		for (const w of workflows) await fsp.writeFile(path.join(wfDir, `${w.id}.json`), JSON.stringify(w, null, 2));
		try {
			for (const args of [['import:credentials', `--input=${credFile}`], ['import:workflow', '--separate', `--input=${wfDir}`]]) {
				const r = await rt.n8nCommand(LINE, USER_FOLDER, args);
				if (r.code !== 0) throw new Error(`n8n ${args[0]} failed (exit ${r.code}):\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-1500)}`);
			}
		} finally {
			await fsp.rm(credFile, { force: true });
		}
		for (const id of TRIGGER_WORKFLOW_IDS) await rt.activateWorkflow(LINE, USER_FOLDER, id);
		await fsp.writeFile(markerFile, JSON.stringify({ digest, importedAt: new Date().toISOString() }, null, 2));
		timings.import = Date.now() - t;
		say(`imported and activated the 3 trigger workflows (${secs(timings.import)})`);
	} else {
		say('credentials and workflows already imported (unchanged)');
	}

	const tStart = Date.now();
	const logFile = path.join(USER_FOLDER, 'n8n.log');
	say(`starting n8n (log: ${shown(logFile)})…`);
	const env = { N8N_LISTEN_ADDRESS: LISTEN, N8N_HOST: HOST, N8N_EDITOR_BASE_URL: `http://${HOST}:${PORT}/` };
	if (brokerPort) env.N8N_RUNNERS_BROKER_PORT = brokerPort;
	const server = await rt.startN8n(LINE, USER_FOLDER, { port: PORT, logFile, env });
	stoppers.push(() => server.stop());
	server.exited.then((ex) => stopAll(1, `n8n exited unexpectedly (${JSON.stringify(ex)}); see ${logFile}`));
	await server.ready;
	timings.n8nStart = Date.now() - tStart;
	let ownerNote = 'created';
	let cookie;
	try {
		cookie = (await rt.setupOwner(server.baseUrl)).cookie;
	} catch {
		ownerNote = 'from the previous run';
		cookie = (await rt.login(server.baseUrl)).cookie; // the owner exists: make sure the printed login works
	}
	if (TICK > 0) sims.startTicker(TICK * 1000);

	const url = `http://${HOST}:${PORT}`;
	const login = `${rt.DEFAULT_OWNER.email} / ${rt.DEFAULT_OWNER.password}`;
	const exposed = !['127.0.0.1', 'localhost', '::1'].includes(LISTEN);
	const lines = [
		'',
		`  n8n ${runtime.n8nVersion} editor:  ${url}${exposed ? `   (listening on ${LISTEN}:${PORT})` : ''}`,
		`  log in with:       ${login}   (owner account ${ownerNote})`,
		...(exposed
			? [
					'',
					`  WARNING: n8n accepts connections from other machines (--listen ${LISTEN}), over plain HTTP, with the demo`,
					'  login printed above, and can run code on this machine. Only on a network you trust; prefer an SSH tunnel.',
				]
			: []),
		'',
		'  Try it:',
		`   1. Open the workflow "KACE SMA: all machines → 7-Zip managed install" and click "Execute workflow":`,
		`      1,200 machines are read (3 pages) and added to a managed install in one request.`,
		`      Likewise "Kaseya VSA: all agents → run "Install Patch"" and "SPS: all recorded sessions + create an API key".`,
		'   2. Double-click a node to see its parameters and output; the credentials (Overview → Credentials) point at',
		'      the simulators below.',
		`   3. The three trigger workflows ("… new ticket", "… new alarm", "… new recorded session") are active: new data`,
		`      arrives every ${TICK || '–'} s and they poll every minute. See each workflow's Executions tab.`,
		'',
		`  Simulators: KACE SMA ${sims.urls.kace} (${ACCOUNTS.kace.username} / ${ACCOUNTS.kace.password}), Kaseya VSA ${sims.urls.vsa}`,
		`              (${ACCOUNTS.vsa.username}, PAT ${ACCOUNTS.vsa.pat}), SPS ${sims.urls.sps} (${ACCOUNTS.sps.username} / ${ACCOUNTS.sps.password};`,
		`              CA in ${shown(path.join(STATE_DIR, 'sps-ca.pem'))}${LINE === 'v1' ? '; n8n 1.x ignores the CA field, so the SPS credential uses "Ignore SSL Issues"' : ''})`,
		'',
		`  Ready in ${secs(Date.now() - t0)} (${Object.entries(timings).map(([k, v]) => `${k} ${secs(v)}`).join(', ')}).  Ctrl-C stops everything.`,
		STATUS_EVERY > 0
			? `  Every ${every(STATUS_EVERY)} a status line repeats the URL and login and sums up the new data${VERBOSE ? '' : ' (--verbose prints each)'}.`
			: '',
		'',
	];
	process.stdout.write(lines.join('\n') + '\n');

	if (STATUS_EVERY > 0) {
		const seen = { kace: sims.kace.requests.length, vsa: sims.vsa.requests.length, sps: sims.sps.requests.length };
		let lastExecutions = await executionCount(server.baseUrl, cookie);
		let last = { ...added };
		const timer = setInterval(async () => {
			const calls = ['kace', 'vsa', 'sps'].map((k) => sims[k].requests.length - seen[k]);
			for (const k of Object.keys(seen)) seen[k] = sims[k].requests.length;
			const n = await executionCount(server.baseUrl, cookie);
			const execs = n !== undefined && lastExecutions !== undefined ? `, ${n - lastExecutions} new execution(s)` : '';
			lastExecutions = n;
			const news = `${added.tickets - last.tickets} tickets, ${added.alarms - last.alarms} alarms, ${added.sessions - last.sessions} recorded sessions added`;
			last = { ...added };
			say(
				`${clock()}  n8n ${url}  login ${login}  |  last ${every(STATUS_EVERY)}: ${news}; ` +
					`n8n called KACE ${calls[0]}×, VSA ${calls[1]}×, SPS ${calls[2]}×${execs}  |  Ctrl-C stops`,
			);
		}, STATUS_EVERY * 1000);
		timer.unref();
	}
	// keep running until a signal or n8n's exit
	await new Promise(() => {});
}

async function executionCount(baseUrl, cookie) {
	try {
		const r = await rt.restGet(baseUrl, '/rest/executions?limit=1', cookie);
		const d = r.json?.data;
		return typeof d?.count === 'number' ? d.count : undefined;
	} catch {
		return undefined;
	}
}

main().catch((e) => {
	if (stopping) return;
	process.stderr.write(`\nnpm start failed: ${e.message}\n`);
	stopAll(1);
});
