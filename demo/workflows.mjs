// Demo credentials and workflows for `npm start` (scripts/demo.mjs) and the e2e run (test/e2e/run.mjs).
// One set per appliance: a manual workflow that reads the whole inventory (Return All, several pages) and takes an
// action, and a polling trigger chained to a downstream node of the same appliance.
//
// Everything is built from the running simulators (scripts/simulators.mjs), so ids (e.g. the 26-digit VSA
// procedure id) always match their data. Ids are 16 characters, as n8n generates them.

import { createHash } from 'node:crypto';

import { credentialData } from '../scripts/simulators.mjs';

export const PKG = 'n8n-nodes-it-appliances';

export const CREDENTIAL_IDS = Object.freeze({
	kaceSmaApi: 'demoKaceCred0001',
	kaseyaVsaApi: 'demoVsaCred00001',
	safeguardSpsApi: 'demoSpsCred00001',
});

export const CREDENTIAL_NAMES = Object.freeze({
	kaceSmaApi: 'KACE SMA simulator (admin)',
	kaseyaVsaApi: 'Kaseya VSA simulator (admin, PAT)',
	safeguardSpsApi: 'SPS simulator (admin)',
});

export const WORKFLOW_IDS = Object.freeze({
	kaceInventory: 'demoKaceInvent01',
	kaceTrigger: 'demoKaceTicket01',
	vsaInventory: 'demoVsaAgents001',
	vsaTrigger: 'demoVsaAlarms001',
	vsaAlarmTicket: 'demoVsaAlarmTkt1',
	spsInventory: 'demoSpsAudit0001',
	spsTrigger: 'demoSpsSession01',
});

/** n8n's import:credentials format (data in clear; n8n encrypts it on import). */
export function demoCredentials(sims, line, { ids = CREDENTIAL_IDS, names = CREDENTIAL_NAMES, over = {} } = {}) {
	const data = credentialData(sims, line, over);
	return Object.keys(ids).map((type) => ({ id: ids[type], name: names[type], type, data: { ...data[type], session: '' } }));
}

/** A stable UUID-shaped node id per workflow and position. */
function nodeId(wf, n) {
	const h = createHash('sha256').update(`${wf}:${n}`).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A workflow in n8n's import:workflow format. nodes: [name, type, parameters, extra?]; connections: [[from, to], …] */
export function workflow(id, name, nodes, connections, { tags } = {}) {
	const list = nodes.map(([nodeName, type, parameters, extra = {}], i) => ({
		id: nodeId(id, i + 1),
		name: nodeName,
		type,
		typeVersion: extra.typeVersion ?? 1,
		position: extra.position ?? [i * 260, 0],
		parameters,
		...(extra.credentials ? { credentials: extra.credentials } : {}),
		...(extra.executeOnce ? { executeOnce: true } : {}),
		...(extra.notes ? { notes: extra.notes, notesInFlow: true } : {}),
	}));
	const conn = {};
	for (const [from, to] of connections) {
		conn[from] ??= { main: [[]] };
		conn[from].main[0].push({ node: to, type: 'main', index: 0 });
	}
	return {
		id,
		name,
		active: false,
		nodes: list,
		connections: conn,
		settings: { executionOrder: 'v1', saveManualExecutions: true },
		pinData: {},
		...(tags ? { tags } : {}),
	};
}

export const cred = (type, ids = CREDENTIAL_IDS, names = CREDENTIAL_NAMES) => ({ [type]: { id: ids[type], name: names[type] } });
export const byId = (value) => ({ __rl: true, mode: 'id', value: String(value) });
/** A resource locator in "From List" mode: the value and the name the editor shows for it. */
export const fromList = (value, name) => ({ __rl: true, mode: 'list', value: String(value), cachedResultName: name });
export const EVERY_MINUTE = { item: [{ mode: 'everyMinute' }] };
const MANUAL = 'n8n-nodes-base.manualTrigger';

/** The KACE managed install the demo targets (7-Zip in the simulator's data). */
export const KACE_MANAGED_INSTALL_ID = 2;
/** Queue the KACE trigger watches (IT Help Desk; the simulators' generator files its tickets there). */
export const KACE_TICKET_QUEUE_ID = 1;
/** Owner the KACE trigger workflow assigns new tickets to (John Doe, a directory user of the simulator). */
export const KACE_TICKET_OWNER_ID = 20;
export const VSA_PROCEDURE_NAME = 'Install Patch';
export const VSA_AGENTS_TO_PATCH = 3;
/** the Service Desk the alarm → ticket demo opens its tickets in, and the priority it gives them */
export const VSA_SERVICE_DESK_NAME = 'Standard';
export const VSA_TICKET_PRIORITY = 'High';

export function demoWorkflows(sims, { credIds = CREDENTIAL_IDS, credNames = CREDENTIAL_NAMES, ids = WORKFLOW_IDS } = {}) {
	const c = (type) => cred(type, credIds, credNames);
	const kace = `${PKG}.kaceSma`;
	const vsa = `${PKG}.kaseyaVsa`;
	const sps = `${PKG}.safeguardSps`;
	const procedure = sims.vsa.procedure(VSA_PROCEDURE_NAME);
	if (!procedure) throw new Error(`the VSA simulator has no procedure "${VSA_PROCEDURE_NAME}"`);
	const managedInstall = sims.kace.state.managedInstalls.find((m) => Number(m.id) === KACE_MANAGED_INSTALL_ID);
	if (!managedInstall) throw new Error(`the KACE simulator has no managed install ${KACE_MANAGED_INSTALL_ID}`);

	return [
		workflow(
			ids.kaceInventory,
			'KACE SMA: all machines → 7-Zip managed install',
			[
				['Start', MANUAL, {}],
				['Get All Machines', kace, { resource: 'machine', operation: 'getMany', returnAll: true, filters: {}, options: {} }, { credentials: c('kaceSmaApi') }],
				[
					'Add To 7-Zip Managed Install',
					kace,
					{
						resource: 'managedInstall',
						operation: 'addToMachines',
						// "From List", as a user picks it: the editor shows the name (7-Zip …), not a bare ID
						// (the name as the node's list search shows it; the e2e run checks they agree)
						managedInstallId: fromList(KACE_MANAGED_INSTALL_ID, `${managedInstall.name} (#${KACE_MANAGED_INSTALL_ID})`),
						machineIds: '={{ $json.Id }}',
					},
					{ credentials: c('kaceSmaApi') },
				],
			],
			[
				['Start', 'Get All Machines'],
				['Get All Machines', 'Add To 7-Zip Managed Install'],
			],
		),
		workflow(
			ids.kaceTrigger,
			'KACE SMA: new help-desk ticket → assign to first-line owner',
			[
				['New Ticket', `${kace}Trigger`, { pollTimes: EVERY_MINUTE, event: 'newTicket', queueId: String(KACE_TICKET_QUEUE_ID), options: {} }, { credentials: c('kaceSmaApi') }],
				[
					'Assign Owner',
					kace,
					// the Owner dropdown's option values are strings: a number would show "The value "20" is not supported!"
					{ resource: 'ticket', operation: 'update', ticketId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, updateFields: { owner: String(KACE_TICKET_OWNER_ID) } },
					{ credentials: c('kaceSmaApi') },
				],
			],
			[['New Ticket', 'Assign Owner']],
		),
		workflow(
			ids.vsaInventory,
			`Kaseya VSA: all agents → run "${VSA_PROCEDURE_NAME}"`,
			[
				['Start', MANUAL, {}],
				['Get All Agents', vsa, { resource: 'agent', operation: 'getMany', returnAll: true, options: {} }, { credentials: c('kaseyaVsaApi') }],
				['First 3 Agents', 'n8n-nodes-base.limit', { maxItems: VSA_AGENTS_TO_PATCH }],
				[
					`Run ${VSA_PROCEDURE_NAME}`,
					vsa,
					{
						resource: 'agentProcedure',
						operation: 'runNow',
						agentId: { __rl: true, mode: 'id', value: '={{ $json.AgentId }}' },
						procedureId: fromList(procedure.AgentProcedureId, `${procedure.AgentProcedureName} (${procedure.Path})`),
						options: {},
					},
					{ credentials: c('kaseyaVsaApi') },
				],
			],
			[
				['Start', 'Get All Agents'],
				['Get All Agents', 'First 3 Agents'],
				['First 3 Agents', `Run ${VSA_PROCEDURE_NAME}`],
			],
		),
		workflow(
			ids.vsaTrigger,
			'Kaseya VSA: new alarm → agent details',
			[
				['New Alarm', `${vsa}Trigger`, { pollTimes: EVERY_MINUTE, event: 'newAlarm', options: {} }, { credentials: c('kaseyaVsaApi') }],
				['Get Agent', vsa, { resource: 'agent', operation: 'get', agentId: { __rl: true, mode: 'id', value: '={{ $json.AgentId }}' } }, { credentials: c('kaseyaVsaApi') }],
			],
			[['New Alarm', 'Get Agent']],
		),
		// alarm → collect logs → note on the agent → Service Desk ticket (issue 13); not activated by `npm start`
		...(ids.vsaAlarmTicket ? [vsaAlarmTicket(sims, ids.vsaAlarmTicket, vsa, c('kaseyaVsaApi'))] : []),
		workflow(
			ids.spsInventory,
			'SPS: all recorded sessions + create an API key',
			[
				['Start', MANUAL, {}],
				[
					'Search All Sessions',
					sps,
					{ resource: 'auditSession', operation: 'search', query: '', returnAll: true, sessionData: 'key' },
					{ credentials: c('safeguardSpsApi'), position: [260, -100] },
				],
				[
					'Create API Key',
					sps,
					{ resource: 'apiKey', operation: 'create', name: "={{ 'n8n_demo_' + $now.toFormat('yyyyLLdd_HHmmss') }}" },
					{ credentials: c('safeguardSpsApi'), position: [260, 100] },
				],
			],
			[
				['Start', 'Search All Sessions'],
				['Start', 'Create API Key'],
			],
		),
		workflow(
			ids.spsTrigger,
			'SPS: new recorded session → its events',
			[
				['New Recorded Session', `${sps}Trigger`, { pollTimes: EVERY_MINUTE, event: 'newSession', query: '', sessionData: 'full', options: {} }, { credentials: c('safeguardSpsApi') }],
				['Get Session Events', sps, { resource: 'auditSession', operation: 'getEvents', sessionKey: '={{ $json.key }}', returnAll: true }, { credentials: c('safeguardSpsApi') }],
			],
			[['New Recorded Session', 'Get Session Events']],
		),
	];
}

/**
 * Kaseya VSA: a new alarm → the agent's alarm log (one item) → a note on the agent → a ticket in the Standard
 * service desk with the log in its description. The desk is picked From List and the priority from the desk's
 * dropdown, as a user would (the e2e run checks the editor shows no parameter issue).
 */
export function vsaAlarmTicket(sims, id, vsa, credentials) {
	const desk = sims.vsa.serviceDesk(VSA_SERVICE_DESK_NAME);
	if (!desk) throw new Error(`the VSA simulator has no service desk "${VSA_SERVICE_DESK_NAME}"`);
	const priority = desk._priorities.find((p) => p.PriorityName === VSA_TICKET_PRIORITY);
	if (!priority) throw new Error(`the VSA service desk "${VSA_SERVICE_DESK_NAME}" has no priority "${VSA_TICKET_PRIORITY}"`);
	const alarm = "$('New Alarm').item.json";
	const agentOfAlarm = { __rl: true, mode: 'id', value: `={{ ${alarm}.AgentId }}` };
	return workflow(
		id,
		'Kaseya VSA: new alarm → collect logs → note on the agent → Service Desk ticket',
		[
			['New Alarm', `${vsa}Trigger`, { pollTimes: EVERY_MINUTE, event: 'newAlarm', options: {} }, { credentials }],
			[
				'Collect Alarm Log',
				vsa,
				{ resource: 'agent', operation: 'getLogs', agentId: agentOfAlarm, logType: 'alarms', returnAll: false, limit: 20, options: { orderby: 'Time desc' }, combine: true },
				{ credentials, typeVersion: 1.1 },
			],
			[
				'Note On Agent',
				vsa,
				{ resource: 'agent', operation: 'addNote', agentId: agentOfAlarm, note: `={{ 'n8n: alarm ' + ${alarm}.AlarmId + ' (' + ${alarm}.AlarmSubject + '), ' + $json.count + ' alarm log entries collected' }}` },
				{ credentials, typeVersion: 1.1 },
			],
			[
				'Open Ticket',
				vsa,
				{
					resource: 'ticket',
					operation: 'create',
					serviceDeskId: fromList(desk.ServiceDeskId, desk.ServiceDeskName),
					summary: `={{ ${alarm}.AlarmSubject + ' on ' + ${alarm}.MachineName }}`,
					priority: String(priority.PriorityId),
					additionalFields: {
						description: `={{ 'Alarm ' + ${alarm}.AlarmId + ': ' + ${alarm}.Message + '\\n\\nAlarm log:\\n' + $('Collect Alarm Log').item.json.entries.map(e => e.Time + ' ' + e.Event).join('\\n') }}`,
					},
				},
				{ credentials, typeVersion: 1.1 },
			],
		],
		[
			['New Alarm', 'Collect Alarm Log'],
			['Collect Alarm Log', 'Note On Agent'],
			['Note On Agent', 'Open Ticket'],
		],
	);
}

/** Workflow ids of the demo's polling triggers (activated by `npm start`). */
export const TRIGGER_WORKFLOW_IDS = [WORKFLOW_IDS.kaceTrigger, WORKFLOW_IDS.vsaTrigger, WORKFLOW_IDS.spsTrigger];
