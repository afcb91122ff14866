import { FEATURES } from '../common';
import { perAgentOperation, withAgentId } from '../factory';

const op = perAgentOperation({
	resource: 'patch',
	operation: 'getHistory',
	what: 'the patch history',
	route: (agentId) => `/assetmgmt/patch/${agentId}/history`,
	// a patch can be installed again (a later date): the id alone does not tell history rows apart
	key: { keyFields: ['PatchDataId', 'KBArticleId', 'InstallDate', 'PatchState'] },
	sortHint: 'e.g. InstallDate desc',
	kind: 'patch',
	feature: FEATURES.patch,
	decorate: withAgentId,
});

export const description = op.description;
export const execute = op.execute!;
