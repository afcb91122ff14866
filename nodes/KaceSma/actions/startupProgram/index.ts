import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const startupProgram = defineResource(
	'startupProgram',
	[
		{ name: 'Get', value: 'get', description: 'Get a startup program of the inventory by ID', action: 'Get a startup program' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many startup programs, e.g. those of one machine', action: 'Get many startup programs' },
	],
	{ get, getMany },
	'getMany',
);
