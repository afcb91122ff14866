import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { simplifyProperties } from '../../../shared/simplify';
import type { KaceQuery } from '../../transport';
import { DEFAULT_PAGE_SIZE, kaceId } from '../../transport';
import type { KaceEntity } from './entities';

/** A searchable / by ID / by URL picker for one KACE record. */
export function recordLocator(
	entity: KaceEntity,
	show: { resource: string[]; operation: string[] },
	displayName = `${entity.label.replace(/\b\w/g, (c) => c.toUpperCase())}`,
): INodeProperties {
	return {
		displayName,
		name: entity.idParam,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: { show },
		description: `The ${entity.label} to use`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: `search_${entity.resource}`, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 1234',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'Not a valid KACE ID (a whole number)' } }],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `e.g. https://kace.example.com/adminui/${entity.consolePage ?? 'machine.php'}?ID=1234`,
				extractValue: { type: 'regex', regex: '[?&][Ii][Dd]=(\\d+)' },
				validation: [
					{ type: 'regex', properties: { regex: '^https?://.+[?&][Ii][Dd]=\\d+.*$', errorMessage: 'Not a KACE console URL with ?ID=' } },
				],
			},
		],
	};
}

/**
 * The value of a record locator kept inside a collection (n8n hands it over as {__rl, mode, value}, without
 * extracting it): the id of "By URL" from the console address, the value of the other modes; other values as they are.
 */
export function locatorValue(raw: unknown): unknown {
	if (!raw || typeof raw !== 'object' || !('value' in (raw as IDataObject))) return raw;
	const { mode, value } = raw as IDataObject;
	if (mode === 'url') return /[?&][Ii][Dd]=(\d+)/.exec(String(value ?? ''))?.[1] ?? value;
	return value;
}

/** A "Fields (JSON)" parameter as an object: {} when empty, a clear error when it is not a JSON object. */
export function jsonObjectParameter(this: IExecuteFunctions, raw: unknown, itemIndex: number): IDataObject {
	if (raw === undefined || raw === null || (typeof raw === 'string' && ['', '{}'].includes(raw.trim()))) return {};
	let value: unknown = raw;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw new NodeOperationError(this.getNode(), 'Fields (JSON) is not valid JSON', { itemIndex });
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(this.getNode(), 'Fields (JSON) must be a JSON object', { itemIndex });
	}
	return value as IDataObject;
}

/** Reads a record locator's value and validates it as a KACE id. */
export function locatorId(this: IExecuteFunctions, entity: KaceEntity, itemIndex: number): string {
	const value = this.getNodeParameter(entity.idParam, itemIndex, '', { extractValue: true });
	return kaceId.call(this, value, entity.label, itemIndex);
}

const OPERATORS = [
	{ name: 'Contains', value: 'co' },
	{ name: 'Does Not Contain', value: 'nc' },
	{ name: 'Ends With', value: 'en' },
	{ name: 'Equals', value: 'eq' },
	{ name: 'Exists (Sub-Entity)', value: 'ex' },
	{ name: 'Greater Than', value: 'gt' },
	{ name: 'Greater Than or Equal', value: 'ge' },
	{ name: 'In List (Separate Values With ;)', value: 'in' },
	{ name: 'Less Than', value: 'lt' },
	{ name: 'Less Than or Equal', value: 'le' },
	{ name: 'Not Equals', value: 'ne' },
	{ name: 'Not Exists (Sub-Entity)', value: 'nex' },
	{ name: 'Not In List (Separate Values With ;)', value: 'nin' },
	{ name: 'Starts With', value: 'st' },
];

const FIELD_HINTS: Record<string, string> = {
	machine: 'e.g. name, os_name, ip, software.display_name, label.name',
	software: 'e.g. display_name, publisher, display_version',
	asset: 'e.g. name, asset_type_id, asset_status_id',
	operatingSystem: 'e.g. name',
	managedInstall: 'e.g. name, enabled',
	script: 'e.g. name, status, type',
	ticket: 'e.g. title, hd_queue_id, status.name, owner.user_name, created',
	queue: 'e.g. name',
	user: 'e.g. user_name, full_name, email, role.name',
	process: 'e.g. name, machine.name',
	service: 'e.g. name, display_name, startup_type',
	startupProgram: 'e.g. name, command',
	change: 'e.g. timestamp, user_id, comment',
};

/**
 * Return All / Limit, Simplify, a filter builder, raw filtering, shaping, sorting and page size for an operation
 * that reads a list. `hints`: the FIELD_HINTS entry for the builder's placeholder (default: the resource's).
 */
export function listQueryFields(resource: string, operation = 'getMany', hints = resource): INodeProperties[] {
	const show = { resource: [resource], operation: [operation] };
	return [
		...returnAllOrLimit(resource, operation),
		...simplifyProperties(show),
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'fixedCollection',
			placeholder: 'Add Condition',
			typeOptions: { multipleValues: true },
			displayOptions: { show },
			default: {},
			description: 'Conditions that records must all match (combined with AND)',
			options: [
				{
					displayName: 'Condition',
					name: 'conditions',
					values: [
						{
							displayName: 'Field',
							name: 'field',
							type: 'string',
							default: '',
							placeholder: FIELD_HINTS[hints] ?? 'e.g. name',
							description: 'Field name; prefix a sub-entity with a dot, e.g. software.display_name or label.name',
						},
						{
							displayName: 'Operator',
							name: 'operator',
							type: 'options',
							options: OPERATORS,
							default: 'eq',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							description: 'Compared as text; dates as YYYY-MM-DD HH:MM:SS',
						},
					],
				},
			],
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			displayOptions: { show },
			default: {},
			options: [
				{
					displayName: 'Page Size',
					name: 'pageSize',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 5000 },
					default: DEFAULT_PAGE_SIZE,
					description: 'Rows per request when reading many records (each request asks one row more: the last row of the previous page, which shows whether the list moved)',
				},
				{
					displayName: 'Raw Filtering',
					name: 'filtering',
					type: 'string',
					default: '',
					placeholder: 'e.g. name co web,ID gt 100',
					description: 'A KACE filtering expression, combined (AND) with the conditions above',
				},
				{
					displayName: 'Shaping',
					name: 'shaping',
					type: 'string',
					default: '',
					placeholder: 'e.g. machine all,software limited',
					description: 'Which fields and sub-entities to return (levels: limited, standard, extended, all)',
				},
				{
					displayName: 'Sorting',
					name: 'sorting',
					type: 'string',
					default: '',
					placeholder: 'e.g. name asc,ID desc',
					description: 'Sort order; by default records are sorted by ID so paging is stable',
				},
			],
		},
	];
}

/** Simplify and the shaping option for get operations. */
export function getOptionsFields(resource: string, defaultShaping = ''): INodeProperties[] {
	return [
		...simplifyProperties({ resource: [resource], operation: ['get'] }),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			displayOptions: { show: { resource: [resource], operation: ['get'] } },
			default: {},
			options: [
				{
					displayName: 'Shaping',
					name: 'shaping',
					type: 'string',
					default: defaultShaping,
					placeholder: 'e.g. machine all,software limited',
					description: 'Which fields and sub-entities to return (levels: limited, standard, extended, all)',
				},
			],
		},
	];
}

/**
 * One KACE filter from a builder row. Commas separate filters in the KACE language and it has no escape,
 * so a comma inside a value is refused with a clear message instead of silently changing the filter.
 */
export function filterExpression(this: IExecuteFunctions, row: IDataObject, itemIndex: number): string {
	const field = String(row.field ?? '').trim();
	const operator = String(row.operator ?? 'eq');
	const value = String(row.value ?? '').trim();
	if (!/^(\*|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?)$/.test(field)) {
		throw new NodeOperationError(this.getNode(), `Filter field "${field}" is not a valid KACE field name`, {
			itemIndex,
			description: 'Use a field name such as name or os_name, or entity.field such as software.display_name.',
		});
	}
	if (value.includes(',')) {
		throw new NodeOperationError(this.getNode(), `Filter value "${value}" contains a comma, which KACE SMA cannot filter on`, {
			itemIndex,
			description: 'The appliance separates filters with commas and has no way to escape them. Filter with "Contains" on the part before or after the comma.',
		});
	}
	if (!value && operator !== 'ex' && operator !== 'nex') {
		throw new NodeOperationError(this.getNode(), `Filter on "${field}" has no value`, { itemIndex });
	}
	return operator === 'ex' || operator === 'nex' ? `${field} ${operator}` : `${field} ${operator} ${value}`;
}

/** The KACE query for a get-many operation from its parameters. */
export function listQuery(this: IExecuteFunctions, itemIndex: number, extraFilters: string[] = []): { query: KaceQuery; pageSize: number } {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { conditions?: IDataObject[] };
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const parts = [
		...extraFilters,
		...(filters.conditions ?? []).map((row) => filterExpression.call(this, row, itemIndex)),
	];
	const raw = String(options.filtering ?? '').trim();
	if (raw) parts.push(raw);
	const query: KaceQuery = {};
	if (parts.length) query.filtering = parts.join(',');
	if (options.shaping) query.shaping = String(options.shaping);
	if (options.sorting) query.sorting = String(options.sorting);
	return { query, pageSize: Number(options.pageSize ?? DEFAULT_PAGE_SIZE) };
}
