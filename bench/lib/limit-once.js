'use strict';
/**
 * One Limit run in a FRESH process (cold JIT, first connection), as each `n8n execute` is: used by bench/cli.mjs
 * with the n8n runtime's own Node. Logs in, then times only the work (a stored session's pages), and prints
 * {"ms": …, "rows": …}.
 *
 *   node bench/lib/limit-once.js '{"kind":"kace","url":"…","password":"…","pageSize":500}'
 *   node bench/lib/limit-once.js '{"kind":"vsa","credential":{…}}'
 *   node bench/lib/limit-once.js '{"kind":"sps","credential":{…},"concurrency":8}'
 */
const { KaceLimit } = require('./limit-kace');
const { VsaLimit, SpsLimit } = require('./limit-others');

async function main() {
	const spec = JSON.parse(process.argv[2]);
	let client;
	let work;
	if (spec.kind === 'kace') {
		client = new KaceLimit(spec.url, { password: spec.password });
		work = () => client.allMachines(spec.pageSize);
	} else if (spec.kind === 'vsa') {
		client = new VsaLimit(spec.credential);
		work = () => client.list('/assetmgmt/agents');
	} else if (spec.kind === 'sps') {
		client = new SpsLimit(spec.credential);
		// searchFull renews its agent (a new connection), like the other workloads after their login
		work = () => client.searchFull(spec.concurrency);
	} else throw new Error(`unknown kind ${spec.kind}`);
	await client.login();
	const t0 = process.hrtime.bigint();
	const rows = await work();
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	client.close();
	console.log(JSON.stringify({ ms, rows: rows.length }));
}

main().catch((e) => {
	console.error(e.message);
	process.exit(1);
});
