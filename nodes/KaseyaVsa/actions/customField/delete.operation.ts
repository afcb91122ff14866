import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vsaRequest } from '../../transport/request';
import { FEATURES } from '../common';
import { FIELD_OUTCOME_HINT, fieldNameOf, fieldNameOption } from './fields';

const show = { resource: ['customField'], operation: ['delete'] };

export const description: INodeProperties[] = [
	fieldNameOption(show, 'The custom field to delete, with its values on every agent'),
];

/** `DELETE /assetmgmt/assets/customfields/{fieldName}` (the name URL-encoded). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = fieldNameOf.call(this, itemIndex);
	const res = await vsaRequest.call(this, 'DELETE', `/assetmgmt/assets/customfields/${encodeURIComponent(name)}`, {
		operation: `delete custom field "${name}"`,
		idempotent: false,
		outcomeHint: FIELD_OUTCOME_HINT,
		itemIndex,
		feature: FEATURES.customFields,
		notFoundHint: 'No custom field has this name (names are matched exactly, case included).',
	});
	return { FieldName: name, deleted: true, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
}
