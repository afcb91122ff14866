import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vsaList } from '../../transport/list';
import { ENTITIES, listFields, listQuery, locator, locatorId } from '../common';

const show = { resource: ['agentProcedure'], operation: ['getScheduled'] };

export const description: INodeProperties[] = [locator(ENTITIES.agent, show), ...listFields(show, undefined, 'e.g. AgentProcedureId')];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
	const query = listQuery.call(this, itemIndex);
	const { rows } = await vsaList.call(this, `/automation/agentprocs/${agentId}/scheduledprocs`, {
		...query,
		operation: `get the scheduled procedures of agent ${agentId}`,
		itemIndex,
	});
	return rows.map((row) => ({ AgentId: agentId, ...row }));
}
