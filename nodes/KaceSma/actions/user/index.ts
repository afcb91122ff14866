import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getCurrent from './getCurrent.operation';
import * as getMany from './getMany.operation';

export const user = defineResource(
	'user',
	[
		{ name: 'Get', value: 'get', description: 'Get a user by ID', action: 'Get a user' },
		{ name: 'Get Current', value: 'getCurrent', description: 'Get the user the credential logs in with', action: 'Get the current user' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many users, with filters', action: 'Get many users' },
	],
	{ get, getCurrent, getMany },
	'getMany',
);
