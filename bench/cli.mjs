#!/usr/bin/env node
// The Return All scenarios through the REAL n8n CLI: `n8n execute --id` of n8n 2.41.1 (Node 24, the runtime of
// scripts/n8n-runtime.mjs), the package copied into the user folder's .n8n/nodes as for users, the credentials
// imported (encrypted in n8n's SQLite database).
//
//   node bench/cli.mjs [--only=kace,vsa,sps] [--rounds=3] [--json] [--profile=DIR] [--page-size=500] [--timeline]
//
// --profile=DIR writes a V8 CPU profile of every `n8n execute` process of Ours into DIR (open in Chrome DevTools).
// --timeline prints, for Ours, when each request reached the simulator and how long the simulator took with it.
//
// `n8n execute` costs 4–9 s of start-up per call, far more than the work, so wall time per process says nothing.
// What is compared is the time n8n itself records for the nodes in the run data it prints (`executionTime` of
// each node's run): Ours = our node; Instead = the HTTP Request node(s) + Split Out, as a user would build them;
// Limit = the raw keep-alive axios client of bench/lib/limit-*.js, warm in this process and cold in a fresh
// process of the runtime's Node like each `n8n execute`, against the same simulator (its own process,
// bench/sim-host.js), rounds interleaved. Requests and logins are counted at the simulator for each execution.
// With --json the result is printed as one JSON line.
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
const { limitFor } = require('./lib/limit-once');
const { pagination } = require('./lib/http-request-params');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const LINE = 'v2';
const PKG = 'n8n-nodes-it-appliances';
const MANUAL = 'n8n-nodes-base.manualTrigger';
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
	const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
	return m ? [m[1], m[2] ?? true] : [a, true];
}));
const ROUNDS = Number(args.rounds ?? 3);
const PAGE = Number(args['page-size'] ?? 500);

const http = (credType, id, parameters, name = 'HTTP Request') => [
	name,
	'n8n-nodes-base.httpRequest',
	{ authentication: 'predefinedCredentialType', nodeCredentialType: credType, options: {}, ...parameters },
	{ credentials: { [credType]: { id, name: 'bench' } }, typeVersion: 4.2 },
];
const splitOut = (field) => ['Split Out', 'n8n-nodes-base.splitOut', { fieldToSplitOut: field, include: 'noOtherFields', options: {} }];
const chain = (nodes) => nodes.slice(1).map((n, i) => [nodes[i][0], n[0]]);

/** The scenarios: the same work as bench/scenarios/*.js "Return All" rows. */
const SCENARIOS = [
	{
		id: 'kace',
		title: 'KACE Return All 20,000 machines',
		sim: ['kace', { machines: 20_000 }],
		rows: 20_000,
		credType: 'kaceSmaApi',
		credId: 'benchKaceCred001',
		credential: (sim) => ({ baseUrl: sim.url, username: 'admin', password: 'S3cret-pass!', organization: '', apiVersion: '5', totpSecret: '', caCertificate: '', allowUnauthorizedCerts: false, session: '' }),
		ours: [`${PKG}.kaceSma`, { resource: 'machine', operation: 'getMany', returnAll: true, filters: {}, options: PAGE === 500 ? {} : { pageSize: PAGE } }],
		instead: (sim, id) => [
			http('kaceSmaApi', id, {
				method: 'GET',
				url: `${sim.url}/api/inventory/machines`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'use_count', value: 'false' }, { name: 'sorting', value: 'id' }] },
				options: pagination('paging', `=limit ${PAGE} offset {{ $pageCount * ${PAGE} }}`, `={{ $response.body.Machines.length < ${PAGE} }}`),
			}),
			splitOut('Machines'),
		],
		limit: (sim) => ({ kind: 'kace', url: sim.url, password: 'S3cret-pass!', pageSize: PAGE }),
	},
	{
		id: 'vsa',
		title: 'VSA Return All 5,000 agents',
		sim: ['vsa', { agents: 5_000 }],
		rows: 5_000,
		credType: 'kaseyaVsaApi',
		credId: 'benchVsaCred0001',
		credential: (sim) => ({ ...sim.credential, session: '' }),
		ours: [`${PKG}.kaseyaVsa`, { resource: 'agent', operation: 'getMany', returnAll: true }],
		instead: (sim, id) => [
			http('kaseyaVsaApi', id, {
				method: 'GET',
				url: `${sim.url}/api/v1.0/assetmgmt/agents`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: '$top', value: '100' }] },
				options: pagination('$skip', '={{ $pageCount * 100 }}', '={{ $response.body.Result.length < 100 }}'),
			}),
			splitOut('Result'),
		],
		limit: (sim) => ({ kind: 'vsa', credential: sim.credential }),
	},
	{
		id: 'sps',
		title: 'SPS search returning 2,000 sessions with bodies (Full Record, HTTP)',
		sim: ['sps', { sessions: 2_000, tls: false }],
		rows: 2_000,
		credType: 'safeguardSpsApi',
		credId: 'benchSpsCred0001',
		credential: (sim) => ({ ...sim.credential, session: '' }),
		ours: [`${PKG}.safeguardSps`, { resource: 'auditSession', operation: 'search', query: '', sessionData: 'full', returnAll: true, options: { concurrency: 8 } }],
		instead: (sim, id) => [
			http('safeguardSpsApi', id, {
				method: 'GET',
				url: `${sim.url}/api/audit/sessions`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'limit', value: '500' }] },
				options: pagination('offset', '={{ $pageCount * 500 }}', '={{ $response.body.items.length < 500 }}'),
			}, 'Search'),
			splitOut('items'),
			http('safeguardSpsApi', id, { method: 'GET', url: `=${sim.url}{{ $json.meta.href }}` }, 'Get Session'),
		],
		limit: (sim) => ({ kind: 'sps', credential: sim.credential, concurrency: 8 }),
	},
];

/** The Limit in a fresh process on the runtime's Node (bench/lib/limit-once.js). */
async function coldLimit(nodeBin, spec, rows) {
	const { stdout } = await promisify(execFile)(nodeBin, [path.join(HERE, 'lib', 'limit-once.js'), JSON.stringify(spec)], { cwd: ROOT, maxBuffer: 1 << 20 });
	const r = JSON.parse(stdout.trim().split('\n').pop());
	if (r.rows !== rows) throw new Error(`cold limit: ${r.rows} rows instead of ${rows}`);
	return r.ms;
}

/** executionTime and output size of every non-trigger node of a run. */
function nodeTimes(run) {
	const out = {};
	for (const [name, runs] of Object.entries(run?.data?.resultData?.runData ?? {})) {
		const r = runs[0];
		if (r.error) throw new Error(`node "${name}" failed: ${r.error.message}`);
		out[name] = { ms: r.executionTime, items: r.data?.main?.[0]?.length ?? 0 };
	}
	delete out.Start;
	return out;
}

async function runScenario(sc, runtime, { rounds, log, profile }) {
	const sim = await startSim(...sc.sim);
	const userFolder = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-bench-cli-'));
	// the Limit warm in this process; coldLimit runs the same spec in a fresh process
	const { client, work } = limitFor(sc.limit(sim));
	try {
		await rt.linkPackage(userFolder, ROOT, { line: LINE });
		const credFile = path.join(userFolder, 'bench-credentials.json');
		await fsp.writeFile(credFile, JSON.stringify([{ id: sc.credId, name: 'bench', type: sc.credType, data: sc.credential(sim) }]), { mode: 0o600 });
		const c = await rt.n8nCommand(LINE, userFolder, ['import:credentials', `--input=${credFile}`]);
		if (c.code !== 0) throw new Error(`import:credentials failed: ${c.stderr.slice(-500)}`);
		await fsp.rm(credFile, { force: true });
		const cred = { credentials: { [sc.credType]: { id: sc.credId, name: 'bench' } } };
		const oursNodes = [['Start', MANUAL, {}], ['Ours', sc.ours[0], sc.ours[1], cred]];
		const insteadNodes = [['Start', MANUAL, {}], ...sc.instead(sim, sc.credId)];
		const wf = {
			ours: workflow(`bench${sc.id}Ours`.padEnd(16, '0'), `bench: ${sc.title} (our node)`, oursNodes, chain(oursNodes)),
			instead: workflow(`bench${sc.id}Http`.padEnd(16, '0'), `bench: ${sc.title} (HTTP Request)`, insteadNodes, chain(insteadNodes)),
		};
		const wfDir = path.join(userFolder, 'bench-workflows');
		await fsp.mkdir(wfDir, { recursive: true });
		for (const w of Object.values(wf)) await fsp.writeFile(path.join(wfDir, `${w.id}.json`), JSON.stringify(w));
		const w = await rt.n8nCommand(LINE, userFolder, ['import:workflow', '--separate', `--input=${wfDir}`]);
		if (w.code !== 0) throw new Error(`import:workflow failed: ${w.stderr.slice(-500)}`);

		const execute = async (id, env = {}, attempt = 1) => {
			await sim.reset();
			const r = await rt.n8nCommand(LINE, userFolder, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs: 300_000, env });
			const stats = await sim.stats();
			if (args.timeline) stats.timeline = await sim.timeline();
			if (r.code !== 0) throw new Error(`n8n execute --id=${id} exited ${r.code}: ${r.stderr.slice(-500)}`);
			let run;
			try {
				run = rt.parseRawOutput(r.stdout);
			} catch (e) {
				// seen once under heavy machine load: the tens of MB of run data came out cut short (exit code 0);
				// a read-only run, so it is simply run again
				if (attempt < 3) {
					log(`n8n execute --id=${id}: the printed run data was cut short (${r.stdout.length} characters); running it again`);
					return await execute(id, env, attempt + 1);
				}
				throw e;
			}
			if (run?.data?.resultData?.error) throw new Error(`n8n execute --id=${id}: ${run.data.resultData.error.message}`);
			return { times: nodeTimes(run), stats, processMs: r.ms };
		};
		const out = { id: sc.id, title: sc.title, rounds: [] };
		for (let round = 1; round <= rounds; round++) {
			await sim.reset();
			if (!client.headers) await client.login();
			const t0 = process.hrtime.bigint();
			const rows = await work();
			const limitMs = Number(process.hrtime.bigint() - t0) / 1e6;
			const limitStats = await sim.stats();
			if (rows.length !== sc.rows) throw new Error(`limit: ${rows.length} rows`);
			const limitColdMs = await coldLimit(runtime.nodeBin, sc.limit(sim), sc.rows);

			const ours = await execute(wf.ours.id, profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(profile)}` } : {});
			if (ours.times.Ours.items !== sc.rows) throw new Error(`ours: ${ours.times.Ours.items} rows`);
			const instead = await execute(wf.instead.id);
			const last = insteadNodes[insteadNodes.length - 1][0];
			if (instead.times[last].items !== sc.rows) throw new Error(`instead: ${instead.times[last].items} rows`);

			const row = {
				limitMs,
				limitColdMs,
				oursMs: ours.times.Ours.ms,
				insteadMs: Object.values(instead.times).reduce((sum, t) => sum + t.ms, 0),
				requests: { limit: limitStats.total, ours: ours.stats.total, instead: instead.stats.total },
				logins: { limit: limitStats.logins, ours: ours.stats.logins, instead: instead.stats.logins },
				processMs: { ours: ours.processMs, instead: instead.processMs },
			};
			out.rounds.push(row);
			if (args.timeline) log(`${sc.id} round ${round} ours timeline (ms from first arrival: arrival+service): ${ours.stats.timeline.map((t) => `${t.at - ours.stats.timeline[0].at}+${t.answeredAt - t.at}`).join(' ')}`);
			log(`${sc.id} round ${round}: limit ${limitMs.toFixed(0)} ms (fresh process ${limitColdMs.toFixed(0)} ms), ours ${row.oursMs} ms, instead ${row.insteadMs} ms (n8n processes ${ours.processMs} / ${instead.processMs} ms)`);
		}
		const best = (k) => Math.min(...out.rounds.map((r) => r[k]));
		out.best = { limitMs: best('limitMs'), limitColdMs: best('limitColdMs'), oursMs: best('oursMs'), insteadMs: best('insteadMs') };
		return out;
	} finally {
		client.close();
		await sim.stop();
		await fsp.rm(userFolder, { recursive: true, force: true });
	}
}

export async function benchCli({ only, rounds = ROUNDS, log = () => {}, profile = typeof args.profile === 'string' ? args.profile : undefined } = {}) {
	let runtime;
	try {
		runtime = await rt.ensureRuntime(LINE, { install: false });
	} catch (e) {
		return { skipped: e.message };
	}
	const want = only ?? (typeof args.only === 'string' ? args.only.split(',') : undefined);
	const out = { line: LINE, n8nVersion: runtime.n8nVersion, nodeVersion: runtime.nodeVersion, scenarios: [] };
	for (const sc of SCENARIOS.filter((s) => !want || want.includes(s.id))) {
		try {
			out.scenarios.push(await runScenario(sc, runtime, { rounds, log, profile }));
		} catch (e) {
			out.scenarios.push({ id: sc.id, title: sc.title, error: e.message });
			log(`${sc.id}: ERROR ${e.message}`);
		}
	}
	return out;
}

/** Text or markdown table for bench/run.js and for the console. */
export function formatCli(out, mode = 'text') {
	if (out.skipped) return `  skipped: ${out.skipped}`;
	const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
	const head = ['scenario', 'requests L/O/I', 'logins L/O/I', 'ms L / L fresh process / O / I', 'ours/limit', 'ours/limit (fresh process)', 'ours/instead'];
	const rows = out.scenarios.map((s) => {
		if (s.error) return [s.title, 'ERROR', s.error, '', '', '', ''];
		const r1 = s.rounds[0];
		const b = s.best;
		return [
			s.title,
			`${r1.requests.limit} / ${r1.requests.ours} / ${r1.requests.instead}`,
			`${r1.logins.limit} / ${r1.logins.ours} / ${r1.logins.instead}`,
			`${b.limitMs.toFixed(0)} / ${b.limitColdMs.toFixed(0)} / ${b.oursMs} / ${b.insteadMs}`,
			ratio(b.oursMs, b.limitMs),
			ratio(b.oursMs, b.limitColdMs),
			ratio(b.oursMs, b.insteadMs),
		];
	});
	const note = `n8n ${out.n8nVersion} on Node ${out.nodeVersion}, \`n8n execute --id\` per run, node times from the run data (best of rounds; requests/logins of round 1 — the session is stored after it)`;
	if (mode === 'md') {
		return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`), '', note].join('\n');
	}
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	const line = (r) => `  ${r.map((v, i) => String(v).padEnd(widths[i])).join(' | ')}`;
	return [line(head), ...rows.map(line), `  ${note}`].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	benchCli({ log: args.json ? () => {} : (m) => console.log(m) }).then(
		(out) => {
			if (args.json) console.log(JSON.stringify(out));
			else console.log(formatCli(out));
			process.exit(out.scenarios?.some((s) => s.error) ? 1 : 0);
		},
		(e) => {
			console.error(e);
			process.exit(2);
		},
	);
}
