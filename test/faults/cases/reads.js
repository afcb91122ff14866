'use strict';
/**
 * Reads under faults: bounded retries with backoff honouring Retry-After; after the last attempt a clear error
 * naming the appliance, the operation and the cause.
 */
const { forAll, count } = require('./common');
const { verdict, errorText } = require('../lib/verdict');

const MAX_READ_ATTEMPTS = 4;

/** Fault rules of the read route; `times` failures then the appliance answers. */
function readCase(id, title, rule, { times, timeoutSeconds, expected, cause, backoff }) {
	return forAll((a) => ({
		id,
		title,
		expected: expected ?? (times >= MAX_READ_ATTEMPTS
			? `fails after ${MAX_READ_ATTEMPTS} attempts; error names ${a.label}, the operation and ${cause.text}`
			: `retried${backoff ? ' with growing backoff (≥ 0.3 s, then ≥ 0.6 s)' : ''}, ${a.read.count} rows after ${times + 1} attempts`),
		async run(ctx) {
			const sim = await ctx.sim();
			sim.faults.add({ path: a.read.path, times, ...rule });
			const engine = ctx.engine(sim, timeoutSeconds ? { timeoutSeconds } : {});
			const r = await ctx.run(engine, a.read.params);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const attempts = count(sim, a.read.path, 'GET');
			if (times >= MAX_READ_ATTEMPTS) {
				const text = errorText(r);
				v.ok(r.status === 'error' || !!r.error, 'the execution fails');
				v.match(text, a.name, 'error names the appliance');
				v.match(text, a.read.op, 'error names the operation');
				v.match(text, cause.re, 'error names the cause');
				v.eq(attempts, MAX_READ_ATTEMPTS, 'attempts');
				v.noMatch(text, /\[object Object\]|AxiosError|at \w+ \(/, 'no raw error dump');
				return v.done(`${attempts} attempts; "${(r.error && r.error.message) || text}"`);
			}
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(r.items.length, a.read.count, 'rows');
			v.eq(attempts, times + 1, 'attempts');
			let gaps = '';
			if (backoff) {
				const at = sim.requests.filter((q) => q.path === a.read.path).map((q) => q.at);
				const g = at.slice(1).map((t, i) => t - at[i]);
				// lower bounds only (400 ms and 800 ms base, ±20 % jitter): never flaky on a slow machine
				v.atLeast(g[0] ?? 0, 300, 'first backoff (ms)');
				v.atLeast(g[1] ?? 0, 600, 'second backoff (ms)');
				gaps = `, waits ${g.map((x) => `${(x / 1000).toFixed(1)} s`).join(' then ')}`;
			}
			return v.done(`${r.items.length} rows after ${attempts} attempts${gaps}`);
		},
	}));
}

const HTTP_CAUSE = (status) => ({ re: new RegExp(`HTTP ${status}`), text: `HTTP ${status}` });
const cause = (re, text) => ({ re, text });

module.exports = [
	// transient server errors: retried, then the rows
	...[500, 502, 503].map((status) =>
		readCase(`read-${status}-then-ok`, `HTTP ${status} twice, then OK`, { status }, { times: 2, backoff: true }),
	).flat(),
	...readCase('read-503-persistent', 'HTTP 503 on every attempt', { status: 503, headers: { 'Retry-After': '1' } }, { times: 99, cause: HTTP_CAUSE(503) }),
	...readCase('read-500-persistent', 'HTTP 500 on every attempt', { status: 500 }, { times: 99, cause: HTTP_CAUSE(500) }),
	// 429 with and without Retry-After
	...forAll((a) => ({
		id: 'read-429-retry-after',
		title: '429 with Retry-After: 1',
		expected: 'waits the Retry-After second, then the rows (2 attempts, ≥ 0.9 s apart)',
		async run(ctx) {
			const sim = await ctx.sim();
			sim.faults.add({ path: a.read.path, status: 429, headers: { 'Retry-After': '1' }, times: 1 });
			const r = await ctx.run(ctx.engine(sim), a.read.params);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const tries = sim.requests.filter((q) => q.path === a.read.path);
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(r.items.length, a.read.count, 'rows');
			v.eq(tries.length, 2, 'attempts');
			const gap = tries.length >= 2 ? tries[1].at - tries[0].at : 0;
			v.atLeast(gap, 900, 'ms between attempts');
			return v.done(`${r.items.length} rows, ${tries.length} attempts, ${gap >= 900 ? '≥ 0.9 s' : `${gap} ms`} apart`);
		},
	})),
	...readCase('read-429-no-retry-after', '429 without Retry-After, twice', { status: 429 }, { times: 2, backoff: true }),
	...forAll((a) => ({
		id: 'read-429-retry-after-too-long',
		title: '429 asking to wait an hour',
		expected: 'no retry (bounded wait); error says the appliance is rate-limiting and how long it asked to wait',
		async run(ctx) {
			const sim = await ctx.sim();
			sim.faults.add({ path: a.read.path, status: 429, headers: { 'Retry-After': '3600' }, times: 99 });
			const r = await ctx.run(ctx.engine(sim), a.read.params);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const text = errorText(r);
			v.ok(!!r.error, 'fails');
			v.eq(count(sim, a.read.path), 1, 'attempts');
			v.match(text, a.name, 'names the appliance');
			v.match(text, /rate-limit/i, 'says rate-limited');
			v.match(text, /3600 s/, 'quotes the wait');
			return v.done(`${count(sim, a.read.path)} attempt; "${text}"`);
		},
	})),
	// connection resets before and after the request body
	...readCase('read-reset-before-then-ok', 'connection reset before the request is read, once', { reset: 'before' }, { times: 1 }),
	...readCase('read-reset-after-then-ok', 'connection reset after the appliance answered, once', { reset: 'after' }, { times: 1 }),
	...readCase('read-reset-persistent', 'connection reset on every attempt', { reset: 'before' }, { times: 99, cause: cause(/reset/i, '"connection was reset"') }),
	// slow answers past the credential timeout (1 s)
	...readCase('read-slow-then-ok', 'answer after 1.5 s with a 1 s timeout, once', { delayMs: 1500, passThrough: true }, { times: 1, timeoutSeconds: 1 }),
	...readCase('read-slow-persistent', 'every answer after 1.5 s with a 1 s timeout', { delayMs: 1500, passThrough: true }, { times: 99, timeoutSeconds: 1, cause: cause(/timed out/i, '"timed out"') }),
	// malformed 200 answers
	...readCase('read-truncated-then-ok', 'truncated JSON with 200, once', { truncate: true }, { times: 1 }),
	...readCase('read-truncated-persistent', 'truncated JSON with 200 every time', { truncate: true }, { times: 99, cause: cause(/incomplete or invalid JSON/i, '"incomplete or invalid JSON"') }),
	...readCase('read-html-200-then-ok', 'HTML error page with 200, once', { html: true }, { times: 1 }),
	...readCase('read-html-200-persistent', 'HTML error page with 200 every time', { html: true }, { times: 99, cause: cause(/HTML/, '"HTML page"') }),
	...readCase('read-empty-then-ok', 'empty body with 200, once', { empty: true }, { times: 1 }),
	...readCase('read-empty-persistent', 'empty body with 200 every time', { empty: true }, { times: 99, cause: cause(/empty/i, '"empty response"') }),
];
