'use strict';
/**
 * KACE SMA Trigger, "Ticket Comment Added" (issue 14) through the real n8n engine (PollContext) against the strict
 * simulator: the cursor over comments (id@timestamp) read from the histories of the tickets modified since it,
 * comments in the same second, a ticket modified again before the poll, a comment saved while the poll runs, the
 * cost of an idle poll, and Fetch Test Event.
 */
const { startSim, engineFor, apiRequests } = require('./kace.helpers');

const T0 = Date.UTC(2026, 0, 10, 9, 0, 0); // a whole second, later than every generated record
const TICKETS = '/api/service_desk/tickets';
const params = (options = {}, queueId = '') => ({ event: 'ticketCommentAdded', queueId, options });
const poll = (engine, p = params(), mode) => engine.poll('kaceSmaTrigger', 'kaceSmaApi', p, mode);
const comments = (polled) => polled.items.map((c) => c.comment);
/** requests of the last poll: the ticket list, and the histories read */
const cost = (sim) => ({
	lists: apiRequests(sim).filter((q) => q.path === TICKETS).length,
	histories: apiRequests(sim).filter((q) => /\/changes$/.test(q.path)).length,
});

/** the ticket, modified at `at` as a console user's change would (no comment) */
function touchTicket(sim, id, at) {
	sim.state.tickets.find((t) => t.id === id).modified = sim.fmt(at);
	sim.invalidate();
}

describe('Ticket Comment Added', () => {
	test('baseline emits nothing; a comment in the newest second is emitted once; idle polls settle at one request', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const a = sim.addTicket({ title: 'A', at: T0 });
		sim.addComment(a, { text: 'before the baseline', at: T0 + 100 });
		expect((await poll(engine)).result).toBeNull();
		sim.addComment(a, { text: 'same second', at: T0 + 600 });
		const first = await poll(engine);
		expect(comments(first)).toEqual(['same second']);
		expect(first.items[0]).toMatchObject({ hd_ticket_id: a, ticket: { id: a, title: 'A', hd_queue_id: 1 }, user: { user_name: 'admin' } });
		const costs = [];
		for (let n = 0; n < 4; n++) {
			sim.resetLog();
			expect((await poll(engine)).result).toBeNull();
			costs.push(cost(sim));
		}
		// the history of A was read by the baseline and by the first poll, a poll interval apart: nothing more can be
		// stamped in its second, so it is not read again until A changes
		expect(costs).toEqual(Array(4).fill({ lists: 1, histories: 0 }));
		// ... and a comment then still moves it and is emitted
		sim.addComment(a, { text: 'later', at: T0 + 5000 });
		expect(comments(await poll(engine))).toEqual(['later']);
	});

	test('a ticket commented and then changed again before the poll: the comment is emitted', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const a = sim.addTicket({ title: 'A', at: T0 });
		const b = sim.addTicket({ title: 'B', at: T0 });
		expect((await poll(engine)).result).toBeNull();
		sim.addComment(b, { text: 'on B', at: T0 + 2000 });
		touchTicket(sim, b, T0 + 9000); // e.g. its status changed afterwards
		sim.addComment(a, { text: 'on A', at: T0 + 5000 });
		expect(comments(await poll(engine))).toEqual(['on B', 'on A']); // oldest first
		expect((await poll(engine)).result).toBeNull();
		// every comment up to the newest modified time read is known: the next poll asks from there
		expect(sim.requests.filter((q) => q.path === TICKETS).pop().query.filtering).toBe(`modified ge ${sim.fmt(T0 + 9000)}`);
	});

	test('a comment saved while the poll reads the histories is left for the next poll, and nothing older is lost', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const x = sim.addTicket({ title: 'X', at: T0 });
		const z = sim.addTicket({ title: 'Z', at: T0 });
		expect((await poll(engine)).result).toBeNull();
		sim.addComment(x, { text: 'x1', at: T0 + 1000 });
		sim.onRequest = ({ path }) => {
			if (path === `${TICKETS}/${x}/changes` && !sim.state.changes.some((c) => c.comment === 'z1')) {
				// the ticket list was read; meanwhile Z gets a comment, then X another one
				sim.addComment(z, { text: 'z1', at: T0 + 4000 });
				sim.addComment(x, { text: 'x2', at: T0 + 5000 });
			}
		};
		expect(comments(await poll(engine))).toEqual(['x1']);
		sim.onRequest = undefined;
		expect(comments(await poll(engine))).toEqual(['z1', 'x2']);
		expect((await poll(engine)).result).toBeNull();
	});

	test('owners-only comments can be left out; the queue filter reads the tickets of one queue', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const p = params({ ownersOnly: false }, '2');
		const q2 = sim.addTicket({ title: 'Q2', queue: 2, at: T0 });
		const q1 = sim.addTicket({ title: 'Q1', queue: 1, at: T0 });
		expect((await poll(engine, p)).result).toBeNull();
		sim.addComment(q2, { text: 'private', at: T0 + 1000, ownersOnly: true });
		sim.addComment(q2, { text: 'public', at: T0 + 2000 });
		sim.addComment(q1, { text: 'other queue', at: T0 + 3000 });
		expect(comments(await poll(engine, p))).toEqual(['public']);
		expect(sim.requests.filter((q) => q.path === TICKETS).pop().query.filtering).toMatch(/^hd_queue_id eq 2,modified ge /);
	});

	test('a ticket deleted between the list and its history is skipped without an error', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const a = sim.addTicket({ title: 'A', at: T0 });
		const b = sim.addTicket({ title: 'B', at: T0 });
		expect((await poll(engine)).result).toBeNull();
		sim.addComment(a, { text: 'on A', at: T0 + 1000 });
		sim.addComment(b, { text: 'on B', at: T0 + 1000 });
		sim.faults.add({ method: 'GET', path: `${TICKETS}/${a}/changes`, status: 404, body: { errorCode: -1, errorDescription: `Ticket ${a} not found` } });
		expect(comments(await poll(engine))).toEqual(['on B']);
	});

	test('Fetch Test Event returns the newest comment and does not move the cursor', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const a = sim.addTicket({ title: 'A', at: T0 });
		expect((await poll(engine)).result).toBeNull();
		sim.addComment(a, { text: 'new', at: T0 + 3000 });
		expect(comments(await poll(engine, params(), 'manual'))).toEqual(['new']);
		expect(comments(await poll(engine))).toEqual(['new']);
	});

	test('no login per poll and no secret in what is emitted', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const a = sim.addTicket({ title: 'A', at: T0 });
		expect((await poll(engine)).result).toBeNull();
		sim.addComment(a, { text: 'hello', at: T0 + 1000 });
		const polled = await poll(engine);
		const session = [...sim.state.sessions.values()][0];
		expect(JSON.stringify(polled.items)).not.toContain(session.kboxid);
		expect(sim.count('/ams/shared/api/security/login')).toBe(1);
	});
});
