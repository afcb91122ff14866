'use strict';
/**
 * Actions that may have run (KACE script run, VSA agent procedure run, SPS session termination; the SPS
 * commit / API-key cases are in sps.js, the KACE managed-install and ticket cases in kace.js): never resent once
 * the request may have reached the appliance; the error says the outcome is unknown and how to check it.
 * Before the request left (connection refused, DNS) a retry is fine.
 */
const { forAll, p, count } = require('./common');
const { delayAnswer, refusals, waitFor } = require('../lib/hooks');
const { verdict, errorText } = require('../lib/verdict');

const UNKNOWN = /outcome .*unknown|unknown.*outcome/i;

function actionPath(a, sim) {
	return p(a.action.path, sim);
}

async function prepared(ctx, a, simOptions) {
	const sim = await ctx.sim(simOptions);
	if (a.action.prepare) a.action.prepare(sim);
	return sim;
}

/**
 * A fault on the action's route. `outcome`: 'unknown' (error says unknown + how to check), 'error' (a plain
 * error quoting the answer), 'ok' (succeeds). `sent`: how many times the action request may reach the route.
 * `ran`: what the appliance must have done (count of executions), checked after the simulator settled.
 */
function actionCase(id, title, rule, { outcome, sent, ran, timeoutSeconds, expected }) {
	return forAll((a) => ({
		id,
		title,
		expected: expected ?? {
			unknown: `sent once, not resent; error says the outcome is unknown and how to check (${a.action.what} ran ${ran}×)`,
			error: `sent once, not resent; clear error quoting the answer (${a.action.what} ran ${ran}×)`,
			ok: `retried after the refusal, then done once (${a.action.what} ran ${ran}×)`,
		}[outcome],
		async run(ctx) {
			const sim = await prepared(ctx, a);
			if (rule.answerAfterMs) delayAnswer(sim, { method: a.action.method, path: actionPath(a, sim) }, rule.answerAfterMs);
			else sim.faults.add({ method: a.action.method, path: actionPath(a, sim), ...rule });
			const engine = ctx.engine(sim, timeoutSeconds ? { timeoutSeconds } : {});
			const r = await ctx.run(engine, p(a.action.params, sim));
			// the appliance may still be working on a request the client gave up on
			await waitFor(() => a.action.ran(sim) >= ran, ran ? 4000 : 600);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const text = errorText(r);
			const requests = count(sim, actionPath(a, sim), a.action.method);
			const executed = a.action.ran(sim);
			v.eq(requests, sent, 'action requests');
			v.eq(executed, ran, `${a.action.what}s executed`);
			if (outcome === 'ok') {
				v.ok(!r.error && !text, `no error (${text})`);
			} else {
				v.ok(!!text, 'fails');
				v.match(text, a.name, 'names the appliance');
				v.match(text, a.action.op, 'names the operation');
				if (outcome === 'unknown') {
					v.match(text, UNKNOWN, 'says the outcome is unknown');
					v.match(text, /not (been )?sent again|was not sent again/i, 'says it was not resent');
					v.match(text, a.action.check, 'says how to check');
				} else {
					v.noMatch(text, /tried \d+ times/i, 'no retry');
				}
			}
			return v.done(`${requests} request(s), ran ${executed}×${text ? `; "${text}"` : ''}`);
		},
	}));
}

module.exports = [
	...actionCase('action-reset-after', 'connection reset after the appliance ran it', { reset: 'after' }, { outcome: 'unknown', sent: 1, ran: 1 }),
	...actionCase('action-reset-before', 'connection reset before the request body was read', { reset: 'before' }, { outcome: 'unknown', sent: 1, ran: 0 }),
	...actionCase('action-ran-answer-past-timeout', 'the appliance runs it at once but answers after the 1 s timeout', { answerAfterMs: 1500 }, { outcome: 'unknown', sent: 1, ran: 1, timeoutSeconds: 1 }),
	...actionCase('action-stalled-past-timeout', 'a proxy holds the request past the 1 s timeout (the appliance never gets it)', { delayMs: 1500, passThrough: true }, { outcome: 'unknown', sent: 1, ran: 0, timeoutSeconds: 1 }),
	...actionCase('action-502', 'HTTP 502 from a gateway', { status: 502 }, { outcome: 'unknown', sent: 1, ran: 0 }),
	...actionCase('action-truncated-200', 'truncated JSON with 200', { truncate: true }, { outcome: 'unknown', sent: 1, ran: 0 }),
	...actionCase('action-html-200', 'HTML page with 200', { html: true }, { outcome: 'unknown', sent: 1, ran: 0 }),
	...actionCase('action-500', 'HTTP 500 with an error body', { status: 500, body: { error: 'internal failure', errorDescription: 'internal failure', Error: 'internal failure' } }, { outcome: 'error', sent: 1, ran: 0 }),
	...actionCase('action-503', 'HTTP 503', { status: 503 }, { outcome: 'error', sent: 1, ran: 0 }),
	...actionCase('action-429-retry-after', 'HTTP 429 (refused, so it never ran) with Retry-After: 1', { status: 429, headers: { 'Retry-After': '1' } }, {
		outcome: 'ok', sent: 2, ran: 1, expected: 'retried once after the Retry-After second (a 429 never ran), then done once',
	}),

	// connection refused: the request never left, so a retry is fine
	...forAll((a) => ({
		id: 'action-refused-then-up',
		title: 'connection refused, the appliance comes back during the backoff',
		serial: true, // the simulator's port must not be taken by another case's simulator meanwhile
		expected: `retried (the request never left); ${a.action.what} done exactly once`,
		async run(ctx) {
			const sim = await prepared(ctx, a);
			const engine = ctx.engine(sim);
			await ctx.run(engine, a.read.params); // logs in; the session is kept in the credential
			const port = sim.server.address().port;
			await sim.stop();
			const counter = refusals(port, (n) => {
				if (n === 1) sim.start(port).catch(() => {});
			});
			ctx.cleanup(() => counter.stop());
			const r = await ctx.run(engine, p(a.action.params, sim));
			return { r, sim, refused: counter.count };
		},
		expect({ r, sim, refused }) {
			const v = verdict();
			const requests = count(sim, actionPath(a, sim), a.action.method);
			v.ok(!r.error && !errorText(r), `no error (${errorText(r)})`);
			v.atLeast(refused, 1, 'refused connections');
			v.eq(requests, 1, 'action requests that reached the appliance');
			v.eq(a.action.ran(sim), 1, 'executions');
			return v.done(`${refused} refused connection(s), then ${requests} request, ran ${a.action.ran(sim)}×`);
		},
	})),
	...forAll((a) => ({
		id: 'action-refused-persistent',
		title: 'connection refused on every attempt',
		serial: true,
		expected: 'bounded retries (3); error says the appliance could not be reached and what to check, not "outcome unknown"',
		async run(ctx) {
			const sim = await prepared(ctx, a);
			const engine = ctx.engine(sim);
			await ctx.run(engine, a.read.params);
			const port = sim.server.address().port;
			const params = p(a.action.params, sim);
			await sim.stop();
			const counter = refusals(port);
			ctx.cleanup(() => counter.stop());
			const r = await ctx.run(engine, params);
			return { r, refused: counter.count };
		},
		expect({ r, refused }) {
			const v = verdict();
			const text = errorText(r);
			v.ok(!!text, 'fails');
			v.eq(refused, 3, 'attempts (refused connections)');
			v.match(text, a.name, 'names the appliance');
			v.match(text, /could not be reached|refused/i, 'says it could not be reached');
			v.match(text, /URL|port/i, 'says what to check');
			v.noMatch(text, UNKNOWN, 'not "outcome unknown"');
			return v.done(`${refused} refused attempts; "${text}"`);
		},
	})),
	...forAll((a) => ({
		id: 'action-dns-failure',
		title: 'host name does not resolve (.invalid)',
		expected: 'error says the host name could not be resolved and to check the URL; nothing ran',
		async run(ctx) {
			const sim = await prepared(ctx, a);
			const params = p(a.action.params, sim);
			const engine = ctx.engine(sim, { [a.urlField]: 'https://appliance.fault-suite.invalid' });
			const r = await ctx.run(engine, params);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const text = errorText(r);
			v.ok(!!text, 'fails');
			v.match(text, a.name, 'names the appliance');
			v.match(text, /resolv|ENOTFOUND|EAI_AGAIN/i, 'says the name did not resolve');
			v.match(text, /URL/i, 'says to check the URL');
			v.eq(sim.requests.length, 0, 'requests at the appliance');
			return v.done(`"${text}"`);
		},
	})),
];
