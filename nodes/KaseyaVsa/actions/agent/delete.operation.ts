import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { vsaRequest } from '../../transport/request';
import { runGrouped } from '../batch';
import { ENTITIES, concurrencyOf, concurrencyOptions, locator, locatorId } from '../common';

const show = { resource: ['agent'], operation: ['delete'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Deleting an agent removes it and its audit, log and procedure data from VSA. It cannot be undone.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	locator(ENTITIES.agent, show, { description: 'The agent to delete. Map it from the input to delete many agents (one request per agent).' }),
	{
		displayName: 'Confirm Deletion',
		name: 'confirmDelete',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: 'Whether you confirm that the agents are deleted for good. Nothing is deleted while this is off.',
	},
	{
		displayName: 'Uninstall the Agent First',
		name: 'uninstallFirst',
		type: 'boolean',
		default: true,
		displayOptions: { show },
		description: 'Whether VSA uninstalls the agent software from the machine before deleting the agent (otherwise the machine keeps an orphaned agent that may check in again)',
	},
	concurrencyOptions(show),
];

/**
 * `DELETE /assetmgmt/agents/{agentId}/{uninstallFirst}`, once per agent however many items name it, only with
 * Confirm Deletion on (checked before any request). Never sent twice: a lost answer is "outcome unknown".
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	return await runGrouped<{ agentId: string; uninstallFirst: boolean }>(
		itemIndexes,
		concurrencyOf.call(this, itemIndexes[0]),
		(itemIndex) => {
			const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
			if (this.getNodeParameter('confirmDelete', itemIndex, false) !== true) {
				throw new NodeOperationError(this.getNode(), `Agent ${agentId} was not deleted: Confirm Deletion is off`, {
					itemIndex,
					description: 'Deleting an agent cannot be undone. Turn on Confirm Deletion to delete it.',
				});
			}
			const uninstallFirst = this.getNodeParameter('uninstallFirst', itemIndex, true) === true;
			return { key: `${agentId}|${uninstallFirst}`, lane: agentId, value: { agentId, uninstallFirst } };
		},
		async (group): Promise<IDataObject> => {
			const { agentId, uninstallFirst } = group.value;
			const res = await vsaRequest.call(this, 'DELETE', `/assetmgmt/agents/${agentId}/${uninstallFirst ? 'true' : 'false'}`, {
				operation: `delete agent ${agentId}`,
				idempotent: false,
				outcomeHint: 'Check whether the agent is still listed in VSA (Agent > Manage Agents, or Get) before deleting it again.',
				itemIndex: group.itemIndexes[0],
			});
			return { AgentId: agentId, deleted: true, uninstallFirst, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
		},
	);
}
