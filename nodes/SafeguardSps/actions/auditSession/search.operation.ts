import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { warnInOutput, warningHint } from '../../../shared/hints';
import { AUDIT_RESULT_CAP, expandEntries, pageAuditList, SESSION_SORT, shortfallWarning } from '../../transport/paging';
import { flatten } from '../../transport/request';
import { concurrencyOption, optionsProperty, showFor, textProperty, versionedDefault, wanted } from '../common';
import { SESSION_SIMPLE, simplifyFor, simplifyOut } from '../simplify';

/**
 * Selected Fields by default: when (start_time; creation_time, which every SPS version's session has) and who (the
 * user's name, the gateway user and the server account), from where to where, and the IDs to act on. Field names of
 * One Identity's own Power BI connector for SPS 7.3–8.2; a field this SPS does not have is simply left out.
 */
export const DEFAULT_FIELDS =
	'start_time,creation_time,end_time,active,protocol,user.name,user.gateway_username,user.server_username,client.ip,recording.target.ip,recording.session_id';

const show = showFor('auditSession', 'search');

/** What each session item holds (shared with the trigger's New Recorded Session). */
export const SESSION_DATA_OPTIONS = [
	{
		name: 'Full Record',
		value: 'full',
		description: 'The complete session record: one extra request per session',
	},
	{
		name: 'Key and Link Only',
		value: 'key',
		description: 'Only the session key and its link: one request per 500 sessions',
	},
	{
		name: 'Selected Fields',
		value: 'fields',
		description: 'The fields listed below, returned by the search itself (fields parameter): one request per 500 sessions',
	},
];

const SESSION_DATA: INodeProperties = {
	displayName: 'Session Data',
	name: 'sessionData',
	type: 'options',
	options: SESSION_DATA_OPTIONS,
	default: 'fields',
	displayOptions: show,
};

export const description: INodeProperties[] = [
	textProperty(show, {
		displayName: 'Query',
		name: 'query',
		placeholder: 'protocol:SSH',
		description: 'SPS search expression (the q parameter), e.g. protocol:SSH. Leave empty for all sessions.',
	}),
	{
		displayName: 'Started After',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		description: 'Only sessions that started at or after this time (sent as the start parameter, ISO 8601)',
		displayOptions: show,
	},
	{
		displayName: 'Started Before',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		description: 'Only sessions that started before this time (sent as the end parameter, ISO 8601)',
		displayOptions: show,
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: AUDIT_RESULT_CAP },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { resource: ['auditSession'], operation: ['search'], returnAll: [false] } },
	},
	// Selected Fields by default from version 1.1 (says when, who and where in one request per 500 sessions); version 1
	// kept Key and Link Only
	...versionedDefault(SESSION_DATA, 'key', 'fields'),
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'string',
		default: DEFAULT_FIELDS,
		description:
			'Comma-separated session fields (dotted paths), e.g. protocol,recording.target.ip. The default says when (start_time, creation_time) and who (user.name, user.gateway_username, user.server_username).',
		displayOptions: { show: { resource: ['auditSession'], operation: ['search'], sessionData: ['fields'] } },
	},
	...simplifyFor('auditSession', 'search'),
	optionsProperty(show, [
		concurrencyOption,
			{
				displayName: 'Additional Query Parameters',
				name: 'extraQuery',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description:
					'Other search parameters your SPS version supports (e.g. content, or sort to replace the default newest-first order -start_time)',
				options: [
					{
						displayName: 'Parameter',
						name: 'parameter',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
	]),
];

function isoDate(this: IExecuteFunctions, value: unknown, label: string, itemIndex: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = Date.parse(String(value));
	if (Number.isNaN(ms)) throw new NodeOperationError(this.getNode(), `${label} "${String(value)}" is not a date`, { itemIndex });
	return new Date(ms).toISOString();
}

function pick(body: IDataObject, fields: string[]): IDataObject {
	const out: IDataObject = {};
	for (const f of fields) {
		const parts = f.split('.');
		let cur: unknown = body;
		for (const p of parts) cur = cur && typeof cur === 'object' ? (cur as IDataObject)[p] : undefined;
		if (cur === undefined) continue;
		let target = out;
		for (const p of parts.slice(0, -1)) {
			if (!target[p] || typeof target[p] !== 'object') target[p] = {};
			target = target[p] as IDataObject;
		}
		target[parts[parts.length - 1]] = cur as IDataObject[keyof IDataObject];
	}
	return out;
}

/**
 * GET /api/audit/sessions with q / start / end / fields and sort (newest first unless the user sets it), paged by
 * limit (≤ 500) and offset with the shared anchored pager up to the requested count, the end, or SPS's 10,000-result
 * cap. A warning (output and execution hint) quotes SPS's match_count whenever fewer sessions were served.
 * Bodies: "fields" asks SPS to return them in the list (1 request per 500); "full" GETs each session's href with
 * bounded concurrency (1 request per session). If SPS ignores `fields`, each session is fetched and projected.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const q = String(this.getNodeParameter('query', itemIndex, '') ?? '').trim();
	const start = isoDate.call(this, this.getNodeParameter('startDate', itemIndex, ''), 'Started After', itemIndex);
	const end = isoDate.call(this, this.getNodeParameter('endDate', itemIndex, ''), 'Started Before', itemIndex);
	// the fallback is version 1's default: every version fills its own default in
	const sessionData = this.getNodeParameter('sessionData', itemIndex, 'key') as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const concurrency = (options.concurrency as number) ?? 8;

	const qs: IDataObject = {};
	if (q) qs.q = q;
	if (start) qs.start = start;
	if (end) qs.end = end;
	const extra = ((options.extraQuery as IDataObject | undefined)?.parameter ?? []) as IDataObject[];
	for (const p of extra) {
		const name = String(p.name ?? '').trim();
		if (!name) continue;
		if (name === 'limit' || name === 'offset') {
			throw new NodeOperationError(this.getNode(), `"${name}" is set by the node for paging`, {
				itemIndex,
				description: 'Use Return All / Limit instead.',
			});
		}
		qs[name] = String(p.value ?? '');
	}
	let fields: string[] = [];
	if (sessionData === 'fields') {
		fields = String(this.getNodeParameter('fields', itemIndex, DEFAULT_FIELDS))
			.split(',')
			.map((f) => f.trim())
			.filter(Boolean);
		if (!fields.length) throw new NodeOperationError(this.getNode(), 'Enter at least one field, or choose another Session Data option', { itemIndex });
		qs.fields = fields.join(',');
	}

	if (qs.sort === undefined) qs.sort = SESSION_SORT;
	const want = wanted.call(this, itemIndex);
	const listed = await pageAuditList.call(this, 'audit/sessions', qs, want, 'search audit sessions', itemIndex, { concurrency });
	let entries = listed.items;
	if (sessionData === 'full') {
		entries = (await expandEntries.call(this, entries, concurrency, 'get an audit session', itemIndex)).entries;
	} else if (sessionData === 'fields' && entries.some((e) => e.body === undefined)) {
		// this SPS returned key + href only despite `fields`: fetch each session and keep the requested fields
		entries = (await expandEntries.call(this, entries, concurrency, 'get an audit session', itemIndex)).entries.map((e) => ({
			...e,
			body: pick((e.body ?? {}) as IDataObject, fields),
		}));
		warningHint.call(this, 'This SPS ignored the fields parameter, so each session was fetched separately (one request per session).');
	}
	const out = simplifyOut.call(this, itemIndex, entries.map(flatten), SESSION_SIMPLE);
	const shortfall = shortfallWarning(listed, want, 'sessions');
	return shortfall ? warnInOutput.call(this, out, shortfall) : out;
}
