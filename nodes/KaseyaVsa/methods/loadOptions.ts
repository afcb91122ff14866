import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { FEATURES } from '../actions/common';
import { vsaList } from '../transport/list';
import type { Feature } from '../transport/request';

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Every row of a (short) VSA list, as dropdown options in the VSA's order (statuses follow their workflow); ids stay strings. */
async function options(
	this: ILoadOptionsFunctions,
	path: string,
	spec: { idField: string; name: (row: IDataObject) => string; what: string; feature?: Feature; sort?: boolean },
): Promise<INodePropertyOptions[]> {
	const { rows } = await vsaList.call(this, path, {
		returnAll: true,
		// keyed by the id, but not sorted by it
		keyFields: [spec.idField],
		operation: `list ${spec.what}`,
		feature: spec.feature,
	});
	const out = rows
		.filter((row) => row[spec.idField] !== undefined && row[spec.idField] !== null && row[spec.idField] !== '')
		.map((row) => ({ name: spec.name(row) || str(row[spec.idField]), value: str(row[spec.idField]) }));
	return spec.sort ? out.sort((a, b) => a.name.localeCompare(b.name)) : out;
}

/** The service desk chosen in the node (the dropdowns of its statuses, priorities… depend on it). */
function chosenDesk(this: ILoadOptionsFunctions): string {
	let desk = '';
	try {
		desk = str(this.getCurrentNodeParameter('serviceDeskId', { extractValue: true })).trim();
	} catch {
		// no service desk parameter
	}
	if (!/^\d{1,26}$/.test(desk)) {
		throw new NodeOperationError(this.getNode(), 'Choose the service desk first', {
			description: 'Statuses, priorities, categories and custom fields are defined per service desk.',
		});
	}
	return desk;
}

/** Statuses of the chosen service desk, in the VSA's order. */
export async function getTicketStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await options.call(this, `/automation/servicedesks/${chosenDesk.call(this)}/status`, {
		idField: 'StatusId', name: (r) => str(r.StatusName), what: 'the ticket statuses', feature: FEATURES.serviceDesk,
	});
}

export async function getTicketPriorities(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await options.call(this, `/automation/servicedesks/${chosenDesk.call(this)}/priorities`, {
		idField: 'PriorityId', name: (r) => str(r.PriorityName), what: 'the ticket priorities', feature: FEATURES.serviceDesk,
	});
}

export async function getTicketCategories(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await options.call(this, `/automation/servicedesks/${chosenDesk.call(this)}/categories`, {
		idField: 'CategoryId', name: (r) => str(r.CategoryName), what: 'the ticket categories', feature: FEATURES.serviceDesk,
	});
}

/** Ticket custom fields of the chosen service desk (field names UNVERIFIED: FieldName or Caption). */
export async function getTicketCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await options.call(this, `/automation/servicedesks/${chosenDesk.call(this)}/customfields`, {
		idField: 'CustomFieldId', name: (r) => str(r.Caption) || str(r.FieldName), what: 'the ticket custom fields', feature: FEATURES.serviceDesk, sort: true,
	});
}

export async function getStaff(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await options.call(this, '/system/staff', {
		idField: 'OrgStaffId', name: (r) => str(r.StaffFullName), what: 'the staff', feature: FEATURES.staff, sort: true,
	});
}

/** Agent custom field definitions: the value is the field's name (the VSA addresses custom fields by name). */
export async function getAgentCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await options.call(this, '/assetmgmt/assets/customfields', {
		idField: 'FieldName', name: (r) => `${str(r.FieldName)}${r.FieldType ? ` (${str(r.FieldType)})` : ''}`,
		what: 'the agent custom fields', feature: FEATURES.customFields, sort: true,
	});
}

/** The trigger's choice: every service desk, or one. */
export async function getServiceDesksOrAll(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const desks = await options.call(this, '/automation/servicedesks', {
		idField: 'ServiceDeskId', name: (r) => str(r.ServiceDeskName), what: 'the service desks', feature: FEATURES.serviceDesk, sort: true,
	});
	return [{ name: 'All Service Desks', value: 'all' }, ...desks];
}
