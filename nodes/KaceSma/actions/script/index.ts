import { defineResource } from '../../../shared/resource';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getRunStatus from './getRunStatus.operation';
import * as run from './run.operation';
import * as runAndWait from './runAndWait.operation';

export const script = defineResource(
	'script',
	[
		{ name: 'Get', value: 'get', description: 'Get a script by ID', action: 'Get a script' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many scripts, with filters', action: 'Get many scripts' },
		{ name: 'Get Run Status', value: 'getRunStatus', description: 'Get the per-machine status of a script run', action: 'Get the status of a script run' },
		{ name: 'Run', value: 'run', description: 'Run a script on machines (one run for all items)', action: 'Run a script' },
		{ name: 'Run and Wait', value: 'runAndWait', description: 'Run a script and wait for every machine\'s outcome', action: 'Run a script and wait for the outcome' },
	],
	{ get, getMany, getRunStatus, run, runAndWait },
	'run',
);
