'use strict';
/**
 * KACE SMA Return All / Limit while the estate changes between pages (issue 11 A1), through the real n8n engine
 * against the strict simulator. The invariant: every record that existed during the whole read is returned, none
 * twice, and nothing is returned that never existed.
 */
const { startSim, engineFor, machinesParams, logins, requestsTo: pages } = require('./kace.helpers');

// These tests read full machine and ticket records: a node saved at version 1 (Simplify off by default). Version
// 1.1 and Simplify are tested in kace.output.test.js.
const { pinNodeVersion } = require('./harness');
let unpinVersion;
beforeAll(() => (unpinVersion = pinNodeVersion(['kaceSma'], 1)));
afterAll(() => unpinVersion());

const LIST = '/api/inventory/machines';

/** Runs `change(n)` before the appliance answers the n-th machine list request. */
function onListRequest(sim, change) {
	let n = 0;
	sim.onRequest = ({ entry }) => {
		if (entry.path === LIST) change(++n);
	};
}

/** Ids now on the appliance. */
const idsNow = (sim) => sim.state.machines.map((m) => m._id);

/**
 * Checks the invariant: every id in `before` that is still there at the end is returned, no id twice, every id
 * returned existed at some point (before the read or added during it).
 */
function expectExact(items, before, sim, added = []) {
	const got = items.map((m) => Number(m.Id));
	expect(new Set(got).size).toBe(got.length);
	const after = new Set(idsNow(sim));
	const missing = before.filter((id) => after.has(id) && !got.includes(id));
	expect(missing).toEqual([]);
	const existed = new Set([...before, ...added]);
	expect(got.filter((id) => !existed.has(id))).toEqual([]);
	return got;
}

/** Pages answer late, so the pages that may be in flight together are. */
const slowPages = (sim, ms = 30) => sim.faults.add({ method: 'GET', path: LIST, passThrough: true, delayMs: ms, times: 1000 });

describe('Return All while machines are deleted and added between pages (sorted by id)', () => {
	test('deletes BEFORE the read position, 3 pages in flight: no existing machine is lost', async () => {
		const sim = await startSim({ machines: 1000 });
		const before = idsNow(sim);
		slowPages(sim);
		onListRequest(sim, (n) => {
			// after the count page: ten machines already returned are deleted, then ten more later
			if (n === 2) sim.mutateMachines({ remove: [5, 6, 7, 8, 9, 10, 11, 12, 13, 14] });
			if (n === 5) sim.mutateMachines({ remove: [150, 151, 152, 153, 154, 155, 156, 157, 158, 159] });
		});
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 100 } }));
		expect(r.error).toBeUndefined();
		const got = expectExact(r.items, before, sim);
		expect(got.length).toBeGreaterThanOrEqual(980);
		// the read carried on by key after it saw the list move: `id gt <last id>` with the id sort
		expect(pages(sim).some((q) => /^id gt \d+$/.test(q.query.filtering ?? '') && q.query.sorting === 'id')).toBe(true);
	});

	test('deletes AFTER the read position: the deleted machines are not returned, every other one is', async () => {
		const sim = await startSim({ machines: 1000 });
		const before = idsNow(sim);
		onListRequest(sim, (n) => {
			if (n === 2) sim.mutateMachines({ remove: [900, 901, 902, 950] });
		});
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 100 } }));
		expect(r.error).toBeUndefined();
		const got = expectExact(r.items, before, sim);
		expect(got).toHaveLength(996);
	});

	test('inserts between pages: every machine once, new ones at most once', async () => {
		const sim = await startSim({ machines: 1000 });
		const before = idsNow(sim);
		slowPages(sim);
		onListRequest(sim, (n) => {
			if (n === 3) sim.mutateMachines({ add: Array.from({ length: 20 }, (_, i) => `NEW-${i}`) });
		});
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 100 } }));
		expect(r.error).toBeUndefined();
		expectExact(r.items, before, sim, Array.from({ length: 20 }, (_, i) => 1001 + i));
	});

	test('deletes before and after the read position and inserts, on several pages in flight', async () => {
		const sim = await startSim({ machines: 2500 });
		const before = idsNow(sim);
		slowPages(sim, 20);
		const added = [];
		onListRequest(sim, (n) => {
			if (n % 2 === 0 && n < 20) {
				const here = idsNow(sim);
				// one machine near the front, one near the end, and a new one
				sim.mutateMachines({ remove: [here[n * 3], here[here.length - n]], add: [`NEW-${n}`] });
				added.push(Math.max(...idsNow(sim)));
			}
		});
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 250 } }));
		expect(r.error).toBeUndefined();
		expectExact(r.items, before, sim, added);
		expect(logins(sim)).toHaveLength(1);
	});

	test('Limit: the first N machines with none skipped, while machines before the read position are deleted', async () => {
		const sim = await startSim({ machines: 1000 });
		onListRequest(sim, (n) => {
			if (n === 2) sim.mutateMachines({ remove: [1, 2, 3, 4, 5] });
		});
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ returnAll: false, limit: 450, options: { pageSize: 100 } }));
		expect(r.error).toBeUndefined();
		const got = r.items.map((m) => Number(m.Id));
		expect(got).toHaveLength(450);
		expect(new Set(got).size).toBe(450);
		// no gap: every machine still there up to the last one returned was returned
		const last = Math.max(...got);
		expect(idsNow(sim).filter((id) => id <= last && !got.includes(id))).toEqual([]);
	});

	test('sorted by id descending: the keyset continuation goes downwards (id lt)', async () => {
		const sim = await startSim({ machines: 600 });
		const before = idsNow(sim);
		onListRequest(sim, (n) => {
			if (n === 2) sim.mutateMachines({ remove: [599, 598, 597] });
		});
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 100, sorting: 'id desc' } }));
		expect(r.error).toBeUndefined();
		const got = expectExact(r.items, before, sim);
		expect(got).toEqual([...got].sort((a, b) => b - a));
		expect(pages(sim).some((q) => /^id lt \d+$/.test(q.query.filtering ?? ''))).toBe(true);
	});
});

describe('Return All with a sort of the user', () => {
	test('sorted by name, machines before the read position deleted: re-read, none lost, none twice', async () => {
		const sim = await startSim({ machines: 1000 });
		const before = idsNow(sim);
		onListRequest(sim, (n) => {
			if (n === 3) sim.mutateMachines({ remove: [2, 3, 4] });
		});
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 100, sorting: 'name' } }));
		expect(r.error).toBeUndefined();
		expectExact(r.items, before, sim);
		// ties are broken by id, so the order is total and the pages can be compared
		expect(pages(sim).every((q) => q.query.sorting === 'name,id')).toBe(true);
	});

	test('a sort on a column with ties: the id makes the order total even where the appliance returns ties in any order', async () => {
		// MySQL may return rows that tie on ORDER BY in a different order on each LIMIT/OFFSET request
		const sim = await startSim({ machines: 600, tieOrder: 'unstable' });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 100, sorting: 'os_name desc' } }));
		expect(r.error).toBeUndefined();
		const got = r.items.map((m) => Number(m.Id));
		expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
		expect(pages(sim).every((q) => q.query.sorting === 'os_name desc,id')).toBe(true);
	});

	test('a list that moves under every re-read fails loudly, saying what happened and what to do', async () => {
		const sim = await startSim({ machines: 400 });
		onListRequest(sim, (n) => {
			// before every page after the first of each pass, the first machine (by name) is deleted
			if (n > 1) sim.mutateMachines({ remove: [sim.state.machines.reduce((a, m) => (m.Name < a.Name ? m : a)).Id].map(Number) });
		});
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 100, sorting: 'name' } }));
		expect(r.status).toBe('error');
		expect(r.error.message).toMatch(/machine.*changed/i);
		expect(r.error.description).toMatch(/run .*again|sort/i);
		expect(r.items).toEqual([]);
	});
});
