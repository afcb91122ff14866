import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { toNodeError } from '../../shared/errors';
import { mapLimit } from '../../shared/execute';
import { advanceCursor, baselineCursor, readCursor, SeenKeys } from '../../shared/poll';
import type { HealthMetric, HealthScale } from '../transport/health';
import { healthMetrics } from '../transport/health';
import { AUDIT_RESULT_CAP, expandEntries, pageAuditList, parseDateHeader, shortfallWarning } from '../transport/paging';
import { flatten, spsRequest } from '../transport/request';
import { runningQuery } from '../transport/sessions';

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
	const shortfall = shortfallWarning(listed, AUDIT_RESULT_CAP, 'new sessions');
	return emit.call(this, withWarnings(rows.map(flatten), shortfall ? [shortfall] : []));
}

export interface AlertPollOptions {
	query: string;
	overlapMinutes: number;
	concurrency: number;
}

interface AlertRow {
	id: string;
	time: number | undefined;
	row: IDataObject;
}

function alertRow(sessionKey: string, alert: IDataObject): AlertRow {
	const id = alert.record_id ?? alert.id ?? `${String(alert.time)}|${String(alert.rule_name)}|${String(alert.matched_content)}`;
	const t = typeof alert.time === 'string' ? Date.parse(alert.time) : NaN;
	return { id: `${sessionKey}|${String(id)}`, time: Number.isNaN(t) ? undefined : t, row: { sessionKey, ...alert } };
}

/** The sessions a poll watches, and what SPS said about them. */
interface Watched {
	keys: string[];
	running: string[];
	serverTime?: number;
	warnings: string[];
}

/**
 * Lists the sessions whose alerts a poll reads: those that started since `since` (one request per 500) and those
 * running now (`q=active:true`, one request per 500), plus `remembered` (running at an earlier poll: a session that
 * ended since then may have raised its last alerts after that poll).
 */
async function watchedSessions(this: IPollFunctions, since: number, o: AlertPollOptions, remembered: string[], max: number): Promise<Watched> {
	const started: IDataObject = { start: iso(since), sort: POLL_SORT };
	if (o.query) started.q = o.query;
	const recent = await pageAuditList.call(this, 'audit/sessions', started, max, 'list recent sessions', undefined, { serverTime: true });
	const running = await pageAuditList.call(
		this,
		'audit/sessions',
		{ q: runningQuery(o.query), sort: POLL_SORT },
		max,
		`search running sessions (q=${runningQuery(o.query)})`,
	);
	const keyOf = (e: IDataObject) => (typeof e.key === 'string' ? e.key : undefined);
	const runningKeys = running.items.map(keyOf).filter((k): k is string => k !== undefined);
	const keys = [...new Set([...recent.items.map(keyOf).filter((k): k is string => k !== undefined), ...runningKeys, ...remembered])];
	const warnings = [
		shortfallWarning(recent, max, 'recently started sessions'),
		shortfallWarning(running, max, 'running sessions'),
	].filter((w): w is string => w !== undefined);
	return { keys, running: runningKeys, serverTime: recent.serverTime, warnings };
}

/** The alerts of the given sessions (one request per session and 500 alerts, `concurrency` at a time). */
async function alertsOf(this: IPollFunctions, keys: string[], o: AlertPollOptions, optional: Set<string>): Promise<AlertRow[]> {
	const results = await mapLimit(keys, Math.max(1, Math.min(32, o.concurrency)), async (key) => {
		try {
			const page = await pageAuditList.call(this, `audit/sessions/${encodeURIComponent(key)}/alerts`, {}, AUDIT_RESULT_CAP, 'list session alerts', undefined, {
				concurrent: true,
			});
			return page.items.map((a) => alertRow(key, a));
		} catch (error) {
			// a session remembered from an earlier poll may have been deleted since (SPS's cleanup): nothing to read
			const e = toNodeError(this.getNode(), error, 0);
			if (optional.has(key) && 'httpCode' in e && String(e.httpCode) === '404') return [];
			throw e;
		}
	});
	const alerts: AlertRow[] = [];
	for (const r of results) {
		if (r.error !== undefined) throw r.error;
		alerts.push(...(r.value ?? []));
	}
	return alerts;
}

const alertTime = (a: AlertRow) => a.time;
const alertKey = (a: AlertRow) => a.id;

/**
 * New alerts. SPS has no feed of alerts, only a list per session, so each poll reads the alerts of every session
 * that could have raised one since the previous poll: the sessions that started since then (minus the overlap),
 * the sessions running now, and the sessions that were running at a poll within the overlap (a session that ended
 * meanwhile may have raised its last alert before it ended). A privileged session that runs for hours is read on
 * every poll while it runs. Cost per poll: 2 list requests (+1 per further 500 sessions) + 1 request per watched
 * session (+1 per further 500 alerts of it).
 * The alerts' own times (SPS's clock) make the cursor (nodes/shared/poll.ts): an alert is emitted once, when its
 * key (session|record id @ time) was not seen before and its time is not older than the newest one seen minus
 * the overlap. The first poll records what exists and emits nothing.
 */
export async function pollNewAlerts(this: IPollFunctions, state: IDataObject, o: AlertPollOptions, manual: boolean): Promise<Emit> {
	const overlap = Math.max(0, o.overlapMinutes) * MINUTE;
	// SPS's time at the previous poll (`cursor` in earlier versions of this trigger)
	const polledAt = typeof state.polledAt === 'number' ? state.polledAt : typeof state.cursor === 'number' ? state.cursor : undefined;

	if (manual) {
		const now = polledAt ?? (await serverNow.call(this));
		const watched = await watchedSessions.call(this, now - SAMPLE_WINDOW, o, [], 50);
		const alerts = await alertsOf.call(this, watched.keys, o, new Set());
		alerts.sort((x, y) => (y.time ?? 0) - (x.time ?? 0));
		return emit.call(this, alerts.slice(0, 10).map((a) => a.row));
	}

	const remembered = (state.watch && typeof state.watch === 'object' ? state.watch : {}) as Record<string, number>;
	const since = polledAt === undefined ? undefined : polledAt - overlap;
	const keep = Object.keys(remembered).filter((k) => since !== undefined && remembered[k] >= since);
	const watched = await watchedSessions.call(this, since ?? (await serverNow.call(this)) - overlap, o, keep, AUDIT_RESULT_CAP);
	const now = watched.serverTime ?? polledAt ?? Date.now();
	const alerts = await alertsOf.call(this, watched.keys, o, new Set(keep));

	const watch: Record<string, number> = {};
	for (const k of keep) watch[k] = remembered[k];
	for (const k of watched.running) watch[k] = now;

	// an earlier version of this trigger kept only SPS's time at its last poll: continue from there
	const cursor = readCursor(state.alerts, () => undefined) ?? (polledAt !== undefined ? { v: 2 as const, ts: polledAt, keys: [] } : undefined);
	let fresh: AlertRow[] = [];
	if (!cursor) {
		state.alerts = baselineCursor(alerts, alertTime, alertKey, overlap, now);
	} else {
		const next = advanceCursor(cursor, alerts, alertTime, alertKey, overlap);
		// alerts remembered by the earlier version of this trigger (ids without times) are not new
		const legacy = Array.isArray(state.seen) ? new Set((state.seen as unknown[]).map(String)) : undefined;
		fresh = legacy ? next.fresh.filter((a) => !legacy.has(a.id)) : next.fresh;
		state.alerts = next.cursor;
	}
	delete state.seen;
	delete state.cursor;
	state.polledAt = Math.max(now, polledAt ?? now);
	state.watch = watch;
	return emit.call(this, withWarnings(fresh.map((a) => a.row), watched.warnings));
}

/** How far back "Fetch Test Event" looks for sessions with alerts (besides the running ones). */
const SAMPLE_WINDOW = 24 * 60 * MINUTE;

/** Puts warnings (incomplete lists) on the first emitted row, where they travel with the data. */
function withWarnings(rows: IDataObject[], warnings: string[]): IDataObject[] {
	if (!rows.length || !warnings.length) return rows;
	return [{ ...rows[0], _warning: warnings.join(' ') }, ...rows.slice(1)];
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
