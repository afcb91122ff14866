'use strict';
/**
 * KACE SMA assets, users and inventory additions (issue 14) through the real n8n engine against the strict
 * simulator: asset types, Create / Update with the fields of the asset's type, Archive; users; agentless machine
 * records; processes, services and startup programs of a machine; the machines a managed install can target; and a
 * route the appliance does not offer (HTTP 404) explained as such.
 */
const { assertNoSecrets } = require('./harness');
const { PASSWORD, startSim, engineFor } = require('./kace.helpers');

const V11 = { settings: { typeVersion: 1.1 } };
const byId = (value) => ({ __rl: true, mode: 'id', value: String(value) });
const run = (engine, params, options = V11) => engine.runNode('kaceSma', 'kaceSmaApi', params, options);
const load = (engine, method, params) => engine.loadOptions('kaceSma', 'kaceSmaApi', 'loadOptions', method, params);

describe('assets', () => {
	test('Get Types lists the asset types; the Create dropdown offers them', async () => {
		const sim = await startSim({ machines: 20 });
		const engine = engineFor(sim);
		const r = await run(engine, { resource: 'asset', operation: 'getTypes', returnAll: true });
		expect(r.items).toEqual([
			{ id: '5', name: 'Computer with Dell Agent', category: 'Device' },
			{ id: '7', name: 'Monitor', category: 'Device' },
			{ id: '8', name: 'Printer', category: 'Device' },
		]);
		expect((await load(engine, 'getAssetTypes', {})).map((o) => o.name)).toEqual(['Computer with Dell Agent', 'Monitor', 'Printer']);
	});

	test('the Fields dropdown offers the fields of the chosen type (create) or of the asset\'s type (update), read from an asset of that type', async () => {
		const sim = await startSim({ machines: 20 });
		const engine = engineFor(sim);
		const monitor = await load(engine, 'getAssetFields', { resource: 'asset', operation: 'create', assetTypeId: '7' });
		expect(monitor.map((o) => o.value)).toEqual(['field_10002', 'field_10003']);
		expect(monitor[0].name).toMatch(/^field_10002 \(e\.g\. MSN\d+\)$/);
		const sample = sim.requests.filter((q) => q.path === '/api/asset/assets').pop().query;
		expect(sample).toMatchObject({ filtering: 'asset_type_id eq 7', shaping: 'asset all', paging: 'limit 1' });
		// update: the type of asset 3 (a computer)
		const computer = await load(engine, 'getAssetFields', { resource: 'asset', operation: 'update', assetId: byId(3) });
		expect(computer.map((o) => o.value)).toEqual(['field_10000', 'field_10001']);
		// a type without any asset yet: nothing to read the fields from
		expect(await load(engine, 'getAssetFields', { resource: 'asset', operation: 'create', assetTypeId: '8' })).toEqual([]);
	});

	test('Create sends the type\'s fields and the pickers, and returns the asset read back at level ALL', async () => {
		const sim = await startSim({ machines: 20 });
		const r = await run(engineFor(sim), {
			resource: 'asset', operation: 'create', assetTypeId: '8', name: 'PRN-3F-01',
			assetFields: { field: [{ name: 'field_10004', value: 'HP 26A' }] },
			additionalFields: { owner_id: { __rl: true, mode: 'list', value: '21' }, mapped_id: byId(4), location_id: 2 },
		});
		expect(r.error).toBeUndefined();
		expect(r.items[0]).toMatchObject({ name: 'PRN-3F-01', asset_type_id: 8, asset_type_name: 'Printer', owner_id: 21, mapped_id: 4, location_id: 2, field_10004: 'HP 26A' });
		const post = sim.requests.find((q) => q.method === 'POST' && q.path.startsWith('/api/'));
		expect(JSON.parse(post.body)).toEqual({ Assets: [{ field_10004: 'HP 26A', owner_id: 21, mapped_id: 4, location_id: 2, name: 'PRN-3F-01', asset_type_id: 8 }] });
	});

	test('Create with a field of another type quotes the appliance', async () => {
		const sim = await startSim({ machines: 20 });
		const r = await run(engineFor(sim), {
			resource: 'asset', operation: 'create', assetTypeId: '8', name: 'PRN', assetFields: { field: [{ name: 'field_10000', value: 'x' }] }, additionalFields: {},
		});
		expect(r.error.message).toBe('KACE SMA answered HTTP 400 to create asset "PRN": "Invalid field \'field_10000\' for asset type \'Printer\'"');
	});

	test('Update changes the fields given, with the id in the body; nothing to update is refused before any request', async () => {
		const sim = await startSim({ machines: 20 });
		const engine = engineFor(sim);
		const r = await run(engine, {
			resource: 'asset', operation: 'update', assetId: byId(3),
			assetFields: { field: [{ name: 'field_10001', value: '2024-05-01' }] }, updateFields: { name: 'WS-RENAMED', fieldsJson: '{"asset_status_id": 2}' },
		});
		expect(r.items[0]).toMatchObject({ id: 3, updated: ['field_10001', 'asset_status_id', 'name'], response: { Result: 'Success' } });
		expect(JSON.parse(sim.requests.find((q) => q.method === 'PUT').body)).toEqual({ Assets: [{ id: 3, field_10001: '2024-05-01', asset_status_id: 2, name: 'WS-RENAMED' }] });
		expect(sim.state.assets.find((a) => a.id === 3)).toMatchObject({ name: 'WS-RENAMED', asset_status_id: 2, fields: { field_10001: '2024-05-01' } });
		const none = await run(engine, { resource: 'asset', operation: 'update', assetId: byId(3), assetFields: {}, updateFields: {} });
		expect(none.error.message).toMatch(/Nothing to update/);
		expect(sim.requests.filter((q) => q.method === 'PUT')).toHaveLength(1);
	});

	test('Archive sends the reason; the asset is then among the archived devices', async () => {
		const sim = await startSim({ machines: 20 });
		const r = await run(engineFor(sim), { resource: 'asset', operation: 'archive', assetId: byId(5), archiveReason: 'Written off' });
		expect(r.items[0]).toEqual({ id: 5, archived: true, reason: 'Written off', response: { Result: 'Success' } });
		expect(JSON.parse(sim.requests.find((q) => q.method === 'POST' && q.path.startsWith('/api/')).body)).toEqual({ archiveReason: 'Written off' });
		expect(sim.state.archivedAssets.map((a) => a.id)).toEqual([5]);
	});

	test('Archive on a build without the route: the 404 says the build may not offer it', async () => {
		const sim = await startSim({ machines: 20 });
		sim.faults.add({ method: 'POST', path: '/api/asset/assets/5/archive', status: 404, body: { errorCode: -1, errorDescription: 'Route not found' } });
		const r = await run(engineFor(sim), { resource: 'asset', operation: 'archive', assetId: byId(5), archiveReason: 'x' });
		expect(r.error.message).toBe('KACE SMA answered HTTP 404 to archive asset 5: "Route not found"');
		expect(r.error.description).toMatch(/does not offer asset archiving \(SMA 9\.0 and later\)/);
	});
});

describe('users', () => {
	test('Get Many with a filter and Return All, Get, and the current user', async () => {
		const sim = await startSim({ machines: 10 });
		const engine = engineFor(sim);
		const many = await run(engine, {
			resource: 'user', operation: 'getMany', returnAll: true, filters: { conditions: [{ field: 'email', operator: 'co', value: 'example.com' }] }, options: { pageSize: 3 },
		});
		expect(many.items.map((u) => u.user_name)).toEqual(['admin', 'jdoe', 'asmith', 'bwayne', 'ckent', 'dprince', 'pparker', 'tstark', 'nromanoff']);
		expect(many.items[1]).toEqual({ id: '20', user_name: 'jdoe', full_name: 'John Doe', email: 'jdoe@example.com', role: 'User' });
		const one = await run(engine, { resource: 'user', operation: 'get', userId: byId(22), options: {}, simplify: false });
		expect(one.items[0]).toMatchObject({ id: 22, user_name: 'bwayne', role: { name: 'User' } });
		const me = await run(engine, { resource: 'user', operation: 'getCurrent' });
		expect(me.items).toEqual([{ id: '10', user_name: 'admin', full_name: 'admin', email: 'admin@example.com', role: 'Administrator' }]);
		assertNoSecrets([PASSWORD], many.items, one.items, me.items);
	});
});

describe('inventory', () => {
	test('Machine → Create makes an agentless record and returns it', async () => {
		const sim = await startSim({ machines: 20 });
		const r = await run(engineFor(sim), { resource: 'machine', operation: 'create', name: 'PRINTER-3F', additionalFields: { ip: '10.3.0.5', notes: 'lobby' } });
		expect(r.error).toBeUndefined();
		expect(r.items[0]).toMatchObject({ Id: '21', Name: 'PRINTER-3F', Ip: '10.3.0.5', Notes: 'lobby' });
		expect(JSON.parse(sim.requests.find((q) => q.method === 'POST' && q.path.startsWith('/api/')).body)).toEqual({ Machines: [{ name: 'PRINTER-3F', ip: '10.3.0.5', notes: 'lobby' }] });
	});

	test('Machine → Create on a build without the route: the 404 says the build may not offer it', async () => {
		const sim = await startSim({ machines: 20 });
		sim.faults.add({ method: 'POST', path: '/api/inventory/machines', status: 404, body: { errorCode: -1, errorDescription: 'Route not found' } });
		const r = await run(engineFor(sim), { resource: 'machine', operation: 'create', name: 'X', additionalFields: {} });
		expect(r.error.message).toBe('KACE SMA answered HTTP 404 to create machine record "X": "Route not found"');
		expect(r.error.description).toMatch(/does not offer creating machine records/);
		expect(sim.requests.filter((q) => q.method === 'POST' && q.path.startsWith('/api/'))).toHaveLength(1);
	});

	test.each([
		['process', 'Processes', ['svchost.exe', 'KACEAgent.exe', 'lsass.exe', 'sqlservr.exe', 'w3wp.exe']],
		['service', 'Services', ['Spooler', 'WinDefend', 'konea', 'W32Time', 'MSSQLSERVER', 'W3SVC', 'Dnscache']],
		['startupProgram', 'StartupPrograms', ['KACE Agent Tray', 'SecurityHealth']],
	])('%s → Get Many of one machine (machine.id filter), and of the whole inventory', async (resource, _key, names) => {
		const sim = await startSim({ machines: 20 });
		const engine = engineFor(sim);
		const mine = await run(engine, { resource, operation: 'getMany', onMachine: byId(10), returnAll: true, filters: {}, options: {} });
		expect(mine.error).toBeUndefined();
		expect(mine.items.map((p) => p.name)).toEqual(names);
		expect(sim.requests.pop().query.filtering).toBe('machine.id eq 10');
		const all = await run(engine, { resource, operation: 'getMany', onMachine: { __rl: true, mode: 'list', value: '' }, returnAll: true, filters: {}, options: {} });
		expect(all.items.length).toBeGreaterThan(names.length);
		expect(sim.requests.pop().query.filtering).toBeUndefined();
		const first = await run(engine, { resource, operation: 'get', [`${resource}Id`]: byId(1), options: {} });
		expect(first.items[0].id).toBe('1');
	});

	test('Managed Install → Get Compatible Machines, exact with Return All; a 404 says the build may not offer it', async () => {
		const sim = await startSim({ machines: 60 });
		const engine = engineFor(sim);
		const r = await run(engine, { resource: 'managedInstall', operation: 'getCompatibleMachines', managedInstallId: byId(5), returnAll: true, filters: {}, options: { pageSize: 10 } });
		const expected = sim.state.machines.filter((m) => [1, 2].includes(m._osId)).map((m) => m.Id);
		expect(r.items.map((m) => m.id)).toEqual(expected);
		// the flat machine record of Simplify (last_sync is not in the appliance's standard shaping)
		expect(Object.keys(r.items[0])).toEqual(['id', 'name', 'os_name', 'ip', 'user_logged', 'last_inventory', 'modified']);
		sim.faults.add({ method: 'GET', path: '/api/managed_install/managed_installs/5/compatible_machines', status: 404, body: { errorCode: -1, errorDescription: 'Route not found' } });
		const missing = await run(engine, { resource: 'managedInstall', operation: 'getCompatibleMachines', managedInstallId: byId(5), returnAll: true, filters: {}, options: {} });
		expect(missing.error.description).toMatch(/does not offer the compatible machines of a managed install/);
	});
});
