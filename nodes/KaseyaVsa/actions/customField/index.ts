import { defineResource } from '../common';
import * as create from './create.operation';
import * as deleteField from './delete.operation';
import * as getMany from './getMany.operation';
import * as getValues from './getValues.operation';
import * as setValue from './setValue.operation';

export const customField = defineResource(
	'customField',
	[
		{ name: 'Create', value: 'create', description: 'Create an agent custom field', action: 'Create an agent custom field' },
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete an agent custom field and its values on every agent',
			action: 'Delete an agent custom field',
		},
		{ name: 'Get Many', value: 'getMany', description: 'List the agent custom fields (name and type)', action: 'Get many agent custom fields' },
		{
			name: 'Get Values',
			value: 'getValues',
			description: 'Get the custom field values of an agent',
			action: 'Get the custom field values of an agent',
		},
		{
			name: 'Set Value',
			value: 'setValue',
			description: 'Set a custom field on agents (one request per agent)',
			action: 'Set a custom field value on an agent',
		},
	],
	{ create, delete: deleteField, getMany, getValues, setValue },
	'getValues',
);
