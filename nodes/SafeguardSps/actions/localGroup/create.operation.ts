import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LOCAL_GROUPS, nameList } from '../../transport/localDatabase';
import { spsRequest } from '../../transport/request';
import { changeConfiguration } from '../../transport/transaction';
import { autoCommitProperty, showFor } from '../common';

const show = showFor('localGroup', 'create');

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'session-auditors',
		description: 'The name of the new group (SPS’s access-control lists grant privileges to group names)',
		displayOptions: show,
	},
	{
		displayName: 'Members',
		name: 'members',
		type: 'string',
		default: '',
		placeholder: 'jdoe, asmith',
		description: 'Comma-separated names of local users (or, with LDAP authentication, LDAP users or groups)',
		displayOptions: show,
	},
	autoCommitProperty('localGroup', 'create'),
];

/** POST /api/configuration/aaa/local_database/groups {name, members} in a transaction (Auto-Commit). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = String(this.getNodeParameter('name', itemIndex, '') ?? '').trim();
	if (!name) throw new NodeOperationError(this.getNode(), 'Enter the name of the group', { itemIndex });
	const members = nameList(this.getNodeParameter('members', itemIndex, ''));
	const autoCommit = this.getNodeParameter('autoCommit', itemIndex, true) as boolean;
	return await changeConfiguration.call(this, itemIndex, { what: `creating the local group ${name}`, autoCommit }, async () => {
		const res = await spsRequest.call(this, {
			method: 'POST',
			path: LOCAL_GROUPS.path,
			body: { name, members },
			operation: `create the local group ${name}`,
			idempotent: false,
			outcomeHint: 'Check Local Group → Get Many (or Transaction → Get Changes) before retrying.',
			itemIndex,
		});
		return { key: String(res.key ?? ''), name, members };
	});
}
