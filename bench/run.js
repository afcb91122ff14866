#!/usr/bin/env node
'use strict';
/**
 * Benchmark (issue #7): the same work done three ways in ONE process run, against the local simulators:
 *   limit   — a minimal raw axios client doing exactly the necessary requests and JSON parsing;
 *   ours    — our node through the real n8n engine (test/harness.js);
 *   instead — n8n's own HTTP Request node (+ Split Out for lists) configured the way a user would.
 * Prints requests, logins, wall-time ratios, peak RSS and the targets; ends with "N passed, N failed".
 *
 *   npm run bench                       (build + this)
 *   node bench/run.js [--only=kace,vsa-return] [--rounds=3] [--no-sweep] [--no-memory] [--json=FILE] [--md[=FILE]]
 *
 * Exit code 1 when a target is missed (see docs/bench.md for what misses and why).
 *
 * Simulators run in a child process each (bench/sim-host.js), so client time and memory are the client's own.
 */
const { execFile, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// GC control is needed for clean memory figures: re-run with --expose-gc when started without it
if (typeof global.gc !== 'function' && !process.env.BENCH_CHILD) {
	const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=6144', __filename, ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: { ...process.env, BENCH_CHILD: '1' },
	});
	process.exit(r.status ?? 1);
}

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
	const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
	return m ? [m[1], m[2] ?? true] : [a, true];
}));
const ROUNDS = Number(args.rounds ?? 3);
const ONLY = typeof args.only === 'string' ? args.only.split(',') : undefined;

// quiet n8n's own logger
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';

const { measure, closeSampler } = require('./lib/measure');
const { startSim } = require('./lib/sims');
const n8n = require('./lib/n8n');
const { fmtTable, fmtRatio, fmtMb } = require('./lib/format');

const VARIANTS = ['limit', 'limitNewConn', 'ours', 'instead', 'floor'];

/** Runs one scenario: every variant in every round (interleaved), cold first round. */
async function runScenario(sc, sims) {
	const key = JSON.stringify(sc.sim);
	let sim = sims.get(key);
	if (!sim) {
		sim = await startSim(sc.sim.kind, sc.sim.options);
		sims.set(key, sim);
	}
	const names = VARIANTS.filter((v) => sc.variants[v]);
	const states = {};
	const res = {};
	for (const v of names) {
		states[v] = await sc.variants[v].setup(sim);
		res[v] = { runs: [] };
	}
	const rounds = sc.rounds ?? ROUNDS;
	for (let round = 0; round < rounds; round++) {
		for (const v of names) {
			const variant = sc.variants[v];
			if (variant.rounds !== undefined && round >= variant.rounds) continue;
			if (sc.beforeEach) await sc.beforeEach(sim);
			await sim.reset();
			const m = await measure(
				() => variant.run(states[v], sim),
				variant.check ? (result) => variant.check(result, sim) : undefined,
				{ sample: false },
			);
			const st = await sim.stats();
			res[v].runs.push({ ...m, requests: st.total, logins: st.logins, byRoute: st.byRoute, statuses: st.statuses, simCpuMs: st.cpuMs });
		}
	}
	for (const v of names) {
		if (sc.variants[v].teardown) await sc.variants[v].teardown(states[v]);
		const runs = res[v].runs;
		const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
		res[v] = {
			ms: best.ms,
			msAll: runs.map((r) => Math.round(r.ms)),
			// requests and logins of the first (cold: no session yet) round
			requests: runs[0].requests,
			logins: runs[0].logins,
			warmRequests: runs[runs.length - 1].requests,
			byRoute: runs[0].byRoute,
			statuses: runs[0].statuses,
			peakMb: undefined,
			retainedHeapMb: best.retainedHeapMb,
			retainedBuffersMb: Math.max(...runs.map((r) => r.retainedBuffersMb)),
			simCpuMs: best.simCpuMs,
			summary: runs[0].summary,
		};
	}
	if (sc.memory !== false && !args['no-memory']) {
		for (const v of names.filter((n) => ['limit', 'ours', 'instead'].includes(n))) {
			if (sc.beforeEach) await sc.beforeEach(sim);
			const m = await memoryRun(sc, v, sim);
			Object.assign(res[v], { peakMb: m.peakMb, memRetainedHeapMb: m.retainedHeapMb, memRetainedBuffersMb: m.retainedBuffersMb });
		}
	}
	return res;
}

/** Peak RSS of one run of one variant, in a fresh process (bench/mem-child.js). */
function memoryRun(sc, variant, sim) {
	const job = { appliance: sc.sim.kind, scenarioId: sc.id, variant, sim: { url: sim.url, credential: sim.credential, caPem: sim.caPem } };
	return new Promise((resolve, reject) => {
		execFile(process.execPath, ['--expose-gc', '--max-old-space-size=6144', path.join(__dirname, 'mem-child.js'), JSON.stringify(job)], {
			maxBuffer: 1 << 20, timeout: 300_000,
		}, (error, stdout, stderr) => {
			if (error) return reject(new Error(`memory run of ${sc.id}/${variant} failed: ${stderr || error.message}`));
			try {
				resolve(JSON.parse(stdout.trim().split('\n').pop()));
			} catch (e) {
				reject(new Error(`memory run of ${sc.id}/${variant}: ${e.message}: ${stdout}`));
			}
		});
	});
}

function availability(appliance) {
	if (appliance === 'kace') return undefined;
	const { simExists } = require('./lib/sims');
	const folder = appliance === 'vsa' ? 'KaseyaVsa' : 'SafeguardSps';
	const node = appliance === 'vsa' ? 'KaseyaVsa.node.js' : 'SafeguardSps.node.js';
	if (!simExists(appliance)) return `skipped: simulator test/sim/${appliance}.js not built yet`;
	if (!n8n.nodeBuilt(folder, node)) return `skipped: dist/nodes/${folder} not built yet`;
	if (!fs.existsSync(path.join(__dirname, 'scenarios', `${appliance}.js`))) return 'skipped: no scenarios yet';
	return undefined;
}

function loadGroup(appliance) {
	const file = path.join(__dirname, 'scenarios', `${appliance}.js`);
	return require(file);
}

function selected(sc) {
	return !ONLY || ONLY.some((o) => sc.id.includes(o));
}

async function main() {
	const started = Date.now();
	const baseProblem = n8n.loadBaseNodes();
	const rows = [];
	const sweepRows = [];
	const extra = [];
	const sims = new Map();
	const versions = n8n.baseVersions();
	console.log(`bench: node ${process.version}, ${ROUNDS} rounds (best wall time; requests/logins of the first, cold round)`);
	console.log(`bench: "instead" = n8n-nodes-base ${versions?.nodesBase ?? '(missing)'} HTTP Request in the same engine${baseProblem ? ` — UNAVAILABLE: ${baseProblem}` : ''}`);

	for (const appliance of ['kace', 'vsa', 'sps']) {
		const why = availability(appliance);
		let group;
		if (!why) group = loadGroup(appliance);
		const list = why ? [{ id: `${appliance}`, title: `${appliance.toUpperCase()} scenarios`, skipped: why }] : group.scenarios;
		for (const sc of list.filter(selected)) {
			if (sc.skipped || (sc.available && sc.available())) {
				rows.push({ sc, skipped: sc.skipped ?? sc.available() });
				console.log(`- ${sc.title}: ${sc.skipped ?? sc.available()}`);
				continue;
			}
			if (baseProblem && sc.variants.instead) delete sc.variants.instead;
			const t0 = Date.now();
			process.stdout.write(`- ${sc.title} … `);
			try {
				const res = await runScenario(sc, sims);
				rows.push({ sc, res });
				console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s (ours ${res.ours.msAll.join('/')} ms)`);
			} catch (e) {
				rows.push({ sc, error: e });
				console.log(`ERROR ${e.stack ?? e.message}`);
			}
		}
		if (!why && group.sweep && !args['no-sweep']) {
			for (const sc of group.sweep.filter(selected)) {
				process.stdout.write(`- sweep: ${sc.title} … `);
				try {
					const res = await runScenario(sc, sims);
					sweepRows.push({ sc, res });
					console.log(`ours ${res.ours.msAll.join('/')} ms`);
				} catch (e) {
					sweepRows.push({ sc, error: e });
					console.log(`ERROR ${e.message}`);
				}
			}
		}
		if (!why && group.extra && !args['no-extra']) {
			for (const x of group.extra.filter(selected)) {
				process.stdout.write(`- ${x.title} … `);
				try {
					const out = await x.run(sims);
					extra.push({ x, out });
					console.log('done');
				} catch (e) {
					extra.push({ x, error: e });
					console.log(`ERROR ${e.message}`);
				}
			}
		}
		for (const s of sims.values()) await s.stop();
		sims.clear();
	}
	await closeSampler();

	// ---- report
	let passed = 0;
	let failed = 0;
	const table = [];
	for (const row of rows) {
		const { sc, res, error, skipped } = row;
		if (skipped) {
			table.push({ scenario: sc.title, note: skipped });
			continue;
		}
		if (error) {
			failed++;
			table.push({ scenario: sc.title, note: `ERROR: ${error.message.split('\n')[0]}`, pass: 'FAIL' });
			continue;
		}
		const targets = sc.targets ? sc.targets(res) : [];
		const ok = targets.every((t) => t.pass);
		if (targets.length) {
			if (ok) passed++;
			else failed++;
		}
		row.targets = targets;
		const get = (v, f) => (res[v] ? res[v][f] : undefined);
		table.push({
			scenario: sc.title,
			requests: ['limit', 'ours', 'instead'].map((v) => get(v, 'requests') ?? '–').join(' / '),
			logins: ['limit', 'ours', 'instead'].map((v) => get(v, 'logins') ?? '–').join(' / '),
			oursLimit: res.limit ? fmtRatio(res.ours.ms / res.limit.ms) : '–',
			oursInstead: res.instead ? fmtRatio(res.ours.ms / res.instead.ms) : '–',
			floor: res.floor ? fmtRatio(res.floor.ms / res.limit.ms) : '',
			newConn: res.limitNewConn ? fmtRatio(res.ours.ms / res.limitNewConn.ms) : '',
			times: ['limit', 'ours', 'instead'].map((v) => (res[v] ? Math.round(res[v].ms) : '–')).join(' / '),

			peakOurs: fmtMb(res.ours.peakMb),
			peakOthers: ['limit', 'instead'].map((v) => (res[v] ? fmtMb(res[v].peakMb) : '–')).join(' / '),
			target: targets.map((t) => t.name).join('; '),
			pass: targets.length ? (ok ? 'pass' : `FAIL (${targets.filter((t) => !t.pass).map((t) => t.name).join('; ')})`) : '',
		});
	}

	const columns = [
		['scenario', 'scenario'],
		['requests', 'requests L/O/I'],
		['logins', 'logins L/O/I'],
		['times', 'ms L/O/I'],
		['oursLimit', 'ours/limit'],
		['oursInstead', 'ours/instead'],
		['newConn', 'ours/limit-nc'],
		['floor', 'floor/limit'],
		['peakOurs', 'peak RSS ours'],
		['peakOthers', 'peak L/I'],
		['target', 'target'],
		['pass', 'pass'],
	];
	console.log('');
	console.log(fmtTable(columns, table, 'text'));

	const sweepColumns = [['size', 'setting'], ['requests', 'requests'], ['limitMs', 'limit ms'], ['oursMs', 'ours ms'], ['ratio', 'ours/limit'], ['nc', 'ours/limit-nc'], ['perPage', 'limit ms/request'], ['peakLimit', 'peak limit'], ['peakOurs', 'peak ours']];
	const sweepTable = sweepRows.map(({ sc, res, error }) => (error ? { size: `${sc.title}`, note: `ERROR ${error.message}` } : {
		size: `${sc.sim.kind.toUpperCase()} ${typeof sc.pageSize === 'number' ? `page size ${sc.pageSize}` : sc.pageSize}`,
		requests: res.ours.requests,
		limitMs: Math.round(res.limit.ms),
		oursMs: Math.round(res.ours.ms),
		ratio: fmtRatio(res.ours.ms / res.limit.ms),
		nc: res.limitNewConn ? fmtRatio(res.ours.ms / res.limitNewConn.ms) : '',
		perPage: (res.limit.ms / Math.max(1, res.limit.requests - res.limit.logins)).toFixed(1),
		peakLimit: fmtMb(res.limit.peakMb),
		peakOurs: fmtMb(res.ours.peakMb),
	}));
	if (sweepRows.length) {
		console.log('');
		console.log('Sweeps (KACE Return All page size; SPS Full Record concurrency; best of rounds):');
		console.log(fmtTable(sweepColumns, sweepTable, 'text'));
	}
	for (const { x, out, error } of extra) {
		console.log('');
		console.log(`${x.title}:`);
		console.log(error ? `  ERROR ${error.message}` : x.format(out));
	}

	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	console.log('');
	console.log(`bench finished in ${seconds} s`);

	const report = {
		at: new Date().toISOString(), node: process.version, rounds: ROUNDS, seconds: Number(seconds), versions,
		rows: rows.map(({ sc, res, error, skipped, targets }) => ({ id: sc.id, title: sc.title, skipped, error: error?.message, targets, res })),
		sweep: sweepRows.map(({ sc, res, error }) => ({ id: sc.id, pageSize: sc.pageSize, res, error: error?.message })),
		extra: extra.map(({ x, out, error }) => ({ id: x.id, out, error: error?.message })),
	};
	const jsonFile = typeof args.json === 'string' ? args.json : path.join(__dirname, 'results.json');
	fs.writeFileSync(jsonFile, JSON.stringify(report, null, 1));
	if (typeof args.md === 'string' || args.md) {
		const mdFile = typeof args.md === 'string' ? args.md : path.join(__dirname, 'results.md');
		let md = fmtTable(columns, table, 'md');
		if (sweepRows.length) md += `\n\n${fmtTable(sweepColumns, sweepTable, 'md')}`;
		for (const { x, out, error } of extra) md += `\n\n${x.title}:\n\n${error ? `ERROR ${error.message}` : x.format(out, 'md')}`;
		fs.writeFileSync(mdFile, md + '\n');
	}
	console.log(`${passed} passed, ${failed} failed`);
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(e) => {
		console.error(e);
		process.exit(2);
	},
);
