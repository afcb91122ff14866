import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { vsaRequest } from '../../transport/request';
import { runGrouped } from '../batch';
import { ENTITIES, FEATURES, concurrencyOf, concurrencyOptions, locator, locatorId } from '../common';
import { PATCH_OUTCOME_HINT } from './common';

const show = { resource: ['patch'], operation: ['scanNow'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'A scan now REPLACES the recurring patch scan schedule of the agent (it is removed). Schedule the scans again in VSA afterwards, or let a Patch Management policy re-apply them at its next compliance check.',
		name: 'scanNowNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	locator(ENTITIES.agent, show, {
		description: 'The agent to scan. Map it from the input to scan many agents (one request per agent).',
	}),
	concurrencyOptions(show),
];

/** `PUT /assetmgmt/patch/{agentId}/scannow` (no body), once per agent however many items name it; never sent twice. */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	return await runGrouped<string>(
		itemIndexes,
		concurrencyOf.call(this, itemIndexes[0]),
		(itemIndex) => {
			const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
			return { key: agentId, value: agentId };
		},
		async (group): Promise<IDataObject> => {
			const agentId = group.value;
			const res = await vsaRequest.call(this, 'PUT', `/assetmgmt/patch/${agentId}/scannow`, {
				operation: `start a patch scan on agent ${agentId}`,
				idempotent: false,
				outcomeHint: PATCH_OUTCOME_HINT,
				itemIndex: group.itemIndexes[0],
				feature: FEATURES.patch,
			});
			return {
				AgentId: agentId,
				scanStarted: true,
				recurringScanScheduleRemoved: true,
				result: (res.body?.Result as IDataObject | boolean | undefined) ?? true,
			};
		},
	);
}
