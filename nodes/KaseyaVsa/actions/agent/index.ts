import { defineResource } from '../common';
import * as get from './get.operation';
import * as getAuditSummary from './getAuditSummary.operation';
import * as getInstalledApplications from './getInstalledApplications.operation';
import * as getMany from './getMany.operation';
import * as rename from './rename.operation';

export const agent = defineResource(
	'agent',
	[
		{ name: 'Get', value: 'get', description: 'Get one agent by ID', action: 'Get an agent' },
		{
			name: 'Get Audit Summary',
			value: 'getAuditSummary',
			description: 'Get the latest audit summary of an agent (hardware, OS, network)',
			action: 'Get the audit summary of an agent',
		},
		{
			name: 'Get Installed Applications',
			value: 'getInstalledApplications',
			description: 'List the applications the latest audit found on an agent',
			action: 'Get the installed applications of an agent',
		},
		{ name: 'Get Many', value: 'getMany', description: 'List agents, with filters', action: 'Get many agents' },
		{ name: 'Rename', value: 'rename', description: 'Rename an agent', action: 'Rename an agent' },
	],
	{ get, getMany, getAuditSummary, getInstalledApplications, rename },
	'getMany',
);
