import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { kaceId } from '../../transport';
import { getManyOperation } from '../common/factory';

const queueFilter: INodeProperties[] = [
	{
		displayName: 'Queue Name or ID',
		name: 'queueFilter',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getQueuesOrAll' },
		displayOptions: { show: { resource: ['ticket'], operation: ['getMany'] } },
		default: '',
		description: 'Only tickets of this queue (empty: all queues). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];

function byQueue(this: IExecuteFunctions, itemIndex: number): string[] {
	const queue = this.getNodeParameter('queueFilter', itemIndex, '') as string;
	return queue ? [`hd_queue_id eq ${kaceId.call(this, queue, 'queue', itemIndex)}`] : [];
}

export const { description, execute } = getManyOperation('ticket', queueFilter, byQueue);
