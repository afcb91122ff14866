'use strict';
/**
 * Hostile and bad input: path-like ids, filter values with separators and quotes (must reach the appliance
 * encoded exactly once, or be refused with a clear message), enormous lists, empty required fields, base URLs
 * that are not URLs or carry credentials, queries or paths.
 */
const { forAll, count, pairing } = require('./common');
const { byId, SECRETS } = require('../lib/appliances');
const { verdict, errorText } = require('../lib/verdict');

const HOSTILE_IDS = ['../1', '..', '1/../2', '%2F', '1%2F2', '12 3', 'abc', '1;2', "1' OR '1'='1", '１２', '-1'];
const FILTER_VALUES = ['A&B #1', '50% off', 'semi;colon', 'say "hi", it\'s', 'two  spaces', 'plus+sign', 'q?x=1&y=2#frag'];
const LOGIN_PATHS = /\/(auth|authentication|login|verify_2factor|login_methods)$/i;

/** The last path segment of a request, as sent (still percent-encoded). */
const lastSegment = (path) => path.slice(path.lastIndexOf('/') + 1);
const safeDecode = (s) => {
	try {
		return decodeURIComponent(s);
	} catch {
		return undefined;
	}
};

module.exports = [
	// ids with ../, %2F, spaces, letters where numbers belong
	...forAll((a) => ({
		id: 'hostile-ids',
		title: `Get with the ids ${HOSTILE_IDS.map((x) => JSON.stringify(x)).join(' ')}`,
		expected: 'each id is refused before any request with a clear message, or reaches the appliance as ONE path segment encoded exactly once; no request outside the route',
		async run(ctx) {
			const sim = await ctx.sim();
			const r = await ctx.run(ctx.engine(sim), a.get.params(), { input: HOSTILE_IDS.map((id) => ({ id })), settings: { continueOnFail: true } });
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const prefix = a.get.path('');
			const api = sim.requests.filter((q) => !LOGIN_PATHS.test(q.path));
			const outside = api.filter((q) => !q.path.startsWith(prefix) || q.path.slice(prefix.length).includes('/') || q.path.slice(prefix.length) === '');
			v.eq(outside.map((q) => `${q.method} ${q.path}`), [], 'requests outside the route');
			v.eq(pairing(r), HOSTILE_IDS.map((_, i) => i), 'pairing');
			let refused = 0;
			let sent = 0;
			HOSTILE_IDS.forEach((id, i) => {
				const item = r.items[i] || {};
				const reached = api.filter((q) => q.path.startsWith(prefix) && safeDecode(lastSegment(q.path)) === id);
				if (reached.length) {
					sent++;
					for (const q of reached) v.eq(safeDecode(lastSegment(q.path)), id, `id ${JSON.stringify(id)} decoded once`);
				} else {
					refused++;
					v.ok(!!item.error, `id ${JSON.stringify(id)}: refused with an error item`);
					v.match(String(item.error), /not valid|invalid|must not|not a|enter/i, `id ${JSON.stringify(id)}: clear message`);
				}
			});
			// a request that reached the route must belong to one of the ids (nothing double-encoded or altered)
			const unexplained = api.filter((q) => q.path.startsWith(prefix) && !HOSTILE_IDS.includes(safeDecode(lastSegment(q.path))));
			v.eq(unexplained.map((q) => q.path), [], 'requests whose id was altered (double-encoded or normalised)');
			return v.done(`${refused} refused before any request, ${sent} sent encoded once, ${outside.length} outside the route`);
		},
	})),

	// filter values containing , ; & # % spaces and quotes
	{
		appliance: 'kace',
		id: 'hostile-filter-values',
		title: `Machine → Get Many, name equals ${FILTER_VALUES.map((x) => JSON.stringify(x)).join(' ')} and "Doe, John"`,
		expected: 'each value finds exactly its machine (encoded exactly once); values with a comma are refused before any request (KACE has no escape for it)',
		async run(ctx) {
			const values = [...FILTER_VALUES, 'Doe, John'];
			const sim = await ctx.sim({ machines: [...values.map((Name, i) => ({ Id: i + 1, Name })), { Id: 50, Name: 'A&B' }, { Id: 51, Name: '50' }] });
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'machine', operation: 'getMany', returnAll: true, filters: { conditions: [{ field: 'name', operator: 'eq', value: '={{ $json.v }}' }] }, options: {}, simplify: false,
			}, { input: values.map((v) => ({ v })), settings: { continueOnFail: true } });
			return { r, sim, values };
		},
		expect({ r, sim, values }) {
			const v = verdict();
			const out = new Map();
			(r.raw || []).forEach((o) => out.set(o.pairedItem.item, [...(out.get(o.pairedItem.item) || []), o.json]));
			values.forEach((value, i) => {
				const got = out.get(i) || [];
				if (value.includes(',')) {
					v.match(String(got[0] && got[0].error), /comma/i, 'comma value refused with a clear message');
				} else {
					v.eq(got.map((m) => m.Name), [value], `value ${JSON.stringify(value)}`);
				}
			});
			const plain = values.filter((x) => !x.includes(','));
			v.eq(count(sim, '/api/inventory/machines', 'GET'), plain.length, 'list requests (none for the comma values)');
			return v.done(`${plain.length} values matched exactly their machine; ${values.length - plain.length} comma values refused: "${(out.get(values.length - 1) || [{}])[0].error}"`);
		},
	},
	{
		appliance: 'vsa',
		id: 'hostile-filter-values',
		title: `Agent → Get Many, Computer Name equals ${[...FILTER_VALUES, "O'Brien, Sons"].map((x) => JSON.stringify(x)).join(' ')}`,
		expected: "each value finds exactly its agent: quotes doubled for OData, the whole $filter percent-encoded exactly once",
		async run(ctx) {
			const values = [...FILTER_VALUES, "O'Brien, Sons"];
			const sim = await ctx.sim({ agents: [...values.map((ComputerName) => ({ ComputerName })), { ComputerName: 'A&B' }, { ComputerName: "O'Brien" }] });
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'agent', operation: 'getMany', returnAll: true, filters: { conditions: [{ field: 'ComputerName', operator: 'eq', value: '={{ $json.v }}' }] }, combinator: 'and', options: {},
			}, { input: values.map((v) => ({ v })), settings: { continueOnFail: true } });
			return { r, values };
		},
		expect({ r, values }) {
			const v = verdict();
			const out = new Map();
			(r.raw || []).forEach((o) => out.set(o.pairedItem.item, [...(out.get(o.pairedItem.item) || []), o.json]));
			values.forEach((value, i) => v.eq((out.get(i) || []).map((x) => x.ComputerName ?? x.error), [value], `value ${JSON.stringify(value)}`));
			return v.done(`${values.filter((value, i) => (out.get(i) || []).length === 1 && out.get(i)[0].ComputerName === value).length}/${values.length} values matched exactly their agent`);
		},
	},
	{
		appliance: 'sps',
		id: 'hostile-filter-values',
		title: `Audit Session → Search, query user.name:<value> for ${[...FILTER_VALUES, 'Doe, John'].map((x) => JSON.stringify(x)).join(' ')}`,
		expected: 'each value finds exactly its session (the q parameter encoded exactly once)',
		async run(ctx) {
			const values = [...FILTER_VALUES, 'Doe, John'];
			const sim = await ctx.sim({ sessions: 5, activeSessions: 0 });
			const keys = values.map((name) => sim.addSessions(1, { body: { user: { name } }, noAlerts: true })[0].key);
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'auditSession', operation: 'search', query: "={{ 'user.name:' + $json.v }}", returnAll: true, sessionData: 'key', options: {},
			}, { input: values.map((v) => ({ v })), settings: { continueOnFail: true } });
			return { r, values, keys };
		},
		expect({ r, values, keys }) {
			const v = verdict();
			const out = new Map();
			(r.raw || []).forEach((o) => out.set(o.pairedItem.item, [...(out.get(o.pairedItem.item) || []), o.json]));
			values.forEach((value, i) => v.eq((out.get(i) || []).map((x) => x.key ?? x.error), [keys[i]], `value ${JSON.stringify(value)}`));
			return v.done(`${values.filter((_, i) => (out.get(i) || []).length === 1 && out.get(i)[0].key === keys[i]).length}/${values.length} values matched exactly their session`);
		},
	},

	// enormous lists
	{
		appliance: 'kace',
		id: 'enormous-list',
		title: 'Script → Run on 12,000 machine IDs from one item',
		expected: 'split into runs whose request line stays under Apache\'s 8,190 bytes; every machine exactly once; no 414',
		timeoutMs: 120_000,
		serial: true, // CPU-heavy: kept away from the cases that use a 1 s timeout
		async run(ctx) {
			const sim = await ctx.sim({ machines: 12000 });
			const ids = Array.from({ length: 12000 }, (_, i) => String(i + 1));
			const r = await ctx.run(ctx.engine(sim), { resource: 'script', operation: 'run', scriptId: { mode: 'id', value: '3' }, target: 'ids', machineIds: ids.join(',') });
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const runs = sim.requests.filter((q) => q.path === '/api/script/3/actions/run');
			const sent = runs.flatMap((q) => String(q.query.machineIDs || '').split(','));
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.ok(runs.every((q) => q.status === 200), 'no request refused (414)');
			v.ok(runs.every((q) => `POST ${q.path}?${q.rawQuery} HTTP/1.1`.length < 8190), 'request lines under 8,190 bytes');
			v.eq(sent.length, 12000, 'machine ids sent');
			v.eq(new Set(sent).size, 12000, 'distinct machine ids');
			return v.done(`${runs.length} runs, ${sent.length} ids sent, ${new Set(sent).size} distinct, longest line ${Math.max(...runs.map((q) => q.rawQuery.length + q.path.length + 15))} bytes`);
		},
	},
	{
		appliance: 'vsa',
		id: 'enormous-list',
		title: 'Agent Procedure → Run Now for 400 input items (400 agents)',
		expected: 'one request per agent with bounded concurrency, every agent exactly once, 400 paired outputs',
		timeoutMs: 120_000,
		serial: true, // CPU-heavy: kept away from the cases that use a 1 s timeout
		async run(ctx) {
			const sim = await ctx.sim({ agents: 400 });
			const proc = sim.procedure('Reboot Now').AgentProcedureId;
			const agents = sim.state.agents.map((x) => x.AgentId);
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'agentProcedure', operation: 'runNow', agentId: { __rl: true, mode: 'id', value: '={{ $json.agent }}' }, procedureId: byId(proc), options: {},
			}, { input: agents.map((agent) => ({ agent })) });
			return { r, sim, agents };
		},
		expect({ r, sim, agents }) {
			const v = verdict();
			const ran = sim.state.runs.map((x) => x.agentId);
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(ran.length, 400, 'runs');
			v.eq(new Set(ran).size, 400, 'distinct agents');
			v.eq(pairing(r), agents.map((_, i) => i), 'pairing');
			return v.done(`${ran.length} runs on ${new Set(ran).size} agents, ${r.items.length} paired outputs`);
		},
	},
	{
		appliance: 'sps',
		id: 'enormous-list',
		title: 'Audit Session → Search, Return All over 10,600 sessions (SPS serves the first 10,000)',
		expected: '10,000 sessions, no duplicates, a warning quoting SPS\'s match_count (10,600) and the 10,000 served, no paging loop (21 requests: 500, then 499 new per page after the one-session overlap)',
		timeoutMs: 120_000,
		serial: true, // CPU-heavy: kept away from the cases that use a 1 s timeout
		async run(ctx) {
			const sim = await ctx.sim({ sessions: 10600, activeSessions: 0, alertEvery: 0 });
			const r = await ctx.run(ctx.engine(sim), { resource: 'auditSession', operation: 'search', query: '', returnAll: true, sessionData: 'key', options: {} });
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			const keys = (r.items || []).map((x) => x.key);
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(keys.length, 10000, 'sessions');
			v.eq(new Set(keys).size, 10000, 'distinct sessions');
			v.match(String((r.items[0] || {})._warning), /10,600 sessions \(match_count\).*10,000 were returned/, 'cap warning with both numbers');
			v.eq(count(sim, '/api/audit/sessions', 'GET'), 21, 'list requests');
			return v.done(`${keys.length} sessions (${new Set(keys).size} distinct) in ${count(sim, '/api/audit/sessions', 'GET')} requests; warning: "${(r.items[0] || {})._warning}"`);
		},
	},

	// empty required fields: typed empty (n8n itself refuses to start the node) and mapped empty (the node refuses)
	...forAll((a) => ({
		id: 'empty-required-field',
		title: 'Get with an empty ID, typed and mapped from the input',
		expected: 'refused before any request, with a message saying what to fill in (typed: by n8n\'s required-parameter check; mapped: by the node)',
		async run(ctx) {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			let typed;
			try {
				typed = await ctx.run(engine, a.emptyRequired);
			} catch (error) {
				typed = { error, thrown: true };
			}
			const mapped = await ctx.run(engine, a.get.params(), { input: [{ id: '' }] });
			return { typed, mapped, sim };
		},
		expect({ typed, mapped, sim }) {
			const v = verdict();
			const api = sim.requests.filter((q) => !LOGIN_PATHS.test(q.path));
			const t1 = errorText(typed);
			const t2 = errorText(mapped);
			v.match(t1, /required|ID|key|enter|empty|has issues/i, 'typed: refused (n8n names the parameter on the node)');
			v.match(t2, /ID|key|enter|empty|required|not valid/i, 'mapped: says what is missing');
			v.eq(api.map((q) => `${q.method} ${q.path}`), [], 'requests');
			return v.done(`${api.length} requests; typed: "${t1.replace(/\s+/g, ' ')}"; mapped: "${t2}"`);
		},
	})),
	{
		appliance: 'sps',
		id: 'empty-required-field-actions',
		title: 'Terminate with a mapped empty session ID; API key create with a mapped empty name',
		expected: 'both refused before any request with a message saying what to fill in',
		async run(ctx) {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			const terminate = await ctx.run(engine, { resource: 'activeSession', operation: 'terminate', sessionId: '={{ $json.v }}' }, { input: [{ v: '' }] });
			const create = await ctx.run(engine, { resource: 'apiKey', operation: 'create', name: '={{ $json.v }}' }, { input: [{ v: '' }] });
			return { terminate, create, sim };
		},
		expect({ terminate, create, sim }) {
			const v = verdict();
			const api = sim.requests.filter((q) => !LOGIN_PATHS.test(q.path));
			v.match(errorText(terminate), /session ID/i, 'terminate says what is missing');
			v.match(errorText(create), /name/i, 'create says what is wrong');
			v.eq(api.map((q) => `${q.method} ${q.path}`), [], 'requests');
			return v.done(`"${errorText(terminate)}"; "${errorText(create)}"`);
		},
	},

	// base URLs that are not URLs, carry credentials, a query or a fragment
	...forAll((a) => ({
		id: 'bad-base-url',
		title: 'base URL: empty, "not a url", ftp://, javascript:, with user:password@, with ?query, with #fragment',
		expected: 'each refused before any request with a message about the URL field; the embedded password never appears',
		async run(ctx) {
			const sim = await ctx.sim();
			const host = sim.url.replace(/^https?:\/\//, '');
			ctx.secret('password embedded in the URL', SECRETS.urlPassword);
			const urls = ['', 'not a url', 'ftp://appliance.example.com', 'javascript:alert(1)', `http://admin:${SECRETS.urlPassword}@${host}`, `${sim.url}?tenant=1`, `${sim.url}#top`];
			const results = [];
			for (const url of urls) results.push({ url, r: await ctx.run(ctx.engine(sim, { [a.urlField]: url }), a.read.params) });
			return { results, sim };
		},
		expect({ results, sim }) {
			const v = verdict();
			for (const { url, r } of results) {
				const text = errorText(r);
				const label = JSON.stringify(url.replace(SECRETS.urlPassword, '***'));
				v.ok(!!text, `${label} fails`);
				v.match(text, /URL/, `${label}: message names the URL`);
				v.noMatch(text, /Invalid URL$|TypeError|ERR_INVALID_URL/, `${label}: not a raw parser error`);
			}
			v.eq(sim.requests.length, 0, 'requests at the appliance');
			return v.done(`${results.filter((x) => errorText(x.r)).length}/${results.length} refused, ${sim.requests.length} requests; e.g. "${errorText(results[4].r)}"`);
		},
	})),
	...forAll((a) => ({
		id: 'base-url-with-path',
		title: `base URL with the appliance's own suffix (${a.knownSuffix}) and with an unknown path (/portal/x)`,
		expected: 'the known suffix is accepted (rows); an unknown path fails with a message about the URL',
		async run(ctx) {
			const sim = await ctx.sim();
			const ok = await ctx.run(ctx.engine(sim, { [a.urlField]: `${sim.url}${a.knownSuffix}` }), a.read.params);
			const bad = await ctx.run(ctx.engine(sim, { [a.urlField]: `${sim.url}/portal/x` }), a.read.params);
			return { ok, bad };
		},
		expect({ ok, bad }) {
			const v = verdict();
			v.ok(!ok.error, `known suffix works (${errorText(ok)})`);
			v.eq((ok.items || []).length, a.read.count, 'rows');
			const text = errorText(bad);
			v.ok(!!text, 'unknown path fails');
			v.match(text, /URL|address/i, 'message about the URL');
			return v.done(`suffix: ${(ok.items || []).length} rows; /portal/x: "${text}"`);
		},
	})),
];
