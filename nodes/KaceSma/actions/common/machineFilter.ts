import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../../../shared/execute';
import { kaceId } from '../../transport';
import { ENTITIES } from './entities';
import { getManyOperation } from './factory';
import { recordLocator } from './fields';

/**
 * "Get Many" of an inventory catalog (processes, services, startup programs) with an optional machine: the
 * catalog rows seen on that machine, read as `filtering=machine.id eq <id>` (the catalog's machine sub-entity,
 * like `software.display_name` on machines; UNVERIFIED on a live appliance).
 */
export function inventoryOfMachine(entityName: string): OperationModule {
	const entity = ENTITIES[entityName];
	const machine: INodeProperties = {
		...recordLocator(ENTITIES.machine, { resource: [entity.resource], operation: ['getMany'] }, 'Machine'),
		name: 'onMachine',
		required: false,
		description: `Only the ${entity.plural} seen on this machine (empty: the whole inventory)`,
	};
	function byMachine(this: IExecuteFunctions, itemIndex: number): string[] {
		const value = this.getNodeParameter('onMachine', itemIndex, '', { extractValue: true });
		if (value === '' || value === undefined || value === null) return [];
		return [`machine.id eq ${kaceId.call(this, value, 'machine', itemIndex)}`];
	}
	return getManyOperation(entityName, [machine], byMachine);
}
