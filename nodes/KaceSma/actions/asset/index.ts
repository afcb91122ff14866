import { defineResource } from '../../../shared/resource';
import * as archive from './archive.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getTypes from './getTypes.operation';
import * as update from './update.operation';

export const asset = defineResource(
	'asset',
	[
		{ name: 'Archive', value: 'archive', description: 'Archive an asset, with a reason', action: 'Archive an asset' },
		{ name: 'Create', value: 'create', description: 'Create an asset of a type', action: 'Create an asset' },
		{ name: 'Get', value: 'get', description: 'Get an asset by ID', action: 'Get an asset' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many assets, with filters', action: 'Get many assets' },
		{ name: 'Get Types', value: 'getTypes', description: 'Get the asset types of the appliance', action: 'Get many asset types' },
		{ name: 'Update', value: 'update', description: 'Update fields of an asset', action: 'Update an asset' },
	],
	{ archive, create, get, getMany, getTypes, update },
	'getMany',
);
