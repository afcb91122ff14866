import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { vsaRequest } from '../../transport/request';
import { ENTITIES, locator, locatorId } from '../common';

const show = { resource: ['agent'], operation: ['rename'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.agent, show),
	{
		displayName: 'New Name',
		name: 'newName',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show },
		description: 'The new agent (machine ID) name',
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
	const newName = String(this.getNodeParameter('newName', itemIndex, '')).trim();
	if (!newName || /[/\\?#%]/.test(newName)) {
		throw new NodeOperationError(this.getNode(), `"${newName}" is not a valid agent name`, {
			itemIndex,
			description: 'The name is sent in the URL path: it must not be empty or contain / \\ ? # or %.',
		});
	}
	const res = await vsaRequest.call(this, 'PUT', `/assetmgmt/agents/${agentId}/rename/${encodeURIComponent(newName)}`, {
		operation: `rename agent ${agentId}`,
		idempotent: false,
		outcomeHint: `Check the agent's name in VSA (Agents > Manage Agents) before renaming it again.`,
		itemIndex,
	});
	return { agentId, newName, renamed: true, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
}
