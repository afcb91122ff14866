import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyProperties } from '../../../shared/simplify';
import { vsaList } from '../../transport/list';
import { listFields, listQuery } from '../common';
import { simplified } from '../simple';
import { AGENT_FILTER_FIELDS } from './fields';

const show = { resource: ['agent'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	...listFields(show, AGENT_FILTER_FIELDS, 'e.g. ComputerName, or LastCheckInTime desc'),
	...simplifyProperties(show),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const query = listQuery.call(this, itemIndex, AGENT_FILTER_FIELDS);
	const { rows } = await vsaList.call(this, '/assetmgmt/agents', {
		...query,
		idField: 'AgentId',
		operation: 'get many agents',
		itemIndex,
	});
	return simplified.call(this, itemIndex, rows, 'agent');
}
