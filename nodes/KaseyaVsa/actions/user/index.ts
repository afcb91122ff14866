import { ENTITIES, defineResource } from '../common';
import { getManyOperation, getOperation } from '../factory';

export const user = defineResource(
	'user',
	[
		{ name: 'Get', value: 'get', description: 'Get one VSA user by ID', action: 'Get a user' },
		{ name: 'Get Many', value: 'getMany', description: 'List VSA users', action: 'Get many users' },
	],
	{
		get: getOperation('user', ENTITIES.user, '/system/users'),
		getMany: getManyOperation('user', 'users', '/system/users', 'UserId', 'e.g. AdminName'),
	},
	'getMany',
);
