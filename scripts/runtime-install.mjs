// First-time install of a pinned n8n into .n8n-runtime/<line>/, with real progress (used by scripts/n8n-runtime.mjs).
//
//   1. resolve      npm install --package-lock-only: fetches the ~2,000 package manifests and writes the lockfile;
//                   progress = manifests fetched / the count measured for this line
//   2. download     npm install from that lockfile; progress = packages unpacked on disk / the lockfile's packages for
//                   this platform, with an estimate of the time left
//   3. sqlite3      its prebuilt binary (prebuild-install, from the sqlite3 project's GitHub releases, or from
//                   $npm_config_sqlite3_binary_host_mirror); only when that cannot be had, compiled from its bundled
//                   source with node-gyp (needs python3, make and a C++ compiler)
//   4. check        sqlite3 loads under the runtime's Node, `n8n --version` prints the pinned version
// Everything npm and the compiler print goes to .n8n-runtime/<line>/install.log.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

import { groupOptions, killGroup, spawnNpm } from './proc.mjs';

const WIN = process.platform === 'win32';
const secs = (ms) => `${(ms / 1000).toFixed(0)} s`;
const mmss = (ms) => {
	const s = Math.max(0, Math.round(ms / 1000));
	return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
};

/** Children of an install in progress: killed when the process is told to stop (see killInstallChildren). */
const running = new Set();
export function killInstallChildren() {
	for (const pid of running) killGroup(pid, 'SIGKILL');
	running.clear();
}

/** One status line: rewritten in place on a terminal, a new line every 15 s otherwise (CI logs). */
function reporter(tag) {
	const tty = !!process.stderr.isTTY;
	let lastPrint = 0;
	let shown = false;
	return {
		update(text) {
			if (tty) {
				const width = (process.stderr.columns || 120) - 1;
				const s = `${tag} ${text}`;
				process.stderr.write(`\r\x1b[K${s.length > width ? `${s.slice(0, width - 1)}…` : s}`);
				shown = true;
			} else if (Date.now() - lastPrint >= 15_000) {
				process.stderr.write(`${tag} ${text}\n`);
				lastPrint = Date.now();
			}
		},
		line(text) {
			if (shown) process.stderr.write('\r\x1b[K');
			shown = false;
			process.stderr.write(`${tag} ${text}\n`);
		},
	};
}

/**
 * Run a command with its output in the log file only; onLine(line) sees every output line; tick() runs every second.
 * Resolves with the duration, rejects with the output's tail.
 */
function runQuiet({ cmd, args, npm = false, cwd, env, logFile, onLine = () => {}, tick, timeoutMs }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const out = fs.createWriteStream(logFile, { flags: 'a' });
		out.write(`\n$ ${npm ? 'npm' : cmd} ${args.join(' ')}\n`);
		const opts = { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...groupOptions() };
		const child = npm ? spawnNpm(args, opts) : spawn(cmd, args, opts);
		running.add(child.pid);
		let tail = '';
		let partial = '';
		const onData = (chunk) => {
			const s = chunk.toString();
			out.write(s);
			tail = (tail + s).slice(-6000);
			const lines = (partial + s).split('\n');
			partial = lines.pop();
			for (const l of lines) onLine(l);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const timer = tick ? setInterval(tick, 1000) : undefined;
		const killer = timeoutMs ? setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs) : undefined;
		const finish = (err) => {
			clearInterval(timer);
			clearTimeout(killer);
			running.delete(child.pid);
			out.end();
			if (err) reject(err);
			else resolve(Date.now() - started);
		};
		child.on('error', (e) => finish(e));
		child.on('close', (code, signal) => {
			if (code === 0) finish();
			else {
				const e = new Error(`${npm ? 'npm' : path.basename(cmd)} ${args[0]} failed (${signal ?? `exit ${code}`}) after ${secs(Date.now() - started)}; see ${logFile}\n${tail.slice(-2500)}`);
				e.tail = tail;
				finish(e);
			}
		});
	});
}

/** The lockfile's packages that npm installs on this platform (optional packages for other platforms are skipped). */
export function lockPackagesForPlatform(lock, { platform = process.platform, arch = process.arch } = {}) {
	const fits = (list, value) => {
		if (!Array.isArray(list) || !list.length) return true;
		const allow = list.filter((x) => !x.startsWith('!'));
		if (list.includes(`!${value}`)) return false;
		return !allow.length || allow.includes(value);
	};
	return Object.entries(lock.packages ?? {})
		.filter(([key, p]) => key && !p.link && fits(p.os, platform) && fits(p.cpu, arch))
		.map(([key]) => key);
}

function findOnPath(names) {
	for (const name of names) {
		const r = spawnSync(WIN ? 'where' : 'which', [name], { encoding: 'utf8', windowsHide: true });
		if (r.status === 0 && r.stdout.trim()) return r.stdout.trim().split('\n')[0];
	}
	return undefined;
}

/** What node-gyp needs to compile sqlite3 and is not on PATH (POSIX; on Windows node-gyp explains it itself). */
export function missingBuildTools() {
	if (WIN) return [];
	const missing = [];
	if (!findOnPath(['python3', 'python'])) missing.push('python3');
	if (!findOnPath(['make', 'gmake'])) missing.push('make');
	if (!findOnPath(['c++', 'g++', 'clang++'])) missing.push('a C++ compiler (g++ or clang++)');
	return missing;
}

const BUILD_TOOLS_HINT =
	'Debian/Ubuntu: sudo apt-get install python3 make g++; Fedora/RHEL: sudo dnf install python3 make gcc-c++; ' +
	'macOS: xcode-select --install; Windows: Visual Studio Build Tools with "Desktop development with C++", and Python';

/** Headers node-gyp compiles against: those next to the runtime's Node binary, when they are there. */
function nodeHeadersDir(nodeBin) {
	const prefix = path.resolve(path.dirname(nodeBin), '..');
	return fs.existsSync(path.join(prefix, 'include', 'node', 'node_version.h')) ? prefix : undefined;
}

/**
 * @param {object} o
 * @param {string} o.line  'v1' | 'v2'
 * @param {string} o.dir   install folder (gets package.json, package-lock.json, node_modules, install.log)
 * @param {object} o.pkg   the install folder's package.json
 * @param {string} o.nodeBin  Node binary n8n will run on (inside node_modules for a registry Node)
 * @param {object} o.expect   {manifests, packages, installSeconds, disk} measured for this line (for the estimates)
 * @param {string} o.n8nVersion  expected `n8n --version`
 * @returns timings and how sqlite3 was obtained
 */
export async function installRuntime({ line, dir, pkg, nodeBin, expect = {}, n8nVersion }) {
	const tag = `[n8n-runtime ${line}]`;
	const rep = reporter(tag);
	const t0 = Date.now();
	await fsp.mkdir(dir, { recursive: true });
	const logFile = path.join(dir, 'install.log');
	await fsp.writeFile(logFile, `install of ${JSON.stringify(pkg.dependencies)} started ${new Date().toISOString()}\n`);
	await fsp.writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
	// The folder has its own package.json, so npm treats it as the project: the package's .npmrc (ignore-scripts) and
	// node_modules stay out of it. Drop an outer `npm run`'s npm_* settings too.
	const env = { ...process.env };
	for (const k of Object.keys(env)) if (/^npm_/i.test(k)) delete env[k];
	const npmFlags = ['--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier'];
	rep.line(
		`first-time install of ${Object.entries(pkg.dependencies).map(([n, v]) => `${n}@${v}`).join(' + ')} into ${dir}: ` +
			`typically ${expect.installMinutes ?? 'a few'} minutes and ${expect.disk ?? 'several GB'} of disk (full log: ${logFile})`,
	);

	// 1. resolve: manifests
	const timings = {};
	const seen = new Set();
	{
		const started = Date.now();
		const total = expect.manifests;
		await fsp.rm(path.join(dir, 'package-lock.json'), { force: true });
		timings.resolveMs = await runQuiet({
			npm: true,
			args: ['install', '--package-lock-only', ...npmFlags, '--loglevel=http'],
			cwd: dir,
			env,
			logFile,
			onLine: (l) => {
				const m = /^npm http fetch GET \d+ (\S+)/.exec(l);
				if (m && !m[1].endsWith('.tgz')) seen.add(m[1]);
			},
			tick: () => {
				const n = seen.size;
				const el = Date.now() - started;
				const eta = total && n > total * 0.05 && n < total ? `, about ${mmss((el * (total - n)) / n)} left` : '';
				rep.update(`1/3 resolving the dependency tree: ${n}${total ? ` of about ${total}` : ''} package manifests (${mmss(el)}${eta})`);
			},
		});
		rep.line(`1/3 resolved: ${seen.size} package manifests in ${secs(timings.resolveMs)}`);
	}

	// 2. download and unpack
	const lock = JSON.parse(await fsp.readFile(path.join(dir, 'package-lock.json'), 'utf8'));
	const wanted = lockPackagesForPlatform(lock);
	{
		const started = Date.now();
		const count = () => wanted.reduce((n, key) => n + (fs.existsSync(path.join(dir, key, 'package.json')) ? 1 : 0), 0);
		const before = count(); // a re-install keeps what is there
		let fetched = 0; // tarballs npm downloaded (it logs those it did not have in its cache)
		let unpacked = before;
		timings.downloadMs = await runQuiet({
			npm: true,
			args: ['install', ...npmFlags, '--loglevel=http'],
			cwd: dir,
			env,
			logFile,
			onLine: (l) => {
				if (/^npm http fetch GET \d+ \S+\.tgz/.test(l)) fetched++;
			},
			tick: () => {
				unpacked = count();
				// npm downloads first and unpacks as it goes: the larger of the two counts is the progress
				const n = Math.max(unpacked, Math.min(fetched + before, wanted.length));
				const el = Date.now() - started;
				const fresh = n - before;
				const left = wanted.length - n;
				const eta = fresh > (wanted.length - before) * 0.05 && left > 0 ? `, about ${mmss((el * left) / fresh)} left` : '';
				if (!fetched && unpacked === before) {
					// npm first reads the lockfile and each package's manifest (from its cache) to find the downloads
					rep.update(`2/3 npm is planning the download of ${wanted.length - before} packages (${mmss(el)})`);
					return;
				}
				rep.update(
					`2/3 downloading and unpacking: ${fetched} downloaded, ${unpacked} of ${wanted.length} packages unpacked ` +
						`(${Math.floor((100 * n) / wanted.length)}%, ${mmss(el)}${eta})`,
				);
			},
		});
		rep.line(`2/3 installed ${wanted.length} packages in ${secs(timings.downloadMs)}`);
	}

	// 3. sqlite3: prebuilt binary, else compile
	const nm = path.join(dir, 'node_modules');
	const sqliteDir = path.join(nm, 'sqlite3');
	const runEnv = { ...env, PATH: `${path.dirname(nodeBin)}${path.delimiter}${env.PATH ?? env.Path ?? ''}` };
	let sqlite;
	{
		const started = Date.now();
		rep.line('3/3 sqlite3 (n8n\'s database driver): fetching its prebuilt binary…');
		let reason;
		try {
			await runQuiet({
				cmd: nodeBin,
				args: [path.join(nm, 'prebuild-install', 'bin.js'), '-r', 'napi'],
				cwd: sqliteDir,
				env: runEnv,
				logFile,
				timeoutMs: 120_000,
			});
			const check = spawnSync(nodeBin, ['-e', "require('sqlite3')"], { cwd: dir, env: runEnv, encoding: 'utf8', timeout: 60_000 });
			if (check.status !== 0) throw new Error(`the prebuilt binary does not load: ${check.stderr.trim().split('\n').pop()}`);
			sqlite = { how: 'prebuilt', ms: Date.now() - started };
		} catch (e) {
			const lines = String(e.tail ?? e.message).split('\n').filter((l) => /prebuild-install (warn|err)/.test(l));
			reason = (lines.pop() ?? e.message.split('\n')[0]).replace(/^prebuild-install (warn|err!?)\s*(install\s*)?/, '').trim();
		}
		if (!sqlite) {
			const missing = missingBuildTools();
			if (missing.length) {
				throw new Error(
					`sqlite3 has no prebuilt binary here (${reason}), and compiling it needs ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed. ` +
						`Install ${missing.length > 1 ? 'them' : 'it'} (${BUILD_TOOLS_HINT}) and run the command again; the packages downloaded so far are kept.`,
				);
			}
			const headers = nodeHeadersDir(nodeBin);
			const buildEnv = { ...runEnv, npm_config_build_from_source: 'true' };
			if (headers) buildEnv.npm_config_nodedir = headers;
			else delete buildEnv.npm_config_nodedir; // node-gyp downloads the headers (a machine-wide nodedir may point at another Node's)
			const t = Date.now();
			const typical = expect.sqliteCompileSeconds ?? 70;
			rep.line(`3/3 no prebuilt sqlite3 binary could be downloaded (${reason}): compiling it from source (typically ${typical} s, up to 3 min on a busy machine)…`);
			try {
				await runQuiet({
					npm: true,
					args: ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts', '--no-audit', '--no-fund'],
					cwd: dir,
					env: buildEnv,
					logFile,
					tick: () => rep.update(`3/3 compiling sqlite3: ${mmss(Date.now() - t)} (typically ${typical} s)`),
				});
			} catch (e) {
				throw new Error(`compiling sqlite3 failed (${BUILD_TOOLS_HINT}).\n${e.message}`);
			}
			sqlite = { how: 'compiled', ms: Date.now() - started, whyNotPrebuilt: reason };
		}
		timings.sqliteMs = sqlite.ms;
		rep.line(`3/3 sqlite3 ${sqlite.how === 'prebuilt' ? 'prebuilt binary installed' : 'compiled'} in ${secs(sqlite.ms)}`);
	}

	// 4. checks with the runtime's own Node
	const check = spawnSync(nodeBin, ['-e', "require('sqlite3'); console.log(process.version)"], { cwd: dir, env: runEnv, encoding: 'utf8', timeout: 60_000 });
	if (check.status !== 0) throw new Error(`sqlite3 does not load under ${nodeBin}:\n${check.stderr}`);
	const nodeVersion = check.stdout.trim();
	const ver = spawnSync(nodeBin, [path.join(nm, 'n8n', 'bin', 'n8n'), '--version'], { cwd: dir, env: runEnv, encoding: 'utf8', timeout: 120_000 });
	const gotN8n = (ver.stdout ?? '').trim().split('\n').pop();
	if (ver.status !== 0 || gotN8n !== n8nVersion) throw new Error(`n8n --version gave "${gotN8n}" (exit ${ver.status}), expected ${n8nVersion}\n${ver.stderr}`);
	timings.totalMs = Date.now() - t0;
	rep.line(`ready: n8n ${gotN8n} on Node ${nodeVersion}, installed in ${mmss(timings.totalMs)}`);
	return { nodeVersion, n8nVersion: gotN8n, timings, sqlite, counts: { manifests: seen.size, packages: wanted.length } };
}
