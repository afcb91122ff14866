import { FEATURES } from '../common';
import { getManyOperation } from '../factory';

const op = getManyOperation({
	resource: 'customField',
	plural: 'agent custom fields',
	path: '/assetmgmt/assets/customfields',
	// a field's name is its key (the VSA addresses custom fields by name)
	key: { keyFields: ['FieldName'] },
	sortHint: 'e.g. FieldName',
	feature: FEATURES.customFields,
});

export const description = op.description;
export const execute = op.execute!;
