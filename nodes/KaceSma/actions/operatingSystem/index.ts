import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const operatingSystem = defineResource(
	'operatingSystem',
	[
		{ name: 'Get', value: 'get', description: 'Get one operating system by ID', action: 'Get a operating system' },
		{ name: 'Get Many', value: 'getMany', description: 'List operating system records with filters', action: 'Get many operating system records' },
	],
	{ get, getMany },
	'getMany',
);
