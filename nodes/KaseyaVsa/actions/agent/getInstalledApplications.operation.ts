import { ENTITIES, locator, locatorId } from '../common';
import { getManyOperation } from '../factory';

const show = { resource: ['agent'], operation: ['getInstalledApplications'] };

const op = getManyOperation({
	resource: 'agent',
	operation: 'getInstalledApplications',
	before: [locator(ENTITIES.agent, show)],
	plural(itemIndex) {
		return `get the installed applications of agent ${locatorId.call(this, ENTITIES.agent, itemIndex)}`;
	},
	path(itemIndex) {
		return `/assetmgmt/audit/${locatorId.call(this, ENTITIES.agent, itemIndex)}/software/installedapplications`;
	},
	// no id field: these together tell two applications apart
	key: { keyFields: ['ApplicationName', 'Version', 'DirectoryPath', 'ProductName', 'Manufacturer'] },
	sortHint: 'e.g. ApplicationName',
	kind: 'application',
});

export const description = op.description;
export const execute = op.execute!;
