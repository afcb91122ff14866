import { getManyOperation } from '../factory';

/**
 * Lists alarms through /assetmgmt/alarms/true (all alarms). The /false variant returns only alarms "not yet
 * returned to this session" (server-side session state, kaseya-vsa.md §6.5), which n8n's shared sessions would
 * make unpredictable, so it is never used.
 */
const op = getManyOperation({
	resource: 'alarm',
	plural: 'alarms',
	path: '/assetmgmt/alarms/true',
	key: { idField: 'AlarmId' },
	sortHint: 'e.g. AlarmId desc',
	kind: 'alarm',
});

export const description = op.description;
export const execute = op.execute!;
