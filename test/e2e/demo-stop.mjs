// `npm start` stops cleanly, whatever stops it (used by test/e2e/run.mjs; also runnable alone):
//
//   node test/e2e/demo-stop.mjs [--line auto|v1|v2]
//
// Starts the real demo with `npm start` (own process group, free ports, a temporary state folder), waits for its
// banner, records the whole process tree (npm, the shell, the demo, n8n, its task runner), then stops it one way and
// checks that every one of those processes is gone and every port is free again:
//   - SIGTERM to the npm process only (what IDEs, process managers and `kill` send);
//   - SIGHUP to the npm process only (its terminal or ssh session went away);
//   - SIGINT to the whole process group (Ctrl-C in a terminal);
//   - SIGKILL to the demo process (it cannot clean up: n8n must notice and stop by itself).
// And: a port in use is refused before anything starts, naming the process that holds it.
// POSIX only (Windows has no signals to send; the demo uses taskkill there).

import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as rt from '../../scripts/n8n-runtime.mjs';
import { pidAlive, portFree, processTree, spawnNpm } from '../../scripts/proc.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

async function freePorts(n) {
	const ports = [];
	while (ports.length < n) ports.push(await rt.freePort([5600, 5699], ports));
	return ports;
}

function npmEnv() {
	const env = { ...process.env };
	for (const k of Object.keys(env)) if (/^npm_/i.test(k)) delete env[k];
	return env;
}

/** `npm start -- …` in its own process group; resolves when the banner is out (or rejects with the output). */
function startDemo(line, stateDir, ports, { expectFailure = false, timeoutMs = 300_000 } = {}) {
	const args = ['start', '--', '--n8n', line, '--no-build', '--tick', '0', '--status-every', '0', '--state-dir', stateDir];
	args.push('--port', String(ports.n8n), '--kace-port', String(ports.kace), '--vsa-port', String(ports.vsa), '--sps-port', String(ports.sps));
	if (ports.broker) args.push('--broker-port', String(ports.broker));
	const child = spawnNpm(args, { cwd: ROOT, env: npmEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
	const ready = new Promise((resolve, reject) => {
		const onData = (d) => {
			out += d;
			if (!expectFailure && out.includes('Ctrl-C stops everything')) resolve();
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		exited.then((ex) => (expectFailure ? resolve() : reject(new Error(`npm start exited (${JSON.stringify(ex)}) before its banner:\n${out.slice(-2000)}`))));
		setTimeout(() => reject(new Error(`no banner within ${secs(timeoutMs)}:\n${out.slice(-2000)}`)), timeoutMs).unref();
	});
	return { child, ready, exited, output: () => out };
}

async function waitGone(pids, ports, timeoutMs) {
	const started = Date.now();
	for (;;) {
		const alive = pids.filter((p) => pidAlive(p.pid));
		const busy = [];
		for (const [what, port] of Object.entries(ports)) if (port && !(await portFree(port))) busy.push(`${what} ${port}`);
		if ((!alive.length && !busy.length) || Date.now() - started > timeoutMs) return { alive, busy, ms: Date.now() - started };
		await sleep(250);
	}
}

/**
 * Runs the scenarios; calls record(area, name, ok, detail) for each. Returns when all are done.
 */
export async function demoStopChecks({ line = 'auto', record, say = () => {} }) {
	const area = 'npm start';
	if (process.platform === 'win32') {
		record(area, 'stops cleanly on signals', true, 'skipped: POSIX signals only');
		return;
	}
	const plan = rt.planFor(line);
	await rt.ensureRuntime(plan.line);
	const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-stop-'));
	const [n8n, kace, vsa, sps, broker] = await freePorts(5);
	const ports = { n8n, kace, vsa, sps, broker: plan.line === 'v2' ? broker : undefined };
	const scenarios = [
		['SIGTERM to the npm process', (tree) => process.kill(tree[0].pid, 'SIGTERM')],
		['SIGHUP to the npm process', (tree) => process.kill(tree[0].pid, 'SIGHUP')],
		['SIGINT to the process group (Ctrl-C)', (tree) => process.kill(-tree[0].pid, 'SIGINT')],
		[
			'SIGKILL to the demo process (n8n stops by itself)',
			(tree) => {
				const demo = tree.find((p) => /scripts[/\\]demo\.mjs/.test(p.cmd) && !/^(\S*\/)?(sh|bash|dash)\s/.test(p.cmd));
				if (!demo) throw new Error(`no demo process in ${JSON.stringify(tree.map((p) => p.cmd))}`);
				process.kill(demo.pid, 'SIGKILL');
			},
		],
	];
	try {
		for (const [name, stop] of scenarios) {
			const started = Date.now();
			const demo = startDemo(plan.line, stateDir, ports);
			let tree = [];
			try {
				await demo.ready;
				await sleep(500);
				tree = processTree(demo.child.pid);
				const n8nProc = tree.find((p) => /n8n[/\\]bin[/\\]n8n start/.test(p.cmd));
				if (!n8nProc) throw new Error(`n8n is not in the process tree: ${tree.map((p) => p.cmd).join(' | ')}`);
				say(`${name}: tree ${tree.map((p) => `${p.pid} ${p.cmd.split(' ').slice(0, 3).join(' ')}`).join(' | ')}`);
				const t = Date.now();
				stop(tree);
				const res = await waitGone(tree, ports, 45_000);
				const problems = [];
				if (res.alive.length) problems.push(`still running: ${res.alive.map((p) => `${p.pid} ${p.cmd.slice(0, 80)}`).join(', ')}`);
				if (res.busy.length) problems.push(`ports still in use: ${res.busy.join(', ')}`);
				record(
					area,
					`${name}: every process gone, every port free`,
					!problems.length,
					problems.length ? problems.join('; ') : `${tree.length} processes (npm, sh, demo, n8n${tree.length > 4 ? ', task runner' : ''}) gone and 4–5 ports free ${secs(Date.now() - t)} after the signal (start ${secs(t - started)})`,
				);
			} catch (e) {
				record(area, `${name}: every process gone, every port free`, false, e.message.split('\n').slice(0, 4).join(' | '));
			} finally {
				for (const p of processTree(demo.child.pid).concat(tree)) {
					try {
						process.kill(p.pid, 'SIGKILL');
					} catch {}
				}
				await demo.exited.catch(() => {});
			}
		}

		// a busy port is named, before anything is started
		const blocker = net.createServer();
		await new Promise((r) => blocker.listen(ports.n8n, '127.0.0.1', r));
		try {
			const demo = startDemo(plan.line, stateDir, ports, { expectFailure: true, timeoutMs: 120_000 });
			await demo.ready;
			const ex = await demo.exited;
			const out = demo.output();
			const want = new RegExp(`${ports.n8n} \\(n8n editor\\) is in use by pid ${process.pid} \\(\\S*node`);
			const ok = ex.code !== 0 && want.test(out) && !/starting n8n/.test(out);
			record(area, 'a port in use is refused up front, naming the process that holds it', ok, ok ? out.split('\n').find((l) => want.test(l)).trim().slice(0, 200) : `exit ${ex.code}: ${out.slice(-600)}`);
		} finally {
			blocker.close();
		}
	} finally {
		fs.rmSync(stateDir, { recursive: true, force: true });
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const i = process.argv.indexOf('--line');
	let failed = 0;
	let passed = 0;
	demoStopChecks({
		line: i > 0 ? process.argv[i + 1] : 'auto',
		say: (m) => process.stderr.write(`[demo-stop] ${m}\n`),
		record: (area, name, ok, detail) => {
			if (ok) passed++;
			else failed++;
			console.log(`${ok ? 'PASS' : 'FAIL'} ${area}: ${name} — ${detail}`);
		},
	}).then(
		() => {
			console.log(`${passed} passed, ${failed} failed`);
			process.exit(failed ? 1 : 0);
		},
		(e) => {
			console.error(e.stack);
			console.log(`${passed} passed, ${failed + 1} failed`);
			process.exit(1);
		},
	);
}
