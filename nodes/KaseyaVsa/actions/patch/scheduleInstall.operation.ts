import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { vsaRequest } from '../../transport/request';
import { startBlock } from '../agentProcedure/run';
import { runGrouped } from '../batch';
import { ENTITIES, FEATURES, concurrencyOf, locator, locatorId } from '../common';
import { PATCH_OUTCOME_HINT, offlineOptions, patchIdsField, patchIdsOf, patchScheduleBase } from './common';

const show = { resource: ['patch'], operation: ['scheduleInstall'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.agent, show, {
		description: 'The agent to install the patches on. Map it from the input for many agents (one request per agent).',
	}),
	patchIdsField(show, 'The patches to install'),
	{
		displayName: 'Start At',
		name: 'startAt',
		type: 'dateTime',
		required: true,
		default: '',
		displayOptions: { show },
		description: "When to install, in the VSA server's time zone",
	},
	offlineOptions(show, true),
];

interface Schedule {
	agentId: string;
	body: IDataObject;
	patchIds: string[];
}

/**
 * `PUT /assetmgmt/patch/{agentId}/schedule` with the schedule body and `"PatchIds"`: one request per agent and
 * start time, with the patches of all its items. `Recurrence.EndAt` is `HHmm` without the `T` (Kaseya's VSAModule:
 * the server refuses a T-prefixed EndAt with HTTP 400). Never sent twice.
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	return await runGrouped<Schedule>(
		itemIndexes,
		concurrencyOf.call(this, itemIndexes[0]),
		(itemIndex) => {
			const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
			const patchIds = patchIdsOf.call(this, itemIndex);
			const startAt = String(this.getNodeParameter('startAt', itemIndex, '') ?? '');
			const start = startBlock(startAt);
			if (!start) {
				throw new NodeOperationError(this.getNode(), `"${startAt}" is not a date and time`, {
					itemIndex,
					description: 'Start At needs a date and time, e.g. 2025-06-01T22:00.',
				});
			}
			const base = patchScheduleBase.call(this, itemIndex);
			const body: IDataObject = {
				...base,
				Recurrence: { Repeat: 'Never', EndOn: start.StartOn, EndAt: String(start.StartAt).replace(/^T/, '') },
				Start: start,
			};
			return { key: JSON.stringify([agentId, body]), value: { agentId, body, patchIds } };
		},
		async (group): Promise<IDataObject> => {
			const { agentId, body, patchIds } = group.value;
			const res = await vsaRequest.call(this, 'PUT', `/assetmgmt/patch/${agentId}/schedule`, {
				body: { ...body, PatchIds: patchIds },
				operation: `schedule ${patchIds.length} patch${patchIds.length === 1 ? '' : 'es'} on agent ${agentId}`,
				idempotent: false,
				outcomeHint: PATCH_OUTCOME_HINT,
				itemIndex: group.itemIndexes[0],
				feature: FEATURES.patch,
			});
			return {
				AgentId: agentId,
				scheduled: true,
				patchIds,
				startOn: (body.Start as IDataObject).StartOn,
				result: (res.body?.Result as IDataObject | boolean | undefined) ?? true,
			};
		},
		(into, next) => {
			for (const id of next.patchIds) if (!into.patchIds.includes(id)) into.patchIds.push(id);
		},
	);
}
