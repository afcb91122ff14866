'use strict';
/**
 * KACE SMA through the real n8n engine (test/harness.js) against the strict simulator (test/sim/kace.js).
 */
const { assertNoSecrets } = require('./harness');
const { totp } = require('../dist/nodes/KaceSma/transport/totp');
const { chunkByLength } = require('../dist/nodes/KaceSma/actions/script/runner');
const { PASSWORD, TOTP_SECRET, startSim, engineFor, machinesParams, apiRequests, logins, requestsTo } = require('./kace.helpers');

// These tests read full machine and ticket records: a node saved at version 1 (Simplify off by default). Version
// 1.1 and Simplify are tested in kace.output.test.js.
const { pinNodeVersion } = require('./harness');
let unpinVersion;
beforeAll(() => (unpinVersion = pinNodeVersion(['kaceSma'], 1)));
afterAll(() => unpinVersion());

describe('TOTP', () => {
	test('matches the RFC 6238 SHA-1 test vectors', () => {
		const key = Buffer.from('12345678901234567890');
		expect(totp(key, 59_000, 8)).toBe('94287082');
		expect(totp(key, 1111111109_000, 8)).toBe('07081804');
		expect(totp(key, 1234567890_000, 8)).toBe('89005924');
		expect(totp(key, 2000000000_000, 8)).toBe('69279037');
		// base32 form of the same key, 6 digits
		expect(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000)).toBe('287082');
	});
});

describe('login per appliance generation', () => {
	test.each([
		['11', 'x-dell-csrf-token'],
		['12.0', 'x-kace-csrf-token'],
		['12.1', undefined],
		['14', undefined],
	])('mode %s: logs in once, echoes what the appliance requires, reads machines', async (mode, csrfHeader) => {
		const sim = await startSim({ mode, machines: 30 });
		const engine = engineFor(sim);
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({ returnAll: false, limit: 7 }));
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(7);
		expect(r.items[0]).toHaveProperty('Name');
		expect(logins(sim)).toHaveLength(1);
		const api = apiRequests(sim)[0];
		if (csrfHeader) {
			const session = [...sim.state.sessions.values()][0];
			expect(api.headers[csrfHeader]).toBe(session.csrf);
		}
		if (mode === '14') expect(api.headers['x-kace-authorization']).toBeTruthy();
		expect(api.headers['x-kace-api-version']).toBe('5');
		// the session is persisted in the credential and reused by the next execution: no second login
		expect(JSON.parse(engine.store.kaceSmaApi.session).cookie).toContain('kboxid=');
		const again = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({ returnAll: false, limit: 1 }));
		expect(again.items).toHaveLength(1);
		expect(logins(sim)).toHaveLength(1);
	});

	test('a pasted console URL with /adminui/ is accepted', async () => {
		const sim = await startSim({ machines: 3 });
		const engine = engineFor(sim, { baseUrl: `${sim.url}/adminui/` });
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.items).toHaveLength(3);
	});
});

describe('two-factor authentication', () => {
	test('with the TOTP secret the login passes verify_2factor, using the appliance clock', async () => {
		const sim = await startSim({ machines: 5, users: [{ userName: 'admin', password: PASSWORD, totpSecret: TOTP_SECRET }] });
		sim.clock.advance(3 * 3600_000); // appliance clock is 3 h ahead of n8n's: the code must follow the appliance
		const engine = engineFor(sim, { totpSecret: TOTP_SECRET.toLowerCase().replace(/(.{4})/g, '$1 ') });
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(5);
		expect(sim.count('/ams/shared/api/security/verify_2factor')).toBe(1);
	});

	test('without the secret the error tells the user to add it', async () => {
		const sim = await startSim({ machines: 5, users: [{ userName: 'admin', password: PASSWORD, totpSecret: TOTP_SECRET }] });
		const engine = engineFor(sim);
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.status).toBe('error');
		expect(r.error.message).toMatch(/two-factor.*TOTP Secret/);
		assertNoSecrets([PASSWORD, TOTP_SECRET], r.error, r.items);
	});
});

describe('bad password', () => {
	test('exactly one login attempt per execution, even with many items and Continue On Fail', async () => {
		const sim = await startSim({ machines: 5 });
		const engine = engineFor(sim, { password: 'wrong-Passw0rd' });
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({ returnAll: false, limit: 1 }), {
			input: [{}, {}, {}, {}],
			settings: { continueOnFail: true },
		});
		expect(sim.state.logins.failed).toBe(1);
		expect(logins(sim)).toHaveLength(1);
		expect(r.items).toHaveLength(4);
		for (const item of r.items) {
			expect(item.error).toMatch(/KACE SMA login failed for user "admin": "Invalid user or password"/);
		}
		expect(r.raw.map((i) => i.pairedItem.item)).toEqual([0, 1, 2, 3]);
		assertNoSecrets(['wrong-Passw0rd'], r.items);
	});

	test('without Continue On Fail the execution fails with the appliance message and no secret', async () => {
		const sim = await startSim({ machines: 5 });
		const engine = engineFor(sim, { password: 'wrong-Passw0rd' });
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.status).toBe('error');
		expect(r.error.message).toMatch(/Invalid user or password/);
		expect(r.error.description).toMatch(/one login attempt/i);
		expect(sim.state.logins.failed).toBe(1);
		assertNoSecrets(['wrong-Passw0rd'], r.error, r.run.data);
	});

	test('credential test: OK with the right password, the appliance message with a wrong one', async () => {
		const sim = await startSim({ machines: 1 });
		expect(await engineFor(sim).testCredential('kaceSmaApi')).toMatchObject({ status: 'OK' });
		const bad = await engineFor(sim, { password: 'nope-nope' }).testCredential('kaceSmaApi');
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/Invalid user or password/);
		expect(sim.count('/api/users/me')).toBe(1);
	});
});

describe('Return All paging', () => {
	test('count first, then the other pages 3 at a time, each overlapping the previous one by a row: ceil(n / size) requests', async () => {
		// 8 pages: more than 3 could be in flight, so the bound is what is measured
		const sim = await startSim({ machines: 2000 });
		// every page answers 60 ms late, so the pages that may overlap do overlap
		sim.faults.add({ method: 'GET', path: '/api/inventory/machines', passThrough: true, delayMs: 60, times: 100 });
		let maxInFlight = 0;
		sim.onRequest = ({ entry }) => {
			// pages logged and not answered yet (this one included)
			if (entry.path === '/api/inventory/machines') {
				maxInFlight = Math.max(maxInFlight, sim.requests.filter((q) => q.path === entry.path && q.status === undefined).length);
			}
		};
		const engine = engineFor(sim);
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 250 } }));
		expect(r.error).toBeUndefined();
		expect(r.items.map((m) => Number(m.Id))).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
		const pages = requestsTo(sim);
		// every page after the first starts at the last row of the previous one (it must still be there: nothing
		// moved), so each request asks Page Size + 1 rows and brings Page Size new ones; the last page asks a row
		// more than the count promises (a row inserted meanwhile shows there)
		// (pages in flight may reach the appliance in any order)
		const offset = (p) => Number(/offset (\d+)/.exec(p.query.paging)[1]);
		expect([...pages].sort((a, b) => offset(a) - offset(b)).map((p) => p.query.paging)).toEqual(
			Array.from({ length: 8 }, (_, i) => `limit 251 offset ${i * 250}`),
		);
		expect(pages[0].query.paging).toBe('limit 251 offset 0');
		expect(pages.map((p) => (offset(p) === 0 ? 'first' : 'later') + p.query.use_count).sort()).toEqual(['firsttrue', ...Array(7).fill('laterfalse')]);
		expect(maxInFlight).toBe(3);
		// n8n reads (database + decryption) the credential once for the execution, not once per request
		expect(engine.credentialReads('kaceSmaApi')).toBe(1);
	});

	test.each([
		['"count" instead of "Count"', 'count', 4],
		['no count at all: sequential, to a short page', null, 4],
	])('count key UNVERIFIED: %s', async (_label, countKey, requests) => {
		const sim = await startSim({ machines: 1000, countKey });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 250 } }));
		expect(r.items.map((m) => Number(m.Id))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
		expect(requestsTo(sim)).toHaveLength(requests);
	});

	test('machines added and removed while the pages are read (sorted by name): no row lost, none twice', async () => {
		const sim = await startSim({ machines: 1000 });
		let seen = 0;
		sim.onRequest = ({ entry }) => {
			// after the count was taken: a machine sorting first is added, then another one added and one removed
			if (entry.path === '/api/inventory/machines' && ++seen === 2) sim.mutateMachines({ add: ['AAA-NEW'] });
			if (entry.path === '/api/inventory/machines' && seen === 4) sim.mutateMachines({ add: ['AAB-NEW'], remove: [3] });
		};
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 250, sorting: 'name' } }));
		expect(r.error).toBeUndefined();
		const names = r.items.map((m) => m.Name);
		expect(new Set(names).size).toBe(names.length);
		// every machine that existed from start to end is there, WS-01000 (pushed past the count) included
		for (let i = 1; i <= 1000; i++) if (i !== 3) expect(names).toContain(`WS-${String(i).padStart(5, '0')}`);
	});

	test.each(['14', '12.0'])('KACE %s: the session dies while 3 pages are in flight: ONE re-login for all of them', async (mode) => {
		const sim = await startSim({ mode, machines: 1000 });
		let seen = 0;
		sim.onRequest = ({ entry }) => {
			// right after the count page: the session ends (mode 14) or the CSRF token rotates (12.0)
			if (entry.path === '/api/inventory/machines' && ++seen === 2) {
				if (mode === '14') sim.expireAllSessions();
				else sim.rotateCsrf();
			}
		};
		sim.faults.add({ method: 'GET', path: '/api/inventory/machines', passThrough: true, delayMs: 40, times: 100 });
		const engine = engineFor(sim);
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 100 } }));
		expect(r.error).toBeUndefined();
		expect(r.items.map((m) => Number(m.Id))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
		expect(logins(sim)).toHaveLength(2);
		expect(engine.logins('kaceSmaApi')).toBe(2);
		expect(engine.credentialReads('kaceSmaApi')).toBe(1);
	});

	test('a page that fails stops further pages and quotes the appliance', async () => {
		const sim = await startSim({ machines: 2000 });
		sim.faults.add({ method: 'GET', path: '/api/inventory/machines', nth: 2, status: 400, body: { errorCode: -1, errorDescription: 'Invalid paging offset' } });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 100 } }));
		expect(r.error).toBeDefined();
		expect(r.error.message + ' ' + (r.error.description ?? '')).toMatch(/Invalid paging offset/);
		const pages = requestsTo(sim);
		expect(pages.length).toBeLessThanOrEqual(5); // first + 3 in flight (+1 racing the failure), not 20
		assertNoSecrets([PASSWORD], r.error, r.items);
	});

	test('a session expiring between pages costs one re-login and loses or repeats no row', async () => {
		const sim = await startSim({ machines: 1234, maxRequestsPerSession: 2 });
		const engine = engineFor(sim);
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { pageSize: 500 } }));
		expect(r.error).toBeUndefined();
		const ids = r.items.map((m) => Number(m.Id));
		expect(ids).toHaveLength(1234);
		expect(new Set(ids).size).toBe(1234);
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
		expect(logins(sim)).toHaveLength(2); // initial + one renewal after "Expired token"
		expect(engine.logins('kaceSmaApi')).toBe(2);
	});

	test('limit without Return All asks for just that many', async () => {
		const sim = await startSim({ machines: 100 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ returnAll: false, limit: 3 }));
		expect(r.items).toHaveLength(3);
		expect(requestsTo(sim).map((q) => q.query.paging)).toEqual(['limit 3 offset 0']);
	});
});

describe('filters', () => {
	test('builder rows with sub-entity fields, raw filtering and the in-operator reach the appliance once encoded', async () => {
		const sim = await startSim({ machines: 200 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({
			filters: { conditions: [
				{ field: 'software.display_name', operator: 'eq', value: 'Google Chrome' },
				{ field: 'label.name', operator: 'eq', value: 'Finance' },
			] },
			options: { filtering: 'id in 7;14;21;28;35;36', shaping: 'machine limited,label limited' },
		}));
		expect(r.error).toBeUndefined();
		// Finance: id % 7 == 0; Chrome unless id % 4 == 0 → 7, 14, 21, 35 (28 has no Chrome, 36 is not Finance)
		expect(r.items.map((m) => Number(m.Id))).toEqual([7, 14, 21, 35]);
		expect(r.items[0].Labels.map((l) => l.name)).toContain('Finance');
		const q = requestsTo(sim)[0];
		expect(q.rawQuery).toContain('filtering=software.display_name%20eq%20Google%20Chrome,label.name%20eq%20Finance,id%20in%207;14;21;28;35;36');
	});

	test('special characters are percent-encoded exactly once; a comma in a value is refused before any request', async () => {
		const sim = await startSim({ machines: 5 });
		const engine = engineFor(sim);
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({
			filters: { conditions: [{ field: 'name', operator: 'eq', value: 'A&B #1 50% +x "q"' }] },
		}));
		expect(r.error).toBeUndefined();
		expect(r.items).toHaveLength(0);
		expect(requestsTo(sim)[0].query.filtering).toBe('name eq A&B #1 50% +x "q"'.replace(/\+/g, '+'));
		const comma = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams({
			filters: { conditions: [{ field: 'name', operator: 'eq', value: 'Doe, John' }] },
		}));
		expect(comma.error.message).toMatch(/contains a comma/);
		expect(requestsTo(sim)).toHaveLength(1);
	});

	test('the appliance message is quoted when it rejects a filter', async () => {
		const sim = await startSim({ machines: 5 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({
			filters: { conditions: [{ field: 'id', operator: 'co', value: '1' }] },
		}));
		expect(r.error.message).toBe('KACE SMA answered HTTP 400 to get many machine records: "Operator \'co\' is not valid for integer field \'id\'"');
		expect(r.error.description).toMatch(/co\/st\/en only on text fields/);
	});

	test('ids that are not numbers are refused before any request', async () => {
		const sim = await startSim({ machines: 5 });
		const engine = engineFor(sim);
		// literal values are already refused by n8n's parameter validation; mapped values reach our check
		const r = await engine.runNode(
			'kaceSma', 'kaceSmaApi',
			{ resource: 'machine', operation: 'get', machineId: { mode: 'id', value: '={{ $json.id }}' }, options: {} },
			{ input: ['../1', '1%2F2', '12 3', 'abc', '0'].map((id) => ({ id })), settings: { continueOnFail: true } },
		);
		expect(r.items.map((i) => i.error)).toEqual([
			'The machine ID "../1" is not valid', 'The machine ID "1%2F2" is not valid', 'The machine ID "12 3" is not valid',
			'The machine ID "abc" is not valid', 'The machine ID "0" is not valid',
		]);
		expect(apiRequests(sim)).toHaveLength(0);
	});
});

describe('records', () => {
	test('get by list, ID and console URL; update notes', async () => {
		const sim = await startSim({ machines: 20 });
		const engine = engineFor(sim);
		const byUrl = await engine.runNode('kaceSma', 'kaceSmaApi', {
			resource: 'machine', operation: 'get', machineId: { mode: 'url', value: `${sim.url}/adminui/machine.php?ID=12` }, options: {},
		});
		expect(byUrl.items[0]).toMatchObject({ Id: '12', Name: 'WS-00012' });
		const upd = await engine.runNode('kaceSma', 'kaceSmaApi', {
			resource: 'machine', operation: 'update', machineId: { mode: 'id', value: '12' }, updateFields: { notes: 'moved to rack 4' },
		});
		expect(upd.items[0]).toMatchObject({ id: 12, updated: ['notes'] });
		expect(sim.state.machines.find((m) => m._id === 12).Notes).toBe('moved to rack 4');
		const search = await engine.loadOptions('kaceSma', 'kaceSmaApi', 'listSearch', 'search_machine', {}, 'WS-0001');
		expect(search.results.map((x) => x.value)).toEqual(['10', '11', '12', '13', '14', '15', '16', '17', '18', '19']);
	});

	test('software, assets, operating systems and managed installs list with their envelopes', async () => {
		const sim = await startSim({ machines: 20 });
		const engine = engineFor(sim);
		for (const [resource, min] of [['software', 40], ['asset', 10], ['operatingSystem', 5], ['managedInstall', 6], ['script', 8]]) {
			const r = await engine.runNode('kaceSma', 'kaceSmaApi', { resource, operation: 'getMany', returnAll: true, filters: {}, options: {} });
			expect(r.error).toBeUndefined();
			expect(r.items.length).toBeGreaterThanOrEqual(min);
		}
	});
});

describe('managed installs', () => {
	test('N input items targeting one managed install become ONE request', async () => {
		const sim = await startSim({ machines: 300 });
		const input = Array.from({ length: 250 }, (_, i) => ({ Id: String(i + 1) }));
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', {
			resource: 'managedInstall', operation: 'addToMachines', managedInstallId: { mode: 'id', value: '2' }, machineIds: '={{ $json.Id }}',
		}, { input });
		expect(r.error).toBeUndefined();
		const puts = sim.requests.filter((q) => q.method === 'PUT');
		expect(puts).toHaveLength(1);
		expect(puts[0].path).toBe('/api/managed_install/managed_installs/2/add_to_machines');
		expect(JSON.parse(puts[0].body).Machines).toHaveLength(250);
		expect(sim.state.managedInstalls.find((m) => Number(m.id ?? m.Id) === 2).targets).toHaveLength(250);
		expect(r.items).toHaveLength(250);
		expect(r.items[7]).toMatchObject({ managedInstallId: 2, machineIds: [8], machinesInRequest: 250, requests: 1 });
		expect(r.raw[7].pairedItem).toEqual({ item: 7 });
	});

	test('an invalid id fails only its own item; a rejected request fails its group, not other groups', async () => {
		const sim = await startSim({ machines: 10 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', {
			resource: 'managedInstall', operation: 'removeFromMachines', managedInstallId: { mode: 'id', value: '={{ $json.mi }}' }, machineIds: '={{ $json.ids }}',
		}, {
			input: [{ mi: 1, ids: '1,2' }, { mi: 1, ids: 'x' }, { mi: 3, ids: '9999' }, { mi: 1, ids: 3 }],
			settings: { continueOnFail: true },
		});
		expect(r.items[0]).toMatchObject({ managedInstallId: 1, machineIds: [1, 2], machinesInRequest: 3 });
		expect(r.items[1].error).toMatch(/"x" is not a valid machine ID/);
		expect(r.items[2].error).toMatch(/Invalid machine ids: 9999/);
		expect(r.items[3]).toMatchObject({ machineIds: [3] });
		expect(sim.requests.filter((q) => q.method === 'PUT')).toHaveLength(2);
	});

	test('a lost answer is not resent: the outcome is reported as unknown', async () => {
		const sim = await startSim({ machines: 10 });
		sim.faults.add({ method: 'PUT', path: /add_to_machines$/, reset: 'after' });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', {
			resource: 'managedInstall', operation: 'addToMachines', managedInstallId: { mode: 'id', value: '1' }, machineIds: '1,2,3',
		});
		expect(r.error.message).toMatch(/outcome of add machines to managed install 1 is unknown/);
		expect(r.error.description).toMatch(/not sent again/);
		expect(sim.requests.filter((q) => q.method === 'PUT')).toHaveLength(1);
	});
});

describe('scripts', () => {
	test('ids are chunked so every request line stays under the limit', () => {
		const ids = Array.from({ length: 5000 }, (_, i) => String(i + 1));
		const chunks = chunkByLength(ids);
		expect(chunks.flat()).toEqual(ids);
		for (const c of chunks) expect(c.join(',').length).toBeLessThanOrEqual(7000);
		expect(chunks).toHaveLength(4);
	});

	test('run on 5,000 machines from input items: one run per URL-sized chunk, every machine once', async () => {
		const sim = await startSim({ machines: 5000 });
		const input = Array.from({ length: 5000 }, (_, i) => ({ Id: String(i + 1) }));
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', {
			resource: 'script', operation: 'run', scriptId: { mode: 'id', value: '3' }, target: 'ids', machineIds: '={{ $json.Id }}',
		}, { input });
		expect(r.error).toBeUndefined();
		const runs = sim.requests.filter((q) => q.path === '/api/script/3/actions/run');
		expect(runs).toHaveLength(4);
		for (const q of runs) expect(`POST /api/script/3/actions/run?${q.rawQuery} HTTP/1.1`.length).toBeLessThan(8190);
		const sent = runs.flatMap((q) => q.query.machineIDs.split(','));
		expect(sent).toHaveLength(5000);
		expect(new Set(sent).size).toBe(5000);
		expect(r.items[0]).toMatchObject({ scriptId: 3, runIds: [4711, 4712, 4713, 4714], machinesInRun: 5000 });
		expect(logins(sim)).toHaveLength(1);
	});

	test('run and wait on a label: per-machine outcomes after the run completes', async () => {
		const sim = await startSim({ machines: 80, scriptRunMs: { min: 50, max: 300 } });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', {
			resource: 'script', operation: 'runAndWait', scriptId: { mode: 'id', value: '1' }, target: 'label', label: 'Finance', timeout: 30, pollInterval: 0.2,
		});
		expect(r.error).toBeUndefined();
		// Finance = id % 7 == 0 → 7..77 (11 machines); 37·k fails, 23·k push-fails (none of them here but 0 mod 7 ones)
		expect(r.items.map((i) => i.machineId)).toEqual([7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77]);
		for (const item of r.items) {
			const expected = item.machineId % 23 === 0 ? 'pushFailed' : item.machineId % 37 === 0 ? 'failed' : 'success';
			expect(item).toMatchObject({ scriptId: 1, outcome: expected, timedOut: false });
		}
		expect(sim.count('/api/script/runStatus/')).toBeGreaterThanOrEqual(1);
	});

	test('run and wait reports machines still pending at the timeout', async () => {
		const sim = await startSim({ machines: 10, scriptRunMs: { min: 60_000, max: 90_000 } });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', {
			resource: 'script', operation: 'runAndWait', scriptId: { mode: 'id', value: '1' }, target: 'ids', machineIds: '1,2', timeout: 1, pollInterval: 0.3,
		});
		expect(r.items).toEqual([
			expect.objectContaining({ machineId: 1, outcome: 'pending', timedOut: true }),
			expect.objectContaining({ machineId: 2, outcome: 'pending', timedOut: true }),
		]);
	});
});

describe('service desk', () => {
	test('create with pickers, update, delete', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const statuses = await engine.loadOptions('kaceSma', 'kaceSmaApi', 'loadOptions', 'getStatuses', { queueId: '2' });
		expect(statuses.map((s) => s.name)).toEqual(['Closed', 'New', 'Open', 'Reopened', 'Waiting on Customer']);
		const owners = await engine.loadOptions('kaceSma', 'kaceSmaApi', 'loadOptions', 'getUsers', {});
		const jdoe = owners.find((o) => o.name.startsWith('John Doe'));
		const open = statuses.find((s) => s.name === 'Open');
		const created = await engine.runNode('kaceSma', 'kaceSmaApi', {
			resource: 'ticket', operation: 'create', queueId: '2', title: 'Printer on fire',
			additionalFields: { summary: 'Smoke', status: open.value, owner: jdoe.value, machine: 4, customFields: { field: [{ name: 'custom_1', value: 'B-12' }] } },
		});
		expect(created.error).toBeUndefined();
		const t = created.items[0];
		expect(t).toMatchObject({ title: 'Printer on fire', hd_queue_id: 2, status: { name: 'Open' }, owner: { user_name: 'jdoe' } });
		const upd = await engine.runNode('kaceSma', 'kaceSmaApi', {
			resource: 'ticket', operation: 'update', ticketId: { mode: 'id', value: String(t.id) }, updateFields: { resolution: 'Extinguished' },
		});
		expect(upd.items[0]).toMatchObject({ id: t.id, updated: ['resolution'] });
		const del = await engine.runNode('kaceSma', 'kaceSmaApi', { resource: 'ticket', operation: 'delete', ticketId: { mode: 'id', value: String(t.id) } });
		expect(del.items[0]).toMatchObject({ id: t.id, deleted: true });
		const gone = await engine.runNode('kaceSma', 'kaceSmaApi', { resource: 'ticket', operation: 'get', ticketId: { mode: 'id', value: String(t.id) }, options: {} });
		expect(gone.error.message).toMatch(/HTTP 404.*not found/);
	});

	test('tickets of one queue; queues list', async () => {
		const sim = await startSim({ machines: 100 });
		const engine = engineFor(sim);
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', { resource: 'ticket', operation: 'getMany', queueFilter: '3', returnAll: true, filters: {}, options: {} });
		expect(r.items.length).toBeGreaterThan(0);
		expect(r.items.every((t) => t.hd_queue_id === 3)).toBe(true);
		const queues = await engine.runNode('kaceSma', 'kaceSmaApi', { resource: 'ticket', operation: 'getQueues', returnAll: true });
		expect(queues.items.map((q) => q.name)).toEqual(['IT Help Desk', 'Facilities', 'HR Requests']);
		// filters (ticket list, trigger) offer "All Queues" as their valid empty default
		const choices = await engine.loadOptions('kaceSmaTrigger', 'kaceSmaApi', 'loadOptions', 'getQueuesOrAll', {});
		expect(choices.map((c) => [c.name, c.value])).toEqual([['All Queues', ''], ['Facilities', '2'], ['HR Requests', '3'], ['IT Help Desk', '1']]);
	});
});

describe('trigger', () => {
	test('baseline emits nothing; new tickets are emitted once; nothing new → null; manual returns a sample', async () => {
		const sim = await startSim({ machines: 50 });
		const engine = engineFor(sim);
		const params = { event: 'newTicket', queueId: '', options: {} };
		expect((await engine.poll('kaceSmaTrigger', 'kaceSmaApi', params)).result).toBeNull();
		// two tickets in the same appliance second, one later
		for (const title of ['A', 'B']) {
			await engine.runNode('kaceSma', 'kaceSmaApi', { resource: 'ticket', operation: 'create', queueId: '1', title, additionalFields: {} });
		}
		let polled = await engine.poll('kaceSmaTrigger', 'kaceSmaApi', params);
		expect(polled.items.map((t) => t.title)).toEqual(['A', 'B']);
		sim.resetLog();
		expect((await engine.poll('kaceSmaTrigger', 'kaceSmaApi', params)).result).toBeNull();
		expect(apiRequests(sim)).toHaveLength(1); // one request per idle poll, no login
		sim.clock.advance(5000);
		await engine.runNode('kaceSma', 'kaceSmaApi', { resource: 'ticket', operation: 'create', queueId: '1', title: 'C', additionalFields: {} });
		const manual = await engine.poll('kaceSmaTrigger', 'kaceSmaApi', params, 'manual');
		expect(manual.items.map((t) => t.title)).toEqual(['C']);
		polled = await engine.poll('kaceSmaTrigger', 'kaceSmaApi', params);
		expect(polled.items.map((t) => t.title)).toEqual(['C']); // manual did not move the cursor
		expect((await engine.poll('kaceSmaTrigger', 'kaceSmaApi', params)).result).toBeNull();
		expect(logins(sim)).toHaveLength(0);
	});

	test('machine changes use the appliance timestamp and de-duplicate the boundary second', async () => {
		const sim = await startSim({ machines: 30 });
		const engine = engineFor(sim);
		const params = { event: 'machineChanged', options: {} };
		expect((await engine.poll('kaceSmaTrigger', 'kaceSmaApi', params)).result).toBeNull();
		sim.clock.advance(60_000);
		for (const id of ['3', '9']) {
			await engine.runNode('kaceSma', 'kaceSmaApi', { resource: 'machine', operation: 'update', machineId: { mode: 'id', value: id }, updateFields: { notes: 'x' } });
		}
		const first = await engine.poll('kaceSmaTrigger', 'kaceSmaApi', params);
		expect(first.items.map((m) => m.Id)).toEqual(['3', '9']);
		await engine.runNode('kaceSma', 'kaceSmaApi', { resource: 'machine', operation: 'update', machineId: { mode: 'id', value: '5' }, updateFields: { notes: 'y' } });
		const second = await engine.poll('kaceSmaTrigger', 'kaceSmaApi', params); // same appliance second as 3 and 9
		expect(second.items.map((m) => m.Id)).toEqual(['5']);
		expect((await engine.poll('kaceSmaTrigger', 'kaceSmaApi', params)).result).toBeNull();
	});
});

describe('resilience', () => {
	test('reads retry on 503 honouring Retry-After, then succeed', async () => {
		const sim = await startSim({ machines: 10 });
		sim.faults.add({ path: '/api/inventory/machines', status: 503, headers: { 'Retry-After': '1' }, body: { errorCode: -1, errorDescription: 'busy' }, times: 2 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.items).toHaveLength(10);
		const tries = sim.requests.filter((q) => q.path === '/api/inventory/machines');
		expect(tries.map((t) => t.status)).toEqual([503, 503, 200]);
		expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(900);
	});

	test('slow answers past the credential timeout are retried, then reported as a timeout', async () => {
		const sim = await startSim({ machines: 10 });
		sim.faults.add({ path: '/api/inventory/machines', delayMs: 1500, passThrough: true, times: 1 });
		const engine = engineFor(sim, { timeoutSeconds: 1 });
		const r = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.items).toHaveLength(10); // first attempt timed out, the retry answered
		sim.faults.add({ path: '/api/inventory/machines', delayMs: 1500, passThrough: true, times: 10 });
		const failed = await engine.runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(failed.error.message).toBe('KACE SMA: get many machine records failed: the request timed out (tried 4 times)');
	});

	test('an HTML page with status 200 is retried, then reported clearly', async () => {
		const sim = await startSim({ machines: 10 });
		sim.faults.add({ path: '/api/inventory/machines', html: true, times: 10 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.error.message).toBe('KACE SMA returned an HTML page instead of JSON (a proxy or login page answered?) to get many machine records');
		expect(sim.count('/api/inventory/machines')).toBe(4);
	});

	test('a self-signed appliance fails with a pointer to the CA field; the CA field fixes it with verification on', async () => {
		const { makePki } = require('./sim/certs');
		const pki = await makePki();
		const sim = await startSim({ machines: 3, tls: { key: pki.serverKeyPem, cert: pki.serverCertPem } });
		const failing = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(failing.error.message).toMatch(/certificate could not be verified/);
		expect(failing.error.description).toMatch(/CA Certificate/);
		const ok = await engineFor(sim, { caCertificate: pki.caPem }).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(ok.items).toHaveLength(3);
		const wrongCa = await engineFor(sim, { caCertificate: pki.otherCaPem }).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(wrongCa.error.message).toMatch(/certificate could not be verified/);
	});
});
