import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Machine IDs from a parameter that may hold a number, a list ("1, 2; 3"), an array or an expression result.
 * Every entry must be a positive whole number; duplicates are dropped, order kept.
 */
export function parseIdList(this: IExecuteFunctions, value: unknown, what: string, itemIndex: number): string[] {
	const raw: unknown[] = Array.isArray(value)
		? value
		: typeof value === 'number'
			? [value]
			: String(value ?? '')
					.split(/[\s,;]+/)
					.filter((s) => s !== '');
	const out: string[] = [];
	const seen = new Set<string>();
	for (const entry of raw) {
		const text = String(entry).trim();
		if (!/^\d{1,12}$/.test(text) || Number(text) === 0) {
			throw new NodeOperationError(this.getNode(), `"${text}" is not a valid ${what} ID`, {
				itemIndex,
				description: `${what[0].toUpperCase()}${what.slice(1)} IDs are positive whole numbers, separated by commas, e.g. 12, 34, 56.`,
			});
		}
		const id = String(Number(text));
		if (!seen.has(id)) {
			seen.add(id);
			out.push(id);
		}
	}
	if (!out.length) {
		throw new NodeOperationError(this.getNode(), `No ${what} IDs given`, {
			itemIndex,
			description: `Enter one or more ${what} IDs, or map them from the input with an expression such as {{ $json.Id }}.`,
		});
	}
	return out;
}
