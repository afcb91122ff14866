import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const asset = defineResource(
	'asset',
	[
		{ name: 'Get', value: 'get', description: 'Get one asset by ID', action: 'Get a asset' },
		{ name: 'Get Many', value: 'getMany', description: 'List asset records with filters', action: 'Get many asset records' },
	],
	{ get, getMany },
	'getMany',
);
