import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vsaList } from '../../transport/list';
import { listFields, listQuery } from '../common';

const show = { resource: ['agentProcedure'], operation: ['getMany'] };

export const description: INodeProperties[] = listFields(show, undefined, 'e.g. AgentProcedureName');

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const query = listQuery.call(this, itemIndex);
	const { rows } = await vsaList.call(this, '/automation/agentprocs', {
		...query,
		idField: 'AgentProcedureId',
		operation: 'get many agent procedures',
		itemIndex,
	});
	return rows;
}
