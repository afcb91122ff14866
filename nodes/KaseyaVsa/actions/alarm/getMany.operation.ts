import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vsaList } from '../../transport/list';
import { listFields, listQuery } from '../common';

const show = { resource: ['alarm'], operation: ['getMany'] };

export const description: INodeProperties[] = listFields(show, undefined, 'e.g. AlarmId desc');

/**
 * Lists alarms through /assetmgmt/alarms/true (all alarms). The /false variant returns only alarms "not yet
 * returned to this session" (server-side session state, kaseya-vsa.md §6.5), which n8n's shared sessions would
 * make unpredictable, so it is never used.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const query = listQuery.call(this, itemIndex);
	const { rows } = await vsaList.call(this, '/assetmgmt/alarms/true', {
		...query,
		idField: 'AlarmId',
		operation: 'get many alarms',
		itemIndex,
	});
	return rows;
}
