'use strict';
/**
 * SPS sessions, now and inside (issue 14): Active Session → Get Many (who is connected where, now: the audit search
 * with active:true, paged exactly) and Get (by recording session ID or audit key), Terminate with its picker and in
 * an SPS cluster (which node may close which session, and what the error says), Audit Session → Search Content
 * (`…/content/?q=`, refused before any request when q is empty or starts with *) and Get Trail Downloads (who
 * downloaded the recording), both paged exactly; the session pickers. Through the real n8n engine, node version 1.1.
 */
const { Engine, assertNoSecrets } = require('./harness');
const { startSpsFixture, pinSpsVersion } = require('./sim/sps');

pinSpsVersion(1.1);

const CRED = 'safeguardSpsApi';
const NODE = 'safeguardSps';
const ACTIVE_FIELDS =
	'start_time,creation_time,active,protocol,user.name,user.gateway_username,user.server_username,client.ip,recording.target.ip,recording.target.port,recording.connection_policy,recording.session_id,node_id';

const outputs = [];
const sims = [];
const keep = (r) => {
	outputs.push(r.items, r.error && { message: r.error.message, description: r.error.description });
	return r;
};
const byId = (value) => ({ __rl: true, mode: 'id', value });
const fromList = (value) => ({ __rl: true, mode: 'list', value });
const log = (sim, mark) => sim.requests.slice(mark).map((q) => `${q.method} ${q.path} ${q.status}`);
/** The warning of a run: `_warning` on the first item, which must also be the only execution hint. */
function warningOf(r) {
	const hints = r.run.data.resultData.runData.Node[0].hints ?? [];
	const warning = r.items[0]?._warning;
	expect(hints).toEqual(warning === undefined ? [] : [{ message: warning, type: 'warning', location: 'outputPane' }]);
	return warning;
}
async function fixture(options) {
	const f = await startSpsFixture(options);
	sims.push(f.sim);
	return { f, engine: new Engine({ [CRED]: f.password() }) };
}

afterAll(async () => {
	for (const sim of sims) await sim.stop();
	assertNoSecrets(['Admin-Passw0rd!', ...sims.flatMap((s) => [...s.state.sessions.keys()])], outputs);
});

describe('Active Session → Get Many: who is connected where, now', () => {
	let f;
	let engine;
	beforeAll(async () => {
		({ f, engine } = await fixture({ sessions: 40, activeSessions: 0 }));
		// 1,203 running sessions among 40 closed ones: three pages of 500
		f.sim.addSessions(1203, { startMs: f.sim.clock.now() - 3 * 3600_000, stepMs: 1000, active: true });
	});

	test('the audit search with active:true, the who/where/since fields, newest first; 3 requests for 1,203 running sessions; flat items', async () => {
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'getMany', returnAll: true }));
		expect(r.error).toBeUndefined();
		const running = f.sim.state.audit.filter((s) => s.body.active);
		expect(r.items).toHaveLength(1203);
		expect(new Set(r.items.map((i) => i.key))).toEqual(new Set(running.map((s) => s.key)));
		const pages = f.sim.requests.slice(mark).filter((q) => q.path === '/api/audit/sessions');
		expect(pages).toHaveLength(3);
		for (const q of pages) expect(q.query).toMatchObject({ q: 'active:true', fields: ACTIVE_FIELDS, sort: '-start_time' });
		expect(log(f.sim, mark).filter((l) => !l.startsWith('GET /api/audit/sessions ') && !l.startsWith('GET /api/authentication'))).toEqual([]);
		// flat: who, from where to where, since when, the IDs to act on
		const newest = running[running.length - 1];
		expect(r.items[0]).toEqual({
			key: newest.key,
			sessionId: newest.body.recording.session_id,
			protocol: newest.body.protocol,
			active: true,
			start: newest.body.start_time,
			user: newest.body.user.name,
			...(newest.body.user.gateway_username ? { gatewayUser: newest.body.user.gateway_username } : {}),
			serverUser: newest.body.user.server_username.join(', '),
			clientIp: newest.body.client.ip,
			targetIp: newest.body.recording.target.ip,
			targetPort: newest.body.recording.target.port,
			connectionPolicy: newest.body.recording.connection_policy,
			node: 'sps-node-1',
		});
		expect(r.items.every((i) => Object.values(i).every((v) => v === null || typeof v !== 'object'))).toBe(true);
		expect(warningOf(r)).toBeUndefined();
		console.log(`[request count] Active Session → Get Many, 1,203 running sessions: ${pages.length} requests`);
	});

	test('the Query narrows the running sessions; alternatives (OR) stay together', async () => {
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'getMany', query: 'protocol:RDP OR user.name:user3', returnAll: true }));
		expect(f.sim.requests[f.sim.requests.length - 1].query.q).toBe('(protocol:RDP OR user.name:user3) AND active:true');
		const expected = f.sim.state.audit.filter((s) => s.body.active && (s.body.protocol === 'RDP' || s.body.user.name === 'user3'));
		expect(r.items.map((i) => i.key).sort()).toEqual(expected.map((s) => s.key).sort());
		expect(f.sim.requests.slice(mark).filter((q) => q.path === '/api/audit/sessions')).toHaveLength(1);
	});

	test('a session that ends is not listed any more; Simplify off gives the records as SPS returns them', async () => {
		const gone = f.sim.state.audit.filter((s) => s.body.active)[0];
		f.sim.endSession(gone.key);
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'getMany', limit: 2000, simplify: false }));
		expect(r.items.map((i) => i.key)).not.toContain(gone.key);
		expect(r.items).toHaveLength(1202);
		expect(r.items[0]).toMatchObject({ key: expect.any(String), href: expect.stringMatching(/^\/api\/audit\/sessions\//), user: { name: expect.any(String) }, recording: { session_id: expect.any(String) } });
	});

	test('SPS counts running sessions it does not list (hidden): the shortfall is said', async () => {
		const { f: g, engine: e } = await fixture({ sessions: 0, activeSessions: 6, countHidden: true });
		g.sim.hideSessions([g.sim.state.audit[0].key]);
		const r = keep(await e.runNode(NODE, CRED, { resource: 'activeSession', operation: 'getMany', returnAll: true }));
		expect(r.items).toHaveLength(5);
		expect(warningOf(r)).toContain('SPS reported 6 matching active sessions (match_count) but served only 5');
	});
});

describe('Active Session → Get', () => {
	let f;
	let engine;
	beforeAll(async () => {
		({ f, engine } = await fixture({ sessions: 5, activeSessions: 2 }));
	});

	test('by recording session ID (picker value): the search finds its key, then the session is read — 2 requests', async () => {
		const s = f.sim.state.audit.find((x) => x.body.active);
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'get', sessionId: fromList(s.body.recording.session_id) }));
		expect(r.error).toBeUndefined();
		expect(r.items).toEqual([expect.objectContaining({ key: s.key, sessionId: s.body.recording.session_id, active: true, user: s.body.user.name, targetIp: s.body.recording.target.ip })]);
		const reqs = f.sim.requests.slice(mark).filter((q) => !q.path.startsWith('/api/authentication'));
		expect(reqs.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /api/audit/sessions', `GET /api/audit/sessions/${s.key}`]);
		expect(reqs[0].query.q).toBe(`recording.session_id:"${s.body.recording.session_id}"`);
	});

	test('by audit key: 1 request; Simplify off: the full record', async () => {
		const s = f.sim.state.audit.filter((x) => x.body.active)[1];
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'get', sessionId: byId(s.key), simplify: false }));
		expect(r.items[0]).toMatchObject({ key: s.key, recording: s.body.recording, client: s.body.client, analytics: expect.any(Object) });
		expect(f.sim.requests.slice(mark).filter((q) => !q.path.startsWith('/api/authentication'))).toHaveLength(1);
	});

	test('a session that has ended, and an ID SPS does not know: clear errors', async () => {
		const closed = f.sim.state.audit.find((x) => !x.body.active);
		const ended = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'get', sessionId: byId(closed.body.recording.session_id) }));
		expect(ended.error.message).toBe(`Session ${closed.body.recording.session_id} is not active any more (it ended at ${closed.body.end_time})`);
		expect(ended.error.description).toContain('Audit Session → Get');
		const unknown = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'get', sessionId: byId('svc/unknown/ssh-prod:999') }));
		expect(unknown.error.message).toBe('SPS lists no session with the recording session ID svc/unknown/ssh-prod:999');
		expect(unknown.error.description).toContain('Search Master');
	});
});

describe('Active Session → Terminate in an SPS cluster', () => {
	test('the Search Master terminates a session its Search Minion records (picker value, 1 request)', async () => {
		const { f, engine } = await fixture({ sessions: 0, activeSessions: 0, cluster: { nodeId: 'master', role: 'search-master' } });
		const [s] = f.sim.addSessions(1, { active: true, body: { node_id: 'minion-2' } });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'terminate', sessionId: fromList(s.body.recording.session_id) }));
		expect(r.items).toEqual([{ sessionId: s.body.recording.session_id, terminated: true }]);
		expect(s.body.active).toBe(false);
		expect(f.sim.requests.slice(mark).filter((q) => q.method === 'DELETE')).toHaveLength(1);
	});

	test('a Search Minion cannot close a session another node records: the error names that node, this node’s roles and where to go', async () => {
		const { f, engine } = await fixture({ sessions: 0, activeSessions: 0, cluster: { nodeId: 'minion-1', role: 'search-minion' } });
		const [s] = f.sim.addSessions(1, { active: true, body: { node_id: 'minion-2' } });
		// the minion's search does not list the other node's session, so the audit key is unknown here: give the recording ID
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'terminate', sessionId: byId(s.body.recording.session_id) }));
		expect(r.error.message).toBe(`SPS found no active session with the ID ${s.body.recording.session_id}, and its search lists no such session on this node`);
		expect(r.error.description).toContain('the Search Master terminates the sessions of its Search Minions');
		expect(r.error.description).toContain('This node reports the roles search-minion.');
		expect(s.body.active).toBe(true);
		// 1 DELETE (never resent), then 2 reads that explain it
		expect(log(f.sim, mark).filter((l) => !l.startsWith('GET /api/authentication'))).toEqual([
			'DELETE /api/active-sessions 404',
			'GET /api/audit/sessions 200',
			'GET /api/info 200',
		]);
	});

	test('the Search Master lists a session of a Search Local node but cannot close it: the error names that node (by audit key, 3 requests)', async () => {
		// READING listLocalNodes: the master's search shows the Search Local node's sessions (not documented either way)
		const { f, engine } = await fixture({ sessions: 0, activeSessions: 0, cluster: { nodeId: 'master', role: 'search-master', localNodes: ['local-7'], listLocalNodes: true } });
		const [s] = f.sim.addSessions(1, { active: true, body: { node_id: 'local-7' } });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'activeSession', operation: 'terminate', sessionId: byId(s.key) }));
		expect(r.error.message).toBe(`SPS could not terminate session ${s.body.recording.session_id} from this node: SPS lists it as running, recorded on cluster node "local-7"`);
		expect(r.error.description).toContain('a session recorded on a Search Local node can be terminated only on that node');
		expect(r.error.description).toContain('This node reports the roles search-master.');
		expect(r.error.description).toContain('or at node "local-7" itself');
		expect(r.error.description).toContain('Nothing was terminated.');
		expect(s.body.active).toBe(true);
		expect(log(f.sim, mark).filter((l) => !l.startsWith('GET /api/authentication'))).toEqual([
			`GET /api/audit/sessions/${s.key} 200`,
			'DELETE /api/active-sessions 404',
			'GET /api/info 200',
		]);
	});
});

describe('Audit Session → Search Content and Get Trail Downloads', () => {
	let f;
	let engine;
	let s;
	beforeAll(async () => {
		({ f, engine } = await fixture({ sessions: 3, activeSessions: 0 }));
		s = f.sim.state.audit[1];
		// 1,234 lines typed in one long session, 617 of them with "iptables"
		f.sim.addContent(
			s.key,
			Array.from({ length: 1234 }, (_, i) => ({ content: i % 2 ? `$ man iptables page ${i}` : `$ ls /tmp/${i}`, time: new Date(Date.parse(s.body.start_time) + i * 1000).toISOString() })),
		);
	});

	test('GET …/content/?q= (documented form, q URL-encoded once), paged exactly: Return All gives every match once, 2 requests', async () => {
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'searchContent', sessionKey: fromList(s.key), contentQuery: 'man iptables', returnAll: true }));
		expect(r.error).toBeUndefined();
		const reqs = f.sim.requests.slice(mark).filter((q) => q.path.includes('/content'));
		expect(reqs.map((q) => q.path)).toEqual([`/api/audit/sessions/${s.key}/content/`, `/api/audit/sessions/${s.key}/content/`]);
		expect(reqs[0].rawQuery).toContain('q=man%20iptables');
		expect(r.items).toHaveLength(617);
		expect(new Set(r.items.map((i) => i.id)).size).toBe(617);
		expect(r.items[0]).toEqual({ sessionKey: s.key, id: `${s.key}-c104`, time: expect.any(String), type: 'command', content: '$ man iptables page 1', channel: 2 });
		expect(warningOf(r)).toBeUndefined();
	});

	test('empty, blank or *-leading expressions are refused before any request, saying why', async () => {
		// left empty in the editor, n8n itself refuses the required field before running
		const mark0 = f.sim.requests.length;
		await expect(engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'searchContent', sessionKey: byId(s.key), contentQuery: '', returnAll: true })).rejects.toThrow(
			'Parameter "Search Expression" is required.',
		);
		expect(f.sim.requests.slice(mark0)).toEqual([]);
		for (const [q, message] of [
			['={{ "" }}', 'Enter what to search for in the session content'],
			['   ', 'Enter what to search for in the session content'],
			['*tables', 'The search expression "*tables" starts with the * wildcard, which SPS does not allow'],
		]) {
			const mark = f.sim.requests.length;
			const r = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'searchContent', sessionKey: byId(s.key), contentQuery: q, returnAll: true }));
			expect(r.error.message).toBe(message);
			expect(f.sim.requests.slice(mark)).toEqual([]);
		}
	});

	test('a Limit, an unindexed session (no matches), Simplify off', async () => {
		const limited = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'searchContent', sessionKey: byId(s.key), contentQuery: 'iptables', limit: 3, simplify: false }));
		expect(limited.items).toHaveLength(3);
		expect(limited.items[0]).toEqual({ sessionKey: s.key, channel_id: 2, content: '$ man iptables page 1', record_id: `${s.key}-c104`, time: expect.any(String), type: 'command' });
		const other = f.sim.state.audit[2];
		other.body.recording.index_status = 'NOT_INDEXED';
		const none = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'searchContent', sessionKey: byId(other.key), contentQuery: 'sudo', returnAll: true }));
		expect(none.error).toBeUndefined();
		expect(none.items).toEqual([]);
	});

	test('an SPS without the content endpoint (404): a clear message, no crash', async () => {
		f.sim.faults.add({ method: 'GET', path: /\/content\/$/, status: 404, body: { error: { code: 'NotFound', details: { message: 'The requested resource was not found' } } } });
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'searchContent', sessionKey: byId(s.key), contentQuery: 'sudo', returnAll: true }));
		expect(r.error.message).toBe(`SPS has nothing at /api/audit/sessions/${s.key}/content (HTTP 404, "NotFound: The requested resource was not found")`);
		expect(r.error.description).toContain('some endpoints exist only in newer SPS versions');
	});

	test('who downloaded the recording: …/trail_downloads paged exactly (entries without an id), 2 requests for 612', async () => {
		const t0 = Date.parse('2026-02-01T10:00:00.000Z');
		for (let i = 0; i < 612; i++) f.sim.addTrailDownload(s.key, { username: `auditor${i % 7}`, ip_address: `10.20.30.${i % 250}`, time: new Date(t0 + i * 1000).toISOString(), from_api: i % 3 === 0 });
		const mark = f.sim.requests.length;
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'getTrailDownloads', sessionKey: byId(s.key), returnAll: true }));
		expect(r.items).toHaveLength(612);
		expect(new Set(r.items.map((i) => i.time)).size).toBe(612);
		expect(r.items[0]).toEqual({ sessionKey: s.key, time: '2026-02-01T10:00:00.000Z', user: 'auditor0', ip: '10.20.30.0', fromApi: true });
		expect(f.sim.requests.slice(mark).filter((q) => q.path.endsWith('/trail_downloads'))).toHaveLength(2);
		const none = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'getTrailDownloads', sessionKey: byId(f.sim.state.audit[0].key), returnAll: true }));
		expect(none.items).toEqual([]);
	});

	test('Return All of the trail downloads while someone downloads again between pages: every download once', async () => {
		const key = f.sim.state.audit[0].key;
		const t0 = Date.parse('2026-03-01T10:00:00.000Z');
		for (let i = 0; i < 700; i++) f.sim.addTrailDownload(key, { username: 'u', ip_address: '10.0.0.1', time: new Date(t0 + i * 1000).toISOString() });
		let n = 0;
		f.sim.onRequest = (ctx) => {
			if (ctx.entry.path.endsWith('/trail_downloads') && ++n === 2) f.sim.addTrailDownload(key, { username: 'late', time: new Date(t0 + 999_000).toISOString() });
		};
		const r = keep(await engine.runNode(NODE, CRED, { resource: 'auditSession', operation: 'getTrailDownloads', sessionKey: byId(key), returnAll: true }));
		f.sim.onRequest = undefined;
		expect(new Set(r.items.map((i) => `${i.user}@${i.time}`)).size).toBe(r.items.length);
		expect(r.items.length).toBeGreaterThanOrEqual(700);
	});
});

describe('session pickers', () => {
	let f;
	let engine;
	beforeAll(async () => {
		({ f, engine } = await fixture({ sessions: 150, activeSessions: 3 }));
	});

	test('Audit Session: recent sessions newest first, 100 per page with a next-page token, searchable; names say who, where, when', async () => {
		const first = await engine.loadOptions(NODE, CRED, 'listSearch', 'searchAuditSessions');
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('100');
		const newest = f.sim.state.audit[f.sim.state.audit.length - 1];
		expect(first.results[0]).toEqual({
			name: `${newest.body.user.name} from ${newest.body.client.ip} → ${newest.body.recording.target.ip} (${newest.body.protocol}, ${newest.body.start_time.replace('.000Z', 'Z')})`,
			value: newest.key,
		});
		const second = await engine.loadOptions(NODE, CRED, 'listSearch', 'searchAuditSessions', {}, undefined, first.paginationToken);
		expect(second.results).toHaveLength(53);
		expect(second.paginationToken).toBeUndefined();
		const filtered = await engine.loadOptions(NODE, CRED, 'listSearch', 'searchAuditSessions', {}, 'user3 from');
		expect(filtered.results.length).toBeGreaterThan(0);
		expect(filtered.results.every((r) => r.name.startsWith('user3 from'))).toBe(true);
	});

	test('Active Session: only running sessions, valued by their recording session ID', async () => {
		const r = await engine.loadOptions(NODE, CRED, 'listSearch', 'searchActiveSessions');
		const running = f.sim.state.audit.filter((s) => s.body.active);
		expect(r.results.map((x) => x.value).sort()).toEqual(running.map((s) => s.body.recording.session_id).sort());
		expect(f.sim.requests[f.sim.requests.length - 1].query.q).toBe('active:true');
	});
});
