import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { simplifyProperties } from '../../../shared/simplify';
import { kaceList } from '../../transport';
import { ENTITIES } from '../common/entities';
import { locatorId, recordLocator } from '../common/fields';
import { simplified } from '../common/simple';
import { CHANGE_SIMPLE, CHANGES, changesPath } from './write';

const show = { resource: ['ticket'], operation: ['getComments'] };

export const description: INodeProperties[] = [
	recordLocator(ENTITIES.ticket, show),
	...returnAllOrLimit('ticket', 'getComments'),
	...simplifyProperties(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Include Owners-Only Comments',
				name: 'ownersOnly',
				type: 'boolean',
				default: true,
				description: 'Whether to return the comments only the ticket owners may read too',
			},
		],
	},
];

/**
 * The comments of a ticket: the changes of its history that carry a comment, oldest first. The whole history is
 * read (exactly, like Return All) and the comments are picked from it, so a Limit counts comments, not changes.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const id = locatorId.call(this, ENTITIES.ticket, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const changes = await kaceList.call(this, changesPath(id), CHANGES.key, { shaping: CHANGES.shaping }, {
		returnAll: true,
		operation: `get the comments of ticket ${id}`,
		itemIndex,
	});
	const comments = changes
		.filter((c) => typeof c.comment === 'string' && c.comment.trim() !== '')
		.filter((c) => options.ownersOnly !== false || !Number(c.owners_only))
		.slice(0, limit);
	return simplified.call(this, itemIndex, comments, CHANGE_SIMPLE);
}
