import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { editMemberships, getLocal, LOCAL_USERS, putLocal, storePassword } from '../../transport/localDatabase';
import { changeConfiguration } from '../../transport/transaction';
import { autoCommitProperty, showFor } from '../common';
import { entityKey, entityLocator } from '../localDatabase';
import { passwordParameter, userName } from './create.operation';

export const description: INodeProperties[] = [
	entityLocator(LOCAL_USERS, 'update'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor('localUser', 'update'),
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'A new login name. The groups that list the old name list the new one instead (same transaction).',
			},
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'A new password (stored as a new write-only reference; never part of the output)',
			},
		],
	},
	autoCommitProperty('localUser', 'update'),
];

/**
 * Changes a local user's password and/or name, in one transaction: (POST /api/configuration/passwords for a new
 * password) → GET the user → PUT it with the new name / password reference → (a rename: every group listing the old
 * name lists the new one) → commit; rolled back on any failure.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const key = entityKey.call(this, LOCAL_USERS, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const newName = fields.name !== undefined && fields.name !== '' ? userName.call(this, fields.name, itemIndex) : undefined;
	const newPassword = fields.password !== undefined && fields.password !== '' ? passwordParameter.call(this, fields.password, itemIndex) : undefined;
	if (newName === undefined && newPassword === undefined) {
		throw new NodeOperationError(this.getNode(), 'Add a field to update: Name or Password', { itemIndex });
	}
	const autoCommit = this.getNodeParameter('autoCommit', itemIndex, true) as boolean;
	return await changeConfiguration.call(this, itemIndex, { what: `updating the local user ${key}`, autoCommit }, async () => {
		const current = await getLocal.call(this, LOCAL_USERS, key, itemIndex);
		const body = { ...((current.body ?? {}) as IDataObject) };
		const oldName = String(body.name ?? '');
		const changed: string[] = [];
		if (newPassword !== undefined) {
			body.password = await storePassword.call(this, newPassword, itemIndex);
			changed.push('password');
		}
		if (newName !== undefined && newName !== oldName) {
			body.name = newName;
			changed.push('name');
		}
		if (changed.length) await putLocal.call(this, LOCAL_USERS, key, body, itemIndex);
		const renamedIn = changed.includes('name') ? await editMemberships.call(this, oldName, { renameTo: newName }, itemIndex) : [];
		return { key, name: String(body.name ?? oldName), changedFields: changed, ...(changed.includes('name') ? { renamedInGroups: renamedIn } : {}) };
	});
}
