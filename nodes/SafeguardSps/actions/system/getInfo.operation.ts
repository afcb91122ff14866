import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { spsRequest } from '../../transport/request';
import { showFor } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Include Firmware Slots',
		name: 'includeFirmware',
		type: 'boolean',
		default: true,
		description: 'Whether to add the installed firmware slots (GET /api/firmware/slots, one more request)',
		displayOptions: showFor('system', 'getInfo'),
	},
];

/** GET /api/info (version, firmware, host) and optionally GET /api/firmware/slots. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'info', operation: 'get the appliance info', itemIndex });
	const out: IDataObject = { ...(((res.body ?? {}) as IDataObject) || {}) };
	if (this.getNodeParameter('includeFirmware', itemIndex, true) as boolean) {
		const slots = await spsRequest.call(this, { method: 'GET', path: 'firmware/slots', operation: 'list the firmware slots', itemIndex });
		out.firmwareSlots = (Array.isArray(slots.items) ? slots.items : []).map((s: IDataObject) => ({
			slot: s.key,
			...(((s.body ?? {}) as IDataObject) || {}),
		}));
	}
	return out;
}
