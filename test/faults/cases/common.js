'use strict';
/** Helpers shared by the case files. */
const { ADAPTERS } = require('../lib/appliances');

const ALL = ['kace', 'vsa', 'sps'];

/** One case per appliance: `make(adapter)` returns the case without its `appliance`. */
function forAll(make, appliances = ALL) {
	return appliances.map((id) => ({ appliance: id, ...make(ADAPTERS[id]) }));
}

/** Parameters of an adapter entry that may depend on the simulator. */
const p = (v, sim) => (typeof v === 'function' ? v(sim) : v);

/** Exact-path request count. */
function count(sim, path, method) {
	return sim.requests.filter((q) => q.path === path && (!method || q.method === method)).length;
}

/** ids of a list result: [missing, duplicated] against the expected ids. */
function compareIds(got, expected) {
	const seen = new Set();
	const dupes = [];
	for (const id of got) {
		if (seen.has(id)) dupes.push(id);
		seen.add(id);
	}
	const missing = expected.filter((id) => !seen.has(id));
	const extra = got.filter((id) => !expected.includes(id));
	return { missing, dupes, extra };
}

const pairing = (r) => (r.raw || []).map((i) => (i.pairedItem && typeof i.pairedItem === 'object' ? i.pairedItem.item : i.pairedItem));

module.exports = { forAll, p, count, compareIds, pairing, ALL };
