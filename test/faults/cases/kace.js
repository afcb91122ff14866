'use strict';
/**
 * KACE SMA specifics: managed-install changes and ticket create/delete are actions; the CSRF token rotated by
 * the appliance (11.x / 12.0) in the middle of a Return All.
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
	...['11', '12.0'].map((mode) => ({
		appliance: 'kace',
		id: `csrf-rotated-${mode === '11' ? 'v11' : 'v12.0'}`,
		title: `KACE ${mode}: the appliance rotates the CSRF token while page 2 of a Return All is served`,
		expected: 'all rows exactly once; at most one re-login; no error',
		async run(ctx) {
			const sim = await ctx.sim({ mode, machines: 35 });
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
			const refused = sim.requests.filter((q) => q.status === 401).length;
			return v.done(`${got.length} rows, ${count(sim, LOGIN)} login(s), ${refused} request(s) refused with the old token`);
		},
	})),
];
