'use strict';
/**
 * Kaseya VSA agent operations of issue 13 through the real n8n engine against the strict simulator: agent custom
 * fields (definitions, values, Set Value folded to the fewest requests), patch management (status, missing,
 * history, scan now, install now in one request, schedule / cancel per agent), agent notes, logs, audit run,
 * delete with its confirmation; a VSA build without a route says so instead of "check the ID".
 */
const { Engine, assertNoSecrets } = require('./harness');
const { createVsaSim, vsaCredential, byId } = require('./sim/vsa');

const CRED = 'kaseyaVsaApi';
const SECRETS = ['00000000-0000-0000-0000-000000000000', 'P@ssw0rd'];
const V1 = { settings: { typeVersion: 1 } };
const V11 = { settings: { typeVersion: 1.1 } };
const byExpression = (expr) => ({ __rl: true, mode: 'id', value: expr });

describe('Kaseya VSA agent operations (issue 13)', () => {
	let sim;
	let engine;
	const run = (parameters, opts) => engine.runNode('kaseyaVsa', CRED, parameters, opts);
	const calls = (method, re) => sim.requests.filter((q) => q.method === method && re.test(q.path));

	beforeEach(async () => {
		sim = createVsaSim({ agents: 30 });
		await sim.start();
		engine = new Engine({ [CRED]: vsaCredential(sim) });
	});
	afterEach(async () => {
		await sim.stop();
	});

	describe('custom fields', () => {
		test('Get Many lists the definitions; Get Values lists the values of one agent (one item per field, or combined)', async () => {
			const defs = await run({ resource: 'customField', operation: 'getMany', returnAll: true });
			expect(defs.items).toEqual([
				{ FieldName: 'Warranty End', FieldType: 'date' },
				{ FieldName: 'Backup Status', FieldType: 'string' },
			]);
			expect(calls('GET', /^\/api\/v1\.0\/assetmgmt\/assets\/customfields$/)).toHaveLength(1);

			const agent = sim.state.agents[2];
			sim.state.fieldValues.set(agent.AgentId, { 'Warranty End': '2027-01-31' });
			const values = await run({ resource: 'customField', operation: 'getValues', agentId: byId(agent.AgentId), returnAll: true });
			expect(values.items).toEqual([
				{ AgentId: agent.AgentId, FieldName: 'Warranty End', FieldValue: '2027-01-31' },
				{ AgentId: agent.AgentId, FieldName: 'Backup Status', FieldValue: null },
			]);
			const one = await run({ resource: 'customField', operation: 'getValues', agentId: byId(agent.AgentId), returnAll: true, combine: true });
			expect(one.items).toEqual([{ AgentId: agent.AgentId, 'Warranty End': '2027-01-31', 'Backup Status': null }]);
			expect(calls('GET', new RegExp(`/assetmgmt/assets/${agent.AgentId}/customfields$`))).toHaveLength(2);
		});

		test('Set Value on many items: one PUT per agent and value, identical items folded, two values for one agent sent in item order (the last stays)', async () => {
			const [a, b, c] = sim.state.agents.map((x) => x.AgentId);
			const input = [
				{ agent: a, value: 'OK' },
				{ agent: b, value: 'OK' },
				{ agent: a, value: 'OK' },
				{ agent: c, value: 'OK' },
				{ agent: a, value: 'FAILED' },
			];
			const r = await run(
				{ resource: 'customField', operation: 'setValue', agentId: byExpression('={{ $json.agent }}'), fieldName: 'Backup Status', value: '={{ $json.value }}' },
				{ input },
			);
			expect(r.status).toBe('success');
			expect(r.raw.map((i) => i.pairedItem.item)).toEqual([0, 1, 2, 3, 4]);
			expect(r.items.map((i) => [i.AgentId, i.FieldValue, i.set])).toEqual(input.map((i) => [i.agent, i.value, true]));
			const puts = calls('PUT', /\/customfields\//);
			expect(puts).toHaveLength(4);
			expect(puts.every((q) => q.path.endsWith('/customfields/Backup%20Status'))).toBe(true);
			expect(JSON.parse(puts[0].body)).toEqual([{ key: 'FieldValue', value: expect.any(String) }]);
			// agent a: OK before FAILED
			const forA = sim.state.fieldWrites.filter((w) => w.agentId === a).map((w) => w.value);
			expect(forA).toEqual(['OK', 'FAILED']);
			expect(sim.state.fieldValues.get(a)['Backup Status']).toBe('FAILED');
		});

		test('Create sends the key/value body; a duplicate is the VSA 400, quoted; Delete URL-encodes the name; a name with / is refused before any request', async () => {
			const created = await run({ resource: 'customField', operation: 'create', newFieldName: 'Rack Position', fieldType: 'number' });
			expect(created.items[0]).toMatchObject({ FieldName: 'Rack Position', FieldType: 'number', created: true });
			const post = calls('POST', /\/assetmgmt\/assets\/customfields$/)[0];
			expect(JSON.parse(post.body)).toEqual([
				{ key: 'FieldName', value: 'Rack Position' },
				{ key: 'FieldType', value: 'number' },
			]);
			const again = await run({ resource: 'customField', operation: 'create', newFieldName: 'Rack Position', fieldType: 'number' });
			expect(again.status).toBe('error');
			expect(again.error.message).toMatch(/HTTP 400 to create custom field "Rack Position": "Custom field 'Rack Position' already exists"/);
			expect(calls('POST', /customfields$/)).toHaveLength(2);

			const deleted = await run({ resource: 'customField', operation: 'delete', fieldName: 'Rack Position' });
			expect(deleted.items[0]).toMatchObject({ FieldName: 'Rack Position', deleted: true });
			expect(calls('DELETE', /customfields\/Rack%20Position$/)).toHaveLength(1);
			expect(sim.state.fieldDefs.map((d) => d.FieldName)).not.toContain('Rack Position');

			sim.resetLog();
			const bad = await run({ resource: 'customField', operation: 'delete', fieldName: 'a/b' });
			expect(bad.status).toBe('error');
			expect(bad.error.message).toMatch(/"a\/b" is not a valid custom field name/);
			expect(sim.requests).toHaveLength(0);
		});

		test('the field dropdown lists the definitions with their type, values are the names', async () => {
			const options = await engine.loadOptions('kaseyaVsa', CRED, 'loadOptions', 'getAgentCustomFields', { resource: 'customField', operation: 'setValue' });
			expect(options).toEqual([
				{ name: 'Backup Status (string)', value: 'Backup Status' },
				{ name: 'Warranty End (date)', value: 'Warranty End' },
			]);
		});
	});

	describe('patch', () => {
		test('Get Status, Get Missing Patches (denied hidden or not) and Get History read the agent; ids are strings', async () => {
			const agent = sim.state.agents[4];
			const status = await run({ resource: 'patch', operation: 'getStatus', agentId: byId(agent.AgentId) }, V1);
			expect(status.items[0]).toMatchObject({ AgentId: agent.AgentId, LastPatchScan: expect.any(String), RebootDay: 'Sunday' });

			const missing = await run({ resource: 'patch', operation: 'getMissing', agentId: byId(agent.AgentId), hideDenied: true, returnAll: true }, V1);
			const all = await run({ resource: 'patch', operation: 'getMissing', agentId: byId(agent.AgentId), hideDenied: false, returnAll: true }, V1);
			expect(calls('GET', /machineupdate\/true$/)).toHaveLength(1);
			expect(calls('GET', /machineupdate\/false$/)).toHaveLength(1);
			expect(all.items.length).toBe(missing.items.length + 1);
			expect(missing.items.every((p) => p.ApprovalStatus !== 1 && p.AgentId === agent.AgentId && typeof p.PatchDataId === 'string')).toBe(true);
			// Return All in id order
			expect(calls('GET', /machineupdate/)[0].query.$orderby).toBe('PatchDataId');

			const history = await run({ resource: 'patch', operation: 'getHistory', agentId: byId(agent.AgentId), returnAll: true }, V1);
			expect(history.items.map((h) => h.KBArticleId)).toEqual(['KB5001000', 'KB5001001']);
		});

		test('Scan Now: one PUT …/scannow per agent (duplicates folded); the recurring scan schedule is gone afterwards, as the description warns', async () => {
			const agents = sim.state.agents.slice(0, 4).map((a) => a.AgentId);
			const withSchedule = agents.find((id) => Number(id.slice(-1)) % 2 === 0);
			expect(withSchedule).toBeDefined();
			await run({ resource: 'patch', operation: 'getStatus', agentId: byId(withSchedule) });
			expect(sim.state.patchScanSchedules.has(withSchedule)).toBe(true);
			const input = [agents[0], agents[1], agents[0], agents[2], agents[3]].map((agent) => ({ agent }));
			const r = await run({ resource: 'patch', operation: 'scanNow', agentId: byExpression('={{ $json.agent }}') }, { input });
			expect(r.status).toBe('success');
			expect(r.items.map((i) => i.AgentId)).toEqual(input.map((i) => i.agent));
			expect(r.items.every((i) => i.scanStarted === true && i.recurringScanScheduleRemoved === true)).toBe(true);
			expect(calls('PUT', /\/scannow$/)).toHaveLength(4);
			expect(sim.state.patchScans.map((s) => s.agentId).sort()).toEqual([...agents].sort());
			expect(sim.state.patchScanSchedules.has(withSchedule)).toBe(false);

			const { nodeTypesMap } = require('./harness');
			const desc = nodeTypesMap['n8n-nodes-it-appliances.kaseyaVsa'].description;
			const op = desc.properties.find((p) => p.name === 'operation' && p.displayOptions.show.resource[0] === 'patch').options.find((o) => o.value === 'scanNow');
			expect(op.description).toMatch(/Replaces the recurring scan schedule/);
			const notice = desc.properties.find((p) => p.name === 'scanNowNotice');
			expect(notice.displayName).toMatch(/REPLACES the recurring patch scan schedule/);
		});

		test('Install Now: every agent of the input in ONE PUT /assetmgmt/patch/runnow (AgentGuids as strings), each item told which request it went in', async () => {
			const agents = sim.state.agents.slice(0, 3).map((a) => a.AgentId);
			const input = [agents[0], agents[1], agents[0], agents[2]].map((agent) => ({ agent }));
			const r = await run(
				{ resource: 'patch', operation: 'installNow', agentId: byExpression('={{ $json.agent }}'), options: { skipIfOffline: true } },
				{ input },
			);
			expect(r.status).toBe('success');
			expect(r.items.map((i) => [i.AgentId, i.submitted, i.agentsInRequest])).toEqual(input.map((i) => [i.agent, true, 3]));
			expect(r.raw.map((i) => i.pairedItem.item)).toEqual([0, 1, 2, 3]);
			const puts = calls('PUT', /\/assetmgmt\/patch\/runnow$/);
			expect(puts).toHaveLength(1);
			const body = JSON.parse(puts[0].body);
			expect(body).toEqual({
				ServerTimeZone: true,
				SkipIfOffline: true,
				PowerUpIfOffLine: false,
				SchedInAgentTime: false,
				Recurrence: { Repeat: 'Never' },
				Distribution: { Interval: 'Minutes', Magnitude: 0 },
				AgentGuids: agents,
			});
			expect(sim.state.patchRuns).toHaveLength(1);
		});

		test('Schedule Install: one PUT …/{agent}/schedule per agent with the patches of all its items; EndAt without the T; Cancel: DELETE …/cancelschedule?patchDataIds=…', async () => {
			const agent = sim.state.agents[5];
			const missing = await run({ resource: 'patch', operation: 'getMissing', agentId: byId(agent.AgentId), hideDenied: true, returnAll: true }, V1);
			const [p1, p2, p3] = missing.items.map((p) => p.PatchDataId);
			const input = [{ ids: `${p1}, ${p2}` }, { ids: [p2, p3] }];
			const r = await run(
				{ resource: 'patch', operation: 'scheduleInstall', agentId: byId(agent.AgentId), patchIds: '={{ $json.ids }}', startAt: '2030-06-01T22:30:00', options: {} },
				{ input },
			);
			expect(r.status).toBe('success');
			expect(r.items.every((i) => i.scheduled && i.startOn === '2030-06-01T22:30:00')).toBe(true);
			const puts = calls('PUT', /\/assetmgmt\/patch\/\d+\/schedule$/);
			expect(puts).toHaveLength(1);
			const body = JSON.parse(puts[0].body);
			expect(body.PatchIds).toEqual([p1, p2, p3]);
			expect(body.Recurrence).toEqual({ Repeat: 'Never', EndOn: '2030-06-01T22:30:00', EndAt: '2230' });
			expect(body.Start).toEqual({ StartOn: '2030-06-01T22:30:00', StartAt: 'T2230' });
			expect(sim.state.patchSchedules[0].patchIds).toEqual([p1, p2, p3]);

			const cancel = await run({ resource: 'patch', operation: 'cancelSchedule', agentId: byId(agent.AgentId), patchIds: `${p1},${p3}` });
			expect(cancel.items[0]).toMatchObject({ AgentId: agent.AgentId, cancelled: true, patchIds: [p1, p3] });
			const del = calls('DELETE', /cancelschedule$/)[0];
			expect(del.rawQuery).toBe(`patchDataIds=${p1}&patchDataIds=${p3}`);
			expect(sim.state.patchSchedules[0].patchIds).toEqual([p2]);

			sim.resetLog();
			const bad = await run({ resource: 'patch', operation: 'cancelSchedule', agentId: byId(agent.AgentId), patchIds: 'KB123' });
			expect(bad.status).toBe('error');
			expect(bad.error.message).toMatch(/"KB123" is not a patch ID/);
			expect(sim.requests).toHaveLength(0);
		});
	});

	describe('agent notes, logs, audit, delete', () => {
		test('Add Note posts the note as a bare JSON string', async () => {
			const agent = sim.state.agents[1];
			const r = await run({ resource: 'agent', operation: 'addNote', agentId: byId(agent.AgentId), note: 'Disk "C:" cleaned by n8n' });
			expect(r.items[0]).toMatchObject({ AgentId: agent.AgentId, added: true, note: 'Disk "C:" cleaned by n8n' });
			const post = calls('POST', /\/assetmgmt\/agent\/\d+\/note$/)[0];
			expect(post.body).toBe(JSON.stringify('Disk "C:" cleaned by n8n'));
			expect(post.headers['content-type']).toMatch(/application\/json/);
			expect(sim.state.agentNotes.map((n) => n.Note)).toEqual(['Disk "C:" cleaned by n8n']);
		});

		test('Get Logs: the agent log in pages (130 entries, 2 requests), an event log by its path, all entries combined into one item', async () => {
			const agent = sim.state.agents[0];
			const log = await run({ resource: 'agent', operation: 'getLogs', agentId: byId(agent.AgentId), logType: 'agent', returnAll: true });
			expect(log.items).toHaveLength(130);
			expect(new Set(log.items.map((e) => e.Event)).size).toBe(130);
			expect(log.items[0]).toMatchObject({ AgentId: agent.AgentId, Time: expect.any(String), Event: expect.any(String) });
			expect(calls('GET', /\/assetmgmt\/logs\/\d+\/agent$/)).toHaveLength(2);

			const sys = await run({ resource: 'agent', operation: 'getLogs', agentId: byId(agent.AgentId), logType: 'eventSystem', returnAll: false, limit: 3, options: { orderby: 'Time desc' } });
			expect(sys.items).toHaveLength(3);
			const q = calls('GET', /\/logs\/\d+\/eventlog\/system$/)[0];
			expect(q.query).toMatchObject({ $top: '3', $orderby: 'Time desc' });
			expect(sys.items[0].Time >= sys.items[1].Time).toBe(true);

			sim.addAlarm({ AgentId: agent.AgentId, AlarmSubject: 'CPU high' });
			const combined = await run({ resource: 'agent', operation: 'getLogs', agentId: byId(agent.AgentId), logType: 'alarms', returnAll: true, combine: true });
			expect(combined.items).toHaveLength(1);
			expect(combined.items[0]).toMatchObject({ AgentId: agent.AgentId, log: 'Alarm Log', count: expect.any(Number) });
			expect(combined.items[0].entries.some((e) => /CPU high/.test(e.Event))).toBe(true);
		});

		test('Run Audit: PUT …/audit/{kind}/{agentId}/runnow, once per agent and kind', async () => {
			const [a, b] = sim.state.agents.map((x) => x.AgentId);
			const r = await run(
				{ resource: 'agent', operation: 'runAudit', agentId: byExpression('={{ $json.agent }}'), auditType: 'sysinfo' },
				{ input: [{ agent: a }, { agent: b }, { agent: a }] },
			);
			expect(r.items.map((i) => [i.AgentId, i.audit, i.started])).toEqual([[a, 'sysinfo', true], [b, 'sysinfo', true], [a, 'sysinfo', true]]);
			expect(calls('PUT', /\/assetmgmt\/audit\/sysinfo\/\d+\/runnow$/)).toHaveLength(2);
			expect(sim.state.auditRuns).toEqual([{ agentId: a, kind: 'sysinfo' }, { agentId: b, kind: 'sysinfo' }]);
		});

		test('Delete: nothing is sent while Confirm Deletion is off; then DELETE …/agents/{id}/true once per agent', async () => {
			const [a, b] = sim.state.agents.map((x) => x.AgentId);
			const input = [{ agent: a }, { agent: b }, { agent: a }];
			const params = { resource: 'agent', operation: 'delete', agentId: byExpression('={{ $json.agent }}'), uninstallFirst: true };
			const refused = await run({ ...params, confirmDelete: false }, { input });
			expect(refused.status).toBe('error');
			expect(refused.error.message).toMatch(/was not deleted: Confirm Deletion is off/);
			expect(calls('DELETE', /.*/)).toHaveLength(0);

			const r = await run({ ...params, confirmDelete: true }, { input });
			expect(r.status).toBe('success');
			expect(r.items.map((i) => [i.AgentId, i.deleted, i.uninstallFirst])).toEqual([[a, true, true], [b, true, true], [a, true, true]]);
			expect(calls('DELETE', /\/assetmgmt\/agents\/\d+\/true$/)).toHaveLength(2);
			expect(sim.state.agents.some((x) => x.AgentId === a || x.AgentId === b)).toBe(false);
		});
	});

	describe('routes a VSA build may not have', () => {
		test('agent notes, logs, patch and custom fields: "this VSA build or module does not offer …", not "check the ID"; a missing agent still gets the ID hint', async () => {
			await sim.stop();
			sim = createVsaSim({ agents: 5, unsupported: ['agentNote', 'agentLogs', 'patch', 'customFields'] });
			await sim.start();
			engine = new Engine({ [CRED]: vsaCredential(sim) });
			const agent = sim.state.agents[0].AgentId;
			const cases = [
				[{ resource: 'agent', operation: 'addNote', agentId: byId(agent), note: 'x' }, /does not offer agent notes/],
				[{ resource: 'agent', operation: 'getLogs', agentId: byId(agent), logType: 'agent', returnAll: true }, /does not offer this agent log/],
				[{ resource: 'patch', operation: 'getStatus', agentId: byId(agent) }, /does not offer Patch Management/],
				[{ resource: 'customField', operation: 'getMany', returnAll: true }, /does not offer agent custom fields/],
			];
			for (const [params, re] of cases) {
				const r = await run(params);
				expect(r.status).toBe('error');
				expect(r.error.message).toMatch(re);
				expect(`${r.error.message} ${r.error.description}`).not.toMatch(/Check the ID/);
				assertNoSecrets(SECRETS, r.error);
			}
			// an action is not retried after its route answered 404
			expect(calls('POST', /\/note$/)).toHaveLength(1);

			const missing = await run({ resource: 'agent', operation: 'runAudit', agentId: byId('999999999999999'), auditType: 'latest' });
			expect(missing.error.message).toMatch(/HTTP 404 to run the latest audit on agent 999999999999999: "Agent not found"/);
			expect(missing.error.description).toMatch(/Check the ID/);
		});
	});

	describe('Simplify (node version 1.1) and version 1', () => {
		test('Get agent: version 1 keeps the full record; 1.1 the flat set with ids as strings, off gives the full record again', async () => {
			const agent = sim.state.agents[3];
			const full = await run({ resource: 'agent', operation: 'get', agentId: byId(agent.AgentId) }, V1);
			expect(Object.keys(full.items[0])).toEqual(expect.arrayContaining(['FirstCheckIn', 'AgentVersion', 'RamMBytes']));
			const simple = await run({ resource: 'agent', operation: 'get', agentId: byId(agent.AgentId) }, V11);
			expect(Object.keys(simple.items[0])).toEqual(
				['AgentId', 'AgentName', 'ComputerName', 'Online', 'OSType', 'OSInfo', 'IPAddress', 'MachineGroup', 'MachineGroupId', 'OrgId', 'LastCheckInTime', 'CurrentUser', 'LastLoggedInUser'].filter((k) => agent[k] !== '' && agent[k] !== null),
			);
			expect(simple.items[0].AgentId).toBe(agent.AgentId);
			const off = await run({ resource: 'agent', operation: 'get', agentId: byId(agent.AgentId), simplify: false }, V11);
			expect(off.items[0]).toEqual(full.items[0]);

			const many1 = await run({ resource: 'agent', operation: 'getMany', returnAll: false, limit: 2 }, V1);
			const many11 = await run({ resource: 'agent', operation: 'getMany', returnAll: false, limit: 2 }, V11);
			expect(many1.items[0].FirstCheckIn).toBeDefined();
			expect(many11.items[0].FirstCheckIn).toBeUndefined();
			expect(many11.items.map((a) => a.AgentId)).toEqual(many1.items.map((a) => a.AgentId));
		});

		test('the other reads: audit summary, patch status and missing patches, procedures, alarms, organizations', async () => {
			const agent = sim.state.agents[0].AgentId;
			const cases = [
				[{ resource: 'agent', operation: 'getAuditSummary', agentId: byId(agent) }, ['AgentGuid', 'ComputerName', 'OsInfo'], 'SystemSerialNumber'],
				[{ resource: 'patch', operation: 'getStatus', agentId: byId(agent) }, ['AgentId', 'LastPatchScan', 'RebootDay'], 'RunCount'],
				[{ resource: 'patch', operation: 'getMissing', agentId: byId(agent), hideDenied: true, returnAll: true }, ['PatchDataId', 'KBArticleId', 'UpdateTitle'], 'UpdateClassification'],
				[{ resource: 'agentProcedure', operation: 'getMany', returnAll: true }, ['AgentProcedureId', 'AgentProcedureName'], 'Attributes'],
				[{ resource: 'alarm', operation: 'getMany', returnAll: true }, ['AlarmId', 'AlarmSubject'], 'MonitorType'],
				[{ resource: 'organization', operation: 'getMany', returnAll: true }, ['OrgId', 'OrgName'], 'Website'],
			];
			for (const [params, kept, dropped] of cases) {
				const simple = await run(params, V11);
				const full = await run(params, V1);
				expect(simple.status).toBe('success');
				for (const k of kept) expect(simple.items[0]).toHaveProperty(k);
				// a field only the full record has (or that Simplify keeps last): the two differ
				expect(Object.keys(simple.items[0]).length).toBeLessThanOrEqual(Object.keys(full.items[0]).length);
				if (!Object.keys(simple.items[0]).includes(dropped)) expect(full.items[0]).toHaveProperty(dropped);
			}
		});
	});
});
