'use strict';
/**
 * Peak-memory run of ONE variant of ONE scenario in a fresh process (forked by bench/run.js).
 *
 * In the long-lived benchmark process the V8 heap has already grown from earlier runs, so the RSS hardly moves
 * and a peak measured there says little. Here the process has only loaded the code (harness, engine, nodes) and
 * set the variant up (engine, login where the scenario does it in setup); then one run is measured with the RSS
 * sampler (bench/lib/measure.js). Argument: JSON {appliance, scenarioId, variant, sim: {url, credential, caPem}}.
 * Prints one JSON line: {peakMb, retainedHeapMb, retainedBuffersMb, ms}.
 */
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
const path = require('node:path');
const { measure, closeSampler } = require('./lib/measure');
const n8n = require('./lib/n8n');

async function main() {
	const job = JSON.parse(process.argv[2]);
	n8n.loadBaseNodes();
	const group = require(path.join(__dirname, 'scenarios', `${job.appliance}.js`));
	const sc = [...group.scenarios, ...(group.sweep ?? [])].find((s) => s.id === job.scenarioId);
	const variant = sc.variants[job.variant];
	const noProbe = () => {
		throw new Error('simulator probes are not available in the memory run');
	};
	const sim = { ...job.sim, probe: noProbe, call: noProbe, stats: noProbe, reset: async () => {} };
	const state = await variant.setup(sim);
	if (variant.warm) await variant.warm(state, sim);
	const m = await measure(() => variant.run(state, sim));
	if (variant.teardown) await variant.teardown(state);
	await closeSampler();
	process.stdout.write(`${JSON.stringify(m)}\n`);
}

main().then(
	() => process.exit(0),
	(e) => {
		process.stderr.write(`${e.stack ?? e}\n`);
		process.exit(1);
	},
);
