'use strict';
/**
 * KACE SMA service desk additions (issue 14) through the real n8n engine against the strict simulator: a ticket's
 * history and comments, adding a comment (read back from the history), Create offering exactly the fields of the
 * chosen queue (node version 1.1), and the user pickers for owner and submitter.
 */
const { startSim, engineFor } = require('./kace.helpers');

const V1 = { settings: { typeVersion: 1 } };
const V11 = { settings: { typeVersion: 1.1 } };
const byId = (value) => ({ __rl: true, mode: 'id', value: String(value) });
const run = (engine, params, options = V11) => engine.runNode('kaceSma', 'kaceSmaApi', params, options);
const CHANGES = (id) => `/api/service_desk/tickets/${id}/changes`;

/** a ticket of the generated data that has a comment (every third one) */
const commented = (sim) => sim.state.tickets.find((t) => sim.state.changes.some((c) => c.hd_ticket_id === t.id && c.comment));

describe('ticket history and comments', () => {
	test('Get History returns every change, oldest first, with its author; Simplify keeps who/what/when', async () => {
		const sim = await startSim({ machines: 30 });
		const ticket = commented(sim);
		const engine = engineFor(sim);
		const params = { resource: 'ticket', operation: 'getHistory', ticketId: byId(ticket.id), returnAll: true, filters: {}, options: {} };
		const full = await run(engine, { ...params, simplify: false });
		expect(full.error).toBeUndefined();
		expect(full.items.map((c) => c.description)).toEqual(['Ticket Created', '']);
		expect(full.items[1]).toMatchObject({ comment: expect.stringMatching(/^Looking into it/), user: { user_name: expect.any(String) } });
		expect(sim.requests.find((q) => q.path === CHANGES(ticket.id)).query.shaping).toBe('hd_ticket_change all,user limited');
		const simple = await run(engine, params);
		expect(simple.items[1]).toEqual({
			id: String(full.items[1].id),
			timestamp: full.items[1].timestamp,
			user: full.items[1].user.full_name,
			user_id: String(full.items[1].user_id),
			comment: full.items[1].comment,
			owners_only: full.items[1].owners_only,
		});
	});

	test('Get History of a ticket that does not exist says so', async () => {
		const sim = await startSim({ machines: 10 });
		const r = await run(engineFor(sim), { resource: 'ticket', operation: 'getHistory', ticketId: byId(99999), returnAll: true, filters: {}, options: {} });
		expect(r.error.message).toBe('KACE SMA answered HTTP 404 to get the history of ticket 99999: "Ticket 99999 not found"');
	});

	test('Get Comments returns only the changes with a comment; Limit counts comments; owners-only ones can be left out', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const ticket = sim.state.tickets[0];
		sim.addComment(ticket.id, { text: 'one' });
		sim.addComment(ticket.id, { text: 'two', ownersOnly: true });
		sim.addComment(ticket.id, { text: 'three' });
		const params = { resource: 'ticket', operation: 'getComments', ticketId: byId(ticket.id), returnAll: true, simplify: true, options: {} };
		expect((await run(engine, params)).items.map((c) => c.comment)).toEqual(['one', 'two', 'three']);
		expect((await run(engine, { ...params, returnAll: false, limit: 2 })).items.map((c) => c.comment)).toEqual(['one', 'two']);
		expect((await run(engine, { ...params, options: { ownersOnly: false } })).items.map((c) => c.comment)).toEqual(['one', 'three']);
	});

	test('Add Comment writes the comment with the ticket and returns it as the history stored it', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const ticket = sim.state.tickets[1];
		const r = await run(engine, { resource: 'ticket', operation: 'addComment', ticketId: byId(ticket.id), comment: 'Replaced the toner, please retry', options: { ownersOnly: true } });
		expect(r.error).toBeUndefined();
		expect(r.items[0]).toMatchObject({ ticket_id: ticket.id, comment: 'Replaced the toner, please retry', owners_only: 1, user: { user_name: 'admin' } });
		const put = sim.requests.filter((q) => q.method === 'PUT');
		expect(put).toHaveLength(1);
		expect(JSON.parse(put[0].body)).toEqual({ Tickets: [{ comment: 'Replaced the toner, please retry', owners_only: 1 }] });
		expect(sim.state.changes.filter((c) => c.hd_ticket_id === ticket.id && c.comment === 'Replaced the toner, please retry')).toHaveLength(1);
	});

	test('Add Comment on a build that ignores the comment field fails instead of reporting a success, and is not resent', async () => {
		const sim = await startSim({ machines: 10 });
		const ticket = sim.state.tickets[0];
		// the appliance answers Success without storing anything
		sim.faults.add({ method: 'PUT', path: `/api/service_desk/tickets/${ticket.id}`, status: 200, body: { Result: 'Success' } });
		const r = await run(engineFor(sim), { resource: 'ticket', operation: 'addComment', ticketId: byId(ticket.id), comment: 'lost', options: {} });
		expect(r.error.message).toBe(`KACE SMA answered Success to add a comment to ticket ${ticket.id}, but the comment is not in the ticket's history`);
		expect(r.error.description).toMatch(/ignore comments.*not sent again/);
		expect(sim.requests.filter((q) => q.method === 'PUT')).toHaveLength(1);
	});

	test('Add Comment on a build that refuses the comment field says so', async () => {
		const sim = await startSim({ machines: 10 });
		const ticket = sim.state.tickets[0];
		sim.faults.add({ method: 'PUT', path: `/api/service_desk/tickets/${ticket.id}`, status: 400, body: { errorCode: -1, errorDescription: "Invalid field 'comment'" } });
		const r = await run(engineFor(sim), { resource: 'ticket', operation: 'addComment', ticketId: byId(ticket.id), comment: 'x', options: {} });
		expect(r.error.message).toBe(`KACE SMA answered HTTP 400 to add a comment to ticket ${ticket.id}: "Invalid field 'comment'"`);
		expect(r.error.description).toMatch(/refuses a comment sent with a ticket update/);
	});
});

describe('Create with the fields of the chosen queue (version 1.1)', () => {
	const mapper = (engine, queueId) => engine.loadOptions('kaceSma', 'kaceSmaApi', 'resourceMapping', 'getQueueTicketFields', { resource: 'ticket', operation: 'create', queueId });

	test('the fields are those of the queue: its labels, its values as dropdowns, required where the template fills nothing', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const { fields } = await mapper(engine, '3');
		// title, owner and submitter are parameters of their own
		expect(fields.map((f) => f.id)).toEqual(['summary', 'impact', 'category', 'status', 'priority', 'machine', 'asset', 'due_date', 'cc_list', 'resolution', 'custom_1', 'custom_2']);
		const byKey = Object.fromEntries(fields.map((f) => [f.id, f]));
		expect(byKey.custom_1).toMatchObject({ displayName: 'Employee Id (custom_1)', required: true, type: 'string' });
		// required of everyone, but the queue's template fills it in
		expect(byKey.status).toMatchObject({ displayName: 'Status', required: false, type: 'options' });
		const queue3 = sim.state.queues.find((q) => q.id === 3);
		expect(byKey.status.options.map((o) => Number(o.value)).sort((a, b) => a - b)).toEqual(queue3._statusIds);
		expect(byKey.due_date.type).toBe('dateTime');
		expect(byKey.machine).toMatchObject({ displayName: 'Machine ID', type: 'number' });
		expect(sim.count('/api/service_desk/queues/3/fields')).toBe(1);
		expect(sim.count('/api/service_desk/queues/3/ticket_template')).toBe(1);
		// no queue chosen yet: nothing to offer, and no request
		sim.resetLog();
		expect((await mapper(engine, '')).fields).toEqual([]);
		expect(sim.requests).toHaveLength(0);
	});

	test('Create sends the mapped fields with the pickers; a queue field left empty that the queue requires is refused by the appliance', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const { fields } = await mapper(engine, '3');
		const waiting = fields.find((f) => f.id === 'status').options.find((o) => o.name === 'Waiting on Customer');
		const params = {
			resource: 'ticket', operation: 'create', queueId: '3', title: 'New starter',
			queueFields: { mappingMode: 'defineBelow', value: { custom_1: 'E-4711', status: waiting.value, machine: 5, due_date: '2026-02-01T10:00:00Z' } },
			additionalFields: { owner: { __rl: true, mode: 'list', value: '22' }, submitter: { __rl: true, mode: 'url', value: `${sim.url}/adminui/user.php?ID=23` } },
		};
		const r = await run(engine, params);
		expect(r.error).toBeUndefined();
		expect(r.items[0]).toMatchObject({ title: 'New starter', hd_queue_id: 3, status: { name: 'Waiting on Customer' }, owner: { id: 22 }, submitter: { id: 23 }, machine: { id: 5 } });
		const post = sim.requests.find((q) => q.method === 'POST' && q.path === '/api/service_desk/tickets');
		expect(JSON.parse(post.body).Tickets[0]).toEqual({
			custom_1: 'E-4711', status: Number(waiting.value), machine: 5, due_date: '2026-02-01 10:00:00', owner: 22, submitter: 23, title: 'New starter', hd_queue_id: 3,
		});
		const missing = await run(engine, { ...params, queueFields: { mappingMode: 'defineBelow', value: {} } });
		expect(missing.error.message).toBe('KACE SMA answered HTTP 400 to create a ticket: "Field \'Employee Id\' is required in queue \'HR Requests\'"');
	});

	test('version 1 keeps its Additional Fields with the owner dropdown: a saved workflow runs unchanged', async () => {
		const sim = await startSim({ machines: 30 });
		const r = await run(engineFor(sim), {
			resource: 'ticket', operation: 'create', queueId: '1', title: 'Saved workflow',
			additionalFields: { owner: '20', summary: 'from version 1', customFields: { field: [{ name: 'custom_2', value: 'x' }] } },
		}, V1);
		expect(r.error).toBeUndefined();
		expect(r.items[0]).toMatchObject({ title: 'Saved workflow', owner: { id: 20 }, summary: 'from version 1' });
	});

	test('Update (version 1.1) takes the owner from the user picker', async () => {
		const sim = await startSim({ machines: 30 });
		const ticket = sim.state.tickets[2];
		const r = await run(engineFor(sim), {
			resource: 'ticket', operation: 'update', ticketId: byId(ticket.id), updateFields: { owner: { __rl: true, mode: 'id', value: '21' } },
		});
		expect(r.items[0]).toMatchObject({ id: ticket.id, updated: ['owner'] });
		expect(sim.state.tickets.find((t) => t.id === ticket.id).owner_id).toBe(21);
	});
});

describe('user picker', () => {
	test('searches login, full name and email alike, 50 per page, and shows "Full Name (login)"', async () => {
		const sim = await startSim({ machines: 10 });
		const engine = engineFor(sim);
		const found = await engine.loadOptions('kaceSma', 'kaceSmaApi', 'listSearch', 'search_user', {}, 'wayne');
		expect(found.results).toEqual([{ name: 'Bruce Wayne (bwayne) (#22)', value: '22' }]);
		const q = sim.requests.find((r) => r.path === '/api/users/users').query;
		expect(q).toMatchObject({ filtering: '* co wayne', sorting: 'full_name', paging: 'limit 50 offset 0' });
	});
});
