import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toNodeError } from '../../../shared/errors';
import { warnInOutput } from '../../../shared/hints';
import { spsRequest } from '../../transport/request';
import { showFor } from '../common';
import { INFO_SIMPLE, simplifyFor, simplifyOut } from '../simplify';

export const description: INodeProperties[] = [
	{
		displayName: 'Include Firmware Slots',
		name: 'includeFirmware',
		type: 'boolean',
		default: true,
		description:
			'Whether to add the installed firmware slots (GET /api/firmware/slots, one more request). If the user may not read them, the rest is returned with a warning.',
		displayOptions: showFor('system', 'getInfo'),
	},
	...simplifyFor('system', 'getInfo'),
];

/**
 * GET /api/info (version, firmware, host) and optionally GET /api/firmware/slots. Firmware slots the user may not
 * read (HTTP 403) or that this SPS does not offer (HTTP 404) are left out with a warning; the info is still returned.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'info', operation: 'get the appliance info', itemIndex });
	const out: IDataObject = { ...(((res.body ?? {}) as IDataObject) || {}) };
	if (!(this.getNodeParameter('includeFirmware', itemIndex, true) as boolean)) return simplifyOut.call(this, itemIndex, [out], INFO_SIMPLE);
	let slots: IDataObject;
	try {
		slots = await spsRequest.call(this, { method: 'GET', path: 'firmware/slots', operation: 'list the firmware slots', itemIndex });
	} catch (error) {
		const e = toNodeError(this.getNode(), error, itemIndex);
		const status = 'httpCode' in e ? String(e.httpCode) : '';
		if (status !== '403' && status !== '404') throw e;
		const why = status === '403' ? "this user's group may not read them" : 'this SPS does not offer /api/firmware/slots';
		return warnInOutput.call(this, simplifyOut.call(this, itemIndex, [out], INFO_SIMPLE), `Firmware slots left out: SPS answered HTTP ${status} (${why}). The rest of the appliance info is complete; turn off "Include Firmware Slots" to skip the request.`);
	}
	out.firmwareSlots = (Array.isArray(slots.items) ? slots.items : []).map((s: IDataObject) => ({
		slot: s.key,
		...(((s.body ?? {}) as IDataObject) || {}),
	}));
	return simplifyOut.call(this, itemIndex, [out], INFO_SIMPLE);
}
