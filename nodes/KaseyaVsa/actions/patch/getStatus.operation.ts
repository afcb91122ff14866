import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyProperties } from '../../../shared/simplify';
import { resultObject, vsaRequest } from '../../transport/request';
import { ENTITIES, FEATURES, locator, locatorId } from '../common';
import { simplified } from '../simple';

const show = { resource: ['patch'], operation: ['getStatus'] };

export const description: INodeProperties[] = [locator(ENTITIES.agent, show), ...simplifyProperties(show)];

/** `GET /assetmgmt/patch/{agentId}/status`: last and next scan, reboot settings, results pending… */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
	const res = await vsaRequest.call(this, 'GET', `/assetmgmt/patch/${agentId}/status`, {
		operation: `get the patch status of agent ${agentId}`,
		itemIndex,
		feature: FEATURES.patch,
	});
	return simplified.call(this, itemIndex, [{ AgentId: agentId, ...resultObject(res) }], 'patchStatus');
}
