import { defineResource } from '../../../shared/resource';
import * as addComment from './addComment.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getComments from './getComments.operation';
import * as getHistory from './getHistory.operation';
import * as getMany from './getMany.operation';
import * as getQueues from './getQueues.operation';
import * as update from './update.operation';

export const ticket = defineResource(
	'ticket',
	[
		{ name: 'Add Comment', value: 'addComment', description: 'Add a comment to a ticket', action: 'Add a comment to a ticket' },
		{ name: 'Create', value: 'create', description: 'Create a ticket in a queue', action: 'Create a ticket' },
		{ name: 'Delete', value: 'delete', description: 'Delete a ticket', action: 'Delete a ticket' },
		{ name: 'Get', value: 'get', description: 'Get a ticket by ID', action: 'Get a ticket' },
		{ name: 'Get Comments', value: 'getComments', description: 'Get the comments of a ticket', action: 'Get the comments of a ticket' },
		{ name: 'Get History', value: 'getHistory', description: 'Get every change of a ticket: creation, field changes, comments', action: 'Get the history of a ticket' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many tickets, with filters', action: 'Get many tickets' },
		{ name: 'Get Queues', value: 'getQueues', description: 'Get the service desk queues', action: 'Get many queues' },
		{ name: 'Update', value: 'update', description: 'Update fields of a ticket', action: 'Update a ticket' },
	],
	{ addComment, create, delete: del, get, getComments, getHistory, getMany, getQueues, update },
	'getMany',
);
