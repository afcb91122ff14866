'use strict';
/**
 * Kaseya VSA node operations through the real n8n engine against the strict simulator: OData filter builder and
 * raw filters, paging, 26-digit ids end to end, envelope and error rules, agent procedures (run per agent,
 * prompts, run-and-wait), alarms, list searches, continue-on-fail pairing, no secrets in errors.
 */
const { Engine, assertNoSecrets } = require('./harness');
const { createVsaSim, vsaCredential, byId, byNumber } = require('./sim/vsa');

const CRED = 'kaseyaVsaApi';
const SECRETS = ['00000000-0000-0000-0000-000000000000', 'P@ssw0rd'];

describe('Kaseya VSA node', () => {
	let sim;
	let engine;
	const run = (parameters, opts) => engine.runNode('kaseyaVsa', CRED, parameters, opts);
	const apiCalls = (pathPart) => sim.requests.filter((r) => r.path.includes(pathPart));

	beforeEach(async () => {
		sim = createVsaSim({ agents: 250, alarms: 4, durationMs: 150 });
		await sim.start();
		engine = new Engine({ [CRED]: vsaCredential(sim) });
	});
	afterEach(async () => {
		await sim.stop();
	});

	describe('agents', () => {
		test('get many with the filter builder (Contains + Equals, AND) sends OData v3 and returns the matching agents', async () => {
			const r = await run({
				resource: 'agent',
				operation: 'getMany',
				returnAll: true,
				filters: {
					conditions: [
						{ field: 'ComputerName', operator: 'substringof', value: 'PC-001' },
						{ field: 'Online', operator: 'eq', value: '0' },
					],
				},
				combinator: 'and',
			});
			expect(r.status).toBe('success');
			const expected = sim.state.agents.filter((a) => a.ComputerName.includes('PC-001') && a.Online === 0);
			expect(expected.length).toBeGreaterThan(0);
			expect(r.items.map((a) => a.AgentId).sort()).toEqual(expected.map((a) => a.AgentId).sort());
			const q = apiCalls('/assetmgmt/agents')[0];
			expect(q.query.$filter).toBe("(substringof('PC-001', ComputerName)) and (Online eq 0)");
			// option names literal, values percent-encoded once
			expect(q.rawQuery).toContain('$filter=(substringof(%27PC-001%27%2C%20ComputerName))%20and%20(Online%20eq%200)');
		});

		test('builder OR + raw filter + sort; an AgentId condition is sent with the M suffix from the string', async () => {
			const [a, b] = sim.state.agents;
			const r = await run({
				resource: 'agent',
				operation: 'getMany',
				returnAll: true,
				filters: {
					conditions: [
						{ field: 'AgentId', operator: 'eq', value: a.AgentId },
						{ field: 'AgentId', operator: 'eq', value: b.AgentId },
					],
				},
				combinator: 'or',
				options: { filter: "OSType ne 'Plan9'", orderby: 'ComputerName desc' },
			});
			expect(r.status).toBe('success');
			expect(r.items.map((x) => x.AgentId)).toEqual([b.AgentId, a.AgentId]);
			expect(apiCalls('/assetmgmt/agents')[0].query.$filter).toBe(
				`((AgentId eq ${a.AgentId}M) or (AgentId eq ${b.AgentId}M)) and (OSType ne 'Plan9')`,
			);
			// the id as tie-breaker: rows that sort alike keep one order across pages
			expect(apiCalls('/assetmgmt/agents')[0].query.$orderby).toBe('ComputerName desc,AgentId');
		});

		test("text values are quoted and ' is doubled; a Contains on a number field is refused before any request", async () => {
			sim.addAgents([{ ComputerName: "O'Neil-PC" }]);
			const r = await run({
				resource: 'agent',
				operation: 'getMany',
				returnAll: true,
				filters: { conditions: [{ field: 'ComputerName', operator: 'eq', value: "O'Neil-PC" }] },
			});
			expect(r.items.map((x) => x.ComputerName)).toEqual(["O'Neil-PC"]);
			expect(apiCalls('/assetmgmt/agents')[0].query.$filter).toBe("ComputerName eq 'O''Neil-PC'");

			sim.resetLog();
			const bad = await run({
				resource: 'agent',
				operation: 'getMany',
				returnAll: true,
				filters: { conditions: [{ field: 'Online', operator: 'substringof', value: '1' }] },
			});
			expect(bad.status).toBe('error');
			expect(bad.error.message).toMatch(/Invalid filter: "Online" is not a text field/);
			expect(sim.requests).toHaveLength(0);
		});

		test('an invalid raw filter: the VSA 400 message is quoted with a filter hint', async () => {
			const r = await run({ resource: 'agent', operation: 'getMany', returnAll: true, options: { filter: "contains(ComputerName, 'x')" } });
			expect(r.status).toBe('error');
			expect(r.error.message).toMatch(/HTTP 400 to get many agents: "Unknown function 'contains'\."/);
			expect(r.error.description).toMatch(/substringof/);
			// a 400 is not retried
			expect(apiCalls('/assetmgmt/agents')).toHaveLength(1);
		});

		for (const iisErrors of ['detailed', 'custom']) {
			test(`a filter too long for IIS (404.15, ${iisErrors} error page): says the query string is too long and how to shorten it, not "check the ID"`, async () => {
				await sim.stop();
				sim = createVsaSim({ agents: 250, iisErrors });
				await sim.start();
				engine = new Engine({ [CRED]: vsaCredential(sim) });
				const filter = sim.state.agents.slice(0, 70).map((a) => `AgentId eq ${a.AgentId}M`).join(' or ');
				const r = await run({ resource: 'agent', operation: 'getMany', returnAll: true, options: { filter } });
				expect(r.status).toBe('error');
				const text = `${r.error.message} ${r.error.description}`;
				expect(text).not.toMatch(/check the ID/i);
				expect(r.error.message).toMatch(/query string .*too long/i);
				expect(r.error.message).toMatch(/404\.15/);
				expect(r.error.description).toMatch(/2,048/);
				expect(r.error.description).toMatch(/fewer/i);
				expect(r.error.description).toMatch(/maxQueryString/);
				// a 404 is not retried
				expect(apiCalls('/assetmgmt/agents')).toHaveLength(1);
				expect(apiCalls('/assetmgmt/agents')[0].status).toBe(404);
			});
		}

		test('an agent that does not exist still gets the "check the ID" hint (a JSON 404 from the VSA)', async () => {
			const r = await run({ resource: 'agent', operation: 'get', agentId: byId('999999999999999') });
			expect(r.status).toBe('error');
			expect(r.error.description).toMatch(/Check the ID/);
			expect(r.error.message).not.toMatch(/too long/);
		});

		test('Return All: $top=100, each later page starting one row early (the overlap row), sorted by AgentId; Limit asks only for what it needs', async () => {
			sim.state.agents.splice(200);
			const all = await run({ resource: 'agent', operation: 'getMany', returnAll: true });
			expect(all.items.map((a) => a.AgentId)).toEqual(sim.state.agents.map((a) => a.AgentId).sort(byNumber));
			// the last request asks one row past TotalRecords: a list that grew meanwhile shows there
			expect(apiCalls('/assetmgmt/agents').map((q) => `${q.query.$top}/${q.query.$skip}`)).toEqual(['100/0', '100/99', '3/198']);
			expect(apiCalls('/assetmgmt/agents').every((q) => q.query.$orderby === 'AgentId')).toBe(true);

			sim.resetLog();
			const some = await run({ resource: 'agent', operation: 'getMany', returnAll: false, limit: 150 });
			expect(some.items).toHaveLength(150);
			expect(apiCalls('/assetmgmt/agents').map((q) => `${q.query.$top}/${q.query.$skip}`)).toEqual(['100/0', '52/99']);
			expect(some.items.map((a) => a.AgentId)).toEqual(sim.state.agents.map((a) => a.AgentId).sort(byNumber).slice(0, 150));
		});

		test('agents added while paging are not duplicated', async () => {
			let pages = 0;
			sim.onRequest = (ctx) => {
				// a new agent sorted first shifts every later page by one
				if (ctx.path === '/api/v1.0/assetmgmt/agents' && ++pages === 2) {
					const [added] = sim.addAgents([{ AgentId: '100000000000001' }]);
					sim.state.agents.pop();
					sim.state.agents.unshift(added);
				}
			};
			const r = await run({ resource: 'agent', operation: 'getMany', returnAll: true });
			const ids = r.items.map((a) => a.AgentId);
			expect(new Set(ids).size).toBe(ids.length);
			expect(ids).toHaveLength(250);
		});

		test('get, audit summary, installed applications (paged), rename', async () => {
			const agent = sim.state.agents[7];
			const got = await run({ resource: 'agent', operation: 'get', agentId: byId(agent.AgentId) });
			expect(got.items[0].AgentId).toBe(agent.AgentId);
			expect(typeof got.items[0].AgentId).toBe('string');
			expect(got.items[0].OrgId).toBe(agent.OrgId);

			const summary = await run({ resource: 'agent', operation: 'getAuditSummary', agentId: byId(agent.AgentId) });
			expect(summary.items[0].ComputerName).toBe(agent.ComputerName);

			const big = sim.state.agents.find((a) => 30 + (Number(a.AgentId.slice(-2)) % 120) > 100);
			const apps = await run({ resource: 'agent', operation: 'getInstalledApplications', agentId: byId(big.AgentId), returnAll: true });
			expect(apps.items).toHaveLength(30 + (Number(big.AgentId.slice(-2)) % 120));
			expect(apiCalls('/installedapplications')).toHaveLength(2);

			const renamed = await run({ resource: 'agent', operation: 'rename', agentId: byId(agent.AgentId), newName: 'NEW-NAME' });
			expect(renamed.items[0]).toMatchObject({ agentId: agent.AgentId, newName: 'NEW-NAME', renamed: true });
			expect(sim.state.renames).toEqual([{ agentId: agent.AgentId, newName: 'NEW-NAME' }]);
			expect(apiCalls('/rename/')[0].method).toBe('PUT');
		});

		test('an unknown agent id: 404 with the VSA message; a malformed id is refused before any request', async () => {
			const r = await run({ resource: 'agent', operation: 'get', agentId: byId('999999999999999') });
			expect(r.status).toBe('error');
			expect(r.error.message).toMatch(/HTTP 404 to get agent 999999999999999: "Agent not found"/);

			sim.resetLog();
			// (a literal is already refused by the locator's validation; an expression reaches the node)
			const bad = await run({ resource: 'agent', operation: 'get', agentId: byId('={{ "12/../34" }}') });
			expect(bad.status).toBe('error');
			expect(bad.error.message).toMatch(/agent ID "12\/\.\.\/34" is not valid/);
			expect(sim.requests).toHaveLength(0);
		});

		test('a rename whose answer is lost is not sent again (outcome unknown, with a hint)', async () => {
			const agent = sim.state.agents[3];
			await run({ resource: 'agent', operation: 'get', agentId: byId(agent.AgentId) });
			sim.faults.add({ path: `/api/v1.0/assetmgmt/agents/${agent.AgentId}/rename/X1`, reset: 'after' });
			const r = await run({ resource: 'agent', operation: 'rename', agentId: byId(agent.AgentId), newName: 'X1' });
			expect(r.status).toBe('error');
			expect(r.error.message).toMatch(/outcome of rename agent .* is unknown/);
			expect(r.error.description).toMatch(/name in VSA/);
			expect(apiCalls('/rename/')).toHaveLength(1);
		});
	});

	describe('26-digit ids', () => {
		test('organization, machine group and user ids round-trip unchanged (list → get by id → output)', async () => {
			const orgs = await run({ resource: 'organization', operation: 'getMany', returnAll: true });
			expect(orgs.items.map((o) => o.OrgId)).toEqual(sim.state.orgs.map((o) => o.OrgId).sort(byNumber));
			for (const o of orgs.items) {
				expect(typeof o.OrgId).toBe('string');
				expect(o.OrgId).toMatch(/^\d{26}$/);
			}
			// the JSON the server sent really had bare 26-digit numbers (JSON.parse would have rounded them)
			const org = sim.state.orgs[1];
			expect(Number(org.OrgId).toLocaleString('fullwide', { useGrouping: false })).not.toBe(org.OrgId);

			const got = await run({ resource: 'organization', operation: 'get', orgId: byId('={{ $json.id }}') }, { input: [{ id: org.OrgId }] });
			expect(got.items[0].OrgId).toBe(org.OrgId);
			expect(apiCalls(`/system/orgs/${org.OrgId}`)).toHaveLength(1);

			const groups = await run({ resource: 'machineGroup', operation: 'getMany', returnAll: true, organizationId: byId(org.OrgId) });
			expect(apiCalls(`/system/orgs/${org.OrgId}/machinegroups`)).toHaveLength(1);
			const allGroups = await run({ resource: 'machineGroup', operation: 'getMany', returnAll: true });
			expect(allGroups.items).toHaveLength(sim.state.machineGroups.length);
			expect(groups.items.map((g) => g.MachineGroupId)).toEqual(
				sim.state.machineGroups.filter((g) => g.OrgId === org.OrgId).map((g) => g.MachineGroupId).sort(byNumber),
			);
			const mg = await run({ resource: 'machineGroup', operation: 'get', machineGroupId: byId(groups.items[0].MachineGroupId) });
			expect(mg.items[0].MachineGroupId).toBe(groups.items[0].MachineGroupId);
			expect(mg.items[0].OrgId).toBe(org.OrgId);

			// the full record (Simplify keeps the who/what/when set only)
			const users = await run({ resource: 'user', operation: 'getMany', returnAll: true, simplify: false });
			expect(users.items[0].UserId).toBe(sim.users[0].UserId);
			expect(users.items[0].DefaultStaffOrgId).toBe(sim.state.orgs[0].OrgId);
			expect(users.items[0].AdminRoleIds).toEqual(['2']);
			const user = await run({ resource: 'user', operation: 'get', userId: byId(sim.users[0].UserId) });
			expect(user.items[0].AdminName).toBe('admin');
		});

		test('an id that already went through a JS number is refused with a clear message', async () => {
			const org = sim.state.orgs[0];
			const r = await run({ resource: 'organization', operation: 'get', orgId: byId('={{ Number($json.id) }}') }, { input: [{ id: org.OrgId }] });
			expect(r.status).toBe('error');
			expect(r.error.message).toMatch(/lost digits|not valid/);
		});
	});

	describe('agent procedures', () => {
		test('run now: one PUT per agent (many items, duplicates folded), concurrency bounded, results paired to every item', async () => {
			const proc = sim.procedure('Install Patch');
			const agents = sim.state.agents.slice(0, 4).map((a) => a.AgentId);
			const input = [agents[0], agents[1], agents[0], agents[2], agents[3], agents[1]].map((agentId) => ({ agentId }));
			let inFlight = 0;
			let maxInFlight = 0;
			sim.onRequest = (ctx) => {
				if (/runnow$/.test(ctx.path)) {
					inFlight++;
					maxInFlight = Math.max(maxInFlight, inFlight);
					ctx.res.on('finish', () => inFlight--);
				}
			};
			const r = await run(
				{
					resource: 'agentProcedure',
					operation: 'runNow',
					agentId: { __rl: true, mode: 'id', value: '={{ $json.agentId }}' },
					procedureId: byId(proc.AgentProcedureId),
					options: { concurrency: 2 },
				},
				{ input },
			);
			expect(r.status).toBe('success');
			expect(r.items).toHaveLength(6);
			expect(r.raw.map((i) => i.pairedItem.item)).toEqual([0, 1, 2, 3, 4, 5]);
			expect(r.items.map((i) => i.agentId)).toEqual(input.map((i) => i.agentId));
			expect(r.items.every((i) => i.submitted === true && i.method === 'runnow' && i.procedureId === proc.AgentProcedureId)).toBe(true);
			const puts = sim.requests.filter((q) => q.method === 'PUT');
			expect(puts).toHaveLength(4);
			expect(puts.every((q) => q.body === '')).toBe(true);
			expect(puts.map((q) => q.path).sort()).toEqual(agents.map((a) => `/api/v1.0/automation/agentprocs/${a}/${proc.AgentProcedureId}/runnow`).sort());
			expect(maxInFlight).toBeLessThanOrEqual(2);
		});

		test('run now with an unknown procedure: 404 with the execute-right hint; continue on fail pairs errors and successes', async () => {
			const proc = sim.procedure('Install Patch');
			const [a, b] = sim.state.agents;
			const input = [
				{ agentId: a.AgentId, procedureId: proc.AgentProcedureId },
				{ agentId: b.AgentId, procedureId: '12345678901234567890123456' },
				{ agentId: 'not-an-id', procedureId: proc.AgentProcedureId },
			];
			const r = await run(
				{
					resource: 'agentProcedure',
					operation: 'runNow',
					agentId: { __rl: true, mode: 'id', value: '={{ $json.agentId }}' },
					procedureId: { __rl: true, mode: 'id', value: '={{ $json.procedureId }}' },
				},
				{ input, settings: { continueOnFail: true } },
			);
			expect(r.status).toBe('success');
			expect(r.raw.map((i) => i.pairedItem.item)).toEqual([0, 1, 2]);
			expect(r.items[0].submitted).toBe(true);
			expect(r.items[1].error).toMatch(/HTTP 404 to run agent procedure 12345678901234567890123456/);
			expect(r.items[1].description).toMatch(/execute right/);
			expect(r.items[2].error).toMatch(/agent ID "not-an-id" is not valid/);
			// the failed action was not retried
			expect(sim.requests.filter((q) => q.method === 'PUT')).toHaveLength(2);
			assertNoSecrets(SECRETS, r.items);
		});

		test('run with prompts: PUT …/schedule with ScriptPrompts; a missing prompt is the VSA 400, quoted', async () => {
			const proc = sim.procedure('Collect Logs');
			const agent = sim.state.agents[0];
			const r = await run({
				resource: 'agentProcedure',
				operation: 'runWithPrompts',
				agentId: byId(agent.AgentId),
				procedureId: byId(proc.AgentProcedureId),
				prompts: { prompt: [{ name: 'ticket', value: 'T-42', caption: 'Ticket number' }] },
				options: { skipIfOffline: true, startAt: '2030-05-01T13:45:00' },
			});
			expect(r.status).toBe('success');
			expect(r.items[0]).toMatchObject({ agentId: agent.AgentId, method: 'schedule', scheduledStart: '2030-05-01T13:45:00' });
			const put = sim.requests.find((q) => q.method === 'PUT');
			expect(put.path).toBe(`/api/v1.0/automation/agentprocs/${agent.AgentId}/${proc.AgentProcedureId}/schedule`);
			expect(JSON.parse(put.body)).toEqual({
				ScriptPrompts: [{ Caption: 'Ticket number', Name: 'ticket', Value: 'T-42' }],
				ServerTimeZone: true,
				SkipIfOffLine: true,
				Start: { StartOn: '2030-05-01T13:45:00', StartAt: 'T1345' },
			});

			const missing = await run({
				resource: 'agentProcedure',
				operation: 'runWithPrompts',
				agentId: byId(agent.AgentId),
				procedureId: byId(proc.AgentProcedureId),
			});
			expect(missing.status).toBe('error');
			expect(missing.error.message).toMatch(/HTTP 400 to run agent procedure .*: "Missing value for prompt 'ticket'"/);
		});

		test('run and wait: polls scheduledprocs, then history; success, failure and a timeout for an offline agent', async () => {
			const ok = sim.procedure('Install Patch');
			const failing = sim.procedure('Failing Script');
			const online = sim.state.agents.filter((a) => [1, 2, 11, 12].includes(a.Online)).slice(0, 3);
			const offline = sim.state.agents.find((a) => a.Online === 0);
			const input = [
				{ agentId: online[0].AgentId, procedureId: ok.AgentProcedureId },
				{ agentId: online[1].AgentId, procedureId: ok.AgentProcedureId },
				{ agentId: online[2].AgentId, procedureId: failing.AgentProcedureId },
				{ agentId: offline.AgentId, procedureId: ok.AgentProcedureId },
			];
			const r = await run(
				{
					resource: 'agentProcedure',
					operation: 'runAndWait',
					agentId: { __rl: true, mode: 'id', value: '={{ $json.agentId }}' },
					procedureId: { __rl: true, mode: 'id', value: '={{ $json.procedureId }}' },
					options: { pollInterval: 0.2, timeout: 2, concurrency: 4 },
				},
				{ input },
			);
			expect(r.status).toBe('success');
			expect(r.items).toHaveLength(4);
			expect(r.items[0]).toMatchObject({ agentId: online[0].AgentId, finished: true, status: 'Success THEN', success: true, procedureName: 'Install Patch', admin: 'admin' });
			expect(r.items[1]).toMatchObject({ finished: true, success: true });
			expect(r.items[2]).toMatchObject({ finished: true, status: 'Failed THEN in step 2', success: false, procedureName: 'Failing Script' });
			expect(r.items[3]).toMatchObject({ agentId: offline.AgentId, finished: false, success: false });
			expect(r.items[3].status).toMatch(/Still scheduled/);
			expect(r.items[0].lastExecutionTime).toMatch(/^\d{4}-\d\d-\d\dT/);
			// one run per agent, never repeated by the polling
			expect(sim.state.runs).toHaveLength(4);
			expect(apiCalls('/scheduledprocs').length).toBeGreaterThanOrEqual(4);
			expect(apiCalls('/history').length).toBeGreaterThanOrEqual(3);
			// the procedure name was looked up once per procedure with the M suffix
			const lookups = sim.requests.filter((q) => q.path === '/api/v1.0/automation/agentprocs');
			expect(lookups.map((q) => q.query.$filter).sort()).toEqual(
				[`AgentProcedureId eq ${ok.AgentProcedureId}M`, `AgentProcedureId eq ${failing.AgentProcedureId}M`].sort(),
			);
			const history = apiCalls('/history')[0];
			expect(history.query.$filter).toMatch(/^ScriptName eq '/);
		});

		test('run and wait ignores an older run of the same procedure in the history', async () => {
			const proc = sim.procedure("Clear 'Temp' Files");
			const agent = sim.state.agents.find((a) => a.Online === 1);
			sim.state.history.set(agent.AgentId, [
				{ ScriptName: proc.AgentProcedureName, LastExecutionTime: '2020-01-01T00:00:00Z', Status: 'Failed OLD', Admin: 'someone' },
			]);
			const r = await run({
				resource: 'agentProcedure',
				operation: 'runAndWait',
				agentId: byId(agent.AgentId),
				procedureId: { __rl: true, mode: 'list', value: proc.AgentProcedureId, cachedResultName: proc.AgentProcedureName },
				options: { pollInterval: 0.2, timeout: 5 },
			});
			expect(r.items[0]).toMatchObject({ finished: true, status: 'Success ELSE', success: true });
			// the name came from the picker: no lookup request
			expect(sim.requests.filter((q) => q.path === '/api/v1.0/automation/agentprocs')).toHaveLength(0);
			expect(apiCalls('/history')[0].query.$filter).toBe("ScriptName eq 'Clear ''Temp'' Files'");
		});

		test('get many procedures, scheduled and history of an agent', async () => {
			const procs = await run({ resource: 'agentProcedure', operation: 'getMany', returnAll: true, options: { filter: "startswith(Path, 'Shared')" } });
			expect(procs.items.map((p) => p.AgentProcedureName).sort()).toEqual(
				sim.state.procedures.filter((p) => p.Path.startsWith('Shared')).map((p) => p.AgentProcedureName).sort(),
			);
			expect(procs.items.every((p) => /^\d{26}$/.test(p.AgentProcedureId))).toBe(true);

			const agent = sim.state.agents.find((a) => a.Online === 0);
			const proc = sim.procedure('Install Patch');
			await run({ resource: 'agentProcedure', operation: 'runNow', agentId: byId(agent.AgentId), procedureId: byId(proc.AgentProcedureId) });
			const scheduled = await run({ resource: 'agentProcedure', operation: 'getScheduled', agentId: byId(agent.AgentId), returnAll: true });
			expect(scheduled.items).toHaveLength(1);
			expect(scheduled.items[0]).toMatchObject({ AgentId: agent.AgentId, AgentProcedureId: proc.AgentProcedureId });

			sim.state.history.set(agent.AgentId, [{ ScriptName: 'X', LastExecutionTime: '2024-01-01T00:00:00Z', Status: 'Success THEN', Admin: 'a' }]);
			const history = await run({ resource: 'agentProcedure', operation: 'getHistory', agentId: byId(agent.AgentId), returnAll: true });
			expect(history.items).toEqual([{ AgentId: agent.AgentId, ScriptName: 'X', LastExecutionTime: '2024-01-01T00:00:00Z', Status: 'Success THEN', Admin: 'a' }]);
		});
	});

	describe('alarms', () => {
		test('get many uses /alarms/true (never the session-stateful /false); close sends the notes array', async () => {
			const all = await run({ resource: 'alarm', operation: 'getMany', returnAll: true });
			expect(all.items.map((a) => a.AlarmId)).toEqual(sim.state.alarms.map((a) => a.AlarmId));
			expect(all.items[0].AlarmId).toMatch(/^\d{18}$/);
			expect(apiCalls('/assetmgmt/alarms/false')).toHaveLength(0);

			const target = sim.state.alarms[1];
			const closed = await run({ resource: 'alarm', operation: 'close', alarmId: byId(target.AlarmId), notes: 'Fixed by n8n' });
			expect(closed.items[0]).toMatchObject({ alarmId: target.AlarmId, closed: true });
			const put = sim.requests.find((q) => q.method === 'PUT');
			expect(put.path).toBe(`/api/v1.0/assetmgmt/alarms/${target.AlarmId}/close`);
			expect(JSON.parse(put.body)).toEqual([{ key: 'notes', value: 'Fixed by n8n' }]);
			expect(sim.state.closes).toEqual([{ alarmId: target.AlarmId, notes: 'Fixed by n8n' }]);

			const after = await run({ resource: 'alarm', operation: 'getMany', returnAll: true });
			expect(after.items.map((a) => a.AlarmId)).not.toContain(target.AlarmId);
			const one = await run({ resource: 'alarm', operation: 'get', alarmId: byId(sim.state.alarms[0].AlarmId) });
			expect(one.items[0].AlarmId).toBe(sim.state.alarms[0].AlarmId);
		});
	});

	describe('envelope and transport', () => {
		test('an HTML error page on a read is retried; a body ResponseCode 4030001 inside HTTP 200 is an error with the Role/Scope hint', async () => {
			sim.faults.add({ path: '/api/v1.0/system/orgs', html: true, status: 200 });
			const r = await run({ resource: 'organization', operation: 'getMany', returnAll: true });
			expect(r.status).toBe('success');
			expect(r.items).toHaveLength(3);
			expect(apiCalls('/system/orgs')).toHaveLength(2);

			sim.faults.add({ path: '/api/v1.0/system/users', status: 200, body: { Result: null, ResponseCode: 4030001, Status: 'Failed', Error: 'Access denied' } });
			const denied = await run({ resource: 'user', operation: 'getMany', returnAll: true });
			expect(denied.status).toBe('error');
			expect(denied.error.message).toMatch(/ResponseCode 4030001, HTTP 403 to get many users: "Access denied"/);
			expect(denied.error.description).toMatch(/Role/);
			assertNoSecrets(SECRETS, denied.error, denied.run.data.resultData);
		});

		test('"Error": "None" with ResponseCode "0" as a string is success; a bare payload without envelope is the result', async () => {
			sim.faults.add({
				path: '/api/v1.0/system/orgs',
				status: 200,
				body: { TotalRecords: 1, Result: [{ OrgId: '1', OrgName: 'x' }], ResponseCode: '0', Status: 'OK', Error: 'None' },
			});
			const r = await run({ resource: 'organization', operation: 'getMany', returnAll: true });
			expect(r.status).toBe('success');
			expect(r.items).toEqual([{ OrgId: '1', OrgName: 'x' }]);

			const org = sim.state.orgs[0];
			sim.faults.add({ path: `/api/v1.0/system/orgs/${org.OrgId}`, status: 200, body: `{"${org.OrgId}":"Protected","ParentOrgId":${org.OrgId}}` });
			const bare = await run({ resource: 'organization', operation: 'get', orgId: byId(org.OrgId), simplify: false });
			expect(bare.status).toBe('success');
			expect(bare.items).toEqual([{ [org.OrgId]: 'Protected', ParentOrgId: org.OrgId }]);
		});

		test('the lossless parser: big integers become exact strings, digits inside strings are untouched', () => {
			const { parseVsaJson, stringifyIds } = require('../dist/nodes/KaseyaVsa/transport/json.js');
			const text = '{"a":12345678901234567890123456,"b":"x\\"12345678901234567890","c":[-98765432109876543210,1.5,2e3,123456789012345],"d":1234567890123456.0,"AgentId":123456789012345}';
			expect(parseVsaJson(text)).toEqual({
				a: '12345678901234567890123456',
				b: 'x"12345678901234567890',
				c: ['-98765432109876543210', 1.5, 2000, 123456789012345],
				d: '1234567890123456',
				AgentId: 123456789012345,
			});
			expect(stringifyIds(parseVsaJson(text)).AgentId).toBe('123456789012345');
			// a string ending in an escaped backslash, then a big number; escaped quotes inside a string
			expect(parseVsaJson('{"s":"a\\\\","n":12345678901234567,"t":"\\\\\\"12345678901234567890"}')).toEqual({
				s: 'a\\', n: '12345678901234567', t: '\\"12345678901234567890',
			});
			expect(stringifyIds(parseVsaJson('{"Rows":[{"OrgID":12,"RoleIds":[1,{"UserId":2}],"Count":3}],"Ids":[7]}'))).toEqual({
				Rows: [{ OrgID: '12', RoleIds: ['1', { UserId: '2' }], Count: 3 }], Ids: ['7'],
			});
		});

		test('a 503 with Retry-After on a read is retried; on an action it is reported, not repeated', async () => {
			sim.faults.add({ path: '/api/v1.0/system/orgs', status: 503, headers: { 'Retry-After': '0' }, body: { ResponseCode: 503, Status: 'Failed', Error: 'Busy' } });
			const r = await run({ resource: 'organization', operation: 'getMany', returnAll: true });
			expect(r.status).toBe('success');
			expect(apiCalls('/system/orgs')).toHaveLength(2);

			const agent = sim.state.agents[0];
			const proc = sim.procedure('Install Patch');
			const path = `/api/v1.0/automation/agentprocs/${agent.AgentId}/${proc.AgentProcedureId}/runnow`;
			sim.faults.add({ path, status: 504, body: 'Gateway Timeout' });
			const action = await run({ resource: 'agentProcedure', operation: 'runNow', agentId: byId(agent.AgentId), procedureId: byId(proc.AgentProcedureId) });
			expect(action.status).toBe('error');
			expect(action.error.message).toMatch(/outcome of run agent procedure .* is unknown/);
			expect(action.error.description).toMatch(/procedure history/);
			expect(sim.requests.filter((q) => q.path === path)).toHaveLength(1);
		});
	});

	describe('list searches', () => {
		test('agents: substringof on AgentName, 100 per page with a skip token; procedures by name', async () => {
			const first = await engine.loadOptions('kaseyaVsa', CRED, 'listSearch', 'searchAgents', {}, '');
			expect(first.results).toHaveLength(100);
			expect(first.paginationToken).toBe('100');
			const second = await engine.loadOptions('kaseyaVsa', CRED, 'listSearch', 'searchAgents', {}, '', first.paginationToken);
			expect(second.results).toHaveLength(100);
			const third = await engine.loadOptions('kaseyaVsa', CRED, 'listSearch', 'searchAgents', {}, '', second.paginationToken);
			expect(third.results).toHaveLength(50);
			expect(third.paginationToken).toBeUndefined();
			const values = [...first.results, ...second.results, ...third.results].map((x) => x.value);
			expect(new Set(values).size).toBe(250);

			const filtered = await engine.loadOptions('kaseyaVsa', CRED, 'listSearch', 'searchAgents', {}, 'pc-0002');
			expect(filtered.results.length).toBeGreaterThan(0);
			expect(filtered.results.every((x) => x.name.includes('pc-0002'))).toBe(true);
			expect(sim.requests.at(-1).query.$filter).toBe("substringof('pc-0002', AgentName)");

			const procs = await engine.loadOptions('kaseyaVsa', CRED, 'listSearch', 'searchProcedures', {}, 'patch');
			expect(procs.results).toEqual([
				{ name: 'Install Patch (Shared/Patching/windows)', value: sim.procedure('Install Patch').AgentProcedureId },
			]);
			const orgs = await engine.loadOptions('kaseyaVsa', CRED, 'listSearch', 'searchOrganizations', {}, "o'brien");
			expect(orgs.results).toEqual([{ name: "O'Brien & Sons", value: sim.state.orgs[2].OrgId }]);
			expect(engine.logins(CRED)).toBe(1);
		});
	});
});
