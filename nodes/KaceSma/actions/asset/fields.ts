import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { kaceId } from '../../transport';
import { ENTITIES } from '../common/entities';
import { jsonObjectParameter, locatorValue, recordLocator } from '../common/fields';

/**
 * The custom fields of an asset type (field_NNNNN), named from the type: KACE's API has no route that describes
 * a type's fields, so the dropdown reads one asset of the type at shaping ALL (see methods/loadOptions.ts).
 */
export function assetFieldRows(show: { resource: string[]; operation: string[] }, dependsOn: string): INodeProperties {
	return {
		displayName: 'Fields',
		name: 'assetFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		displayOptions: { show },
		default: {},
		description:
			"The asset type's own fields. The list is read from an asset of that type; for a type without assets yet, give the field's name (field_NNNNN, see the asset type in the console) as an expression.",
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'name',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getAssetFields', loadOptionsDependsOn: [dependsOn] },
						default: '',
						description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'Dates as YYYY-MM-DD' },
				],
			},
		],
	};
}

/** Owner, location, status and mapped machine of an asset, and extra fields as JSON: create and update alike. */
export function assetStandardFields(forUpdate: boolean): INodeProperties[] {
	const owner = recordLocator(ENTITIES.user, { resource: ['asset'], operation: [forUpdate ? 'update' : 'create'] }, 'Owner');
	const machine = recordLocator(ENTITIES.machine, { resource: ['asset'], operation: [forUpdate ? 'update' : 'create'] }, 'Machine');
	const fields: INodeProperties[] = [
		{
			displayName: 'Fields (JSON)',
			name: 'fieldsJson',
			type: 'json',
			default: '{}',
			description: 'Other asset fields as a JSON object, e.g. a reference field {"field_10067": {"ID": 12}}',
		},
		{ displayName: 'Location ID', name: 'location_id', type: 'number', default: 0, description: 'Location asset of this asset' },
		{ ...machine, name: 'mapped_id', required: false, displayOptions: undefined, description: 'Inventory machine this asset stands for' },
		{ ...owner, name: 'owner_id', required: false, displayOptions: undefined, description: 'User who owns the asset' },
		{ displayName: 'Status ID', name: 'asset_status_id', type: 'number', default: 0, description: 'Asset status (e.g. 1 = Active)' },
	];
	if (forUpdate) fields.push({ displayName: 'Name', name: 'name', type: 'string', default: '' });
	return fields.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The asset record to send from the Fields rows and the standard fields (ids as numbers, empty values left out). */
export function assetRecord(this: IExecuteFunctions, rows: IDataObject, extra: IDataObject, itemIndex: number): IDataObject {
	const record: IDataObject = {};
	for (const row of ((rows.field as IDataObject[]) ?? [])) {
		const name = String(row.name ?? '').trim();
		if (!/^field_\d+$/.test(name)) {
			throw new NodeOperationError(this.getNode(), `Asset field name "${name}" is not valid`, {
				itemIndex,
				description: 'The fields of an asset type are named field_NNNNN (e.g. field_10000); choose one from the list.',
			});
		}
		record[name] = row.value;
	}
	for (const [key, raw] of Object.entries(extra)) {
		if (key === 'fieldsJson') {
			Object.assign(record, jsonObjectParameter.call(this, raw, itemIndex));
			continue;
		}
		const value = locatorValue(raw);
		if (value === '' || value === undefined || value === null || value === 0) continue;
		if (key === 'name') {
			record.name = String(value);
			continue;
		}
		const what = key === 'owner_id' ? 'user' : key === 'mapped_id' ? 'machine' : key.replace(/_id$/, '').replace(/_/g, ' ');
		record[key] = Number(kaceId.call(this, value, what, itemIndex));
	}
	return record;
}
