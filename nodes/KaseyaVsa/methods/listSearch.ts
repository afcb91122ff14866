import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { textLiteral } from '../transport/odata';
import { vsaSearchPage } from '../transport/list';

interface SearchSpec {
	path: string;
	idField: string;
	nameField: string;
	/** sort by the name field (the alarm list is left in server order: its fields are unverified) */
	sortByName?: boolean;
	label: (row: IDataObject) => string;
	what: string;
}

async function search(this: ILoadOptionsFunctions, spec: SearchSpec, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim();
	const skip = paginationToken && /^\d+$/.test(paginationToken) ? Number(paginationToken) : 0;
	const result = await vsaSearchPage.call(this, spec.path, {
		filter: text ? `substringof(${textLiteral(text)}, ${spec.nameField})` : undefined,
		orderby: spec.sortByName === false ? undefined : spec.nameField,
		skip,
		operation: `search ${spec.what}`,
	});
	return {
		results: result.rows
			.filter((row) => row[spec.idField] !== undefined && row[spec.idField] !== null)
			.map((row) => ({ name: spec.label(row), value: String(row[spec.idField]) })),
		paginationToken: result.nextSkip !== undefined ? String(result.nextSkip) : undefined,
	};
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export async function searchAgents(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		{
			path: '/assetmgmt/agents',
			idField: 'AgentId',
			nameField: 'AgentName',
			what: 'agents',
			label: (r) => `${str(r.AgentName) || str(r.ComputerName)}${r.Online === 0 ? ' (offline)' : ''}`,
		},
		filter,
		token,
	);
}

export async function searchProcedures(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		{
			path: '/automation/agentprocs',
			idField: 'AgentProcedureId',
			nameField: 'AgentProcedureName',
			what: 'agent procedures',
			label: (r) => `${str(r.AgentProcedureName)}${r.Path ? ` (${str(r.Path)})` : ''}`,
		},
		filter,
		token,
	);
}

export async function searchOrganizations(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		{ path: '/system/orgs', idField: 'OrgId', nameField: 'OrgName', what: 'organizations', label: (r) => str(r.OrgName) },
		filter,
		token,
	);
}

export async function searchMachineGroups(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		{
			path: '/system/machinegroups',
			idField: 'MachineGroupId',
			nameField: 'MachineGroupName',
			what: 'machine groups',
			label: (r) => str(r.MachineGroupName),
		},
		filter,
		token,
	);
}

export async function searchUsers(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		{
			path: '/system/users',
			idField: 'UserId',
			nameField: 'AdminName',
			what: 'users',
			label: (r) => `${str(r.AdminName)}${r.FirstName || r.LastName ? ` (${[str(r.FirstName), str(r.LastName)].join(' ').trim()})` : ''}`,
		},
		filter,
		token,
	);
}

export async function searchAlarms(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		{
			path: '/assetmgmt/alarms/true',
			idField: 'AlarmId',
			nameField: 'AlarmSubject',
			sortByName: false,
			what: 'alarms',
			label: (r) => `${str(r.AlarmId)}: ${str(r.MachineName)} ${str(r.AlarmSubject) || str(r.Message)}`.trim(),
		},
		filter,
		token,
	);
}
