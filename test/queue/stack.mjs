// n8n queue mode on this machine, from the project's own files: Redis (Debian's redis-server), a throwaway
// PostgreSQL cluster, one n8n main and N `n8n worker`s of a pinned runtime (scripts/n8n-runtime.mjs), this package
// installed into each process's user folder. Everything listens on 127.0.0.1 in 27000–27999, lives in one temporary
// folder and is stopped and deleted by cleanup() — also when the caller dies (exit hook) or is interrupted.
//
// Used by test/queue/run.mjs (npm run test:queue) and bench/queue.mjs (npm run bench:queue).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import * as rt from '../../scripts/n8n-runtime.mjs';
import { linuxSocketHolders, linuxTcpSockets } from '../../scripts/proc.mjs';

export const PORTS = [27000, 27999];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

// ------------------------------------------------------------------ cleanup

const groups = new Set(); // process group ids we started (killed on exit)
const dirs = new Set(); // temporary folders we made (deleted on exit)
const cleanups = []; // orderly stops, newest first

/** Stops everything started through this module, newest first, and deletes the temporary folders. */
export async function cleanup({ keep = false } = {}) {
	while (cleanups.length) {
		const fn = cleanups.pop();
		await fn().catch(() => {});
	}
	for (const pgid of groups) killGroup(pgid, 'SIGKILL');
	groups.clear();
	if (!keep) for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
	dirs.clear();
}

function killGroup(pgid, signal) {
	try {
		process.kill(-pgid, signal);
	} catch {}
}

// last resort when the process exits without cleanup(): no orphans, no leftovers (synchronous only)
process.on('exit', () => {
	for (const pgid of groups) killGroup(pgid, 'SIGKILL');
	for (const d of dirs) {
		try {
			fs.rmSync(d, { recursive: true, force: true });
		} catch {}
	}
});

/** Ctrl-C / SIGTERM: orderly cleanup, then exit 130. */
export function exitOnSignals(log = (m) => process.stderr.write(`${m}\n`)) {
	let stopping = false;
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(sig, () => {
			if (stopping) return;
			stopping = true;
			log(`${sig}: stopping n8n, Redis, PostgreSQL and deleting the temporary folder`);
			const hard = setTimeout(() => process.exit(130), 30_000);
			hard.unref();
			cleanup().finally(() => process.exit(130));
		});
	}
}

export async function tempRoot(prefix = 'n8n-queue-') {
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
	dirs.add(dir);
	// the PostgreSQL cluster runs as another user when we are root: it must be able to enter this folder
	await fsp.chmod(dir, 0o711);
	return dir;
}

/** A process in its own group, its output kept (last 200 kB) and optionally written to a file. */
function spawnGroup(cmd, args, { cwd, env, uid, gid, logFile } = {}) {
	const child = spawn(cmd, args, { cwd, env, uid, gid, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	groups.add(child.pid);
	const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
	let buf = '';
	const onData = (d) => {
		buf = (buf + d).slice(-200_000);
		log?.write(d);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited = null;
	const exitP = new Promise((resolve) =>
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			resolve(exited);
		}),
	);
	child.on('error', () => {});
	const stop = async (signal = 'SIGTERM', timeoutMs = 15_000) => {
		if (!exited) {
			killGroup(child.pid, signal);
			if (!(await Promise.race([exitP, sleep(timeoutMs).then(() => null)]))) killGroup(child.pid, 'SIGKILL');
			await Promise.race([exitP, sleep(5000)]);
		}
		killGroup(child.pid, 'SIGKILL'); // stragglers in the group (task runners, postgres back ends)
		groups.delete(child.pid);
		log?.end();
		return exited;
	};
	return { child, pid: child.pid, output: () => buf, exited: () => exited, exitP, stop };
}

// ------------------------------------------------------------------ ports

const taken = new Set();
/** A free loopback port in 27000–27999 that this process has not handed out yet. */
export async function port() {
	const p = await rt.freePort(PORTS, [...taken, 5678]);
	taken.add(p);
	return p;
}

async function waitPort(p, { timeoutMs = 30_000, probe, what, proc } = {}) {
	const started = Date.now();
	for (;;) {
		const ok = await new Promise((resolve) => {
			const s = net.connect({ host: '127.0.0.1', port: p });
			s.setTimeout(2000);
			s.once('connect', () => {
				if (!probe) {
					s.destroy();
					return resolve(true);
				}
				let got = '';
				s.on('data', (d) => {
					got += d;
					if (probe.expect.test(got)) {
						s.destroy();
						resolve(true);
					}
				});
				s.write(probe.send);
			});
			s.once('timeout', () => {
				s.destroy();
				resolve(false);
			});
			s.once('error', () => resolve(false));
		});
		if (ok) return Date.now() - started;
		if (proc?.exited()) throw new Error(`${what} exited (${JSON.stringify(proc.exited())}):\n${proc.output().slice(-3000)}`);
		if (Date.now() - started > timeoutMs) throw new Error(`${what} not reachable on 127.0.0.1:${p} after ${secs(timeoutMs)}`);
		await sleep(200);
	}
}

// ------------------------------------------------------------------ Redis and PostgreSQL binaries

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function which(cmd) {
	const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

/** apt-get install as root (CI: a clean Debian machine); `apt-get update` first when the package is unknown. */
function aptInstall(pkg, log) {
	if (!isRoot()) throw new Error(`${pkg} is not installed; install it (apt-get install -y ${pkg}) or run as root`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	log(`installing ${pkg} with apt-get`);
	let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, encoding: 'utf8' });
	if (r.status !== 0) {
		spawnSync('apt-get', ['update'], { env, encoding: 'utf8' });
		r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, encoding: 'utf8' });
	}
	if (r.status !== 0) throw new Error(`apt-get install ${pkg} failed:\n${(r.stderr || r.stdout).slice(-2000)}`);
}

/** redis-server, installed with apt when missing. */
export function ensureRedis(log = () => {}) {
	let bin = which('redis-server');
	if (!bin) {
		aptInstall('redis-server', log);
		bin = which('redis-server');
	}
	if (!bin) throw new Error('redis-server not found after installation');
	const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1];
	return { bin, version };
}

/** PostgreSQL server binaries (initdb, postgres), the newest under /usr/lib/postgresql; installed with apt when missing. */
export function ensurePostgres(log = () => {}) {
	const find = () => {
		const root = '/usr/lib/postgresql';
		if (!fs.existsSync(root)) return undefined;
		const versions = fs
			.readdirSync(root)
			.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')) && fs.existsSync(path.join(root, v, 'bin', 'postgres')))
			.sort((a, b) => Number(b) - Number(a));
		return versions.length ? { bin: path.join(root, versions[0], 'bin'), version: versions[0] } : undefined;
	};
	let found = find();
	if (!found) {
		aptInstall('postgresql', log);
		found = find();
	}
	if (!found) throw new Error('PostgreSQL binaries (initdb, postgres) not found under /usr/lib/postgresql after installation');
	return found;
}

/** uid/gid to run PostgreSQL as: ourselves, or (as root, which PostgreSQL refuses) the postgres or nobody user. */
function postgresUser() {
	if (!isRoot()) return {};
	for (const name of ['postgres', 'nobody']) {
		const line = fs
			.readFileSync('/etc/passwd', 'utf8')
			.split('\n')
			.find((l) => l.startsWith(`${name}:`));
		if (line) {
			const [, , uid, gid] = line.split(':');
			return { uid: Number(uid), gid: Number(gid), name };
		}
	}
	throw new Error('running as root, and there is no postgres or nobody user to run PostgreSQL as');
}

// ------------------------------------------------------------------ services

/** redis-server on a loopback port, no persistence, data in <root>/redis. */
export async function startRedis(root, { log = () => {} } = {}) {
	const { bin, version } = ensureRedis(log);
	const dir = path.join(root, 'redis');
	await fsp.mkdir(dir, { recursive: true });
	const p = await port();
	const proc = spawnGroup(bin, ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], {
		cwd: dir,
		logFile: path.join(dir, 'redis.log'),
	});
	const ms = await waitPort(p, { probe: { send: 'PING\r\n', expect: /\+PONG/ }, what: 'redis-server', proc });
	cleanups.push(() => proc.stop('SIGTERM', 5000));
	return { port: p, version, ms, proc };
}

/** A throwaway PostgreSQL cluster (initdb, trust on loopback, no fsync) with the given databases (default `n8n`). */
export async function startPostgres(root, { log = () => {}, databases = ['n8n'] } = {}) {
	const { bin, version } = ensurePostgres(log);
	const started = Date.now();
	const user = postgresUser();
	const dir = path.join(root, 'pg');
	await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
	if (user.uid !== undefined) await fsp.chown(dir, user.uid, user.gid);
	const asUser = { uid: user.uid, gid: user.gid, cwd: dir };
	const init = spawnSync(path.join(bin, 'initdb'), ['-D', path.join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
		...asUser,
		encoding: 'utf8',
	});
	if (init.status !== 0) throw new Error(`initdb failed (as ${user.name ?? 'self'}):\n${init.stderr || init.stdout}`);
	const p = await port();
	const proc = spawnGroup(
		path.join(bin, 'postgres'),
		['-D', path.join(dir, 'data'), '-p', String(p), '-k', dir, '-h', '127.0.0.1', '-F', '-c', 'max_connections=200', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'],
		{ ...asUser, logFile: path.join(root, 'postgres.log') },
	);
	// fast shutdown (SIGINT) first, then the group is killed
	cleanups.push(() => proc.stop('SIGINT', 10_000));
	await waitPort(p, { what: 'postgres', proc });
	for (const db of databases) {
		for (let i = 0; ; i++) {
			const r = spawnSync(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(p), '-U', 'postgres', db], { encoding: 'utf8' });
			if (r.status === 0) break;
			if (i > 50) throw new Error(`createdb ${db} failed: ${r.stderr}`);
			await sleep(200);
		}
	}
	return { port: p, version, user: user.name ?? os.userInfo().username, ms: Date.now() - started, proc };
}

// ------------------------------------------------------------------ n8n

/** Environment every process of the queue-mode installation shares (one database, one Redis, one encryption key). */
export function queueEnv({ redis, postgres, database = 'n8n' }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: redis.port,
		QUEUE_BULL_REDIS_DB: 0,
		...postgresEnv(postgres, database),
		// scripts/n8n-runtime.mjs gives every process the same N8N_ENCRYPTION_KEY already
	};
}

/** n8n's database settings for a database of the throwaway cluster. */
export function postgresEnv(postgres, database = 'n8n') {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: postgres.port,
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
	};
}

/** A user folder with this package installed as a community package (a copy of what npm would install). */
export async function userFolder(root, name, line, packageDir) {
	const dir = path.join(root, name);
	await fsp.mkdir(dir, { recursive: true });
	await rt.linkPackage(dir, packageDir, { line });
	return dir;
}

/** `n8n <args>` (import, export…) against the shared database, with its ports inside 27000–27999. */
export async function n8nCli(line, folder, args, env, opts = {}) {
	const r = await rt.n8nCommand(line, folder, args, { env: { ...env, N8N_PORT: await port(), N8N_RUNNERS_BROKER_PORT: await port() }, timeoutMs: 300_000, ...opts });
	if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} exited ${r.code ?? r.signal}:\n${(r.stderr + r.stdout).slice(-3000)}`);
	return r;
}

/** `n8n start` in queue mode (editor, REST API, webhooks, polling triggers); resolves when ready. */
export async function startMain(line, folder, env, { port: p, brokerPort, logFile } = {}) {
	const mainPort = p ?? (await port());
	const broker = brokerPort ?? (await port());
	const handle = await rt.startN8n(line, folder, { port: mainPort, env: { ...env, N8N_RUNNERS_BROKER_PORT: broker }, logFile });
	cleanups.push(() => handle.stop());
	const { ms } = await handle.ready;
	return { ...handle, ms, brokerPort: broker, role: 'main' };
}

/** `n8n worker --concurrency=N` with its own task-broker and health-check ports; resolves when /healthz/readiness is 200. */
export async function startWorker(line, folder, env, { name = 'worker', concurrency = 10, logFile } = {}) {
	const runtime = await rt.ensureRuntime(line);
	const brokerPort = await port();
	const healthPort = await port();
	const workerEnv = runtime.env(folder, {
		...env,
		N8N_PORT: await port(), // never listened on by a worker; keeps the default 5678 out of its configuration
		N8N_RUNNERS_BROKER_PORT: brokerPort,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: healthPort,
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	});
	const started = Date.now();
	const proc = spawnGroup(runtime.nodeBin, runtime.n8nArgs(['worker', `--concurrency=${concurrency}`]), { cwd: folder, env: workerEnv, logFile });
	cleanups.push(() => proc.stop());
	for (;;) {
		try {
			const res = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			await res.arrayBuffer();
			if (res.status === 200) break;
		} catch {}
		if (proc.exited()) throw new Error(`${name} exited (${JSON.stringify(proc.exited())}):\n${proc.output().slice(-3000)}`);
		if (Date.now() - started > 240_000) throw new Error(`${name} not ready after 240 s:\n${proc.output().slice(-3000)}`);
		await sleep(300);
	}
	return { ...proc, name, ms: Date.now() - started, brokerPort, healthPort, role: 'worker' };
}

/** Execution ids a worker's log says it started ("Worker started execution 12 (job 7)"). */
export function executionsStartedBy(worker) {
	return [...worker.output().matchAll(/started execution (\d+)/gi)].map((m) => m[1]);
}

// ------------------------------------------------------------------ which process sent a request

/**
 * The pid (among `pids`) whose socket is the client end of a loopback TCP connection to `serverPort` from
 * `clientPort`: /proc/net/tcp gives the socket's inode, /proc/<pid>/fd the process holding it. Called while the
 * request is being answered, so the connection is open. Linux only; undefined when not found.
 */
export function socketOwner(clientPort, serverPort, pids) {
	const inodes = new Set(
		linuxTcpSockets()
			.filter((s) => s.localPort === clientPort && s.remotePort === serverPort && s.inode !== '0')
			.map((s) => s.inode),
	);
	return linuxSocketHolders(inodes, pids)[0];
}

/**
 * Waits until main serves a production webhook (POST) at `webhookPath`. n8n 2.41 activates through an outbox, so
 * the webhook is registered a moment after POST /rest/workflows/<id>/activate answers. A GET probe never runs the
 * workflow: n8n answers it "not registered for GET requests. Did you mean to make a POST request?" once the POST
 * webhook is in place (3 answers in a row, 0.5 s apart).
 */
export async function waitForWebhook(baseUrl, webhookPath, timeoutMs = 60_000) {
	const started = Date.now();
	let inARow = 0;
	while (inARow < 3) {
		const r = await fetch(`${baseUrl}/webhook/${webhookPath}`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
		const text = r ? await r.text() : '';
		inARow = /make a POST request/.test(text) ? inARow + 1 : 0;
		if (Date.now() - started > timeoutMs) throw new Error(`webhook ${webhookPath} not served after ${secs(timeoutMs)}: ${text.slice(0, 200)}`);
		await sleep(500);
	}
	return Date.now() - started;
}
