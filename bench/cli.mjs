#!/usr/bin/env node
// The KACE Return All of 20,000 machines through the REAL n8n CLI: `n8n execute --id` of n8n 2.41.1 (Node 24,
// the runtime of scripts/n8n-runtime.mjs), the package copied into the user folder's .n8n/nodes as for users.
//
//   node bench/cli.mjs [--rounds=3] [--json] [--profile=DIR] [--page-size=500]
//
// --profile=DIR writes a V8 CPU profile of every `n8n execute` process of Ours into DIR (open in Chrome DevTools).
//
// `n8n execute` costs ~9 s of start-up per call, far more than the work, so wall time per process says nothing.
// What is compared is the time n8n itself records for the nodes in the run data it prints (`executionTime` of
// each node's run): Ours = the KACE node; Instead = the HTTP Request node (pagination) + Split Out, as a user
// would build it; Limit = the raw keep-alive axios client of bench/lib/limit-kace.js, warm in this process and
// cold in a fresh process of the runtime's Node like each `n8n execute`, against the same simulator (its own
// process, bench/sim-host.js), rounds interleaved. Requests and logins are counted at
// the simulator for each execution. With --json the result is printed as one JSON line (bench/run.js reads it).
import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import * as rt from '../scripts/n8n-runtime.mjs';
import { workflow } from '../demo/workflows.mjs';

const require = createRequire(import.meta.url);
const { startSim } = require('./lib/sims');
const { KaceLimit } = require('./lib/limit-kace');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const LINE = 'v2';
const MACHINES = 20_000;
const PASSWORD = 'S3cret-pass!';
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
	const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
	return m ? [m[1], m[2] ?? true] : [a, true];
}));
const ROUNDS = Number(args.rounds ?? 3);
const PAGE = Number(args['page-size'] ?? 500);

const CRED = { kaceSmaApi: { id: 'benchKaceCred001', name: 'KACE bench' } };
const MANUAL = 'n8n-nodes-base.manualTrigger';

function workflows(simUrl) {
	return {
		ours: workflow('benchKaceOurs001', 'bench: KACE node Return All', [
			['Start', MANUAL, {}],
			['KACE', 'n8n-nodes-it-appliances.kaceSma', { resource: 'machine', operation: 'getMany', returnAll: true, filters: {}, options: PAGE === 500 ? {} : { pageSize: PAGE } }, { credentials: CRED }],
		], [['Start', 'KACE']]),
		instead: workflow('benchKaceHttp001', 'bench: HTTP Request paginated + Split Out', [
			['Start', MANUAL, {}],
			['HTTP Request', 'n8n-nodes-base.httpRequest', {
				method: 'GET',
				url: `${simUrl}/api/inventory/machines`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'kaceSmaApi',
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'use_count', value: 'false' }, { name: 'sorting', value: 'id' }] },
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: { parameters: [{ type: 'qs', name: 'paging', value: `=limit ${PAGE} offset {{ $pageCount * ${PAGE} }}` }] },
							paginationCompleteWhen: 'other',
							completeExpression: `={{ $response.body.Machines.length < ${PAGE} }}`,
						},
					},
				},
			}, { credentials: CRED, typeVersion: 4.2 }],
			['Split Out', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'Machines', include: 'noOtherFields', options: {} }],
		], [['Start', 'HTTP Request'], ['HTTP Request', 'Split Out']]),
	};
}

/**
 * The Limit in a FRESH process on the runtime's Node (24), like each `n8n execute`: cold JIT, first connection.
 * Times only the pages (after the login), as the node's executionTime covers a stored session's pages.
 */
async function coldLimit(nodeBin, url) {
	const code = `const { KaceLimit } = require(${JSON.stringify(path.join(HERE, 'lib', 'limit-kace.js'))});
(async () => {
	const c = new KaceLimit(${JSON.stringify(url)}, { password: ${JSON.stringify(PASSWORD)} });
	await c.login();
	const t0 = process.hrtime.bigint();
	const rows = await c.allMachines(${PAGE});
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	c.close();
	console.log(JSON.stringify({ ms, rows: rows.length }));
})();`;
	const { stdout } = await promisify(execFile)(nodeBin, ['-e', code], { cwd: ROOT, maxBuffer: 1 << 20 });
	const r = JSON.parse(stdout.trim().split('\n').pop());
	if (r.rows !== MACHINES) throw new Error(`cold limit: ${r.rows} machines`);
	return r.ms;
}

function nodeRun(run, name) {
	const r = run?.data?.resultData?.runData?.[name]?.[0];
	if (!r) throw new Error(`node "${name}" did not run`);
	if (r.error) throw new Error(`node "${name}" failed: ${r.error.message}`);
	return { ms: r.executionTime, items: r.data?.main?.[0]?.length ?? 0 };
}

export async function benchCli({ rounds = ROUNDS, log = () => {}, profile = typeof args.profile === 'string' ? args.profile : undefined } = {}) {
	let runtime;
	try {
		runtime = await rt.ensureRuntime(LINE, { install: false });
	} catch (e) {
		return { skipped: e.message };
	}
	const sim = await startSim('kace', { machines: MACHINES });
	const userFolder = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-bench-cli-'));
	const limit = new KaceLimit(sim.url, { password: PASSWORD });
	try {
		await rt.linkPackage(userFolder, ROOT, { line: LINE });
		const credFile = path.join(userFolder, 'bench-credentials.json');
		await fsp.writeFile(credFile, JSON.stringify([{
			...CRED.kaceSmaApi,
			type: 'kaceSmaApi',
			data: { baseUrl: sim.url, username: 'admin', password: PASSWORD, organization: '', apiVersion: '5', totpSecret: '', caCertificate: '', allowUnauthorizedCerts: false, session: '' },
		}]), { mode: 0o600 });
		const c = await rt.n8nCommand(LINE, userFolder, ['import:credentials', `--input=${credFile}`]);
		if (c.code !== 0) throw new Error(`import:credentials failed: ${c.stderr.slice(-500)}`);
		await fsp.rm(credFile, { force: true });
		const wf = workflows(sim.url);
		const wfDir = path.join(userFolder, 'bench-workflows');
		await fsp.mkdir(wfDir, { recursive: true });
		for (const w of Object.values(wf)) await fsp.writeFile(path.join(wfDir, `${w.id}.json`), JSON.stringify(w));
		const w = await rt.n8nCommand(LINE, userFolder, ['import:workflow', '--separate', `--input=${wfDir}`]);
		if (w.code !== 0) throw new Error(`import:workflow failed: ${w.stderr.slice(-500)}`);

		const execute = async (id, env = {}) => {
			await sim.reset();
			const r = await rt.n8nCommand(LINE, userFolder, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs: 300_000, env });
			const stats = await sim.stats();
			if (r.code !== 0) throw new Error(`n8n execute --id=${id} exited ${r.code}: ${r.stderr.slice(-500)}`);
			const run = rt.parseRawOutput(r.stdout);
			if (run?.data?.resultData?.error) throw new Error(`n8n execute --id=${id}: ${run.data.resultData.error.message}`);
			return { run, stats, processMs: r.ms };
		};
		const out = { line: LINE, n8nVersion: runtime.n8nVersion, nodeVersion: runtime.nodeVersion, rounds: [] };
		for (let round = 1; round <= rounds; round++) {
			await sim.reset();
			if (!limit.headers) await limit.login();
			const t0 = process.hrtime.bigint();
			const rows = await limit.allMachines(PAGE);
			const limitMs = Number(process.hrtime.bigint() - t0) / 1e6;
			const limitStats = await sim.stats();
			if (rows.length !== MACHINES) throw new Error(`limit: ${rows.length} machines`);

			const limitColdMs = await coldLimit(runtime.nodeBin, sim.url);

			const ours = await execute(wf.ours.id, profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(profile)}` } : {});
			const kace = nodeRun(ours.run, 'KACE');
			if (kace.items !== MACHINES) throw new Error(`ours: ${kace.items} machines`);

			const instead = await execute(wf.instead.id);
			const http = nodeRun(instead.run, 'HTTP Request');
			const split = nodeRun(instead.run, 'Split Out');
			if (split.items !== MACHINES) throw new Error(`instead: ${split.items} machines`);

			const row = {
				limitMs,
				limitColdMs,
				oursMs: kace.ms,
				insteadMs: http.ms + split.ms,
				requests: { limit: limitStats.total, ours: ours.stats.total, instead: instead.stats.total },
				logins: { limit: limitStats.logins, ours: ours.stats.logins, instead: instead.stats.logins },
				processMs: { ours: ours.processMs, instead: instead.processMs },
			};
			out.rounds.push(row);
			log(`round ${round}: limit ${limitMs.toFixed(0)} ms (cold process ${limitColdMs.toFixed(0)} ms), ours ${row.oursMs} ms, instead ${row.insteadMs} ms (n8n processes ${ours.processMs} / ${instead.processMs} ms)`);
		}
		const best = (k) => Math.min(...out.rounds.map((r) => r[k]));
		out.best = { limitMs: best('limitMs'), limitColdMs: best('limitColdMs'), oursMs: best('oursMs'), insteadMs: best('insteadMs') };
		return out;
	} finally {
		limit.close();
		await sim.stop();
		await fsp.rm(userFolder, { recursive: true, force: true });
	}
}

/** Text or markdown lines for bench/run.js and for the console. */
export function formatCli(out, mode = 'text') {
	if (out.skipped) return `  skipped: ${out.skipped}`;
	const r1 = out.rounds[0];
	const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
	const head = ['way', 'node time (best of rounds)', 'requests (round 1)', 'logins (round 1)'];
	const lines = [
		['Limit (raw axios, keep-alive, warm)', `${out.best.limitMs.toFixed(0)} ms`, r1.requests.limit, r1.logins.limit],
		[`Limit in a fresh Node ${out.nodeVersion} process`, `${out.best.limitColdMs.toFixed(0)} ms`, r1.requests.limit, 1],
		['Ours (KACE node)', `${out.best.oursMs} ms`, r1.requests.ours, r1.logins.ours],
		['Instead (HTTP Request + Split Out)', `${out.best.insteadMs} ms`, r1.requests.instead, r1.logins.instead],
	];
	const summary = `ours/limit ${ratio(out.best.oursMs, out.best.limitMs)} (ours/limit in a fresh process ${ratio(out.best.oursMs, out.best.limitColdMs)}), ours/instead ${ratio(out.best.oursMs, out.best.insteadMs)} — n8n ${out.n8nVersion} on Node ${out.nodeVersion}, \`n8n execute --id\`, node times from the run data; one n8n process ≈ ${Math.round(r1.processMs.ours / 1000)} s wall (start-up included)`;
	if (mode === 'md') {
		return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...lines.map((l) => `| ${l.join(' | ')} |`), '', summary].join('\n');
	}
	return [...lines.map((l) => `  ${String(l[0]).padEnd(36)} ${String(l[1]).padStart(9)}  ${String(l[2]).padStart(4)} requests  ${l[3]} login(s)`), `  ${summary}`].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	benchCli({ log: args.json ? () => {} : (m) => console.log(m) }).then(
		(out) => {
			if (args.json) console.log(JSON.stringify(out));
			else console.log(formatCli(out));
			process.exit(0);
		},
		(e) => {
			console.error(e);
			process.exit(2);
		},
	);
}
