import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ApplianceAuthError, ApplianceConfigError, CONFIG_MARK, LOGIN_REFUSED_MARK } from './errors';

/**
 * One login at a time per credential version and n8n process (main or queue-mode worker).
 *
 * n8n runs a credential's preAuthentication, without any lock, in every execution that finds the session field
 * empty or got HTTP 401: 20 executions that start together log in 20 times, and with a wrong password make 20
 * refused attempts, enough to lock the account. Each process keeps here, per credential version (a hash of every
 * field of the credential except the session), the login in progress, the session it issued last and the last
 * refusal:
 *  - a login in progress is shared: the callers that arrive meanwhile wait for it and take its session (or its
 *    failure);
 *  - a caller whose session field was empty when its execution read it, or whose session this process has already
 *    replaced (one it issued before, or one a caller reported refused before the last login), takes the session
 *    issued last without logging in, while that is younger than {@link ADOPT_MS}. Any other caller logs in: it
 *    holds the session issued last (refused: n8n's 401 retry), or one another process issued, of which nothing is
 *    known here (it may be newer than ours: ours is then dead as well when sessions expired together, or when the
 *    appliance ends a user's earlier sessions at each login);
 *  - a refused login is remembered for {@link REFUSED_MS} (a configuration failure for {@link CONFIG_MS}): later
 *    callers fail at once with the same message and a note that no new attempt was made. Changing the credential
 *    changes its version, so the next execution tries again at once; so does a restart of n8n.
 * Within one process only: workers do not share memory (README "Scaling out"). Nothing here is persisted.
 */

/** How long the session issued last is handed to callers instead of logging in: well below every appliance's idle timeout (SPS 20 min, VSA token 30 min, KACE 1 h). */
export const ADOPT_MS = 5 * 60_000;
/**
 * How long a refused login is remembered: longer than the usual lockout observation windows (15–30 min), so that
 * each process makes at most one refused attempt per window; short enough that an account unlocked on the
 * appliance works again without touching n8n.
 */
export const REFUSED_MS = 60 * 60_000;
/** How long a configuration failure (login route not found, not the appliance answering…) is remembered: no lockout risk, and the appliance may be restarting. */
export const CONFIG_MS = 60_000;

/**
 * A field a transport may add to the credential data it hands n8n to force a login (the VSA transport empties
 * `session` for that): the session that the login must replace. preAuthentication removes it from the data, so n8n
 * never stores it (n8n 1.x saves the whole object it passed to preAuthentication).
 */
export const REPLACED_SESSION = 'replacedSession';

interface Failure {
	kind: 'auth' | 'config';
	message: string;
	at: number;
	until: number;
}

interface Entry {
	inFlight?: Promise<string>;
	issued?: { session: string; at: number };
	/** sessions older than the one issued last: issued before it, or reported refused before it was issued */
	superseded: string[];
	failure?: Failure;
}

/** How many superseded sessions are remembered per credential version. */
const SUPERSEDED_KEPT = 32;

function supersede(entry: Entry, session: string | undefined): void {
	if (!session || entry.superseded.includes(session)) return;
	entry.superseded.push(session);
	if (entry.superseded.length > SUPERSEDED_KEPT) entry.superseded.shift();
}

const entries = new Map<string, Entry>();

/** The credential version: a hash of every field except the session (any edit of the credential changes it). */
function versionOf(credentials: ICredentialDataDecryptedObject): string {
	const fields = Object.keys(credentials)
		.filter((k) => k !== 'session' && k !== REPLACED_SESSION)
		.sort()
		.map((k) => [k, credentials[k]]);
	return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

function kindOf(error: unknown): Failure['kind'] | undefined {
	const e = error as { isApplianceAuthError?: boolean; isApplianceConfigError?: boolean; httpCode?: unknown };
	if (e?.isApplianceAuthError || e?.httpCode === LOGIN_REFUSED_MARK) return 'auth';
	if (e?.isApplianceConfigError || e?.httpCode === CONFIG_MARK) return 'config';
	return undefined;
}

/**
 * Marks a refused login to be remembered only as long as a configuration failure: a one-time code that another
 * process may have used a moment earlier is refused once, and the next code works.
 */
export function briefRefusal<E extends Error>(error: E): E {
	(error as E & { rememberMs?: number }).rememberMs = CONFIG_MS;
	return error;
}

/** What to remember of a failed login: refusals and configuration failures only (a network error may heal at once). */
function failureOf(error: unknown): Failure | undefined {
	const kind = kindOf(error);
	if (!kind) return undefined;
	const at = Date.now();
	const custom = (error as { rememberMs?: unknown }).rememberMs;
	const ms = typeof custom === 'number' ? custom : kind === 'auth' ? REFUSED_MS : CONFIG_MS;
	return { kind, message: (error as Error).message, at, until: at + ms };
}

const clockTime = (ms: number) => new Date(ms).toISOString().slice(11, 19);

function remembered(failure: Failure, now: number): Error {
	const ago = Math.max(1, Math.round((now - failure.at) / 1000));
	const note =
		failure.kind === 'auth'
			? `No login attempt was made this time: this n8n process had the same login refused ${ago} s ago (${clockTime(failure.at)} UTC), and repeating it could lock the account. It tries again after ${clockTime(failure.until)} UTC, or at once when the credential is changed.`
			: `No login request was sent this time: the same credential failed this way in this n8n process ${ago} s ago (${clockTime(failure.at)} UTC). It tries again after ${clockTime(failure.until)} UTC, or at once when the credential is changed.`;
	const message = `${failure.message} ${note}`;
	return failure.kind === 'auth' ? new ApplianceAuthError(message) : new ApplianceConfigError(message);
}

/** A copy of a shared failure for each waiting caller (n8n wraps and annotates what it catches). */
function copyOf(error: unknown): unknown {
	if (!(error instanceof Error)) return error;
	const copy = Object.assign(Object.create(Object.getPrototypeOf(error) as object) as Error, error);
	copy.message = error.message;
	copy.stack = error.stack;
	return copy;
}

function prune(now: number): void {
	for (const [key, e] of entries) {
		if (e.inFlight) continue;
		if (e.issued && now - e.issued.at >= ADOPT_MS) e.issued = undefined;
		if (e.failure && now >= e.failure.until) e.failure = undefined;
		if (!e.issued && !e.failure) entries.delete(key); // superseded sessions alone are of no use
	}
}

/**
 * The session for a credential's preAuthentication: a login in progress, the session issued last, or a new login
 * by `login`, which is told the session it replaces ('' for none; see above). `usable` rejects an issued session
 * that must not be handed out (the VSA's expiring tokens).
 */
export async function sharedLogin(
	credentials: ICredentialDataDecryptedObject,
	login: (replaced: string) => Promise<string>,
	usable: (session: string) => boolean = () => true,
): Promise<string> {
	const replaced = String(credentials[REPLACED_SESSION] ?? credentials.session ?? '');
	delete credentials[REPLACED_SESSION];
	const now = Date.now();
	prune(now);
	const key = versionOf(credentials);
	let entry = entries.get(key);
	if (!entry) {
		entry = { superseded: [] };
		entries.set(key, entry);
	}
	if (entry.failure) throw remembered(entry.failure, now);
	if (entry.inFlight) {
		// the login in progress replaces the caller's session too
		supersede(entry, replaced);
		try {
			return await entry.inFlight;
		} catch (error) {
			throw copyOf(error);
		}
	}
	const issued = entry.issued;
	const older = replaced === '' || (replaced !== issued?.session && entry.superseded.includes(replaced));
	if (issued && older && usable(issued.session)) return issued.session;
	// log in: the new session replaces the caller's and the one issued last
	supersede(entry, replaced);
	supersede(entry, issued?.session);
	entry.issued = undefined;

	const flight = entry;
	const attempt = login(replaced);
	flight.inFlight = attempt;
	// registered before any caller awaits the attempt: the outcome is recorded before they resume
	attempt.then(
		(session) => {
			flight.issued = { session, at: Date.now() };
			flight.inFlight = undefined;
		},
		(error: unknown) => {
			flight.failure = failureOf(error);
			flight.inFlight = undefined;
		},
	);
	return await attempt;
}

/**
 * Tells this process that `session` was refused for a reason other than HTTP 401 (KACE's CSRF 403): the next
 * login of the credential version does not hand it out again.
 */
export function reportRefused(credentials: ICredentialDataDecryptedObject, session: unknown): void {
	const entry = entries.get(versionOf(credentials));
	if (!entry || typeof session !== 'string' || !session) return;
	supersede(entry, session);
	if (entry.issued?.session === session) entry.issued = undefined;
}

/** Forgets every session and refusal, as a restart of the n8n process does (tests that model one). */
export function forgetLogins(): void {
	entries.clear();
}
