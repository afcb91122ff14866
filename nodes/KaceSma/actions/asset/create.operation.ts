import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { kaceId, kaceRequest } from '../../transport';
import { createdRecord } from '../common/factory';
import { assetFieldRows, assetRecord, assetStandardFields } from './fields';

const show = { resource: ['asset'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Asset Type Name or ID',
		name: 'assetTypeId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getAssetTypes' },
		required: true,
		displayOptions: { show },
		default: '',
		description: 'Type of the new asset. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{ displayName: 'Name', name: 'name', type: 'string', required: true, displayOptions: { show }, default: '' },
	assetFieldRows(show, 'assetTypeId'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: { show },
		default: {},
		options: assetStandardFields(false),
	},
];

/** POST /api/asset/assets {"Assets":[…]} → {"IDs":[n]}, then reads the asset back at shaping ALL. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const typeId = kaceId.call(this, this.getNodeParameter('assetTypeId', itemIndex), 'asset type', itemIndex);
	const name = String(this.getNodeParameter('name', itemIndex)).trim();
	const record = assetRecord.call(
		this,
		this.getNodeParameter('assetFields', itemIndex, {}) as IDataObject,
		this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
		itemIndex,
	);
	const body = (await kaceRequest.call(this, 'POST', '/api/asset/assets', {
		body: { Assets: [{ ...record, name, asset_type_id: Number(typeId) }] },
		operation: `create asset "${name}"`,
		idempotent: false,
		outcomeHint: `Search the assets for "${name}" before creating it again.`,
		itemIndex,
	})) as IDataObject;
	return await createdRecord.call(this, body, 'asset', itemIndex, 'asset all');
}
