import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { vsaRequest } from '../../transport/request';
import { runGrouped } from '../batch';
import { ENTITIES, FEATURES, concurrencyOf, concurrencyOptions, locator, locatorId } from '../common';
import { PATCH_OUTCOME_HINT, patchIdsField, patchIdsOf } from './common';

const show = { resource: ['patch'], operation: ['cancelSchedule'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.agent, show),
	patchIdsField(show, 'The patches whose scheduled installation to cancel'),
	concurrencyOptions(show),
];

/**
 * `DELETE /assetmgmt/patch/{agentId}/cancelschedule?patchDataIds=…&patchDataIds=…` (as Kaseya's VSAModule sends
 * it): one request per agent with the patches of all its items. Never sent twice.
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	return await runGrouped<{ agentId: string; patchIds: string[] }>(
		itemIndexes,
		concurrencyOf.call(this, itemIndexes[0]),
		(itemIndex) => {
			const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
			return { key: agentId, value: { agentId, patchIds: patchIdsOf.call(this, itemIndex) } };
		},
		async (group): Promise<IDataObject> => {
			const { agentId, patchIds } = group.value;
			const query = patchIds.map((id) => `patchDataIds=${encodeURIComponent(id)}`).join('&');
			const res = await vsaRequest.call(this, 'DELETE', `/assetmgmt/patch/${agentId}/cancelschedule?${query}`, {
				operation: `cancel the scheduled installation of ${patchIds.length} patch${patchIds.length === 1 ? '' : 'es'} on agent ${agentId}`,
				idempotent: false,
				outcomeHint: PATCH_OUTCOME_HINT,
				itemIndex: group.itemIndexes[0],
				feature: FEATURES.patch,
			});
			return { AgentId: agentId, cancelled: true, patchIds, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
		},
		(into, next) => {
			for (const id of next.patchIds) if (!into.patchIds.includes(id)) into.patchIds.push(id);
		},
	);
}
