'use strict';
/**
 * Kaseya VSA Trigger, Service Desk events (issue 13) through n8n's real PollContext against the strict simulator:
 * New Service Desk Ticket / Service Desk Ticket Updated, one desk or all desks, on the shared TimeCursor v2 —
 * baseline on activation, the same-second ticket after the baseline, no repeat, the idle poll's request count
 * (from the simulator's log), a desk added later, manual mode, the module switched off.
 */
const { Engine } = require('./harness');
const { createVsaSim, vsaCredential } = require('./sim/vsa');

const CRED = 'kaseyaVsaApi';
const TRIGGER = 'kaseyaVsaTrigger';
const DESKS = '/api/v1.0/automation/servicedesks';
const TICKETS = /^\/api\/v1\.0\/automation\/servicedesks\/(\d+)\/tickets$/;

const snapshot = (engine) => JSON.parse(JSON.stringify(engine.staticData));

describe('Kaseya VSA Trigger: Service Desk tickets', () => {
	let sim;
	let engine;
	const poll = (event, serviceDesk = 'all', mode = 'trigger', options = {}) =>
		engine.poll(TRIGGER, CRED, { event, serviceDesk, options }, mode);
	const ticketReads = () => sim.requests.filter((r) => TICKETS.test(r.path));
	const deskReads = () => sim.requests.filter((r) => r.path === DESKS);
	const apiCalls = () => sim.requests.filter((r) => r.path !== '/api/v1.0/auth');
	const newest = (deskId, field = 'CreatedDate') =>
		sim.ticketsOf(deskId).reduce((a, b) => (Date.parse(b[field]) > Date.parse(a[field]) ? b : a));

	beforeEach(async () => {
		sim = createVsaSim({ agents: 3 });
		await sim.start();
		engine = new Engine({ [CRED]: vsaCredential(sim) });
	});
	afterEach(async () => {
		await sim.stop();
	});

	test('new ticket, all desks: baseline on activation emits nothing (desk list + one newest-first read per desk), then each new ticket once, oldest first, ids as strings', async () => {
		const [std, inc] = [sim.serviceDesk('Standard'), sim.serviceDesk('Incidents')];
		const first = await poll('newTicket');
		expect(first.result).toBeNull();
		expect(deskReads()).toHaveLength(1);
		expect(ticketReads().map((r) => [r.path.match(TICKETS)[1], r.query.$orderby, r.query.$top])).toEqual([
			[std.ServiceDeskId, 'CreatedDate desc,ServiceDeskTicketId', '100'],
			[inc.ServiceDeskId, 'CreatedDate desc,ServiceDeskTicketId', '100'],
		]);

		const a = sim.addTicket(inc, { Summary: 'Printer on fire' });
		sim.clock.advance(2000);
		const b = sim.addTicket(std, { Summary: 'VPN down' });
		const second = await poll('newTicket');
		expect(second.items.map((t) => t.ServiceDeskTicketId)).toEqual([a.ServiceDeskTicketId, b.ServiceDeskTicketId]);
		expect(second.items[0].ServiceDeskTicketId).toMatch(/^\d{18}$/);
		expect(second.items[0].ServiceDeskId).toBe(inc.ServiceDeskId);
		expect(second.items[1].Summary).toBe('VPN down');

		// no repeat
		expect((await poll('newTicket')).result).toBeNull();
		expect((await poll('newTicket')).result).toBeNull();
		expect(engine.logins(CRED)).toBe(1);
	});

	test('idle poll: all desks = 1 desk list + 1 ticket read per desk (3 requests for 2 desks); one desk = 1 request', async () => {
		await poll('newTicket');
		sim.resetLog();
		expect((await poll('newTicket')).result).toBeNull();
		expect(deskReads()).toHaveLength(1);
		expect(ticketReads()).toHaveLength(2);
		expect(apiCalls()).toHaveLength(3);

		const std = sim.serviceDesk('Standard');
		await poll('ticketUpdated', std.ServiceDeskId);
		sim.resetLog();
		expect((await poll('ticketUpdated', std.ServiceDeskId)).result).toBeNull();
		expect(apiCalls().map((r) => r.path)).toEqual([`${DESKS}/${std.ServiceDeskId}/tickets`]);
		expect(apiCalls()[0].query.$orderby).toBe('ModifiedDate desc,ServiceDeskTicketId');
	});

	test('a ticket created in the same second as the newest ticket of the baseline is emitted once; the baseline tickets never', async () => {
		const std = sim.serviceDesk('Standard');
		expect((await poll('newTicket', std.ServiceDeskId)).result).toBeNull();
		const top = newest(std.ServiceDeskId);
		const same = sim.addTicket(std, { CreatedDate: top.CreatedDate, Summary: 'same second' });
		const r = await poll('newTicket', std.ServiceDeskId);
		expect(r.items.map((t) => t.ServiceDeskTicketId)).toEqual([same.ServiceDeskTicketId]);
		expect((await poll('newTicket', std.ServiceDeskId)).result).toBeNull();

		// and one more in that very second after it was emitted
		const again = sim.addTicket(std, { CreatedDate: top.CreatedDate, Summary: 'same second, later' });
		const r2 = await poll('newTicket', std.ServiceDeskId);
		expect(r2.items.map((t) => t.ServiceDeskTicketId)).toEqual([again.ServiceDeskTicketId]);
		expect((await poll('newTicket', std.ServiceDeskId)).result).toBeNull();
	});

	test('a ticket committed late with a time just before the newest one (within the overlap) is still emitted', async () => {
		const std = sim.serviceDesk('Standard');
		await poll('newTicket', std.ServiceDeskId);
		const top = newest(std.ServiceDeskId);
		const late = sim.addTicket(std, { CreatedDate: new Date(Date.parse(top.CreatedDate) - 30_000).toISOString().replace(/\.\d{3}Z$/, 'Z') });
		const r = await poll('newTicket', std.ServiceDeskId);
		expect(r.items.map((t) => t.ServiceDeskTicketId)).toEqual([late.ServiceDeskTicketId]);
		expect((await poll('newTicket', std.ServiceDeskId)).result).toBeNull();
	});

	test('one desk: tickets of the other desk are not emitted', async () => {
		const [std, inc] = [sim.serviceDesk('Standard'), sim.serviceDesk('Incidents')];
		await poll('newTicket', std.ServiceDeskId);
		sim.addTicket(inc);
		const mine = sim.addTicket(std);
		const r = await poll('newTicket', std.ServiceDeskId);
		expect(r.items.map((t) => t.ServiceDeskTicketId)).toEqual([mine.ServiceDeskTicketId]);
		expect(sim.requests.some((q) => q.path.includes(inc.ServiceDeskId))).toBe(false);
	});

	test('ticket updated: each change emitted once (again at the next change, also in the same second), new untouched tickets are not updates', async () => {
		const std = sim.serviceDesk('Standard');
		expect((await poll('ticketUpdated')).result).toBeNull();
		const [t1, t2] = sim.ticketsOf(std.ServiceDeskId);
		sim.addTicket(std, { Summary: 'brand new' });
		sim.touchTicket(t1.ServiceDeskTicketId, { TicketStatus: 'In Progress' });
		const r = await poll('ticketUpdated');
		expect(r.items.map((t) => [t.ServiceDeskTicketId, t.TicketStatus])).toEqual([[t1.ServiceDeskTicketId, 'In Progress']]);
		expect((await poll('ticketUpdated')).result).toBeNull();

		// another ticket changed in the same second as the first change
		sim.touchTicket(t2.ServiceDeskTicketId, { Priority: 'High' });
		t2.ModifiedDate = t1.ModifiedDate;
		const r2 = await poll('ticketUpdated');
		expect(r2.items.map((t) => t.ServiceDeskTicketId)).toEqual([t2.ServiceDeskTicketId]);

		// the first ticket changed again later: emitted again
		sim.clock.advance(5000);
		sim.touchTicket(t1.ServiceDeskTicketId, { TicketStatus: 'Closed' });
		const r3 = await poll('ticketUpdated');
		expect(r3.items.map((t) => [t.ServiceDeskTicketId, t.TicketStatus])).toEqual([[t1.ServiceDeskTicketId, 'Closed']]);
		expect((await poll('ticketUpdated')).result).toBeNull();
	});

	test('a node action (note) makes an update the trigger sees', async () => {
		const std = sim.serviceDesk('Standard');
		await poll('ticketUpdated', std.ServiceDeskId);
		const t = sim.ticketsOf(std.ServiceDeskId)[3];
		sim.clock.advance(1000);
		const note = await engine.runNode('kaseyaVsa', CRED, {
			resource: 'ticket',
			operation: 'addNote',
			ticketId: { __rl: true, mode: 'id', value: t.ServiceDeskTicketId },
			note: 'looking into it',
		});
		expect(note.status).toBe('success');
		const r = await poll('ticketUpdated', std.ServiceDeskId);
		expect(r.items.map((x) => x.ServiceDeskTicketId)).toEqual([t.ServiceDeskTicketId]);
	});

	test('many new tickets between two polls (more than a page): every one emitted once, in time order', async () => {
		const std = sim.serviceDesk('Standard');
		await poll('newTicket', std.ServiceDeskId);
		const added = [];
		for (let i = 0; i < 230; i++) {
			if (i % 7 === 0) sim.clock.advance(1000);
			added.push(sim.addTicket(std).ServiceDeskTicketId);
		}
		sim.resetLog();
		const r = await poll('newTicket', std.ServiceDeskId);
		expect(r.items.map((t) => t.ServiceDeskTicketId).sort()).toEqual([...added].sort());
		expect(new Set(r.items.map((t) => t.ServiceDeskTicketId)).size).toBe(230);
		const times = r.items.map((t) => Date.parse(t.CreatedDate));
		expect(times).toEqual([...times].sort((x, y) => x - y));
		expect(ticketReads()).toHaveLength(3);
		expect((await poll('newTicket', std.ServiceDeskId)).result).toBeNull();
	});

	test('a desk created after activation: its tickets from then on are new; its older tickets are not', async () => {
		await poll('newTicket');
		const desk = sim.addServiceDesk('Changes', 'CHG');
		sim.addTicket(desk, { CreatedDate: '2020-01-01T00:00:00Z' });
		sim.clock.advance(1000);
		const fresh = sim.addTicket(desk);
		const r = await poll('newTicket');
		expect(r.items.map((t) => t.ServiceDeskTicketId)).toEqual([fresh.ServiceDeskTicketId]);
		expect((await poll('newTicket')).result).toBeNull();
	});

	test('manual mode: the newest ticket as a sample; static data untouched', async () => {
		const before = snapshot(engine);
		const sample = await poll('newTicket', 'all', 'manual');
		const all = sim.state.tickets.reduce((a, b) => (Date.parse(b.CreatedDate) > Date.parse(a.CreatedDate) ? b : a));
		expect(sample.items.map((t) => t.ServiceDeskTicketId)).toEqual([all.ServiceDeskTicketId]);
		expect(snapshot(engine)).toEqual(before);
		await poll('newTicket');
		const withCursor = snapshot(engine);
		sim.addTicket(sim.serviceDesk('Standard'));
		expect((await poll('newTicket', 'all', 'manual')).items).toHaveLength(1);
		expect(snapshot(engine)).toEqual(withCursor);
		expect((await poll('newTicket')).items).toHaveLength(1);
	});

	test('a filter is passed to every desk read and keeps its own cursor', async () => {
		const std = sim.serviceDesk('Standard');
		await poll('newTicket', std.ServiceDeskId, 'trigger', { filter: "TicketStatus eq 'New'" });
		expect(ticketReads().length).toBeGreaterThan(0);
		expect(ticketReads().every((r) => r.query.$filter === "TicketStatus eq 'New'")).toBe(true);
		// another filter is another watch: its first poll is a baseline again
		sim.addTicket(std);
		expect((await poll('newTicket', std.ServiceDeskId, 'trigger', { filter: "TicketStatus ne 'Closed'" })).result).toBeNull();
		expect(Object.keys(Object.values(snapshot(engine))[0])).toHaveLength(2);
	});

	test('a desk id that is not a number is refused before any request', async () => {
		await expect(poll('newTicket', 'Standard')).rejects.toThrow(/not a service desk ID/);
		expect(apiCalls()).toHaveLength(0);
	});

	for (const mode of ['off-html', 'off-json']) {
		test(`the Service Desk module switched off (${mode}): the poll fails saying the module is not there`, async () => {
			await sim.stop();
			sim = createVsaSim({ agents: 3, serviceDesk: mode });
			await sim.start();
			engine = new Engine({ [CRED]: vsaCredential(sim) });
			await expect(poll('newTicket')).rejects.toThrow(/does not offer the Service Desk module/);
			await expect(poll('ticketUpdated', '12345678901234567890123456')).rejects.toThrow(/does not offer the Service Desk module/);
			// no cursor stored
			expect(Object.values(snapshot(engine)).every((node) => Object.keys(node).length === 0)).toBe(true);
		});
	}
});
