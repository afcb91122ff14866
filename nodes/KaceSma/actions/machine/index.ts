import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const machine = defineResource(
	'machine',
	[
		{ name: 'Get', value: 'get', description: 'Get one machine by ID', action: 'Get a machine' },
		{ name: 'Get Many', value: 'getMany', description: 'List machines with filters, e.g. by software or label', action: 'Get many machines' },
		{ name: 'Update', value: 'update', description: 'Update notes or other fields of a machine', action: 'Update a machine' },
	],
	{ get, getMany, update },
	'getMany',
);
