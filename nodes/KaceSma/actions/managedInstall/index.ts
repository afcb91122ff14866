import { defineResource } from '../../../shared/resource';
import * as addToMachines from './addToMachines.operation';
import * as get from './get.operation';
import * as getCompatibleMachines from './getCompatibleMachines.operation';
import * as getMany from './getMany.operation';
import * as removeFromMachines from './removeFromMachines.operation';

export const managedInstall = defineResource(
	'managedInstall',
	[
		{ name: 'Add to Machines', value: 'addToMachines', description: 'Target machines with a managed install (one request for all items)', action: 'Add machines to a managed install' },
		{ name: 'Get', value: 'get', description: 'Get a managed install by ID', action: 'Get a managed install' },
		{ name: 'Get Compatible Machines', value: 'getCompatibleMachines', description: 'Get the machines a managed install can target', action: 'Get the compatible machines of a managed install' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many managed installs, with filters', action: 'Get many managed installs' },
		{ name: 'Remove From Machines', value: 'removeFromMachines', description: 'Stop targeting machines (one request for all items)', action: 'Remove machines from a managed install' },
	],
	{ addToMachines, get, getCompatibleMachines, getMany, removeFromMachines },
	'getMany',
);
