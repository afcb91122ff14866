'use strict';
/**
 * Kaseya VSA specifics: procedure runs with prompts and alarm closes are actions; expired tokens reported
 * inside HTTP 200 (ResponseCode 401, seen on 9.3); the legacy hashed-password login renewing mid-paging;
 * Return All while agents are deleted and added between pages (also on a VSA that ignores $orderby); IIS's
 * 404.15 for a filter that is too long; New Agent with an agent created in the newest second after the baseline;
 * every action of issue 13 (Service Desk tickets, agent custom fields, patch, agent note/audit/delete) with its
 * answer lost after the VSA carried it out; New Service Desk Ticket with a ticket in the newest second after the baseline.
 */
const { count, compareIds } = require('./common');
const { onRequest } = require('../lib/hooks');
const { byId, onlineAgent } = require('../lib/appliances');

const AGENTS = '/api/v1.0/assetmgmt/agents';
const numeric = (a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/** Return All of 250 agents; when the 2nd page is asked for, 10 agents among the first 100 by id go and 5 come. */
function churnCase(id, title, ignoreOrderBy) {
	return {
		appliance: 'vsa',
		id,
		title,
		expected: 'every agent that existed during the whole read exactly once; nothing that never existed',
		async run(ctx) {
			const sim = await ctx.sim({ agents: 250 });
			sim.ignoreOrderBy = ignoreOrderBy;
			const before = sim.state.agents.map((a) => a.AgentId);
			onRequest(sim, { path: AGENTS, nth: 2 }, () => {
				const order = ignoreOrderBy ? [...sim.state.agents] : [...sim.state.agents].sort((a, b) => numeric(a.AgentId, b.AgentId));
				const gone = new Set(order.slice(0, 100).filter((_, i) => i % 10 === 3).map((a) => a.AgentId));
				sim.state.agents = sim.state.agents.filter((a) => !gone.has(a.AgentId));
				sim.addAgents(5);
			});
			const r = await ctx.run(ctx.engine(sim), ctx.a.list.params);
			return { r, sim, before };
		},
		expect({ r, sim, before }) {
			const v = verdict();
			const now = new Set(sim.state.agents.map((a) => a.AgentId));
			const survivors = before.filter((id) => now.has(id));
			const ever = new Set([...before, ...now]);
			const got = (r.items || []).map((a) => String(a.AgentId));
			const { missing, dupes } = compareIds(got, survivors);
			const never = got.filter((x) => !ever.has(x));
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(missing.length, 0, 'agents lost');
			v.eq(dupes.length, 0, 'agents repeated');
			v.eq(never.length, 0, 'agents that never existed');
			return v.done(`${got.length} rows (${survivors.length} existed all along), ${missing.length} missing, ${dupes.length} duplicated, ${count(sim, AGENTS, 'GET')} list requests`);
		},
	};
}
const { verdict, errorText } = require('../lib/verdict');

const API = '/api/v1.0';

/**
 * Issue 13 actions: the connection resets AFTER the VSA carried the request out (the answer is lost). Each must be
 * sent once, never resent, and say that its outcome is unknown; the VSA's state shows the action happened once.
 * `setup(sim)` → { method, path (exact, without query), params, done: () => how often the VSA carried it out }.
 */
function answerLost(id, title, setup) {
	return {
		appliance: 'vsa',
		id: `${id}-answer-lost`,
		title: `${title}; the connection resets after the VSA carried it out`,
		expected: 'sent once, not resent; error says the outcome is unknown',
		async run(ctx) {
			const sim = await ctx.sim();
			const c = setup(sim);
			sim.faults.add({ method: c.method, path: `${API}${c.path}`, reset: 'after' });
			const r = await ctx.run(ctx.engine(sim), c.params);
			return { r, sim, c };
		},
		expect({ r, sim, c }) {
			const v = verdict();
			const text = errorText(r);
			const sent = count(sim, `${API}${c.path}`, c.method);
			v.eq(sent, 1, `${c.method} requests`);
			v.eq(c.done(), 1, 'times carried out on the VSA');
			v.match(text, /unknown/i, 'outcome unknown');
			return v.done(`${sent} request, carried out ${c.done()} time(s); "${text}"`);
		},
	};
}

const desk = (sim) => sim.serviceDesk('Standard');
const firstTicket = (sim) => sim.ticketsOf(desk(sim).ServiceDeskId)[0];
const actions = (sim, what) => sim.state.ticketActions.filter((a) => a.what === what).length;

const ISSUE13_LOST_ANSWERS = [
	answerLost('ticket-create', 'Service Desk Ticket → Create', (sim) => {
		const d = desk(sim);
		return {
			method: 'POST', path: `/automation/servicedesktickets/${d.ServiceDeskId}/ticket`,
			params: { resource: 'ticket', operation: 'create', serviceDeskId: byId(d.ServiceDeskId), summary: 'Disk full', priority: d._priorities[1].PriorityId },
			done: () => actions(sim, 'create'),
		};
	}),
	answerLost('ticket-update-status', 'Service Desk Ticket → Update (status)', (sim) => {
		const d = desk(sim);
		const t = firstTicket(sim);
		const status = d._statuses[2].StatusId;
		return {
			method: 'PUT', path: `/automation/servicedesktickets/${t.ServiceDeskTicketId}/status/${status}`,
			params: { resource: 'ticket', operation: 'update', serviceDeskId: byId(d.ServiceDeskId), ticketId: byId(t.ServiceDeskTicketId), updateFields: { status } },
			done: () => actions(sim, 'status'),
		};
	}),
	answerLost('ticket-add-note', 'Service Desk Ticket → Add Note', (sim) => {
		const t = firstTicket(sim);
		return {
			method: 'POST', path: `/automation/servicedesktickets/${t.ServiceDeskTicketId}/notes`,
			params: { resource: 'ticket', operation: 'addNote', ticketId: byId(t.ServiceDeskTicketId), note: 'looking into it' },
			done: () => actions(sim, 'note'),
		};
	}),
	answerLost('ticket-assign', 'Service Desk Ticket → Assign', (sim) => {
		const t = firstTicket(sim);
		const staff = sim.state.staff[1].OrgStaffId;
		return {
			method: 'PUT', path: `/automation/servicedesks/assign/${t.ServiceDeskTicketId}/${staff}`,
			params: { resource: 'ticket', operation: 'assign', ticketId: byId(t.ServiceDeskTicketId), staffId: byId(staff) },
			done: () => actions(sim, 'assign'),
		};
	}),
	answerLost('custom-field-set', 'Agent Custom Field → Set Value', (sim) => {
		const agent = sim.state.agents[0].AgentId;
		return {
			method: 'PUT', path: `/assetmgmt/assets/${agent}/customfields/Backup%20Status`,
			params: { resource: 'customField', operation: 'setValue', agentId: byId(agent), fieldName: 'Backup Status', value: 'OK' },
			done: () => sim.state.fieldWrites.length,
		};
	}),
	answerLost('custom-field-create', 'Agent Custom Field → Create', (sim) => ({
		method: 'POST', path: '/assetmgmt/assets/customfields',
		params: { resource: 'customField', operation: 'create', newFieldName: 'Rack Position', fieldType: 'number' },
		done: () => sim.state.fieldDefs.filter((d) => d.FieldName === 'Rack Position').length,
	})),
	answerLost('custom-field-delete', 'Agent Custom Field → Delete', (sim) => ({
		method: 'DELETE', path: '/assetmgmt/assets/customfields/Backup%20Status',
		params: { resource: 'customField', operation: 'delete', fieldName: 'Backup Status' },
		done: () => 2 - sim.state.fieldDefs.length,
	})),
	answerLost('patch-scan-now', 'Patch → Scan Now', (sim) => {
		const agent = sim.state.agents[0].AgentId;
		return {
			method: 'PUT', path: `/assetmgmt/patch/${agent}/scannow`,
			params: { resource: 'patch', operation: 'scanNow', agentId: byId(agent) },
			done: () => sim.state.patchScans.length,
		};
	}),
	answerLost('patch-install-now', 'Patch → Install Now', (sim) => {
		const agent = sim.state.agents[0].AgentId;
		return {
			method: 'PUT', path: '/assetmgmt/patch/runnow',
			params: { resource: 'patch', operation: 'installNow', agentId: byId(agent), options: {} },
			done: () => sim.state.patchRuns.length,
		};
	}),
	answerLost('patch-schedule', 'Patch → Schedule Install', (sim) => {
		const agent = sim.state.agents[0].AgentId;
		const patchIds = sim.patchesOf(agent).slice(0, 2).map((p) => p.PatchDataId).join(',');
		return {
			method: 'PUT', path: `/assetmgmt/patch/${agent}/schedule`,
			params: { resource: 'patch', operation: 'scheduleInstall', agentId: byId(agent), patchIds, startAt: '2030-06-01T22:30:00', options: {} },
			done: () => sim.state.patchSchedules.length,
		};
	}),
	answerLost('patch-cancel-schedule', 'Patch → Cancel Schedule', (sim) => {
		const agent = sim.state.agents[0].AgentId;
		const patchIds = sim.patchesOf(agent).slice(0, 1).map((p) => p.PatchDataId).join(',');
		return {
			method: 'DELETE', path: `/assetmgmt/patch/${agent}/cancelschedule`,
			params: { resource: 'patch', operation: 'cancelSchedule', agentId: byId(agent), patchIds },
			done: () => sim.state.patchCancels.length,
		};
	}),
	answerLost('agent-add-note', 'Agent → Add Note', (sim) => {
		const agent = sim.state.agents[0].AgentId;
		return {
			method: 'POST', path: `/assetmgmt/agent/${agent}/note`,
			params: { resource: 'agent', operation: 'addNote', agentId: byId(agent), note: 'logs collected' },
			done: () => sim.state.agentNotes.length,
		};
	}),
	answerLost('agent-run-audit', 'Agent → Run Audit', (sim) => {
		const agent = sim.state.agents[0].AgentId;
		return {
			method: 'PUT', path: `/assetmgmt/audit/sysinfo/${agent}/runnow`,
			params: { resource: 'agent', operation: 'runAudit', agentId: byId(agent), auditType: 'sysinfo' },
			done: () => sim.state.auditRuns.length,
		};
	}),
	answerLost('agent-delete', 'Agent → Delete', (sim) => {
		const agent = sim.state.agents[0].AgentId;
		return {
			method: 'DELETE', path: `/assetmgmt/agents/${agent}/true`,
			params: { resource: 'agent', operation: 'delete', agentId: byId(agent), uninstallFirst: true, confirmDelete: true },
			done: () => sim.state.agentDeletes.length,
		};
	}),
];

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
	churnCase('returnAll-deletes-and-inserts-between-pages', 'Return All of 250 agents; 10 deleted before the read position and 5 added while page 2 is asked for', false),
	churnCase('returnAll-deletes-between-pages-orderby-ignored', 'the same on a VSA that ignores $orderby (answers in its own order)', true),
	{
		appliance: 'vsa',
		id: 'filter-too-long-iis-404-15',
		title: "Get Many agents with a Raw Filter of 70 agent ids (the query string is over IIS's 2,048 characters)",
		expected: 'error says the query string is too long (404.15) and how to shorten the filter; not "check the ID"; not retried',
		async run(ctx) {
			const sim = await ctx.sim({ agents: 100 });
			const filter = sim.state.agents.slice(0, 70).map((a) => `AgentId eq ${a.AgentId}M`).join(' or ');
			const r = await ctx.run(ctx.engine(sim), { resource: 'agent', operation: 'getMany', returnAll: true, filters: {}, options: { filter } });
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const text = errorText(r);
			v.match(text, /query string is too long/i, 'says the query string is too long');
			v.match(text, /404\.15/, 'names the 404.15');
			v.match(text, /fewer ids/i, 'how to shorten it');
			v.ok(!/check the ID/i.test(text), 'not the "check the ID" hint');
			v.eq(count(sim, AGENTS, 'GET'), 1, 'list requests');
			return v.done(`${count(sim, AGENTS, 'GET')} request; "${text}"`);
		},
	},
	{
		appliance: 'vsa',
		id: 'new-agent-same-second-after-baseline',
		title: 'New Agent trigger; after the baseline poll an agent is created in the same second as the newest agent',
		expected: 'the baseline emits nothing; the next poll emits exactly that agent; the one after nothing',
		async run(ctx) {
			const sim = await ctx.sim({ agents: 40 });
			const engine = ctx.engine(sim);
			const params = { event: 'newAgent', options: {} };
			const baseline = await ctx.poll(engine, params);
			const newest = sim.state.agents.reduce((x, y) => (x.CreationDate >= y.CreationDate ? x : y));
			const [twin] = sim.addAgents([{ CreationDate: newest.CreationDate }]);
			const next = await ctx.poll(engine, params);
			const after = await ctx.poll(engine, params);
			return { baseline, next, after, twin };
		},
		expect({ baseline, next, after, twin }) {
			const v = verdict();
			const ids = (p) => (p.items || []).map((a) => String(a.AgentId));
			v.ok(!baseline.error && !next.error && !after.error, `no error (${next.error?.message ?? ''})`);
			v.eq(ids(baseline).length, 0, 'emitted by the baseline');
			v.eq(ids(next).join(','), twin.AgentId, 'emitted by the next poll');
			v.eq(ids(after).length, 0, 'emitted by the poll after');
			return v.done(`baseline ${ids(baseline).length}, next [${ids(next).join(',')}], after ${ids(after).length}`);
		},
	},
	{
		appliance: 'vsa',
		id: 'new-ticket-same-second-after-baseline',
		title: 'New Service Desk Ticket trigger (all desks); after the baseline a ticket is created in the same second as the newest ticket of its desk',
		expected: 'the baseline emits nothing; the next poll emits exactly that ticket; the one after nothing; an idle poll costs 1 request per desk + 1',
		async run(ctx) {
			const sim = await ctx.sim({ agents: 3 });
			const engine = ctx.engine(sim);
			const params = { event: 'newTicket', serviceDesk: 'all', options: {} };
			const baseline = await ctx.poll(engine, params);
			const desk = sim.serviceDesk('Incidents');
			const newest = sim.ticketsOf(desk.ServiceDeskId).reduce((x, y) => (x.CreatedDate >= y.CreatedDate ? x : y));
			const twin = sim.addTicket(desk, { CreatedDate: newest.CreatedDate });
			const next = await ctx.poll(engine, params);
			sim.resetLog();
			const after = await ctx.poll(engine, params);
			const idle = sim.requests.filter((q) => q.path !== '/api/v1.0/auth').length;
			return { baseline, next, after, twin, idle, desks: sim.state.serviceDesks.length };
		},
		expect({ baseline, next, after, twin, idle, desks }) {
			const v = verdict();
			const ids = (p) => (p.items || []).map((t) => String(t.ServiceDeskTicketId));
			v.ok(!baseline.error && !next.error && !after.error, `no error (${next.error?.message ?? ''})`);
			v.eq(ids(baseline).length, 0, 'emitted by the baseline');
			v.eq(ids(next).join(','), twin.ServiceDeskTicketId, 'emitted by the next poll');
			v.eq(ids(after).length, 0, 'emitted by the poll after');
			v.eq(idle, desks + 1, 'requests of an idle poll');
			return v.done(`baseline ${ids(baseline).length}, next [${ids(next).join(',')}], after ${ids(after).length}, idle poll ${idle} requests for ${desks} desks`);
		},
	},
	...ISSUE13_LOST_ANSWERS,
];
