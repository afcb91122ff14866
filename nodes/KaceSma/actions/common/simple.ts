import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { SimpleField } from '../../../shared/simplify';
import { simplifyIfSet } from '../../../shared/simplify';

/** `id` and `…_id` numbers as strings: KACE answers ids as numbers on some routes and as strings on others. */
function idsAsStrings(record: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(record)) {
		out[key] = typeof value === 'number' && (key === 'id' || key.endsWith('_id')) ? String(value) : value;
	}
	return out;
}

/** The rows as they go out: the flat record of Simplify (ids as strings) when the item's Simplify is on. */
export function simplified(this: IExecuteFunctions, itemIndex: number, rows: IDataObject[], fields: SimpleField[]): IDataObject[] {
	const out = simplifyIfSet.call(this, itemIndex, rows, fields);
	return out === rows ? rows : out.map(idsAsStrings);
}
