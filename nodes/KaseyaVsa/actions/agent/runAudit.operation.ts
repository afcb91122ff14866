import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { vsaRequest } from '../../transport/request';
import { runGrouped } from '../batch';
import { ENTITIES, concurrencyOf, concurrencyOptions, locator, locatorId } from '../common';

const show = { resource: ['agent'], operation: ['runAudit'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.agent, show, { description: 'The agent to audit. Map it from the input to audit many agents (one request per agent).' }),
	{
		displayName: 'Audit',
		name: 'auditType',
		type: 'options',
		options: [
			{ name: 'Baseline Audit', value: 'baseline', description: 'The reference configuration other audits are compared with' },
			{ name: 'Latest Audit', value: 'latest', description: 'The full audit of the current configuration (hardware, software)' },
			{ name: 'System Info', value: 'sysinfo', description: 'System information only (manufacturer, serial number…)' },
		],
		default: 'latest',
		displayOptions: { show },
	},
	concurrencyOptions(show),
];

/** `PUT /assetmgmt/audit/{latest|sysinfo|baseline}/{agentId}/runnow`, once per agent and audit; never sent twice. */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	return await runGrouped<{ agentId: string; kind: string }>(
		itemIndexes,
		concurrencyOf.call(this, itemIndexes[0]),
		(itemIndex) => {
			const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
			const kind = String(this.getNodeParameter('auditType', itemIndex, 'latest'));
			return { key: `${kind}|${agentId}`, value: { agentId, kind: ['latest', 'sysinfo', 'baseline'].includes(kind) ? kind : 'latest' } };
		},
		async (group): Promise<IDataObject> => {
			const { agentId, kind } = group.value;
			const res = await vsaRequest.call(this, 'PUT', `/assetmgmt/audit/${kind}/${agentId}/runnow`, {
				operation: `run the ${kind} audit on agent ${agentId}`,
				idempotent: false,
				outcomeHint: "Check the agent's audit in VSA (Audit > Run Audit) before running it again.",
				itemIndex: group.itemIndexes[0],
			});
			return { AgentId: agentId, audit: kind, started: true, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
		},
	);
}
