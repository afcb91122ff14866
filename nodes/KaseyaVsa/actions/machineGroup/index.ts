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
		get: getOperation('machineGroup', ENTITIES.machineGroup, '/system/machinegroups'),
		getMany: getManyOperation(
			'machineGroup',
			'machine groups',
			'/system/machinegroups',
			'MachineGroupId',
			'e.g. MachineGroupName',
			[
				locator(
					{ ...ENTITIES.organization, param: 'organizationId' },
					{ resource: ['machineGroup'], operation: ['getMany'] },
					{
						required: false,
						description: 'Only the machine groups of this organization (leave empty for all organizations)',
					},
				),
			],
			function (this: IExecuteFunctions, itemIndex: number) {
				const org = String(this.getNodeParameter('organizationId', itemIndex, '', { extractValue: true }) ?? '').trim();
				return org ? `/system/orgs/${vsaId.call(this, org, 'organization', itemIndex)}/machinegroups` : '/system/machinegroups';
			},
		),
	},
	'getMany',
);
