'use strict';
/**
 * The VSA simulator itself is strict: these checks keep it from silently accepting what a real VSA rejects
 * (a lenient simulator would let node bugs pass).
 */
const crypto = require('node:crypto');
const { createVsaSim } = require('./sim/vsa');

const PAT = '00000000-0000-0000-0000-000000000000';

describe('Kaseya VSA simulator strictness', () => {
	let sim;
	let token;
	const api = async (path, { auth, method = 'GET', body } = {}) => {
		const res = await fetch(`${sim.url}/api/v1.0${path}`, {
			method,
			headers: { ...(auth !== null ? { Authorization: auth ?? `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const text = await res.text();
		return { status: res.status, text, json: text ? JSON.parse(text.replace(/:(\d{16,})([,}\]])/g, ':"$1"$2')) : undefined };
	};

	beforeAll(async () => {
		sim = createVsaSim({ agents: 250 });
		await sim.start();
		const r = await api('/auth', { auth: `Basic ${Buffer.from(`admin:${PAT}`).toString('base64')}` });
		token = r.json.Result.Token;
	});
	afterAll(async () => {
		await sim.stop();
	});

	test('auth: legacy blob with wrong hashes, missing "Basic", unknown user are refused', async () => {
		const rand = '12345678';
		const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
		const bad = `user=admin,pass2=${sha256('x')},pass1=abc,rpass2=${sha256('P@ssw0rd')},rpass1=x,rand2=${rand}`;
		expect((await api('/auth', { auth: `Basic ${Buffer.from(bad).toString('base64')}` })).status).toBe(401);
		expect((await api('/auth', { auth: Buffer.from(`admin:${PAT}`).toString('base64') })).json.Error).toBe('Header missing user param');
		expect((await api('/auth', { auth: `Basic ${Buffer.from(`nobody:${PAT}`).toString('base64')}` })).status).toBe(401);
	});

	test('a call without the word Bearer gets HTTP 200 with ResponseCode 401 in the body (9.3 behaviour)', async () => {
		const r = await api('/assetmgmt/agents', { auth: token });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ ResponseCode: 401, Status: 'OK', Error: 'None' });
		expect((await api('/assetmgmt/agents', { auth: 'Bearer nope' })).status).toBe(401);
	});

	test('$top is capped at 100; TotalRecords is the filtered total; big ids are bare numbers in the JSON text', async () => {
		const r = await api('/assetmgmt/agents?$top=500');
		expect(r.json.Result).toHaveLength(100);
		expect(r.json.TotalRecords).toBe(250);
		expect(r.text).toMatch(/"OrgId":\d{26},/);
		expect(r.text).toMatch(/"AgentId":\d{15},/);
	});

	test('$filter: the M suffix is required on decimal ids and refused on Int32; unsupported syntax is HTTP 400', async () => {
		const agent = sim.state.agents[3];
		const ok = await api(`/assetmgmt/agents?$filter=${encodeURIComponent(`AgentId eq ${agent.AgentId}M`)}`);
		expect(ok.json.Result.map((a) => String(a.AgentId))).toEqual([agent.AgentId]);
		const noM = await api(`/assetmgmt/agents?$filter=${encodeURIComponent(`AgentId eq ${agent.AgentId}`)}`);
		expect(noM.status).toBe(400);
		const orgNoM = await api(`/system/orgs?$filter=${encodeURIComponent(`OrgId eq ${sim.state.orgs[0].OrgId}`)}`);
		expect(orgNoM.json.Error).toMatch(/Unrecognized 'Edm.Int32' literal/);
		expect((await api(`/assetmgmt/agents?$filter=${encodeURIComponent('Online eq 1M')}`)).status).toBe(400);
		expect((await api(`/assetmgmt/agents?$filter=${encodeURIComponent("contains(AgentName, 'x')")}`)).status).toBe(400);
		expect((await api(`/assetmgmt/agents?$filter=${encodeURIComponent("Nope eq 'x'")}`)).status).toBe(400);
		expect((await api(`/assetmgmt/agents?$filter=${encodeURIComponent("not (Online eq 1)")}`)).status).toBe(400);
		const both = await api(`/assetmgmt/agents?$filter=${encodeURIComponent("startswith(ComputerName, 'pc-000') and (Online eq 0 or Online eq 1)")}`);
		expect(both.json.Result.every((a) => a.ComputerName.startsWith('PC-000') && [0, 1].includes(a.Online))).toBe(true);
		expect(both.json.Result.length).toBeGreaterThan(0);
	});

	test('$filter: and binds tighter than or, parentheses group, ge/le work; id lists with or; a query string over 2,048 characters is refused by IIS', async () => {
		const list = async (filter) => (await api(`/assetmgmt/agents?$top=100&$filter=${encodeURIComponent(filter)}`)).json;
		const group = sim.state.agents[0].MachineGroup;
		const expected = (pred) => sim.state.agents.filter(pred).length;
		const notOnline = (a) => a.Online === 0 || a.Online >= 198;
		expect((await list(`(MachineGroup eq '${group}') and (Online eq 0 or Online ge 198)`)).TotalRecords).toBe(expected((a) => a.MachineGroup === group && notOnline(a)));
		expect((await list(`MachineGroup eq '${group}' and Online eq 0 or Online ge 198`)).TotalRecords).toBe(expected((a) => (a.MachineGroup === group && a.Online === 0) || a.Online >= 198));
		expect((await list('Online le 0')).TotalRecords).toBe(expected((a) => a.Online === 0));
		const ids = sim.state.agents.slice(5, 8).map((a) => a.AgentId);
		const byIds = await list(ids.map((id) => `AgentId eq ${id}M`).join(' or '));
		expect(byIds.Result.map((a) => String(a.AgentId)).sort()).toEqual([...ids].sort());
		const many = sim.state.agents.slice(0, 60).map((a) => `AgentId eq ${a.AgentId}M`).join(' or ');
		const tooLong = await fetch(`${sim.url}/api/v1.0/assetmgmt/agents?$filter=${encodeURIComponent(many)}`, { headers: { Authorization: `Bearer ${token}` } });
		expect(tooLong.status).toBe(404);
		expect(await tooLong.text()).toMatch(/404\.15/);
	});

	test('options: an id typed Int32 refuses the M literal; a VSA ignoring $orderby answers in insertion order; IIS\'s remote 404 page names no substatus', async () => {
		const other = createVsaSim({ agents: 30, int32Fields: ['AgentId'], iisErrors: 'custom' });
		await other.start();
		try {
			const login = await fetch(`${other.url}/api/v1.0/auth`, { headers: { Authorization: `Basic ${Buffer.from(`admin:${PAT}`).toString('base64')}` } });
			const t = JSON.parse(await login.text()).Result.Token;
			const get = async (q) => {
				const res = await fetch(`${other.url}/api/v1.0/assetmgmt/agents?${q}`, { headers: { Authorization: `Bearer ${t}` } });
				const text = await res.text();
				return { status: res.status, text, json: text.startsWith('{') ? JSON.parse(text.replace(/:(\d{16,})([,}\]])/g, ':"$1"$2')) : undefined };
			};
			const id = other.state.agents[0].AgentId;
			expect((await get(`$filter=${encodeURIComponent(`AgentId gt ${id}M`)}`)).json.Error).toMatch(/incompatible types/);
			const sorted = (await get('$orderby=AgentId')).json.Result.map((a) => String(a.AgentId));
			expect(sorted).toEqual(other.state.agents.map((a) => a.AgentId).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
			other.ignoreOrderBy = true;
			const asInserted = (await get('$orderby=AgentId')).json.Result.map((a) => String(a.AgentId));
			expect(asInserted).toEqual(other.state.agents.map((a) => a.AgentId));
			expect((await get('$orderby=Nope')).status).toBe(400);
			const tooLong = await get(`$filter=${'x'.repeat(2100)}`);
			expect(tooLong.status).toBe(404);
			expect(tooLong.text).toMatch(/404 - File or directory not found/);
			expect(tooLong.text).not.toMatch(/404\.15/);
		} finally {
			await other.stop();
		}
	});

	test('runnow: 404 for an unknown procedure, 400 with a body; OData options on a PUT are refused', async () => {
		const agent = sim.state.agents[0];
		const proc = sim.procedure('Install Patch');
		expect((await api(`/automation/agentprocs/${agent.AgentId}/12345678901234567890123456/runnow`, { method: 'PUT' })).status).toBe(404);
		expect((await api(`/automation/agentprocs/${agent.AgentId}/${proc.AgentProcedureId}/runnow`, { method: 'PUT', body: { x: 1 } })).status).toBe(400);
		expect((await api(`/automation/agentprocs/${agent.AgentId}/${proc.AgentProcedureId}/runnow?$top=1`, { method: 'PUT' })).status).toBe(400);
		expect((await api(`/automation/agentprocs/${agent.AgentId}/${proc.AgentProcedureId}/runnow`, { method: 'PUT' })).status).toBe(204);
	});

	test('alarms: /false only returns alarms not yet returned to the session; close needs the key/value array', async () => {
		const first = await api('/assetmgmt/alarms/false');
		expect(first.json.Result.length).toBe(sim.state.alarms.length);
		expect((await api('/assetmgmt/alarms/false')).json.Result).toHaveLength(0);
		const id = sim.state.alarms[0].AlarmId;
		expect((await api(`/assetmgmt/alarms/${id}/close`, { method: 'PUT', body: { notes: 'x' } })).status).toBe(400);
	});
});
