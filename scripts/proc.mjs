// Process and port helpers for the demo, the n8n runtime and their tests. Only node:* imports.
//
//   spawnNpm(args, opts)          npm on every platform (npm.cmd through a shell on Windows)
//   killGroup(pid, signal)        a child started with `detached: true` and everything it started
//                                 (POSIX: its process group; Windows: taskkill /T /F)
//   portFree(port, host)          can we listen there?
//   portHolder(port)              who listens there: "pid 1234 (node …/n8n start)", or undefined
//                                 (Linux: /proc/net/tcp{,6} + /proc/<pid>/fd; macOS and others: lsof; Windows: netstat)
//   processTree(pid)              pid and all its descendants with their command lines (Linux: /proc; else ps)
//   watchParent(onGone)           calls onGone once when the process that started us (or the one that started it) is
//                                 gone: `npm start` runs `sh -c node …`, and a SIGTERM or SIGHUP sent to npm alone
//                                 ends npm (and sh) but never reaches node

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

const WIN = process.platform === 'win32';

export function spawnNpm(args, opts = {}) {
	return WIN ? spawn('npm.cmd', args, { ...opts, shell: true, windowsHide: true }) : spawn('npm', args, opts);
}

/** Options for a child that must be killable with everything it starts (its own process group on POSIX). */
export const groupOptions = () => (WIN ? { windowsHide: true } : { detached: true });

export function killGroup(pid, signal = 'SIGTERM') {
	if (!pid) return;
	if (WIN) {
		spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
		return;
	}
	try {
		process.kill(-pid, signal);
	} catch {
		try {
			process.kill(pid, signal); // not a group leader (started without detached)
		} catch {}
	}
}

export function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return !isZombie(pid);
	} catch (e) {
		return e.code === 'EPERM';
	}
}

function isZombie(pid) {
	if (process.platform !== 'linux') return false;
	try {
		return statOf(pid).state === 'Z';
	} catch {
		return false;
	}
}

export function portFree(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, host, () => srv.close(() => resolve(true)));
	});
}

// ------------------------------------------------------------------ /proc (Linux)

function statOf(pid) {
	const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const close = s.lastIndexOf(')'); // the command name may contain spaces and parentheses
	const f = s.slice(close + 2).split(' ');
	return { state: f[0], ppid: Number(f[1]), pgid: Number(f[2]) };
}

export function commandLine(pid) {
	try {
		if (process.platform === 'linux') {
			const c = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
			if (c) return c;
		}
		if (!WIN) return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
		const out = execFileSync('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], { encoding: 'utf8', windowsHide: true });
		return out.split(',')[0]?.replace(/"/g, '').trim() ?? '';
	} catch {
		return '';
	}
}

function linuxListeners(port) {
	const inodes = new Set();
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text;
		try {
			text = fs.readFileSync(file, 'utf8');
		} catch {
			continue;
		}
		for (const row of text.split('\n').slice(1)) {
			const f = row.trim().split(/\s+/);
			if (f.length < 10 || f[3] !== '0A') continue; // 0A = LISTEN
			if (parseInt(f[1].split(':')[1], 16) === port) inodes.add(f[9]);
		}
	}
	if (!inodes.size) return [];
	const pids = [];
	for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		let fds;
		try {
			fds = fs.readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue; // gone, or not ours to read
		}
		for (const fd of fds) {
			let target;
			try {
				target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
			} catch {
				continue;
			}
			const m = /^socket:\[(\d+)\]$/.exec(target);
			if (m && inodes.has(m[1])) {
				pids.push(Number(pid));
				break;
			}
		}
	}
	return pids;
}

function lsofListeners(port) {
	const r = spawnSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], { encoding: 'utf8' });
	if (r.error) return null; // no lsof
	return [...new Set(r.stdout.split('\n').filter(Boolean).map(Number))];
}

function netstatListeners(port) {
	const r = spawnSync('netstat', ['-ano', '-p', 'TCP'], { encoding: 'utf8', windowsHide: true });
	if (r.error) return null;
	const pids = new Set();
	for (const row of r.stdout.split('\n')) {
		const f = row.trim().split(/\s+/);
		if (f[0] === 'TCP' && /LISTENING/i.test(f[3] ?? '') && f[1]?.endsWith(`:${port}`)) pids.add(Number(f[4]));
	}
	return [...pids];
}

/**
 * Who listens on a TCP port: a sentence such as `pid 1234 (node /x/n8n start)`, or undefined when it cannot be told
 * (another user's process, no lsof/netstat). Never throws.
 */
export function portHolder(port) {
	try {
		let pids;
		if (process.platform === 'linux') pids = linuxListeners(port);
		else if (WIN) pids = netstatListeners(port);
		else pids = lsofListeners(port);
		if (!pids?.length) return undefined;
		return pids
			.map((pid) => {
				const cmd = commandLine(pid);
				return `pid ${pid}${cmd ? ` (${cmd.length > 120 ? `${cmd.slice(0, 117)}…` : cmd})` : ''}`;
			})
			.join(', ');
	} catch {
		return undefined;
	}
}

/** Each port that is not free, with who holds it. `wanted`: {label: port}. */
export async function busyPorts(wanted, host = '127.0.0.1') {
	const busy = [];
	for (const [what, port] of Object.entries(wanted)) {
		if (await portFree(port, host)) continue;
		const holder = portHolder(port);
		busy.push({ what, port, holder, text: `${port} (${what}) is in use${holder ? ` by ${holder}` : ''}` });
	}
	return busy;
}

// ------------------------------------------------------------------ process trees

function allProcesses() {
	if (process.platform === 'linux') {
		const list = [];
		for (const d of fs.readdirSync('/proc')) {
			if (!/^\d+$/.test(d)) continue;
			try {
				const st = statOf(d);
				list.push({ pid: Number(d), ppid: st.ppid, pgid: st.pgid, state: st.state });
			} catch {}
		}
		return list;
	}
	const out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { encoding: 'utf8' });
	return out
		.split('\n')
		.filter((l) => l.trim())
		.map((l) => {
			const [pid, ppid, pgid, state] = l.trim().split(/\s+/);
			return { pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state: state?.[0] };
		});
}

/** The process and all its descendants (POSIX), with their command lines. */
export function processTree(rootPid) {
	const all = allProcesses();
	const out = [];
	const queue = [rootPid];
	while (queue.length) {
		const pid = queue.shift();
		const p = all.find((x) => x.pid === pid);
		if (!p || p.state === 'Z') continue;
		out.push({ ...p, cmd: commandLine(pid) });
		for (const c of all) if (c.ppid === pid) queue.push(c.pid);
	}
	return out;
}

export function parentOf(pid) {
	try {
		if (process.platform === 'linux') return statOf(pid).ppid;
		if (!WIN) return Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || undefined;
	} catch {}
	return undefined;
}

/**
 * Calls onGone(reason) once when our parent is gone (we were re-parented) or our grandparent is gone while the parent
 * is a shell (npm → sh -c → node: npm ends on SIGTERM/SIGHUP without the signal ever reaching node).
 * Returns a function that stops watching.
 */
export function watchParent(onGone, { intervalMs = 1000 } = {}) {
	const parent = process.ppid;
	const parentCmd = commandLine(parent);
	const shell = /^(\/\S*\/)?(sh|bash|dash|zsh|cmd(\.exe)?)(\s|$)/i.test(parentCmd);
	const grand = shell ? parentOf(parent) : undefined;
	const watchGrand = grand && grand > 1;
	let done = false;
	const timer = setInterval(() => {
		if (done) return;
		let reason;
		if (process.ppid !== parent || !pidAlive(parent)) reason = `the process that started this one (pid ${parent}) is gone`;
		else if (watchGrand && !pidAlive(grand)) reason = `npm (pid ${grand}) is gone`;
		if (reason) {
			done = true;
			clearInterval(timer);
			onGone(reason);
		}
	}, intervalMs);
	timer.unref();
	return () => {
		done = true;
		clearInterval(timer);
	};
}
