import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { returnAllOrLimit } from '../../shared/descriptions';
import type { FieldKind, FilterCondition, FilterOperator } from '../transport/odata';
import { FilterError, checkOrderBy, combineFilter } from '../transport/odata';

export type Show = { resource: string[]; operation: string[] };

export type { ResourceDefinition } from '../../shared/resource';
export { defineResource } from '../../shared/resource';

export interface Entity {
	/** parameter name of its locator: agentId */
	param: string;
	/** "agent" */
	label: string;
	/** listSearch method */
	search: string;
	/** example id for the placeholder */
	example: string;
}

export const ENTITIES = {
	agent: { param: 'agentId', label: 'agent', search: 'searchAgents', example: '123456789012345' },
	procedure: { param: 'procedureId', label: 'agent procedure', search: 'searchProcedures', example: '12345678901234567890123456' },
	organization: { param: 'orgId', label: 'organization', search: 'searchOrganizations', example: '12345678901234567890123456' },
	machineGroup: { param: 'machineGroupId', label: 'machine group', search: 'searchMachineGroups', example: '12345678901234567890123456' },
	user: { param: 'userId', label: 'user', search: 'searchUsers', example: '12345678901234567890123456' },
	alarm: { param: 'alarmId', label: 'alarm', search: 'searchAlarms', example: '1234567' },
	serviceDesk: { param: 'serviceDeskId', label: 'service desk', search: 'searchServiceDesks', example: '12345678901234567890123456' },
	ticket: { param: 'ticketId', label: 'ticket', search: 'searchTickets', example: '123456789012345678' },
	staff: { param: 'staffId', label: 'staff member', search: 'searchStaff', example: '12345678901234567890123456' },
} satisfies Record<string, Entity>;

/**
 * Features whose routes a VSA may lack (a module not installed, an older build, a route known from one peer
 * only): a 404 for the missing ROUTE says so instead of "check the ID" (transport/request.ts routeMissing).
 */
export const FEATURES = {
	serviceDesk: {
		name: 'the Service Desk module',
		hint: 'The Service Desk module (module 18) is not installed or not activated on this VSA, so its REST routes do not exist. Check System > Server Management > License Manager in VSA, or ask Kaseya support to activate it. Tickets of the legacy Ticketing module are not Service Desk tickets.',
	},
	patch: {
		name: 'Patch Management over REST (/assetmgmt/patch)',
		hint: 'The Patch Management module (module 6) is not installed or activated on this VSA, or this VSA build has no patch routes in its REST API (they arrived with VSA 9.5). Check System > Server Management > License Manager in VSA.',
	},
	customFields: {
		name: 'agent custom fields over REST (/assetmgmt/assets/…/customfields)',
		hint: 'This VSA build has no custom-field routes in its REST API (they are documented from VSA 9.5 on). Update the VSA, or manage custom fields in Audit > Machine Summary.',
	},
	agentNotes: {
		name: 'agent notes over REST (POST /assetmgmt/agent/{agentId}/note)',
		hint: "This route is known from Kaseya's own VSAModule only (UNVERIFIED on other builds); this VSA does not have it. Add the note in VSA (Agent > Manage Agents > the agent > Notes), or as a Service Desk ticket note.",
	},
	agentLogs: {
		name: 'this agent log over REST (/assetmgmt/logs)',
		hint: 'This VSA build has no route for this log type. Choose another log type, or read the log in VSA (Agent > Agent Logs).',
	},
	staff: {
		name: 'the staff list (/system/staff)',
		hint: 'This VSA build has no staff route in its REST API. Enter the staff ID By ID instead (System > Orgs/Groups/Depts/Staff > Manage > Staff in VSA).',
	},
} as const;

const titleCase = (s: string) => s.replace(/\b\w/g, (c) => c.toUpperCase());

/** A "From List" / "By ID" picker for one VSA record. Ids stay strings (they can have 26 digits). */
export function locator(entity: Entity, show: Show, extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: titleCase(entity.label),
		name: entity.param,
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
				typeOptions: { searchListMethod: entity.search, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${entity.example}`,
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\s*\\d{1,26}\\s*$', errorMessage: 'Not a VSA ID (a whole number of up to 26 digits)' },
					},
				],
			},
		],
		...extra,
	};
}

/** Validates a VSA id (digits only, up to 26) and returns it as a string, never as a number. */
export function vsaId(this: IExecuteFunctions, value: unknown, what: string, itemIndex: number): string {
	let raw = value;
	if (raw && typeof raw === 'object' && 'value' in (raw as IDataObject)) raw = (raw as IDataObject).value;
	if (typeof raw === 'number') {
		if (!Number.isSafeInteger(raw)) {
			throw new NodeOperationError(this.getNode(), `The ${what} ID ${raw} has lost digits (it went through a number)`, {
				itemIndex,
				description:
					'VSA ids can have up to 26 digits, more than a JavaScript number holds. Map the id from this node\'s output (it is a string) instead of computing it, e.g. {{ $json.AgentId }}.',
			});
		}
		raw = String(raw);
	}
	const text = String(raw ?? '').trim();
	if (!/^\d{1,26}$/.test(text)) {
		throw new NodeOperationError(this.getNode(), `The ${what} ID "${String(raw ?? '')}" is not valid`, {
			itemIndex,
			description: `A VSA ${what} ID is a whole number of up to 26 digits, e.g. 123456789012345.`,
		});
	}
	return text;
}

/** Reads a locator parameter as an id string. */
export function locatorId(this: IExecuteFunctions, entity: Entity, itemIndex: number): string {
	const value = this.getNodeParameter(entity.param, itemIndex, '', { extractValue: true });
	return vsaId.call(this, value, entity.label, itemIndex);
}

export interface BuilderField {
	name: string;
	value: string;
	kind: FieldKind;
}

const OPERATORS: INodePropertyOptions[] = [
	{ name: 'Contains', value: 'substringof', description: "Sent as substringof('value', Field); text fields only" },
	{ name: 'Equals', value: 'eq' },
	{ name: 'Greater Than', value: 'gt' },
	{ name: 'Less Than', value: 'lt' },
	{ name: 'Not Equals', value: 'ne' },
	{ name: 'Starts With', value: 'startswith', description: 'Text fields only' },
];

/**
 * Return All / Limit, optionally a filter builder, and options (raw $filter, $orderby) for a get-many operation.
 * `builder`: the filterable fields offered in the builder, with their literal kind.
 */
export function listFields(show: Show, builder?: BuilderField[], sortHint = 'e.g. Name desc', builderDefault = 'AgentName'): INodeProperties[] {
	const fields: INodeProperties[] = [...returnAllOrLimit(show.resource[0], show.operation[0])];
	if (builder) {
		fields.push(
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'fixedCollection',
				placeholder: 'Add Condition',
				typeOptions: { multipleValues: true },
				displayOptions: { show },
				default: {},
				description: 'Conditions sent to the VSA as an OData $filter',
				options: [
					{
						displayName: 'Condition',
						name: 'conditions',
						values: [
							{
								displayName: 'Field',
								name: 'field',
								type: 'options',
								options: [...builder].sort((a, b) => a.name.localeCompare(b.name)).map(({ name, value }) => ({ name, value })),
								default: builderDefault,
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
								description: 'Text is quoted for you; IDs are sent as decimals (with the M suffix)',
							},
						],
					},
				],
			},
			{
				displayName: 'Combine Conditions',
				name: 'combinator',
				type: 'options',
				displayOptions: { show },
				options: [
					{ name: 'All Conditions Must Match (AND)', value: 'and' },
					{ name: 'Any Condition Must Match (OR)', value: 'or' },
				],
				default: 'and',
			},
		);
	}
	fields.push({
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Raw Filter',
				name: 'filter',
				type: 'string',
				default: '',
				placeholder: "e.g. substringof('web', ComputerName) and Online eq 1",
				description: `An OData $filter${builder ? ', combined (AND) with the conditions above' : ''}. Text in single quotes, IDs with the M suffix.`,
			},
			{
				displayName: 'Sort',
				name: 'orderby',
				type: 'string',
				default: '',
				placeholder: sortHint,
				description: 'An OData $orderby: field names, each optionally followed by asc or desc, separated by commas',
			},
		],
	});
	return fields;
}

/** The $filter and $orderby of a get-many operation from its parameters. */
export function listQuery(
	this: IExecuteFunctions,
	itemIndex: number,
	builder?: BuilderField[],
): { filter?: string; orderby?: string; returnAll: boolean; limit: number } {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? 0 : (this.getNodeParameter('limit', itemIndex, 50) as number);
	try {
		const conditions: FilterCondition[] = [];
		let combinator: 'and' | 'or' = 'and';
		if (builder) {
			const rows = (this.getNodeParameter('filters', itemIndex, {}) as { conditions?: IDataObject[] }).conditions ?? [];
			combinator = (this.getNodeParameter('combinator', itemIndex, 'and') as 'and' | 'or') ?? 'and';
			for (const row of rows) {
				const field = builder.find((f) => f.value === row.field);
				if (!field) throw new FilterError(`Unknown filter field "${String(row.field)}"`);
				conditions.push({
					field: field.value,
					kind: field.kind,
					operator: String(row.operator ?? 'eq') as FilterOperator,
					value: String(row.value ?? ''),
				});
			}
		}
		const filter = combineFilter(conditions, combinator, String(options.filter ?? ''));
		const orderby = checkOrderBy(String(options.orderby ?? ''));
		return { filter, orderby, returnAll, limit };
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Invalid filter: ${(error as Error).message}`, {
			itemIndex,
			description:
				"Filters use OData v3: eq, ne, gt, lt, and, or, substringof('text', Field), startswith(Field, 'text'); text in single quotes; IDs as digits with the M suffix.",
		});
	}
}

/** The Concurrency option's value of the first item (one setting for the whole batch), 1–32. */
export function concurrencyOf(this: IExecuteFunctions, itemIndex: number): number {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return Math.max(1, Math.min(32, Math.floor(Number(options.concurrency ?? 8)) || 8));
}

/** Power Up If Offline / Skip If Offline of a schedule body (procedure runs, patch installs); `skipped`: what is skipped. */
export function offlineOptionFields(skipped: string): INodeProperties[] {
	return [
		{
			displayName: 'Power Up If Offline',
			name: 'powerUpIfOffline',
			type: 'boolean',
			default: false,
			description: 'Whether to wake the machine (Wake-on-LAN) if it is offline',
		},
		{
			displayName: 'Skip If Offline',
			name: 'skipIfOffline',
			type: 'boolean',
			default: false,
			description: `Whether to skip ${skipped}`,
		},
	];
}

/** An operation's Options collection. */
export function optionsCollection(show: Show, options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions: { show }, options };
}

/** The Options collection of a batch action whose only option is Concurrency. */
export function concurrencyOptions(show: Show): INodeProperties {
	return optionsCollection(show, [concurrencyOption()]);
}

/** The (required, multi-line) Note parameter of Add Note. */
export function noteField(show: Show, description?: string): INodeProperties {
	return {
		displayName: 'Note',
		name: 'note',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		displayOptions: { show },
		...(description ? { description } : {}),
	};
}

/** The "Concurrency" option of operations that send one request per agent. */
export function concurrencyOption(): INodeProperties {
	return {
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 32 },
		default: 8,
		description:
			'How many agents are handled at the same time (the VSA API takes one agent per request). Kaseya measured no throttling up to 32.',
	};
}
