'use strict';
/**
 * KACE SMA specifics: managed-install changes, ticket create/delete/comment, asset create/update/archive and
 * agentless machine records are actions; the CSRF token rotated by
 * the appliance (11.x / 12.0) in the middle of a Return All, also refused with 403 (some builds); machines deleted
 * between the pages of a Return All; a login that lands in another organization; a two-factor account without
 * its secret; a script run the appliance answers with 0.
 */
const { count, compareIds } = require('./common');
const { onRequest } = require('../lib/hooks');
const { verdict, errorText } = require('../lib/verdict');

const LOGIN = '/ams/shared/api/security/login';

function lostAnswer(id, title, params, method, path, done, { reset = 'after', changes = 1 } = {}) {
	return {
		appliance: 'kace',
		id,
		title,
		expected: `sent once, not resent; error says the outcome is unknown and how to check; the appliance ${changes ? 'did it once' : 'never did it (it never read the body)'}`,
		async run(ctx) {
			const sim = await ctx.sim();
			const before = done(sim);
			sim.faults.add({ method, path, reset });
			const r = await ctx.run(ctx.engine(sim), params);
			return { r, sim, before };
		},
		expect({ r, sim, before }) {
			const v = verdict();
			const text = errorText(r);
			v.eq(count(sim, path, method), 1, 'requests');
			v.eq(done(sim) - before, changes, 'changes on the appliance');
			v.match(text, /unknown/i, 'outcome unknown');
			v.match(text, /not sent again/i, 'not resent');
			return v.done(`${count(sim, path, method)} request, ${done(sim) - before} change; "${text}"`);
		},
	};
}

module.exports = [
	lostAnswer(
		'managed-install-add-answer-lost',
		'Managed Install → Add to Machines; the connection resets after the appliance applied it',
		{ resource: 'managedInstall', operation: 'addToMachines', managedInstallId: { mode: 'id', value: '1' }, machineIds: '1,2,3' },
		'PUT', '/api/managed_install/managed_installs/1/add_to_machines',
		(sim) => (sim.state.managedInstalls.find((m) => m.id === 1).targets.length ? 1 : 0),
	),
	lostAnswer(
		'ticket-create-answer-lost',
		'Service Desk Ticket → Create; the connection resets after the ticket was created',
		{ resource: 'ticket', operation: 'create', queueId: '1', title: 'Printer on fire', additionalFields: {} },
		'POST', '/api/service_desk/tickets',
		(sim) => sim.state.tickets.filter((t) => t.title === 'Printer on fire').length,
	),
	lostAnswer(
		'ticket-create-reset-before-body',
		'Service Desk Ticket → Create; the connection resets before the appliance read the JSON body',
		{ resource: 'ticket', operation: 'create', queueId: '1', title: 'Printer on fire', additionalFields: {} },
		'POST', '/api/service_desk/tickets',
		(sim) => sim.state.tickets.filter((t) => t.title === 'Printer on fire').length,
		{ reset: 'before', changes: 0 },
	),
	// issue 14: every new action is sent once; a lost answer says the outcome is unknown
	lostAnswer(
		'asset-create-answer-lost',
		'Asset → Create; the connection resets after the asset was created',
		{ resource: 'asset', operation: 'create', assetTypeId: '8', name: 'Fault asset', assetFields: {}, additionalFields: {} },
		'POST', '/api/asset/assets',
		(sim) => sim.state.assets.filter((a) => a.name === 'Fault asset').length,
	),
	lostAnswer(
		'asset-update-answer-lost',
		'Asset → Update; the connection resets after the asset was changed (a resend could undo someone else\'s change)',
		{ resource: 'asset', operation: 'update', assetId: { mode: 'id', value: '3' }, assetFields: {}, updateFields: { name: 'Fault rename' } },
		'PUT', '/api/asset/assets/3',
		(sim) => sim.state.assets.filter((a) => a.name === 'Fault rename').length,
	),
	lostAnswer(
		'asset-archive-answer-lost',
		'Asset → Archive; the connection resets after the asset was archived',
		{ resource: 'asset', operation: 'archive', assetId: { mode: 'id', value: '3' }, archiveReason: 'Fault suite' },
		'POST', '/api/asset/assets/3/archive',
		(sim) => sim.state.archivedAssets.length,
	),
	lostAnswer(
		'ticket-comment-answer-lost',
		'Service Desk Ticket → Add Comment; the connection resets after the comment was stored',
		{ resource: 'ticket', operation: 'addComment', ticketId: { mode: 'id', value: '1' }, comment: 'Fault comment', options: {} },
		'PUT', '/api/service_desk/tickets/1',
		(sim) => sim.state.changes.filter((c) => c.comment === 'Fault comment').length,
	),
	lostAnswer(
		'machine-create-answer-lost',
		'Machine → Create (agentless record); the connection resets after the record was created',
		{ resource: 'machine', operation: 'create', name: 'FAULT-PC', additionalFields: {} },
		'POST', '/api/inventory/machines',
		(sim) => sim.state.machines.filter((m) => m.Name === 'FAULT-PC').length,
	),
	{
		appliance: 'kace',
		id: 'ticket-delete-gateway-504',
		title: 'Service Desk Ticket → Delete answered 504 by a gateway',
		expected: 'sent once, not resent; error says the outcome is unknown',
		async run(ctx) {
			const sim = await ctx.sim();
			const ticket = sim.state.tickets[0];
			sim.faults.add({ method: 'DELETE', path: `/api/service_desk/tickets/${ticket.id}`, status: 504 });
			const r = await ctx.run(ctx.engine(sim), { resource: 'ticket', operation: 'delete', ticketId: { mode: 'id', value: String(ticket.id) } });
			return { r, sim, ticket };
		},
		expect({ r, sim, ticket }) {
			const v = verdict();
			const text = errorText(r);
			v.eq(count(sim, `/api/service_desk/tickets/${ticket.id}`, 'DELETE'), 1, 'delete requests');
			v.match(text, /unknown/i, 'outcome unknown');
			return v.done(`${count(sim, `/api/service_desk/tickets/${ticket.id}`, 'DELETE')} request; "${text}"`);
		},
	},
	// the token rotated mid-paging: refused with 401 (11.x, 12.0), or with 403 by some builds (renewed like a 401)
	...[['11', 401], ['12.0', 401], ['12.0', 403]].map(([mode, status]) => ({
		appliance: 'kace',
		id: status === 403 ? 'csrf-rotated-403' : `csrf-rotated-${mode === '11' ? 'v11' : 'v12.0'}`,
		title: status === 403
			? 'KACE 12.0 build that refuses a stale CSRF token with HTTP 403: the token rotates while page 2 of a Return All is served'
			: `KACE ${mode}: the appliance rotates the CSRF token while page 2 of a Return All is served`,
		expected: status === 403
			? 'all rows exactly once; one re-login (a CSRF 403 renews the session like a 401); no error'
			: 'all rows exactly once; at most one re-login; no error',
		async run(ctx) {
			const sim = await ctx.sim({ mode, machines: 35, ...(status === 403 ? { csrfRefusalStatus: 403 } : {}) });
			onRequest(sim, { path: '/api/inventory/machines', nth: 2 }, () => sim.rotateCsrf());
			const r = await ctx.run(ctx.engine(sim), ctx.a.list.params);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const got = (r.items || []).map((m) => String(m.Id));
			const { missing, dupes } = compareIds(got, sim.state.machines.map((m) => String(m._id)));
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(got.length, 35, 'rows');
			v.eq(missing.length + dupes.length, 0, 'missing + duplicated');
			v.atMost(count(sim, LOGIN), 2, 'logins');
			const refused = sim.requests.filter((q) => q.status === status).length;
			return v.done(`${got.length} rows, ${count(sim, LOGIN)} login(s), ${refused} request(s) refused with ${status === 403 ? '403' : 'the old token'}`);
		},
	})),
	{
		appliance: 'kace',
		id: 'returnAll-deletes-between-pages',
		title: 'Return All (id order, 3 pages in flight); machines already returned are deleted while pages 2 and 4 are served',
		expected: 'every machine that existed during the whole read, exactly once; no error',
		async run(ctx) {
			const sim = await ctx.sim({ machines: 35 });
			const before = sim.state.machines.map((m) => String(m._id));
			onRequest(sim, { path: '/api/inventory/machines', nth: 2 }, () => sim.mutateMachines({ remove: [2, 3] }));
			onRequest(sim, { path: '/api/inventory/machines', nth: 4 }, () => sim.mutateMachines({ remove: [12] }));
			const r = await ctx.run(ctx.engine(sim), ctx.a.list.params);
			return { r, sim, before };
		},
		expect({ r, sim, before }) {
			const v = verdict();
			const now = new Set(sim.state.machines.map((m) => String(m._id)));
			const got = (r.items || []).map((m) => String(m.Id));
			const { missing, dupes } = compareIds(got, before.filter((id) => now.has(id)));
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(missing, [], 'missing machines');
			v.eq(dupes, [], 'duplicated machines');
			return v.done(`${got.length} rows for ${now.size} machines left, ${missing.length} missing, ${dupes.length} duplicated, ${count(sim, '/api/inventory/machines', 'GET')} list requests`);
		},
	},
	{
		appliance: 'kace',
		id: 'login-lands-in-other-organization',
		title: 'multi-organization appliance ignores the organization asked for ("Acme") and logs in to "Default"; 3 items, Continue On Fail',
		expected: 'one login attempt; every item fails naming both organizations; no list request (no other organization\'s rows)',
		async run(ctx) {
			const sim = await ctx.sim({ orgSelection: 'ignored' });
			const r = await ctx.run(ctx.engine(sim, { organization: 'Acme' }), ctx.a.read.params, { input: [{}, {}, {}], settings: { continueOnFail: true } });
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			v.eq(count(sim, LOGIN), 1, 'logins');
			v.eq(count(sim, '/api/inventory/machines'), 0, 'list requests');
			v.ok((r.items || []).length === 3 && r.items.every((i) => /"Default", not "Acme"/.test(String(i.error))), 'every item names both organizations');
			return v.done(`${count(sim, LOGIN)} login, ${count(sim, '/api/inventory/machines')} list requests; "${(r.items || [{}])[0].error}"`);
		},
	},
	{
		appliance: 'kace',
		id: 'two-factor-without-secret',
		title: 'two-factor account, no TOTP secret in the credential; 3 items, Continue On Fail',
		expected: 'exactly one login; every item says a two-factor code is required and to add the TOTP secret',
		async run(ctx) {
			const sim = await ctx.sim({ totp: true });
			const r = await ctx.run(ctx.engine(sim), ctx.a.read.params, { input: [{}, {}, {}], settings: { continueOnFail: true } });
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			v.eq(count(sim, LOGIN), 1, 'logins');
			v.ok((r.items || []).length === 3 && r.items.every((i) => /two-factor.*TOTP secret/i.test(String(i.error))), 'every item says what to add');
			return v.done(`${count(sim, LOGIN)} login; "${(r.items || [{}])[0].error}"`);
		},
	},
	{
		appliance: 'kace',
		id: 'script-run-answered-0',
		title: 'Script → Run on a disabled script: the appliance answers 0 (nothing started)',
		expected: 'a failure that says the script did not start and what to check (enabled, machine IDs, role); no run id 0',
		async run(ctx) {
			const sim = await ctx.sim();
			sim.state.scripts.find((s) => s.id === 3).enabled = 0;
			const r = await ctx.run(ctx.engine(sim), ctx.a.action.params);
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const text = errorText(r);
			v.ok(!!r.error, 'fails');
			v.match(text, /did not start script 3/, 'says nothing started');
			v.match(text, /enabled/, 'says what to check');
			v.eq(count(sim, '/api/script/3/actions/run', 'POST'), 1, 'run requests');
			return v.done(`"${text}"`);
		},
	},
];
