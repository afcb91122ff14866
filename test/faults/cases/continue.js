'use strict';
/**
 * Continue On Fail: the failing item gets an error item, the others proceed, every output is paired with its
 * input item.
 */
const { forAll, count, pairing } = require('./common');
const { byId } = require('../lib/appliances');
const { verdict } = require('../lib/verdict');

/** Output items grouped by the input item they are paired with. */
function byInput(r) {
	const map = new Map();
	(r.raw || []).forEach((o) => {
		const i = o.pairedItem && typeof o.pairedItem === 'object' ? o.pairedItem.item : o.pairedItem;
		if (!map.has(i)) map.set(i, []);
		map.get(i).push(o.json);
	});
	return map;
}

module.exports = [
	...forAll((a) => ({
		id: 'continue-on-fail-missing-record',
		title: 'Get for 3 items, the middle id does not exist (404)',
		expected: 'item 1 is an error item quoting the appliance; items 0 and 2 are their records; pairing 0,1,2',
		async run(ctx) {
			const sim = await ctx.sim();
			const [x, , y] = a.get.validIds(sim);
			const ids = [x, a.get.missingId, y];
			const r = await ctx.run(ctx.engine(sim), a.get.params(), { input: ids.map((id) => ({ id })), settings: { continueOnFail: true } });
			return { r, sim, ids };
		},
		expect({ r, ids }) {
			const v = verdict();
			const groups = byInput(r);
			v.eq(pairing(r), [0, 1, 2], 'pairing');
			v.eq((groups.get(0) || []).map(a.get.idOf), [ids[0]], 'item 0');
			v.eq((groups.get(2) || []).map(a.get.idOf), [ids[2]], 'item 2');
			const err = (groups.get(1) || [])[0] || {};
			v.ok(!!err.error, 'item 1 is an error item');
			v.match(`${err.error} ${err.description}`, /404|not found/i, 'item 1 says not found');
			v.match(String(err.error), a.name, 'item 1 names the appliance');
			return v.done(`pairing ${pairing(r).join(',')}; item 1: "${err.error}"`);
		},
	})),
	...forAll((a) => ({
		id: 'continue-on-fail-fault-on-one-item',
		title: 'Get for 3 items, HTTP 500 on every attempt for the middle one',
		expected: 'item 1 is an error item after bounded retries; items 0 and 2 are their records; pairing 0,1,2',
		async run(ctx) {
			const sim = await ctx.sim();
			const ids = a.get.validIds(sim);
			sim.faults.add({ path: a.get.path(ids[1]), status: 500, times: 99 });
			const r = await ctx.run(ctx.engine(sim), a.get.params(), { input: ids.map((id) => ({ id })), settings: { continueOnFail: true } });
			return { r, sim, ids };
		},
		expect({ r, sim, ids }) {
			const v = verdict();
			const groups = byInput(r);
			v.eq(pairing(r), [0, 1, 2], 'pairing');
			v.eq((groups.get(0) || []).map(a.get.idOf), [ids[0]], 'item 0');
			v.eq((groups.get(2) || []).map(a.get.idOf), [ids[2]], 'item 2');
			const err = (groups.get(1) || [])[0] || {};
			v.match(String(err.error), /HTTP 500/, 'item 1 error quotes HTTP 500');
			v.eq(count(sim, a.get.path(ids[1])), 4, 'attempts for item 1');
			return v.done(`pairing ${pairing(r).join(',')}; ${count(sim, a.get.path(ids[1]))} attempts for item 1: "${err.error}"`);
		},
	})),

	// an action whose answer is lost for one item: that item says "unknown", the others are done once
	{
		appliance: 'kace',
		id: 'continue-on-fail-action-lost-answer',
		title: 'Script → Run for scripts 1, 2, 3; the answer for script 2 is lost',
		expected: 'item 1 says outcome unknown; scripts 1 and 3 run once; each run request sent once; pairing 0,1,2',
		async run(ctx) {
			const sim = await ctx.sim();
			sim.faults.add({ method: 'POST', path: '/api/script/2/actions/run', reset: 'after' });
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'script', operation: 'run', scriptId: { mode: 'id', value: '={{ $json.script }}' }, target: 'ids', machineIds: '1',
			}, { input: [{ script: 1 }, { script: 2 }, { script: 3 }], settings: { continueOnFail: true } });
			return { r, sim };
		},
		expect({ r, sim }) {
			const v = verdict();
			v.eq(pairing(r), [0, 1, 2], 'pairing');
			v.match(String(r.items[1] && r.items[1].error), /unknown/i, 'item 1 outcome unknown');
			v.ok(!r.items[0].error && !r.items[2].error, 'items 0 and 2 ok');
			v.eq([1, 2, 3].map((s) => count(sim, `/api/script/${s}/actions/run`, 'POST')), [1, 1, 1], 'run requests per script');
			v.eq(sim.state.scriptRuns.map((x) => x.scriptId).sort(), [1, 2, 3], 'runs on the appliance');
			return v.done(`pairing ${pairing(r).join(',')}; item 1: "${r.items[1] && r.items[1].error}"`);
		},
	},
	{
		appliance: 'vsa',
		id: 'continue-on-fail-action-lost-answer',
		title: 'Agent Procedure → Run Now on 3 agents; the answer for the second is lost',
		expected: 'item 1 says outcome unknown; the other two run once; each request sent once; pairing 0,1,2',
		async run(ctx) {
			const sim = await ctx.sim();
			const agents = sim.state.agents.filter((x) => [1, 2, 11, 12].includes(x.Online)).slice(0, 3).map((x) => x.AgentId);
			const proc = sim.procedure('Reboot Now').AgentProcedureId;
			sim.faults.add({ method: 'PUT', path: `/api/v1.0/automation/agentprocs/${agents[1]}/${proc}/runnow`, reset: 'after' });
			const r = await ctx.run(ctx.engine(sim), {
				resource: 'agentProcedure', operation: 'runNow', agentId: { __rl: true, mode: 'id', value: '={{ $json.agent }}' }, procedureId: byId(proc), options: {},
			}, { input: agents.map((agent) => ({ agent })), settings: { continueOnFail: true } });
			return { r, sim, agents, proc };
		},
		expect({ r, sim, agents, proc }) {
			const v = verdict();
			v.eq(pairing(r), [0, 1, 2], 'pairing');
			v.match(String(r.items[1] && r.items[1].error), /unknown/i, 'item 1 outcome unknown');
			v.ok(r.items[0] && !r.items[0].error && r.items[2] && !r.items[2].error, 'items 0 and 2 ok');
			v.eq(agents.map((id) => count(sim, `/api/v1.0/automation/agentprocs/${id}/${proc}/runnow`, 'PUT')), [1, 1, 1], 'requests per agent');
			v.eq(sim.state.runs.length, 3, 'runs on the appliance');
			return v.done(`pairing ${pairing(r).join(',')}; item 1: "${r.items[1] && r.items[1].error}"`);
		},
	},
	{
		appliance: 'sps',
		id: 'continue-on-fail-action-lost-answer',
		title: 'Active Session → Terminate 3 sessions; the answer for the second is lost',
		expected: 'item 1 says outcome unknown; the others terminated; each request sent once; pairing 0,1,2',
		async run(ctx) {
			const sim = await ctx.sim();
			const ids = sim.state.audit.filter((s) => s.body.active).slice(0, 3).map((s) => s.body.recording.session_id);
			sim.faults.add({ method: 'DELETE', path: '/api/active-sessions', nth: 2, reset: 'after' });
			const r = await ctx.run(ctx.engine(sim), { resource: 'activeSession', operation: 'terminate', sessionId: '={{ $json.id }}' }, {
				input: ids.map((id) => ({ id })), settings: { continueOnFail: true },
			});
			return { r, sim, ids };
		},
		expect({ r, sim, ids }) {
			const v = verdict();
			v.eq(pairing(r), [0, 1, 2], 'pairing');
			v.match(String(r.items[1] && r.items[1].error), /unknown/i, 'item 1 outcome unknown');
			v.ok(r.items[0] && !r.items[0].error && r.items[2] && !r.items[2].error, 'items 0 and 2 ok');
			v.eq(count(sim, '/api/active-sessions', 'DELETE'), 3, 'terminate requests');
			const ended = ids.filter((id) => sim.state.audit.find((s) => s.body.recording.session_id === id).body.active === false).length;
			v.eq(ended, 3, 'sessions ended on the appliance');
			return v.done(`pairing ${pairing(r).join(',')}; item 1: "${r.items[1] && r.items[1].error}"`);
		},
	},
];

