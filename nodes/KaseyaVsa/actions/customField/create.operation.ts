import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vsaRequest } from '../../transport/request';
import { FEATURES } from '../common';
import { FIELD_OUTCOME_HINT, fieldNameOf } from './fields';

const show = { resource: ['customField'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'newFieldName',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show },
		description: 'Name of the new custom field (spaces allowed)',
	},
	{
		displayName: 'Type',
		name: 'fieldType',
		type: 'options',
		options: [
			{ name: 'Date', value: 'date' },
			{ name: 'Date and Time', value: 'datetime' },
			{ name: 'Number', value: 'number' },
			{ name: 'Text', value: 'string' },
			{ name: 'Time', value: 'time' },
		],
		default: 'string',
		displayOptions: { show },
	},
];

/** `POST /assetmgmt/assets/customfields` with `[{"key":"FieldName","value":…},{"key":"FieldType","value":…}]`. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = fieldNameOf.call(this, itemIndex, 'newFieldName');
	const type = String(this.getNodeParameter('fieldType', itemIndex, 'string'));
	const res = await vsaRequest.call(this, 'POST', '/assetmgmt/assets/customfields', {
		body: [
			{ key: 'FieldName', value: name },
			{ key: 'FieldType', value: type },
		],
		operation: `create custom field "${name}"`,
		idempotent: false,
		outcomeHint: FIELD_OUTCOME_HINT,
		itemIndex,
		feature: FEATURES.customFields,
	});
	return { FieldName: name, FieldType: type, created: true, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
}
