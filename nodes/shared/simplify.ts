import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * n8n's "Simplify" convention for Get / Get Many: a small, flat record of the fields people use most (what a
 * Slack message, a CMDB row or an AI agent needs), instead of the appliance's full record with its nested
 * sub-entities. Off returns the full record, as version 1 of the nodes always did.
 *
 * Version 1 of a node keeps Simplify off by default (saved workflows keep their output); from version 1.1 on it
 * is on by default, as in n8n's own nodes.
 */
export const SIMPLIFY_VERSION = 1.1;

const simplifyBase: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** The Simplify parameter for the given operations, on by default from node version 1.1, off on version 1. */
export function simplifyProperties(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
	return [
		{ ...simplifyBase, default: false, displayOptions: { show: { ...show, '@version': [1] } } },
		{ ...simplifyBase, default: true, displayOptions: { show: { ...show, '@version': [{ _cnd: { gte: SIMPLIFY_VERSION } }] } } },
	];
}

/**
 * One field of a simplified record: `'name'` keeps a top-level field, `{ name, from }` takes the first present
 * value among dotted paths (`from: ['owner.user_name', 'owner.full_name']`).
 */
export type SimpleField = string | { name: string; from: string | string[] };

function at(record: IDataObject, path: string): unknown {
	let value: unknown = record;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		const obj = value as IDataObject;
		// appliances differ in key casing (KACE inventory: Id / id): fall back to a case-insensitive match
		const key = part in obj ? part : Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
		value = key === undefined ? undefined : obj[key];
	}
	return value;
}

/**
 * The flat record: only the listed fields, in their order; a field the record lacks is left out. A `_warning` the
 * record carries (an incomplete list, see hints.ts) is kept: it must travel with the data.
 */
export function simplifyRecord(record: IDataObject, fields: SimpleField[]): IDataObject {
	const out: IDataObject = {};
	if (record._warning !== undefined) out._warning = record._warning;
	for (const field of fields) {
		const name = typeof field === 'string' ? field : field.name;
		const paths = typeof field === 'string' ? [field] : Array.isArray(field.from) ? field.from : [field.from];
		for (const path of paths) {
			const value = at(record, path);
			if (value === undefined || value === null || value === '') continue;
			out[name] = value as IDataObject[keyof IDataObject];
			break;
		}
	}
	return out;
}

/** The rows as they go out: simplified when the item's Simplify parameter is on. */
export function simplifyIfSet<T extends IDataObject>(
	this: IExecuteFunctions,
	itemIndex: number,
	rows: T[],
	fields: SimpleField[],
): IDataObject[] {
	const on = this.getNodeParameter('simplify', itemIndex, false) as boolean;
	return on ? rows.map((row) => simplifyRecord(row, fields)) : rows;
}
