'use strict';
/**
 * jest's Node environment with quiet output. Everything a test prints through `console` (n8n's logger writes
 * there too) is held back and printed only if that test fails; what is printed outside a test (beforeAll,
 * describe bodies) is printed only if a hook or any test of the file fails. `VERBOSE=1 npm test` prints
 * everything as it happens, as plain jest does.
 */
const { formatWithOptions } = require('node:util');
const { TestEnvironment } = require('jest-environment-node');

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'];

// In a jest worker process (IPC to jest), once jest has sent its last message the event loop empties and Node tears
// the process down: with n8n's modules loaded that can take longer than jest's 500 ms grace on a busy machine, and
// jest then prints "A worker process has failed to exit gracefully" although nothing leaked (no handle is left at
// that point). process.exit skips most of that teardown; the results are all sent by then.
if (typeof process.send === 'function' && process.env.JEST_WORKER_ID && !process.__quietEnvironmentExit) {
	process.__quietEnvironmentExit = true;
	process.once('beforeExit', (code) => process.exit(code));
}
const verbose = () => /^(1|true|yes)$/i.test(process.env.VERBOSE ?? '');

class QuietEnvironment extends TestEnvironment {
	constructor(config, context) {
		super(config, context);
		this.held = []; // [method, args] printed outside a test
		this.current = null; // the same for the running test
		this.failed = false;
		this.real = null;
	}

	hold(method, args) {
		// where the test printed it (frame 0 is this function's caller, the wrapped console method)
		const where = (new Error().stack ?? '').split('\n')[3]?.trim().replace(/^at /, '') ?? '';
		(this.current ?? this.held).push({ method, text: formatWithOptions({ colors: false, depth: 6 }, ...args), where });
	}

	release(entries, heading) {
		if (!entries.length) return;
		const lines = entries.map((e) => `[${e.method}] ${e.text}${e.where ? `\n    at ${e.where}` : ''}`);
		this.real.log(`output of ${heading}:\n${lines.join('\n')}`);
	}

	async handleTestEvent(event) {
		if (verbose()) return;
		switch (event.name) {
			case 'setup': {
				// jest has put its console (buffered per file, printed by the reporter) on the global by now
				const con = this.global.console;
				this.real = {};
				for (const m of METHODS) {
					if (typeof con[m] !== 'function') continue;
					this.real[m] = con[m].bind(con);
					con[m] = (...args) => this.hold(m, args);
				}
				break;
			}
			case 'test_start':
				this.current = [];
				break;
			case 'test_done': {
				const mine = this.current ?? [];
				this.current = null;
				if (event.test.errors.length) {
					this.failed = true;
					this.release(mine, `the failed test "${fullName(event.test)}"`);
				}
				break;
			}
			case 'hook_failure':
				this.failed = true;
				break;
			case 'run_finish':
				if (this.failed) this.release(this.held, 'hooks and describe blocks of this file');
				this.held = [];
				break;
			default:
		}
	}
}

function fullName(test) {
	const parts = [];
	for (let t = test; t && t.name !== 'ROOT_DESCRIBE_BLOCK'; t = t.parent) parts.unshift(t.name);
	return parts.join(' › ');
}

module.exports = QuietEnvironment;
