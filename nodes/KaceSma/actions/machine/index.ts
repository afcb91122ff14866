import { defineResource } from '../../../shared/resource';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const machine = defineResource(
	'machine',
	[
		{ name: 'Create', value: 'create', description: 'Create a machine record for a device without an agent', action: 'Create a machine record' },
		{ name: 'Get', value: 'get', description: 'Get a machine by ID', action: 'Get a machine' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many machines, with filters, e.g. by software or label', action: 'Get many machines' },
		{ name: 'Update', value: 'update', description: 'Update the notes or other fields of a machine', action: 'Update a machine' },
	],
	{ create, get, getMany, update },
	'getMany',
);
