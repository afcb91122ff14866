import { ENTITIES, FEATURES, locator, locatorId } from '../common';
import { getManyOperation, withAgentId } from '../factory';

const show = { resource: ['patch'], operation: ['getHistory'] };

const op = getManyOperation({
	resource: 'patch',
	operation: 'getHistory',
	before: [locator(ENTITIES.agent, show)],
	plural(itemIndex) {
		return `get the patch history of agent ${locatorId.call(this, ENTITIES.agent, itemIndex)}`;
	},
	path(itemIndex) {
		return `/assetmgmt/patch/${locatorId.call(this, ENTITIES.agent, itemIndex)}/history`;
	},
	// a patch can be installed again (a later date): the id alone does not tell history rows apart
	key: { keyFields: ['PatchDataId', 'KBArticleId', 'InstallDate', 'PatchState'] },
	sortHint: 'e.g. InstallDate desc',
	kind: 'patch',
	feature: FEATURES.patch,
	decorate: withAgentId,
});

export const description = op.description;
export const execute = op.execute!;
