'use strict';
/**
 * The shared exact pager (nodes/shared/paging.ts) and trigger time cursor (nodes/shared/poll.ts), on an in-memory
 * list that changes between page reads. The appliance tests run the same code through the real engine against the
 * simulators; here thousands of random interleavings check the invariant itself:
 *   every row that existed during the whole read is returned, exactly once, and nothing returned never existed.
 */
const path = require('node:path');

const { readAnchoredList, ListChangedError, MAX_SWEEPS } = require(path.join(__dirname, '..', 'dist', 'nodes', 'shared', 'paging.js'));
const { readCursor, baselineCursor, advanceCursor, cursorSince } = require(path.join(__dirname, '..', 'dist', 'nodes', 'shared', 'poll.js'));

/** A deterministic pseudo-random generator (tests must be repeatable). */
function rng(seed) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/**
 * A list sorted by id. `beforeRead(n, list)` may change it before the n-th read (1-based). Reads yield to the event
 * loop first, so pages in flight interleave with each other's mutations like HTTP requests would.
 */
function memoryList(count, { beforeRead, keyset = false, withTotal = true } = {}) {
	let nextId = count + 1;
	const list = Array.from({ length: count }, (_, i) => ({ id: i + 1 }));
	const everSeen = new Set(list.map((r) => r.id));
	const deleted = new Set();
	let reads = 0;
	const mutate = async () => {
		await new Promise((resolve) => setImmediate(resolve));
		reads++;
		beforeRead?.(reads, api);
	};
	const api = {
		list,
		everSeen,
		deleted,
		get reads() { return reads; },
		insertAt(position) {
			const row = { id: nextId++ };
			everSeen.add(row.id);
			// keep the order by id stable: an insert "before the read position" gets an id between two existing ones
			const before = list[position - 1]?.id ?? 0;
			const after = list[position]?.id;
			row.id = after === undefined ? row.id : before + (after - before) / 2;
			everSeen.add(row.id);
			list.splice(position, 0, row);
			return row;
		},
		deleteAt(position) {
			const [row] = list.splice(position, 1);
			if (row) deleted.add(row.id);
			return row;
		},
		readPage: async (offset, limit, first) => {
			await mutate();
			return { rows: list.slice(offset, offset + limit), ...(withTotal && first ? { total: list.length } : {}) };
		},
		readAfter: keyset
			? async (last, limit) => {
				await mutate();
				return { rows: list.filter((r) => r.id > last.id).slice(0, limit) };
			}
			: undefined,
	};
	return api;
}

function options(mem, extra = {}) {
	return {
		want: Number.POSITIVE_INFINITY,
		pageSize: 50,
		concurrency: 3,
		key: (r) => String(r.id),
		readPage: mem.readPage,
		readAfter: mem.readAfter,
		...extra,
	};
}

/** Rows that existed from start to end must all be there, once; every returned row must have existed. */
function assertExact(result, mem, initialIds) {
	const ids = result.rows.map((r) => r.id);
	expect(new Set(ids).size).toBe(ids.length);
	const returned = new Set(ids);
	const missing = initialIds.filter((id) => !mem.deleted.has(id) && !returned.has(id));
	expect(missing).toEqual([]);
	for (const id of ids) expect(mem.everSeen.has(id)).toBe(true);
}

describe('readAnchoredList: exact offset paging', () => {
	test('a list that does not change: every row once, pages in flight, one overlap row per page', async () => {
		const mem = memoryList(1000);
		const result = await readAnchoredList(options(mem));
		expect(result.rows.map((r) => r.id)).toEqual(mem.list.map((r) => r.id));
		expect(result.moved).toBe(0);
		// 50 on the first page, then 49 new rows per page (the first row of each is the previous page's last)
		expect(result.requests).toBe(1 + Math.ceil(950 / 49));
		expect(result.total).toBe(1000);
	});

	test('deletes before the read position between pages: plain offset paging would skip rows; this sweeps again', async () => {
		const mem = memoryList(500, { beforeRead: (n, m) => { if (n === 3 || n === 4) { m.deleteAt(10); m.deleteAt(11); } } });
		const initial = mem.list.map((r) => r.id);
		const result = await readAnchoredList(options(mem, { concurrency: 1 }));
		assertExact(result, mem, initial);
		expect(result.moved).toBeGreaterThan(0);
	});

	test('the same deletes with a keyset continuation: carries on by key, no second sweep', async () => {
		const mem = memoryList(500, { keyset: true, beforeRead: (n, m) => { if (n === 3) { m.deleteAt(10); m.deleteAt(11); } } });
		const initial = mem.list.map((r) => r.id);
		const result = await readAnchoredList(options(mem, { concurrency: 1 }));
		assertExact(result, mem, initial);
		expect(result.moved).toBe(1);
		expect(result.requests).toBeLessThanOrEqual(1 + Math.ceil(450 / 49) + 1);
	});

	test('inserts before the read position: the anchor moves down the page, nothing is repeated, no sweep', async () => {
		const mem = memoryList(500, { beforeRead: (n, m) => { if (n >= 2 && n <= 6) m.insertAt(3); } });
		const initial = mem.list.map((r) => r.id);
		const result = await readAnchoredList(options(mem, { concurrency: 1 }));
		assertExact(result, mem, initial);
		expect(result.moved).toBe(0);
	});

	test('a list that grows past the total reported on the first page is read to its end', async () => {
		const mem = memoryList(300, { beforeRead: (n, m) => { if (n === 2) for (let i = 0; i < 120; i++) m.list.push({ id: 1000 + i }); } });
		for (let i = 0; i < 120; i++) mem.everSeen.add(1000 + i);
		const result = await readAnchoredList(options(mem));
		expect(result.rows.length).toBe(420);
	});

	test('a list that keeps losing rows under every sweep fails loudly instead of returning a partial list', async () => {
		const mem = memoryList(400, { beforeRead: (n, m) => { if (n % 2 === 0) m.deleteAt(1); } });
		await expect(readAnchoredList(options(mem, { concurrency: 1 }))).rejects.toBeInstanceOf(ListChangedError);
		expect(mem.reads).toBeGreaterThanOrEqual(MAX_SWEEPS * 2);
	});

	test('reachable cap (SPS 10,000): no request reaches past it, and the result says it was capped', async () => {
		const mem = memoryList(400);
		const seen = [];
		const readPage = async (offset, limit, first) => { seen.push([offset, limit]); return await mem.readPage(offset, limit, first); };
		const result = await readAnchoredList(options(mem, { readPage, reachable: 120 }));
		for (const [offset, limit] of seen) expect(offset + limit).toBeLessThanOrEqual(120);
		expect(result.rows.length).toBe(120);
		expect(result.capped).toBe(true);
		const small = await readAnchoredList(options(memoryList(100), { reachable: 120 }));
		expect(small.capped).toBe(false);
		expect(small.rows.length).toBe(100);
	});

	test('a page answered short while later pages in flight have rows: the read goes on instead of ending there', async () => {
		const mem = memoryList(600);
		const readPage = async (offset, limit, first) => {
			const page = await mem.readPage(offset, limit, first);
			// the appliance answers the page at offset 98 with only 10 rows, once
			if (offset === 98 && !readPage.cut) {
				readPage.cut = true;
				return { ...page, rows: page.rows.slice(0, 10) };
			}
			return page;
		};
		const result = await readAnchoredList(options(mem, { readPage }));
		expect(result.rows.map((r) => r.id)).toEqual(mem.list.map((r) => r.id));
	});

	test('Limit: at most the wanted rows, and no request for more than needed', async () => {
		const mem = memoryList(1000);
		const result = await readAnchoredList(options(mem, { want: 120 }));
		expect(result.rows.map((r) => r.id)).toEqual(mem.list.slice(0, 120).map((r) => r.id));
		expect(result.requests).toBe(3);
	});

	test('an unknown total (no count): pages one at a time until a short page', async () => {
		const mem = memoryList(230, { withTotal: false });
		const result = await readAnchoredList(options(mem));
		expect(result.rows.length).toBe(230);
		expect(result.requests).toBe(1 + Math.ceil(180 / 49));
	});

	test.each([
		['offset only, one page at a time', { keyset: false, concurrency: 1 }],
		['offset only, 3 pages in flight', { keyset: false, concurrency: 3 }],
		['keyset continuation, 4 pages in flight', { keyset: true, concurrency: 4 }],
	])('random inserts and deletes anywhere between reads (%s): exact in 300 runs', async (_name, mode) => {
		for (let seed = 1; seed <= 300; seed++) {
			const random = rng(seed);
			const size = 80 + Math.floor(random() * 400);
			const changes = random() < 0.5 ? 0.2 : 0.6; // chance of a change before each read
			const mem = memoryList(size, {
				keyset: mode.keyset,
				beforeRead: (_n, m) => {
					if (random() > changes) return;
					const k = 1 + Math.floor(random() * 3);
					for (let i = 0; i < k; i++) {
						const at = Math.floor(random() * (m.list.length + 1));
						if (random() < 0.5) m.insertAt(at);
						else m.deleteAt(Math.min(at, m.list.length - 1));
					}
				},
			});
			const initial = mem.list.map((r) => r.id);
			let result;
			try {
				result = await readAnchoredList(options(mem, { pageSize: 20 + Math.floor(random() * 60), concurrency: mode.concurrency }));
			} catch (error) {
				// allowed only as the loud outcome of a list that moved under every sweep
				expect(error).toBeInstanceOf(ListChangedError);
				expect(mode.keyset).toBe(false);
				continue;
			}
			assertExact(result, mem, initial);
		}
	});
});

describe('time cursor for polling triggers', () => {
	const rows = (...specs) => specs.map(([id, t]) => ({ id: String(id), t }));
	const timeOf = (r) => r.t;
	const idOf = (r) => r.id;

	test('baseline keeps the ids at the newest second: a record arriving later in that second is emitted', () => {
		const base = baselineCursor(rows([1, 100], [2, 200], [3, 200]), timeOf, idOf, 0);
		expect(base).toEqual({ v: 2, ts: 200, keys: ['2@200', '3@200'], floor: 200 });
		expect(cursorSince(base, 0)).toBe(200);
		const { fresh, cursor } = advanceCursor(base, rows([2, 200], [3, 200], [4, 200]), timeOf, idOf, 0);
		expect(fresh.map(idOf)).toEqual(['4']);
		expect(cursor.keys.sort()).toEqual(['2@200', '3@200', '4@200']);
		expect(advanceCursor(cursor, rows([2, 200], [3, 200], [4, 200]), timeOf, idOf, 0).fresh).toEqual([]);
	});

	test('a change event re-emits a record whose time moved on, once', () => {
		let c = baselineCursor(rows([1, 100]), timeOf, idOf, 0);
		let step = advanceCursor(c, rows([1, 150]), timeOf, idOf, 0);
		expect(step.fresh.map(idOf)).toEqual(['1']);
		c = step.cursor;
		step = advanceCursor(c, rows([1, 150]), timeOf, idOf, 0);
		expect(step.fresh).toEqual([]);
	});

	test('overlap: a record stored late with an older time inside the window is emitted once', () => {
		let c = baselineCursor(rows([1, 1000], [2, 1500]), timeOf, idOf, 600);
		expect(cursorSince(c, 600)).toBe(900);
		let step = advanceCursor(c, rows([1, 1000], [2, 1500], [3, 1200]), timeOf, idOf, 600);
		expect(step.fresh.map(idOf)).toEqual(['3']);
		c = step.cursor;
		step = advanceCursor(c, rows([1, 1000], [2, 1500], [3, 1200]), timeOf, idOf, 600);
		expect(step.fresh).toEqual([]);
	});

	test('a poll limited to the oldest N records leaves the rest of the newest second for the next poll', () => {
		const c = baselineCursor(rows([1, 100]), timeOf, idOf, 0);
		const first = advanceCursor(c, rows([2, 200], [3, 200]), timeOf, idOf, 0);
		expect(first.fresh.map(idOf)).toEqual(['2', '3']);
		const second = advanceCursor(first.cursor, rows([2, 200], [3, 200], [4, 200], [5, 300]), timeOf, idOf, 0);
		expect(second.fresh.map(idOf)).toEqual(['4', '5']);
	});

	test('cursors stored by earlier versions are migrated: the wildcard keeps its old meaning, and an overlap emits nothing from before them', () => {
		const parse = (v) => Date.parse(String(v).replace(' ', 'T') + 'Z');
		const t = Date.UTC(2025, 0, 1, 8);
		const old = readCursor({ ts: '2025-01-01 08:00:00', ids: ['*'] }, parse);
		expect(old).toEqual({ v: 2, ts: t, keys: [], floor: t + 1 });
		const step = advanceCursor(old, rows([6, t - 30_000], [7, t], [8, t + 1000]), timeOf, idOf, 60_000);
		expect(step.fresh.map(idOf)).toEqual(['8']);
		const withIds = readCursor({ ts: 5000, ids: ['9'] }, parse);
		expect(withIds).toEqual({ v: 2, ts: 5000, keys: ['9@5000'], floor: 5000 });
		// an overlap now reads back before the old cursor: those records were handled by the earlier version
		const next = advanceCursor(withIds, rows([4, 4000], [9, 5000], [10, 5000], [11, 6000]), timeOf, idOf, 2000);
		expect(next.fresh.map(idOf)).toEqual(['10', '11']);
		expect(readCursor({ ts: '', ids: ['*'] }, parse)).toBeUndefined();
		expect(readCursor(undefined, parse)).toBeUndefined();
	});

	test('raising the overlap later emits nothing from before the window the earlier polls covered', () => {
		let c = baselineCursor(rows([1, 1000], [2, 2000]), timeOf, idOf, 0);
		c = advanceCursor(c, rows([2, 2000], [3, 3000]), timeOf, idOf, 0).cursor;
		// overlap 0 → 1500 ms: the poll reads from 1500 on; 2 was emitted long ago (its key is gone): not again. A
		// record at 2500 stored after its window was read cannot be told from one emitted then: not emitted either
		const step = advanceCursor(c, rows([2, 2000], [5, 2500], [3, 3000]), timeOf, idOf, 1500);
		expect(step.fresh.map(idOf)).toEqual([]);
		expect(step.cursor.floor).toBe(1500);
		// from now on the overlap works: a record stored late inside it is emitted
		const late = advanceCursor(step.cursor, rows([5, 2500], [3, 3000], [6, 2900]), timeOf, idOf, 1500);
		expect(late.fresh.map(idOf)).toEqual(['6']);
	});

	test('a record without a readable time is refused instead of storing an unusable cursor', () => {
		const c = baselineCursor(rows([1, 100]), timeOf, idOf, 0);
		expect(() => advanceCursor(c, [{ id: '2' }], timeOf, idOf, 0)).toThrow(/timestamp/);
		expect(() => baselineCursor([{ id: '2' }], timeOf, idOf, 0)).toThrow(/timestamp/);
		expect(baselineCursor([], timeOf, idOf, 0, 42)).toEqual({ v: 2, ts: 42, keys: [], floor: 42 });
	});
});
