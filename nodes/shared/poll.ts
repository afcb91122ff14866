import type { IDataObject } from 'n8n-workflow';

/**
 * De-duplication memory for polling triggers, kept in workflow static data: the keys already emitted, bounded
 * (oldest forgotten first) so the static data cannot grow without limit.
 */
export class SeenKeys {
	private readonly keys: string[];
	private readonly set: Set<string>;

	constructor(
		private readonly store: IDataObject,
		private readonly field = 'seen',
		private readonly max = 5000,
	) {
		this.keys = Array.isArray(store[field]) ? (store[field] as string[]).map(String) : [];
		this.set = new Set(this.keys);
	}

	has(key: string): boolean {
		return this.set.has(key);
	}

	add(key: string): void {
		if (this.set.has(key)) return;
		this.set.add(key);
		this.keys.push(key);
		while (this.keys.length > this.max) this.set.delete(this.keys.shift()!);
		this.store[this.field] = this.keys;
	}

	get size(): number {
		return this.keys.length;
	}
}

/**
 * Where a polling trigger stands, kept in workflow static data (KACE and VSA record triggers):
 *  - `ts`: the newest record time emitted or present at the baseline (ms since epoch, the APPLIANCE's clock — a
 *    record's own timestamp, never n8n's clock);
 *  - `keys`: `${id}@${time}` of every record with a time at or after `ts - overlap` that was emitted or present at
 *    the baseline. Appliances stamp records to the second, so several records share the newest second and more can
 *    arrive in it after a poll: they are told apart by these keys, not skipped. A change event uses the same key,
 *    so a record modified again later (new time) is emitted again;
 *  - `floor`: every record with a time before it was handled by an earlier poll (or the baseline): the start of the
 *    window the cursor's keys cover when it was written. A later poll that reads further back (a larger overlap, a
 *    cursor of an earlier version migrated with its ids at `ts` only) emits nothing from before it.
 * The next poll reads every record with a time at or after {@link cursorSince}.
 */
export interface TimeCursor {
	v: 2;
	ts: number;
	keys: string[];
	floor?: number;
}

type TimeOf<R> = (row: R) => number | undefined;
type IdOf<R> = (row: R) => string | undefined;

/** A cursor from static data, migrating the `{ts, ids}` shape of earlier versions; undefined = no usable cursor. */
export function readCursor(stored: unknown, parseTime: (value: unknown) => number | undefined): TimeCursor | undefined {
	if (!stored || typeof stored !== 'object') return undefined;
	const c = stored as { v?: unknown; ts?: unknown; keys?: unknown; ids?: unknown; floor?: unknown };
	if (c.v === 2 && typeof c.ts === 'number' && Number.isFinite(c.ts) && Array.isArray(c.keys)) {
		return { v: 2, ts: c.ts, keys: c.keys.map(String), ...(typeof c.floor === 'number' && Number.isFinite(c.floor) ? { floor: c.floor } : {}) };
	}
	// v1: {ts: 'YYYY-MM-DD HH:MM:SS' | ms, ids: string[]} — every record before ts handled, the ids at exactly ts
	// emitted, ['*'] = all records at ts present at the baseline
	const ts = typeof c.ts === 'number' ? c.ts : parseTime(c.ts);
	if (ts === undefined || !Number.isFinite(ts) || !Array.isArray(c.ids)) return undefined;
	const ids = c.ids.map(String);
	if (ids.includes('*')) return { v: 2, ts, keys: [], floor: ts + 1 };
	return { v: 2, ts, keys: ids.map((id) => `${id}@${ts}`), floor: ts };
}

/** The earliest record time the next poll must read (inclusive). */
export function cursorSince(cursor: TimeCursor, overlapMs: number): number {
	return cursor.ts - Math.max(0, overlapMs);
}

function timeOrThrow<R>(row: R, timeOf: TimeOf<R>): number {
	const t = timeOf(row);
	if (t === undefined || !Number.isFinite(t)) {
		throw new Error('a record without a readable timestamp was returned, so the trigger cannot know where it stands');
	}
	return t;
}

function keyOf<R>(row: R, time: number, idOf: IdOf<R>): string {
	return `${idOf(row) ?? JSON.stringify(row)}@${time}`;
}

/**
 * The first poll: where the appliance is now. `rows` must hold EVERY record whose time is at or after
 * (newest time − overlap), not only the newest one: a record that arrives later in the newest second is then
 * told apart from the ones already there. No rows: the cursor starts at `emptyTs` (e.g. the appliance's clock).
 */
export function baselineCursor<R>(rows: R[], timeOf: TimeOf<R>, idOf: IdOf<R>, overlapMs: number, emptyTs = 0): TimeCursor {
	let ts = Number.NEGATIVE_INFINITY;
	for (const row of rows) ts = Math.max(ts, timeOrThrow(row, timeOf));
	if (ts === Number.NEGATIVE_INFINITY) return { v: 2, ts: emptyTs, keys: [], floor: emptyTs - Math.max(0, overlapMs) };
	const since = ts - Math.max(0, overlapMs);
	const keys = rows.filter((r) => timeOf(r)! >= since).map((r) => keyOf(r, timeOf(r)!, idOf));
	return { v: 2, ts, keys: [...new Set(keys)], floor: since };
}

/**
 * A later poll. `rows`: the records read this poll (every record with a time at or after `cursorSince`, in any
 * order; when the poll reads at most N records they must be the N OLDEST of them, so that nothing older than the
 * newest one read is left behind). Returns the records not seen before, oldest first, and the new cursor.
 */
export function advanceCursor<R>(
	cursor: TimeCursor,
	rows: R[],
	timeOf: TimeOf<R>,
	idOf: IdOf<R>,
	overlapMs: number,
): { fresh: R[]; cursor: TimeCursor } {
	const known = new Set(cursor.keys);
	const floor = Math.max(cursorSince(cursor, overlapMs), cursor.floor ?? Number.NEGATIVE_INFINITY);
	const timed = rows.map((row) => ({ row, time: timeOrThrow(row, timeOf) }));
	const fresh = timed.filter(({ row, time }) => time >= floor && !known.has(keyOf(row, time, idOf)));
	fresh.sort((a, b) => a.time - b.time);
	const ts = timed.reduce((max, { time }) => Math.max(max, time), cursor.ts);
	const since = ts - Math.max(0, overlapMs);
	// what this poll read covers everything from the old `since` on, so it holds every record from the new one on;
	// keys of the old cursor still inside the window are kept (a record the poll did not list again stays known)
	const keys = new Set(cursor.keys.filter((k) => Number(k.slice(k.lastIndexOf('@') + 1)) >= since));
	for (const { row, time } of timed) if (time >= since) keys.add(keyOf(row, time, idOf));
	// the keys now cover every record from `since` on: that is the new floor
	const next: TimeCursor = { v: 2, ts, keys: [...keys], floor: since };
	return { fresh: fresh.map((f) => f.row), cursor: next };
}
