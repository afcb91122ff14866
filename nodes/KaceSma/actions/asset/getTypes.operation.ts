import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { simplifyProperties } from '../../../shared/simplify';
import { kaceList } from '../../transport';
import { simplified } from '../common/simple';

const show = { resource: ['asset'], operation: ['getTypes'] };

export const description: INodeProperties[] = [...returnAllOrLimit('asset', 'getTypes'), ...simplifyProperties(show)];

/** The collection key of the asset types is unverified: "AssetTypes" is read, else the answer's first list. */
export const ASSET_TYPES = { path: '/api/asset/assets/types', key: 'AssetTypes', unverified: 'the list of asset types' };

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const rows = await kaceList.call(this, ASSET_TYPES.path, ASSET_TYPES.key, {}, {
		returnAll,
		limit,
		operation: 'get many asset types',
		unverified: ASSET_TYPES.unverified,
		itemIndex,
	});
	return simplified.call(this, itemIndex, rows, ['id', 'name', { name: 'category', from: 'asset_category' }]);
}
