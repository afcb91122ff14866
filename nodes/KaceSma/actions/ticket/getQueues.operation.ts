import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { simplifyProperties } from '../../../shared/simplify';
import { kaceList } from '../../transport';
import { ENTITIES } from '../common/entities';
import { simplified } from '../common/simple';

export const description: INodeProperties[] = [
	...returnAllOrLimit('ticket', 'getQueues'),
	...simplifyProperties({ resource: ['ticket'], operation: ['getQueues'] }),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const rows = await kaceList.call(this, ENTITIES.queue.listPath, ENTITIES.queue.key, {}, {
		returnAll,
		limit,
		operation: 'list service desk queues',
		itemIndex,
	});
	return simplified.call(this, itemIndex, rows, ENTITIES.queue.simple);
}
