'use strict';
/**
 * One login per credential version and n8n process (nodes/shared/login.ts), through the real n8n engine: many
 * executions of one Engine (= one n8n process, one credential store) run AT THE SAME TIME against simulators whose
 * login takes a while, as a real appliance's does. n8n's preAuthentication has no lock of its own: without the
 * package's single-flight every execution that finds the session empty or refused logs in.
 */
const { Engine, assertNoSecrets } = require('./harness');
const { createKaceSim } = require('./sim/kace');
const { createVsaSim, vsaCredential } = require('./sim/vsa');
const { startSpsFixture } = require('./sim/sps');
const login = require('../dist/nodes/shared/login');

const N = 12;
const LOGIN_DELAY_MS = 400;

const APPLIANCES = [
	{
		name: 'KACE SMA',
		cred: 'kaceSmaApi',
		node: 'kaceSma',
		async start(options = {}) {
			const sim = createKaceSim({ machines: 120, loginDelayMs: LOGIN_DELAY_MS, ...options });
			await sim.start();
			return { sim, data: (over = {}) => ({ baseUrl: sim.url, username: 'admin', password: 'S3cret-pass!', organization: '', apiVersion: '5', totpSecret: '', session: '', ...over }) };
		},
		wrong: { password: 'Wrong-Passw0rd-1' },
		secrets: ['S3cret-pass!', 'Wrong-Passw0rd-1'],
		params: { resource: 'machine', operation: 'getMany', returnAll: true, filters: {}, options: {} },
		items: 120,
		isLogin: (q) => q.path === '/ams/shared/api/security/login',
		expireAll: (sim) => sim.expireAllSessions(),
	},
	{
		name: 'Kaseya VSA',
		cred: 'kaseyaVsaApi',
		node: 'kaseyaVsa',
		async start(options = {}) {
			const sim = createVsaSim({ agents: 120, loginDelayMs: LOGIN_DELAY_MS, ...options });
			await sim.start();
			return { sim, data: (over = {}) => vsaCredential(sim, over) };
		},
		wrong: { accessToken: '11111111-2222-3333-4444-555555555555' },
		secrets: ['00000000-0000-0000-0000-000000000000', '11111111-2222-3333-4444-555555555555'],
		params: { resource: 'agent', operation: 'getMany', returnAll: true },
		items: 120,
		isLogin: (q) => q.path.toLowerCase() === '/api/v1.0/auth',
		expireAll: (sim) => sim.expireAllTokens(),
	},
	{
		name: 'SPS',
		cred: 'safeguardSpsApi',
		node: 'safeguardSps',
		async start(options = {}) {
			const f = await startSpsFixture({ loginDelayMs: LOGIN_DELAY_MS, ...options });
			return { sim: f.sim, data: (over = {}) => f.password(over) };
		},
		wrong: { password: 'wrong-Passw0rd!' },
		secrets: ['Admin-Passw0rd!', 'wrong-Passw0rd!'],
		params: { resource: 'system', operation: 'getCurrentUser' },
		items: 1,
		isLogin: (q) => q.path === '/api/authentication',
		expireAll: (sim) => sim.clock.advance(sim.IDLE_MS + 1000),
	},
];

describe.each(APPLIANCES)('$name: one login per credential version and process', (a) => {
	let sim;
	let data;
	const outputs = [];
	afterEach(async () => {
		jest.restoreAllMocks();
		if (sim) await sim.stop();
		sim = undefined;
	});
	afterAll(() => assertNoSecrets(a.secrets, outputs));

	const loginsSince = (mark) => sim.requests.slice(mark).filter(a.isLogin);
	/** N executions started at once in one engine (one n8n process) */
	async function together(engine, n = N) {
		const runs = await Promise.all(Array.from({ length: n }, () => engine.runNode(a.node, a.cred, a.params)));
		for (const r of runs) outputs.push(r.items, r.error && { message: r.error.message, description: r.error.description });
		return runs;
	}

	test(`${N} executions started together with an empty session: ONE login, all succeed`, async () => {
		({ sim, data } = await a.start());
		const engine = new Engine({ [a.cred]: data() });
		const runs = await together(engine);
		expect(runs.map((r) => r.error?.message)).toEqual(Array(N).fill(undefined));
		for (const r of runs) expect(r.items).toHaveLength(a.items);
		expect(loginsSince(0)).toHaveLength(1);
		// the next executions use the stored session: no login at all
		const mark = sim.requests.length;
		const again = await together(engine, 4);
		expect(again.every((r) => !r.error)).toBe(true);
		expect(loginsSince(mark)).toHaveLength(0);
	});

	test(`all sessions expired, ${N} executions together: ONE renewal login, all succeed`, async () => {
		({ sim, data } = await a.start());
		const engine = new Engine({ [a.cred]: data() });
		expect((await engine.runNode(a.node, a.cred, a.params)).error).toBeUndefined();
		a.expireAll(sim);
		const mark = sim.requests.length;
		const runs = await together(engine);
		expect(runs.map((r) => r.error?.message)).toEqual(Array(N).fill(undefined));
		expect(loginsSince(mark)).toHaveLength(1);
	});

	test(`wrong password: ONE refused attempt for ${N} executions; later ones make none and say why; a changed credential tries at once`, async () => {
		({ sim, data } = await a.start());
		const engine = new Engine({ [a.cred]: data(a.wrong) });
		const runs = await together(engine);
		expect(runs.every((r) => r.status === 'error')).toBe(true);
		expect(loginsSince(0)).toHaveLength(1);

		// a later execution of the same credential version: no attempt, and the message says so and why
		const later = await engine.runNode(a.node, a.cred, a.params);
		outputs.push(later.error && { message: later.error.message, description: later.error.description });
		expect(later.status).toBe('error');
		expect(later.error.message).toMatch(/refused|failed/);
		expect(later.error.message).toContain('No login attempt was made this time');
		expect(later.error.message).toMatch(/could lock the account/);
		expect(later.error.message).toMatch(/at once when the credential is changed/);
		expect(loginsSince(0)).toHaveLength(1);

		// the user fixes the credential: the new version logs in at once, once
		engine.store[a.cred] = data();
		const fixed = await together(engine, 4);
		expect(fixed.map((r) => r.error?.message)).toEqual(Array(4).fill(undefined));
		expect(loginsSince(0)).toHaveLength(2);
	});

	test(`a refusal is remembered for ${login.REFUSED_MS / 60_000} minutes, then the same credential tries once more`, async () => {
		({ sim, data } = await a.start());
		const engine = new Engine({ [a.cred]: data(a.wrong) });
		await together(engine, 3);
		expect(loginsSince(0)).toHaveLength(1);
		const realNow = Date.now;
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + login.REFUSED_MS - 60_000);
		expect((await engine.runNode(a.node, a.cred, a.params)).error.message).toContain('No login attempt was made this time');
		expect(loginsSince(0)).toHaveLength(1);
		Date.now.mockImplementation(() => realNow() + login.REFUSED_MS + 1000);
		await together(engine, 3);
		expect(loginsSince(0)).toHaveLength(2);
	});

	test('sessions ended by every new login of the user (the other reading of the appliance): still ONE login', async () => {
		({ sim, data } = await a.start({ loginEndsEarlierSessions: true }));
		const engine = new Engine({ [a.cred]: data() });
		const runs = await together(engine);
		expect(runs.map((r) => r.error?.message)).toEqual(Array(N).fill(undefined));
		expect(loginsSince(0)).toHaveLength(1);
		a.expireAll(sim);
		const mark = sim.requests.length;
		const renewed = await together(engine);
		expect(renewed.map((r) => r.error?.message)).toEqual(Array(N).fill(undefined));
		expect(loginsSince(mark)).toHaveLength(1);
	});

	test('two n8n processes (two engines on one credential store) log in once each at most', async () => {
		({ sim, data } = await a.start());
		const store = { [a.cred]: data() };
		const first = new Engine(store);
		await together(first, 4);
		// a second process (fresh memory) that reads the credential with the session the first one stored
		const second = new Engine(first.store);
		const mark = sim.requests.length;
		const runs = await together(second, 4);
		expect(runs.every((r) => !r.error)).toBe(true);
		expect(loginsSince(mark)).toHaveLength(0);
		expect(loginsSince(0)).toHaveLength(1);
	});
});

describe('the VSA forced login', () => {
	test('the session it replaces is never handed back, and the marker never reaches the stored credential', async () => {
		const sim = createVsaSim({ agents: 30 });
		await sim.start();
		try {
			const engine = new Engine({ kaseyaVsaApi: vsaCredential(sim) });
			expect((await engine.runNode('kaseyaVsa', 'kaseyaVsaApi', { resource: 'agent', operation: 'getMany', returnAll: true })).error).toBeUndefined();
			const first = JSON.parse(engine.store.kaseyaVsaApi.session).token;
			sim.expireAllTokens();
			const r = await engine.runNode('kaseyaVsa', 'kaseyaVsaApi', { resource: 'agent', operation: 'getMany', returnAll: true });
			expect(r.error).toBeUndefined();
			const second = JSON.parse(engine.store.kaseyaVsaApi.session).token;
			expect(second).not.toBe(first);
			expect(sim.requests.filter((q) => q.path === '/api/v1.0/auth')).toHaveLength(2);
			expect(Object.keys(engine.store.kaseyaVsaApi)).not.toContain(login.REPLACED_SESSION);
		} finally {
			await sim.stop();
		}
	});
});

describe('KACE two-factor login', () => {
	test('a refused two-factor code is remembered for one minute only (another n8n process may have used that code)', async () => {
		const sim = createKaceSim({ machines: 5, users: [{ userName: 'admin', password: 'S3cret-pass!', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }] });
		await sim.start();
		try {
			const engine = new Engine({
				kaceSmaApi: { baseUrl: sim.url, username: 'admin', password: 'S3cret-pass!', organization: '', apiVersion: '5', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', session: '' },
			});
			const params = { resource: 'machine', operation: 'getMany', returnAll: true, filters: {}, options: {} };
			const verifies = () => sim.requests.filter((q) => q.path === '/ams/shared/api/security/verify_2factor').length;
			const first = await engine.runNode('kaceSma', 'kaceSmaApi', params);
			expect(first.error.message).toContain('rejected the two-factor code');
			expect(verifies()).toBe(1);
			const realNow = Date.now;
			jest.spyOn(Date, 'now').mockImplementation(() => realNow() + login.CONFIG_MS - 5000);
			expect((await engine.runNode('kaceSma', 'kaceSmaApi', params)).error.message).toContain('No login attempt was made this time');
			expect(verifies()).toBe(1);
			Date.now.mockImplementation(() => realNow() + login.CONFIG_MS + 1000);
			expect((await engine.runNode('kaceSma', 'kaceSmaApi', params)).error.message).toContain('rejected the two-factor code');
			expect(verifies()).toBe(2);
		} finally {
			jest.restoreAllMocks();
			await sim.stop();
		}
	});
});

describe('sharedLogin with two n8n processes (two copies of the module, one credential store)', () => {
	const load = () => {
		let mod;
		jest.isolateModules(() => {
			mod = require('../dist/nodes/shared/login');
		});
		return mod;
	};
	const cred = (session) => ({ baseUrl: 'https://appliance', username: 'svc', password: 'Passw0rd-xyz', session });

	test('after all sessions expired, a session stored by the OTHER process is never answered with our older one', async () => {
		const [p1, p2] = [load(), load()];
		let n = 0;
		const calls = { p1: 0, p2: 0 };
		const loginAs = (who) => async () => {
			calls[who]++;
			return `S${++n}`;
		};
		expect(await p1.sharedLogin(cred(''), loginAs('p1'))).toBe('S1');
		expect(await p2.sharedLogin(cred(''), loginAs('p2'))).toBe('S2'); // the database now holds S2 (last write)
		// every session expired; executions on p1 read S2 from the database, get 401, and n8n asks p1 for a new one
		const renewed = await Promise.all([1, 2, 3].map(() => p1.sharedLogin(cred('S2'), loginAs('p1'))));
		expect(renewed).toEqual(['S3', 'S3', 'S3']); // not S1, which expired with S2: one login for all three
		expect(await p1.sharedLogin(cred('S2'), loginAs('p1'))).toBe('S3'); // a late caller with S2: no login
		expect(await p1.sharedLogin(cred('S1'), loginAs('p1'))).toBe('S3'); // p1's own older session: no login
		expect(calls.p1).toBe(2);
		// p2's executions read S3 (p1 wrote it last) and hold a session unknown to p2: p2 logs in once
		expect(await Promise.all([1, 2].map(() => p2.sharedLogin(cred('S3'), loginAs('p2'))))).toEqual(['S4', 'S4']);
		expect(calls.p2).toBe(2);
		// an empty field (a new execution that read the credential before any write) takes the latest session
		expect(await p2.sharedLogin(cred(''), loginAs('p2'))).toBe('S4');
		expect(calls.p2).toBe(2);
	});

	test('the marker of the VSA forced login is removed from the object n8n may store', async () => {
		const p = load();
		const data = { ...cred(''), [p.REPLACED_SESSION]: 'old-token' };
		await p.sharedLogin(data, async () => 'new');
		expect(Object.keys(data)).not.toContain(p.REPLACED_SESSION);
	});
});

describe.each(APPLIANCES)('$name: two n8n processes on one database, the appliance ending earlier sessions at each login', (a) => {
	// a second copy of the harness and the package = a second n8n process with its own memory; one credential store
	let second;
	jest.isolateModules(() => {
		second = require('./harness');
	});
	let sim;
	let data;
	afterEach(async () => {
		if (sim) await sim.stop();
		sim = undefined;
	});

	test(`${N} executions in each process, with an empty, then an expired session: none fails`, async () => {
		({ sim, data } = await a.start({ loginEndsEarlierSessions: true }));
		const store = { [a.cred]: data() };
		const p1 = new Engine(store);
		const p2 = new second.Engine(store);
		const wave = async () => {
			const runs = await Promise.all(
				Array.from({ length: 2 * N }, (_, i) => (i % 2 ? p2 : p1).runNode(a.node, a.cred, a.params)),
			);
			return runs.filter((r) => r.error).map((r) => r.error.message);
		};
		expect(await wave()).toEqual([]);
		const first = sim.requests.filter(a.isLogin).length;
		expect(first).toBeLessThanOrEqual(3);
		a.expireAll(sim);
		expect(await wave()).toEqual([]);
		expect(sim.requests.filter(a.isLogin).length - first).toBeLessThanOrEqual(3);
	});
});
