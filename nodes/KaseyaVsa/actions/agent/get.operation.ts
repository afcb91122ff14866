import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { resultObject, vsaRequest } from '../../transport/request';
import { ENTITIES, locator, locatorId } from '../common';

const show = { resource: ['agent'], operation: ['get'] };

export const description: INodeProperties[] = [locator(ENTITIES.agent, show)];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
	const res = await vsaRequest.call(this, 'GET', `/assetmgmt/agents/${agentId}`, {
		operation: `get agent ${agentId}`,
		itemIndex,
	});
	return resultObject(res);
}
