import type { INodeProperties } from 'n8n-workflow';

import { ENTITIES, FEATURES, locator, locatorId } from '../common';
import { getManyOperation, withAgentId } from '../factory';

const show = { resource: ['patch'], operation: ['getMissing'] };

const hideDenied: INodeProperties = {
	displayName: 'Hide Denied Patches',
	name: 'hideDenied',
	type: 'boolean',
	default: true,
	displayOptions: { show },
	description: 'Whether to leave out the patches denied by the patch policy (only those still to install)',
};

const op = getManyOperation({
	resource: 'patch',
	operation: 'getMissing',
	before: [locator(ENTITIES.agent, show), hideDenied],
	plural(itemIndex) {
		return `get the missing patches of agent ${locatorId.call(this, ENTITIES.agent, itemIndex)}`;
	},
	path(itemIndex) {
		const hide = this.getNodeParameter('hideDenied', itemIndex, true) === true;
		return `/assetmgmt/patch/${locatorId.call(this, ENTITIES.agent, itemIndex)}/machineupdate/${hide ? 'true' : 'false'}`;
	},
	key: { idField: 'PatchDataId' },
	sortHint: 'e.g. KBArticleId',
	kind: 'patch',
	feature: FEATURES.patch,
	decorate: withAgentId,
});

export const description = op.description;
export const execute = op.execute!;
