import { readPagesInOrder } from './execute';

/**
 * Exact offset paging for lists that change while they are read.
 *
 * Offset paging alone loses rows: when a record before the read position is deleted between two page requests,
 * every later row moves one place forward and the row that crossed the page boundary is never returned (an
 * insert moves rows the other way and repeats one). Here every page after the first starts ONE row before the end
 * of the previous page, so its first row must be the previous page's last row — the anchor:
 *  - anchor first: nothing moved before the read position, the page continues the list exactly;
 *  - anchor further down the page: rows were inserted before the read position; the rows after the anchor
 *    continue the list (the inserted rows were not there when the read started, and any row already returned is
 *    dropped by its key, never repeated);
 *  - anchor missing: rows before the read position were deleted (or the anchor itself was): the pages read after
 *    it may have skipped rows. With a keyset continuation (`readAfter`: the rows strictly after the anchor in the
 *    same order — KACE `id gt …`, OData `Id gt …`) the read carries on from the anchor, which is exact whatever
 *    moved. Without one, the whole list is read again from the start ("sweep"), keeping the rows already returned
 *    and adding the ones missed; a sweep that completes without a missing anchor has read every position of the
 *    list, so every row that existed during the whole read is returned. After {@link MAX_SWEEPS} sweeps that all
 *    lost their anchor the read gives up loudly with {@link ListChangedError}.
 *
 * The guarantee holds for a STABLE order (id, creation time + id): a row whose sort key changes while the list is
 * read (e.g. sorted by `modified`) can jump over the read position, and no client can see that.
 */

export interface PageRead<R> {
	rows: R[];
	/** the number of matching records the appliance reported with this page, when it did */
	total?: number;
}

export interface AnchoredListOptions<R> {
	/** rows wanted: Number.POSITIVE_INFINITY for Return All */
	want: number;
	/** most rows the appliance returns per request (the overlap row counts) */
	pageSize: number;
	/** pages read at once when the first page reported the total (1 = one page at a time) */
	concurrency: number;
	/** a stable unique key of a row (its id); rows without one are keyed by their JSON */
	key: (row: R) => string | undefined;
	/** reads `limit` rows from `offset`; `first` is true for the first page of a sweep (ask for the total there) */
	readPage: (offset: number, limit: number, first: boolean) => Promise<PageRead<R>>;
	/** keyset continuation: up to `limit` rows strictly after `last` in the same order, when the API can do it */
	readAfter?: (last: R, limit: number) => Promise<PageRead<R>>;
	/** the appliance serves only this many rows of a list (SPS: 10,000): no request reaches past it */
	reachable?: number;
	/** runaway guard: requests per read (default 10,000) */
	maxRequests?: number;
}

export interface AnchoredListResult<R> {
	/** de-duplicated by key, in list order, at most `want` */
	rows: R[];
	/** the last total the appliance reported */
	total?: number;
	/** `reachable` stopped the read while more rows existed */
	capped: boolean;
	/** how often the list moved under the read so that it had to re-anchor (keyset or sweep); 0 = it did not */
	moved: number;
	requests: number;
}

/** The list kept changing faster than it could be read; the message says what happened. */
export class ListChangedError extends Error {
	constructor(
		message: string,
		readonly rowsRead: number,
	) {
		super(message);
	}
}

/** Sweeps (full passes over the list) before giving up on a list that keeps moving under the read. */
export const MAX_SWEEPS = 3;

type Outcome = 'complete' | 'lost-anchor' | 'capped';

export async function readAnchoredList<R>(o: AnchoredListOptions<R>): Promise<AnchoredListResult<R>> {
	const want = o.want;
	const size = Math.max(2, Math.floor(o.pageSize));
	const reachable = o.reachable ?? Number.POSITIVE_INFINITY;
	const maxRequests = o.maxRequests ?? 10_000;
	const out: R[] = [];
	const seen = new Set<string>();
	let requests = 0;
	let total: number | undefined;
	let moved = 0;

	const keyOf = (row: R): string => o.key(row) ?? JSON.stringify(row);
	const take = (rows: R[]) => {
		for (const row of rows) {
			if (out.length >= want) return;
			const k = keyOf(row);
			if (seen.has(k)) continue;
			seen.add(k);
			out.push(row);
		}
	};
	const read = async (offset: number, limit: number, first: boolean): Promise<PageRead<R>> => {
		if (++requests > maxRequests) throw new ListChangedError(`the read stopped after ${maxRequests} requests`, out.length);
		const page = await o.readPage(offset, limit, first);
		if (page.total !== undefined) total = page.total;
		return page;
	};
	const readAfter = async (last: R, limit: number): Promise<PageRead<R>> => {
		if (++requests > maxRequests) throw new ListChangedError(`the read stopped after ${maxRequests} requests`, out.length);
		const page = await o.readAfter!(last, limit);
		if (page.total !== undefined) total = page.total;
		return page;
	};
	/** where the anchor is in a page read one row before the end of the previous one: -1 when it is gone */
	const anchorIndex = (rows: R[], anchor: string) => rows.findIndex((r) => keyOf(r) === anchor);

	/** by key, from the anchor to the end: exact whatever moved before it */
	const keysetRest = async (anchor: R): Promise<Outcome> => {
		let last = anchor;
		while (out.length < want) {
			const limit = Math.min(size, want - out.length);
			const { rows } = await readAfter(last, limit);
			take(rows);
			if (rows.length < limit) return 'complete';
			last = rows[rows.length - 1];
		}
		return 'complete';
	};

	/** one pass over the list from offset 0 */
	const sweep = async (): Promise<{ outcome: Outcome; anchor?: R }> => {
		const firstLimit = Math.min(size, want - out.length, reachable);
		if (firstLimit <= 0) return { outcome: 'complete' };
		const first = await read(0, firstLimit, true);
		take(first.rows);
		if (first.rows.length < firstLimit) return { outcome: 'complete' };
		let anchor = first.rows[first.rows.length - 1];
		// the position of the row after the anchor, as far as this sweep knows
		let position = first.rows.length;
		const step = size - 1;

		/** one page read from position - 1: go on, the list ended (a short page), or the anchor is gone */
		const follow = (rows: R[], limit: number): 'next' | 'end' | 'lost' => {
			const at = anchorIndex(rows, keyOf(anchor));
			if (at < 0) return 'lost';
			const fresh = rows.slice(at + 1);
			take(fresh);
			// rows inserted before the read position moved the anchor down the page by `at`
			position = position - 1 + rows.length;
			if (fresh.length) anchor = fresh[fresh.length - 1];
			return rows.length < limit ? 'end' : 'next';
		};

		// the pages up to the reported total at once: page k starts at one row before the end of page k-1
		const reported = first.total;
		if (reported !== undefined && o.concurrency > 1 && out.length < want) {
			const plan: Array<{ offset: number; limit: number }> = [];
			const end = Math.min(reported, position + (want - out.length), reachable);
			for (let start = position; start < end; start += step) {
				// the overlap row, the rows up to the total, and one more: a grown list shows there instead of being missed
				const limit = Math.min(size, end - start + 2, reachable - (start - 1));
				plan.push({ offset: start - 1, limit });
				if (plan.length + requests >= maxRequests) break;
			}
			const pages = await readPagesInOrder(plan, o.concurrency, async (p) => await read(p.offset, p.limit, false));
			for (let i = 0; i < pages.length; i++) {
				if (out.length >= want) return { outcome: 'complete' };
				// every planned page is one step after the previous one; a page that ended early ended the list
				if (plan[i].offset !== position - 1) break;
				const r = follow(pages[i].rows, plan[i].limit);
				if (r === 'lost') return { outcome: 'lost-anchor', anchor };
				if (r === 'end') {
					// a short page ends the list, unless a page read at the same time found rows after it (a short
					// answer of the appliance, or rows added meanwhile): then read on from here to be sure
					if (!pages.slice(i + 1).some((p) => p.rows.length > 0)) return { outcome: 'complete' };
					break;
				}
			}
		}
		// one page at a time: no total, a shifted plan, or a list that grew past the total
		while (out.length < want) {
			if (position >= reachable) return { outcome: 'capped' };
			const limit = Math.min(size, want - out.length + 1, reachable - (position - 1));
			const { rows } = await read(position - 1, limit, false);
			const r = follow(rows, limit);
			if (r === 'lost') return { outcome: 'lost-anchor', anchor };
			if (r === 'end') return { outcome: 'complete' };
		}
		return { outcome: 'complete' };
	};

	for (let pass = 1; ; pass++) {
		const { outcome, anchor } = await sweep();
		if (outcome === 'complete' || out.length >= want) return { rows: out, total, capped: false, moved, requests };
		if (outcome === 'capped') return { rows: out, total, capped: total === undefined || total > reachable, moved, requests };
		moved++;
		if (o.readAfter && anchor !== undefined) {
			await keysetRest(anchor);
			return { rows: out, total, capped: false, moved, requests };
		}
		if (pass >= MAX_SWEEPS) {
			throw new ListChangedError(
				`the list changed under every one of ${MAX_SWEEPS} reads (records before the read position were deleted between two pages each time)`,
				out.length,
			);
		}
	}
}
