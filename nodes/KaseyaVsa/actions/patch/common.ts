import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Show } from '../common';
import { concurrencyOption, offlineOptionFields, optionsCollection } from '../common';

export const PATCH_OUTCOME_HINT =
	"Check the agent's patch status in VSA (Patch Management > Machine Update / Patch Status), or with Get Status, before sending it again.";

/** The patch ids of an item: a list from an expression, or text "1007, 1014". */
export function patchIdsOf(this: IExecuteFunctions, itemIndex: number): string[] {
	const raw = this.getNodeParameter('patchIds', itemIndex, '') as unknown;
	const list = Array.isArray(raw) ? raw.map((x) => String(x)) : String(raw ?? '').split(/[\s,;]+/);
	const ids = [...new Set(list.map((x) => x.trim()).filter(Boolean))];
	const bad = ids.find((id) => !/^\d{1,26}$/.test(id));
	if (!ids.length || bad !== undefined) {
		throw new NodeOperationError(this.getNode(), bad !== undefined ? `"${bad}" is not a patch ID` : 'No patch IDs given', {
			itemIndex,
			description: 'Patch IDs are the PatchDataId values of Get Missing Patches, e.g. 1007, 1014 (or a list from an expression).',
		});
	}
	return ids;
}

export function patchIdsField(show: Show, description: string): INodeProperties {
	return {
		displayName: 'Patch IDs',
		name: 'patchIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1007, 1014',
		displayOptions: { show },
		description: `${description}: the PatchDataId values of Get Missing Patches, separated by commas (or a list from an expression)`,
	};
}

/** Skip If Offline / Power Up If Offline (and Concurrency where one request goes per agent). */
export function offlineOptions(show: Show, perAgent: boolean): INodeProperties {
	const options = offlineOptionFields('the machine when it is offline instead of installing when it checks in');
	if (perAgent) options.unshift(concurrencyOption());
	return optionsCollection(show, options);
}

/**
 * The schedule body's common part (kaseya-vsa.md §5.6, as Kaseya's VSAModule sends it for patch routes: note
 * `SkipIfOffline` with a lower-case l here): server time zone, no recurrence, no distribution window.
 */
export function patchScheduleBase(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		ServerTimeZone: true,
		SkipIfOffline: options.skipIfOffline === true,
		PowerUpIfOffLine: options.powerUpIfOffline === true,
		SchedInAgentTime: false,
		Recurrence: { Repeat: 'Never' },
		Distribution: { Interval: 'Minutes', Magnitude: 0 },
	};
}
