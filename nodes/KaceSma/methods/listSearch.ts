import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { ENTITIES } from '../actions/common/entities';
import { envelopeRows, kaceRequest, recordId } from '../transport';

const PAGE = 50;

/** Searchable, paged picker over one KACE collection (filter `<field> co <text>`, `*` = any field; 50 per page). */
async function search(this: ILoadOptionsFunctions, entityName: string, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const entity = ENTITIES[entityName];
	const offset = Number(paginationToken ?? 0) || 0;
	const text = (filter ?? '').replace(/,/g, ' ').trim();
	const body = await kaceRequest.call(this, 'GET', entity.listPath, {
		query: {
			...(text ? { filtering: `${entity.searchField} co ${text}` } : {}),
			sorting: entity.nameField,
			paging: `limit ${PAGE} offset ${offset}`,
			use_count: 'false',
		},
		operation: `search ${entity.label} records`,
	});
	const rows = envelopeRows(body, entity.key);
	return {
		results: rows.map((row: IDataObject) => {
			const id = recordId(row) ?? '';
			const nameKey = Object.keys(row).find((k) => k.toLowerCase() === entity.nameField) ?? entity.nameField;
			const name = entity.pickerName?.(row) || row[nameKey];
			return { name: `${String(name || id)} (#${id})`, value: id };
		}),
		paginationToken: rows.length === PAGE ? String(offset + PAGE) : undefined,
	};
}

export const listSearch = Object.fromEntries(
	Object.keys(ENTITIES).map((name) => [
		`search_${name}`,
		async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
			return await search.call(this, name, filter, paginationToken);
		},
	]),
);
