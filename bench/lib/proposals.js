'use strict';
/**
 * Prototypes of node-side fixes PROPOSED by the benchmark, applied to the compiled node in memory only for
 * the duration of one "ours + fix" run (the sources in nodes/ are not touched). They exist so the report can
 * say what a fix gains, measured, instead of guessing.
 *
 * kaceListConcurrent: KACE Return All asks the first page WITH the total count (use_count=true, one COUNT on
 * the appliance), then fetches the remaining pages `concurrency` at a time, in order, with the same query,
 * page size, id sorting and de-duplication as nodes/KaceSma/transport/index.ts kaceList. It makes exactly
 * ceil(total / pageSize) requests (no closing empty page).
 */
const path = require('node:path');

const TRANSPORT = path.join(__dirname, '..', '..', 'dist', 'nodes', 'KaceSma', 'transport', 'index.js');

function kaceListConcurrent(concurrency) {
	const t = require(TRANSPORT);
	return async function kaceList(pathName, key, query, options) {
		const want = options.returnAll ? Number.POSITIVE_INFINITY : Math.max(0, options.limit ?? 50);
		const pageSize = Math.max(1, Math.min(options.pageSize ?? t.DEFAULT_PAGE_SIZE, 100_000));
		const base = { ...query };
		if (!base.sorting) base.sorting = 'id';
		const page = (offset, size, count) => t.kaceRequest.call(this, 'GET', pathName, {
			query: { ...base, use_count: count ? 'true' : 'false', paging: `limit ${size} offset ${offset}` },
			operation: options.operation,
			itemIndex: options.itemIndex,
		});
		const first = await page(0, Math.min(pageSize, want), true);
		const bodies = [first];
		const total = Number(first && first.Count);
		if (Number.isFinite(total) && t.envelopeRows(first, key).length >= Math.min(pageSize, want)) {
			const offsets = [];
			for (let o = pageSize; o < Math.min(total, want); o += pageSize) offsets.push(o);
			const results = new Array(offsets.length);
			let next = 0;
			const worker = async () => {
				while (next < offsets.length) {
					const i = next++;
					results[i] = await page(offsets[i], Math.min(pageSize, want - offsets[i]), false);
				}
			};
			await Promise.all(Array.from({ length: Math.min(concurrency, offsets.length) }, worker));
			bodies.push(...results);
		}
		const out = [];
		const seen = new Set();
		for (const body of bodies) {
			for (const row of t.envelopeRows(body, key)) {
				const id = t.recordId(row);
				if (id !== undefined) {
					if (seen.has(id)) continue;
					seen.add(id);
				}
				out.push(row);
				if (out.length >= want) return out;
			}
		}
		return out;
	};
}

/** Runs fn with the compiled transport's kaceList replaced, then restores it. */
async function withKaceListConcurrent(concurrency, fn) {
	const t = require(TRANSPORT);
	const original = t.kaceList;
	t.kaceList = kaceListConcurrent(concurrency);
	try {
		return await fn();
	} finally {
		t.kaceList = original;
	}
}

module.exports = { withKaceListConcurrent };
