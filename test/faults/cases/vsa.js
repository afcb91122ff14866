'use strict';
/**
 * Kaseya VSA specifics: procedure runs with prompts and alarm closes are actions; expired tokens reported
 * inside HTTP 200 (ResponseCode 401, seen on 9.3); the legacy hashed-password login renewing mid-paging.
 */
const { count, compareIds } = require('./common');
const { onRequest } = require('../lib/hooks');
const { byId, onlineAgent } = require('../lib/appliances');
const { verdict, errorText } = require('../lib/verdict');

module.exports = [
	{
		appliance: 'vsa',
		id: 'procedure-with-prompts-reset-before-body',
		title: 'Agent Procedure → Run With Prompts; the connection resets before the VSA read the schedule body',
		expected: 'sent once, not resent; error says the outcome is unknown; nothing scheduled',
		async run(ctx) {
			const sim = await ctx.sim();
			const agent = onlineAgent(sim).AgentId;
			const proc = sim.procedure('Collect Logs').AgentProcedureId;
			const path = `/api/v1.0/automation/agentprocs/${agent}/${proc}/schedule`;
			sim.faults.add({ method: 'PUT', path, reset: 'before' });
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'agentProcedure', operation: 'runWithPrompts', agentId: byId(agent), procedureId: byId(proc),
				prompts: { prompt: [{ name: 'ticket', value: 'T-4711', caption: 'Ticket' }] }, options: {},
			});
			return { r, sim, path };
		},
		expect({ r, sim, path }) {
			const v = verdict();
			const text = errorText(r);
			v.eq(count(sim, path, 'PUT'), 1, 'schedule requests');
			v.eq(sim.state.runs.length, 0, 'runs on the VSA');
			v.match(text, /unknown/i, 'outcome unknown');
			return v.done(`${count(sim, path, 'PUT')} request, ${sim.state.runs.length} runs; "${text}"`);
		},
	},
	{
		appliance: 'vsa',
		id: 'procedure-with-prompts-answer-lost',
		title: 'Agent Procedure → Run With Prompts; the connection resets after the VSA scheduled it',
		expected: 'schedule request sent once, not resent; error says the outcome is unknown and to check the history',
		async run(ctx) {
			const sim = await ctx.sim();
			const agent = onlineAgent(sim).AgentId;
			const proc = sim.procedure('Collect Logs').AgentProcedureId;
			const path = `/api/v1.0/automation/agentprocs/${agent}/${proc}/schedule`;
			sim.faults.add({ method: 'PUT', path, reset: 'after' });
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'agentProcedure', operation: 'runWithPrompts', agentId: byId(agent), procedureId: byId(proc),
				prompts: { prompt: [{ name: 'ticket', value: 'T-4711', caption: 'Ticket' }] }, options: {},
			});
			return { r, sim, path };
		},
		expect({ r, sim, path }) {
			const v = verdict();
			const text = errorText(r);
			v.eq(count(sim, path, 'PUT'), 1, 'schedule requests');
			v.eq(sim.state.runs.length, 1, 'runs on the VSA');
			v.match(text, /unknown/i, 'outcome unknown');
			v.match(text, /history/i, 'how to check');
			return v.done(`${count(sim, path, 'PUT')} request, ${sim.state.runs.length} run; "${text}"`);
		},
	},
	{
		appliance: 'vsa',
		id: 'alarm-close-gateway-502',
		title: 'Alarm → Close answered 502 by a gateway',
		expected: 'sent once, not resent; error says the outcome is unknown',
		async run(ctx) {
			const sim = await ctx.sim();
			const alarm = sim.state.alarms[0];
			const path = `/api/v1.0/assetmgmt/alarms/${alarm.AlarmId}/close`;
			sim.faults.add({ method: 'PUT', path, status: 502 });
			const r = await ctx.run(ctx.engine(sim), { resource: 'alarm', operation: 'close', alarmId: byId(alarm.AlarmId), notes: 'handled' });
			return { r, sim, path };
		},
		expect({ r, sim, path }) {
			const v = verdict();
			const text = errorText(r);
			v.eq(count(sim, path, 'PUT'), 1, 'close requests');
			v.match(text, /unknown/i, 'outcome unknown');
			return v.done(`${count(sim, path, 'PUT')} request; "${text}"`);
		},
	},
	{
		appliance: 'vsa',
		id: 'token-expired-in-http-200',
		title: 'expired token reported as HTTP 200 + ResponseCode 401 when page 2 of a Return All arrives',
		expected: 'one re-login, all rows exactly once',
		async run(ctx) {
			const sim = await ctx.sim({ agents: 250, expiredToken: 'body' });
			onRequest(sim, { path: '/api/v1.0/assetmgmt/agents', nth: 2 }, () => sim.expireAllTokens());
			const r = await ctx.run(ctx.engine(sim), ctx.a.list.params);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const got = (r.items || []).map((a) => String(a.AgentId));
			const { missing, dupes } = compareIds(got, sim.state.agents.map((a) => a.AgentId));
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(got.length, 250, 'rows');
			v.eq(missing.length + dupes.length, 0, 'missing + duplicated');
			v.eq(sim.loginCount(), 2, 'logins');
			return v.done(`${got.length} rows, ${missing.length} missing, ${dupes.length} duplicated, ${sim.loginCount()} logins`);
		},
	},
	{
		appliance: 'vsa',
		id: 'legacy-login-renewal-mid-paging',
		title: 'legacy hashed-password login; tokens expire when page 2 arrives',
		expected: 'one re-login with a fresh challenge, all rows exactly once; neither the password nor the hashed Basic blob appears anywhere',
		async run(ctx) {
			const sim = await ctx.sim({ agents: 250 });
			onRequest(sim, { path: '/api/v1.0/assetmgmt/agents', nth: 2 }, () => sim.expireAllTokens());
			const r = await ctx.run(ctx.engine(sim, { authMethod: 'legacyPassword' }), ctx.a.list.params);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const got = (r.items || []).map((a) => String(a.AgentId));
			const legacy = sim.state.logins.filter((l) => l.method === 'legacy' && l.ok);
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(new Set(got).size, 250, 'distinct rows');
			v.eq(got.length, 250, 'rows');
			v.eq(legacy.length, 2, 'legacy logins');
			v.ok(legacy.length === 2 && legacy[0].rand2 !== legacy[1].rand2, 'fresh challenge per login');
			return v.done(`${got.length} rows, ${legacy.length} legacy logins with distinct challenges`);
		},
	},
];
