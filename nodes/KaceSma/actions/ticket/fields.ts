import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ENTITIES } from '../common/entities';
import { locatorValue, recordLocator } from '../common/fields';

/** Owner / submitter: a searchable user picker from node version 1.1 on, a dropdown of every user before. */
function userField(displayName: string, name: string, what: string, picker: boolean): INodeProperties {
	if (picker) {
		return {
			...recordLocator(ENTITIES.user, { resource: ['ticket'], operation: ['create', 'update'] }, displayName),
			name,
			required: false,
			displayOptions: undefined,
			description: `${what} (searchable: type part of a name, login or email address)`,
		};
	}
	return {
		displayName: `${displayName} Name or ID`,
		name,
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUsers' },
		default: '',
		description: `${what}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

/** The owner and submitter pickers: the fields Create (version 1.1) asks for next to the queue's own fields. */
export function ticketUserFields(): INodeProperties[] {
	return [userField('Owner', 'owner', 'User who owns the ticket', true), userField('Submitter', 'submitter', 'User who submitted the ticket', true)];
}

/**
 * Ticket fields shared by create (Additional Fields, version 1) and update (Update Fields). Pickers read the
 * queue; owner and submitter are user pickers from version 1.1 on (`userPickers`).
 */
export function ticketFields(forUpdate: boolean, userPickers = false): INodeProperties[] {
	const depends = forUpdate ? ['ticketId.value', 'queueId'] : ['queueId'];
	const picker = (displayName: string, name: string, method: string, what: string): INodeProperties => ({
		displayName,
		name,
		type: 'options',
		typeOptions: { loadOptionsMethod: method, loadOptionsDependsOn: depends },
		default: '',
		description: `${what}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	});
	const fields: INodeProperties[] = [
		{ displayName: 'Asset ID', name: 'asset', type: 'number', default: 0, description: 'Asset the ticket is about' },
		picker('Category Name or ID', 'category', 'getCategories', 'Category, from the ticket\'s queue'),
		{ displayName: 'CC List', name: 'cc_list', type: 'string', default: '', description: 'Comma-separated email addresses to copy' },
		{
			displayName: 'Custom Fields',
			name: 'customFields',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Custom Field',
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. custom_1', description: 'Custom field key as the API names it (custom_N)' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		{ displayName: 'Due Date', name: 'due_date', type: 'dateTime', default: '' },
		picker('Impact Name or ID', 'impact', 'getImpacts', 'Impact, from the ticket\'s queue'),
		{ displayName: 'Machine ID', name: 'machine', type: 'number', default: 0, description: 'Machine the ticket is about' },
		userField('Owner', 'owner', 'User who owns the ticket', userPickers),
		picker('Priority Name or ID', 'priority', 'getPriorities', 'Priority, from the ticket\'s queue'),
		{ displayName: 'Resolution', name: 'resolution', type: 'string', typeOptions: { rows: 3 }, default: '' },
		picker('Status Name or ID', 'status', 'getStatuses', 'Status, from the ticket\'s queue'),
		userField('Submitter', 'submitter', 'User who submitted the ticket', userPickers),
		{ displayName: 'Summary', name: 'summary', type: 'string', typeOptions: { rows: 4 }, default: '', description: 'Description of the ticket' },
	];
	if (forUpdate) {
		fields.push({ displayName: 'Title', name: 'title', type: 'string', default: '' });
	}
	return fields;
}

const ID_FIELDS = ['asset', 'category', 'impact', 'machine', 'owner', 'priority', 'status', 'submitter'];

/**
 * The ticket record to send: ids as numbers, empty values left out, custom fields flattened, due date formatted.
 * Takes the fields of a collection (user pickers included) or of the queue's field mapper alike.
 */
export function ticketRecord(this: IExecuteFunctions, fields: IDataObject, itemIndex: number): IDataObject {
	const record: IDataObject = {};
	for (const [key, raw] of Object.entries(fields)) {
		if (key === 'customFields') {
			for (const row of ((raw as IDataObject).field as IDataObject[]) ?? []) {
				const name = String(row.name ?? '').trim();
				if (!/^custom_\d+$/.test(name)) {
					throw new NodeOperationError(this.getNode(), `Custom field name "${name}" is not valid`, {
						itemIndex,
						description: 'KACE addresses custom ticket fields as custom_N (e.g. custom_1); see the queue\'s fields.',
					});
				}
				record[name] = row.value;
			}
			continue;
		}
		const value = locatorValue(raw);
		if (value === '' || value === undefined || value === null) continue;
		if (ID_FIELDS.includes(key)) {
			if (value === 0) continue;
			if (!/^\d+$/.test(String(value))) {
				throw new NodeOperationError(this.getNode(), `Ticket field "${key}" needs an ID, got "${String(value)}"`, { itemIndex });
			}
			record[key] = Number(value);
			continue;
		}
		if (key === 'due_date') {
			const d = new Date(String(value));
			if (Number.isNaN(d.getTime())) throw new NodeOperationError(this.getNode(), `Due Date "${String(value)}" is not a date`, { itemIndex });
			record[key] = d.toISOString().slice(0, 19).replace('T', ' ');
			continue;
		}
		record[key] = value as IDataObject[keyof IDataObject];
	}
	return record;
}
