'use strict';
/**
 * Kaseya VSA Service Desk (issue 13) through the real n8n engine against the strict simulator: desks, tickets per
 * desk (exact Return All, filter builder), get, create, update (status, priority, custom fields), notes, assign,
 * dropdowns and pickers read from the VSA, the module switched off, and a VSA without the notes' id field.
 */
const { Engine, assertNoSecrets } = require('./harness');
const { createVsaSim, vsaCredential, byId, byNumber } = require('./sim/vsa');

const CRED = 'kaseyaVsaApi';
const SECRETS = ['00000000-0000-0000-0000-000000000000', 'P@ssw0rd'];
const V1 = { settings: { typeVersion: 1 } };
const V11 = { settings: { typeVersion: 1.1 } };

describe('Kaseya VSA Service Desk', () => {
	let sim;
	let engine;
	const run = (parameters, opts = V1) => engine.runNode('kaseyaVsa', CRED, parameters, opts);
	const calls = (method, re) => sim.requests.filter((q) => q.method === method && re.test(q.path));
	const desk = () => sim.serviceDesk('Standard');

	beforeEach(async () => {
		sim = createVsaSim({ agents: 5 });
		await sim.start();
		engine = new Engine({ [CRED]: vsaCredential(sim) });
	});
	afterEach(async () => {
		await sim.stop();
	});

	test('Get Many service desks: 26-digit ids as strings, by id; Simplify on 1.1', async () => {
		const r = await run({ resource: 'serviceDesk', operation: 'getMany', returnAll: true });
		expect(r.items.map((d) => d.ServiceDeskId)).toEqual(sim.state.serviceDesks.map((d) => d.ServiceDeskId).sort(byNumber));
		expect(r.items.every((d) => /^\d{26}$/.test(d.ServiceDeskId))).toBe(true);
		expect(calls('GET', /\/automation\/servicedesks$/)[0].query.$orderby).toBe('ServiceDeskId');
		const simple = await run({ resource: 'serviceDesk', operation: 'getMany', returnAll: true }, V11);
		expect(Object.keys(simple.items[0])).toEqual(['ServiceDeskId', 'ServiceDeskName', 'Prefix', 'Description']);
	});

	test('Get Many tickets of a desk: Return All in ticket-id order over pages, the filter builder, never the bare all-tickets list', async () => {
		for (let i = 0; i < 230; i++) sim.addTicket(desk(), { TicketStatus: i % 2 ? 'Open' : 'Closed' });
		const all = await run({ resource: 'ticket', operation: 'getMany', serviceDeskId: byId(desk().ServiceDeskId), returnAll: true });
		const mine = sim.ticketsOf(desk().ServiceDeskId);
		expect(all.items.map((t) => t.ServiceDeskTicketId)).toEqual(mine.map((t) => t.ServiceDeskTicketId).sort(byNumber));
		const pages = calls('GET', /\/servicedesks\/\d+\/tickets$/);
		expect(pages.map((q) => `${q.query.$top}/${q.query.$skip}/${q.query.$orderby}`)).toEqual([
			'100/0/ServiceDeskTicketId', '100/99/ServiceDeskTicketId', '45/198/ServiceDeskTicketId',
		]);
		expect(all.items.every((t) => typeof t.ServiceDeskTicketId === 'string' && /^\d{18}$/.test(t.ServiceDeskTicketId))).toBe(true);

		sim.resetLog();
		const open = await run({
			resource: 'ticket',
			operation: 'getMany',
			serviceDeskId: byId(desk().ServiceDeskId),
			returnAll: true,
			filters: { conditions: [{ field: 'TicketStatus', operator: 'eq', value: 'Open' }] },
		});
		expect(open.items.length).toBe(mine.filter((t) => t.TicketStatus === 'Open').length);
		expect(calls('GET', /tickets$/)[0].query.$filter).toBe("TicketStatus eq 'Open'");
		// the whole read, every page: per desk
		expect(calls('GET', /\/servicedesktickets$/)).toHaveLength(0);
	});

	test('Return All of tickets while tickets are deleted before the read position: continues by ServiceDeskTicketId gt …M, nothing lost or repeated', async () => {
		for (let i = 0; i < 250; i++) sim.addTicket(desk());
		const before = sim.ticketsOf(desk().ServiceDeskId).map((t) => t.ServiceDeskTicketId).sort(byNumber);
		let n = 0;
		sim.onRequest = (ctx) => {
			if (/\/servicedesks\/\d+\/tickets$/.test(ctx.path) && ++n === 2) {
				const gone = new Set(before.slice(10, 20));
				sim.state.tickets = sim.state.tickets.filter((t) => !gone.has(t.ServiceDeskTicketId));
			}
		};
		const r = await run({ resource: 'ticket', operation: 'getMany', serviceDeskId: byId(desk().ServiceDeskId), returnAll: true, options: {} }, {
			...V1,
			settings: { ...V1.settings },
		});
		const ids = r.items.map((t) => t.ServiceDeskTicketId);
		expect(new Set(ids).size).toBe(ids.length);
		const survivors = before.filter((id) => sim.state.tickets.some((t) => t.ServiceDeskTicketId === id));
		expect(survivors.every((id) => ids.includes(id))).toBe(true);
		expect(calls('GET', /tickets$/).some((q) => /ServiceDeskTicketId gt \d+M/.test(q.query.$filter ?? ''))).toBe(true);
	});

	test('Return All of tickets while tickets are inserted before the read position and deleted, at two pages: every ticket that existed throughout exactly once, nothing invented', async () => {
		for (let i = 0; i < 320; i++) sim.addTicket(desk());
		const before = sim.ticketsOf(desk().ServiceDeskId).map((t) => t.ServiceDeskTicketId).sort(byNumber);
		const inserted = [];
		let n = 0;
		sim.onRequest = (ctx) => {
			if (!/\/servicedesks\/\d+\/tickets$/.test(ctx.path)) return;
			n++;
			if (n === 2 || n === 3) {
				// ids smaller than any read so far: they land before the read position and push every row down
				for (let i = 0; i < 7; i++) {
					const id = String(BigInt(before[0]) - BigInt(1000 * n + i + 1));
					inserted.push(sim.addTicket(desk(), { ServiceDeskTicketId: id }).ServiceDeskTicketId);
				}
				const gone = new Set(before.slice(150 + n * 10, 155 + n * 10));
				sim.state.tickets = sim.state.tickets.filter((t) => !gone.has(t.ServiceDeskTicketId));
			}
		};
		const r = await run({ resource: 'ticket', operation: 'getMany', serviceDeskId: byId(desk().ServiceDeskId), returnAll: true, options: {} });
		expect(r.status).toBe('success');
		const ids = r.items.map((t) => t.ServiceDeskTicketId);
		expect(new Set(ids).size).toBe(ids.length);
		const now = new Set(sim.state.tickets.map((t) => t.ServiceDeskTicketId));
		const survivors = before.filter((id) => now.has(id));
		expect(survivors.filter((id) => !ids.includes(id))).toEqual([]);
		const ever = new Set([...before, ...inserted]);
		expect(ids.filter((id) => !ever.has(id))).toEqual([]);
		expect(n).toBeGreaterThan(3);
	});

	test('Get a ticket: the 18-digit id round-trips, with its custom fields; a ticket that does not exist gets "check the ticket ID"', async () => {
		const t = sim.ticketsOf(desk().ServiceDeskId)[3];
		const r = await run({ resource: 'ticket', operation: 'get', ticketId: byId(t.ServiceDeskTicketId) });
		expect(r.items[0]).toMatchObject({ ServiceDeskTicketId: t.ServiceDeskTicketId, TicketRef: t.TicketRef, ServiceDeskId: desk().ServiceDeskId });
		expect(r.items[0].CustomFields.map((f) => f.FieldName)).toEqual(['ExternalRef', 'Escalated']);
		expect(calls('GET', new RegExp(`/servicedesktickets/${t.ServiceDeskTicketId}$`))).toHaveLength(1);

		const missing = await run({ resource: 'ticket', operation: 'get', ticketId: byId('123456789012345678') });
		expect(missing.error.message).toMatch(/HTTP 404 to get ticket 123456789012345678: "Ticket not found"/);
		expect(missing.error.description).toMatch(/Check the ID/);
		expect(missing.error.message).not.toMatch(/does not offer/);
	});

	test('Create: Summary, Priority and the optional ids as strings; the created ticket comes back; a VSA that answers only the id is read too', async () => {
		const d = desk();
		const staff = sim.state.staff[1];
		const r = await run({
			resource: 'ticket',
			operation: 'create',
			serviceDeskId: byId(d.ServiceDeskId),
			summary: 'Disk full on PC-00001',
			priority: d._priorities[2].PriorityId,
			additionalFields: {
				status: d._statuses[1].StatusId,
				category: d._categories[0].CategoryId,
				assignee: staff.OrgStaffId,
				description: 'Raised by n8n',
				submitterEmail: 'ops@example.com',
			},
		});
		expect(r.status).toBe('success');
		expect(r.items[0]).toMatchObject({
			created: true, Summary: 'Disk full on PC-00001', Priority: 'High', TicketStatus: 'In Progress', Category: 'Hardware', Assignee: staff.StaffFullName,
		});
		const post = calls('POST', /\/servicedesktickets\/\d+\/ticket$/)[0];
		expect(post.path).toBe(`/api/v1.0/automation/servicedesktickets/${d.ServiceDeskId}/ticket`);
		expect(JSON.parse(post.body)).toEqual({
			Summary: 'Disk full on PC-00001',
			Priority: d._priorities[2].PriorityId,
			Status: d._statuses[1].StatusId,
			Category: d._categories[0].CategoryId,
			Assignee: staff.OrgStaffId,
			Description: 'Raised by n8n',
			SubmitterEmail: 'ops@example.com',
		});

		await sim.stop();
		sim = createVsaSim({ agents: 5, createAnswer: 'id' });
		await sim.start();
		engine = new Engine({ [CRED]: vsaCredential(sim) });
		const idOnly = await run({ resource: 'ticket', operation: 'create', serviceDeskId: byId(desk().ServiceDeskId), summary: 'x', priority: desk()._priorities[0].PriorityId });
		const created = sim.state.tickets[sim.state.tickets.length - 1];
		expect(idOnly.items[0]).toEqual({ ServiceDeskTicketId: created.ServiceDeskTicketId, ServiceDeskId: desk().ServiceDeskId, Summary: 'x', created: true });
	});

	test('Create with a priority of another desk: the VSA 400 quoted, sent once', async () => {
		const other = sim.serviceDesk('Incidents');
		const r = await run({ resource: 'ticket', operation: 'create', serviceDeskId: byId(desk().ServiceDeskId), summary: 'x', priority: other._priorities[0].PriorityId });
		expect(r.status).toBe('error');
		expect(r.error.message).toMatch(/HTTP 400 to create a ticket in service desk \d+: "Invalid Priority/);
		expect(calls('POST', /ticket$/)).toHaveLength(1);
	});

	test('Update: status, priority, then each custom field (value as a bare JSON string), in that order; nothing to update is refused', async () => {
		const d = desk();
		const t = sim.ticketsOf(d.ServiceDeskId)[0];
		const r = await run({
			resource: 'ticket',
			operation: 'update',
			serviceDeskId: byId(d.ServiceDeskId),
			ticketId: byId(t.ServiceDeskTicketId),
			updateFields: {
				status: d._statuses[3].StatusId,
				priority: d._priorities[3].PriorityId,
				customFields: { field: [{ id: d._fields[0].CustomFieldId, value: 'CASE-42' }, { id: d._fields[1].CustomFieldId, value: 'yes' }] },
			},
		});
		expect(r.status).toBe('success');
		expect(r.items[0]).toEqual({
			ServiceDeskTicketId: t.ServiceDeskTicketId,
			updated: {
				status: d._statuses[3].StatusId,
				priority: d._priorities[3].PriorityId,
				customFields: { [d._fields[0].CustomFieldId]: 'CASE-42', [d._fields[1].CustomFieldId]: 'yes' },
			},
		});
		const puts = calls('PUT', /servicedesktickets/);
		expect(puts.map((q) => q.path.split(`${t.ServiceDeskTicketId}/`)[1])).toEqual([
			`status/${d._statuses[3].StatusId}`, `priority/${d._priorities[3].PriorityId}`,
			`customfields/${d._fields[0].CustomFieldId}`, `customfields/${d._fields[1].CustomFieldId}`,
		]);
		expect(puts[2].body).toBe('"CASE-42"');
		expect(t).toMatchObject({ TicketStatus: 'Closed', Priority: 'Critical', _fields: { ExternalRef: 'CASE-42', Escalated: 'yes' } });

		sim.resetLog();
		const nothing = await run({ resource: 'ticket', operation: 'update', serviceDeskId: byId(d.ServiceDeskId), ticketId: byId(t.ServiceDeskTicketId), updateFields: {} });
		expect(nothing.error.message).toMatch(/Nothing to update/);
		expect(sim.requests).toHaveLength(0);
	});

	test('Update that fails half-way: the error says which changes the VSA already made; the rest is not sent, nothing is resent', async () => {
		const d = desk();
		const t = sim.ticketsOf(d.ServiceDeskId)[1];
		sim.faults.add({ method: 'PUT', path: `/api/v1.0/automation/servicedesktickets/${t.ServiceDeskTicketId}/priority/${d._priorities[0].PriorityId}`, status: 500, body: { ResponseCode: 500, Status: 'Failed', Error: 'Deadlock' } });
		const r = await run({
			resource: 'ticket',
			operation: 'update',
			serviceDeskId: byId(d.ServiceDeskId),
			ticketId: byId(t.ServiceDeskTicketId),
			updateFields: { status: d._statuses[2].StatusId, priority: d._priorities[0].PriorityId, customFields: { field: [{ id: d._fields[0].CustomFieldId, value: 'x' }] } },
		});
		expect(r.status).toBe('error');
		expect(r.error.message).toMatch(/HTTP 500 to set the priority of ticket \d+: "Deadlock"/);
		expect(r.error.description).toMatch(/Already changed on the ticket before this failed: status\./);
		expect(calls('PUT', /priority/)).toHaveLength(1);
		expect(calls('PUT', /customfields/)).toHaveLength(0);
		expect(t.TicketStatus).toBe('Waiting');
	});

	test('Add Note and Get Notes: {Text, Hidden, SystemFlag}; the notes come back with their NoteId, by NoteId', async () => {
		const t = sim.ticketsOf(desk().ServiceDeskId)[2];
		for (const [note, hidden] of [['first', false], ['internal', true]]) {
			const r = await run({ resource: 'ticket', operation: 'addNote', ticketId: byId(t.ServiceDeskTicketId), note, options: { hidden } });
			expect(r.items[0]).toMatchObject({ ServiceDeskTicketId: t.ServiceDeskTicketId, added: true, Text: note, Hidden: hidden });
		}
		expect(calls('POST', /\/notes$/).map((q) => JSON.parse(q.body))).toEqual([
			{ Text: 'first', Hidden: false, SystemFlag: false },
			{ Text: 'internal', Hidden: true, SystemFlag: false },
		]);
		const notes = await run({ resource: 'ticket', operation: 'getNotes', ticketId: byId(t.ServiceDeskTicketId), returnAll: true });
		expect(notes.items.map((n) => [n.Text, n.Hidden, typeof n.NoteId, n.ServiceDeskTicketId])).toEqual([
			['first', false, 'string', t.ServiceDeskTicketId],
			['internal', true, 'string', t.ServiceDeskTicketId],
		]);
		expect(calls('GET', /\/notes$/)[0].query.$orderby).toBe('NoteId');
	});

	test('Get Notes on a VSA whose notes have no NoteId: the VSA refuses the sort the node added, the read goes on without it (seen failing before)', async () => {
		const t = sim.ticketsOf(desk().ServiceDeskId)[2];
		await run({ resource: 'ticket', operation: 'addNote', ticketId: byId(t.ServiceDeskTicketId), note: 'only note' });
		sim.onRequest = (ctx) => {
			if (/\/notes$/.test(ctx.path) && /NoteId/.test(ctx.query.get('$orderby') ?? '')) {
				ctx.send(400, { Result: null, ResponseCode: 400, Status: 'Failed', Error: "Could not find a property named 'NoteId' on type 'Kaseya.TicketNote'." });
				return true;
			}
			return undefined;
		};
		const r = await run({ resource: 'ticket', operation: 'getNotes', ticketId: byId(t.ServiceDeskTicketId), returnAll: true });
		expect(r.status).toBe('success');
		expect(r.items.map((n) => n.Text)).toEqual(['only note']);
		expect(calls('GET', /\/notes$/).map((q) => q.query.$orderby ?? '')).toEqual(['NoteId', '']);
	});

	test('Assign: PUT /automation/servicedesks/assign/{ticketId}/{staffId}', async () => {
		const t = sim.ticketsOf(desk().ServiceDeskId)[4];
		const staff = sim.state.staff[2];
		const r = await run({ resource: 'ticket', operation: 'assign', ticketId: byId(t.ServiceDeskTicketId), staffId: byId(staff.OrgStaffId) });
		expect(r.items[0]).toMatchObject({ ServiceDeskTicketId: t.ServiceDeskTicketId, staffId: staff.OrgStaffId, assigned: true });
		expect(calls('PUT', /assign/)[0].path).toBe(`/api/v1.0/automation/servicedesks/assign/${t.ServiceDeskTicketId}/${staff.OrgStaffId}`);
		expect(t.Assignee).toBe(staff.StaffFullName);
	});

	test('dropdowns and pickers: statuses, priorities, categories, custom fields of the chosen desk; staff; tickets of the desk or of every desk', async () => {
		const d = desk();
		const params = { resource: 'ticket', operation: 'update', serviceDeskId: byId(d.ServiceDeskId) };
		const lo = (method, p = params) => engine.loadOptions('kaseyaVsa', CRED, 'loadOptions', method, p);
		expect(await lo('getTicketStatuses')).toEqual(d._statuses.map((s) => ({ name: s.StatusName, value: s.StatusId })));
		expect(await lo('getTicketPriorities')).toEqual(d._priorities.map((s) => ({ name: s.PriorityName, value: s.PriorityId })));
		expect((await lo('getTicketCategories')).map((o) => o.name)).toEqual(['Hardware', 'Software', 'Network']);
		expect(await lo('getTicketCustomFields')).toEqual([
			{ name: 'Escalated', value: d._fields[1].CustomFieldId },
			{ name: 'External Reference', value: d._fields[0].CustomFieldId },
		]);
		expect((await lo('getStaff')).map((o) => o.name)).toEqual(['Alex Admin', "Dana O'Connor", 'Sam Support']);
		await expect(lo('getTicketStatuses', { resource: 'ticket', operation: 'update' })).rejects.toThrow(/Choose the service desk first/);

		const search = (method, p, filter, token) => engine.loadOptions('kaseyaVsa', CRED, 'listSearch', method, p, filter, token);
		const desks = await search('searchServiceDesks', {}, 'inc');
		expect(desks.results).toEqual([{ name: 'Incidents', value: sim.serviceDesk('Incidents').ServiceDeskId }]);
		const staff = await search('searchStaff', {}, "o'c");
		expect(staff.results).toEqual([{ name: "Dana O'Connor (Technician)", value: sim.state.staff[1].OrgStaffId }]);
		expect(sim.requests.at(-1).query.$filter).toBe("substringof('o''c', StaffFullName)");

		const inDesk = await search('searchTickets', params, '');
		expect(inDesk.results).toHaveLength(12);
		expect(inDesk.results[0].name).toMatch(/^STD\d{6}: /);
		const byRef = await search('searchTickets', params, 'STD000003');
		expect(byRef.results.map((x) => x.name)).toEqual(['STD000003: Ticket 3 of Standard']);

		// no desk chosen (Get, Add Note…): desk after desk, continued by a token
		const [d1, d2] = [...sim.state.serviceDesks].sort((a, b) => byNumber(a.ServiceDeskId, b.ServiceDeskId));
		const first = await search('searchTickets', { resource: 'ticket', operation: 'get' }, '');
		expect(first.results).toHaveLength(12);
		expect(first.results.every((x) => x.name.endsWith(` (${d1.ServiceDeskName})`))).toBe(true);
		expect(first.paginationToken).toBe('1:0');
		const second = await search('searchTickets', { resource: 'ticket', operation: 'get' }, '', first.paginationToken);
		expect(second.results).toHaveLength(12);
		expect(second.results.every((x) => x.name.endsWith(` (${d2.ServiceDeskName})`))).toBe(true);
		expect(second.paginationToken).toBeUndefined();
		expect(calls('GET', /\/servicedesktickets$/)).toHaveLength(0);
	});

	describe('the Service Desk module switched off', () => {
		for (const mode of ['off-json', 'off-html']) {
			test(`${mode}: every Service Desk operation and picker says the module is not there, not "check the ID"`, async () => {
				await sim.stop();
				sim = createVsaSim({ agents: 5, serviceDesk: mode });
				await sim.start();
				engine = new Engine({ [CRED]: vsaCredential(sim) });
				const cases = [
					{ resource: 'serviceDesk', operation: 'getMany', returnAll: true },
					{ resource: 'ticket', operation: 'getMany', serviceDeskId: byId('12345678901234567890123456'), returnAll: true },
					{ resource: 'ticket', operation: 'get', ticketId: byId('123456789012345678') },
					{ resource: 'ticket', operation: 'addNote', ticketId: byId('123456789012345678'), note: 'x' },
				];
				for (const params of cases) {
					const r = await run(params);
					expect(r.status).toBe('error');
					expect(r.error.message).toMatch(/this VSA build or module does not offer the Service Desk module \(HTTP 404 to /);
					expect(r.error.description).toMatch(/Service Desk module \(module 18\) is not installed or not activated/);
					expect(r.error.description).not.toMatch(/Check the ID/);
					assertNoSecrets(SECRETS, r.error);
				}
				// reads are not retried on a 404, the note (an action) was sent once
				expect(calls('POST', /notes$/)).toHaveLength(1);
				await expect(engine.loadOptions('kaseyaVsa', CRED, 'listSearch', 'searchServiceDesks', {}, '')).rejects.toThrow(/does not offer the Service Desk module/);
			});
		}
	});
});
