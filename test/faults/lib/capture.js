'use strict';
/**
 * Captures everything written to the console, process.stdout and process.stderr while the suite runs, and
 * attributes each write to the case that produced it (AsyncLocalStorage follows promises and timers, so cases
 * may run concurrently). Writes outside any case go to the suite bucket, which is leak-checked too.
 *
 * The runner prints its own report through `out()` / `err()`, which bypass the capture.
 */
const { AsyncLocalStorage } = require('node:async_hooks');
const util = require('node:util');

const als = new AsyncLocalStorage();
const suiteLog = [];
const originals = {
	stdout: process.stdout.write.bind(process.stdout),
	stderr: process.stderr.write.bind(process.stderr),
	console: {},
};
let installed = false;
let echo = false;

function record(kind, text) {
	const store = als.getStore();
	const line = { kind, text: String(text) };
	if (store) store.log.push(line);
	else suiteLog.push(line);
	if (echo) originals.stderr(`[${store ? store.id : 'suite'} ${kind}] ${line.text}${line.text.endsWith('\n') ? '' : '\n'}`);
}

/** Installs the capture. `verbose`: also echo what was captured (prefixed) to stderr. */
function install({ verbose = false } = {}) {
	if (installed) return;
	installed = true;
	echo = verbose;
	for (const stream of ['stdout', 'stderr']) {
		process[stream].write = function write(chunk, encoding, cb) {
			record(stream, Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk);
			const done = typeof encoding === 'function' ? encoding : cb;
			if (typeof done === 'function') process.nextTick(done);
			return true;
		};
	}
	for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir']) {
		originals.console[method] = console[method];
		console[method] = (...args) => record(`console.${method}`, util.format(...args));
	}
}

function uninstall() {
	if (!installed) return;
	installed = false;
	process.stdout.write = originals.stdout;
	process.stderr.write = originals.stderr;
	for (const [method, fn] of Object.entries(originals.console)) console[method] = fn;
}

/** Runs `fn` with every write attributed to `store` ({ id, log: [] }). */
function within(store, fn) {
	return als.run(store, fn);
}

const out = (text) => originals.stdout(text);
const err = (text) => originals.stderr(text);

module.exports = { install, uninstall, within, suiteLog, out, err };
