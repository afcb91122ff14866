import { ENTITIES, defineResource } from '../common';
import { getManyOperation, getOperation } from '../factory';

export const organization = defineResource(
	'organization',
	[
		{ name: 'Get', value: 'get', description: 'Get one organization by ID', action: 'Get an organization' },
		{ name: 'Get Many', value: 'getMany', description: 'List organizations', action: 'Get many organizations' },
	],
	{
		get: getOperation('organization', ENTITIES.organization, '/system/orgs'),
		getMany: getManyOperation('organization', 'organizations', '/system/orgs', 'OrgId', 'e.g. OrgName'),
	},
	'getMany',
);
