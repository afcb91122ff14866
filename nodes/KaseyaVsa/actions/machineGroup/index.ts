import type { IExecuteFunctions } from 'n8n-workflow';

import { ENTITIES, defineResource, locator, vsaId } from '../common';
import { getManyOperation, getOperation } from '../factory';

export const machineGroup = defineResource(
	'machineGroup',
	[
		{ name: 'Get', value: 'get', description: 'Get one machine group by ID', action: 'Get a machine group' },
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List machine groups, of all organizations or of one',
			action: 'Get many machine groups',
		},
	],
	{
		get: getOperation('machineGroup', ENTITIES.machineGroup, '/system/machinegroups', 'machineGroup'),
		getMany: getManyOperation({
			resource: 'machineGroup',
			plural: 'machine groups',
			key: { idField: 'MachineGroupId' },
			sortHint: 'e.g. MachineGroupName',
			kind: 'machineGroup',
			before: [
				locator(
					{ ...ENTITIES.organization, param: 'organizationId' },
					{ resource: ['machineGroup'], operation: ['getMany'] },
					{
						required: false,
						description: 'Only the machine groups of this organization (leave empty for all organizations)',
					},
				),
			],
			path(this: IExecuteFunctions, itemIndex: number) {
				const org = String(this.getNodeParameter('organizationId', itemIndex, '', { extractValue: true }) ?? '').trim();
				return org ? `/system/orgs/${vsaId.call(this, org, 'organization', itemIndex)}/machinegroups` : '/system/machinegroups';
			},
		}),
	},
	'getMany',
);
