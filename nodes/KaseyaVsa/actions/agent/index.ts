import { defineResource } from '../common';
import * as addNote from './addNote.operation';
import * as deleteAgent from './delete.operation';
import * as get from './get.operation';
import * as getAuditSummary from './getAuditSummary.operation';
import * as getInstalledApplications from './getInstalledApplications.operation';
import * as getLogs from './getLogs.operation';
import * as getMany from './getMany.operation';
import * as rename from './rename.operation';
import * as runAudit from './runAudit.operation';

export const agent = defineResource(
	'agent',
	[
		{ name: 'Add Note', value: 'addNote', description: 'Add a note to an agent', action: 'Add a note to an agent' },
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete agents, optionally uninstalling the agent software first (cannot be undone)',
			action: 'Delete an agent',
		},
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
		{
			name: 'Get Logs',
			value: 'getLogs',
			description: 'Read a log of an agent (agent, alarm, procedure, event logs…)',
			action: 'Get the logs of an agent',
		},
		{ name: 'Get Many', value: 'getMany', description: 'List agents, with filters', action: 'Get many agents' },
		{ name: 'Rename', value: 'rename', description: 'Rename an agent', action: 'Rename an agent' },
		{ name: 'Run Audit', value: 'runAudit', description: 'Run an audit on agents now', action: 'Run an audit on an agent' },
	],
	{ addNote, delete: deleteAgent, get, getMany, getAuditSummary, getInstalledApplications, getLogs, rename, runAudit },
	'getMany',
);
