import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getLocal, LOCAL_GROUPS, nameList, putLocal } from '../../transport/localDatabase';
import { changeConfiguration } from '../../transport/transaction';
import { autoCommitProperty, showFor } from '../common';
import { entityKey, entityLocator } from '../localDatabase';
import { membersProperty } from './create.operation';

const show = showFor('localGroup', 'update');

export const description: INodeProperties[] = [
	entityLocator(LOCAL_GROUPS, 'update'),
	{
		displayName: 'Members Change',
		name: 'membersMode',
		type: 'options',
		options: [
			{ name: 'Add Members', value: 'add', description: 'Add the names below to the group' },
			{ name: 'Remove Members', value: 'remove', description: 'Remove the names below from the group' },
			{ name: 'Replace Members', value: 'replace', description: 'The group has exactly the names below' },
		],
		default: 'add',
		displayOptions: show,
	},
	membersProperty(show),
	autoCommitProperty('localGroup', 'update'),
];

/**
 * Changes a local group's members in a transaction: GET the group → add / remove / replace names → PUT (only when
 * something changes) → commit. The name is not changed here: SPS's access-control lists (read-only over REST) name
 * groups, so renaming one would silently drop its privileges.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const key = entityKey.call(this, LOCAL_GROUPS, itemIndex);
	const mode = this.getNodeParameter('membersMode', itemIndex, 'add') as string;
	const names = nameList(this.getNodeParameter('members', itemIndex, ''));
	if (!names.length && mode !== 'replace') throw new NodeOperationError(this.getNode(), 'Enter the member names to add or remove', { itemIndex });
	const autoCommit = this.getNodeParameter('autoCommit', itemIndex, true) as boolean;
	return await changeConfiguration.call(this, itemIndex, { what: `updating the local group ${key}`, autoCommit }, async () => {
		const current = await getLocal.call(this, LOCAL_GROUPS, key, itemIndex);
		const body = { ...((current.body ?? {}) as IDataObject) };
		const before = Array.isArray(body.members) ? body.members.map(String) : [];
		const after =
			mode === 'replace' ? names : mode === 'remove' ? before.filter((m) => !names.includes(m)) : [...before, ...names.filter((n) => !before.includes(n))];
		const changed = JSON.stringify(after) !== JSON.stringify(before);
		if (changed) await putLocal.call(this, LOCAL_GROUPS, key, { ...body, members: after }, itemIndex);
		return {
			key,
			name: String(body.name ?? key),
			members: after,
			added: after.filter((m) => !before.includes(m)),
			removed: before.filter((m) => !after.includes(m)),
		};
	});
}
