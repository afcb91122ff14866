import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { returnAllOrLimit } from '../../../shared/descriptions';
import { warnInOutput, warningHint } from '../../../shared/hints';
import { AUDIT_RESULT_CAP, expandEntries, pageAuditList, SESSION_SORT, shortfallWarning } from '../../transport/paging';
import { flatten } from '../../transport/request';
import { ACTIVE_FIELDS, runningQuery } from '../../transport/sessions';
import { concurrencyOption, optionsProperty, showFor, textProperty, wanted } from '../common';
import { SESSION_SIMPLE, simplifyFor, simplifyOut } from '../simplify';

const show = showFor('activeSession', 'getMany');

export const description: INodeProperties[] = [
	textProperty(show, {
		displayName: 'Query',
		name: 'query',
		placeholder: 'protocol:SSH',
		description: 'Optional SPS search expression (q) to narrow the running sessions, e.g. protocol:SSH or user.name:jdoe',
	}),
	...returnAllOrLimit('activeSession', 'getMany', AUDIT_RESULT_CAP),
	...simplifyFor('activeSession', 'getMany'),
	optionsProperty(show, [concurrencyOption]),
];

/**
 * Who is connected where, now: GET /api/audit/sessions?q=active:true[ AND <query>]&fields=<who, where, since,
 * IDs>&sort=-start_time — the same `active:true` reading as the New Alert trigger — paged exactly (limit ≤ 500,
 * offset, the shared anchored pager). One request per 500 running sessions; a warning when SPS serves fewer than
 * its match_count. If an SPS ignores `fields`, each session is fetched (one request per session, with a hint).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const q = runningQuery(String(this.getNodeParameter('query', itemIndex, '') ?? '').trim());
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const concurrency = (options.concurrency as number) ?? 8;
	const want = wanted.call(this, itemIndex);
	const listed = await pageAuditList.call(
		this,
		'audit/sessions',
		{ q, fields: ACTIVE_FIELDS, sort: SESSION_SORT },
		want,
		`list the active sessions (q=${q})`,
		itemIndex,
		{ concurrency },
	);
	let entries = listed.items;
	if (entries.some((e) => e.body === undefined)) {
		entries = (await expandEntries.call(this, entries, concurrency, 'get an active session', itemIndex)).entries;
		warningHint.call(this, 'This SPS ignored the fields parameter, so each session was fetched separately (one request per session).');
	}
	const out = simplifyOut.call(this, itemIndex, entries.map(flatten), SESSION_SIMPLE);
	const shortfall = shortfallWarning(listed, want, 'active sessions');
	return shortfall ? warnInOutput.call(this, out, shortfall) : out;
}
