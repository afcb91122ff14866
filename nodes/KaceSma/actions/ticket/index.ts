import { defineResource } from '../../../shared/resource';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getQueues from './getQueues.operation';
import * as update from './update.operation';

export const ticket = defineResource(
	'ticket',
	[
		{ name: 'Create', value: 'create', description: 'Create a service desk ticket', action: 'Create a ticket' },
		{ name: 'Delete', value: 'delete', description: 'Delete a ticket', action: 'Delete a ticket' },
		{ name: 'Get', value: 'get', description: 'Get one ticket by ID', action: 'Get a ticket' },
		{ name: 'Get Many', value: 'getMany', description: 'List tickets with filters', action: 'Get many tickets' },
		{ name: 'List Queues', value: 'getQueues', description: 'List the service desk queues', action: 'List service desk queues' },
		{ name: 'Update', value: 'update', description: 'Update a ticket', action: 'Update a ticket' },
	],
	{ create, delete: del, get, getMany, getQueues, update },
	'getMany',
);
