import { FEATURES, defineResource } from '../common';
import { getManyOperation } from '../factory';

export const serviceDesk = defineResource(
	'serviceDesk',
	[{ name: 'Get Many', value: 'getMany', description: 'List the service desks', action: 'Get many service desks' }],
	{
		getMany: getManyOperation({
			resource: 'serviceDesk',
			plural: 'service desks',
			path: '/automation/servicedesks',
			key: { idField: 'ServiceDeskId' },
			sortHint: 'e.g. ServiceDeskName',
			kind: 'serviceDesk',
			feature: FEATURES.serviceDesk,
		}),
	},
	'getMany',
);
