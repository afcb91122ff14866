'use strict';
/**
 * What the KACE SMA node puts out (issue 12 items 8–10) through the real n8n engine against the strict simulator:
 * the wording of its actions, Simplify on Get / Get Many (node version 1.1; version 1 keeps the full record), and
 * batch actions that carry the appliance's answer, per item or as one summary item.
 */
const { nodeTypesMap, PACKAGE } = require('./harness');
const { startSim, engineFor } = require('./kace.helpers');

const V1 = { settings: { typeVersion: 1 } };
const V11 = { settings: { typeVersion: 1.1 } };
const byId = (value) => ({ __rl: true, mode: 'id', value: String(value) });
const run = (engine, params, options = V11) => engine.runNode('kaceSma', 'kaceSmaApi', params, options);

describe('wording (issue 12 item 8)', () => {
	const node = nodeTypesMap[`${PACKAGE}.kaceSma`].description;
	const actions = node.properties.filter((p) => p.name === 'operation').flatMap((p) => p.options);

	test('actions read like n8n\'s own: "Get an asset", "Get many machines", no "records", no "a" before a vowel', () => {
		const names = actions.map((o) => o.action);
		expect(names).toEqual(expect.arrayContaining(['Get an asset', 'Get an operating system', 'Get many assets', 'Get many operating systems', 'Get many software titles', 'Get many machines', 'Create a ticket', 'Get many queues']));
		for (const name of names) {
			expect(name).not.toMatch(/\ba [aeio]|\ban u[sn]/i); // "a user", but "an asset"
			expect(name).not.toMatch(/records\b/);
		}
		for (const o of actions) expect(o.description).not.toMatch(/\ba [aeio]|\bone .* by ID/i);
	});

	test('the node is version 1.1 by default and stays usable as an AI tool', () => {
		expect(node.version).toEqual([1, 1.1]);
		expect(node.defaultVersion).toBe(1.1);
		expect(node.usableAsTool).toBe(true);
	});
});

describe('Simplify (issue 12 item 9)', () => {
	test('Get Many machines: version 1 keeps the full record, 1.1 returns the flat one (ids as strings), Simplify off the full one', async () => {
		const sim = await startSim({ machines: 5 });
		const engine = engineFor(sim);
		const params = { resource: 'machine', operation: 'getMany', returnAll: false, limit: 1, filters: {}, options: {} };
		const v1 = await run(engine, params, V1);
		expect(v1.items[0]).toMatchObject({ Id: '1', Name: 'WS-00001', Os_name: expect.any(String), 'Ram Total': expect.any(String) });
		const v11 = await run(engine, params);
		expect(v11.items[0]).toEqual({
			id: '1', name: 'WS-00001', os_name: v1.items[0].Os_name, ip: v1.items[0].Ip, user_logged: v1.items[0].User_logged,
			last_inventory: v1.items[0].Last_inventory, modified: v1.items[0].Modified,
		});
		const off = await run(engine, { ...params, simplify: false });
		expect(off.items[0]).toEqual(v1.items[0]);
	});

	test('Get a ticket (1.1): who, what, when and status, flat', async () => {
		const sim = await startSim({ machines: 30 });
		const ticket = sim.state.tickets.find((t) => t.owner_id && t.machine_id);
		const r = await run(engineFor(sim), { resource: 'ticket', operation: 'get', ticketId: byId(ticket.id), options: {} });
		const status = sim.state.statuses.find((s) => s.id === ticket.status_id);
		expect(r.items).toHaveLength(1);
		expect(r.items[0]).toMatchObject({ id: String(ticket.id), title: ticket.title, queue_id: String(ticket.hd_queue_id), status: status.name, created: ticket.created, modified: ticket.modified });
		expect(typeof r.items[0].owner).toBe('string');
		expect(typeof r.items[0].machine).toBe('string');
		expect(Object.values(r.items[0]).every((v) => typeof v !== 'object')).toBe(true);
	});

	test.each([
		['software', { name: expect.any(String), version: expect.any(String), publisher: expect.any(String) }],
		['asset', { name: expect.any(String), type: expect.any(String), asset_type_id: expect.any(String) }],
		['operatingSystem', { name: expect.any(String), version: expect.any(String), architecture: expect.any(String) }],
		['managedInstall', { name: expect.any(String), version: expect.any(String), software_id: expect.any(String) }],
		['script', { name: expect.any(String), type: expect.any(String), status: expect.any(String) }],
		['user', { user_name: expect.any(String), full_name: expect.any(String) }],
		['process', { name: expect.any(String), description: expect.any(String) }],
	])('Get Many %s (1.1) is flat; version 1 is not simplified', async (resource, shape) => {
		const sim = await startSim({ machines: 10 });
		const engine = engineFor(sim);
		const params = { resource, operation: 'getMany', returnAll: false, limit: 2, filters: {}, options: {} };
		const r = await run(engine, params);
		expect(r.items[0]).toMatchObject({ id: expect.any(String), ...shape });
		for (const item of r.items) expect(Object.values(item).every((v) => v === null || typeof v !== 'object')).toBe(true);
		const v1 = await run(engine, params, V1);
		// the appliance's own record (its key casing, nested sub-entities): not the flat one
		expect(v1.items[0]).not.toEqual(r.items[0]);
	});
});

describe('batch actions carry the appliance\'s answer (issue 12 item 10)', () => {
	const add = (extra = {}) => ({ resource: 'managedInstall', operation: 'addToMachines', managedInstallId: byId(1), machineIds: '={{ $json.id }}', ...extra });

	test('one item per input item, each with the answer of its request', async () => {
		const sim = await startSim({ machines: 10 });
		const r = await run(engineFor(sim), add(), { input: [{ id: 1 }, { id: 2 }], settings: { typeVersion: 1.1 } });
		expect(r.items).toEqual([
			{ managedInstallId: 1, operation: 'add_to_machines', machineIds: [1], machinesInRequest: 2, requests: 1, responses: [{ Result: 'Success' }] },
			{ managedInstallId: 1, operation: 'add_to_machines', machineIds: [2], machinesInRequest: 2, requests: 1, responses: [{ Result: 'Success' }] },
		]);
	});

	test('One Summary Item: counts, ids and answers of the whole batch; with Continue On Fail the failed items are listed', async () => {
		const sim = await startSim({ machines: 10 });
		const engine = engineFor(sim);
		const input = [{ mi: 1, id: 1 }, { mi: 1, id: 'x' }, { mi: 2, id: '3,4' }, { mi: 1, id: 2 }];
		const params = add({ managedInstallId: byId('={{ $json.mi }}'), output: 'summary' });
		const r = await run(engine, params, { input, settings: { typeVersion: 1.1, continueOnFail: true } });
		expect(r.items).toEqual([{
			operation: 'add_to_machines',
			machineIds: [1, 2, 3, 4],
			managedInstalls: [
				{ managedInstallId: 1, machineIds: [1, 2], requests: 1, responses: [{ Result: 'Success' }] },
				{ managedInstallId: 2, machineIds: [3, 4], requests: 1, responses: [{ Result: 'Success' }] },
			],
			items: 4,
			succeeded: 3,
			failed: 1,
			errors: [{ item: 1, error: '"x" is not a valid machine ID' }],
		}]);
		expect(r.raw[0].pairedItem).toEqual({ item: 0 });
		// without Continue On Fail, a failed item fails the run as it does item by item
		const stopped = await run(engine, params, { input, settings: { typeVersion: 1.1 } });
		expect(stopped.error.message).toBe('"x" is not a valid machine ID');
	});

	test('Script → Run: each item carries the run ids the appliance answered; the summary lists the runs', async () => {
		const sim = await startSim({ machines: 10 });
		const engine = engineFor(sim);
		const params = { resource: 'script', operation: 'run', scriptId: byId(2), target: 'ids', machineIds: '={{ $json.id }}' };
		const per = await run(engine, params, { input: [{ id: 1 }, { id: 2 }], settings: { typeVersion: 1.1 } });
		expect(per.items[1]).toEqual({ scriptId: 2, runIds: [4711], machineIds: [2], machinesInRun: 2, responses: [4711] });
		const summary = await run(engine, { ...params, output: 'summary' }, { input: [{ id: 1 }, { id: 2 }, { id: 3 }], settings: { typeVersion: 1.1 } });
		expect(summary.items).toEqual([{
			runIds: [4712], machineIds: [1, 2, 3], scripts: [{ scriptId: 2, runIds: [4712], machineIds: [1, 2, 3], responses: [4712] }], items: 3, succeeded: 3, failed: 0,
		}]);
	});

	test('Script → Run and Wait, One Summary Item: the outcomes counted and listed by machine', async () => {
		// machine 37 fails (sim: id % 37 == 0), 23 push-fails (offline)
		const sim = await startSim({ machines: 40, scriptRunMs: { min: 50, max: 150 } });
		const r = await run(engineFor(sim), {
			resource: 'script', operation: 'runAndWait', scriptId: byId(1), target: 'ids', machineIds: '1,23,37', timeout: 30, pollInterval: 0.1, output: 'summary',
		});
		expect(r.items).toEqual([{
			scriptIds: [1], runIds: [4711], machines: 3, counts: { success: 1, pushFailed: 1, failed: 1 },
			byOutcome: { success: [1], pushFailed: [23], failed: [37] }, timedOut: false, items: 1, succeeded: 1, failed: 0,
		}]);
	});
});
