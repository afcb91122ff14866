import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { AUDIT_RESULT_CAP } from '../../transport/paging';
import { sessionKeyLocator, showFor } from '../common';
import { EVENT_SIMPLE, simplifyFor } from '../simplify';
import { sessionSubList } from './get.operation';

export const description: INodeProperties[] = [
	sessionKeyLocator('auditSession', 'searchContent'),
	{
		displayName: 'Search Expression',
		name: 'contentQuery',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'sudo AND passwd',
		description:
			'What to find in the recorded content (commands, screen text), in Apache Lucene syntax. Must not be empty and must not start with *. Needs the session to be indexed.',
		displayOptions: showFor('auditSession', 'searchContent'),
	},
	...returnAllOrLimit('auditSession', 'searchContent', AUDIT_RESULT_CAP),
	...simplifyFor('auditSession', 'searchContent'),
];

/**
 * Full-text search inside one session's recorded content: GET /api/audit/sessions/<key>/content/?q=<expression>
 * (URL-encoded once), paged (limit ≤ 500, offset). SPS returns nothing for an empty q and refuses one that starts
 * with the * wildcard: both are refused here before any request. An unindexed session has no matches.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const q = String(this.getNodeParameter('contentQuery', itemIndex, '') ?? '').trim();
	if (!q) {
		throw new NodeOperationError(this.getNode(), 'Enter what to search for in the session content', {
			itemIndex,
			description: 'SPS answers an empty search expression with no results at all, so it is not sent.',
		});
	}
	if (q.startsWith('*')) {
		throw new NodeOperationError(this.getNode(), `The search expression "${q}" starts with the * wildcard, which SPS does not allow`, {
			itemIndex,
			description: 'Start with a word and put the wildcard at its end, e.g. passw* instead of *passw.',
		});
	}
	return await sessionSubList.call(this, itemIndex, 'content', EVENT_SIMPLE, { q });
}
