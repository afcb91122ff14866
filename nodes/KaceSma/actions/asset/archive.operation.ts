import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { kaceRequest } from '../../transport';
import { ENTITIES } from '../common/entities';
import { locatorId, recordLocator } from '../common/fields';

const show = { resource: ['asset'], operation: ['archive'] };

export const description: INodeProperties[] = [
	recordLocator(ENTITIES.asset, show),
	{
		displayName: 'Reason',
		name: 'archiveReason',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		displayOptions: { show },
		default: '',
		description: 'Why the asset is archived (the appliance requires a reason)',
	},
];

/** POST /api/asset/assets/{id}/archive {"archiveReason":"…"} (SMA 9.0 and later): the asset moves to the archived devices. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorId.call(this, ENTITIES.asset, itemIndex);
	const reason = String(this.getNodeParameter('archiveReason', itemIndex, '')).trim();
	if (!reason) throw new NodeOperationError(this.getNode(), 'Reason is empty: KACE SMA archives an asset only with a reason', { itemIndex });
	const response = await kaceRequest.call(this, 'POST', `/api/asset/assets/${id}/archive`, {
		body: { archiveReason: reason },
		operation: `archive asset ${id}`,
		idempotent: false,
		outcomeHint: `Look for asset ${id} among the archived assets in the KACE console before running again.`,
		unverified: 'asset archiving (SMA 9.0 and later)',
		itemIndex,
	});
	return { id: Number(id), archived: true, reason, response: (response ?? {}) as IDataObject };
}
