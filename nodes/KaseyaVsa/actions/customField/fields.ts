import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Show } from '../common';

/** The agent custom field picker: the VSA addresses custom fields by their NAME. */
export function fieldNameOption(show: Show, description: string): INodeProperties {
	return {
		displayName: 'Custom Field Name or ID',
		name: 'fieldName',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getAgentCustomFields' },
		required: true,
		default: '',
		displayOptions: { show },
		description: `${description} (the VSA names custom fields by name). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

/** The field name, for the URL path: not empty, no / \ ? # % (IIS and the router would read them as path syntax). */
export function fieldNameOf(this: IExecuteFunctions, itemIndex: number, param = 'fieldName'): string {
	const name = String(this.getNodeParameter(param, itemIndex, '') ?? '').trim();
	if (!name || /[/\\?#%]/.test(name)) {
		throw new NodeOperationError(this.getNode(), `"${name}" is not a valid custom field name`, {
			itemIndex,
			description: 'The name is sent in the URL path: it must not be empty or contain / \\ ? # or %.',
		});
	}
	return name;
}

export const FIELD_OUTCOME_HINT = 'Check the custom fields in VSA (Audit > Machine Summary, Custom Fields) before sending the change again.';

