import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const inventoryProcess = defineResource(
	'process',
	[
		{ name: 'Get', value: 'get', description: 'Get a process of the inventory by ID', action: 'Get a process' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many processes, e.g. those seen on one machine', action: 'Get many processes' },
	],
	{ get, getMany },
	'getMany',
);
