import { defineResource } from '../common';
import * as getHistory from './getHistory.operation';
import * as getMany from './getMany.operation';
import * as getScheduled from './getScheduled.operation';
import * as runAndWait from './runAndWait.operation';
import * as runNow from './runNow.operation';
import * as runWithPrompts from './runWithPrompts.operation';

export const agentProcedure = defineResource(
	'agentProcedure',
	[
		{ name: 'Get History', value: 'getHistory', description: 'List the procedures an agent has run', action: 'Get the procedure history of an agent' },
		{ name: 'Get Many', value: 'getMany', description: 'List agent procedures', action: 'Get many agent procedures' },
		{ name: 'Get Scheduled', value: 'getScheduled', description: 'List the procedures scheduled on an agent', action: 'Get the scheduled procedures of an agent' },
		{
			name: 'Run and Wait',
			value: 'runAndWait',
			description: 'Run a procedure on agents and wait until each run is finished (or a timeout)',
			action: 'Run an agent procedure and wait for it',
		},
		{ name: 'Run Now', value: 'runNow', description: 'Run a procedure on agents now', action: 'Run an agent procedure now' },
		{
			name: 'Run With Prompts',
			value: 'runWithPrompts',
			description: 'Schedule a procedure on agents with answers to its prompts (now or at a time)',
			action: 'Run an agent procedure with prompts',
		},
	],
	{ getMany, runNow, runWithPrompts, runAndWait, getScheduled, getHistory },
	'runNow',
);
