import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { editMemberships, LOCAL_USERS, storePassword } from '../../transport/localDatabase';
import { spsRequest } from '../../transport/request';
import { changeConfiguration } from '../../transport/transaction';
import { autoCommitProperty, optionsProperty, showFor, textProperty } from '../common';

const show = showFor('localUser', 'create');

export const USER_NAME = /^[A-Za-z0-9_.@-]+$/;

export const description: INodeProperties[] = [
	textProperty(show, { displayName: 'Name', name: 'name', required: true, placeholder: 'jdoe', description: 'The login name of the new user' }),
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: 'The user’s password. Stored in SPS as a write-only reference; never part of the output.',
		displayOptions: show,
	},
	optionsProperty(show, [
		{
				displayName: 'Group Names or IDs',
				name: 'groups',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getLocalGroups' },
				default: [],
				description:
					'Local groups the user joins, in the same transaction (one read and one write per group). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
	]),
	autoCommitProperty('localUser', 'create'),
];

/** A user name as SPS accepts it, checked before any request. */
export function userName(this: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const name = String(value ?? '').trim();
	if (!USER_NAME.test(name)) {
		throw new NodeOperationError(this.getNode(), `"${name}" is not a valid SPS user name`, {
			itemIndex,
			description: 'Use letters, digits and . _ @ - only, without spaces.',
		});
	}
	return name;
}

/** A non-empty password from a parameter (its value is never quoted). */
export function passwordParameter(this: IExecuteFunctions, value: unknown, itemIndex: number): string {
	if (typeof value !== 'string' || !value) throw new NodeOperationError(this.getNode(), 'Enter the user’s password', { itemIndex });
	return value;
}

/**
 * Creates a local user, in one transaction (Auto-Commit: open → POST /api/configuration/passwords {"plain"} →
 * POST /api/configuration/aaa/local_database/users {name, password: <reference>} → the chosen groups (GET + PUT
 * each) → commit; rolled back on any failure). SPS refuses local users while LDAP authentication is active: the
 * message says so. The password never appears in the output, a message or a log.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = userName.call(this, this.getNodeParameter('name', itemIndex, ''), itemIndex);
	const password = passwordParameter.call(this, this.getNodeParameter('password', itemIndex, ''), itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const groups = (Array.isArray(options.groups) ? options.groups : []).map(String).filter(Boolean);
	const autoCommit = this.getNodeParameter('autoCommit', itemIndex, true) as boolean;
	return await changeConfiguration.call(this, itemIndex, { what: `creating the local user ${name}`, autoCommit }, async () => {
		const reference = await storePassword.call(this, password, itemIndex);
		const res = await spsRequest.call(this, {
			method: 'POST',
			path: LOCAL_USERS.path,
			body: { name, password: reference },
			operation: `create the local user ${name}`,
			idempotent: false,
			outcomeHint: 'Check Local User → Get Many (or Transaction → Get Changes) before retrying.',
			itemIndex,
		});
		const joined = groups.length ? await editMemberships.call(this, name, { add: groups }, itemIndex) : [];
		return { key: String(res.key ?? ''), name, passwordSet: true, groups: joined };
	});
}
