import { ENTITIES, defineResource } from '../common';
import { getManyOperation, getOperation } from '../factory';

export const organization = defineResource(
	'organization',
	[
		{ name: 'Get', value: 'get', description: 'Get one organization by ID', action: 'Get an organization' },
		{ name: 'Get Many', value: 'getMany', description: 'List organizations', action: 'Get many organizations' },
	],
	{
		get: getOperation('organization', ENTITIES.organization, '/system/orgs', 'organization'),
		getMany: getManyOperation({
			resource: 'organization',
			plural: 'organizations',
			path: '/system/orgs',
			key: { idField: 'OrgId' },
			sortHint: 'e.g. OrgName',
			kind: 'organization',
		}),
	},
	'getMany',
);
