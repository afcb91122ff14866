'use strict';
/**
 * Return All under faults on a middle page: every row exactly once (nothing lost, nothing duplicated).
 */
const { forAll, count, compareIds } = require('./common');
const { onRequest } = require('../lib/hooks');
const { verdict, errorText } = require('../lib/verdict');

function pagingCase(id, title, setup, { timeoutSeconds, relogins = 0 } = {}) {
	return forAll((a) => ({
		id,
		title,
		expected: `all rows exactly once (${a.list.pages} pages)${relogins ? `, ${relogins} re-login` : ''}`,
		async run(ctx) {
			const sim = await ctx.sim(a.list.simOptions);
			setup(sim, a);
			const engine = ctx.engine(sim, timeoutSeconds ? { timeoutSeconds } : {});
			const r = await ctx.run(engine, a.list.params);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const expected = a.list.expectedIds(sim);
			const got = r.items ? a.list.ids(r.items) : [];
			const { missing, dupes, extra } = compareIds(got, expected);
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(got.length, expected.length, 'rows');
			v.eq(missing.length, 0, 'missing rows');
			v.eq(dupes.length, 0, 'duplicated rows');
			v.eq(extra.length, 0, 'unexpected rows');
			const logins = a.logins(sim);
			v.eq(logins, 1 + relogins, 'logins');
			return v.done(`${got.length}/${expected.length} rows, ${missing.length} missing, ${dupes.length} duplicated, ${count(sim, a.list.path, 'GET')} list requests, ${logins} login(s)`);
		},
	}));
}

module.exports = [
	...pagingCase('returnAll-503-on-page-2', 'HTTP 503 (Retry-After 1) on page 2', (sim, a) =>
		sim.faults.add({ path: a.list.path, nth: 2, status: 503, headers: { 'Retry-After': '1' } })),
	...pagingCase('returnAll-429-on-page-3', 'HTTP 429 on page 3', (sim, a) =>
		sim.faults.add({ path: a.list.path, nth: 3, status: 429 })),
	...pagingCase('returnAll-reset-after-page-2', 'connection reset after page 2 was served', (sim, a) =>
		sim.faults.add({ path: a.list.path, nth: 2, reset: 'after' })),
	...pagingCase('returnAll-reset-before-page-2', 'connection reset before page 2 was read', (sim, a) =>
		sim.faults.add({ path: a.list.path, nth: 2, reset: 'before' })),
	...pagingCase('returnAll-truncated-page-2', 'page 2 is truncated JSON (200)', (sim, a) =>
		sim.faults.add({ path: a.list.path, nth: 2, truncate: true })),
	...pagingCase('returnAll-html-page-2', 'page 2 is an HTML page (200)', (sim, a) =>
		sim.faults.add({ path: a.list.path, nth: 2, html: true })),
	...pagingCase('returnAll-empty-page-2', 'page 2 is an empty body (200)', (sim, a) =>
		sim.faults.add({ path: a.list.path, nth: 2, empty: true })),
	...pagingCase('returnAll-slow-page-2', 'page 2 answers after the 1 s timeout', (sim, a) =>
		sim.faults.add({ path: a.list.path, nth: 2, delayMs: 1500, passThrough: true }), { timeoutSeconds: 1 }),
	...pagingCase('returnAll-session-killed', 'all sessions killed when page 2 arrives', (sim, a) =>
		onRequest(sim, { path: a.list.path, nth: 2 }, () => a.expireSessions(sim)), { relogins: 1 }),
];
