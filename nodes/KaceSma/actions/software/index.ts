import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const software = defineResource(
	'software',
	[
		{ name: 'Get', value: 'get', description: 'Get one software title by ID', action: 'Get a software title' },
		{ name: 'Get Many', value: 'getMany', description: 'List software title records with filters', action: 'Get many software title records' },
	],
	{ get, getMany },
	'getMany',
);
