import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const service = defineResource(
	'service',
	[
		{ name: 'Get', value: 'get', description: 'Get a service of the inventory by ID', action: 'Get a service' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many services, e.g. those of one machine', action: 'Get many services' },
	],
	{ get, getMany },
	'getMany',
);
