#!/usr/bin/env node
// End-to-end: the package inside REAL n8n (1.123.x on Node 20 and 2.41.x on Node 24), against the simulators.
//
//   npm run test:e2e                       both lines, in parallel (build first)
//   node test/e2e/run.mjs --line v1        one line;  --serial: one line after the other;  --keep: keep the
//                                          temporary n8n user folders (paths are printed)
//
// Per line: install the pinned n8n if needed (scripts/n8n-runtime.mjs, progress on stderr), start the three
// simulators in this process on free ports, pack the package with `npm pack` and install the tarball into a fresh
// n8n user folder's .n8n/nodes (how n8n installs a community package), import credentials and workflows with the
// n8n CLI, then:
//   - `n8n execute --id` the demo workflows and test workflows and assert on the printed run data and on what the
//     simulators saw: login path (one login, session stored and reused by the next process), Return All across
//     several pages, one action per appliance, a wrong password failing with our message after ONE login attempt;
//   - activate the three polling-trigger demo workflows, `n8n start`, check the loaded node/credential types and
//     icons, check that no demo node shows a parameter issue in the editor (test/e2e/editor-issues.mjs), add data to
//     the simulators, wait for the trigger executions (REST API), then check that the next poll with nothing new
//     creates no execution.
// Then `npm start` itself: started for real and stopped by SIGTERM/SIGHUP to npm, Ctrl-C to its group and SIGKILL to
// the demo process, leaving no process and no busy port (test/e2e/demo-stop.mjs); --no-demo-stop skips it.
// A line that cannot run on this platform (scripts/platform.cjs) is reported as skipped.
// Prints a results table and `N passed, N failed[, N skipped]` as its last line; exits 1 on any failure.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import * as rt from '../../scripts/n8n-runtime.mjs';
import { demoStopChecks } from './demo-stop.mjs';
import { editorIssues, restPost } from './editor-issues.mjs';
import { startSimulators, spsCertificateCredential, credentialData, ACCOUNTS } from '../../scripts/simulators.mjs';
import {
	PKG,
	CREDENTIAL_IDS,
	CREDENTIAL_NAMES,
	WORKFLOW_IDS,
	TRIGGER_WORKFLOW_IDS,
	KACE_MANAGED_INSTALL_ID,
	KACE_TICKET_OWNER_ID,
	VSA_AGENTS_TO_PATCH,
	VSA_PROCEDURE_NAME,
	demoCredentials,
	demoWorkflows,
	workflow,
	cred,
	byId,
} from '../../demo/workflows.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const run = promisify(execFile);

const argv = process.argv.slice(2);
const has = (f) => argv.includes(`--${f}`);
const opt = (f, d) => {
	const i = argv.indexOf(`--${f}`);
	return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : d;
};
const LINES = opt('line', 'all') === 'all' ? ['v1', 'v2'] : [opt('line')];
const SERIAL = has('serial');
const KEEP = has('keep');
const TRIGGER_TIMEOUT_MS = Number(opt('trigger-timeout', 150)) * 1000;

const SIZES = { machines: 1200, agents: 300, alarms: 5, sessions: 1500, activeSessions: 2 };
const MIN_PAGES = 3;

const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (line, msg) => process.stderr.write(`[e2e ${line} +${secs(Date.now() - t0)}] ${msg}\n`);

// ------------------------------------------------------------------ results

const results = [];
const timings = {};
/** resolved per line once its `n8n execute` phase is over (or the line ended): the jest e2e files start then */
const execPhaseDone = {};
const execPhaseSignal = {};
for (const l of LINES) execPhaseDone[l] = new Promise((r) => (execPhaseSignal[l] = r));
function record(line, area, name, ok, detail, ms, skipped = false) {
	results.push({ line, area, name, ok, detail, ms, skipped });
	say(line, `${skipped ? 'SKIP' : ok ? 'PASS' : 'FAIL'} ${area}: ${name}${detail ? ` — ${detail}` : ''}`);
}
/** Runs fn; a thrown error or a returned string starting with "FAIL:" marks the check failed. */
async function check(line, area, name, fn) {
	const started = Date.now();
	try {
		const detail = await fn();
		if (typeof detail === 'string' && detail.startsWith('FAIL:')) record(line, area, name, false, detail.slice(5).trim(), Date.now() - started);
		else record(line, area, name, true, detail ?? '', Date.now() - started);
		return true;
	} catch (e) {
		record(line, area, name, false, String(e?.message ?? e).split('\n').slice(0, 6).join(' | ').slice(0, 600), Date.now() - started);
		return false;
	}
}
function assert(cond, message) {
	if (!cond) throw new Error(message);
}

// ------------------------------------------------------------------ package tarball

let tarballPromise;
/** `npm pack` once per run: the tarball users would get from the registry. */
function packOnce() {
	tarballPromise ??= (async () => {
		const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-pack-'));
		const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 32 << 20 });
		const info = JSON.parse(stdout.slice(stdout.indexOf('[')))[0];
		return { dir, file: path.join(dir, info.filename), files: info.files.map((f) => f.path) };
	})();
	return tarballPromise;
}

/**
 * Installs the tarball into <userFolder>/.n8n/nodes the way n8n 2.x's community-package installer does
 * (CommunityPackagesService.downloadPackage): extract it into nodes/node_modules/<name>, drop dev/peer/optional
 * dependencies from its package.json, `npm install` its own dependencies (none), record it in nodes/package.json.
 * n8n-workflow is then n8n's own copy (found through NODE_PATH), as for users.
 */
async function installPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const dir = path.join(nodesDir, 'node_modules', PKG);
	await fsp.mkdir(dir, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	const pkgFile = path.join(dir, 'package.json');
	const pkg = JSON.parse(await fsp.readFile(pkgFile, 'utf8'));
	for (const k of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete pkg[k];
	await fsp.writeFile(pkgFile, JSON.stringify(pkg, null, 2));
	const env = { ...process.env };
	for (const k of Object.keys(env)) if (/^npm_/i.test(k)) delete env[k];
	await run('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'], {
		cwd: dir,
		env,
		maxBuffer: 32 << 20,
	});
	await fsp.writeFile(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PKG]: pkg.version } }, null, 2),
	);
	assert(fs.existsSync(path.join(dir, 'dist', 'nodes', 'KaceSma', 'KaceSma.node.js')), `${dir} lacks the built nodes`);
	assert(!fs.existsSync(path.join(nodesDir, 'node_modules', 'n8n-workflow')), 'an n8n-workflow copy was installed next to the package');
	return dir;
}

// ------------------------------------------------------------------ n8n helpers

function parseRun(r) {
	try {
		return rt.parseRawOutput(r.stdout);
	} catch {
		return undefined;
	}
}
function runError(runData) {
	return runData?.data?.resultData?.error;
}
function itemsOf(runData, node) {
	return rt.nodeOutput(runData, node);
}
function describeExit(r) {
	return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' (timed out)' : ''}`;
}

// ------------------------------------------------------------------ one line

async function runLine(line) {
	const area0 = 'setup';
	const lineStart = Date.now();
	timings[line] = {};
	const outputs = []; // every stdout/stderr of n8n, for the secrets check
	let sims;
	let userFolder;
	let server;
	try {
		// 0. can this line run here at all (n8n 2.x needs Node 24: own, or from the registry for this platform)?
		try {
			rt.planFor(line);
		} catch (e) {
			record(line, area0, `n8n ${rt.LINES[line].n8n} on this platform`, true, e.message, 0, true);
			return;
		}
		// 1. runtime
		const tRt = Date.now();
		let runtime;
		const okRt = await check(line, area0, 'n8n runtime installed (pinned)', async () => {
			runtime = await rt.ensureRuntime(line);
			return `n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion} (${secs(Date.now() - tRt)})`;
		});
		timings[line].runtime = Date.now() - tRt;
		if (!okRt) return;

		// 2. simulators, user folder, package
		sims = await startSimulators({ ports: { kace: 0, vsa: 0, sps: 0 }, sizes: SIZES });
		userFolder = await fsp.mkdtemp(path.join(os.tmpdir(), `n8n-e2e-${line}-`));
		say(line, `simulators ${JSON.stringify(sims.urls)}; user folder ${userFolder}`);
		const okPkg = await check(line, area0, 'package installed from its npm tarball into .n8n/nodes (as n8n installs community packages)', async () => {
			const tb = await packOnce();
			await installPackage(userFolder, tb.file);
			return `${path.basename(tb.file)} (${tb.files.length} files)`;
		});
		if (!okPkg) return;

		// 3. credentials and workflows
		const bad = {
			kaceSmaApi: { password: 'Wrong-Passw0rd-KACE' },
			kaseyaVsaApi: { accessToken: '11111111-2222-3333-4444-555555555555' },
			safeguardSpsApi: { password: 'Wrong-Passw0rd-SPS' },
		};
		const badIds = { kaceSmaApi: 'e2eBadKaceCred01', kaseyaVsaApi: 'e2eBadVsaCred001', safeguardSpsApi: 'e2eBadSpsCred001' };
		const badNames = { kaceSmaApi: 'KACE wrong password', kaseyaVsaApi: 'VSA wrong PAT', safeguardSpsApi: 'SPS wrong password' };
		const credentials = [
			...demoCredentials(sims, line),
			...demoCredentials(sims, line, { ids: badIds, names: badNames, over: bad }),
		];
		if (line === 'v2') {
			credentials.push({ id: 'e2eSpsCertCred01', name: 'SPS client certificate', type: 'safeguardSpsApi', data: { ...spsCertificateCredential(sims), session: '' } });
		}
		const kace = `${PKG}.kaceSma`;
		const vsa = `${PKG}.kaseyaVsa`;
		const sps = `${PKG}.safeguardSps`;
		const M = 'n8n-nodes-base.manualTrigger';
		const single = (id, name, type, credType, parameters, credIds = CREDENTIAL_IDS, credNames = CREDENTIAL_NAMES) =>
			workflow(id, name, [['Start', M, {}], ['Node', type, parameters, { credentials: cred(credType, credIds, credNames) }]], [['Start', 'Node']]);
		const kaceRead = { resource: 'machine', operation: 'getMany', returnAll: false, limit: 5, filters: {}, options: {} };
		const vsaRead = { resource: 'organization', operation: 'getMany', returnAll: true };
		const spsRead = { resource: 'system', operation: 'getCurrentUser' };
		const workflows = [
			...demoWorkflows(sims),
			single('e2eKaceReuse0001', 'e2e KACE second read', kace, 'kaceSmaApi', kaceRead),
			single('e2eVsaReuse00001', 'e2e VSA second read', vsa, 'kaseyaVsaApi', vsaRead),
			single('e2eSpsReuse00001', 'e2e SPS second read', sps, 'safeguardSpsApi', spsRead),
			single('e2eKace404000001', 'e2e KACE unknown machine', kace, 'kaceSmaApi', { resource: 'machine', operation: 'get', machineId: byId('999999'), options: {} }),
			single('e2eVsa4040000001', 'e2e VSA unknown agent', vsa, 'kaseyaVsaApi', { resource: 'agent', operation: 'get', agentId: byId('999999999999999') }),
			single('e2eSps4040000001', 'e2e SPS unknown session', sps, 'safeguardSpsApi', { resource: 'auditSession', operation: 'get', sessionKey: 'doesNotExist' }),
			single('e2eKaceBadPass01', 'e2e KACE wrong password', kace, 'kaceSmaApi', kaceRead, badIds, badNames),
			single('e2eVsaBadPat0001', 'e2e VSA wrong PAT', vsa, 'kaseyaVsaApi', vsaRead, badIds, badNames),
			single('e2eSpsBadPass001', 'e2e SPS wrong password', sps, 'safeguardSpsApi', spsRead, badIds, badNames),
		];
		if (line === 'v2') {
			workflows.push(
				single('e2eSpsCertLogin1', 'e2e SPS client certificate', sps, 'safeguardSpsApi', spsRead, { safeguardSpsApi: 'e2eSpsCertCred01' }, {
					safeguardSpsApi: 'SPS client certificate',
				}),
			);
		}
		const okImport = await check(line, area0, 'import:credentials + import:workflow', async () => {
			const credFile = path.join(userFolder, 'e2e-credentials.json');
			await fsp.writeFile(credFile, JSON.stringify(credentials, null, 2), { mode: 0o600 });
			const wfDir = path.join(userFolder, 'e2e-workflows');
			await fsp.mkdir(wfDir, { recursive: true });
			for (const w of workflows) await fsp.writeFile(path.join(wfDir, `${w.id}.json`), JSON.stringify(w, null, 2));
			const c = await rt.n8nCommand(line, userFolder, ['import:credentials', `--input=${credFile}`]);
			outputs.push(c.stdout, c.stderr);
			assert(c.code === 0, `import:credentials ${describeExit(c)}: ${c.stderr.slice(-800)}`);
			await fsp.rm(credFile, { force: true });
			const w = await rt.n8nCommand(line, userFolder, ['import:workflow', '--separate', `--input=${wfDir}`]);
			outputs.push(w.stdout, w.stderr);
			assert(w.code === 0, `import:workflow ${describeExit(w)}: ${w.stderr.slice(-800)}`);
			return `${credentials.length} credentials, ${workflows.length} workflows (${secs(c.ms + w.ms)})`;
		});
		if (!okImport) return;

		/** n8n execute --id; returns {r, run} */
		const execute = async (id) => {
			const r = await rt.n8nCommand(line, userFolder, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs: 240_000 });
			outputs.push(r.stdout, r.stderr);
			return { r, run: parseRun(r) };
		};
		const mustSucceed = (id, { r, run: data }) => {
			const err = runError(data);
			assert(r.code === 0 && data && !err, `n8n execute --id=${id} ${describeExit(r)}${err ? `: ${err.message}` : ''}${!data ? `: no run data in output: ${(r.stdout + r.stderr).slice(-600)}` : ''}`);
		};

		/** an appliance error (HTTP 404) fails the execution with the appliance's message, after one request */
		const quoted = async (area, id, sim, pathRe, want) => {
			const mark = sim.requests.length;
			const res = await execute(id);
			await check(line, area, 'an appliance error (HTTP 404) is quoted, not retried', async () => {
				const msg = runError(res.run)?.message ?? '';
				const hits = sim.requests.slice(mark).filter((q) => pathRe.test(q.path));
				const problems = [];
				if (res.r.code !== 1) problems.push(`${describeExit(res.r)} (expected exit 1)`);
				if (!want.test(msg)) problems.push(`message was: ${msg || '(none)'}`);
				if (hits.length !== 1 || hits[0].status !== 404) problems.push(`${hits.length} request(s) (${hits.map((q) => q.status).join(',')})`);
				return problems.length ? `FAIL: ${problems.join('; ')}` : `exit 1, "${msg.slice(0, 140)}", 1 request`;
			});
		};

		const tExec = Date.now();
		// ---------------------------------------------------------------- KACE SMA
		{
			const area = 'KACE SMA';
			const s = sims.kace;
			const adminLogins = () =>
				s.requests.filter((q) => q.path === '/ams/shared/api/security/login' && safeJson(q.body)?.userName === ACCOUNTS.kace.username).length;
			const miTargets = () => s.state.managedInstalls.find((m) => Number(m.id) === KACE_MANAGED_INSTALL_ID).targets.length;
			const mark = s.requests.length;
			const loginsBefore = adminLogins();
			const targetsBefore = miTargets();
			const res = await execute(WORKFLOW_IDS.kaceInventory);
			const reqs = s.requests.slice(mark);
			await check(line, area, 'demo workflow "all machines → managed install" runs', async () => {
				mustSucceed(WORKFLOW_IDS.kaceInventory, res);
				return `${secs(res.r.ms)}`;
			});
			await check(line, area, 'credential login: one login, then the stored session', async () => {
				const n = adminLogins() - loginsBefore;
				assert(n === 1, `expected 1 login request, saw ${n}`);
				assert(reqs[0]?.path === '/ams/shared/api/security/login', `first request was ${reqs[0]?.path}`);
				return 'POST /ams/shared/api/security/login once, then /api calls with the session';
			});
			await check(line, area, 'Return All read spans several pages', async () => {
				const items = itemsOf(res.run, 'Get All Machines');
				const pages = reqs.filter((q) => q.method === 'GET' && q.path === '/api/inventory/machines');
				assert(items.length === s.state.machines.length, `got ${items.length} machines, the appliance has ${s.state.machines.length}`);
				assert(new Set(items.map((m) => m.Id)).size === items.length, 'duplicate machines');
				assert(pages.length >= MIN_PAGES, `only ${pages.length} page request(s)`);
				return `${items.length} machines in ${pages.length} pages (${pages.map((p) => p.query.paging).join('; ')})`;
			});
			await check(line, area, 'action: add machines to a managed install (one batched request)', async () => {
				const puts = reqs.filter((q) => q.method === 'PUT');
				assert(puts.length === 1, `${puts.length} PUT requests`);
				assert(puts[0].path === `/api/managed_install/managed_installs/${KACE_MANAGED_INSTALL_ID}/add_to_machines`, puts[0].path);
				const out = itemsOf(res.run, 'Add To 7-Zip Managed Install');
				assert(out.length === s.state.machines.length, `${out.length} output items`);
				const targets = miTargets();
				assert(targets === s.state.machines.length && targets > targetsBefore, `managed install targets ${targetsBefore} → ${targets}`);
				return `PUT …/${KACE_MANAGED_INSTALL_ID}/add_to_machines with ${JSON.parse(puts[0].body).Machines.length} machines; targets now ${targets}`;
			});
			const mark2 = s.requests.length;
			const l2 = adminLogins();
			const res2 = await execute('e2eKaceReuse0001');
			await check(line, area, 'next execution (new process) reuses the stored session: no login', async () => {
				mustSucceed('e2eKaceReuse0001', res2);
				assert(adminLogins() === l2, `${adminLogins() - l2} login request(s)`);
				const items = itemsOf(res2.run, 'Node');
				assert(items.length === 5, `${items.length} items`);
				return `${s.requests.length - mark2} request(s), 0 logins`;
			});
			await quoted(area, 'e2eKace404000001', s, /^\/api\/inventory\/machines\/999999$/, /HTTP 404.*not found/i);
			const failedBefore = s.state.logins.failed;
			const res3 = await execute('e2eKaceBadPass01');
			await check(line, area, 'wrong password: fails with our message after ONE login attempt', async () => {
				const text = `${res3.r.stdout}\n${res3.r.stderr}`;
				const msg = runError(res3.run)?.message ?? '';
				const attempts = s.state.logins.failed - failedBefore;
				const want = `KACE SMA login failed for user "admin": "Invalid user or password"`;
				const problems = [];
				if (res3.r.code !== 1) problems.push(`${describeExit(res3.r)} (expected exit 1)`);
				if (!msg.includes(want) && !text.includes(want)) problems.push(`message was: ${msg || '(none)'}`);
				if (attempts !== 1) problems.push(`${attempts} login attempts`);
				if (text.includes(bad.kaceSmaApi.password)) problems.push('the wrong password appears in the output');
				return problems.length ? `FAIL: ${problems.join('; ')}` : `exit 1, "${msg}", 1 login attempt`;
			});
		}

		// ---------------------------------------------------------------- Kaseya VSA
		{
			const area = 'Kaseya VSA';
			const s = sims.vsa;
			const logins = (ok) => s.state.logins.filter((l) => (ok === undefined ? true : l.ok === ok)).length;
			const mark = s.requests.length;
			const loginsBefore = logins();
			const runsBefore = s.state.runs.length;
			const res = await execute(WORKFLOW_IDS.vsaInventory);
			const reqs = s.requests.slice(mark);
			await check(line, area, `demo workflow "all agents → run ${VSA_PROCEDURE_NAME}" runs`, async () => {
				mustSucceed(WORKFLOW_IDS.vsaInventory, res);
				return `${secs(res.r.ms)}`;
			});
			await check(line, area, 'credential login: one PAT login, then Bearer token', async () => {
				const n = logins() - loginsBefore;
				assert(n === 1, `expected 1 login, saw ${n}`);
				assert(reqs[0]?.path === '/api/v1.0/auth', `first request was ${reqs[0]?.path}`);
				assert(reqs.slice(1).every((q) => /^Bearer /.test(q.headers.authorization ?? '')), 'a request without the Bearer token');
				return 'GET /api/v1.0/auth once, then Bearer';
			});
			await check(line, area, 'Return All read spans several pages', async () => {
				const items = itemsOf(res.run, 'Get All Agents');
				const pages = reqs.filter((q) => q.path === '/api/v1.0/assetmgmt/agents');
				assert(items.length === s.state.agents.length, `got ${items.length} agents, the VSA has ${s.state.agents.length}`);
				assert(items.every((a) => typeof a.AgentId === 'string' && /^\d{15}$/.test(a.AgentId)), 'AgentId not kept as a 15-digit string');
				assert(new Set(items.map((a) => a.AgentId)).size === items.length, 'duplicate agents');
				assert(pages.length >= MIN_PAGES, `only ${pages.length} page request(s)`);
				return `${items.length} agents in ${pages.length} pages ($skip ${pages.map((p) => p.query.$skip ?? 0).join(', ')})`;
			});
			await check(line, area, `action: run agent procedure "${VSA_PROCEDURE_NAME}" now`, async () => {
				const proc = s.procedure(VSA_PROCEDURE_NAME);
				const puts = reqs.filter((q) => q.method === 'PUT' && q.path.endsWith('/runnow'));
				const out = itemsOf(res.run, `Run ${VSA_PROCEDURE_NAME}`);
				const runs = s.state.runs.slice(runsBefore);
				assert(puts.length === VSA_AGENTS_TO_PATCH && puts.every((q) => q.status === 204), `runnow requests: ${puts.map((q) => q.status).join(',')}`);
				assert(runs.length === VSA_AGENTS_TO_PATCH && runs.every((x) => x.procedureId === proc.AgentProcedureId), `${runs.length} runs recorded`);
				assert(out.length === VSA_AGENTS_TO_PATCH && out.every((i) => i.submitted === true), `output ${JSON.stringify(out).slice(0, 200)}`);
				return `${puts.length} × PUT …/${proc.AgentProcedureId}/runnow → 204`;
			});
			const l2 = logins();
			const res2 = await execute('e2eVsaReuse00001');
			await check(line, area, 'next execution (new process) reuses the stored token: no login', async () => {
				mustSucceed('e2eVsaReuse00001', res2);
				assert(logins() === l2, `${logins() - l2} login(s)`);
				const items = itemsOf(res2.run, 'Node');
				assert(items.length === s.state.orgs.length, `${items.length} organizations`);
				return `${items.length} organizations, 0 logins`;
			});
			await quoted(area, 'e2eVsa4040000001', s, /\/assetmgmt\/agents\/999999999999999$/, /HTTP 404 to get agent 999999999999999: "Agent not found"/);
			const failedBefore = logins(false);
			const res3 = await execute('e2eVsaBadPat0001');
			await check(line, area, 'wrong PAT: fails with our message after ONE login attempt', async () => {
				const text = `${res3.r.stdout}\n${res3.r.stderr}`;
				const msg = runError(res3.run)?.message ?? '';
				const attempts = logins(false) - failedBefore;
				const want = 'refused the Personal Access Token login for user "admin"';
				const problems = [];
				if (res3.r.code !== 1) problems.push(`${describeExit(res3.r)} (expected exit 1)`);
				if (!msg.includes(want)) problems.push(`message was: ${msg || '(none)'}`);
				if (attempts !== 1) problems.push(`${attempts} login attempts`);
				if (text.includes(bad.kaseyaVsaApi.accessToken)) problems.push('the wrong PAT appears in the output');
				return problems.length ? `FAIL: ${problems.join('; ')}` : `exit 1, "${msg}", 1 login attempt`;
			});
		}

		// ---------------------------------------------------------------- SPS
		{
			const area = 'SPS';
			const s = sims.sps;
			const adminLogins = () => s.logins(ACCOUNTS.sps.username).length;
			const mark = s.requests.length;
			const loginsBefore = adminLogins();
			const keysBefore = s.state.apiKeys.length;
			const commitsBefore = s.state.commits;
			const res = await execute(WORKFLOW_IDS.spsInventory);
			const reqs = s.requests.slice(mark);
			await check(line, area, 'demo workflow "all recorded sessions + create an API key" runs', async () => {
				mustSucceed(WORKFLOW_IDS.spsInventory, res);
				return `${secs(res.r.ms)}${line === 'v1' ? ' (v1 credential: Ignore SSL Issues, n8n 1.x drops the CA field)' : ' (CA certificate field, verification on)'}`;
			});
			await check(line, area, 'credential login: one password login, then the session cookie', async () => {
				const n = adminLogins() - loginsBefore;
				assert(n === 1, `expected 1 login, saw ${n}`);
				assert(reqs[0]?.path === '/api/authentication', `first request was ${reqs[0]?.path}`);
				assert(reqs.slice(1).every((q) => /session_id=/.test(q.headers.cookie ?? '')), 'a request without the session cookie');
				return 'GET /api/authentication once, then session_id cookie';
			});
			await check(line, area, 'Return All read spans several pages', async () => {
				const items = itemsOf(res.run, 'Search All Sessions');
				const pages = reqs.filter((q) => q.path === '/api/audit/sessions');
				assert(items.length === s.state.audit.length, `got ${items.length} sessions, SPS has ${s.state.audit.length}`);
				assert(new Set(items.map((i) => i.key)).size === items.length, 'duplicate sessions');
				assert(pages.length >= MIN_PAGES, `only ${pages.length} page request(s)`);
				return `${items.length} sessions in ${pages.length} pages (offset ${pages.map((p) => p.query.offset ?? 0).join(', ')})`;
			});
			await check(line, area, 'action: create an API key and commit the transaction', async () => {
				const out = itemsOf(res.run, 'Create API Key');
				const created = s.state.apiKeys.slice(keysBefore);
				assert(out.length === 1 && out[0].committed === true && typeof out[0].token === 'string', `output ${JSON.stringify(out).slice(0, 300)}`);
				assert(created.length === 1 && /^n8n_demo_\d{8}_\d{6}$/.test(created[0].name), `keys created: ${created.map((k) => k.name).join(',')}`);
				assert(s.state.commits === commitsBefore + 1, `${s.state.commits - commitsBefore} commits`);
				const seq = reqs.filter((q) => /transaction|api_keys/.test(q.path)).map((q) => `${q.method} ${q.path} ${q.status}`);
				return `key "${created[0].name}" committed (${seq.join(', ')})`;
			});
			const l2 = adminLogins();
			const res2 = await execute('e2eSpsReuse00001');
			await check(line, area, 'next execution (new process) reuses the stored session: no login', async () => {
				mustSucceed('e2eSpsReuse00001', res2);
				assert(adminLogins() === l2, `${adminLogins() - l2} login(s)`);
				const items = itemsOf(res2.run, 'Node');
				assert(items[0]?.user?.name === 'admin', `current user ${JSON.stringify(items[0]).slice(0, 200)}`);
				return 'current user admin, 0 logins';
			});
			await quoted(area, 'e2eSps4040000001', s, /^\/api\/audit\/sessions\/doesNotExist$/, /SPS has nothing at \/api\/audit\/sessions\/doesNotExist/);
			const failedBefore = s.logins(ACCOUNTS.sps.username).filter((a) => !a.ok).length;
			const res3 = await execute('e2eSpsBadPass001');
			await check(line, area, 'wrong password: fails with our message after ONE login attempt', async () => {
				const text = `${res3.r.stdout}\n${res3.r.stderr}`;
				const msg = runError(res3.run)?.message ?? '';
				const attempts = s.logins(ACCOUNTS.sps.username).filter((a) => !a.ok).length - failedBefore;
				const want = 'SPS refused the login for user "admin"';
				const problems = [];
				if (res3.r.code !== 1) problems.push(`${describeExit(res3.r)} (expected exit 1)`);
				if (!msg.includes(want) || !msg.includes('AuthenticationFailure')) problems.push(`message was: ${msg || '(none)'}`);
				if (attempts !== 1) problems.push(`${attempts} login attempts`);
				if (text.includes(bad.safeguardSpsApi.password)) problems.push('the wrong password appears in the output');
				return problems.length ? `FAIL: ${problems.join('; ')}` : `exit 1, "${msg.slice(0, 160)}…", 1 login attempt`;
			});
			if (line === 'v2') {
				const certLogins = () => s.state.loginAttempts.filter((a) => a.type === 'x509' && a.ok).length;
				const certBefore = certLogins();
				const res4 = await execute('e2eSpsCertLogin1');
				await check(line, area, 'client-certificate (mutual TLS) login, CA field verifying the server', async () => {
					mustSucceed('e2eSpsCertLogin1', res4);
					const items = itemsOf(res4.run, 'Node');
					assert(items[0]?.user?.name === ACCOUNTS.spsCert.username, `current user ${JSON.stringify(items[0]).slice(0, 200)}`);
					const n = certLogins() - certBefore;
					assert(n === 1, `${n} certificate logins`);
					return `logged in as ${items[0].user.name} with the client certificate (CN ${sims.pki.clientCN})`;
				});
			}
		}
		timings[line].executes = Date.now() - tExec;
		execPhaseSignal[line]();

		// ---------------------------------------------------------------- polling triggers in a running n8n
		const tTrig = Date.now();
		const area = 'triggers';
		const okAct = await check(line, area, `activate the 3 trigger workflows (${line === 'v1' ? 'update:workflow --active=true' : 'publish:workflow'})`, async () => {
			for (const id of TRIGGER_WORKFLOW_IDS) {
				const r = await rt.activateWorkflow(line, userFolder, id);
				outputs.push(r.stdout, r.stderr);
			}
			return TRIGGER_WORKFLOW_IDS.join(', ');
		});
		if (!okAct) return;
		const pollPaths = {
			kace: (q) => q.method === 'GET' && q.path === '/api/service_desk/tickets',
			vsa: (q) => q.path === '/api/v1.0/assetmgmt/alarms/true',
			sps: (q) => q.path === '/api/audit/sessions',
		};
		const polls = (name, from = 0) => sims[name].requests.slice(from).filter(pollPaths[name]);
		const marks = { kace: sims.kace.requests.length, vsa: sims.vsa.requests.length, sps: sims.sps.requests.length };
		const port = await rt.freePort([5800, 5899]);
		const logFile = path.join(userFolder, 'n8n-start.log');
		server = await rt.startN8n(line, userFolder, { port, logFile });
		let cookie;
		const okStart = await check(line, area, 'n8n start: ready, owner set up, logged in', async () => {
			const { ms } = await server.ready;
			await rt.setupOwner(server.baseUrl);
			cookie = (await rt.login(server.baseUrl)).cookie;
			assert(cookie, 'no n8n-auth cookie');
			return `ready in ${secs(ms)} on port ${port}`;
		});
		if (!okStart) return;

		await check(line, 'loaded types', 'node types, credential types and icons are listed by n8n', async () => {
			const nodes = await rt.restGet(server.baseUrl, '/types/nodes.json', cookie);
			const creds = await rt.restGet(server.baseUrl, '/types/credentials.json', cookie);
			assert(nodes.status === 200 && Array.isArray(nodes.json), `/types/nodes.json HTTP ${nodes.status}`);
			assert(creds.status === 200 && Array.isArray(creds.json), `/types/credentials.json HTTP ${creds.status}`);
			const wantNodes = ['kaceSma', 'kaceSmaTrigger', 'kaseyaVsa', 'kaseyaVsaTrigger', 'safeguardSps', 'safeguardSpsTrigger'].map((n) => `${PKG}.${n}`);
			const names = new Set(nodes.json.map((n) => n.name));
			const missing = wantNodes.filter((n) => !names.has(n));
			assert(!missing.length, `missing node types: ${missing.join(', ')}`);
			const wantCreds = Object.keys(CREDENTIAL_IDS);
			const credNames = new Set(creds.json.map((c) => c.name));
			const missingCreds = wantCreds.filter((c) => !credNames.has(c));
			assert(!missingCreds.length, `missing credential types: ${missingCreds.join(', ')}`);
			const icons = new Set();
			for (const n of nodes.json.filter((x) => wantNodes.includes(x.name))) for (const u of iconUrls(n)) icons.add(u);
			for (const c of creds.json.filter((x) => wantCreds.includes(x.name))) for (const u of iconUrls(c)) icons.add(u);
			const bad = [];
			for (const u of icons) {
				const res = await fetch(`${server.baseUrl}/${u.replace(/^\//, '')}`);
				const body = await res.text();
				if (res.status !== 200 || !body.includes('<svg')) bad.push(`${u} → ${res.status}`);
			}
			assert(icons.size >= 6, `only ${icons.size} icon URLs`);
			assert(!bad.length, `icons not served: ${bad.join(', ')}`);
			const tools = nodes.json.filter((n) => n.name.startsWith(`${PKG}.`) && n.name.endsWith('Tool')).length;
			return `${wantNodes.length} node types (+${tools} AI-tool variants), ${wantCreds.length} credential types, ${icons.size} icons (light/dark) served`;
		});

		await check(line, 'editor', 'no demo node shows a parameter issue in the editor (descriptions, options, From List)', async () => {
			const ids = Object.values(WORKFLOW_IDS);
			const found = await editorIssues({ line, baseUrl: server.baseUrl, cookie, workflowIds: ids });
			assert(!found.length, found.map((f) => `${f.workflow} › ${f.node}: ${f.issue}`).join(' | '));
			return `${ids.length} demo workflows: no parameter issues, every dropdown value among its options, every From List value found under its name`;
		});

		// baseline: the activation poll of each trigger
		const okBase = await check(line, area, 'each trigger polled once at activation (baseline, no execution)', async () => {
			const deadline = Date.now() + 60_000;
			while (['kace', 'vsa', 'sps'].some((n) => polls(n, marks[n]).length === 0)) {
				assert(Date.now() < deadline, `no activation poll from ${['kace', 'vsa', 'sps'].filter((n) => polls(n, marks[n]).length === 0).join(', ')}\n${server.output().slice(-2000)}`);
				await sleep(500);
			}
			await sleep(1500);
			for (const id of TRIGGER_WORKFLOW_IDS) {
				const ex = await listExecutions(server.baseUrl, cookie, id);
				assert(ex.length === 0, `${id} has ${ex.length} execution(s) after the baseline poll`);
			}
			return 'KACE, VSA and SPS each answered one poll; 0 executions';
		});
		if (!okBase) return;

		// new data arrives
		const added = await sims.tick();
		say(line, `added ${JSON.stringify(added)}; waiting for the next minute's polls`);
		const wantItems = {
			[WORKFLOW_IDS.kaceTrigger]: {
				area: 'KACE SMA',
				trigger: 'New Ticket',
				match: (i) => i.id === added.kaceTicket.id && i.title === added.kaceTicket.title,
				what: `ticket ${added.kaceTicket.id}`,
				downstream: 'Assign Owner',
				effect: () => {
					const t = sims.kace.state.tickets.find((x) => x.id === added.kaceTicket.id);
					return t?.owner_id === KACE_TICKET_OWNER_ID ? `ticket ${t.id} now owned by user ${t.owner_id}` : `FAIL: ticket owner is ${t?.owner_id}`;
				},
			},
			[WORKFLOW_IDS.vsaTrigger]: {
				area: 'Kaseya VSA',
				trigger: 'New Alarm',
				match: (i) => i.AlarmId === added.vsaAlarm.AlarmId,
				what: `alarm ${added.vsaAlarm.AlarmId}`,
				downstream: 'Get Agent',
				effect: (run) => {
					const alarm = sims.vsa.state.alarms.find((a) => a.AlarmId === added.vsaAlarm.AlarmId);
					const out = run ? nodeItems(run, 'Get Agent') : [];
					return out[0]?.AgentId === alarm.AgentId ? `agent ${alarm.AgentId} read` : `FAIL: Get Agent output ${JSON.stringify(out).slice(0, 200)}`;
				},
			},
			[WORKFLOW_IDS.spsTrigger]: {
				area: 'SPS',
				trigger: 'New Recorded Session',
				match: (i) => i.key === added.spsSession,
				what: `session ${added.spsSession}`,
				downstream: 'Get Session Events',
				effect: (run) => {
					const out = run ? nodeItems(run, 'Get Session Events') : [];
					return out.length === 2 ? `${out.length} events of the session read` : `FAIL: Get Session Events output ${JSON.stringify(out).slice(0, 200)}`;
				},
			},
		};
		const flatted = flattedFor(line);
		const firstExec = {};
		const deadline = Date.now() + TRIGGER_TIMEOUT_MS;
		while (Object.keys(firstExec).length < TRIGGER_WORKFLOW_IDS.length && Date.now() < deadline) {
			for (const id of TRIGGER_WORKFLOW_IDS) {
				if (firstExec[id]) continue;
				const ex = (await listExecutions(server.baseUrl, cookie, id)).filter((e) => e.finished || ['success', 'error', 'crashed'].includes(e.status));
				if (ex.length) firstExec[id] = { exec: ex[0], at: Date.now(), all: ex };
			}
			await sleep(2000);
		}
		for (const id of TRIGGER_WORKFLOW_IDS) {
			const w = wantItems[id];
			const first = firstExec[id];
			let runData;
			await check(line, w.area, `polling trigger emits the new ${w.what.split(' ')[0]} in a running n8n`, async () => {
				assert(first, `no execution within ${secs(TRIGGER_TIMEOUT_MS)} (polls seen: ${polls(simOf(id), marks[simOf(id)]).length})`);
				const full = await rt.restGet(server.baseUrl, `/rest/executions/${first.exec.id}`, cookie);
				assert(full.status === 200, `GET /rest/executions/${first.exec.id} HTTP ${full.status}`);
				runData = flatted.parse(full.json.data.data);
				const items = nodeItems(runData, w.trigger);
				assert(items.some(w.match), `trigger items ${JSON.stringify(items).slice(0, 300)} lack ${w.what}`);
				assert(first.exec.mode === 'trigger', `mode ${first.exec.mode}`);
				return `execution ${first.exec.id} (mode trigger) with ${items.length} item(s) incl. ${w.what}`;
			});
			await check(line, w.area, `downstream node "${w.downstream}" ran on the trigger's item`, async () => {
				assert(first && runData, 'no trigger execution');
				const status = first.exec.status ?? (first.exec.finished ? 'success' : 'unknown');
				const err = runData?.resultData?.error;
				assert(status === 'success' && !err, `execution status ${status}${err ? `: ${err.message}` : ''}`);
				return w.effect(runData);
			});
		}

		// nothing new → the next poll creates no execution
		await check(line, area, 'the next poll with nothing new emits nothing (no new execution)', async () => {
			const after = {};
			for (const id of TRIGGER_WORKFLOW_IDS) {
				assert(firstExec[id], `${id}: no first execution to compare with`);
				after[simOf(id)] = sims[simOf(id)].requests.length;
			}
			const counts = {};
			for (const id of TRIGGER_WORKFLOW_IDS) counts[id] = (await listExecutions(server.baseUrl, cookie, id)).length;
			const until = Date.now() + 75_000;
			// wait until every simulator answered one more poll after the emitting execution
			while (['kace', 'vsa', 'sps'].some((n) => polls(n, after[n]).length === 0)) {
				assert(Date.now() < until, `no further poll from ${['kace', 'vsa', 'sps'].filter((n) => polls(n, after[n]).length === 0).join(', ')}`);
				await sleep(1000);
			}
			await sleep(3000); // an emitting poll would have stored its execution by now
			const grew = [];
			for (const id of TRIGGER_WORKFLOW_IDS) {
				const n = (await listExecutions(server.baseUrl, cookie, id)).length;
				if (n !== counts[id]) grew.push(`${id}: ${counts[id]} → ${n}`);
			}
			assert(!grew.length, `new executions: ${grew.join(', ')}`);
			return `KACE, VSA and SPS polled again (${['kace', 'vsa', 'sps'].map((n) => polls(n, after[n]).length).join('/')} request(s)), executions unchanged (${Object.values(counts).join('/')})`;
		});
		timings[line].triggers = Date.now() - tTrig;

		await check(line, area, 'n8n log has no errors from our nodes', async () => {
			const log = server.output();
			const lines = log.split('\n').filter((l) => /n8n-nodes-it-appliances|KACE|Kaseya|SPS|Safeguard/i.test(l) && /error|fail/i.test(l));
			return lines.length ? `FAIL: ${lines.slice(0, 5).join(' | ').slice(0, 600)}` : 'clean';
		});

		// after the log check: n8n logs the refusals of the wrong credentials tested here
		await check(line, 'credential tests', "n8n's own credential test (POST /rest/credentials/test): OK when right; when wrong, our message after one login attempt", async () => {
			const data = credentialData(sims, line);
			const failed = {
				kaceSmaApi: () => sims.kace.state.logins.failed,
				kaseyaVsaApi: () => sims.vsa.state.logins.filter((l) => !l.ok).length,
				safeguardSpsApi: () => sims.sps.requests.filter((q) => q.path === '/api/authentication' && q.status >= 400).length,
			};
			const wrong = {
				kaceSmaApi: [{ password: 'Wrong-pass-1!' }, /KACE SMA login failed for user "admin"/],
				kaseyaVsaApi: [{ accessToken: '11111111-1111-1111-1111-111111111111' }, /Personal Access Token/],
				safeguardSpsApi: [{ password: 'Wrong-pass-1!' }, /SPS refused the login/],
			};
			const test = (type, over) =>
				restPost(server.baseUrl, '/rest/credentials/test', {
					credentials: { id: CREDENTIAL_IDS[type], name: CREDENTIAL_NAMES[type], type, data: { ...data[type], ...over, session: '' } },
				}, cookie);
			const shown = [];
			for (const type of Object.keys(wrong)) {
				const ok = await test(type, {});
				assert(ok?.status === 'OK', `${type}: right credential → ${JSON.stringify(ok)}`);
				const before = failed[type]();
				const [over, want] = wrong[type];
				const bad = await test(type, over);
				const attempts = failed[type]() - before;
				assert(bad?.status === 'Error', `${type}: wrong secret → ${JSON.stringify(bad)}`);
				assert(want.test(bad.message) && !/^(Unauthorized|Forbidden)$/.test(bad.message), `${type}: "${bad.message}" !~ ${want}`);
				assert(attempts === 1, `${type}: ${attempts} refused login attempts`);
				assert(!Object.values(over).some((secret) => bad.message.includes(secret)), `${type}: the wrong secret is in the message`);
				shown.push(`${type} "${bad.message.slice(0, 60)}…"`);
			}
			return `3 OK; wrong secret → ${shown.join('; ')} (1 attempt each)`;
		});
	} catch (e) {
		record(line, 'setup', 'unexpected error', false, String(e?.stack ?? e).slice(0, 800));
	} finally {
		if (server) {
			const t = Date.now();
			const ex = await server.stop();
			outputs.push(server.output());
			record(line, 'teardown', 'n8n stopped', !!ex, `${JSON.stringify(ex)} in ${secs(Date.now() - t)}`);
		}
		if (sims) {
			const secrets = [ACCOUNTS.kace.password, ACCOUNTS.kaceBot.password, ACCOUNTS.vsa.password, ACCOUNTS.vsa.pat, ACCOUNTS.sps.password, 'Wrong-Passw0rd-KACE', 'Wrong-Passw0rd-SPS', '11111111-2222-3333-4444-555555555555', 'Wrong-pass-1!', '11111111-1111-1111-1111-111111111111'];
			const sessionIds = [...sims.sps.state.sessions.keys(), ...[...sims.vsa.state.tokens.keys()], ...[...sims.kace.state.sessions.keys()]];
			const all = outputs.join('\n');
			const leaked = [...secrets, ...sessionIds].filter((sct) => sct && all.includes(sct));
			record(line, 'teardown', 'no password, PAT, token or session id in any n8n output', leaked.length === 0, leaked.length ? `${leaked.length} secret(s) found` : `${(all.length / 1e6).toFixed(1)} MB of output checked`);
			await sims.stop();
		}
		if (userFolder) {
			if (KEEP) say(line, `kept user folder ${userFolder}`);
			else await fsp.rm(userFolder, { recursive: true, force: true });
		}
		timings[line].total = Date.now() - lineStart;
		execPhaseSignal[line]();
	}
}

/**
 * The jest-based end-to-end files in test/e2e (*.e2e.test.js, e.g. the SPS one: NODE_EXTRA_CA_CERTS on 1.x,
 * encrypted client keys on 2.x). jest's config leaves test/e2e out of `npm test`; they run here, started once the
 * lines' CPU-heavy execute phase is over (they overlap the triggers' one-minute waits), each test one result row.
 */
async function runJestFiles() {
	const files = fs.readdirSync(HERE).filter((f) => f.endsWith('.e2e.test.js'));
	if (!files.length || has('no-jest')) return;
	await Promise.all(LINES.map((l) => execPhaseDone[l]));
	const started = Date.now();
	const out = path.join(os.tmpdir(), `n8n-e2e-jest-${process.pid}.json`);
	say('jest', `running ${files.join(', ')}`);
	const args = ['jest', '--testMatch', '**/test/e2e/*.e2e.test.js', '--testPathIgnorePatterns', '/node_modules/', '--json', `--outputFile=${out}`];
	const env = { ...process.env };
	for (const k of Object.keys(env)) if (/^npm_/i.test(k)) delete env[k];
	const r = await run('npx', args, { cwd: ROOT, env, maxBuffer: 64 << 20 }).catch((e) => e);
	timings.jest = Date.now() - started;
	let report;
	try {
		report = JSON.parse(fs.readFileSync(out, 'utf8'));
	} catch {
		record('jest', 'jest', files.join(', '), false, `no jest report (exit ${r.code ?? 0}): ${String(r.stderr ?? '').slice(-600)}`);
		return;
	} finally {
		fs.rmSync(out, { force: true });
	}
	for (const file of report.testResults ?? []) {
		const area = path.basename(file.name ?? file.testFilePath ?? '').replace(/\.e2e\.test\.js$/, '');
		for (const t of file.assertionResults ?? []) {
			if (t.status === 'pending' || t.status === 'skipped') {
				record('jest', area, t.title, true, 'skipped (runtime not installed)');
				continue;
			}
			const failure = (t.failureMessages ?? []).join(' ').split('\n').slice(0, 3).join(' | ').slice(0, 400);
			record('jest', area, t.title, t.status === 'passed', t.status === 'passed' ? `${secs(t.duration ?? 0)}` : failure, t.duration);
		}
		if (!file.assertionResults?.length && file.status !== 'passed') record('jest', area, 'test file', false, String(file.message ?? '').slice(0, 400));
	}
}

function safeJson(s) {
	try {
		return JSON.parse(s);
	} catch {
		return undefined;
	}
}
function simOf(workflowId) {
	return workflowId === WORKFLOW_IDS.kaceTrigger ? 'kace' : workflowId === WORKFLOW_IDS.vsaTrigger ? 'vsa' : 'sps';
}
function iconUrls(t) {
	const u = t.iconUrl;
	if (!u) return [];
	return typeof u === 'string' ? [u] : [u.light, u.dark].filter(Boolean);
}
function nodeItems(runData, node) {
	const rd = runData?.resultData?.runData?.[node];
	return (rd?.[0]?.data?.main?.[0] ?? []).map((i) => i.json);
}
/** flatted (n8n stores execution data with it) from the runtime's own node_modules */
function flattedFor(line) {
	const req = createRequire(path.join(rt.runtimeDir(line), 'node_modules', 'n8n', 'package.json'));
	return req('flatted');
}
async function listExecutions(baseUrl, cookie, workflowId) {
	const q = encodeURIComponent(JSON.stringify({ workflowId }));
	const r = await rt.restGet(baseUrl, `/rest/executions?filter=${q}&limit=50`, cookie);
	if (r.status !== 200) throw new Error(`GET /rest/executions HTTP ${r.status}: ${r.text.slice(0, 300)}`);
	const d = r.json?.data;
	return Array.isArray(d) ? d : (d?.results ?? []);
}

// ------------------------------------------------------------------ main

function table() {
	const order = (l) => (LINES.includes(l) ? LINES.indexOf(l) : LINES.length + (l === 'jest' ? 1 : l === 'demo' ? 2 : 0));
	const sorted = results.map((r, i) => ({ r, i })).sort((a, b) => order(a.r.line) - order(b.r.line) || a.i - b.i).map((x) => x.r);
	const rows = sorted.map((r) => [r.line, r.skipped ? 'SKIP' : r.ok ? 'PASS' : 'FAIL', r.area, r.name, r.detail ?? '']);
	const w = [4, 4, 12, 70];
	const cut = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
	const out = [];
	out.push(`${'line'.padEnd(w[0])}  ${'res'.padEnd(w[1])}  ${'area'.padEnd(w[2])}  ${'check'.padEnd(w[3])}  detail`);
	out.push('-'.repeat(140));
	for (const r of rows) out.push(`${cut(r[0], w[0])}  ${cut(r[1], w[1])}  ${cut(r[2], w[2])}  ${cut(r[3], w[3])}  ${r[4]}`);
	return out.join('\n');
}

/** `npm start` started for real and stopped in four ways (test/e2e/demo-stop.mjs), once the execute phases are over. */
async function runDemoStop() {
	if (has('no-demo-stop')) return;
	await Promise.all(LINES.map((l) => execPhaseDone[l]));
	const started = Date.now();
	try {
		await demoStopChecks({
			line: 'auto',
			say: (m) => say('demo', m),
			record: (area, name, ok, detail) => record('demo', area, name, ok, detail, undefined, /^skipped/.test(detail ?? '')),
		});
	} catch (e) {
		record('demo', 'npm start', 'stop checks', false, String(e?.message ?? e).slice(0, 600));
	}
	timings.demoStop = Date.now() - started;
}

async function main() {
	say('all', `lines ${LINES.join(', ')}${SERIAL ? ' (serial)' : ' (in parallel)'}`);
	const jest = runJestFiles().then(runDemoStop);
	if (SERIAL) for (const l of LINES) await runLine(l);
	else await Promise.all(LINES.map((l) => runLine(l)));
	await jest;
	const tb = await tarballPromise?.catch(() => undefined);
	if (tb) await fsp.rm(tb.dir, { recursive: true, force: true });
	console.log('');
	console.log(table());
	console.log('');
	for (const l of LINES) {
		const t = timings[l] ?? {};
		const fmt = (k) => (t[k] !== undefined ? secs(t[k]) : '-');
		console.log(`${l}: total ${fmt('total')} (runtime ${fmt('runtime')}, executes ${fmt('executes')}, running-n8n triggers ${fmt('triggers')})`);
	}
	if (timings.jest !== undefined) console.log(`jest e2e files: ${secs(timings.jest)} (overlapping the trigger phase)`);
	if (timings.demoStop !== undefined) console.log(`npm start stop checks: ${secs(timings.demoStop)}`);
	console.log(`wall time ${secs(Date.now() - t0)}`);
	const skipped = results.filter((r) => r.skipped).length;
	const passed = results.filter((r) => r.ok && !r.skipped).length;
	const failed = results.length - passed - skipped;
	console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
	process.exitCode = failed ? 1 : 0;
}

// Ctrl-C: exit through process.exit so scripts/n8n-runtime.mjs kills the n8n process groups it started
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => {
		process.stderr.write(`\n[e2e] ${sig}: stopping n8n processes and exiting\n`);
		process.exit(130);
	});
}

main().catch((e) => {
	console.error(e?.stack ?? e);
	console.log('0 passed, 1 failed');
	process.exitCode = 1;
});
