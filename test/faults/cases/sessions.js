'use strict';
/**
 * Session faults: an expired session costs one re-login and the work continues; a second consecutive auth
 * failure stops with a clear message. Token expiry in the middle of a multi-request procedure; clock skew
 * between n8n and the appliance.
 */
const { forAll, count, pairing } = require('./common');
const { onRequest } = require('../lib/hooks');
const { byId, onlineAgent, SECRETS } = require('../lib/appliances');
const { verdict, errorText } = require('../lib/verdict');

module.exports = [
	...forAll((a) => ({
		id: 'session-killed-between-executions',
		title: 'the appliance ended the session between two executions',
		expected: 'one re-login, then the rows; no error',
		async run(ctx) {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			const first = await ctx.run(engine, a.read.params);
			a.expireSessions(sim);
			const r = await ctx.run(engine, a.read.params);
			return { first, r, sim };
		},
		expect({ first, r, sim }) {
			const v = verdict();
			v.ok(!first.error, 'first execution ok');
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(r.items.length, a.read.count, 'rows');
			v.eq(a.logins(sim), 2, 'logins');
			return v.done(`${r.items.length} rows, ${a.logins(sim)} logins in total`);
		},
	})),
	...forAll((a) => ({
		id: 'auth-refused-after-relogin',
		title: 'the session is refused, and refused again right after a fresh login',
		// The second login comes only after the request has waited for a session that another queue-mode worker may be
		// storing (README "Scaling out": a new login may end the sessions issued before it); at most two per request.
		expected: 'two logins at most (the second after waiting for a session another worker may store), then a clear error (appliance, 401/session, what to check); no further attempt',
		async run(ctx) {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			await ctx.run(engine, a.read.params);
			sim.faults.add({ path: a.read.path, status: 401, body: a.authFailureBody, times: 99 });
			const before = { logins: a.logins(sim), reads: count(sim, a.read.path) };
			const r = await ctx.run(engine, a.read.params);
			return { r, sim, before };
		},
		expect({ r, sim, before }) {
			const v = verdict();
			const text = errorText(r);
			const logins = a.logins(sim) - before.logins;
			const reads = count(sim, a.read.path) - before.reads;
			v.ok(!!r.error, 'the execution fails');
			v.eq(logins, 2, 're-logins');
			v.eq(reads, 3, 'requests to the route');
			v.match(text, a.name, 'names the appliance');
			v.match(text, /401|session|refused|log(ged)? ?in/i, 'says the session/login was refused');
			v.match(text, /check|credential/i, 'says what to check');
			return v.done(`${logins} re-login, ${reads} requests; "${text}"`);
		},
	})),
	...forAll((a) => ({
		id: 'auth-refused-after-relogin-continue-on-fail',
		title: 'as above with 3 items and Continue On Fail',
		expected: 'the re-logins of one request in total (two at most); every item gets the auth error, paired; no re-login per item',
		async run(ctx) {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			await ctx.run(engine, a.read.params);
			sim.faults.add({ path: a.read.path, status: 401, body: a.authFailureBody, times: 99 });
			const before = { logins: a.logins(sim), reads: count(sim, a.read.path) };
			const r = await ctx.run(engine, a.read.params, { input: [{}, {}, {}], settings: { continueOnFail: true } });
			return { r, sim, before };
		},
		expect({ r, sim, before }) {
			const v = verdict();
			const logins = a.logins(sim) - before.logins;
			const reads = count(sim, a.read.path) - before.reads;
			v.eq(r.items.length, 3, 'output items');
			v.ok(r.items.every((i) => i.error), 'every item is an error item');
			v.eq((r.raw || []).map((i) => i.pairedItem && i.pairedItem.item), [0, 1, 2], 'pairing');
			v.eq(logins, 2, 're-logins in the execution');
			v.atMost(reads, 3, 'requests to the route');
			return v.done(`${logins} re-login(s), ${reads} requests for 3 items; item 0: "${r.items[0] && r.items[0].error}"`);
		},
	})),

	...forAll((a) => ({
		id: 'relogin-refused-continue-on-fail',
		title: 'the session expired and the password/token was changed on the appliance; 3 items, Continue On Fail',
		expected: 'exactly one (refused) login attempt for the whole execution; every item gets the login error naming the credential; pairing 0,1,2',
		async run(ctx) {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			await ctx.run(engine, a.read.params);
			const changed = 'Changed-By-Admin-7781';
			ctx.secret('changed password', changed);
			if (a.id === 'kace') sim.state.users.find((u) => u.user_name === 'admin').password = changed;
			if (a.id === 'vsa') sim.users[0].pat = changed;
			if (a.id === 'sps') sim.users[0].password = changed;
			a.expireSessions(sim);
			const before = a.logins(sim);
			const r = await ctx.run(engine, a.read.params, { input: [{}, {}, {}], settings: { continueOnFail: true } });
			return { r, sim, before };
		},
		expect({ r, sim, before }) {
			const v = verdict();
			const attempts = a.logins(sim) - before;
			v.eq(attempts, 1, 'login attempts');
			v.eq((r.items || []).length, 3, 'items');
			v.ok((r.items || []).every((i) => i.error && a.name.test(i.error)), 'every item: the login error');
			v.match(String((r.items || [{}])[0].error), /login|refused|password|token|credential/i, 'says the login was refused');
			v.eq(pairing(r), [0, 1, 2], 'pairing');
			return v.done(`${attempts} login attempt; "${(r.items || [{}])[0].error}"`);
		},
	})),

	// token expiry in the middle of a multi-request procedure
	{
		appliance: 'kace',
		id: 'token-expiry-mid-procedure',
		title: 'Script → Run and Wait: sessions killed at the first status poll',
		expected: 'one re-login, the run is NOT started again, per-machine outcomes returned',
		async run(ctx) {
			const sim = await ctx.sim({ scriptRunMs: { min: 200, max: 500 } });
			onRequest(sim, { path: /^\/api\/script\/runStatus\//, nth: 1 }, () => sim.expireAllSessions());
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'script', operation: 'runAndWait', scriptId: { mode: 'id', value: '1' }, target: 'ids', machineIds: '1,2', timeout: 20, pollInterval: 0.2,
			});
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(count(sim, '/api/script/1/actions/run', 'POST'), 1, 'run requests');
			v.eq(sim.state.scriptRuns.length, 1, 'runs on the appliance');
			v.eq(sim.requests.filter((q) => q.path === '/ams/shared/api/security/login').length, 2, 'logins');
			v.eq((r.items || []).map((i) => `${i.machineId}:${i.outcome}`), ['1:success', '2:success'], 'outcomes');
			return v.done(`${sim.state.scriptRuns.length} run, ${sim.count('/ams/shared/api/security/login')} logins, outcomes ${(r.items || []).map((i) => i.outcome).join(',')}`);
		},
	},
	{
		appliance: 'vsa',
		id: 'token-expiry-mid-procedure',
		title: 'Agent Procedure → Run and Wait: tokens expire at the first status poll',
		expected: 'one re-login, the procedure is NOT started again, finished with its status',
		async run(ctx) {
			const sim = await ctx.sim();
			onRequest(sim, { path: /\/scheduledprocs$/, nth: 1 }, () => sim.expireAllTokens());
			const agent = onlineAgent(sim);
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'agentProcedure', operation: 'runAndWait', agentId: byId(agent.AgentId),
				procedureId: byId(sim.procedure('Reboot Now').AgentProcedureId), prompts: {}, options: { pollInterval: 0.2, timeout: 20 },
			});
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const item = (r.items || [])[0] || {};
			v.ok(!r.error && !item.error, `no error (${errorText(r)})`);
			v.eq(sim.state.runs.length, 1, 'procedure runs');
			v.eq(sim.loginCount(), 2, 'logins');
			v.eq(item.finished, true, 'finished');
			v.eq(item.success, true, 'success');
			return v.done(`${sim.state.runs.length} run, ${sim.loginCount()} logins, finished=${item.finished}, status "${item.status}"`);
		},
	},
	{
		appliance: 'sps',
		id: 'token-expiry-mid-procedure',
		title: 'Configuration → Update (auto-commit): the login session expires just before the commit',
		expected: 'one re-login; a clear error that nothing was committed (the expired session took its transaction); configuration unchanged',
		async run(ctx) {
			const sim = await ctx.sim();
			onRequest(sim, { method: 'PUT', path: '/api/transaction', nth: 1 }, () => sim.expireSessions());
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'configuration', operation: 'update', path: 'configuration/management/email', mode: 'merge',
				fields: JSON.stringify({ admin_address: 'ops@example.com' }), autoCommit: true,
			});
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const text = errorText(r);
			v.ok(!!r.error, 'fails (must not report success)');
			v.match(text, /no open transaction|nothing was committed|not committed/i, 'says nothing was committed');
			v.eq(sim.state.commits, 0, 'commits');
			v.eq(sim.configBody('/api/configuration/management/email').admin_address, 'root@example.com', 'admin_address');
			v.eq(sim.logins().length, 2, 'logins');
			return v.done(`${sim.state.commits} commits, ${sim.logins().length} logins; "${text}"`);
		},
	},

	// clock skew between n8n and the appliance
	...[3, -3].map((hours) => ({
		appliance: 'kace',
		id: `clock-skew-${hours > 0 ? 'ahead' : 'behind'}`,
		title: `appliance clock ${hours > 0 ? '+' : ''}${hours} h, two-factor account`,
		expected: 'the TOTP code follows the appliance clock: one login (with 2FA), rows; the next execution reuses the session',
		async run(ctx) {
			const sim = await ctx.sim({ totp: true });
			sim.clock.advance(hours * 3600_000);
			const engine = ctx.engine(sim, { totpSecret: SECRETS.kaceTotp });
			const r1 = await ctx.run(engine, ctx.a.read.params);
			const r2 = await ctx.run(engine, ctx.a.read.params);
			return { r1, r2, sim };
		},
		expect({ r1, r2, sim }) {
			const v = verdict();
			v.ok(!r1.error && !r2.error, `no error (${errorText(r1) || errorText(r2)})`);
			v.eq(r2.items.length, 5, 'rows');
			v.eq(sim.count('/ams/shared/api/security/login'), 1, 'logins');
			v.eq(sim.count('/ams/shared/api/security/verify_2factor'), 1, '2FA verifications');
			return v.done(`${sim.count('/ams/shared/api/security/login')} login, ${sim.count('/ams/shared/api/security/verify_2factor')} 2FA, ${r2.items.length} rows`);
		},
	})),
	...['vsa', 'sps'].flatMap((appliance) => [2, -2].map((hours) => ({
		appliance,
		id: `clock-skew-${hours > 0 ? 'ahead' : 'behind'}`,
		title: `appliance clock ${hours > 0 ? '+' : ''}${hours} h`,
		expected: 'one login for two executions (the session lifetime is measured on the appliance clock), rows',
		async run(ctx) {
			const sim = await ctx.sim();
			sim.clock.advance(hours * 3600_000);
			const engine = ctx.engine(sim);
			const r1 = await ctx.run(engine, ctx.a.read.params);
			const r2 = await ctx.run(engine, ctx.a.read.params);
			return { r1, r2, sim };
		},
		expect({ r1, r2, sim }, ctx) {
			const v = verdict();
			v.ok(!r1.error && !r2.error, `no error (${errorText(r1) || errorText(r2)})`);
			v.eq(r2.items.length, ctx.a.read.count, 'rows');
			v.eq(ctx.a.logins(sim), 1, 'logins');
			return v.done(`${ctx.a.logins(sim)} login(s) for 2 executions, ${r2.items.length} rows`);
		},
	}))),
];
