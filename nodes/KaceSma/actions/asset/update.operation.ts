import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { kaceRequest } from '../../transport';
import { ENTITIES } from '../common/entities';
import { locatorId, recordLocator } from '../common/fields';
import { assetFieldRows, assetRecord, assetStandardFields } from './fields';

const show = { resource: ['asset'], operation: ['update'] };

export const description: INodeProperties[] = [
	recordLocator(ENTITIES.asset, show),
	assetFieldRows(show, 'assetId.value'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: { show },
		default: {},
		options: assetStandardFields(true),
	},
];

/**
 * PUT /api/asset/assets/{id} {"Assets":[{id, …}]}. Not resent when the answer is lost: someone may have changed
 * the asset in between, and sending the old values again would undo that.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorId.call(this, ENTITIES.asset, itemIndex);
	const record = assetRecord.call(
		this,
		this.getNodeParameter('assetFields', itemIndex, {}) as IDataObject,
		this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
		itemIndex,
	);
	if (!Object.keys(record).length) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update: add at least one field under Fields or Update Fields', { itemIndex });
	}
	const response = await kaceRequest.call(this, 'PUT', `/api/asset/assets/${id}`, {
		body: { Assets: [{ id: Number(id), ...record }] },
		operation: `update asset ${id}`,
		idempotent: false,
		outcomeHint: `Open asset ${id} in the KACE console and check its fields before running again.`,
		itemIndex,
	});
	return { id: Number(id), updated: Object.keys(record), response: (response ?? {}) as IDataObject };
}
