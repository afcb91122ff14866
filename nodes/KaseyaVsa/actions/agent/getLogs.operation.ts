import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vsaList } from '../../transport/list';
import { ENTITIES, FEATURES, listFields, listQuery, locator, locatorId } from '../common';

const show = { resource: ['agent'], operation: ['getLogs'] };

/** Log routes under /assetmgmt/logs/{agentId}/ and the fields that tell two rows apart (PsKaseya's log classes). */
const LOGS: Record<string, { name: string; path: string; keyFields: string[] }> = {
	agent: { name: 'Agent Log', path: 'agent', keyFields: ['Time', 'Event'] },
	agentprocedure: { name: 'Agent Procedure Log', path: 'agentprocedure', keyFields: ['LastExecution', 'ProcedureHistory', 'Status', 'Admin'] },
	alarms: { name: 'Alarm Log', path: 'alarms', keyFields: ['Time', 'Event'] },
	configurationchanges: { name: 'Configuration Changes', path: 'configurationchanges', keyFields: ['Time', 'Event'] },
	eventApplication: { name: 'Event Log: Application', path: 'eventlog/application', keyFields: ['EventId', 'Time', 'Source', 'Description'] },
	eventDirectory: { name: 'Event Log: Directory Service', path: 'eventlog/directoryservice', keyFields: ['EventId', 'Time', 'Source', 'Description'] },
	eventDns: { name: 'Event Log: DNS Server', path: 'eventlog/dnsserver', keyFields: ['EventId', 'Time', 'Source', 'Description'] },
	eventIe: { name: 'Event Log: Internet Explorer', path: 'eventlog/internetexplorer', keyFields: ['EventId', 'Time', 'Source', 'Description'] },
	eventSecurity: { name: 'Event Log: Security', path: 'eventlog/security', keyFields: ['EventId', 'Time', 'Source', 'Description'] },
	eventSystem: { name: 'Event Log: System', path: 'eventlog/system', keyFields: ['EventId', 'Time', 'Source', 'Description'] },
	legacyremotecontrol: { name: 'Legacy Remote Control', path: 'legacyremotecontrol', keyFields: ['Time', 'Type', 'Duration', 'Admin'] },
	logmonitoring: { name: 'Log Monitoring', path: 'logmonitoring', keyFields: ['EventId', 'Time', 'Source', 'Description'] },
	monitoractions: { name: 'Monitor Actions', path: 'monitoractions', keyFields: ['Time', 'SNMPDevice', 'Type', 'Message'] },
	networkstats: { name: 'Network Statistics', path: 'networkstats', keyFields: ['NetworkStatID', 'Time', 'Application'] },
	remotecontrol: { name: 'Remote Control', path: 'remotecontrol', keyFields: ['StartTime', 'LastActiveTime', 'SessionType', 'Admin'] },
};

export const description: INodeProperties[] = [
	locator(ENTITIES.agent, show),
	{
		displayName: 'Log',
		name: 'logType',
		type: 'options',
		options: Object.entries(LOGS).map(([value, log]) => ({ name: log.name, value })),
		default: 'agent',
		displayOptions: { show },
	},
	...listFields(show, undefined, 'e.g. Time desc'),
	{
		displayName: 'Combine Into One Item',
		name: 'combine',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description:
			'Whether to output one item per input item with the entries in a list ({"AgentId", "log", "count", "entries"}), e.g. to put them into one note or ticket, instead of one item per entry',
	},
];

/** `GET /assetmgmt/logs/{agentId}/{log}` (event logs under …/eventlog/{name}), paged. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
	const type = String(this.getNodeParameter('logType', itemIndex, 'agent'));
	const log = LOGS[type] ?? LOGS.agent;
	const query = listQuery.call(this, itemIndex);
	const { rows } = await vsaList.call(this, `/assetmgmt/logs/${agentId}/${log.path}`, {
		...query,
		keyFields: log.keyFields,
		operation: `get the ${log.name.toLowerCase()} of agent ${agentId}`,
		itemIndex,
		feature: FEATURES.agentLogs,
	});
	if (this.getNodeParameter('combine', itemIndex, false) === true) {
		return [{ AgentId: agentId, log: log.name, count: rows.length, entries: rows }];
	}
	return rows.map((row) => ({ AgentId: agentId, ...row }));
}
