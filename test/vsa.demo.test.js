'use strict';
/**
 * The demo workflow of issue 13 (demo/workflows.mjs, "Kaseya VSA: new alarm → collect logs → note on the agent →
 * Service Desk ticket"), with its exact nodes and parameters, run through the real engine against the simulator:
 * the New Alarm trigger's items feed the workflow as n8n would.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { Engine, PACKAGE, nodeTypesMap } = require('./harness');
const { createVsaSim, vsaCredential } = require('./sim/vsa');

const CRED = 'kaseyaVsaApi';
const ROOT = path.join(__dirname, '..');

/** The demo workflow as demo/workflows.mjs builds it (an ES module: built in a child process). */
function demoWorkflow(desk) {
	const script = `
		const m = await import(${JSON.stringify(path.join(ROOT, 'demo', 'workflows.mjs'))});
		const desk = ${JSON.stringify(desk)};
		const sims = { vsa: { serviceDesk: (name) => (name === desk.ServiceDeskName ? desk : undefined) } };
		const wf = m.vsaAlarmTicket(sims, m.WORKFLOW_IDS.vsaAlarmTicket, m.PKG + '.kaseyaVsa', m.cred('kaseyaVsaApi'));
		process.stdout.write(JSON.stringify(wf));`;
	return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT }).toString());
}

describe('Kaseya VSA demo: new alarm → collect logs → note on the agent → Service Desk ticket', () => {
	let sim;
	let engine;
	beforeEach(async () => {
		sim = createVsaSim({ agents: 5 });
		await sim.start();
		engine = new Engine({ [CRED]: vsaCredential(sim) });
	});
	afterEach(async () => {
		await sim.stop();
	});

	test('one new alarm: its alarm log collected, one note on its agent, one ticket in the Standard desk at High priority', async () => {
		const std = sim.serviceDesk('Standard');
		const wf = demoWorkflow({ ServiceDeskId: std.ServiceDeskId, ServiceDeskName: std.ServiceDeskName, _priorities: std._priorities });
		expect(wf.nodes.map((n) => n.name)).toEqual(['New Alarm', 'Collect Alarm Log', 'Note On Agent', 'Open Ticket']);

		// the trigger as activated: baseline, then the new alarm
		const trigger = wf.nodes[0];
		expect((await engine.poll('kaseyaVsaTrigger', CRED, trigger.parameters)).result).toBeNull();
		const agent = sim.state.agents[1];
		sim.addAlarm({ AgentId: agent.AgentId, MachineName: agent.AgentName, AlarmSubject: 'Disk C: below 5%' });
		const polled = await engine.poll('kaseyaVsaTrigger', CRED, trigger.parameters);
		expect(polled.items).toHaveLength(1);

		// the trigger node replaced by a feed of what it emitted (same name, so $('New Alarm') resolves)
		nodeTypesMap['test.demoAlarmFeed'] = {
			description: { displayName: 'Feed', name: 'demoAlarmFeed', group: ['transform'], version: 1, defaults: {}, inputs: ['main'], outputs: ['main'], properties: [] },
			async execute() {
				return [polled.items.map((json) => ({ json, pairedItem: { item: 0 } }))];
			},
		};
		const nodes = [
			{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ ...trigger, type: 'test.demoAlarmFeed', typeVersion: 1, parameters: {}, credentials: undefined },
			...wf.nodes.slice(1).map((n) => ({ ...n, credentials: { [CRED]: { id: '1', name: 'cred' } } })),
		];
		expect(nodes.slice(2).every((n) => n.type === `${PACKAGE}.kaseyaVsa`)).toBe(true);
		const connections = { ...wf.connections, Start: { main: [[{ node: 'New Alarm', type: 'main', index: 0 }]] } };
		sim.resetLog();
		let r;
		try {
			r = await engine.run(nodes, connections, 'Start', 'Open Ticket');
		} finally {
			delete nodeTypesMap['test.demoAlarmFeed'];
		}
		expect(r.error).toBeUndefined();
		expect(r.status).toBe('success');

		const logReads = sim.requests.filter((q) => q.path === `/api/v1.0/assetmgmt/logs/${agent.AgentId}/alarms`);
		expect(logReads).toHaveLength(1);
		expect(sim.state.agentNotes).toHaveLength(1);
		expect(sim.state.agentNotes[0].AgentId).toBe(agent.AgentId);
		expect(sim.state.agentNotes[0].Note).toMatch(/^n8n: alarm \d+ \(Disk C: below 5%\), \d+ alarm log entries collected$/);
		const ticket = sim.state.tickets[sim.state.tickets.length - 1];
		expect(sim.state.ticketActions.filter((a) => a.what === 'create')).toHaveLength(1);
		expect(ticket).toMatchObject({ ServiceDeskId: std.ServiceDeskId, Summary: `Disk C: below 5% on ${agent.AgentName}`, Priority: 'High' });
		expect(ticket._description).toMatch(/Alarm log:\n[^]*Disk C: below 5%/); // log lines of one second come in any order
		expect(r.items[0]).toMatchObject({ ServiceDeskTicketId: ticket.ServiceDeskTicketId, created: true });
	});
});
