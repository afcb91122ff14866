import { ENTITIES, defineResource } from '../common';
import { getManyOperation, getOperation } from '../factory';

export const user = defineResource(
	'user',
	[
		{ name: 'Get', value: 'get', description: 'Get one VSA user by ID', action: 'Get a user' },
		{ name: 'Get Many', value: 'getMany', description: 'List VSA users', action: 'Get many users' },
	],
	{
		get: getOperation('user', ENTITIES.user, '/system/users', 'user'),
		getMany: getManyOperation({
			resource: 'user',
			plural: 'users',
			path: '/system/users',
			key: { idField: 'UserId' },
			sortHint: 'e.g. AdminName',
			kind: 'user',
		}),
	},
	'getMany',
);
