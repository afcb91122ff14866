'use strict';
/**
 * Fault and security suite (issue #6): every case runs a node through the REAL n8n engine (test/harness.js)
 * against a fresh appliance simulator with a fault plan, checks the expected behaviour, and runs the leak check
 * over everything the case produced (errors, output items, execution data, console/stdout/stderr).
 *
 *   npm run test:faults                      build, then all cases
 *   node test/faults/run.js --only=read-     cases whose id matches a regular expression
 *   node test/faults/run.js --appliance=vsa  one appliance
 *   node test/faults/run.js --list           list the cases without running them
 *   node test/faults/run.js --verbose        echo captured output (prefixed with the case id) to stderr
 *   node test/faults/run.js --concurrency=4  cases in flight at once (default 8)
 *   node test/faults/run.js --markdown=docs/faults.md   also write the table between the markers in that file
 *   node test/faults/run.js --n8n=v1                   same cases on n8n 1.123 (.n8n-runtime/v1, see scripts/n8n-runtime.mjs)
 *   node test/faults/run.js --pretend-missing=vsa,sps   report those appliances' cases as skipped (checks the skip path)
 *
 * Prints the table case | appliance | expected | observed | pass, then the plain line
 * "N passed, N failed" (", N skipped" when an appliance is not built) as the LAST line. Exit code 1 on any failed
 * case or leak.
 */
const fs = require('node:fs');
const path = require('node:path');
const capture = require('./lib/capture');

const args = Object.fromEntries(
	process.argv.slice(2).map((a) => {
		const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
		return m ? [m[1], m[2] ?? true] : [a, true];
	}),
);

capture.install({ verbose: !!args.verbose });

// --n8n=v1: run the same cases on n8n 1.123 (the runtime installed by `node scripts/n8n-runtime.mjs install v1`):
// n8n-core and n8n-workflow — for the engine AND for the compiled nodes — are resolved from that runtime.
if (args.n8n === 'v1' || args.n8n === 'v2') {
	const Module = require('node:module');
	const runtime = path.join(__dirname, '..', '..', '.n8n-runtime', args.n8n);
	if (!fs.existsSync(path.join(runtime, 'node_modules', 'n8n-core'))) {
		capture.err(`--n8n=${args.n8n}: no runtime at ${runtime} (install it with: node scripts/n8n-runtime.mjs install ${args.n8n})\n`);
		process.exit(2);
	}
	const resolve = Module._resolveFilename;
	const anchor = { id: runtime, filename: path.join(runtime, 'index.js'), paths: Module._nodeModulePaths(runtime) };
	Module._resolveFilename = function redirect(request, parent, ...rest) {
		return resolve.call(this, request, /^n8n-(core|workflow)(\/|$)/.test(request) ? anchor : parent, ...rest);
	};
}

const { Engine } = require('../harness');
const { ADAPTERS, missing, credentialSecrets } = require('./lib/appliances');
const { scan, headerSecrets } = require('./lib/leaks');

const CASE_FILES = ['reads', 'paging', 'actions', 'sessions', 'continue', 'triggers', 'input', 'tls', 'sps', 'kace', 'vsa'];
const CASE_TIMEOUT_MS = 90_000;

/** Everything a case works with; records what must be leak-checked and stops the simulators afterwards. */
class CaseContext {
	constructor(adapter, store) {
		this.a = adapter;
		this.store = store;
		this.sims = [];
		this.engines = [];
		this.creds = [];
		this.outputs = [];
		this.secrets = [];
		this.allowed = [];
		this.cleanups = [];
	}

	async sim(options = {}) {
		const sim = await this.a.sim(options);
		this.sims.push(sim);
		return sim;
	}

	engine(sim, overrides = {}) {
		const data = this.a.credential(sim, overrides);
		this.creds.push({ ...data });
		const engine = new Engine({ [this.a.cred]: data });
		this.engines.push(engine);
		return engine;
	}

	async run(engine, parameters, options = {}) {
		try {
			const r = await engine.runNode(this.a.node, this.a.cred, parameters, options);
			this.outputs.push({ where: 'execution', value: r });
			return r;
		} catch (error) {
			this.outputs.push({ where: 'thrown error', value: error });
			throw error;
		}
	}

	async poll(engine, parameters, mode = 'trigger') {
		try {
			const r = await engine.poll(this.a.trigger.node, this.a.cred, parameters, mode);
			this.outputs.push({ where: 'poll', value: r });
			return r;
		} catch (error) {
			this.outputs.push({ where: 'poll error', value: error });
			return { error, items: [] };
		}
	}

	async testCredential(engine) {
		const r = await engine.testCredential(this.a.cred);
		this.outputs.push({ where: 'credential test', value: r });
		return r;
	}

	/** an extra secret to look for (e.g. a password embedded in a URL) */
	secret(label, value) {
		this.secrets.push({ label, value });
	}

	/** a secret that may appear in one place (e.g. the token of an API key the case created, in its output) */
	allow(value, where) {
		this.allowed.push({ value, where });
	}

	cleanup(fn) {
		this.cleanups.push(fn);
	}

	async close() {
		for (const fn of this.cleanups.splice(0)) {
			try {
				await fn();
			} catch {
				/* ignore */
			}
		}
		await Promise.all(this.sims.map((s) => s.stop().catch(() => {})));
	}

	leaks(verdictText) {
		const secrets = [...this.secrets];
		for (const data of this.creds) secrets.push(...credentialSecrets(this.a, data));
		for (const e of this.engines) if (e.store[this.a.cred]) secrets.push(...credentialSecrets(this.a, e.store[this.a.cred]));
		for (const sim of this.sims) secrets.push(...this.a.simSecrets(sim), ...headerSecrets(sim));
		const sources = [...this.outputs, { where: 'table text', value: verdictText }];
		sources.push({ where: 'console/stdout/stderr', value: this.store.log.map((l) => l.text).join('') });
		return { leaks: scan(secrets, sources, this.allowed), secrets };
	}
}

function loadCases() {
	const all = [];
	for (const file of CASE_FILES) {
		const list = require(`./cases/${file}`);
		for (const c of list) all.push({ ...c, file });
	}
	const ids = new Set();
	for (const c of all) {
		const key = `${c.id}@${c.appliance}`;
		if (ids.has(key)) throw new Error(`duplicate case ${key}`);
		ids.add(key);
	}
	return all;
}

function withTimeout(promise, ms) {
	let timer;
	return Promise.race([
		promise,
		new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(`case did not finish within ${ms / 1000} s`)), ms);
		}),
	]).finally(() => clearTimeout(timer));
}

async function execute(c) {
	const adapter = ADAPTERS[c.appliance];
	const store = { id: `${c.id}@${c.appliance}`, log: [] };
	return capture.within(store, async () => {
		const ctx = new CaseContext(adapter, store);
		const started = Date.now();
		let verdict;
		try {
			const result = await withTimeout(Promise.resolve().then(() => c.run(ctx)), c.timeoutMs ?? CASE_TIMEOUT_MS);
			verdict = await c.expect(result, ctx);
		} catch (error) {
			ctx.outputs.push({ where: 'thrown error', value: error });
			verdict = { pass: false, observed: `case crashed: ${error && error.message}` };
		} finally {
			await ctx.close();
		}
		const { leaks, secrets } = ctx.leaks(verdict.observed);
		let { pass, observed } = verdict;
		if (leaks.length) {
			pass = false;
			const list = [...new Set(leaks.map((l) => `${l.label} (${l.form}) in ${l.where}`))];
			observed = `${observed}; LEAK: ${list.join(', ')}`;
		}
		return { ...c, status: pass ? 'passed' : 'failed', observed, leaks, secrets, logWrites: store.log.length, ms: Date.now() - started };
	});
}

/**
 * Proves the leak check can fail: a KACE case that deliberately leaks the password, a session token and the
 * TOTP secret through each channel (console, stderr, an output item, an error) must be reported as leaking
 * through every one of them.
 */
async function selfTest() {
	const { SECRETS } = require('./lib/appliances');
	const planted = {
		id: 'leak-check-self-test-inner',
		appliance: 'kace',
		expected: 'n/a',
		async run(ctx) {
			const sim = await ctx.sim({ machines: 3, totp: true });
			const engine = ctx.engine(sim, { totpSecret: SECRETS.kaceTotp });
			const r = await ctx.run(engine, ctx.a.read.params);
			const token = [...sim.state.sessions.values()][0].kboxid;
			console.log(`debug: password is ${SECRETS.kacePassword}`);
			process.stderr.write(`jwt ${Buffer.from(token).toString('base64')}\n`);
			ctx.outputs.push({ where: 'output item', value: [{ json: { note: encodeURIComponent(SECRETS.kaceTotp) } }] });
			const error = new Error('request failed');
			error.description = `cookie kboxid=${token}`;
			ctx.outputs.push({ where: 'error', value: error });
			return r;
		},
		expect: () => ({ pass: true, observed: 'planted leaks' }),
	};
	const inner = await execute(planted);
	const where = new Set(inner.leaks.map((l) => `${l.label}@${l.where}`));
	const want = ['console/stdout/stderr', 'output item', 'error'];
	const found = want.filter((w) => inner.leaks.some((l) => l.where === w));
	const pass = inner.status === 'failed' && found.length === want.length && inner.leaks.length >= 4;
	return {
		id: 'leak-check-self-test',
		appliance: 'kace',
		title: 'the leak check itself',
		expected: 'a case that leaks the password (console), a session token (stderr, base64), the TOTP secret (output, URL-encoded) and a cookie (error) is reported for each',
		status: pass ? 'passed' : 'failed',
		observed: `${inner.leaks.length} leaks found: ${[...where].join(', ')}`.replace(SECRETS.kacePassword, '***'),
		leaks: [],
		secrets: [],
	};
}

async function pool(items, size, fn) {
	const results = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await fn(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
	return results;
}

const cell = (s, n) => {
	const t = String(s ?? '')
		.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
		.replace(/\s+/g, ' ')
		.replace(/\|/g, '\\|')
		.trim();
	return n && t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

function table(rows, { width } = {}) {
	const lines = ['| case | appliance | expected | observed | pass |', '|---|---|---|---|---|'];
	for (const r of rows) {
		const pass = r.status === 'passed' ? 'pass' : r.status === 'skipped' ? 'skipped' : 'FAIL';
		lines.push(`| ${cell(r.id)} | ${cell(ADAPTERS[r.appliance].label)} | ${cell(r.expected, width)} | ${cell(r.observed, width)} | ${pass} |`);
	}
	return lines.join('\n');
}

function summary(rows) {
	const passed = rows.filter((r) => r.status === 'passed').length;
	const failed = rows.filter((r) => r.status === 'failed').length;
	const skipped = rows.filter((r) => r.status === 'skipped').length;
	return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

function writeMarkdown(file, rows, leakLine, engineVersion) {
	const target = path.resolve(file);
	// one table per n8n major version: `faults-table` for the engine of the devDependencies, `faults-table-n8n1` for --n8n=v1
	const tag = args.n8n === 'v1' ? 'faults-table-n8n1' : 'faults-table';
	const start = `<!-- ${tag}:start -->`;
	const end = `<!-- ${tag}:end -->`;
	const block = [
		start,
		'',
		`n8n-core ${engineVersion}, ${new Date().toISOString().slice(0, 10)}:`,
		'',
		table(rows, { width: 300 }),
		'',
		leakLine,
		'',
		summary(rows),
		'',
		end,
	].join('\n');
	let text = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : `${start}\n${end}\n`;
	if (!text.includes(start) || !text.includes(end)) text = `${text.trimEnd()}\n\n${start}\n${end}\n`;
	text = text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length);
	fs.writeFileSync(target, text);
}

async function main() {
	const all = loadCases();
	const only = typeof args.only === 'string' ? new RegExp(args.only) : undefined;
	const cases = all.filter((c) => (!only || only.test(c.id) || only.test(`${c.id}@${c.appliance}`)) && (!args.appliance || c.appliance === args.appliance));
	if (args.list) {
		for (const c of cases) capture.out(`${c.id}@${c.appliance}\t${c.expected}\n`);
		capture.out(`${cases.length} cases\n`);
		return 0;
	}
	const concurrency = Math.max(1, Number(args.concurrency) || 8);
	const started = Date.now();
	const rows = new Array(cases.length);
	const runnable = [];
	cases.forEach((c, i) => {
		const pretend = typeof args['pretend-missing'] === 'string' && args['pretend-missing'].split(',').includes(c.appliance);
		const reason = pretend ? 'not built yet (--pretend-missing)' : missing(ADAPTERS[c.appliance]);
		if (reason) rows[i] = { ...c, status: 'skipped', observed: `skipped: ${ADAPTERS[c.appliance].label} ${reason}` };
		else if (args.n8n === 'v1' && c.limitationOnN8n1) rows[i] = { ...c, status: 'skipped', observed: `skipped on n8n 1.x: ${c.limitationOnN8n1}` };
		else runnable.push(i);
	});
	const parallel = runnable.filter((i) => !cases[i].serial);
	const serial = runnable.filter((i) => cases[i].serial);
	let done = 0;
	const progress = (r) => {
		done++;
		if (process.stderr.isTTY && !args.quiet) capture.err(`\r${done}/${runnable.length} ${r.status === 'failed' ? `FAIL ${r.id}@${r.appliance}` : ''}`.padEnd(70).slice(0, 90) + (r.status === 'failed' ? '\n' : ''));
	};
	await pool(parallel, concurrency, async (i) => {
		rows[i] = await execute(cases[i]);
		progress(rows[i]);
	});
	for (const i of serial) {
		rows[i] = await execute(cases[i]);
		progress(rows[i]);
	}
	if (process.stderr.isTTY && !args.quiet) capture.err('\n');
	if ((!only || only.test('leak-check-self-test')) && (!args.appliance || args.appliance === 'kace') && !missing(ADAPTERS.kace)) rows.unshift(await selfTest());

	// output written outside any case (e.g. late timers) is checked against every secret of every case
	const allSecrets = rows.flatMap((r) => r.secrets ?? []);
	const suiteLeaks = scan(allSecrets, [{ where: 'suite output', value: capture.suiteLog.map((l) => l.text).join('') }]);
	const logWrites = rows.reduce((n, r) => n + (r.logWrites ?? 0), 0) + capture.suiteLog.length;

	const engineVersion = require('n8n-core/package.json').version;
	capture.out(`\nFault and security suite: ${rows.length} cases on n8n-core ${engineVersion}, ${Math.round((Date.now() - started) / 1000)} s\n\n`);
	capture.out(`${table(rows, { width: args.wide ? undefined : 220 })}\n`);
	const failedRows = rows.filter((r) => r.status === 'failed');
	if (failedRows.length) {
		capture.out('\nFailed cases:\n');
		for (const r of failedRows) capture.out(`- ${r.id}@${r.appliance} (${r.title ?? ''}): expected ${r.expected}; observed ${r.observed}\n`);
	}
	const skippedRows = rows.filter((r) => r.status === 'skipped');
	if (skippedRows.length) {
		const by = [...new Set(skippedRows.map((r) => r.observed.replace(/^skipped: /, '')))];
		capture.out(`\nSkipped: ${by.join('; ')}\n`);
	}
	const leakCount = rows.reduce((n, r) => n + (r.leaks ? r.leaks.length : 0), 0) + suiteLeaks.length;
	const secretCount = new Set(allSecrets.map((s) => s.value)).size;
	const leakLine = `Leak check: ${secretCount} distinct secrets looked for in every error, output item, execution data and ${logWrites} captured console/stdout/stderr writes: ${leakCount === 0 ? 'no leak' : `${leakCount} leak(s)`}.`;
	capture.out(`\n${leakLine}\n`);
	if (suiteLeaks.length) for (const l of suiteLeaks) capture.out(`  LEAK outside cases: ${l.label} (${l.form})\n`);
	if (typeof args.markdown === 'string') writeMarkdown(args.markdown, rows, leakLine, engineVersion);
	capture.out(`${summary(rows)}\n`);
	return failedRows.length || suiteLeaks.length ? 1 : 0;
}

main()
	.then((code) => {
		capture.uninstall();
		process.exit(code);
	})
	.catch((error) => {
		capture.uninstall();
		process.stderr.write(`fault suite crashed: ${error && error.stack}\n`);
		process.stdout.write('0 passed, 1 failed\n');
		process.exit(1);
	});
