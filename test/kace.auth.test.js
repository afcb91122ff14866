'use strict';
/**
 * KACE SMA sessions and logins (issue 11 B7, B8, C9, C10) through the real n8n engine against the strict simulator:
 * a CSRF token refused with HTTP 403, a login that lands in another organization, two-factor accounts without a
 * secret, a portal page answering the login, and what the credential test says.
 */
const { assertNoSecrets } = require('./harness');
const { PASSWORD, TOTP_SECRET, LOGIN, startSim, engineFor, machinesParams, apiRequests, logins } = require('./kace.helpers');

// These tests read full machine and ticket records: a node saved at version 1 (Simplify off by default). Version
// 1.1 and Simplify are tested in kace.output.test.js.
const { pinNodeVersion } = require('./harness');
let unpinVersion;
beforeAll(() => (unpinVersion = pinNodeVersion(['kaceSma'], 1)));
afterAll(() => unpinVersion());

const LIST = '/api/inventory/machines';
const CSRF_403 = { errorCode: -1, errorDescription: 'CSRF token validation failed' };

describe('CSRF token refused with HTTP 403 (some builds)', () => {
	test('the session is renewed once and the read sent again', async () => {
		const sim = await startSim({ mode: '12.0', machines: 20, csrfRefusalStatus: 403 });
		const engine = engineFor(sim);
		expect((await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams())).items).toHaveLength(20);
		// the appliance rotates the token: the next request with the old one is refused with 403
		sim.rotateCsrf();
		await engine.runNode('kaceSma', 'kaceSmaApi', { resource: 'machine', operation: 'get', machineId: { mode: 'id', value: '1' }, options: {} });
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(20);
		expect(sim.requests.filter((q) => q.status === 403)).toHaveLength(1);
		expect(logins(sim)).toHaveLength(2);
		expect(engine.logins('kaceSmaApi')).toBe(2);
	});

	test('3 pages in flight refused at once: ONE re-login for all of them, every row once', async () => {
		const sim = await startSim({ mode: '12.0', machines: 1000, csrfRefusalStatus: 403 });
		let seen = 0;
		sim.onRequest = ({ entry }) => {
			if (entry.path === LIST && ++seen === 2) sim.rotateCsrf();
		};
		sim.faults.add({ method: 'GET', path: LIST, passThrough: true, delayMs: 40, times: 100 });
		const engine = engineFor(sim);
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 100 } }));
		expect(r.error).toBeUndefined();
		expect(r.items.map((m) => Number(m.Id))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
		expect(sim.requests.filter((q) => q.status === 403).length).toBeGreaterThanOrEqual(2);
		expect(logins(sim)).toHaveLength(2);
	});

	test('an action refused for its CSRF token is sent again after the renewal and runs once', async () => {
		const sim = await startSim({ mode: '11', machines: 20, csrfRefusalStatus: 403, scriptRunMs: { min: 10, max: 20 } });
		const engine = engineFor(sim);
		await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({ returnAll: false, limit: 1 }));
		sim.rotateCsrf();
		await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({ returnAll: false, limit: 1 })); // picks up the rotation
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', {
			resource: 'script', operation: 'run', scriptId: { mode: 'id', value: '2' }, target: 'ids', machineIds: '3,4',
		});
		expect(r.error).toBeUndefined();
		expect(sim.state.scriptRuns).toHaveLength(1);
		expect(sim.requests.filter((q) => q.path === '/api/script/2/actions/run').map((q) => q.status)).toEqual([403, 200]);
	});

	test('a refusal that persists after the renewal says what to check, not the account role', async () => {
		const sim = await startSim({ mode: '12.0', machines: 20 });
		// a proxy that strips the CSRF header: every list request is refused
		sim.faults.add({ method: 'GET', path: LIST, status: 403, body: CSRF_403, times: 10 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.error.message).toBe('KACE SMA answered HTTP 403 to get many machine records: "CSRF token validation failed"');
		expect(r.error.description).toMatch(/CSRF token.*proxy/);
		expect(r.error.description).not.toMatch(/role/);
		expect(logins(sim)).toHaveLength(2);
		expect(sim.count(LIST)).toBe(2);
	});

	test('a CSRF refusal with 401 is renewed by n8n alone: one re-login, not two', async () => {
		const sim = await startSim({ mode: '12.0', machines: 20 });
		sim.faults.add({ method: 'GET', path: LIST, status: 401, body: { errorCode: -1, errorDescription: 'Invalid CSRF token' }, times: 10 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.error.message).toMatch(/HTTP 401.*Invalid CSRF token/);
		expect(r.error.description).toMatch(/proxy/);
		expect(logins(sim)).toHaveLength(2);
	});

	test('a 403 of the account role costs no login and keeps its advice', async () => {
		const sim = await startSim({ machines: 20, users: [{ userName: 'admin', password: PASSWORD, role: 'readonly' }] });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', {
			resource: 'ticket', operation: 'create', queueId: '1', title: 'x', additionalFields: {},
		});
		expect(r.error.message).toMatch(/HTTP 403.*Insufficient permissions/);
		expect(r.error.description).toMatch(/role/);
		expect(logins(sim)).toHaveLength(1);
	});
});

describe('multi-organization appliances', () => {
	const acme = { organization: 'Acme' };

	test('a login that lands in another organization is refused before anything is read (one attempt per execution)', async () => {
		const sim = await startSim({ machines: 20, orgSelection: 'ignored', users: [{ userName: 'admin', password: PASSWORD, organization: 'Default' }] });
		const r = await engineFor(sim, acme).runNode('kaceSma', 'kaceSmaApi', machinesParams(), {
			input: [{}, {}, {}], settings: { continueOnFail: true },
		});
		expect(r.items).toHaveLength(3);
		for (const item of r.items) expect(item.error).toMatch(/organization "Default", not "Acme"/);
		expect(r.items[0].error + r.items[0].description).toMatch(/Organization/);
		expect(logins(sim)).toHaveLength(1);
		expect(apiRequests(sim).filter((q) => q.path === LIST)).toHaveLength(0);
	});

	test('the credential test says it too', async () => {
		const sim = await startSim({ machines: 2, orgSelection: 'ignored', users: [{ userName: 'admin', password: PASSWORD, organization: 'Default' }] });
		const t = await engineFor(sim, acme).testCredential('kaceSmaApi');
		expect(t.status).toBe('Error');
		expect(t.message).toMatch(/organization "Default", not "Acme"/);
	});

	test('the organization asked for (any letter case) is accepted', async () => {
		const sim = await startSim({ machines: 20, orgSelection: 'ignored', users: [{ userName: 'admin', password: PASSWORD, organization: 'Acme' }] });
		const r = await engineFor(sim, { organization: 'ACME' }).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(20);
	});

	test('an appliance that does not report the organization: the login is taken as it is (nothing to compare)', async () => {
		const sim = await startSim({ machines: 20, reportsOrganization: false, users: [{ userName: 'admin', password: PASSWORD, organization: 'Acme' }] });
		const r = await engineFor(sim, acme).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(20);
	});
});

describe('two-factor account without a TOTP secret', () => {
	const twoFactor = { machines: 5, users: [{ userName: 'admin', password: PASSWORD, totpSecret: TOTP_SECRET }] };

	test('one login, with a message that says what to add; the next execution logs in no more', async () => {
		const sim = await startSim(twoFactor);
		const engine = engineFor(sim);
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({ returnAll: false, limit: 1 }), {
			input: [{}, {}, {}], settings: { continueOnFail: true },
		});
		expect(logins(sim)).toHaveLength(1);
		expect(r.items).toHaveLength(3);
		for (const item of r.items) expect(item.error).toMatch(/requires a two-factor code.*TOTP secret/i);
		// the stored (refused) session is checked again, no login: an account that locks cannot be locked by it
		const again = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(again.error.message).toMatch(/two-factor/);
		expect(logins(sim)).toHaveLength(1);
		// once the secret is added, the next execution logs in with it
		engine.store.kaceSmaApi.totpSecret = TOTP_SECRET;
		const fixed = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(fixed.error).toBeUndefined();
		expect(fixed.items).toHaveLength(5);
		expect(logins(sim)).toHaveLength(2);
		assertNoSecrets([PASSWORD, TOTP_SECRET], r.items, again.error, fixed.items);
	});

	test('the credential test says what is wrong, never a bare "Unauthorized"', async () => {
		const sim = await startSim(twoFactor);
		const t = await engineFor(sim).testCredential('kaceSmaApi');
		expect(t.status).toBe('Error');
		expect(t.message).toMatch(/requires a two-factor code/);
		expect(t.message).toMatch(/TOTP secret/);
		expect(t.message).not.toMatch(/^Unauthorized/i);
		expect(logins(sim)).toHaveLength(1);
	});

	test('with the secret: one login, one verification, no extra request', async () => {
		const sim = await startSim(twoFactor);
		const r = await engineFor(sim, { totpSecret: TOTP_SECRET }).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.items).toHaveLength(5);
		expect(sim.count('/ams/shared/api/security/verify_2factor')).toBe(1);
		expect(apiRequests(sim).map((q) => q.path)).toEqual([LIST]);
	});
});

describe('a login answered by something that is not the appliance', () => {
	test('an HTML portal page (no session cookie): one attempt per execution with many items and Continue On Fail', async () => {
		const sim = await startSim({ machines: 5 });
		sim.faults.add({ method: 'POST', path: LOGIN, html: true, times: 100 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ returnAll: false, limit: 1 }), {
			input: [{}, {}, {}, {}], settings: { continueOnFail: true },
		});
		expect(logins(sim)).toHaveLength(1);
		expect(r.items).toHaveLength(4);
		for (const item of r.items) expect(item.error).toMatch(/HTML page.*KACE SMA itself/);
		expect(apiRequests(sim)).toHaveLength(0);
	});
});
