import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TimeCursor } from '../shared/poll';
import { advanceCursor, baselineCursor, cursorSince, readCursor } from '../shared/poll';
import { FEATURES } from './actions/common';
import { parseVsaTime } from './actions/agentProcedure/run';
import { vsaList } from './transport/list';

export type TicketEvent = 'newTicket' | 'ticketUpdated';

/**
 * Every poll re-reads the tickets stamped up to this long before the newest one it knows (two changes committed
 * out of order, times to the second), like the New Agent event; the cursor keeps their `id@time` keys.
 */
export const TICKET_OVERLAP_MS = 60_000;

const TIME_FIELD: Record<TicketEvent, string> = { newTicket: 'CreatedDate', ticketUpdated: 'ModifiedDate' };

/** Static data of one (event, desk choice, filter): a cursor per service desk, and the newest time known overall. */
interface TicketState {
	desks: Record<string, TimeCursor>;
	/** the newest ticket time known at the previous poll (VSA clock): where a desk seen later starts */
	since: number;
}

const idOf = (row: IDataObject) =>
	row.ServiceDeskTicketId === undefined || row.ServiceDeskTicketId === null ? undefined : String(row.ServiceDeskTicketId);

/**
 * New Service Desk Ticket / Service Desk Ticket Updated, per service desk or for all of them. Tickets exist per
 * desk only (a bare list of all tickets is refused on some builds): each desk is read newest first
 * (`$orderby=CreatedDate desc,ServiceDeskTicketId` or `ModifiedDate desc,…`) down to its cursor minus the overlap,
 * through the shared TimeCursor — nothing lost in the cursor's second, baseline on activation (first poll
 * emits nothing). Idle cost: ONE request per desk while fewer than 100 tickets changed within the overlap of the
 * newest one, plus one request for the desk list with "All Service Desks". A desk created after activation starts
 * at the newest time known then. "Ticket Updated" emits a ticket each time its ModifiedDate moves on; tickets never
 * changed since their creation (ModifiedDate = CreatedDate, or empty) are not updates.
 */
export async function pollTickets(
	this: IPollFunctions,
	event: TicketEvent,
	filter: string | undefined,
	manual: boolean,
	staticData: IDataObject,
): Promise<INodeExecutionData[][] | null> {
	const choice = String(this.getNodeParameter('serviceDesk', 'all') ?? 'all').trim() || 'all';
	if (choice !== 'all' && !/^\d{1,26}$/.test(choice)) {
		throw new NodeOperationError(this.getNode(), `"${choice}" is not a service desk ID`, {
			description: 'Choose a service desk from the list, or All Service Desks.',
		});
	}
	const field = TIME_FIELD[event];
	const timeOf = (row: IDataObject) => parseVsaTime(row[field]);
	const changed = (row: IDataObject) => {
		if (event !== 'ticketUpdated') return true;
		const created = parseVsaTime(row.CreatedDate);
		const modified = timeOf(row);
		return modified !== undefined && (created === undefined || modified > created);
	};

	let desks = [choice];
	if (choice === 'all') {
		const { rows } = await vsaList.call(this, '/automation/servicedesks', {
			returnAll: true,
			idField: 'ServiceDeskId',
			operation: 'list the service desks',
			feature: FEATURES.serviceDesk,
		});
		desks = rows.map((row) => String(row.ServiceDeskId ?? '')).filter((id) => /^\d+$/.test(id));
	}
	const orderby = `${field} desc`;
	const path = (desk: string) => `/automation/servicedesks/${desk}/tickets`;

	if (manual) {
		// the newest ticket (of any desk) as a sample; static data untouched
		let newest: IDataObject | undefined;
		for (const desk of desks) {
			const { rows } = await vsaList.call(this, path(desk), {
				filter,
				orderby,
				returnAll: false,
				limit: 1,
				idField: 'ServiceDeskTicketId',
				operation: `read the newest ticket of service desk ${desk}`,
				feature: FEATURES.serviceDesk,
			});
			const row = rows.find((r) => timeOf(r) !== undefined);
			if (row && (!newest || timeOf(row)! > timeOf(newest)!)) newest = row;
		}
		return newest ? [this.helpers.returnJsonArray([newest])] : null;
	}

	/** newest first, down to `since` (undefined: the newest ticket's time minus the overlap); tickets with a time only */
	const readSince = async (desk: string, since: number | undefined, operation: string) => {
		const { rows } = await vsaList.call(this, path(desk), {
			filter,
			orderby,
			returnAll: true,
			idField: 'ServiceDeskTicketId',
			newestFirst: { timeOf, since, window: TICKET_OVERLAP_MS },
			operation,
			feature: FEATURES.serviceDesk,
		});
		return rows.filter((row) => timeOf(row) !== undefined && (since === undefined || timeOf(row)! >= since));
	};

	const key = `tickets:${event}:${choice}:${filter ?? ''}`;
	const stored = staticData[key] as unknown as TicketState | undefined;
	const baseline = !stored || typeof stored !== 'object' || !stored.desks;
	const state: TicketState = { desks: {}, since: baseline ? 0 : Number(stored.since) || 0 };
	const fresh: Array<{ row: IDataObject; time: number }> = [];
	for (const desk of desks) {
		let cursor = baseline ? undefined : readCursor(stored.desks[desk], parseVsaTime);
		if (!cursor && baseline) {
			const rows = await readSince(desk, undefined, `read the newest tickets of service desk ${desk}`);
			state.desks[desk] = baselineCursor(rows, timeOf, idOf, TICKET_OVERLAP_MS);
			continue;
		}
		// a desk created since the activation: its tickets from the newest time known before on are new
		cursor ??= { v: 2, ts: state.since, keys: [], floor: state.since - TICKET_OVERLAP_MS };
		const rows = await readSince(desk, cursorSince(cursor, TICKET_OVERLAP_MS), `poll the tickets of service desk ${desk}`);
		const next = advanceCursor(cursor, rows, timeOf, idOf, TICKET_OVERLAP_MS);
		state.desks[desk] = next.cursor;
		for (const row of next.fresh) if (changed(row)) fresh.push({ row, time: timeOf(row)! });
	}
	for (const cursor of Object.values(state.desks)) state.since = Math.max(state.since, cursor.ts);
	// desks deleted since the last poll are forgotten
	staticData[key] = state as unknown as IDataObject;
	if (!fresh.length) return null;
	fresh.sort((a, b) => a.time - b.time);
	return [this.helpers.returnJsonArray(fresh.map((f) => f.row))];
}
