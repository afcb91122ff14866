'use strict';
/**
 * Polling triggers are reads too: a transient failure is retried inside the poll, a failing poll reports a
 * clear error and loses nothing (the next poll emits what the failed one would have), a killed session costs
 * one re-login.
 */
const { forAll, count } = require('./common');
const { verdict } = require('../lib/verdict');

const ids = (a, r) => (r.items || []).map(a.trigger.idOf);

module.exports = [
	...forAll((a) => ({
		id: 'trigger-poll-503-then-ok',
		title: 'a new record, then the poll meets HTTP 503 twice',
		expected: 'the poll retries and emits the new record once; the next poll emits nothing',
		async run(ctx) {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			const baseline = await ctx.poll(engine, a.trigger.params);
			const id = await a.trigger.addRecord(sim, ctx, engine);
			sim.faults.add({ path: a.trigger.path, status: 503, times: 2 });
			const polled = await ctx.poll(engine, a.trigger.params);
			const again = await ctx.poll(engine, a.trigger.params);
			return { baseline, polled, again, id, sim };
		},
		expect({ baseline, polled, again, id }) {
			const v = verdict();
			v.ok(!baseline.error && baseline.result === null, 'baseline poll emits nothing');
			v.ok(!polled.error, `poll ok (${polled.error && polled.error.message})`);
			v.eq(ids(a, polled), [id], 'emitted');
			v.ok(!again.error && again.result === null, 'next poll emits nothing');
			return v.done(`emitted ${ids(a, polled).length} record after 2×503, then ${again.result === null ? 'nothing' : ids(a, again).length}`);
		},
	})),
	...forAll((a) => ({
		id: 'trigger-poll-fails-then-recovers',
		title: 'a new record, the poll fails on every attempt (HTTP 500), then the appliance recovers',
		expected: 'the failed poll reports a clear error naming the appliance; the next poll emits the record once (nothing lost)',
		async run(ctx) {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			await ctx.poll(engine, a.trigger.params);
			const id = await a.trigger.addRecord(sim, ctx, engine);
			sim.faults.add({ path: a.trigger.path, status: 500, times: 4 });
			const failed = await ctx.poll(engine, a.trigger.params);
			const next = await ctx.poll(engine, a.trigger.params);
			const after = await ctx.poll(engine, a.trigger.params);
			return { failed, next, after, id, sim };
		},
		expect({ failed, next, after, id, sim }) {
			const v = verdict();
			const text = failed.error ? `${failed.error.message} ${failed.error.description ?? ''}` : '';
			v.ok(!!failed.error, 'the failed poll reports an error');
			v.match(text, a.name, 'names the appliance');
			v.match(text, /HTTP 500/, 'names the cause');
			v.eq(ids(a, next), [id], 'next poll emits the record');
			v.ok(!after.error && after.result === null, 'then nothing');
			return v.done(`failed poll: "${failed.error && failed.error.message}"; next poll emitted ${ids(a, next).length}; ${count(sim, a.trigger.path)} list requests`);
		},
	})),
	...forAll((a) => ({
		id: 'trigger-poll-session-killed',
		title: 'the appliance ends the session between two polls',
		expected: 'one re-login; the new record is emitted once',
		async run(ctx) {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			await ctx.poll(engine, a.trigger.params);
			const id = await a.trigger.addRecord(sim, ctx, engine);
			const logins = a.logins(sim);
			a.expireSessions(sim);
			const polled = await ctx.poll(engine, a.trigger.params);
			return { polled, id, sim, logins };
		},
		expect({ polled, id, sim, logins }) {
			const v = verdict();
			v.ok(!polled.error, `poll ok (${polled.error && polled.error.message})`);
			v.eq(ids(a, polled), [id], 'emitted');
			v.eq(a.logins(sim) - logins, 1, 're-logins');
			return v.done(`emitted ${ids(a, polled).length}, ${a.logins(sim) - logins} re-login`);
		},
	})),
];
