import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { toNodeError } from '../shared/errors';
import { readPagesInOrder } from '../shared/execute';
import type { TimeCursor } from '../shared/poll';
import { advanceCursor, baselineCursor, cursorSince, readCursor } from '../shared/poll';
import { CHANGES, changesPath } from './actions/ticket/write';
import { envelopeRows, kaceList, kaceRequest, PAGE_CONCURRENCY, recordId } from './transport';
import { formatKaceTime, parseKaceTime } from './time';

const TICKETS = { path: '/api/service_desk/tickets', key: 'Tickets', shaping: 'hd_ticket all' };

export interface CommentPollOptions {
	/** filters on the tickets (queue, the user's Filtering option) */
	ticketFilters: string[];
	overlapMs: number;
	ownersOnly: boolean;
	/** where the cursor lives in the workflow's static data */
	cursorKey: string;
}

const timeOf = (row: IDataObject) => parseKaceTime(row.timestamp ?? row.Timestamp);
const modifiedOf = (row: IDataObject) => parseKaceTime(row.modified ?? row.Modified);
const hasComment = (row: IDataObject) => typeof row.comment === 'string' && row.comment.trim() !== '';
const ticketKey = (row: IDataObject) => `${recordId(row) ?? ''}@${modifiedOf(row) ?? ''}`;

/** Where a ticket's history was read, beside the cursor (see pollComments). */
interface ReadState {
	/** tickets (id@modified) whose history the previous poll read */
	last: string[];
	/** tickets (id@modified) whose history was read by two polls: nothing more can be stamped at that modified time */
	done: string[];
}

/**
 * "Ticket Comment Added": comments are changes of a ticket's history (`…/tickets/{id}/changes`), and the API has
 * no list of changes across tickets. A comment moves its ticket's `modified` time (UNVERIFIED reading: the
 * appliance stamps the ticket when a change is saved), so each poll:
 *  1. lists the tickets modified at or after the cursor (one request while nothing changes; exact, by id);
 *  2. reads the history of each of them from the cursor on (3 at a time), keeping the comments stamped at or before
 *     the newest modified time of the list: a comment saved while the poll runs is left for the next poll;
 *  3. emits the comments the shared time cursor has not seen (id@timestamp), oldest first, and moves the cursor to
 *     the newest modified time of the list — every comment up to it has been read.
 * A ticket whose history was read by two polls at the same modified time is not read again until it changes: the
 * second read came after that second had passed, so nothing more can carry it. An idle poll therefore costs one
 * request (two the first two times after a change: the history of the tickets of the newest second is read again).
 */
export async function pollComments(this: IPollFunctions, o: CommentPollOptions): Promise<IDataObject[] | null> {
	const staticData = this.getWorkflowStaticData('node');
	const readKey = `${o.cursorKey}#read`;
	const readState = (staticData[readKey] as ReadState | undefined) ?? { last: [], done: [] };

	const listTickets = async (fromMs: number) =>
		await kaceList.call(this, TICKETS.path, TICKETS.key, {
			filtering: [...o.ticketFilters, `modified ge ${formatKaceTime(fromMs)}`].join(','),
			shaping: TICKETS.shaping,
		}, { returnAll: true, operation: 'poll for tickets with new comments' });

	/** the comments of each ticket stamped in [from, upTo], with the ticket they belong to */
	const commentsOf = async (tickets: IDataObject[], fromMs: number, upToMs: number): Promise<IDataObject[]> => {
		const histories = await readPagesInOrder(tickets, PAGE_CONCURRENCY, async (ticket) => {
			const id = recordId(ticket)!;
			try {
				return await kaceList.call(this, changesPath(id), CHANGES.key, {
					filtering: `timestamp ge ${formatKaceTime(fromMs)}`,
					shaping: CHANGES.shaping,
				}, { returnAll: true, operation: `read the history of ticket ${id}` });
			} catch (error) {
				// deleted since it was listed: its comments went with it
				const nodeError = toNodeError(this.getNode(), error, 0);
				if ((nodeError as { httpCode?: string | null }).httpCode === '404') return [];
				throw nodeError;
			}
		});
		return tickets.flatMap((ticket, n) =>
			histories[n]
				.filter((change) => hasComment(change) && (timeOf(change) ?? Number.POSITIVE_INFINITY) <= upToMs)
				.map((change) => ({ ...change, ticket: { id: ticket.id, title: ticket.title, hd_queue_id: ticket.hd_queue_id } })),
		);
	};

	const stored = staticData[o.cursorKey];
	const cursor = readCursor(stored, parseKaceTime);
	if (!cursor) {
		// baseline: the newest modified ticket, and every comment of the tickets modified in its second (and overlap)
		const body = await kaceRequest.call(this, 'GET', TICKETS.path, {
			query: {
				...(o.ticketFilters.length ? { filtering: o.ticketFilters.join(',') } : {}),
				shaping: TICKETS.shaping,
				sorting: 'modified desc,id desc',
				paging: 'limit 1',
				use_count: 'false',
			},
			operation: 'read the newest ticket',
		});
		const top = envelopeRows(body, TICKETS.key)[0];
		const newest = top ? modifiedOf(top) : undefined;
		let baseline: TimeCursor = { v: 2, ts: 0, keys: [] };
		let read: string[] = [];
		if (newest !== undefined) {
			const from = newest - o.overlapMs;
			const tickets = await listTickets(from);
			baseline = baselineCursor(await commentsOf(tickets, from, newest), timeOf, recordId, o.overlapMs, newest);
			// every comment from `from` on was read and is in the keys; the cursor stands at the newest ticket
			baseline.ts = Math.max(baseline.ts, newest);
			baseline.floor = from;
			read = tickets.map(ticketKey);
		}
		staticData[o.cursorKey] = baseline as unknown as IDataObject;
		staticData[readKey] = { last: read, done: [] } as unknown as IDataObject;
		return null;
	}

	const since = cursorSince(cursor, o.overlapMs);
	const tickets = (await listTickets(since)).filter((t) => modifiedOf(t) !== undefined);
	if (!tickets.length) return null;
	const upTo = Math.max(...tickets.map((t) => modifiedOf(t)!));
	const done = new Set(readState.done);
	const toRead = tickets.filter((t) => !done.has(ticketKey(t)));
	const comments = await commentsOf(toRead, since, upTo);
	const { fresh, cursor: next } = advanceCursor(cursor, comments, timeOf, recordId, o.overlapMs);
	next.ts = Math.max(next.ts, upTo);

	const readNow = toRead.map(ticketKey);
	const lastRead = new Set(readState.last);
	const inWindow = (key: string) => Number(key.slice(key.lastIndexOf('@') + 1)) >= cursorSince(next, o.overlapMs);
	staticData[o.cursorKey] = next as unknown as IDataObject;
	staticData[readKey] = {
		last: readNow,
		done: [...new Set([...readState.done, ...readNow.filter((k) => lastRead.has(k))])].filter(inWindow),
	} as unknown as IDataObject;
	const out = fresh.filter((c) => o.ownersOnly || !Number(c.owners_only));
	return out.length ? out : null;
}

/** "Fetch Test Event": the newest comment of the ten tickets modified last (at most 11 requests). */
export async function sampleComment(this: IPollFunctions, ticketFilters: string[]): Promise<IDataObject[] | null> {
	const body = await kaceRequest.call(this, 'GET', TICKETS.path, {
		query: {
			...(ticketFilters.length ? { filtering: ticketFilters.join(',') } : {}),
			shaping: TICKETS.shaping,
			sorting: 'modified desc,id desc',
			paging: 'limit 10',
			use_count: 'false',
		},
		operation: 'read the newest tickets',
	});
	let best: IDataObject | undefined;
	for (const ticket of envelopeRows(body, TICKETS.key)) {
		const id = recordId(ticket)!;
		const changes = envelopeRows(
			await kaceRequest.call(this, 'GET', changesPath(id), {
				query: { shaping: CHANGES.shaping, sorting: 'id desc', paging: 'limit 20', use_count: 'false' },
				operation: `read the history of ticket ${id}`,
			}),
			CHANGES.key,
		);
		const comment = changes.find(hasComment);
		if (comment && (!best || (timeOf(comment) ?? 0) > (timeOf(best) ?? 0))) {
			best = { ...comment, ticket: { id: ticket.id, title: ticket.title, hd_queue_id: ticket.hd_queue_id } };
		}
	}
	return best ? [best] : null;
}
