import type { IDataObject } from 'n8n-workflow';

function isPlainObject(v: unknown): v is IDataObject {
	return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * An SPS object reference as GET returns it: `{"key": "<id>", "meta": {"href": "/api/…"}}` (and nothing else).
 * SPS wants the bare key string when it is written back.
 */
export function isReference(v: unknown): v is { key: string; meta: { href: string } } {
	if (!isPlainObject(v)) return false;
	const keys = Object.keys(v);
	if (keys.length !== 2 || !keys.includes('key') || !keys.includes('meta')) return false;
	const meta = v.meta;
	return typeof v.key === 'string' && isPlainObject(meta) && typeof meta.href === 'string';
}

/** Replaces every reference object with its key string (the form SPS accepts in PUT/POST bodies). */
export function referencesToKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(referencesToKeys);
	if (isReference(value)) return value.key;
	if (isPlainObject(value)) {
		const out: IDataObject = {};
		for (const [k, v] of Object.entries(value)) out[k] = referencesToKeys(v) as IDataObject[keyof IDataObject];
		return out;
	}
	return value;
}

/**
 * Deep merge for "update": objects merge key by key, everything else (arrays, scalars, null) replaces.
 * A reference in the current value is replaced by whatever the change gives (key string or reference object).
 */
export function deepMerge(current: unknown, change: unknown): unknown {
	if (isPlainObject(current) && isPlainObject(change) && !isReference(current) && !isReference(change)) {
		const out: IDataObject = { ...current };
		for (const [k, v] of Object.entries(change)) out[k] = deepMerge(current[k], v) as IDataObject[keyof IDataObject];
		return out;
	}
	return change;
}

/** Dotted paths whose values differ between two bodies (for the output; leaves and arrays compared whole). */
export function changedPaths(before: unknown, after: unknown, prefix = '', out: string[] = []): string[] {
	if (isPlainObject(before) && isPlainObject(after) && !isReference(before) && !isReference(after)) {
		const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
		for (const k of keys) changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k, out);
		return out;
	}
	const a = JSON.stringify(referencesToKeys(before));
	const b = JSON.stringify(referencesToKeys(after));
	if (a !== b) out.push(prefix || '(whole object)');
	return out;
}
