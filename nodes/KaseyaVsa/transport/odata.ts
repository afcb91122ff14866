/**
 * OData v3 `$filter` pieces for the VSA (kaseya-vsa.md §4): text literals in single quotes with `'` doubled,
 * decimal ids with the `M` suffix taken from the id STRING (never through a JS number), functions
 * substringof('text', Field) and startswith(Field, 'text') (the VSA has no `contains`).
 */

export type FieldKind = 'text' | 'number' | 'id';

export type FilterOperator = 'eq' | 'ne' | 'gt' | 'lt' | 'substringof' | 'startswith';

export interface FilterCondition {
	field: string;
	kind: FieldKind;
	operator: FilterOperator;
	value: string;
}

export class FilterError extends Error {}

export function textLiteral(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

/** `123456789012345678901234M` from an id string; refuses anything that is not a whole number. */
export function idLiteral(value: string): string {
	const v = value.trim();
	if (!/^\d{1,30}$/.test(v)) throw new FilterError(`"${value}" is not a VSA id (a whole number of up to 26 digits)`);
	return `${v}M`;
}

export function numberLiteral(value: string): string {
	const v = value.trim();
	if (!/^-?\d+(\.\d+)?$/.test(v)) throw new FilterError(`"${value}" is not a number`);
	return v;
}

function literal(kind: FieldKind, value: string): string {
	if (kind === 'id') return idLiteral(value);
	if (kind === 'number') return numberLiteral(value);
	return textLiteral(value);
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One condition as OData text. */
export function conditionText(c: FilterCondition): string {
	if (!FIELD_NAME.test(c.field)) throw new FilterError(`"${c.field}" is not a valid field name`);
	if (c.operator === 'substringof' || c.operator === 'startswith') {
		if (c.kind !== 'text') throw new FilterError(`"${c.field}" is not a text field: Contains and Starts With work on text fields only`);
		return c.operator === 'substringof'
			? `substringof(${textLiteral(c.value)}, ${c.field})`
			: `startswith(${c.field}, ${textLiteral(c.value)})`;
	}
	if (!['eq', 'ne', 'gt', 'lt'].includes(c.operator)) throw new FilterError(`Operator "${c.operator}" is not supported`);
	return `${c.field} ${c.operator} ${literal(c.kind, c.value)}`;
}

/** Builder conditions (joined with `and`/`or`) and a raw filter, combined with `and`. */
export function combineFilter(conditions: FilterCondition[], combinator: 'and' | 'or', raw?: string): string | undefined {
	const parts: string[] = [];
	if (conditions.length) {
		const texts = conditions.map(conditionText);
		parts.push(texts.length > 1 ? texts.map((t) => `(${t})`).join(` ${combinator} `) : texts[0]);
	}
	const rawText = (raw ?? '').trim();
	if (rawText) parts.push(rawText);
	if (!parts.length) return undefined;
	if (parts.length === 1) return parts[0];
	return parts.map((p) => `(${p})`).join(' and ');
}

/** `$orderby` values: `Field`, `Field desc`, `A asc,B desc`. */
export function checkOrderBy(value: string): string | undefined {
	const v = value.trim();
	if (!v) return undefined;
	for (const part of v.split(',')) {
		if (!/^\s*[A-Za-z_][A-Za-z0-9_]*(\s+(asc|desc))?\s*$/i.test(part)) {
			throw new FilterError(`"${part.trim()}" is not a valid sort (use Field, Field asc or Field desc, separated by commas)`);
		}
	}
	return v
		.split(',')
		.map((p) => p.trim().replace(/\s+/g, ' '))
		.join(',');
}

/** Numeric comparison of two decimal id strings of any length (ids can have 26 digits: never through a number). */
export function compareIds(a: string, b: string): number {
	const x = a.replace(/^0+/, '');
	const y = b.replace(/^0+/, '');
	if (x.length !== y.length) return x.length - y.length;
	return x < y ? -1 : x > y ? 1 : 0;
}

/** True when a decimal id also fits an Edm.Int32 literal (some VSA entities type their ids so). */
export function fitsInt32(id: string): boolean {
	return /^\d{1,10}$/.test(id) && Number(id) <= 2_147_483_647;
}
