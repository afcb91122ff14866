'use strict';
/**
 * Issue 12 items 8 and 9 for the SPS nodes: node version 1.1 with Simplify on every Get / Get Many (on by default;
 * version 1 keeps the full record, as saved workflows had it), consistent and useful Session Data defaults for the
 * search and the trigger (Selected Fields from 1.1: when, who and where without one request per session; version 1
 * keeps Key and Link Only / Full Record), and action names that read like n8n's own.
 */
const { Engine, assertNoSecrets, nodeTypesMap, PACKAGE } = require('./harness');
const { startSpsFixture, pinSpsVersion } = require('./sim/sps');

const CRED = 'safeguardSpsApi';
const NODE = 'safeguardSps';
const TRIGGER = 'safeguardSpsTrigger';
const node = nodeTypesMap[`${PACKAGE}.${NODE}`];
const trigger = nodeTypesMap[`${PACKAGE}.${TRIGGER}`];

let f;
let engine;
const outputs = [];
/** runs the node at a version (n8n gives a new node the default version, a saved one the version it was saved with) */
async function at(version, parameters) {
	const restore = pinSpsVersion(version);
	try {
		const r = await engine.runNode(NODE, CRED, parameters);
		outputs.push(r.items, r.error && { message: r.error.message, description: r.error.description });
		return r;
	} finally {
		restore();
	}
}
async function pollAt(version, e, parameters) {
	const restore = pinSpsVersion(version);
	try {
		const r = await e.poll(TRIGGER, CRED, parameters);
		outputs.push(r.items);
		return r;
	} finally {
		restore();
	}
}
const sessionRequests = (mark) => f.sim.requests.slice(mark).filter((q) => /^\/api\/audit\/sessions/.test(q.path));

beforeAll(async () => {
	f = await startSpsFixture({ sessions: 30, activeSessions: 2 });
	engine = new Engine({ [CRED]: f.password() });
});
afterAll(async () => {
	await f.sim.stop();
	assertNoSecrets(['Admin-Passw0rd!', ...f.sim.state.sessions.keys()], outputs);
});

describe('the declared versions', () => {
	test('both SPS nodes are versions 1 and 1.1, new nodes get 1.1', () => {
		for (const t of [node, trigger]) {
			expect(t.description.version).toEqual([1, 1.1]);
			expect(t.description.defaultVersion).toBe(1.1);
		}
	});

	test('every Get / Get Many / Search of the action node has Simplify: off on version 1, on from 1.1', () => {
		const ops = node.description.properties.filter((p) => p.name === 'operation').flatMap((p) => p.options.map((o) => [p.displayOptions.show.resource[0], o.value]));
		const reads = ops.filter(([, op]) => /^(get|getMany|getManyAdmin|getAlerts|getEvents|getTrailDownloads|search|searchContent|getHealth|getInfo|getCurrentUser)$/.test(op));
		// generic or already flat reads: a configuration path of any shape, the login methods, the transaction state
		const exempt = ['configuration/get', 'transaction/getStatus', 'transaction/getChanges', 'system/getLoginMethods'];
		const simplify = node.description.properties.filter((p) => p.name === 'simplify');
		for (const [resource, op] of reads) {
			if (exempt.includes(`${resource}/${op}`)) continue;
			const mine = simplify.filter((p) => p.displayOptions.show.resource.includes(resource) && p.displayOptions.show.operation.includes(op));
			expect([`${resource}/${op}`, mine.map((p) => [p.displayOptions.show['@version'], p.default])]).toEqual([
				`${resource}/${op}`,
				[
					[[1], false],
					[[{ _cnd: { gte: 1.1 } }], true],
				],
			]);
		}
	});

	test('action names read like n8n’s own: a verb, an article where one belongs, no "a" before a vowel', () => {
		const actions = [...node.description.properties.filter((p) => p.name === 'operation').flatMap((p) => p.options.map((o) => o.action))];
		expect(actions.length).toBeGreaterThan(30);
		for (const a of actions) {
			expect(a).toMatch(/^(Get|Create|Update|Delete|Search|Terminate|Commit|Roll back) /);
			expect(a).not.toMatch(/\ba [aeiou]/i);
			expect(a).not.toMatch(/\s$|\.$/);
		}
		expect(actions).toEqual(expect.arrayContaining(['Get many active sessions', 'Get many local users', 'Get many API keys of all users', 'Create a local user']));
	});
});

describe('Audit Session → Search: Session Data and Simplify by version', () => {
	test('version 1 (saved workflows): Key and Link Only, the full items — as before', async () => {
		const r = await at(1, { resource: 'auditSession', operation: 'search', limit: 3 });
		expect(r.items).toHaveLength(3);
		expect(r.items[0]).toEqual({ key: expect.any(String), href: `/api/audit/sessions/${r.items[0].key}` });
	});

	test('version 1.1: Selected Fields with the default fields, simplified — when, who and where in 1 request per 500 sessions', async () => {
		const mark = f.sim.requests.length;
		const r = await at(1.1, { resource: 'auditSession', operation: 'search', limit: 3 });
		const reqs = sessionRequests(mark);
		expect(reqs).toHaveLength(1);
		expect(reqs[0].query.fields).toBe(
			'start_time,creation_time,end_time,active,protocol,user.name,user.gateway_username,user.server_username,client.ip,recording.target.ip,recording.session_id',
		);
		const s = f.sim.state.audit.find((x) => x.key === r.items[0].key);
		expect(r.items[0]).toEqual({
			key: s.key,
			sessionId: s.body.recording.session_id,
			protocol: s.body.protocol,
			active: s.body.active,
			start: s.body.start_time,
			...(s.body.end_time ? { end: s.body.end_time } : {}),
			user: s.body.user.name,
			...(s.body.user.gateway_username ? { gatewayUser: s.body.user.gateway_username } : {}),
			serverUser: s.body.user.server_username.join(', '),
			clientIp: s.body.client.ip,
			targetIp: s.body.recording.target.ip,
		});
	});

	test('version 1.1 with Simplify off: the selected fields as SPS returns them (nested)', async () => {
		const r = await at(1.1, { resource: 'auditSession', operation: 'search', limit: 1, simplify: false });
		expect(r.items[0]).toMatchObject({ key: expect.any(String), href: expect.any(String), user: { name: expect.any(String) }, client: { ip: expect.any(String) } });
		expect(r.items[0].analytics).toBeUndefined();
	});
});

describe('the trigger’s New Recorded Session: the same default as the search', () => {
	const params = { event: 'newSession', query: '', options: { overlapMinutes: 0 } };

	test('version 1 (saved workflows): Full Record — one request per new session', async () => {
		const e = new Engine({ [CRED]: f.password() });
		await pollAt(1, e, params);
		f.sim.addSessions(3, { startMs: f.sim.clock.now() + 1000, stepMs: 100 });
		f.sim.clock.advance(5000);
		const mark = f.sim.requests.length;
		const r = await pollAt(1, e, params);
		expect(r.items).toHaveLength(3);
		expect(r.items[0].analytics).toBeDefined();
		expect(sessionRequests(mark).filter((q) => q.path !== '/api/audit/sessions')).toHaveLength(3);
	});

	test('version 1.1: Selected Fields with the search’s default fields — no request per session', async () => {
		const e = new Engine({ [CRED]: f.password() });
		await pollAt(1.1, e, params);
		f.sim.addSessions(3, { startMs: f.sim.clock.now() + 1000, stepMs: 100 });
		f.sim.clock.advance(5000);
		const mark = f.sim.requests.length;
		const r = await pollAt(1.1, e, params);
		expect(r.items).toHaveLength(3);
		expect(r.items[0]).toMatchObject({ key: expect.any(String), start_time: expect.any(String), user: { name: expect.any(String) }, recording: { session_id: expect.any(String) } });
		const reqs = sessionRequests(mark);
		expect(reqs.every((q) => q.path === '/api/audit/sessions')).toBe(true);
		expect(reqs[0].query.fields).toBe(node.description.properties.find((p) => p.name === 'fields' && p.displayOptions.show.resource?.includes('auditSession')).default);
	});

	test('the Session Data defaults of both nodes, per version', () => {
		const defaults = (t) =>
			t.description.properties.filter((p) => p.name === 'sessionData').map((p) => [p.displayOptions.show['@version'], p.default]);
		expect(defaults(node)).toEqual([
			[[1], 'key'],
			[[{ _cnd: { gte: 1.1 } }], 'fields'],
		]);
		expect(defaults(trigger)).toEqual([
			[[1], 'full'],
			[[{ _cnd: { gte: 1.1 } }], 'fields'],
		]);
	});
});

describe('Simplify on each Get / Get Many: small flat records at 1.1, the full record on version 1', () => {
	const flat = (item) => Object.values(item).every((v) => v === null || typeof v !== 'object');
	let key;
	beforeAll(() => {
		key = f.sim.state.audit[0].key;
		f.sim.addTrailDownload(key, { username: 'auditor' });
	});
	const cases = [
		['Audit Session → Get', () => ({ resource: 'auditSession', operation: 'get', sessionKey: key }), ['key', 'sessionId', 'protocol', 'active', 'start', 'end', 'user', 'serverUser', 'clientIp', 'targetIp', 'targetPort', 'connectionPolicy', 'node']],
		['Audit Session → Get Events', () => ({ resource: 'auditSession', operation: 'getEvents', sessionKey: key, returnAll: true }), ['sessionKey', 'id', 'time', 'type', 'action', 'channel', 'content']],
		['Audit Session → Get Trail Downloads', () => ({ resource: 'auditSession', operation: 'getTrailDownloads', sessionKey: key, returnAll: true }), ['sessionKey', 'time', 'user', 'ip', 'fromApi']],
		['Local Group → Get Many', () => ({ resource: 'localGroup', operation: 'getMany', returnAll: true }), ['key', 'name', 'members']],
		['System → Get Health', () => ({ resource: 'system', operation: 'getHealth' }), ['cpuPercent', 'memoryPercent', 'diskPercent', 'load1', 'load5', 'load15', 'sessions']],
		['System → Get Info', () => ({ resource: 'system', operation: 'getInfo' }), ['hostname', 'domainname', 'nickname', 'firmwareVersion', 'version', 'roles']],
		['System → Get Current User', () => ({ resource: 'system', operation: 'getCurrentUser' }), ['user', 'loginMethod', 'authentication', 'credential']],
	];

	test.each(cases)('%s', async (label, params, fields) => {
		const simple = await at(1.1, params());
		expect([label, simple.error]).toEqual([label, undefined]);
		expect(simple.items.length).toBeGreaterThan(0);
		for (const item of simple.items) {
			expect(flat(item)).toBe(true);
			expect(Object.keys(item).every((k) => fields.includes(k))).toBe(true);
		}
		const full = await at(1, params());
		expect(full.items.length).toBe(simple.items.length);
		expect(JSON.stringify(full.items[0]).length).toBeGreaterThan(JSON.stringify(simple.items[0]).length);
	});

	test('ids are strings; the API key list is simplified too', async () => {
		f.sim.seedApiKey('admin', 'ops_key');
		const r = await at(1.1, { resource: 'apiKey', operation: 'getMany', returnAll: true });
		expect(r.items).toEqual([{ key: expect.any(String), name: 'ops_key', user: 'admin', loginMethod: 'local' }]);
		const alerts = await at(1.1, { resource: 'auditSession', operation: 'getAlerts', sessionKey: f.sim.state.audit[6].key, returnAll: true });
		f.sim.addAlert(f.sim.state.audit[0].key, { record_id: 94 });
		const numeric = await at(1.1, { resource: 'auditSession', operation: 'getAlerts', sessionKey: f.sim.state.audit[0].key, returnAll: true });
		expect(numeric.items[0].id).toBe('94');
		expect(alerts.items[0]).toEqual({ sessionKey: f.sim.state.audit[6].key, id: expect.any(String), time: expect.any(String), rule: 'PatternMatcherRule', type: 'adp.event.command', matched: 'sudo su -', action: 'notify' });
	});

	test('a warning about the output stays on the first simplified item', async () => {
		f.sim.faults.add({ method: 'GET', path: '/api/firmware/slots', status: 403, body: { error: { code: 'Unauthorized', details: { path: '/api/firmware/slots' } } } });
		const r = await at(1.1, { resource: 'system', operation: 'getInfo' });
		expect(r.items[0]._warning).toContain('Firmware slots left out');
		expect(r.items[0].hostname).toBe('sps');
	});
});
