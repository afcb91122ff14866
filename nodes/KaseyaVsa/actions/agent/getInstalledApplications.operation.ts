import { perAgentOperation } from '../factory';

const op = perAgentOperation({
	resource: 'agent',
	operation: 'getInstalledApplications',
	what: 'the installed applications',
	route: (agentId) => `/assetmgmt/audit/${agentId}/software/installedapplications`,
	// no id field: these together tell two applications apart
	key: { keyFields: ['ApplicationName', 'Version', 'DirectoryPath', 'ProductName', 'Manufacturer'] },
	sortHint: 'e.g. ApplicationName',
	kind: 'application',
});

export const description = op.description;
export const execute = op.execute!;
