import { ENTITIES, defineResource } from '../common';
import { getOperation } from '../factory';
import * as close from './close.operation';
import * as getMany from './getMany.operation';

export const alarm = defineResource(
	'alarm',
	[
		{ name: 'Close', value: 'close', description: 'Close an alarm, with notes', action: 'Close an alarm' },
		{ name: 'Get', value: 'get', description: 'Get one alarm by ID', action: 'Get an alarm' },
		{ name: 'Get Many', value: 'getMany', description: 'List the open alarms', action: 'Get many alarms' },
	],
	{ close, get: getOperation('alarm', ENTITIES.alarm, '/assetmgmt/alarms', 'alarm'), getMany },
	'getMany',
);
