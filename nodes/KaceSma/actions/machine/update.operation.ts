import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { kaceRequest } from '../../transport';
import { ENTITIES } from '../common/entities';
import { jsonObjectParameter, locatorId, recordLocator } from '../common/fields';

const show = { resource: ['machine'], operation: ['update'] };

export const description: INodeProperties[] = [
	recordLocator(ENTITIES.machine, show),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Fields (JSON)',
				name: 'fieldsJson',
				type: 'json',
				default: '{}',
				description: 'Other machine fields to set, as a JSON object, e.g. {"asset_tag": "A-100"}',
			},
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Text for the machine\'s notes',
			},
		],
	},
];

/** PUT /api/inventory/machines/{id} with {"Machines":[{id, …}]}; the id in the body must equal the URL id. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorId.call(this, ENTITIES.machine, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const record: IDataObject = { ...jsonObjectParameter.call(this, fields.fieldsJson, itemIndex) };
	if (fields.notes !== undefined) record.notes = fields.notes;
	if (!Object.keys(record).length) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update: add at least one field under Update Fields', { itemIndex });
	}
	record.id = Number(id);
	const response = await kaceRequest.call(this, 'PUT', `/api/inventory/machines/${id}`, {
		body: { Machines: [record] },
		operation: `update machine ${id}`,
		idempotent: true,
		itemIndex,
	});
	return { id: Number(id), updated: Object.keys(record).filter((k) => k !== 'id'), response: (response ?? {}) as IDataObject };
}
