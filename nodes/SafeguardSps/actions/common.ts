import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties, NodeParameterValue } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SIMPLIFY_VERSION } from '../../shared/simplify';

/** displayOptions for one resource/operation pair. */
export function showFor(resource: string, operation: string | string[]): IDisplayOptions {
	return { show: { resource: [resource], operation: Array.isArray(operation) ? operation : [operation] } };
}

/**
 * A parameter whose default changed with node version 1.1: version 1 keeps its old default (saved workflows do not
 * store a default value, so they keep behaving as before), 1.1 and later get the new one.
 */
export function versionedDefault(property: INodeProperties, v1: NodeParameterValue, current: NodeParameterValue): INodeProperties[] {
	const show = property.displayOptions?.show ?? {};
	return [
		{ ...property, default: v1, displayOptions: { ...property.displayOptions, show: { ...show, '@version': [1] } } },
		{ ...property, default: current, displayOptions: { ...property.displayOptions, show: { ...show, '@version': [{ _cnd: { gte: SIMPLIFY_VERSION } }] } } },
	];
}

/** "Include Body" for lists whose entries carry only key + href. */
export function includeBodyProperty(resource: string, operation: string, description: string): INodeProperties {
	return {
		displayName: 'Include Body',
		name: 'includeBody',
		type: 'boolean',
		default: false,
		description,
		displayOptions: showFor(resource, operation),
	};
}

/** "Auto-Commit" of every operation that changes the configuration (see transport/transaction.ts changeConfiguration). */
export function autoCommitProperty(resource: string, operation: string): INodeProperties {
	return {
		displayName: 'Auto-Commit',
		name: 'autoCommit',
		type: 'boolean',
		default: true,
		description:
			'Whether to open a transaction, commit it after the change and roll it back if anything fails. Off: the change stays pending in this login session until Transaction → Commit.',
		displayOptions: showFor(resource, operation),
	};
}

/** "Fields (JSON)" of a configuration change: the fields to write, references as key strings. */
export function jsonFieldsProperty(operation: string, description: string): INodeProperties {
	return { displayName: 'Fields (JSON)', name: 'fields', type: 'json', required: true, default: '{}', description, displayOptions: showFor('configuration', operation) };
}

/** The "Options" collection of an operation. */
export function optionsProperty(show: IDisplayOptions, options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions: show, options };
}

/** A required text parameter ("Name", "List Path", "Query"…) of one operation. */
export function textProperty(
	show: IDisplayOptions,
	p: { displayName: string; name: string; placeholder: string; description: string; required?: boolean },
): INodeProperties {
	return { displayName: p.displayName, name: p.name, type: 'string', default: '', placeholder: p.placeholder, description: p.description, displayOptions: show, ...(p.required ? { required: true } : {}) };
}

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 32 },
	default: 8,
	description:
		'How many requests to SPS may run at the same time: list pages once SPS reported how many match, and the bodies of Full Record (one request per session)',
};

/** Reads a JSON parameter (object expected); accepts an object or a JSON string. */
export function jsonObjectParameter(this: IExecuteFunctions, name: string, itemIndex: number, label: string): IDataObject {
	const raw = this.getNodeParameter(name, itemIndex, {}) as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		const text = raw.trim();
		if (!text) return {};
		try {
			value = JSON.parse(text);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `${label} is not valid JSON: ${(error as Error).message}`, { itemIndex });
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new NodeOperationError(this.getNode(), `${label} must be a JSON object, e.g. {"admin_address": "ops@example.com"}`, { itemIndex });
	}
	return value as IDataObject;
}

/** Wanted number of results for Return All / Limit. */
export function wanted(this: IExecuteFunctions, itemIndex: number): number {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
}

/** A "From List" / "By ID" picker (n8n resource locator) for one SPS id. */
export function locator(o: {
	displayName: string;
	name: string;
	description: string;
	show: IDisplayOptions;
	search: string;
	placeholder: string;
	/** a regular expression the By ID value must match, and what to say when it does not */
	idPattern?: { regex: string; errorMessage: string };
}): INodeProperties {
	return {
		displayName: o.displayName,
		name: o.name,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: o.description,
		displayOptions: o.show,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: o.search, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: o.placeholder,
				...(o.idPattern ? { validation: [{ type: 'regex', properties: o.idPattern }] } : {}),
			},
		],
	};
}

/** The value of a picker (or of a plain string, as saved workflows and expressions give it), trimmed. */
export function locatorValue(this: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = this.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const raw = value && typeof value === 'object' && 'value' in (value as IDataObject) ? (value as IDataObject).value : value;
	return String(raw ?? '').trim();
}

/** The key of an audit session (the key field of Audit Session → Search), as a picker. */
export function sessionKeyLocator(resource: string, operation: string | string[]): INodeProperties {
	return locator({
		displayName: 'Session',
		name: 'sessionKey',
		description: 'The recorded session: pick a recent one, or give its key (the key field of Audit Session → Search)',
		show: showFor(resource, operation),
		search: 'searchAuditSessions',
		placeholder: 'e.g. rUhhQZ3jYsY1NDWYp9DEpq',
		idPattern: {
			regex: '^\\s*[^/\\s]+\\s*$',
			errorMessage: 'An audit session key has no "/" (a recording session ID like svc/…:12 is for Active Session)',
		},
	});
}

/** An active session: its recording session ID (svc/…:N) or its audit session key, as a picker. */
export function activeSessionLocator(operation: string | string[]): INodeProperties {
	return locator({
		displayName: 'Session',
		name: 'sessionId',
		description:
			'The running session: pick one, or give its recording session ID (recording.session_id, like svc/…:29) or its audit session key',
		show: showFor('activeSession', operation),
		search: 'searchActiveSessions',
		placeholder: 'e.g. svc/rUhhQZ3jYsY1NDWYp9DEpq/ssh-prod:29',
	});
}
