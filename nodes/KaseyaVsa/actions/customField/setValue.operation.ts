import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemResult } from '../../../shared/execute';
import { vsaRequest } from '../../transport/request';
import { runGrouped } from '../batch';
import { ENTITIES, FEATURES, concurrencyOf, concurrencyOptions, locator, locatorId } from '../common';
import { FIELD_OUTCOME_HINT, fieldNameOf, fieldNameOption } from './fields';

const show = { resource: ['customField'], operation: ['setValue'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.agent, show, {
		description: 'The agent whose field to set. Map it from the input to set the field on many agents (the VSA takes one agent per request).',
	}),
	fieldNameOption(show, 'The custom field to set'),
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		displayOptions: { show },
		description: 'The new value (sent as text; dates as the VSA shows them, e.g. 2025-12-31)',
	},
	concurrencyOptions(show),
];

interface SetValue {
	agentId: string;
	fieldName: string;
	value: string;
}

/**
 * `PUT /assetmgmt/assets/{agentId}/customfields/{fieldName}` with `[{"key":"FieldValue","value":"…"}]`. The API
 * takes one agent and one field per request, so that is the fewest requests possible: items that set the same
 * value on the same agent's field share one request; different values for one agent's field are sent one after
 * the other, in item order (the last one stays). Never sent twice.
 */
export async function executeBatch(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemResult[]> {
	return await runGrouped<SetValue>(
		itemIndexes,
		concurrencyOf.call(this, itemIndexes[0]),
		(itemIndex) => {
			const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
			const fieldName = fieldNameOf.call(this, itemIndex);
			const value = String(this.getNodeParameter('value', itemIndex, '') ?? '');
			const lane = JSON.stringify([agentId, fieldName]);
			return { key: JSON.stringify([agentId, fieldName, value]), lane, value: { agentId, fieldName, value } };
		},
		async (group): Promise<IDataObject> => {
			const { agentId, fieldName, value } = group.value;
			const res = await vsaRequest.call(this, 'PUT', `/assetmgmt/assets/${agentId}/customfields/${encodeURIComponent(fieldName)}`, {
				body: [{ key: 'FieldValue', value }],
				operation: `set custom field "${fieldName}" of agent ${agentId}`,
				idempotent: false,
				outcomeHint: FIELD_OUTCOME_HINT,
				itemIndex: group.itemIndexes[0],
				feature: FEATURES.customFields,
				notFoundHint: 'Check the agent ID and the field name: the agent or the custom field does not exist (create the field first).',
			});
			return { AgentId: agentId, FieldName: fieldName, FieldValue: value, set: true, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
		},
	);
}
