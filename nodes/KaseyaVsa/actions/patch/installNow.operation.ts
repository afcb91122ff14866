import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { vsaRequest } from '../../transport/request';
import type { ItemGroup } from '../batch';
import { groupItems, sendGroups } from '../batch';
import { ENTITIES, FEATURES, locator, locatorId } from '../common';
import { PATCH_OUTCOME_HINT, offlineOptions, patchScheduleBase } from './common';

const show = { resource: ['patch'], operation: ['installNow'] };

/** Agents per `PUT /assetmgmt/patch/runnow`: no limit is documented; this keeps one request body modest. */
export const MAX_AGENTS_PER_RUN = 500;

export const description: INodeProperties[] = [
	locator(ENTITIES.agent, show, {
		description:
			'The agent to update. Map it from the input to update many agents: the VSA takes them all in one request (up to 500 per request).',
	}),
	offlineOptions(show, false),
];

interface Run {
	body: IDataObject;
	agents: string[];
	agentOf: Map<number, string>;
}

/**
 * `PUT /assetmgmt/patch/runnow` with the schedule body and `"AgentGuids": [agent ids]`: installs the approved
 * missing patches on every agent of the input in ONE request (per 500 agents and per option set). Every item
 * gets the answer of the request its agent went in. Never sent twice: a lost answer is "outcome unknown".
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	const { groups, results } = groupItems<Run>(
		itemIndexes,
		(itemIndex) => {
			const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
			const body = patchScheduleBase.call(this, itemIndex);
			return { key: JSON.stringify(body), value: { body, agents: [agentId], agentOf: new Map([[itemIndex, agentId]]) } };
		},
		(into, next) => {
			for (const [itemIndex, agentId] of next.agentOf) {
				into.agentOf.set(itemIndex, agentId);
				if (!into.agents.includes(agentId)) into.agents.push(agentId);
			}
		},
	);
	// at most MAX_AGENTS_PER_RUN agents per request
	const chunks: Array<ItemGroup<Run>> = [];
	for (const group of groups) {
		for (let start = 0; start < group.value.agents.length; start += MAX_AGENTS_PER_RUN) {
			const agents = group.value.agents.slice(start, start + MAX_AGENTS_PER_RUN);
			const items = group.itemIndexes.filter((i) => agents.includes(group.value.agentOf.get(i)!));
			chunks.push({ ...group, key: `${group.key}#${start}`, lane: `${group.key}#${start}`, itemIndexes: items, value: { ...group.value, agents } });
		}
	}
	const sent = await sendGroups(chunks, 4, async (group) => {
		const { body, agents, agentOf } = group.value;
		const res = await vsaRequest.call(this, 'PUT', '/assetmgmt/patch/runnow', {
			body: { ...body, AgentGuids: agents },
			operation: `install patches now on ${agents.length === 1 ? `agent ${agents[0]}` : `${agents.length} agents`}`,
			idempotent: false,
			outcomeHint: PATCH_OUTCOME_HINT,
			itemIndex: group.itemIndexes[0],
			feature: FEATURES.patch,
		});
		const result = (res.body?.Result as IDataObject | boolean | undefined) ?? true;
		return (itemIndex: number) => ({ AgentId: agentOf.get(itemIndex), submitted: true, agentsInRequest: agents.length, result });
	});
	return [...results, ...sent];
}
