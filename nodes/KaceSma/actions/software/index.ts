import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const software = defineResource(
	'software',
	[
		{ name: 'Get', value: 'get', description: 'Get a software title by ID', action: 'Get a software title' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many software titles, with filters', action: 'Get many software titles' },
	],
	{ get, getMany },
	'getMany',
);
