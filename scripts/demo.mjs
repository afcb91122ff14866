#!/usr/bin/env node
// `npm start`: the whole thing on one machine, nothing to configure.
//
//   1. builds the package (npm run build);
//   2. installs a pinned n8n into the git-ignored .n8n-runtime/ on first run (progress shown; later runs reuse it);
//   3. starts the KACE SMA, Kaseya VSA and SPS simulators in this process on fixed loopback ports, with demo data
//      and new tickets / alarms / recorded sessions arriving every 25 s;
//   4. links this package into .demo/<line>/.n8n/nodes/node_modules (n8n loads it as an installed community
//      package), imports credentials pointing at the simulators and the demo workflows, activates the trigger ones;
//   5. starts the n8n editor on http://localhost:5678 and prints the URL, the owner login and what to click.
// Ctrl-C stops n8n and the simulators.
//
// Options (npm start -- --n8n v1 …):
//   --n8n v1|v2     n8n line: v2 = n8n 2.41.1 on Node 24 (default), v1 = n8n 1.123.81 on the system Node 20
//   --port 5678     editor port
//   --fresh         forget the previous demo state (.demo/<line>: database, owner, executions)
//   --no-build      skip `npm run build`
//   --tick 25       seconds between new simulator data (0 = never)

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as rt from './n8n-runtime.mjs';
import { ACCOUNTS, DEFAULT_PORTS, startSimulators } from './simulators.mjs';
import { demoCredentials, demoWorkflows, TRIGGER_WORKFLOW_IDS } from '../demo/workflows.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const argv = process.argv.slice(2);
const has = (f) => argv.includes(`--${f}`);
const opt = (f, d) => {
	const i = argv.indexOf(`--${f}`);
	if (i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--')) return argv[i + 1];
	const eq = argv.find((a) => a.startsWith(`--${f}=`));
	return eq ? eq.slice(f.length + 3) : d;
};

const LINE = opt('n8n', 'v2');
const PORT = Number(opt('port', 5678));
const TICK = Number(opt('tick', 25));
const DEMO_DIR = path.join(ROOT, '.demo');
const USER_FOLDER = path.join(DEMO_DIR, LINE);
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const say = (msg) => process.stdout.write(`[demo +${secs(Date.now() - t0)}] ${msg}\n`);

function portFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

function runVisible(cmd, args) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
	});
}

async function main() {
	if (!rt.LINES[LINE]) throw new Error(`--n8n must be v1 or v2, not "${LINE}"`);
	const timings = {};

	// ports first: fail before spending minutes on builds and installs
	const wanted = { 'n8n editor': PORT, 'KACE SMA simulator': DEFAULT_PORTS.kace, 'Kaseya VSA simulator': DEFAULT_PORTS.vsa, 'SPS simulator': DEFAULT_PORTS.sps };
	const busy = [];
	for (const [what, port] of Object.entries(wanted)) if (!(await portFree(port))) busy.push(`${port} (${what})`);
	if (busy.length) throw new Error(`port(s) in use: ${busy.join(', ')}. Is another demo running? Stop it, or use --port for the editor.`);

	if (!has('no-build')) {
		say('building the package (npm run build)…');
		const t = Date.now();
		await runVisible('npm', ['run', '--silent', 'build']);
		timings.build = Date.now() - t;
		say(`built in ${secs(timings.build)}`);
	}

	const tRt = Date.now();
	say(`n8n ${rt.LINES[LINE].n8n} (${LINE}): checking .n8n-runtime/${LINE}/ (the first run installs it: a few minutes, progress below)…`);
	const runtime = await rt.ensureRuntime(LINE);
	timings.runtime = Date.now() - tRt;
	say(`n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion} ready (${secs(timings.runtime)})`);

	if (has('fresh')) {
		say(`--fresh: removing ${path.relative(ROOT, USER_FOLDER)}`);
		await fsp.rm(USER_FOLDER, { recursive: true, force: true });
	}
	await fsp.mkdir(USER_FOLDER, { recursive: true });

	const sims = await startSimulators({
		pkiFile: path.join(DEMO_DIR, 'sps-pki.json'),
		log: (m) => say(`simulators: ${m}`),
	});
	let server;
	let stopping = false;
	const stopAll = async (code = 0, why = '') => {
		if (stopping) return;
		stopping = true;
		if (why) say(why);
		say('stopping n8n and the simulators…');
		const t = Date.now();
		try {
			if (server) await server.stop();
		} finally {
			await sims.stop();
		}
		say(`stopped in ${secs(Date.now() - t)}`);
		process.exit(code);
	};
	process.on('SIGINT', () => stopAll(0));
	process.on('SIGTERM', () => stopAll(0));
	await fsp.writeFile(path.join(DEMO_DIR, 'sps-ca.pem'), sims.pki.caPem);
	say(`simulators up: KACE SMA ${sims.urls.kace}, Kaseya VSA ${sims.urls.vsa}, SPS ${sims.urls.sps}`);

	// the package, as n8n loads an installed community package (a symlink: a rebuild + restart picks up changes)
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
	say(`starting n8n (log: ${path.relative(ROOT, logFile)})…`);
	server = await rt.startN8n(LINE, USER_FOLDER, { port: PORT, logFile });
	server.exited.then((ex) => stopAll(1, `n8n exited unexpectedly (${JSON.stringify(ex)}); see ${logFile}`));
	await server.ready;
	timings.n8nStart = Date.now() - tStart;
	let ownerNote = 'created';
	try {
		await rt.setupOwner(server.baseUrl);
	} catch {
		ownerNote = 'from the previous run';
		await rt.login(server.baseUrl); // the owner exists: make sure the printed login works
	}
	if (TICK > 0) sims.startTicker(TICK * 1000);

	const url = `http://localhost:${PORT}`;
	const lines = [
		'',
		`  n8n ${runtime.n8nVersion} editor:  ${url}`,
		`  log in with:       ${rt.DEFAULT_OWNER.email} / ${rt.DEFAULT_OWNER.password}   (owner account ${ownerNote})`,
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
		`              CA in .demo/sps-ca.pem${LINE === 'v1' ? '; n8n 1.x ignores the CA field, so the SPS credential uses "Ignore SSL Issues"' : ''})`,
		'',
		`  Ready in ${secs(Date.now() - t0)} (${Object.entries(timings).map(([k, v]) => `${k} ${secs(v)}`).join(', ')}).  Ctrl-C stops everything.`,
		'',
	];
	process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
	console.error(`\nnpm start failed: ${e.message}`);
	process.exit(1);
});
