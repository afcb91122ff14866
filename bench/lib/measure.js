'use strict';
/**
 * Timing and memory measurement for one benchmark run.
 *
 * - Wall time: performance.now() around the run.
 * - Peak RSS: a worker thread samples process.memoryUsage.rss() every 2 ms into shared memory (the worker runs
 *   while the main thread is busy or collecting garbage). Reported as the peak minus the RSS right before the
 *   run (after a full GC), i.e. what the run itself added. (/proc/self/clear_refs cannot reset VmHWM here.)
 * - Retained memory: after the run, with its result still referenced, a full GC, then the heap and the
 *   ArrayBuffer/Buffer memory compared with before the run. `arrayBuffers` retained after parsing is the
 *   "raw response buffers still held" check.
 */
const { Worker } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');

const gc = () => {
	if (typeof global.gc === 'function') {
		global.gc();
		global.gc();
	}
};

class RssSampler {
	constructor(intervalMs = 2) {
		this.shared = new Float64Array(new SharedArrayBuffer(16));
		this.worker = new Worker(
			`const { workerData } = require('node:worker_threads');
			const a = new Float64Array(workerData.sab);
			setInterval(() => { const r = process.memoryUsage.rss(); if (r > a[0]) a[0] = r; }, workerData.ms);`,
			{ eval: true, workerData: { sab: this.shared.buffer, ms: intervalMs } },
		);
		this.worker.unref();
	}
	reset() { this.shared[0] = process.memoryUsage.rss(); }
	peak() { return Math.max(this.shared[0], process.memoryUsage.rss()); }
	async close() { await this.worker.terminate(); }
}

let sampler;
function getSampler() {
	sampler ??= new RssSampler();
	return sampler;
}

const MB = 1024 * 1024;

/**
 * Runs `fn` once and measures it. `fn` returns the run's result; `check(result)` (optional) validates it and
 * returns a summary; the result is dropped afterwards. `sample: false` skips the RSS sampler (timing passes).
 * Returns { ms, peakMb, retainedHeapMb, retainedBuffersMb, summary }.
 */
async function measure(fn, check, { sample = true } = {}) {
	const s = sample ? getSampler() : undefined;
	gc();
	const before = process.memoryUsage();
	s?.reset();
	const t0 = performance.now();
	let result = await fn();
	const ms = performance.now() - t0;
	const peak = s ? s.peak() : NaN;
	gc();
	const after = process.memoryUsage();
	const summary = check ? await check(result) : undefined;
	result = undefined;
	return {
		ms,
		peakMb: (peak - before.rss) / MB,
		retainedHeapMb: (after.heapUsed - before.heapUsed) / MB,
		retainedBuffersMb: (after.arrayBuffers - before.arrayBuffers) / MB,
		summary,
	};
}

async function closeSampler() {
	if (sampler) await sampler.close();
	sampler = undefined;
}

/**
 * Extra page requests an EXACT offset read costs over a plain one where the appliance caps the page size (VSA 100,
 * SPS 500): every page after the first re-reads the previous page's last row (nodes/shared/paging.ts), so it brings
 * cap − 1 new rows. The Limit clients page plainly (they would lose rows when the list changes while they read).
 */
function overlapPages(rows, cap) {
	const exact = 1 + Math.ceil(Math.max(0, rows - cap) / (cap - 1));
	return exact - Math.ceil(rows / cap);
}

module.exports = {
	overlapPages,
	measure,
	gc,
	closeSampler,
	MB,
};
