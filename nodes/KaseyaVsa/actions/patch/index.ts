import { defineResource } from '../common';
import * as cancelSchedule from './cancelSchedule.operation';
import * as getHistory from './getHistory.operation';
import * as getMissing from './getMissing.operation';
import * as getStatus from './getStatus.operation';
import * as installNow from './installNow.operation';
import * as scanNow from './scanNow.operation';
import * as scheduleInstall from './scheduleInstall.operation';

export const patch = defineResource(
	'patch',
	[
		{
			name: 'Cancel Scheduled Install',
			value: 'cancelSchedule',
			description: 'Cancel the scheduled installation of patches on an agent',
			action: 'Cancel a scheduled patch installation',
		},
		{ name: 'Get History', value: 'getHistory', description: 'List the patches installed on an agent', action: 'Get the patch history of an agent' },
		{
			name: 'Get Missing Patches',
			value: 'getMissing',
			description: 'List the patches an agent is missing',
			action: 'Get the missing patches of an agent',
		},
		{ name: 'Get Status', value: 'getStatus', description: 'Get the patch status of an agent (last and next scan…)', action: 'Get the patch status of an agent' },
		{
			name: 'Install Now',
			value: 'installNow',
			description: 'Install the approved missing patches on agents now (one request for all agents)',
			action: 'Install patches now',
		},
		{
			name: 'Scan Now',
			value: 'scanNow',
			description: 'Scan agents for missing patches now. Replaces the recurring scan schedule of the agent.',
			action: 'Scan an agent for missing patches now',
		},
		{
			name: 'Schedule Install',
			value: 'scheduleInstall',
			description: 'Schedule the installation of chosen patches on an agent',
			action: 'Schedule a patch installation',
		},
	],
	{ cancelSchedule, getHistory, getMissing, getStatus, installNow, scanNow, scheduleInstall },
	'getStatus',
);
