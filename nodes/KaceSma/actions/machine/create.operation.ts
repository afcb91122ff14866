import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { kaceRequest } from '../../transport';
import { createdRecord } from '../common/factory';

const show = { resource: ['machine'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		displayOptions: { show },
		default: '',
		placeholder: 'e.g. PRINTER-3F-01',
		description: 'Name of the device, as the inventory lists it',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: { show },
		default: {},
		options: [
			{ displayName: 'IP Address', name: 'ip', type: 'string', default: '' },
			{ displayName: 'MAC Address', name: 'mac', type: 'string', default: '', placeholder: 'e.g. 00:50:56:01:02:03' },
			{ displayName: 'Manufacturer', name: 'cs_manufacturer', type: 'string', default: '' },
			{ displayName: 'Model', name: 'cs_model', type: 'string', default: '' },
			{ displayName: 'Notes', name: 'notes', type: 'string', typeOptions: { rows: 3 }, default: '' },
			{ displayName: 'Operating System', name: 'os_name', type: 'string', default: '' },
			{ displayName: 'Serial Number', name: 'bios_serial_number', type: 'string', default: '' },
		],
	},
];

/**
 * POST /api/inventory/machines {"Machines":[{name, …}]}: a machine record without an agent (a printer, an
 * appliance, a device inventoried by hand), then the record read back. Documented by Quest's API reference only
 * (no client uses it): a build without the route answers 404, which says so.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	if (!name) throw new NodeOperationError(this.getNode(), 'Name is empty: a machine record needs a name', { itemIndex });
	const record: IDataObject = { name };
	for (const [key, value] of Object.entries(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject)) {
		if (value !== '' && value !== undefined && value !== null) record[key] = value;
	}
	const body = (await kaceRequest.call(this, 'POST', '/api/inventory/machines', {
		body: { Machines: [record] },
		operation: `create machine record "${name}"`,
		idempotent: false,
		outcomeHint: `Search the inventory for a machine named "${name}" before creating it again.`,
		unverified: 'creating machine records (devices without an agent) through the API',
		itemIndex,
	})) as IDataObject;
	return await createdRecord.call(this, body, 'machine', itemIndex);
}
