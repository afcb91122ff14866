import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LOCAL_GROUPS, nameList } from '../../transport/localDatabase';
import { spsRequest } from '../../transport/request';
import { changeConfiguration } from '../../transport/transaction';
import { autoCommitProperty, showFor, textProperty } from '../common';

const show = showFor('localGroup', 'create');

/** The member names of a group (local users, or LDAP users and groups). */
export function membersProperty(s: IDisplayOptions): INodeProperties {
	return textProperty(s, {
		displayName: 'Members',
		name: 'members',
		placeholder: 'jdoe, asmith',
		description: 'Comma-separated names of local users (or, with LDAP authentication, LDAP users or groups)',
	});
}

export const description: INodeProperties[] = [
	textProperty(show, {
		displayName: 'Name',
		name: 'name',
		required: true,
		placeholder: 'session-auditors',
		description: 'The name of the new group (SPS’s access-control lists grant privileges to group names)',
	}),
	membersProperty(show),
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
