import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { FEATURES } from '../actions/common';
import { textLiteral } from '../transport/odata';
import { vsaList, vsaSearchPage } from '../transport/list';
import type { Feature } from '../transport/request';

interface SearchSpec {
	path: string;
	idField: string;
	nameField: string;
	/** sort by the name field (the alarm list is left in server order: its fields are unverified) */
	sortByName?: boolean;
	/** another sort than the name field */
	orderby?: string;
	/** the $filter for the typed text (default: substringof on the name field) */
	filterOf?: (literal: string) => string;
	label: (row: IDataObject) => string;
	what: string;
	feature?: Feature;
}

async function search(this: ILoadOptionsFunctions, spec: SearchSpec, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim();
	const skip = paginationToken && /^\d+$/.test(paginationToken) ? Number(paginationToken) : 0;
	const literal = textLiteral(text);
	const result = await vsaSearchPage.call(this, spec.path, {
		filter: text ? (spec.filterOf ? spec.filterOf(literal) : `substringof(${literal}, ${spec.nameField})`) : undefined,
		orderby: spec.orderby ?? (spec.sortByName === false ? undefined : spec.nameField),
		skip,
		operation: `search ${spec.what}`,
		feature: spec.feature,
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

export async function searchServiceDesks(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		{
			path: '/automation/servicedesks',
			idField: 'ServiceDeskId',
			nameField: 'ServiceDeskName',
			what: 'service desks',
			label: (r) => str(r.ServiceDeskName),
			feature: FEATURES.serviceDesk,
		},
		filter,
		token,
	);
}

export async function searchStaff(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	return await search.call(
		this,
		{
			path: '/system/staff',
			idField: 'OrgStaffId',
			nameField: 'StaffFullName',
			what: 'staff',
			label: (r) => `${str(r.StaffFullName)}${r.Function ? ` (${str(r.Function)})` : ''}`,
			feature: FEATURES.staff,
		},
		filter,
		token,
	);
}

const ticketSpec = (deskId: string): SearchSpec => ({
	path: `/automation/servicedesks/${deskId}/tickets`,
	idField: 'ServiceDeskTicketId',
	nameField: 'Summary',
	// newest first
	orderby: 'ServiceDeskTicketId desc',
	filterOf: (literal) => `substringof(${literal}, Summary) or substringof(${literal}, TicketRef)`,
	what: 'tickets',
	label: (r) => `${str(r.TicketRef)}: ${str(r.Summary)}`,
	feature: FEATURES.serviceDesk,
});

/**
 * Tickets exist per service desk only (a bare list of all tickets answers 403 on some builds): the tickets of the
 * service desk chosen in the node, else those of every desk, one desk after the other (the pagination token is
 * `<desk index>:<skip>`).
 */
export async function searchTickets(this: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> {
	let chosen = '';
	try {
		chosen = String(this.getCurrentNodeParameter('serviceDeskId', { extractValue: true }) ?? '').trim();
	} catch {
		// the operation has no service desk parameter
	}
	if (/^\d{1,26}$/.test(chosen)) return await search.call(this, ticketSpec(chosen), filter, token);
	const { rows: desks } = await vsaList.call(this, '/automation/servicedesks', {
		returnAll: true,
		idField: 'ServiceDeskId',
		operation: 'list the service desks',
		feature: FEATURES.serviceDesk,
	});
	const m = /^(\d+):(\d+)$/.exec(token ?? '');
	for (let d = m ? Number(m[1]) : 0; d < desks.length; d++) {
		const page = await search.call(this, ticketSpec(String(desks[d].ServiceDeskId)), filter, d === Number(m?.[1] ?? -1) ? m?.[2] : undefined);
		const name = str(desks[d].ServiceDeskName);
		const results = page.results.map((r) => ({ ...r, name: `${r.name} (${name})` }));
		const next = page.paginationToken !== undefined ? `${d}:${page.paginationToken}` : d + 1 < desks.length ? `${d + 1}:0` : undefined;
		if (results.length || next === undefined) return { results, paginationToken: next };
	}
	return { results: [] };
}
