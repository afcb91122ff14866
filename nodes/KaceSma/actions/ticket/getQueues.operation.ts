import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { kaceList } from '../../transport';
import { ENTITIES } from '../common/entities';

export const description: INodeProperties[] = [...returnAllOrLimit('ticket', 'getQueues')];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	return await kaceList.call(this, ENTITIES.queue.listPath, ENTITIES.queue.key, {}, {
		returnAll,
		limit,
		operation: 'list service desk queues',
		itemIndex,
	});
}
