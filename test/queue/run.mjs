#!/usr/bin/env node
// Queue mode (scale-out), on the real thing: Redis + a throwaway PostgreSQL cluster + n8n main + 2 workers
// (test/queue/stack.mjs), this package installed as a community package in every process, the three appliance
// simulators in THIS process with a realistic login latency (1 s). Executions are started the way production
// starts them: HTTP requests to Webhook-triggered workflows on main, which queues them for the workers. Logins are
// counted from the simulators' request logs; each login request is attributed to the n8n process that sent it
// (its TCP socket, /proc). Issue 15, points 1-5:
//   1. shared session: after one login, 20 executions on both workers make 0 logins;
//   2. no login storm: 20 executions with an empty or an expired session → at most one login per worker, 0 failed;
//   3. no lockout: the same with a wrong password → at most one refused attempt per worker; later executions of
//      that credential version make none and say why; editing the credential tries again at once;
//   4. across processes: the same with sessions ended by every new login of the user (the other reading of the
//      appliances): what still races between the workers is bounded (≤ 2 logins per request, a clear failure) and
//      measured (figures);
//   5. polling triggers run on main only, once per interval, their executions on the workers, and their cursors
//      survive a restart of main.
//
//   npm run test:queue                      n8n 2.41.1 then 1.123.81 (build first)
//   node test/queue/run.mjs --line v2       one line; --keep keeps the temporary folder (logs, database)
//   node test/queue/run.mjs --package DIR   load another build of the package (e.g. the one before the change)
//   node test/queue/run.mjs --only kace     one appliance (kace, vsa, sps); --no-triggers skips point 5
//
// Prints a results table, the figures, and `N passed, N failed` last; exits 1 on any failure.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';

import * as rt from '../../scripts/n8n-runtime.mjs';
import { PKG, workflow } from '../../demo/workflows.mjs';
import * as stack from './stack.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const require = createRequire(import.meta.url);
const { createKaceSim } = require('../sim/kace.js');
const { createVsaSim } = require('../sim/vsa.js');
const { createSpsSim } = require('../sim/sps.js');
const { makePki } = require('../sim/certs.js');

const argv = process.argv.slice(2);
const has = (f) => argv.includes(`--${f}`);
const opt = (f, d) => {
	const i = argv.indexOf(`--${f}`);
	return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : d;
};
const LINES = opt('line', 'all') === 'all' ? ['v2', 'v1'] : [opt('line')];
const KEEP = has('keep');
const PACKAGE_DIR = path.resolve(opt('package', ROOT));
const ONLY = opt('only', 'kace,vsa,sps').split(',');
const TRIGGERS = !has('no-triggers');
const N = Number(opt('executions', 20));
const LOGIN_DELAY_MS = Number(opt('login-delay', 1000));
const WORKERS = 2;

const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (line, msg) => process.stderr.write(`[queue ${line} +${secs(Date.now() - t0)}] ${msg}\n`);

// ------------------------------------------------------------------ results

const results = [];
const figures = [];
function record(line, area, name, ok, detail) {
	results.push({ line, area, name, ok, detail });
	say(line, `${ok ? 'PASS' : 'FAIL'} ${area}: ${name}${detail ? ` — ${detail}` : ''}`);
}
async function check(line, area, name, fn) {
	try {
		const detail = await fn();
		record(line, area, name, true, detail ?? '');
		return true;
	} catch (e) {
		record(line, area, name, false, String(e?.message ?? e).split('\n').slice(0, 8).join(' | ').slice(0, 900));
		return false;
	}
}
function assert(cond, message) {
	if (!cond) throw new Error(message);
}

// ------------------------------------------------------------------ appliances

/** Accounts on each simulator: one per scenario, so no scenario inherits another's session or memory. */
const SCENARIOS = ['shared', 'storm', 'wrong', 'excl'];
const account = (app, who) => ({ user: `q-${who}`, secret: `${app}-${who}-Passw0rd!` });
const guid = (app, who) => {
	const h = Buffer.from(`${app}:${who}`).toString('hex').padEnd(32, '0').slice(0, 32);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
const WHO = [...SCENARIOS, 'trig', 'bot'];

/** Basic user from a login request (VSA PAT / SPS password), or the KACE JSON body's userName. */
function loginUser(entry) {
	if (entry.path === '/ams/shared/api/security/login') {
		try {
			return JSON.parse(entry.body).userName;
		} catch {
			return undefined;
		}
	}
	const m = /^Basic (.+)$/.exec(entry.headers.authorization ?? '');
	if (!m) return undefined;
	return Buffer.from(m[1], 'base64').toString('utf8').split(':')[0];
}

function appliances(line, pki) {
	const kace = {
		name: 'kace',
		title: 'KACE SMA',
		credType: 'kaceSmaApi',
		node: `${PKG}.kaceSma`,
		sim: createKaceSim({
			machines: 300,
			loginDelayMs: LOGIN_DELAY_MS,
			users: WHO.map((w) => ({ userName: account('kace', w).user, password: account('kace', w).secret, role: 'admin' })),
		}),
		isLogin: (q) => q.path === '/ams/shared/api/security/login',
		data: (sim, who, over = {}) => ({
			baseUrl: sim.url,
			username: account('kace', who).user,
			password: account('kace', who).secret,
			organization: '',
			apiVersion: '5',
			totpSecret: '',
			caCertificate: '',
			allowUnauthorizedCerts: false,
			...over,
		}),
		wrong: { password: 'Wrong-KACE-Passw0rd!' },
		refusedAfterLogin: /HTTP 401/,
		params: { resource: 'machine', operation: 'getMany', returnAll: false, limit: 100, filters: {}, options: {} },
		expire: (sim, who) => {
			for (const s of sim.state.sessions.values()) if (s.user.user_name === account('kace', who).user) s.expired = true;
		},
		// point 5: a new service desk ticket (created through the API, like a user would)
		trigger: { params: { event: 'newTicket', queueId: '1', options: {} }, isPoll: (q) => q.method === 'GET' && q.path === '/api/service_desk/tickets', id: (j) => String(j.id) },
	};
	const vsa = {
		name: 'vsa',
		title: 'Kaseya VSA',
		credType: 'kaseyaVsaApi',
		node: `${PKG}.kaseyaVsa`,
		sim: createVsaSim({
			agents: 150,
			alarms: 2,
			loginDelayMs: LOGIN_DELAY_MS,
			users: WHO.map((w) => ({ username: account('vsa', w).user, password: account('vsa', w).secret, pat: guid('vsa', w) })),
		}),
		isLogin: (q) => q.path.toLowerCase() === '/api/v1.0/auth',
		data: (sim, who, over = {}) => ({
			server: sim.url,
			authMethod: 'pat',
			username: account('vsa', who).user,
			accessToken: guid('vsa', who),
			password: '',
			caCertificate: '',
			allowUnauthorizedCerts: false,
			...over,
		}),
		wrong: { accessToken: '11111111-2222-3333-4444-555555555555' },
		refusedAfterLogin: /refused the session token it had just issued/,
		params: { resource: 'agent', operation: 'getMany', returnAll: false, limit: 100 },
		expire: (sim, who) => {
			for (const t of sim.state.tokens.values()) if (t.user.username === account('vsa', who).user) t.expiresAt = 0;
		},
		trigger: { params: { event: 'newAlarm', options: {} }, isPoll: (q) => q.path === '/api/v1.0/assetmgmt/alarms/true', id: (j) => String(j.AlarmId) },
	};
	const sps = {
		name: 'sps',
		title: 'SPS',
		credType: 'safeguardSpsApi',
		node: `${PKG}.safeguardSps`,
		sim: createSpsSim({
			loginDelayMs: LOGIN_DELAY_MS,
			seed: `queue-${Date.now()}`,
			users: WHO.map((w) => ({ username: account('sps', w).user, password: account('sps', w).secret, loginMethod: 'local' })),
			tls: { key: pki.serverKeyPem, cert: pki.serverCertPem, ca: [pki.caPem], requestCert: true, rejectUnauthorized: false },
		}),
		isLogin: (q) => q.path === '/api/authentication',
		data: (sim, who, over = {}) => ({
			baseUrl: sim.url,
			authType: 'password',
			username: account('sps', who).user,
			password: account('sps', who).secret,
			loginMethod: '',
			// n8n 1.x does not apply the credential's CA to requests (scripts/N8N_RUNTIME_NOTES.md (b))
			...(line === 'v1' ? { caCertificate: '', allowUnauthorizedCerts: true } : { caCertificate: pki.caPem, allowUnauthorizedCerts: false }),
			...over,
		}),
		wrong: { password: 'Wrong-SPS-Passw0rd!' },
		refusedAfterLogin: /did not accept the login session .* even after logging in again/,
		params: { resource: 'system', operation: 'getCurrentUser' },
		expire: (sim, who) => {
			for (const [id, s] of sim.state.sessions) if (s.username === account('sps', who).user) sim.state.sessions.delete(id);
		},
		trigger: { params: { event: 'newSession', query: '', sessionData: 'key', options: {} }, isPoll: (q) => q.path === '/api/audit/sessions', id: (j) => String(j.key) },
	};
	return [kace, vsa, sps].filter((a) => ONLY.includes(a.name));
}

const credId = (app, who) => `q${app}${who}`.padEnd(16, '0').slice(0, 16);
const credName = (app, who) => `queue ${app} ${who}`;
const wfId = (app, who) => `w${app}${who}`.padEnd(16, '0').slice(0, 16);
const hookPath = (app, who) => `queue-${app}-${who}`;

function webhookWorkflow(a, who) {
	const wf = workflow(
		wfId(a.name, who),
		`queue: ${a.title} ${who}`,
		[
			['Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: hookPath(a.name, who), responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} }, { typeVersion: 2 }],
			['Read', a.node, a.params, { credentials: { [a.credType]: { id: credId(a.name, who), name: credName(a.name, who) } } }],
		],
		[['Webhook', 'Read']],
	);
	wf.nodes[0].webhookId = randomUUID();
	return wf;
}

function triggerWorkflow(a) {
	const wf = workflow(
		wfId(a.name, 'trig'),
		`queue: ${a.title} trigger`,
		[
			['Trigger', `${a.node}Trigger`, { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...a.trigger.params }, { credentials: { [a.credType]: { id: credId(a.name, 'trig'), name: credName(a.name, 'trig') } } }],
			['Done', 'n8n-nodes-base.noOp', {}],
		],
		[['Trigger', 'Done']],
	);
	return wf;
}

// ------------------------------------------------------------------ REST on main

/** POST /rest/workflows/<id>/activate with the current versionId (both lines). */
async function activate(base, cookie, id) {
	const wf = await rt.restJson(base, 'GET', `/rest/workflows/${id}`, { cookie });
	if (wf.status !== 200) throw new Error(`GET /rest/workflows/${id}: HTTP ${wf.status} ${wf.text.slice(0, 300)}`);
	const r = await rt.restJson(base, 'POST', `/rest/workflows/${id}/activate`, { cookie, body: { versionId: wf.json.data.versionId } });
	if (r.status !== 200) throw new Error(`activate ${id}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
}

async function executionsOf(base, cookie, workflowId) {
	const q = encodeURIComponent(JSON.stringify({ workflowId }));
	const r = await rt.restJson(base, 'GET', `/rest/executions?filter=${q}&limit=100`, { cookie });
	if (r.status !== 200) throw new Error(`GET /rest/executions HTTP ${r.status}: ${r.text.slice(0, 300)}`);
	const d = r.json?.data;
	return Array.isArray(d) ? d : (d?.results ?? []);
}

// ------------------------------------------------------------------ one line

async function runLine(line) {
	const area0 = `setup`;
	let runtime;
	const ok = await check(line, area0, 'n8n runtime installed (pinned)', async () => {
		runtime = await rt.ensureRuntime(line);
		return `n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}`;
	});
	if (!ok) return;
	const flatted = createRequire(path.join(runtime.dir, 'node_modules', 'n8n', 'package.json'))('flatted');
	const root = await stack.tempRoot(`n8n-queue-${line}-`);
	say(line, `temporary folder ${root}${KEEP ? ' (kept)' : ''}`);
	const pki = makePki();
	const apps = appliances(line, pki);
	const procs = []; // n8n processes, for attributing requests
	const roleOf = (pid) => procs.find((p) => p.pid === pid)?.role ?? (pid ? `pid ${pid}` : 'unknown');

	try {
		// ---------------------------------------------------------------- infrastructure
		let redis;
		let postgres;
		const okInfra = await check(line, area0, 'Redis and a throwaway PostgreSQL cluster on loopback ports', async () => {
			[redis, postgres] = await Promise.all([stack.startRedis(root, { log: (m) => say(line, m) }), stack.startPostgres(root, { log: (m) => say(line, m) })]);
			return `Redis ${redis.version} :${redis.port} (${secs(redis.ms)}), PostgreSQL ${postgres.version} :${postgres.port} as ${postgres.user} (${secs(postgres.ms)})`;
		});
		if (!okInfra) return;
		for (const a of apps) {
			await a.sim.start(await stack.port(), '127.0.0.1');
			const simPort = Number(new URL(a.sim.url).port);
			// which n8n process sent each login and each trigger poll
			a.sim.onRequest = (ctx) => {
				if (a.isLogin(ctx.entry) || a.trigger.isPoll(ctx.entry)) {
					ctx.entry.pid = stack.socketOwner(ctx.req.socket.remotePort, simPort, procs.filter((p) => !p.exited?.()).map((p) => p.pid));
				}
			};
		}
		say(line, `simulators ${apps.map((a) => `${a.name} ${a.sim.url}`).join(', ')}; login latency ${LOGIN_DELAY_MS} ms`);
		const env = stack.queueEnv({ redis, postgres });
		const folders = {};
		for (const name of ['main', ...Array.from({ length: WORKERS }, (_, i) => `worker${i + 1}`)]) folders[name] = await stack.userFolder(root, name, line, PACKAGE_DIR);

		// credentials and workflows, imported with the CLI (workflows active, as queue mode allows)
		const credentials = [];
		const workflows = [];
		for (const a of apps) {
			for (const who of [...SCENARIOS, 'trig']) {
				credentials.push({ id: credId(a.name, who), name: credName(a.name, who), type: a.credType, data: { ...a.data(a.sim, who, who === 'wrong' ? a.wrong : {}), session: '' } });
			}
			for (const who of SCENARIOS) workflows.push(webhookWorkflow(a, who));
			if (TRIGGERS) workflows.push(triggerWorkflow(a));
		}
		const okImport = await check(line, area0, 'import:credentials + import:workflow (migrates the empty database)', async () => {
			const credFile = path.join(root, 'credentials.json');
			await fsp.writeFile(credFile, JSON.stringify(credentials), { mode: 0o600 });
			const wfDir = path.join(root, 'workflows');
			await fsp.mkdir(wfDir);
			for (const w of workflows) await fsp.writeFile(path.join(wfDir, `${w.id}.json`), JSON.stringify(w));
			const c = await stack.n8nCli(line, folders.main, ['import:credentials', `--input=${credFile}`], env);
			await fsp.rm(credFile);
			const w = await stack.n8nCli(line, folders.main, ['import:workflow', '--separate', `--input=${wfDir}`], env);
			await fsp.writeFile(path.join(root, 'import.log'), [c.stdout, c.stderr, w.stdout, w.stderr].join('\n'));
			return `${credentials.length} credentials, ${workflows.length} workflows (${secs(c.ms + w.ms)})`;
		});
		if (!okImport) return;

		// ---------------------------------------------------------------- n8n main + workers
		let main;
		const workers = [];
		const mainPort = await stack.port();
		const mainBroker = await stack.port();
		const okStart = await check(line, area0, `n8n main + ${WORKERS} workers (EXECUTIONS_MODE=queue, own task-broker ports)`, async () => {
			const started = await Promise.all([
				stack.startMain(line, folders.main, env, { port: mainPort, brokerPort: mainBroker, logFile: path.join(root, 'main.log') }),
				...Array.from({ length: WORKERS }, (_, i) => stack.startWorker(line, folders[`worker${i + 1}`], env, { name: `worker${i + 1}`, logFile: path.join(root, `worker${i + 1}.log`) })),
			]);
			main = started[0];
			workers.push(...started.slice(1));
			procs.push({ pid: main.pid, role: 'main', exited: () => false }, ...workers.map((w) => ({ pid: w.pid, role: w.name, exited: w.exited })));
			return `main ready in ${secs(main.ms)} on :${mainPort}; ${workers.map((w) => `${w.name} ${secs(w.ms)} (broker :${w.brokerPort}, health :${w.healthPort})`).join(', ')}`;
		});
		if (!okStart) return;
		let cookie;
		const okOwner = await check(line, area0, 'owner set up on main; webhook workflows activated (REST API, as the editor does)', async () => {
			await rt.setupOwner(main.baseUrl);
			cookie = (await rt.login(main.baseUrl)).cookie;
			assert(cookie, 'no n8n-auth cookie');
			const hooks = workflows.filter((x) => x.nodes[0].type === 'n8n-nodes-base.webhook');
			for (const w of hooks) await activate(main.baseUrl, cookie, w.id);
			for (const w of hooks) await stack.waitForWebhook(main.baseUrl, w.nodes[0].parameters.path);
			return `${workflows.filter((x) => x.nodes[0].type === 'n8n-nodes-base.webhook').length} webhook workflows active`;
		});
		if (!okOwner) return;

		// ---------------------------------------------------------------- point 5 runs alongside (minute ticks)
		const triggerTask = TRIGGERS ? triggersPhase1({ line, apps, main: () => main, workers, cookie, flatted, roleOf }) : undefined;

		// ---------------------------------------------------------------- points 1-4
		const fire = async (a, who, n) => {
			const url = `${main.baseUrl}/webhook/${hookPath(a.name, who)}`;
			const started = Date.now();
			const res = await Promise.all(
				Array.from({ length: n }, () =>
					fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(180_000) })
						.then(async (r) => ({ status: r.status, text: await r.text() }))
						.catch((e) => ({ status: 0, text: String(e?.message ?? e) })),
				),
			);
			return { ms: Date.now() - started, ok: res.filter((r) => r.status === 200 && !/"error"/.test(r.text)).length, failed: res.filter((r) => r.status !== 200 || /"error"/.test(r.text)), res };
		};
		const loginsSince = (a, who, mark) =>
			a.sim.requests
				.slice(mark)
				.filter((q) => a.isLogin(q) && loginUser(q) === account(a.name, who).user)
				.map((q) => ({ ok: q.status === 200, pid: q.pid, role: roleOf(q.pid) }));
		const perProcess = (logins) => {
			const by = {};
			for (const l of logins) by[l.role] = (by[l.role] ?? 0) + 1;
			return by;
		};
		const describe = (logins) => `${logins.length} (${Object.entries(perProcess(logins)).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`;
		const workerMarks = () => workers.map((w) => stack.executionsStartedBy(w).length);
		const workersUsed = (marks) => workers.map((w, i) => stack.executionsStartedBy(w).length - marks[i]);
		const atMostOnePerWorker = (logins) => {
			const by = perProcess(logins);
			for (const [role, n] of Object.entries(by)) {
				assert(role.startsWith('worker'), `a login came from ${role}, not from a worker`);
				assert(n <= 1, `${role} logged in ${n} times`);
			}
		};
		const failureMessages = async (a, who, count) => {
			const list = (await executionsOf(main.baseUrl, cookie, wfId(a.name, who))).filter((e) => e.status === 'error');
			const out = [];
			for (const e of list.slice(0, count)) {
				const full = await rt.restJson(main.baseUrl, 'GET', `/rest/executions/${e.id}`, { cookie });
				const data = flatted.parse(full.json.data.data);
				out.push(data.resultData?.error?.message ?? '');
			}
			return out;
		};
		const figure = (a, scenario, value) => figures.push({ line, app: a.name, scenario, value });

		for (const a of apps) {
			const area = a.title;
			// 1. shared session
			await check(line, area, `1. shared session: one execution logs in once, then ${N} executions on both workers make 0 logins`, async () => {
				const mark = a.sim.requests.length;
				const one = await fire(a, 'shared', 1);
				assert(one.ok === 1, `the first execution failed: ${one.failed.map((f) => f.text.slice(0, 200)).join(' | ')}`);
				const first = loginsSince(a, 'shared', mark);
				assert(first.length === 1 && first[0].ok, `first execution: ${describe(first)} logins, expected 1`);
				const mark2 = a.sim.requests.length;
				const wm = workerMarks();
				const many = await fire(a, 'shared', N);
				const used = workersUsed(wm);
				const logins = loginsSince(a, 'shared', mark2);
				figure(a, 'live session', `${logins.length} logins / ${N} executions (${used.join('+')} per worker)`);
				assert(many.ok === N, `${many.failed.length} executions failed: ${many.failed[0]?.text.slice(0, 200)}`);
				assert(used.every((n) => n > 0), `executions per worker ${used.join(', ')}: not both workers ran some`);
				assert(logins.length === 0, `${describe(logins)} logins, expected 0`);
				return `first: 1 login (${first[0].role}); then ${N} executions (${used.join(' + ')} per worker, ${secs(many.ms)}): 0 logins`;
			});
			// 2. no login storm: empty, then expired
			for (const phase of ['empty', 'expired']) {
				const what = phase === 'empty' ? 'with an EMPTY session' : 'after the session EXPIRED';
				await check(line, area, `2. no login storm: ${N} executions ${what} → ≤ 1 login per worker, 0 failed`, async () => {
					if (phase === 'expired') a.expire(a.sim, 'storm');
					const mark = a.sim.requests.length;
					const wm = workerMarks();
					const r = await fire(a, 'storm', N);
					const used = workersUsed(wm);
					const logins = loginsSince(a, 'storm', mark);
					figure(a, `${phase} session`, `${logins.length} logins / ${N} (${describe(logins)}), ${N - r.ok} failed`);
					assert(r.ok === N, `${r.failed.length} executions failed: ${r.failed[0]?.text.slice(0, 200)}`);
					atMostOnePerWorker(logins);
					return `${describe(logins)} logins for ${N} executions (${used.join(' + ')} per worker, ${secs(r.ms)})`;
				});
			}
			// 3. no lockout
			await check(line, area, `3. no lockout: ${N} executions with a WRONG password → ≤ 1 refused attempt per worker, all fail with the appliance's refusal`, async () => {
				const mark = a.sim.requests.length;
				const r = await fire(a, 'wrong', N);
				const logins = loginsSince(a, 'wrong', mark);
				figure(a, 'wrong password', `${logins.length} refused attempts / ${N} (${describe(logins)})`);
				assert(r.ok === 0, `${r.ok} executions succeeded with a wrong password`);
				assert(logins.every((l) => !l.ok), 'a login succeeded');
				atMostOnePerWorker(logins);
				const msgs = await failureMessages(a, 'wrong', 3);
				assert(msgs.length && msgs.every((m) => /refused|failed/i.test(m)), `messages: ${JSON.stringify(msgs).slice(0, 400)}`);
				return `${describe(logins)} refused attempts for ${N} executions; e.g. "${msgs[0].slice(0, 120)}…"`;
			});
			await check(line, area, `3. no lockout: ${N} more executions of the same credential → 0 attempts, and the error says why`, async () => {
				const mark = a.sim.requests.length;
				const r = await fire(a, 'wrong', N);
				const logins = loginsSince(a, 'wrong', mark);
				assert(r.ok === 0, `${r.ok} executions succeeded`);
				assert(logins.length === 0, `${describe(logins)} new attempts`);
				const msgs = await failureMessages(a, 'wrong', 2);
				assert(msgs.every((m) => m.includes('No login attempt was made this time')), `messages: ${JSON.stringify(msgs).slice(0, 500)}`);
				return `0 attempts; "${msgs[0].slice(msgs[0].indexOf('No login attempt'), msgs[0].indexOf('No login attempt') + 110)}…"`;
			});
			await check(line, area, `3. editing the credential (the right password) clears it: the next ${N} executions log in (≤ 1 per worker) and succeed`, async () => {
				const id = credId(a.name, 'wrong');
				const patch = await rt.restJson(main.baseUrl, 'PATCH', `/rest/credentials/${id}`, {
					cookie,
					body: { id, name: credName(a.name, 'wrong'), type: a.credType, data: { ...a.data(a.sim, 'wrong'), session: '' } },
				});
				assert(patch.status === 200, `PATCH /rest/credentials/${id}: HTTP ${patch.status} ${patch.text.slice(0, 300)}`);
				const mark = a.sim.requests.length;
				const r = await fire(a, 'wrong', N);
				const logins = loginsSince(a, 'wrong', mark);
				assert(r.ok === N, `${r.failed.length} executions failed: ${r.failed[0]?.text.slice(0, 200)}`);
				assert(logins.every((l) => l.ok), 'a login was refused');
				atMostOnePerWorker(logins);
				return `${describe(logins)} logins, ${N} succeeded`;
			});
			// 4. the other reading: a new login ends the sessions issued before it (per user). Two workers that renew
			// together end each other's fresh sessions; what bounds the race does not depend on timing: each request
			// logs in at most twice (the second time only after waiting for the other worker's session in vain; each
			// execution here sends one request), takes a session another worker stored instead of logging in, and
			// fails, if at all, with the appliance's refusal and what to check — never a loop, never a silent success. How many logins and failures a run sees depends
			// on when the other worker's session reaches the database: figures, not assertions.
			await check(line, area, `4. sessions ended by each new login (other reading): ${N} executions, empty then expired session → ≤ 2 logins per execution, from workers only; a failure says the session was refused after a fresh login`, async () => {
				a.sim.loginEndsEarlierSessions = true;
				try {
					const out = [];
					for (const phase of ['empty', 'expired']) {
						if (phase === 'expired') a.expire(a.sim, 'excl');
						const mark = a.sim.requests.length;
						const r = await fire(a, 'excl', N);
						const logins = loginsSince(a, 'excl', mark);
						figure(a, `one-session reading, ${phase}`, `${logins.length} logins / ${N} (${describe(logins)}), ${N - r.ok} failed`);
						out.push(`${phase}: ${describe(logins)} logins, ${N - r.ok} failed`);
						assert(logins.length <= 2 * N, `${phase}: ${describe(logins)} logins for ${N} executions of one request each`);
						assert(logins.every((l) => l.ok && l.role.startsWith('worker')), `${phase}: logins ${describe(logins)}, some refused or not from a worker`);
						if (r.ok !== N) {
							const msgs = await failureMessages(a, 'excl', N - r.ok);
							const bad = msgs.filter((m) => !a.refusedAfterLogin.test(m));
							assert(msgs.length === N - r.ok && !bad.length, `${phase}: ${N - r.ok} failed, unexpected messages: ${[...new Set(bad)].join(' | ').slice(0, 400)}`);
							out.push(`e.g. "${msgs[0].slice(0, 110)}…"`);
						}
					}
					return out.join('; ');
				} finally {
					a.sim.loginEndsEarlierSessions = false;
				}
			});
		}

		await check(line, 'stored', 'the stored credentials hold sessions, and never the marker of a forced login (replacedSession)', async () => {
			const file = path.join(root, 'export.json');
			await stack.n8nCli(line, folders.main, ['export:credentials', '--all', '--decrypted', `--output=${file}`], env);
			const exported = JSON.parse(await fsp.readFile(file, 'utf8'));
			await fsp.rm(file);
			const ours = exported.filter((c) => c.id.startsWith('q'));
			assert(ours.length === credentials.length, `${ours.length} of ${credentials.length} credentials exported`);
			const marked = ours.filter((c) => Object.keys(c.data ?? {}).some((k) => k === 'replacedSession'));
			assert(!marked.length, `replacedSession stored in ${marked.map((c) => c.id).join(', ')}`);
			const withSession = ours.filter((c) => typeof c.data?.session === 'string' && c.data.session !== '').length;
			return `${ours.length} credentials, ${withSession} with a session, none with the marker`;
		});

		// ---------------------------------------------------------------- point 5: restart main, cursors
		if (triggerTask) {
			const phase1 = await triggerTask;
			await triggersPhase2({ line, apps, phase1, restart: async () => {
				// main runs until every trigger has polled at least twice (activation + a minute's poll), however
				// quickly points 1-4 went
				const deadline = Date.now() + 180_000;
				while (apps.some((a) => pollsOf(a).filter((p) => p.at >= phase1.activatedAt).length < 2) && Date.now() < deadline) await sleep(1000);
				await main.stop();
				procs.find((p) => p.role === 'main').exited = () => true;
				const stoppedAt = Date.now();
				const added = await addTriggerData(apps);
				const restartedAt = Date.now();
				main = await stack.startMain(line, folders.main, env, { port: mainPort, brokerPort: mainBroker, logFile: path.join(root, 'main.log') });
				procs.push({ pid: main.pid, role: 'main', exited: () => false });
				return { added, main, cookie: (await rt.login(main.baseUrl)).cookie, stoppedAt, restartedAt };
			}, workers, flatted, roleOf });
		}
	} catch (e) {
		record(line, 'run', 'unexpected error', false, String(e?.stack ?? e).slice(0, 900));
	} finally {
		for (const a of apps) await a.sim.stop().catch(() => {});
		await stack.cleanup({ keep: KEEP });
	}
}

// ------------------------------------------------------------------ point 5

/** New data for each trigger: a KACE ticket (through the API, as a user), a VSA alarm, an SPS recorded session. */
async function addTriggerData(apps) {
	const added = {};
	for (const a of apps) {
		if (a.name === 'kace') {
			const { user, secret } = account('kace', 'bot');
			const h = { 'content-type': 'application/json', 'x-kace-api-version': '5', accept: 'application/json' };
			const login = await fetch(`${a.sim.url}/ams/shared/api/security/login`, { method: 'POST', headers: h, body: JSON.stringify({ userName: user, password: secret }) });
			await login.text();
			const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
			const res = await fetch(`${a.sim.url}/api/service_desk/tickets`, {
				method: 'POST',
				headers: { ...h, cookie, 'x-kace-authorization': login.headers.get('x-kace-authorization') ?? '' },
				body: JSON.stringify({ Tickets: [{ title: `queue test ticket ${Date.now()}`, summary: 'from test/queue/run.mjs', hd_queue_id: 1 }] }),
			});
			const body = await res.json();
			added.kace = [String(body.IDs?.[0])];
		} else if (a.name === 'vsa') {
			added.vsa = [String(a.sim.addAlarm({ AlarmId: `9${String(Date.now()).padStart(17, '0')}` }).AlarmId)];
		} else {
			added.sps = a.sim.addSessions(1, { startMs: a.sim.clock.now() - 3000 }).map((s) => String(s.key));
		}
	}
	return added;
}

const pollsOf = (a, from = 0) => {
	// a poll is one burst of requests; bursts more than 10 s apart are separate polls
	const reqs = a.sim.requests.slice(from).filter(a.trigger.isPoll);
	const polls = [];
	for (const q of reqs) {
		const last = polls[polls.length - 1];
		if (last && q.at - last.end < 10_000) {
			last.end = q.at;
			last.pids.add(q.pid);
		} else polls.push({ at: q.at, end: q.at, pids: new Set([q.pid]) });
	}
	return polls;
};

async function waitExecutions(base, cookie, workflowId, count, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = (await executionsOf(base, cookie, workflowId)).filter((e) => ['success', 'error', 'crashed'].includes(e.status) || e.finished);
		if (list.length >= count) return list;
		if (Date.now() > deadline) return list;
		await sleep(1500);
	}
}

async function triggerItems(base, cookie, flatted, executionId) {
	const full = await rt.restJson(base, 'GET', `/rest/executions/${executionId}`, { cookie });
	const data = flatted.parse(full.json.data.data);
	return { items: (data.resultData?.runData?.Trigger?.[0]?.data?.main?.[0] ?? []).map((i) => i.json), error: data.resultData?.error?.message };
}

/** Activation poll (baseline, no execution), new data, the next minute's poll emits it; runs beside points 1-4. */
async function triggersPhase1({ line, apps, main, workers, cookie, flatted, roleOf }) {
	const area = 'triggers';
	const startedAt = Date.now();
	const out = { added: {}, firstExec: {}, startedAt };
	await check(line, area, '5. each trigger polled once when activated (baseline), from main, no execution', async () => {
		out.activatedAt = Date.now();
		for (const a of apps) await activate(main().baseUrl, cookie, wfId(a.name, 'trig'));
		const deadline = Date.now() + 90_000;
		while (apps.some((a) => pollsOf(a).length === 0)) {
			assert(Date.now() < deadline, `no activation poll from ${apps.filter((a) => !pollsOf(a).length).map((a) => a.name).join(', ')}`);
			await sleep(500);
		}
		await sleep(3000);
		for (const a of apps) {
			const ex = await executionsOf(main().baseUrl, cookie, wfId(a.name, 'trig'));
			assert(ex.length === 0, `${a.name}: ${ex.length} executions after the baseline poll`);
		}
		return apps.map((a) => `${a.name}: ${[...pollsOf(a)[0].pids].map(roleOf).join('/')}`).join(', ');
	});
	out.added = await addTriggerData(apps);
	await check(line, area, '5. the next minute\'s poll emits exactly the new record; the execution runs on a worker', async () => {
		const res = [];
		for (const a of apps) {
			const list = await waitExecutions(main().baseUrl, cookie, wfId(a.name, 'trig'), 1, 150_000);
			assert(list.length === 1, `${a.name}: ${list.length} trigger executions (expected 1)`);
			const { items, error } = await triggerItems(main().baseUrl, cookie, flatted, list[0].id);
			assert(!error, `${a.name}: execution ${list[0].id} failed: ${error}`);
			const ids = items.map(a.trigger.id);
			assert(JSON.stringify(ids) === JSON.stringify(out.added[a.name]), `${a.name}: emitted ${JSON.stringify(ids)}, added ${JSON.stringify(out.added[a.name])}`);
			const on = workers.filter((w) => stack.executionsStartedBy(w).includes(String(list[0].id))).map((w) => w.name);
			assert(on.length === 1, `${a.name}: execution ${list[0].id} started on ${on.length ? on.join(', ') : 'no worker'}`);
			out.firstExec[a.name] = list[0].id;
			res.push(`${a.name} execution ${list[0].id} on ${on[0]}`);
		}
		return res.join(', ');
	});
	return out;
}

/** Restart main with new data added while it was down: its activation poll emits exactly that data (the cursor survived). */
async function triggersPhase2({ line, apps, phase1, restart, workers, flatted, roleOf }) {
	const area = 'triggers';
	let after;
	await check(line, area, '5. main restarted; records added while it was down are emitted once, none repeated (cursor survived)', async () => {
		after = await restart();
		const res = [];
		for (const a of apps) {
			const list = await waitExecutions(after.main.baseUrl, after.cookie, wfId(a.name, 'trig'), 2, 120_000);
			assert(list.length === 2, `${a.name}: ${list.length} trigger executions in all (expected 2)`);
			const newest = list.find((e) => String(e.id) !== String(phase1.firstExec[a.name]));
			const { items, error } = await triggerItems(after.main.baseUrl, after.cookie, flatted, newest.id);
			assert(!error, `${a.name}: execution ${newest.id} failed: ${error}`);
			const ids = items.map(a.trigger.id);
			assert(JSON.stringify(ids) === JSON.stringify(after.added[a.name]), `${a.name}: emitted ${JSON.stringify(ids)}, added while main was down ${JSON.stringify(after.added[a.name])}`);
			res.push(`${a.name}: ${ids.length} record in execution ${newest.id}`);
		}
		return res.join(', ');
	});
	await check(line, area, '5. every poll came from main (never a worker): one when main started, then one per minute', async () => {
		const end = Date.now();
		// while main was up: from the activation to its stop, and from its restart to now
		const up = [
			[phase1.activatedAt, after.stoppedAt],
			[after.restartedAt, end],
		];
		const minute = 60_000;
		const res = [];
		for (const a of apps) {
			const polls = pollsOf(a);
			const from = new Set(polls.flatMap((p) => [...p.pids].map(roleOf)));
			assert([...from].every((r) => r === 'main'), `${a.name}: polls from ${[...from].join(', ')}`);
			// the first poll after each start of main is its activation poll; the others are the minute's poll, which
			// n8n fires at a second of its choosing (the same one each minute)
			const counts = [];
			for (const [start, stop] of up) {
				const inside = polls.filter((p) => p.at >= start && p.at <= stop).slice(1);
				const gaps = inside.slice(1).map((p, i) => p.at - inside[i].at);
				assert(gaps.every((g) => g > minute - 10_000 && g < minute + 10_000), `${a.name}: polls ${Math.round(minute / 1000)} s apart expected, got ${gaps.map((g) => `${Math.round(g / 1000)} s`).join(', ')}`);
				// n8n fires the minute's poll at a second of its choosing: floor..ceil of the window's minutes, one fewer
				// when the first fell within 10 s of the start poll (one burst for pollsOf)
				const most = Math.ceil((stop - start) / minute);
				const least = Math.floor((stop - start) / minute) - 1;
				assert(inside.length >= least && inside.length <= most, `${a.name}: ${inside.length} minute polls in ${Math.round((stop - start) / 1000)} s`);
				counts.push(inside.length);
			}
			res.push(`${a.name}: 2 start polls + ${counts.join(' + ')} minute polls`);
		}
		return res.join(', ');
	});
}

// ------------------------------------------------------------------ main

function table() {
	const w = [4, 4, 11, 100];
	const cut = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
	const out = [`${'line'.padEnd(w[0])}  ${'res'.padEnd(w[1])}  ${'area'.padEnd(w[2])}  ${'check'.padEnd(w[3])}  detail`, '-'.repeat(160)];
	for (const r of results) out.push(`${cut(r.line, w[0])}  ${cut(r.ok ? 'PASS' : 'FAIL', w[1])}  ${cut(r.area, w[2])}  ${cut(r.name, w[3])}  ${r.detail ?? ''}`);
	return out.join('\n');
}

async function main() {
	stack.exitOnSignals((m) => say('all', m));
	say('all', `lines ${LINES.join(', ')}; package ${PACKAGE_DIR}; ${N} executions per step; login latency ${LOGIN_DELAY_MS} ms`);
	if (!fs.existsSync(path.join(PACKAGE_DIR, 'dist', 'credentials'))) throw new Error(`${PACKAGE_DIR} has no dist/: build it first (npm run build)`);
	for (const line of LINES) await runLine(line);
	console.log('');
	console.log(table());
	console.log('');
	console.log('Figures (logins counted by the simulators, per n8n process):');
	for (const f of figures) console.log(`  ${f.line}  ${f.app.padEnd(4)}  ${f.scenario.padEnd(30)}  ${f.value}`);
	console.log(`wall time ${secs(Date.now() - t0)}`);
	const passed = results.filter((r) => r.ok).length;
	console.log(`${passed} passed, ${results.length - passed} failed`);
	process.exitCode = results.length - passed ? 1 : 0;
}

main().catch(async (e) => {
	console.error(e?.stack ?? e);
	await stack.cleanup();
	console.log('0 passed, 1 failed');
	process.exitCode = 1;
});
