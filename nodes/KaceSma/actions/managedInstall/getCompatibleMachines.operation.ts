import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ENTITIES } from '../common/entities';
import { readList } from '../common/factory';
import { listQueryFields, locatorId, recordLocator } from '../common/fields';
import { simplified } from '../common/simple';

const show = { resource: ['managedInstall'], operation: ['getCompatibleMachines'] };

export const description: INodeProperties[] = [
	recordLocator(ENTITIES.managedInstall, show),
	...listQueryFields('managedInstall', 'getCompatibleMachines', 'machine'),
];

/**
 * GET /api/managed_install/managed_installs/{id}/compatible_machines: the machines the managed install can target.
 * The route comes from KaceSMA only and its collection key is unverified: "Machines" is read, else the first list.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = locatorId.call(this, ENTITIES.managedInstall, itemIndex);
	const rows = await readList.call(this, itemIndex, {
		path: `/api/managed_install/managed_installs/${id}/compatible_machines`,
		key: 'Machines',
		operation: `get the machines compatible with managed install ${id}`,
		unverified: 'the compatible machines of a managed install',
	});
	return simplified.call(this, itemIndex, rows, ENTITIES.machine.simple);
}
