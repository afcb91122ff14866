import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { mapLimit } from '../../shared/execute';
import { SeenKeys } from '../../shared/poll';
import type { HealthMetric, HealthScale } from '../transport/health';
import { healthMetrics } from '../transport/health';
import { AUDIT_RESULT_CAP, expandEntries, pageAuditList, parseDateHeader } from '../transport/paging';
import { flatten, spsRequest } from '../transport/request';

/**
 * Polling logic of the SPS trigger. State lives in the node's workflow static data, one object per event, so
 * switching the event starts from a fresh baseline:
 *  - cursor: SPS's own clock (Date header) at the previous poll, in ms (never the n8n server clock);
 *  - seen: bounded list of keys already emitted or present at the baseline (de-duplication across the overlap).
 * First poll of an event = baseline: records what exists and emits nothing (the n8n RSS-trigger convention).
 * Manual mode ("Fetch Test Event") returns a sample and never touches the state.
 */

const MINUTE = 60_000;

/**
 * Polls list sessions oldest first (by start time), so new sessions are emitted in the order they started; sessions
 * recorded during a poll enter after the read position and move nothing.
 */
const POLL_SORT = 'start_time';

type Emit = INodeExecutionData[][] | null;

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

/** SPS's clock: the Date header of a cheap authenticated GET (falls back to the n8n clock when absent). */
async function serverNow(this: IPollFunctions): Promise<number> {
	const res = (await spsRequest.call(this, { method: 'GET', path: 'info', operation: 'read the SPS clock', returnFullResponse: true })) as IDataObject;
	return parseDateHeader((res.headers as IDataObject | undefined)?.date) ?? Date.now();
}

function startTime(entry: IDataObject): number | undefined {
	const body = (entry.body ?? {}) as IDataObject;
	const v = body.start_time ?? body.creation_time;
	const ms = typeof v === 'string' ? Date.parse(v) : NaN;
	return Number.isNaN(ms) ? undefined : ms;
}

function emit(this: IPollFunctions, rows: IDataObject[]): Emit {
	return rows.length ? [this.helpers.returnJsonArray(rows)] : null;
}

export interface SessionPollOptions {
	query: string;
	sessionData: 'full' | 'fields' | 'key';
	fields: string;
	overlapMinutes: number;
	concurrency: number;
}

async function sessionBodies(this: IPollFunctions, entries: IDataObject[], o: SessionPollOptions): Promise<IDataObject[]> {
	if (o.sessionData === 'key') return entries;
	if (o.sessionData === 'fields' && entries.every((e) => e.body !== undefined)) return entries;
	return (await expandEntries.call(this, entries, o.concurrency, 'get a new session')).entries;
}

/** New recorded sessions: sessions that started at or after (previous SPS time − overlap), not seen before. */
export async function pollNewSessions(this: IPollFunctions, state: IDataObject, o: SessionPollOptions, manual: boolean): Promise<Emit> {
	const overlap = Math.max(0, o.overlapMinutes) * MINUTE;
	const qs: IDataObject = { sort: POLL_SORT };
	if (o.query) qs.q = o.query;
	if (o.sessionData === 'fields' && o.fields.trim()) qs.fields = o.fields.replace(/\s+/g, '');
	const cursor = typeof state.cursor === 'number' ? state.cursor : undefined;

	if (manual) {
		const sampleQs = { ...qs, ...(cursor !== undefined ? { start: iso(cursor - overlap) } : {}) };
		const listed = await pageAuditList.call(this, 'audit/sessions', sampleQs, 1, 'fetch a sample session');
		if (!listed.items.length) return null;
		return emit.call(this, (await sessionBodies.call(this, listed.items, o)).map(flatten));
	}

	const seen = new SeenKeys(state, 'seen', 5000);
	if (cursor === undefined) {
		const now = await serverNow.call(this);
		const listed = await pageAuditList.call(this, 'audit/sessions', { ...qs, start: iso(now - overlap) }, AUDIT_RESULT_CAP, 'poll new sessions');
		for (const e of listed.items) if (typeof e.key === 'string') seen.add(e.key);
		state.cursor = now;
		return null;
	}

	const listed = await pageAuditList.call(
		this,
		'audit/sessions',
		{ ...qs, start: iso(cursor - overlap) },
		AUDIT_RESULT_CAP,
		'poll new sessions',
		undefined,
		{ serverTime: true },
	);
	const fresh = listed.items.filter((e) => typeof e.key === 'string' && !seen.has(e.key));
	let next = listed.serverTime ?? cursor;
	if (!fresh.length) {
		state.cursor = Math.max(cursor, next);
		return null;
	}
	const rows = await sessionBodies.call(this, fresh, o);
	if (listed.serverTime === undefined) {
		// no Date header: advance to the newest start time SPS reported (never the n8n clock)
		for (const r of rows) next = Math.max(next, startTime(r) ?? next);
	}
	for (const e of fresh) seen.add(e.key as string);
	state.cursor = Math.max(cursor, next);
	return emit.call(this, rows.map(flatten));
}

export interface AlertPollOptions {
	query: string;
	lookbackMinutes: number;
	overlapMinutes: number;
	concurrency: number;
}

function alertId(sessionKey: string, alert: IDataObject): string {
	const id = alert.record_id ?? alert.id ?? `${String(alert.time)}|${String(alert.rule_name)}|${String(alert.matched_content)}`;
	return `${sessionKey}|${String(id)}`;
}

async function alertsOfRecentSessions(
	this: IPollFunctions,
	since: number,
	o: AlertPollOptions,
	maxSessions: number,
	serverTime: boolean,
): Promise<{ alerts: Array<{ id: string; row: IDataObject }>; serverTime?: number }> {
	const qs: IDataObject = { start: iso(since) };
	if (o.query) qs.q = o.query;
	const listed = await pageAuditList.call(this, 'audit/sessions', qs, maxSessions, 'list recent sessions', undefined, { serverTime });
	const keys = listed.items.map((e) => e.key).filter((k): k is string => typeof k === 'string');
	const results = await mapLimit(keys, Math.max(1, Math.min(32, o.concurrency)), async (key) => {
		const page = await pageAuditList.call(this, `audit/sessions/${encodeURIComponent(key)}/alerts`, {}, AUDIT_RESULT_CAP, 'list session alerts', undefined, { concurrent: true });
		return page.items.map((a) => ({ id: alertId(key, a), row: { sessionKey: key, ...a } }));
	});
	const alerts: Array<{ id: string; row: IDataObject }> = [];
	for (const r of results) {
		if (r.error !== undefined) throw r.error;
		alerts.push(...(r.value ?? []));
	}
	return { alerts, serverTime: listed.serverTime };
}

/**
 * New alerts on recent sessions. SPS has no global alert feed: each poll lists the sessions that started within
 * the lookback window and reads their alerts (1 + one request per session). Emits alerts not seen before whose
 * time is not older than (previous SPS time − overlap).
 */
export async function pollNewAlerts(this: IPollFunctions, state: IDataObject, o: AlertPollOptions, manual: boolean): Promise<Emit> {
	const lookback = Math.max(1, o.lookbackMinutes) * MINUTE;
	const overlap = Math.max(0, o.overlapMinutes) * MINUTE;
	const cursor = typeof state.cursor === 'number' ? state.cursor : undefined;

	if (manual) {
		const now = cursor ?? (await serverNow.call(this));
		const { alerts } = await alertsOfRecentSessions.call(this, now - lookback, o, 50, false);
		return emit.call(this, alerts.slice(0, 10).map((a) => a.row));
	}

	const seen = new SeenKeys(state, 'seen', 5000);
	if (cursor === undefined) {
		const now = await serverNow.call(this);
		const { alerts } = await alertsOfRecentSessions.call(this, now - lookback, o, AUDIT_RESULT_CAP, false);
		for (const a of alerts) seen.add(a.id);
		state.cursor = now;
		return null;
	}

	const { alerts, serverTime } = await alertsOfRecentSessions.call(this, cursor - lookback, o, AUDIT_RESULT_CAP, true);
	const fresh = alerts.filter((a) => {
		if (seen.has(a.id)) return false;
		const t = typeof a.row.time === 'string' ? Date.parse(a.row.time) : NaN;
		return Number.isNaN(t) || t >= cursor - overlap;
	});
	for (const a of alerts) if (!seen.has(a.id) && fresh.includes(a)) seen.add(a.id);
	state.cursor = Math.max(cursor, serverTime ?? cursor);
	return emit.call(this, fresh.map((a) => a.row));
}

export interface HealthPollOptions {
	metrics: HealthMetric[];
	thresholdPercent: number;
	scale: HealthScale;
	emitRecovery: boolean;
}

/**
 * Health threshold crossed: emits when a metric goes from at-or-below the threshold to above it (not on every poll
 * while it stays above); optionally when it falls back. The first poll records the current state only.
 */
export async function pollHealth(this: IPollFunctions, state: IDataObject, o: HealthPollOptions, manual: boolean): Promise<Emit> {
	const res = await spsRequest.call(this, { method: 'GET', path: 'health_status', operation: 'get the health status' });
	const health = ((res.health_status ?? res.body ?? {}) as IDataObject) || {};
	const values = healthMetrics(health, o.scale);
	const rowFor = (metric: HealthMetric, value: number, event: string): IDataObject => ({
		event,
		metric,
		valuePercent: value,
		thresholdPercent: o.thresholdPercent,
		health,
	});

	if (manual) {
		const rows = o.metrics
			.filter((m) => values[m] !== undefined)
			.map((m) => rowFor(m, values[m] as number, (values[m] as number) > o.thresholdPercent ? 'above' : 'normal'));
		return emit.call(this, rows);
	}

	const first = state.above === undefined;
	const previous = (state.above ?? {}) as IDataObject;
	const now: IDataObject = {};
	const rows: IDataObject[] = [];
	for (const metric of o.metrics) {
		const value = values[metric];
		if (value === undefined) continue;
		const above = value > o.thresholdPercent;
		now[metric] = above;
		if (first || previous[metric] === undefined) continue;
		if (above && previous[metric] === false) rows.push(rowFor(metric, value, 'crossedAbove'));
		if (!above && previous[metric] === true && o.emitRecovery) rows.push(rowFor(metric, value, 'backToNormal'));
	}
	state.above = now;
	state.threshold = o.thresholdPercent;
	return emit.call(this, rows);
}
