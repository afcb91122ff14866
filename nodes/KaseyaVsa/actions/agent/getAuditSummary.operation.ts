import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyProperties } from '../../../shared/simplify';
import { resultObject, vsaRequest } from '../../transport/request';
import { ENTITIES, locator, locatorId } from '../common';
import { simplified } from '../simple';

const show = { resource: ['agent'], operation: ['getAuditSummary'] };

export const description: INodeProperties[] = [locator(ENTITIES.agent, show), ...simplifyProperties(show)];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
	const res = await vsaRequest.call(this, 'GET', `/assetmgmt/audit/${agentId}/summary`, {
		operation: `get the audit summary of agent ${agentId}`,
		itemIndex,
		notFoundHint: 'No audit data for this agent: check the agent ID, and that the agent has run at least one audit.',
	});
	return simplified.call(this, itemIndex, [resultObject(res)], 'auditSummary');
}
