import { defineResource } from '../common';
import * as addNote from './addNote.operation';
import * as assign from './assign.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getNotes from './getNotes.operation';
import * as update from './update.operation';

export const ticket = defineResource(
	'ticket',
	[
		{ name: 'Add Note', value: 'addNote', description: 'Add a note to a ticket', action: 'Add a note to a ticket' },
		{ name: 'Assign', value: 'assign', description: 'Assign a ticket to a staff member', action: 'Assign a ticket' },
		{ name: 'Create', value: 'create', description: 'Create a ticket in a service desk', action: 'Create a ticket' },
		{ name: 'Get', value: 'get', description: 'Get one ticket by ID', action: 'Get a ticket' },
		{ name: 'Get Many', value: 'getMany', description: 'List the tickets of a service desk, with filters', action: 'Get many tickets' },
		{ name: 'Get Notes', value: 'getNotes', description: 'List the notes of a ticket', action: 'Get the notes of a ticket' },
		{
			name: 'Update',
			value: 'update',
			description: 'Change the status, priority or custom fields of a ticket',
			action: 'Update a ticket',
		},
	],
	{ addNote, assign, create, get, getMany, getNotes, update },
	'getMany',
);
