import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vsaList } from '../../transport/list';
import { ENTITIES, listFields, listQuery, locator, locatorId } from '../common';

const show = { resource: ['agent'], operation: ['getInstalledApplications'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.agent, show),
	...listFields(show, undefined, 'e.g. ApplicationName'),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const agentId = locatorId.call(this, ENTITIES.agent, itemIndex);
	const query = listQuery.call(this, itemIndex);
	const { rows } = await vsaList.call(this, `/assetmgmt/audit/${agentId}/software/installedapplications`, {
		...query,
		// no id field: these together tell two applications apart
		keyFields: ['ApplicationName', 'Version', 'DirectoryPath', 'ProductName', 'Manufacturer'],
		operation: `get the installed applications of agent ${agentId}`,
		itemIndex,
	});
	return rows;
}
