#!/usr/bin/env node
// Throughput in queue mode (issue 15, point 6): a burst of executions of one webhook workflow — KACE SMA Get Many,
// 100 machines — sent at once to
//   regular: one n8n (EXECUTIONS_MODE=regular), which runs every execution itself, at most 20 at a time
//            (N8N_CONCURRENCY_PRODUCTION_LIMIT; unlimited, 200 at once exhaust its database pool);
//   queue:   n8n main + 2 workers (--concurrency=10 each) on Redis, main queues, the workers run them.
// Same machine, same PostgreSQL cluster (one database per mode), same KACE simulator in this process (1,000
// machines, 1 s login latency), the credential's session empty before the first burst. Both installations run side
// by side (idle between bursts) and their bursts alternate: cold (the first execution logs in), then --rounds warm
// ones (the stored session lives), so that a change of load on the machine hits both alike. Wall time = first
// request sent → last answer; the ratio is taken per round, its median over the warm rounds printed.
//
//   npm run bench:queue                    n8n 2.41.1, 200 executions per burst
//   node bench/queue.mjs --line v1 --executions 100 --workers 2 --concurrency 10 --rounds 3 [--keep] [--json FILE]
//
// Prints a table and `N passed, N failed` (passed: every execution succeeded and each process logged in at most
// once per burst). Uses test/queue/stack.mjs (ports 27000-27999, temporary folder removed at the end).

import fsp from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';

import * as rt from '../scripts/n8n-runtime.mjs';
import { PKG, workflow } from '../demo/workflows.mjs';
import * as stack from '../test/queue/stack.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { createKaceSim } = require('../test/sim/kace.js');

const argv = process.argv.slice(2);
const opt = (f, d) => {
	const i = argv.indexOf(`--${f}`);
	return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : d;
};
const LINE = opt('line', 'v2');
const EXECUTIONS = Number(opt('executions', 200));
const WORKERS = Number(opt('workers', 2));
const CONCURRENCY = Number(opt('concurrency', 10));
const LOGIN_DELAY_MS = Number(opt('login-delay', 1000));
const KEEP = argv.includes('--keep');
const JSON_FILE = opt('json');
const MODES = opt('modes', 'regular,queue').split(',');
/** warm bursts per mode after the cold one, alternating between the modes */
const ROUNDS = Number(opt('rounds', 3));
/** regular mode's concurrency limit (N8N_CONCURRENCY_PRODUCTION_LIMIT): the workers' total by default; -1 = none */
const REGULAR_LIMIT = Number(opt('regular-limit', WORKERS * CONCURRENCY));

const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const say = (msg) => process.stderr.write(`[bench:queue +${secs(Date.now() - t0)}] ${msg}\n`);

const USER = { userName: 'bench', password: 'Bench-Passw0rd!' };
const CRED_ID = 'benchKaceCred001';
const WF_ID = 'benchKaceWf00001';
const HOOK = 'bench-kace-machines';

function workflows() {
	const wf = workflow(
		WF_ID,
		'bench: KACE Get Many 100 machines',
		[
			['Webhook', 'n8n-nodes-base.webhook', { httpMethod: 'POST', path: HOOK, responseMode: 'lastNode', responseData: 'allEntries', options: {} }, { typeVersion: 2 }],
			[
				'Machines',
				`${PKG}.kaceSma`,
				{ resource: 'machine', operation: 'getMany', returnAll: false, limit: 100, filters: {}, options: {} },
				{ credentials: { kaceSmaApi: { id: CRED_ID, name: 'bench KACE' } } },
			],
		],
		[['Webhook', 'Machines']],
	);
	wf.nodes[0].webhookId = randomUUID();
	return [wf];
}

/** The messages of the newest failed executions (REST API of main), to say why a burst had failures. */
async function executionErrors(baseUrl, cookie, count) {
	const q = encodeURIComponent(JSON.stringify({ workflowId: WF_ID, status: ['error', 'crashed'] }));
	const list = (await rt.restJson(baseUrl, 'GET', `/rest/executions?filter=${q}&limit=${count}`, { cookie })).json ?? {};
	const rows = Array.isArray(list.data) ? list.data : (list.data?.results ?? []);
	const out = [];
	for (const e of rows.slice(0, count)) {
		const full = (await rt.restJson(baseUrl, 'GET', `/rest/executions/${e.id}`, { cookie })).json ?? {};
		const text = String(full.data?.data ?? '');
		const m = /"message":"([^"]{0,300})/.exec(text) ?? /"Error: ([^"]{0,300})/.exec(text);
		out.push(`execution ${e.id} ${e.status}: ${m ? m[1] : text.slice(0, 200)}`);
	}
	return out;
}

async function burst(baseUrl, n) {
	const url = `${baseUrl}/webhook/${HOOK}`;
	const started = Date.now();
	const answers = await Promise.all(
		Array.from({ length: n }, async () => {
			const s = Date.now();
			try {
				const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(600_000) });
				const text = await r.text();
				let body;
				try {
					body = JSON.parse(text);
				} catch {}
				const ok = r.status === 200 && Array.isArray(body) && body.length === 100;
				return { ok, ms: Date.now() - s, why: ok ? undefined : `HTTP ${r.status} ${text.slice(0, 160)}` };
			} catch (e) {
				return { ok: false, ms: Date.now() - s, why: String(e?.message ?? e) };
			}
		}),
	);
	const ms = Date.now() - started;
	const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
	const why = [...new Set(answers.filter((a) => !a.ok).map((a) => a.why))].slice(0, 3);
	return { ms, ok: answers.filter((a) => a.ok).length, failed: answers.filter((a) => !a.ok).length, why, p50: sorted[Math.floor(n / 2)], max: sorted[n - 1] };
}

async function main() {
	stack.exitOnSignals(say);
	const runtime = await rt.ensureRuntime(LINE);
	say(`n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}; ${EXECUTIONS} executions per burst; ${WORKERS} workers × concurrency ${CONCURRENCY}`);
	const root = await stack.tempRoot(`n8n-bench-queue-${LINE}-`);
	const [redis, postgres] = await Promise.all([stack.startRedis(root, { log: say }), stack.startPostgres(root, { log: say, databases: ['regular', 'queue'] })]);
	const sim = createKaceSim({ machines: 1000, loginDelayMs: LOGIN_DELAY_MS, users: [{ ...USER, role: 'admin' }] });
	await sim.start(await stack.port(), '127.0.0.1');
	const simPort = Number(new URL(sim.url).port);
	const procs = [];
	sim.onRequest = (ctx) => {
		if (ctx.entry.path === '/ams/shared/api/security/login') ctx.entry.pid = stack.socketOwner(ctx.req.socket.remotePort, simPort, procs.map((p) => p.pid));
	};
	const credential = {
		id: CRED_ID,
		name: 'bench KACE',
		type: 'kaceSmaApi',
		data: { baseUrl: sim.url, username: USER.userName, password: USER.password, organization: '', apiVersion: '5', totpSecret: '', caCertificate: '', allowUnauthorizedCerts: false, session: '' },
	};
	const rows = [];
	let failed = 0;
	const running = {};
	try {
		// both installations run side by side, idle between bursts; their bursts alternate round by round, so a
		// change of load on the machine (other users) hits both alike
		for (const mode of MODES) {
			// regular mode runs every execution at once by default; 200 at once exhaust its database pool (2
			// connections: "timeout exceeded when trying to connect"), so it gets the workers' total concurrency
			const env =
				mode === 'queue'
					? stack.queueEnv({ redis, postgres, database: 'queue' })
					: { EXECUTIONS_MODE: 'regular', N8N_CONCURRENCY_PRODUCTION_LIMIT: REGULAR_LIMIT, ...stack.postgresEnv(postgres, 'regular') };
			const main = await stack.userFolder(root, `${mode}-main`, LINE, ROOT);
			const credFile = path.join(root, `${mode}-credentials.json`);
			await fsp.writeFile(credFile, JSON.stringify([credential]), { mode: 0o600 });
			const wfDir = path.join(root, `${mode}-workflows`);
			await fsp.mkdir(wfDir);
			for (const w of workflows()) await fsp.writeFile(path.join(wfDir, `${w.id}.json`), JSON.stringify(w));
			await stack.n8nCli(LINE, main, ['import:credentials', `--input=${credFile}`], env);
			await stack.n8nCli(LINE, main, ['import:workflow', '--separate', `--input=${wfDir}`], env);
			const started = [stack.startMain(LINE, main, env, { logFile: path.join(root, `${mode}-main.log`) })];
			if (mode === 'queue') {
				for (let i = 1; i <= WORKERS; i++) {
					const folder = await stack.userFolder(root, `queue-worker${i}`, LINE, ROOT);
					started.push(stack.startWorker(LINE, folder, env, { name: `worker${i}`, concurrency: CONCURRENCY, logFile: path.join(root, `worker${i}.log`) }));
				}
			}
			const [n8nMain, ...workers] = await Promise.all(started);
			procs.push({ pid: n8nMain.pid, role: `${mode} main` }, ...workers.map((w) => ({ pid: w.pid, role: w.name })));
			await rt.setupOwner(n8nMain.baseUrl);
			const { cookie } = await rt.login(n8nMain.baseUrl);
			const wf = await rt.restJson(n8nMain.baseUrl, 'GET', `/rest/workflows/${WF_ID}`, { cookie });
			const act = await rt.restJson(n8nMain.baseUrl, 'POST', `/rest/workflows/${WF_ID}/activate`, { cookie, body: { versionId: wf.json.data.versionId } });
			if (act.status !== 200) throw new Error(`activate: HTTP ${act.status} ${act.text.slice(0, 300)}`);
			await stack.waitForWebhook(n8nMain.baseUrl, HOOK);
			running[mode] = { main: n8nMain, cookie };
			say(`${mode}: ready (${[n8nMain, ...workers].map((p) => `${p.role ?? p.name} ${secs(p.ms)}`).join(', ')})`);
		}
		const phases = ['cold', ...Array.from({ length: ROUNDS }, (_, i) => `warm ${i + 1}`)];
		for (const phase of phases) {
			for (const mode of MODES) {
				const { main: n8nMain, cookie } = running[mode];
				const mark = sim.requests.length;
				const b = await burst(n8nMain.baseUrl, EXECUTIONS);
				const logins = sim.requests.slice(mark).filter((q) => q.path === '/ams/shared/api/security/login');
				const by = {};
				for (const l of logins) {
					const role = procs.find((p) => p.pid === l.pid)?.role ?? 'unknown';
					by[role] = (by[role] ?? 0) + 1;
				}
				if (b.failed) b.why.push(...(await executionErrors(n8nMain.baseUrl, cookie, 3)));
				const ok = b.failed === 0 && Object.values(by).every((n) => n <= 1);
				if (!ok) failed++;
				const row = { mode, phase, executions: EXECUTIONS, ms: b.ms, perSecond: (EXECUTIONS * 1000) / b.ms, p50: b.p50, max: b.max, logins: logins.length, loginsBy: by, failed: b.failed, ok };
				rows.push(row);
				say(`${mode} ${phase}: ${secs(b.ms)} for ${EXECUTIONS} (${row.perSecond.toFixed(1)}/s, answer p50 ${secs(b.p50)}, max ${secs(b.max)}), ${logins.length} logins ${JSON.stringify(by)}, ${b.failed} failed${b.failed ? ` (${b.why.join(' | ')})` : ''}`);
			}
		}
	} finally {
		await sim.stop();
		await stack.cleanup({ keep: KEEP });
	}

	const find = (mode, phase) => rows.find((r) => r.mode === mode && r.phase === phase);
	console.log('');
	console.log(`| n8n ${runtime.n8nVersion} | burst | wall time | executions/s | answer p50 / max | logins (per process) | failed |`);
	console.log('| --- | --- | --- | --- | --- | --- | --- |');
	for (const r of rows) {
		const by = Object.entries(r.loginsBy).map(([k, v]) => `${k} ${v}`).join(', ');
		console.log(`| ${r.mode === 'queue' ? `queue: main + ${WORKERS} workers × ${CONCURRENCY}` : `regular: one n8n${REGULAR_LIMIT > 0 ? ` × ${REGULAR_LIMIT}` : ''}`} | ${r.phase}, ${r.executions} | ${secs(r.ms)} | ${r.perSecond.toFixed(1)} | ${secs(r.p50)} / ${secs(r.max)} | ${r.logins}${by ? ` (${by})` : ''} | ${r.failed} |`);
	}
	const ratios = [...new Set(rows.map((r) => r.phase))]
		.map((phase) => ({ phase, reg: find('regular', phase), q: find('queue', phase) }))
		.filter((x) => x.reg && x.q)
		.map((x) => ({ phase: x.phase, ratio: x.q.ms / x.reg.ms }));
	if (ratios.length) {
		console.log(`queue/regular wall time per round: ${ratios.map((x) => `${x.phase} ${x.ratio.toFixed(2)}×`).join(', ')}`);
		const warm = ratios.filter((x) => x.phase !== 'cold').map((x) => x.ratio).sort((a, b) => a - b);
		if (warm.length) console.log(`queue/regular wall time, median of the warm rounds: ${warm[Math.floor(warm.length / 2)].toFixed(2)}×`);
	}
	if (JSON_FILE) await fsp.writeFile(JSON_FILE, JSON.stringify({ line: LINE, n8n: runtime.n8nVersion, workers: WORKERS, concurrency: CONCURRENCY, rows }, null, 2));
	console.log(`wall time ${secs(Date.now() - t0)}`);
	console.log(`${rows.length - failed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

main().catch(async (e) => {
	console.error(e?.stack ?? e);
	await stack.cleanup();
	console.log('0 passed, 1 failed');
	process.exitCode = 1;
});
