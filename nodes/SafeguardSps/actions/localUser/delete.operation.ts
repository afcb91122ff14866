import type { IExecuteFunctions } from 'n8n-workflow';

import { editMemberships, LOCAL_USERS } from '../../transport/localDatabase';
import { showFor } from '../common';
import { deleteOperation } from '../localDatabase';

/**
 * Deletes a local user and, by default, removes the name from every local group in the same transaction: group
 * members are names, so a name left behind would give a later user of that name the old privileges.
 * `admin` cannot be deleted (SPS refuses).
 */
export const { description, execute } = deleteOperation(
	LOCAL_USERS,
	[
		{
			displayName: 'Remove From Groups',
			name: 'removeFromGroups',
			type: 'boolean',
			default: true,
			description:
				'Whether to remove the user’s name from every local group too (one request per group, in the same transaction). Group members are names: a name left behind gives a later user of that name the same privileges.',
			displayOptions: showFor('localUser', 'delete'),
		},
	],
	async function (this: IExecuteFunctions, name: string, itemIndex: number) {
		if (!(this.getNodeParameter('removeFromGroups', itemIndex, true) as boolean)) return {};
		return { removedFromGroups: await editMemberships.call(this, name, { remove: true }, itemIndex) };
	},
);
