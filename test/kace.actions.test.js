'use strict';
/**
 * KACE SMA actions and their results (issue 11 B5, B6, D11) through the real n8n engine against the strict
 * simulator: script runs the appliance did not start (answered 0), run status reported as counts, the ticket
 * Update dropdowns, and the advice given with an HTTP 400.
 */
const { credentialTypes } = require('./harness');
const { startSim, engineFor, machinesParams } = require('./kace.helpers');

const RUN_STATUS = '/api/script/runStatus/';
const runParams = (extra = {}) => ({ resource: 'script', operation: 'run', scriptId: { mode: 'id', value: '2' }, target: 'ids', machineIds: '1,2', ...extra });
const waitParams = (extra = {}) => runParams({ operation: 'runAndWait', timeout: 30, pollInterval: 0.1, ...extra });

describe('script run answered 0 (nothing started)', () => {
	test('a disabled script: Run fails and says what to check; no run id 0 is reported', async () => {
		const sim = await startSim({ machines: 10 });
		sim.state.scripts.find((s) => s.id === 2).enabled = 0;
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', runParams());
		expect(r.status).toBe('error');
		expect(r.error.message).toBe('KACE SMA did not start script 2: the appliance answered 0 (no run)');
		expect(r.error.description).toMatch(/enabled/);
		expect(r.error.description).toMatch(/machine IDs exist/);
		expect(sim.count('/api/script/2/actions/run')).toBe(1);
	});

	test('an unknown machine, Continue On Fail: every item of that run gets the error', async () => {
		const sim = await startSim({ machines: 10, unknownRunMachines: 'zero' });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', runParams({ machineIds: '={{ $json.id }}' }), {
			input: [{ id: 1 }, { id: 99999 }], settings: { continueOnFail: true },
		});
		expect(r.items).toHaveLength(2);
		for (const item of r.items) expect(item.error).toMatch(/did not start script 2/);
		expect(r.items.some((i) => i.runIds)).toBe(false);
	});

	test('Run and Wait stops at a run answered 0 and never polls run status 0', async () => {
		const sim = await startSim({ machines: 10 });
		sim.state.scripts.find((s) => s.id === 2).enabled = 0;
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', waitParams());
		expect(r.error.message).toMatch(/did not start script 2/);
		expect(sim.count(RUN_STATUS)).toBe(0);
	});
});

describe('run status reported as counts', () => {
	test('Run and Wait keeps polling while machines are pending, then reports the outcome', async () => {
		const sim = await startSim({ machines: 10, runStatusShape: 'counts', scriptRunMs: { min: 300, max: 600 } });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', waitParams());
		expect(r.error).toBeUndefined();
		expect(r.items).toEqual([
			expect.objectContaining({ machineId: 1, outcome: 'success', timedOut: false }),
			expect.objectContaining({ machineId: 2, outcome: 'success', timedOut: false }),
		]);
		expect(sim.count(RUN_STATUS)).toBeGreaterThan(1);
		// the last status read had nothing pending
		expect(sim.runStatus(4711)).toMatchObject({ Pending: 0, Success: 2 });
	});

	test('mixed outcomes: each machine says the outcome is not known per machine, with the run counts', async () => {
		// machine 37 fails (sim: id % 37 == 0)
		const sim = await startSim({ machines: 40, runStatusShape: 'counts', scriptRunMs: { min: 200, max: 400 } });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', waitParams({ machineIds: '1,37' }));
		expect(r.error).toBeUndefined();
		for (const item of r.items) {
			expect(item).toMatchObject({ outcome: 'unknown', timedOut: false, runCounts: { targeted: 2, pending: 0, success: 1, failed: 1, pushFailed: 0 } });
		}
	});

	test('still pending at the timeout: timed out, with the counts', async () => {
		const sim = await startSim({ machines: 10, runStatusShape: 'counts', scriptRunMs: { min: 60_000, max: 90_000 } });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', waitParams({ timeout: 1, pollInterval: 0.3 }));
		for (const item of r.items) expect(item).toMatchObject({ outcome: 'pending', timedOut: true, runCounts: { pending: 2 } });
	});

	test('Get Run Status reports the counts', async () => {
		const sim = await startSim({ machines: 10, runStatusShape: 'counts', scriptRunMs: { min: 60_000, max: 90_000 } });
		const engine = engineFor(sim);
		const run = await engine.runNode('kaceSma', 'kaceSmaApi', runParams());
		const status = await engine.runNode('kaceSma', 'kaceSmaApi', { resource: 'script', operation: 'getRunStatus', runId: String(run.items[0].runIds[0]) });
		expect(status.items[0]).toMatchObject({ done: false, perMachine: false, counts: { targeted: 2, pending: 2, success: 0 } });
	});
});

describe('ticket Update dropdowns', () => {
	const updateParams = (ticket) => ({
		resource: 'ticket', operation: 'update', ticketId: { __rl: true, mode: 'id', value: String(ticket) }, updateFields: {},
	});

	test.each([
		['getStatuses', ['Closed', 'New', 'Open', 'Reopened', 'Waiting on Customer'], 'statuses'],
		['getPriorities', ['High', 'Low', 'Medium'], 'priorities'],
		['getCategories', ['Hardware', 'Network', 'Other', 'Software'], 'categories'],
	])('%s offers the values of the ticket\'s queue', async (method, names, kind) => {
		const sim = await startSim({ machines: 30 });
		// ticket 3 is in queue 2 (its values have their own ids)
		const ticket = sim.state.tickets.find((t) => t.hd_queue_id === 2);
		const choices = await engineFor(sim).loadOptions('kaceSma', 'kaceSmaApi', 'loadOptions', method, updateParams(ticket.id));
		expect(choices.map((c) => c.name)).toEqual(names);
		const queue = sim.state.queues.find((q) => q.id === 2);
		const ids = { statuses: queue._statusIds, priorities: queue._priorityIds, categories: queue._categoryIds }[kind];
		expect(choices.map((c) => Number(c.value)).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
	});
});

describe('advice with an HTTP 400', () => {
	test('a refused machine ID gets advice about the ID, not about filter syntax', async () => {
		const sim = await startSim({ machines: 10 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', {
			resource: 'managedInstall', operation: 'addToMachines', managedInstallId: { mode: 'id', value: '1' }, machineIds: '1,99999',
		});
		expect(r.error.message).toBe('KACE SMA answered HTTP 400 to add machines to managed install 1: "Invalid machine ids: 99999"');
		expect(r.error.description).toMatch(/ID exists in the organization/);
		expect(r.error.description).not.toMatch(/filter|operator|co\/st\/en/i);
	});

	test('a shaping the appliance refuses gets shaping advice only', async () => {
		const sim = await startSim({ machines: 10 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({ options: { shaping: 'machine everything' } }));
		expect(r.error.message).toMatch(/HTTP 400.*Invalid shaping level 'everything'/);
		expect(r.error.description).toMatch(/Shaping: "entity level"/);
		expect(r.error.description).not.toMatch(/co\/st\/en/);
	});

	test('a filter the appliance refuses still gets filter advice', async () => {
		const sim = await startSim({ machines: 5 });
		const r = await engineFor(sim).runNode('kaceSma', 'kaceSmaApi', machinesParams({
			filters: { conditions: [{ field: 'id', operator: 'co', value: '1' }] },
		}));
		expect(r.error.description).toMatch(/rejected the filtering.*co\/st\/en only on text fields/);
	});

	test('the credential offers the Request Timeout the timeout hint points at', async () => {
		expect(credentialTypes.kaceSmaApi.properties.map((p) => p.displayName)).toContain('Request Timeout (Seconds)');
		const sim = await startSim({ machines: 5 });
		sim.faults.add({ path: '/api/inventory/machines', delayMs: 1500, passThrough: true, times: 10 });
		const r = await engineFor(sim, { timeoutSeconds: 1 }).runNode('kaceSma', 'kaceSmaApi', machinesParams());
		expect(r.error.description).toMatch(/'Request Timeout \(Seconds\)' in the credential/);
	});
});
