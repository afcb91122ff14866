'use strict';
/** Parent side of bench/sim-host.js: a simulator in its own process, driven over IPC. */
const { fork } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const HOST = path.join(__dirname, '..', 'sim-host.js');

/** Whether the simulator module of an appliance exists (VSA / SPS are written in parallel). */
function simExists(kind) {
	return fs.existsSync(path.join(ROOT, 'test', 'sim', `${kind}.js`));
}

async function startSim(kind, options = {}) {
	const child = fork(HOST, [], { execArgv: ['--expose-gc', '--max-old-space-size=4096'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
	let seq = 0;
	const waiting = new Map();
	child.on('message', (m) => {
		const w = waiting.get(m.id);
		if (!w) return;
		waiting.delete(m.id);
		if (m.error) w.reject(new Error(m.error));
		else w.resolve(m.result);
	});
	child.on('exit', (code) => {
		for (const w of waiting.values()) w.reject(new Error(`${kind} simulator exited (${code})`));
		waiting.clear();
	});
	const send = (msg) => new Promise((resolve, reject) => {
		const id = ++seq;
		waiting.set(id, { resolve, reject });
		child.send({ ...msg, id });
	});
	const started = await send({ cmd: 'start', kind, options });
	return {
		kind,
		pid: child.pid,
		url: started.url,
		credential: started.credential,
		caPem: started.caPem,
		stats: () => send({ cmd: 'stats' }),
		timeline: () => send({ cmd: 'timeline' }),
		reset: () => send({ cmd: 'reset' }),
		latency: (ms) => send({ cmd: 'latency', ms }),
		call: (method, ...args) => send({ cmd: 'call', method, args }),
		probe: (name, ...args) => send({ cmd: 'probe', name, args }),
		async stop() {
			try {
				await send({ cmd: 'stop' });
			} catch {
				/* already gone */
			}
			if (child.exitCode === null) child.kill();
		},
	};
}

module.exports = { startSim, simExists };
