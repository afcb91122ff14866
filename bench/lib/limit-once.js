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

/** The Limit client of a spec and the work it times (also used warm, in process, by bench/cli.mjs). */
function limitFor(spec) {
	if (spec.kind === 'kace') {
		const client = new KaceLimit(spec.url, { password: spec.password });
		return { client, work: () => client.allMachines(spec.pageSize) };
	}
	if (spec.kind === 'vsa') {
		const client = new VsaLimit(spec.credential);
		return { client, work: () => client.list('/assetmgmt/agents') };
	}
	if (spec.kind === 'sps') {
		const client = new SpsLimit(spec.credential);
		// searchFull renews its agent (a new connection), like the other workloads after their login
		return { client, work: () => client.searchFull(spec.concurrency) };
	}
	throw new Error(`unknown kind ${spec.kind}`);
}

async function main() {
	const { client, work } = limitFor(JSON.parse(process.argv[2]));
	await client.login();
	const t0 = process.hrtime.bigint();
	const rows = await work();
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	client.close();
	console.log(JSON.stringify({ ms, rows: rows.length }));
}

if (require.main === module) {
	main().catch((e) => {
		console.error(e.message);
		process.exit(1);
	});
}

module.exports = { limitFor };
