import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { SimpleField } from '../../shared/simplify';
import { simplifyIfSet } from '../../shared/simplify';

/**
 * The fields Simplify keeps, per record type: who / what / when / where / status, ids first (ids are strings,
 * transport/json.ts). Node version 1.1 turns Simplify on by default; version 1 keeps the full record.
 */
export const SIMPLE = {
	agent: [
		'AgentId', 'AgentName', 'ComputerName', 'Online', 'OSType', 'OSInfo', 'IPAddress', 'MachineGroup', 'MachineGroupId', 'OrgId',
		'LastCheckInTime', 'CurrentUser', 'LastLoggedInUser',
	],
	auditSummary: [
		'AgentGuid', 'ComputerName', 'OsInfo', 'IpAddress', 'MacAddress', 'Manufacturer', 'SystemSerialNumber', 'RamMBytes', 'FreeSpace', 'LastCheckinTime',
	],
	application: ['ApplicationName', 'Version', 'Manufacturer', 'ProductName', 'LastModifiedDate'],
	procedure: ['AgentProcedureId', 'AgentProcedureName', 'Path', 'Description'],
	scheduledProcedure: ['AgentId', 'AgentProcedureId', { name: 'StartOn', from: 'Start.StartOn' }, 'SkipIfOffLine', 'ServerTimeZone'],
	alarm: ['AlarmId', 'AgentId', 'MachineName', 'AlarmSubject', 'Message', 'AlarmState', 'EventDateTime', 'MonitorType'],
	machineGroup: ['MachineGroupId', 'MachineGroupName', 'ParentMachineGroupId', 'OrgId'],
	organization: ['OrgId', 'OrgName', 'OrgRef', 'OrgType', 'ParentOrgId', 'Website'],
	user: ['UserId', 'AdminName', 'FirstName', 'LastName', 'Email', 'CreationDate', 'DisableUntil'],
	serviceDesk: ['ServiceDeskId', 'ServiceDeskName', 'Prefix', 'Description'],
	ticket: [
		'ServiceDeskTicketId', 'TicketRef', 'ServiceDeskId', 'Summary', 'TicketStatus', 'Priority', 'Category', 'Assignee', 'Submitter',
		'SubmitterEmail', 'Organization', 'CreatedDate', 'ModifiedDate', 'Due', 'Closed',
	],
	patchStatus: ['AgentId', 'LastPatchScan', 'NextPatchScan', 'NextRunTime', 'ScanResultsPending', 'RebootDay', 'RebootTime'],
	patch: ['AgentId', 'PatchDataId', 'KBArticleId', 'UpdateTitle', 'ProductName', 'ApprovalStatus', 'PatchState', 'LastPublishedDate', 'InstallDate', 'IsSuperseded'],
} satisfies Record<string, SimpleField[]>;

export type SimpleKind = keyof typeof SIMPLE;

/** The rows as they go out: simplified when the item's Simplify is on. */
export function simplified(this: IExecuteFunctions, itemIndex: number, rows: IDataObject[], kind: SimpleKind): IDataObject[] {
	return simplifyIfSet.call(this, itemIndex, rows, SIMPLE[kind]);
}
