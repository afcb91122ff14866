import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const operatingSystem = defineResource(
	'operatingSystem',
	[
		{ name: 'Get', value: 'get', description: 'Get an operating system by ID', action: 'Get an operating system' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many operating systems, with filters', action: 'Get many operating systems' },
	],
	{ get, getMany },
	'getMany',
);
