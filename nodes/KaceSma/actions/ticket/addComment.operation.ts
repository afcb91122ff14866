import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../../shared/errors';
import { kaceList } from '../../transport';
import { ENTITIES } from '../common/entities';
import { locatorId, recordLocator } from '../common/fields';
import { CHANGES, changesPath, writeTicket } from './write';

const show = { resource: ['ticket'], operation: ['addComment'] };

export const description: INodeProperties[] = [
	recordLocator(ENTITIES.ticket, show),
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		displayOptions: { show },
		default: '',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Owners Only',
				name: 'ownersOnly',
				type: 'boolean',
				default: false,
				description: 'Whether only the ticket owners may read the comment (not the submitter)',
			},
		],
	},
];

/** Changes read back to find the new comment: it is the newest one unless this many were added meanwhile. */
const READ_BACK = 10;

/**
 * Adds a comment: the ticket is written with `{"comment": "…"}` (PUT, POST where the appliance answers 405), then
 * the newest changes of its history are read to return the comment as the appliance stored it. That the API takes
 * comments with a ticket write is UNVERIFIED: a build that ignores the field answers Success and stores nothing,
 * which the read-back turns into an error instead of a silent success. A comment is an action: never resent.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = locatorId.call(this, ENTITIES.ticket, itemIndex);
	const comment = String(this.getNodeParameter('comment', itemIndex, ''));
	if (!comment.trim()) throw new NodeOperationError(this.getNode(), 'Comment is empty', { itemIndex });
	const ownersOnly = (this.getNodeParameter('options', itemIndex, {}) as IDataObject).ownersOnly === true;
	try {
		await writeTicket.call(this, id, { comment, ...(ownersOnly ? { owners_only: 1 } : {}) }, {
			operation: `add a comment to ticket ${id}`,
			idempotent: false,
			outcomeHint: `Open ticket ${id} in the KACE console and look for the comment before running again.`,
			itemIndex,
		});
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, itemIndex);
		if (nodeError instanceof NodeApiError && nodeError.httpCode === '400' && /\bcomment\b/i.test(nodeError.message)) {
			nodeError.description = `This KACE SMA build refuses a comment sent with a ticket update (that the API takes comments this way is unverified). Nothing was added; add the comment in the console instead. ${nodeError.description ?? ''}`.trim();
		}
		throw nodeError;
	}
	const newest = await kaceList.call(this, changesPath(id), CHANGES.key, { shaping: CHANGES.shaping, sorting: 'id desc' }, {
		returnAll: false,
		limit: READ_BACK,
		operation: `read back the comment of ticket ${id}`,
		itemIndex,
	});
	const stored = newest.find((c) => typeof c.comment === 'string' && c.comment.trim() === comment.trim());
	if (!stored) {
		throw new NodeOperationError(this.getNode(), `KACE SMA answered Success to add a comment to ticket ${id}, but the comment is not in the ticket's history`, {
			itemIndex,
			description: `Read back the last ${READ_BACK} changes of the ticket: none carries the comment. This KACE SMA build appears to ignore comments sent with a ticket update (that the API takes them is unverified). The request was not sent again.`,
		});
	}
	return { ticket_id: Number(id), ...stored };
}
