'use strict';
/**
 * KACE SMA Trigger cursor (issue 11 A2) through the real n8n engine (PollContext) against the strict simulator:
 * records in the same second as the newest one, a Shaping option that leaves out the timestamp field, cursors
 * stored by earlier versions (also broken ones), and the Overlap option.
 */
const { startSim, engineFor, apiRequests } = require('./kace.helpers');

const T0 = Date.UTC(2026, 0, 10, 9, 0, 0); // a whole second, later than every generated record
const TICKETS = '/api/service_desk/tickets';
const CURSOR = 'newTicket:created::';

const titles = (polled) => polled.items.map((t) => t.title);
const poll = (engine, params, mode) => engine.poll('kaceSmaTrigger', 'kaceSmaApi', params, mode);
const nodeData = (engine) => engine.staticData['node:Trigger'];

describe('same second as the newest record', () => {
	test('a ticket created after the baseline in the newest second is emitted, once', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const params = { event: 'newTicket', queueId: '', options: {} };
		sim.addTicket({ title: 'A', at: T0 + 100 });
		expect((await poll(engine, params)).result).toBeNull(); // baseline: A is there
		sim.addTicket({ title: 'B', at: T0 + 700 }); // same appliance second as A
		expect(titles(await poll(engine, params))).toEqual(['B']);
		sim.addTicket({ title: 'C', at: T0 + 900 });
		sim.addTicket({ title: 'D', at: T0 + 2000 });
		expect(titles(await poll(engine, params))).toEqual(['C', 'D']);
		expect((await poll(engine, params)).result).toBeNull();
	});

	test('machine changes in the second of the baseline are emitted', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const params = { event: 'machineChanged', options: {} };
		sim.touchMachine(4, T0 + 10);
		expect((await poll(engine, params)).result).toBeNull();
		sim.touchMachine(8, T0 + 20);
		expect((await poll(engine, params)).items.map((m) => m.Id)).toEqual(['8']);
	});
});

describe('a Shaping option that leaves out the timestamp field', () => {
	test('tickets shaped "hd_ticket limited": the cursor field is read anyway, new tickets are emitted, no HTTP 400', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const params = { event: 'newTicket', queueId: '', options: { shaping: 'hd_ticket limited,owner limited' } };
		sim.addTicket({ title: 'A', at: T0 });
		expect((await poll(engine, params)).result).toBeNull();
		sim.addTicket({ title: 'B', at: T0 + 5000 });
		const polled = await poll(engine, params);
		expect(titles(polled)).toEqual(['B']);
		expect(polled.items[0]).toHaveProperty('created');
		expect((await poll(engine, params)).result).toBeNull();
		expect(sim.requests.filter((q) => q.status === 400)).toEqual([]);
		// the shaping that carries the field is remembered: an idle poll is one request
		sim.resetLog();
		expect((await poll(engine, params)).result).toBeNull();
		expect(apiRequests(sim)).toHaveLength(1);
	});

	test('machines shaped "machine limited" with Machine Changed', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const params = { event: 'machineChanged', options: { shaping: 'machine limited' } };
		expect((await poll(engine, params)).result).toBeNull();
		sim.touchMachine(5, T0);
		expect((await poll(engine, params)).items.map((m) => m.Id)).toEqual(['5']);
		expect(sim.requests.filter((q) => q.status === 400)).toEqual([]);
	});

	test('a cursor broken by an earlier version (empty timestamp) is repaired instead of failing every poll', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const params = { event: 'newTicket', queueId: '', options: {} };
		engine.staticData['node:Trigger'] = { [CURSOR]: { ts: '', ids: ['*'] } };
		const repaired = await poll(engine, params);
		expect(repaired.result).toBeNull(); // starts again from where the appliance is
		expect(nodeData(engine)[CURSOR]).toMatchObject({ v: 2 });
		sim.addTicket({ title: 'after', at: T0 });
		expect(titles(await poll(engine, params))).toEqual(['after']);
		expect(sim.requests.filter((q) => q.status === 400)).toEqual([]);
	});
});

describe('cursors stored by earlier versions', () => {
	test('{ts, ids} keeps the ids it had emitted at that second and emits the others', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const params = { event: 'newTicket', queueId: '', options: {} };
		const seen = sim.addTicket({ title: 'seen', at: T0 });
		sim.addTicket({ title: 'unseen', at: T0 + 300 });
		engine.staticData['node:Trigger'] = { [CURSOR]: { ts: sim.fmt(T0), ids: [String(seen)] } };
		expect(titles(await poll(engine, params))).toEqual(['unseen']);
		expect((await poll(engine, params)).result).toBeNull();
	});

	test('the old baseline wildcard still covers the records at its second, and only those', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const params = { event: 'newTicket', queueId: '', options: {} };
		sim.addTicket({ title: 'at baseline', at: T0 });
		engine.staticData['node:Trigger'] = { [CURSOR]: { ts: sim.fmt(T0), ids: ['*'] } };
		sim.addTicket({ title: 'later', at: T0 + 1000 });
		expect(titles(await poll(engine, params))).toEqual(['later']);
	});
});

describe('Overlap (Seconds)', () => {
	test('a record stored with an earlier timestamp than the newest one seen is emitted within the overlap, once', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const params = { event: 'newTicket', queueId: '', options: { overlapSeconds: 60 } };
		sim.addTicket({ title: 'A', at: T0 });
		expect((await poll(engine, params)).result).toBeNull();
		sim.addTicket({ title: 'B', at: T0 + 10_000 });
		expect(titles(await poll(engine, params))).toEqual(['B']);
		// saved later, stamped before B (e.g. a field filled from an agent's clock)
		sim.addTicket({ title: 'late', at: T0 + 4000 });
		expect(titles(await poll(engine, params))).toEqual(['late']);
		expect((await poll(engine, params)).result).toBeNull();
		// the poll asks from the overlap on
		expect(sim.requests.filter((q) => q.path === TICKETS).pop().query.filtering).toBe(`created ge ${sim.fmt(T0 + 10_000 - 60_000)}`);
	});

	test('raising the overlap later emits nothing again', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		sim.addTicket({ title: 'A', at: T0 });
		expect((await poll(engine, { event: 'newTicket', queueId: '', options: {} })).result).toBeNull();
		sim.addTicket({ title: 'B', at: T0 + 20_000 });
		expect(titles(await poll(engine, { event: 'newTicket', queueId: '', options: {} }))).toEqual(['B']);
		const wider = { event: 'newTicket', queueId: '', options: { overlapSeconds: 300 } };
		expect((await poll(engine, wider)).result).toBeNull();
		sim.addTicket({ title: 'C', at: T0 + 30_000 });
		expect(titles(await poll(engine, wider))).toEqual(['C']);
	});
});
