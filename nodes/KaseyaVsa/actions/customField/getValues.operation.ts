import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vsaList } from '../../transport/list';
import { ENTITIES, FEATURES, listFields, listQuery, locator, locatorId } from '../common';

const show = { resource: ['customField'], operation: ['getValues'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.agent, show),
	...listFields(show, undefined, 'e.g. FieldName'),
	{
		displayName: 'Combine Into One Item',
		name: 'combine',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: 'Whether to output one item per agent with every field as a property ({"AgentId": …, "Warranty End": …}) instead of one item per field',
	},
];

/** `GET /assetmgmt/assets/{agentId}/customfields`: {FieldName, FieldValue} per field, with the agent's id. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
	const query = listQuery.call(this, itemIndex);
	const { rows } = await vsaList.call(this, `/assetmgmt/assets/${agentId}/customfields`, {
		...query,
		keyFields: ['FieldName'],
		operation: `get the custom fields of agent ${agentId}`,
		itemIndex,
		feature: FEATURES.customFields,
	});
	if (this.getNodeParameter('combine', itemIndex, false) === true) {
		const one: IDataObject = { AgentId: agentId };
		for (const row of rows) if (typeof row.FieldName === 'string') one[row.FieldName] = (row.FieldValue as IDataObject[keyof IDataObject]) ?? null;
		return [one];
	}
	return rows.map((row) => ({ AgentId: agentId, ...row }));
}
