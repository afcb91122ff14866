import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vsaRequest } from '../../transport/request';
import { ENTITIES, locator, locatorId } from '../common';

const show = { resource: ['alarm'], operation: ['close'] };

export const description: INodeProperties[] = [
	locator(ENTITIES.alarm, show),
	{
		displayName: 'Notes',
		name: 'notes',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		displayOptions: { show },
		description: 'Why the alarm is closed (stored with the alarm)',
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const alarmId = locatorId.call(this, ENTITIES.alarm, itemIndex);
	const notes = String(this.getNodeParameter('notes', itemIndex, '') ?? '');
	const res = await vsaRequest.call(this, 'PUT', `/assetmgmt/alarms/${alarmId}/close`, {
		body: [{ key: 'notes', value: notes }],
		operation: `close alarm ${alarmId}`,
		idempotent: false,
		outcomeHint: 'Check the alarm in VSA (Monitor > Alarm Summary) before closing it again.',
		itemIndex,
	});
	return { alarmId, closed: true, notes, result: (res.body?.Result as IDataObject | boolean | undefined) ?? true };
}
