import type { BuilderField } from '../common';

/** Filterable agent fields (kaseya-vsa.md §5.3) offered in the filter builder. */
export const AGENT_FILTER_FIELDS: BuilderField[] = [
	{ name: 'Agent ID', value: 'AgentId', kind: 'id' },
	{ name: 'Agent Name', value: 'AgentName', kind: 'text' },
	{ name: 'Computer Name', value: 'ComputerName', kind: 'text' },
	{ name: 'Country', value: 'Country', kind: 'text' },
	{ name: 'Current User', value: 'CurrentUser', kind: 'text' },
	{ name: 'Domain / Workgroup', value: 'DomainWorkgroup', kind: 'text' },
	{ name: 'IP Address', value: 'IPAddress', kind: 'text' },
	{ name: 'Last Logged In User', value: 'LastLoggedInUser', kind: 'text' },
	{ name: 'Machine Group (Name)', value: 'MachineGroup', kind: 'text' },
	{ name: 'Machine Group ID', value: 'MachineGroupId', kind: 'id' },
	{ name: 'Online Status (0 = Offline, 1/2/11/12 = Online)', value: 'Online', kind: 'number' },
	{ name: 'Operating System', value: 'OperatingSystem', kind: 'text' },
	{ name: 'Organization ID', value: 'OrgId', kind: 'id' },
	{ name: 'OS Info', value: 'OSInfo', kind: 'text' },
	{ name: 'OS Type', value: 'OSType', kind: 'text' },
	{ name: 'RAM (MB)', value: 'RamMBytes', kind: 'number' },
];
