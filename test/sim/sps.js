'use strict';
/**
 * Strict simulator of the One Identity Safeguard for Privileged Sessions (SPS) REST API, built on common.js.
 *
 * Follows /work/shared/reference/sps.md. Where the public documentation is silent (marked "unverified" there),
 * the simulator picks ONE reading and says so in a comment starting with "READING:"; the node supports the other
 * readings too.
 *
 * What it enforces (each is something a real SPS rejects or does):
 *  - HTTPS with its own CA (options.tls); X.509 login over mutual TLS (peer certificate checked against the CA);
 *  - `GET /api/authentication[?login_method=…]` with Basic (UTF-8) → `Set-Cookie: session_id=…` (with an `expires`
 *    attribute computed from the SIMULATOR clock, so a skewed clock makes a cookie jar drop it);
 *  - 20-minute idle expiry of login sessions on sim.clock → 401 Unauthenticated;
 *  - `Authorization: apikey <token>`; API keys are refused on /api/transaction and on configuration writes;
 *  - the ≥7.5 X-Token rule: POST/PUT/DELETE with a browser-like User-Agent and no X-Token → 403;
 *  - 411 on POST/PUT without Content-Length;
 *  - transactions: one per login session, the configuration lock belongs to the session that opened it,
 *    commit/rollback, changes list; PUT replaces whole objects (missing, unknown and wrongly typed fields → ONE 400
 *    listing them all), references must be written as key strings;
 *  - API keys: created/deleted inside a transaction, valid only after commit; the token is shown once;
 *  - /api/audit/sessions: limit ≤ 500 (larger silently 500), offset paging, 10 000 result cap (offset > 10 000
 *    ignored, as documented), q (AND/OR/parentheses) / fields / start / end / sort, newest first by default; the
 *    list changes between requests as a test says (addSessions, deleteSessions, hideSessions, endSession);
 *  - session bodies in the schema of One Identity's Power BI connector (start_time, creation_time, user.*), or of
 *    the REST reference's 6.x sample (sessionSchema: 'doc-6.0');
 *  - alerts, events, content search (`…/content/?q=`, q mandatory, no leading `*`) and audit-trail downloads per
 *    session; DELETE /api/active-sessions?id=… with the documented error codes, and in a cluster (options.cluster)
 *    only the sessions this node may close (the Search Master those of its Search Minions, a Search Local node its own);
 *  - configuration lists: POST creates an entry (full body, like PUT), DELETE removes one, both in the transaction;
 *    write-only password references (`POST /api/configuration/passwords {"plain"}`, each referenced once); local
 *    users and groups (`admin` cannot be deleted; no local user changes while LDAP authentication is active);
 *  - /api/user_info with the session's CSRF token (x_token); /api/firmware/slots refused (firmwareSlotsStatus).
 */
const crypto = require('node:crypto');
const { createSimServer, createClock } = require('./common');

const IDLE_MS = 20 * 60 * 1000;
const AUDIT_MAX_LIMIT = 500;
const AUDIT_CAP = 10000;

const DEFAULT_LOGIN_METHODS = [
	{ name: 'local', authentication: 'local', credential: 'password' },
	{ name: 'corp-ldap', authentication: 'ldap', credential: 'password' },
	{ name: 'certificates', authentication: 'x509', credential: 'x509' },
	{ name: 'sso', authentication: 'saml2', credential: 'federated' },
];

function hex(bytes) {
	return crypto.randomBytes(bytes).toString('hex');
}

/** Deterministic 22-character key like the ones SPS uses for audit sessions. */
function sessionKey(seed) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const digest = crypto.createHash('sha256').update(String(seed)).digest();
	let out = '';
	for (let i = 0; i < 22; i++) out += alphabet[digest[i] % alphabet.length];
	return out;
}

function iso(ms) {
	return new Date(ms).toISOString();
}

function clone(v) {
	return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function getPath(obj, dotted) {
	let cur = obj;
	for (const part of dotted.split('.')) {
		if (cur === null || typeof cur !== 'object' || !(part in cur)) return undefined;
		cur = cur[part];
	}
	return cur;
}

function setPath(obj, dotted, value) {
	const parts = dotted.split('.');
	let cur = obj;
	for (let i = 0; i < parts.length - 1; i++) {
		if (typeof cur[parts[i]] !== 'object' || cur[parts[i]] === null) cur[parts[i]] = {};
		cur = cur[parts[i]];
	}
	cur[parts[parts.length - 1]] = value;
}

/**
 * The `q` search expression: `field:value` terms joined by AND / OR (AND binds tighter), parentheses, values
 * optionally in double quotes; a term matches when the session field equals the value (case-insensitive; an array
 * field when one element does; booleans as true/false). One Identity's Power BI connector joins its filters as
 * `field:value AND field:value`. Returns { test(body) } or { error }.
 */
function parseQuery(text) {
	let pos = 0;
	const rest = () => text.slice(pos);
	const skip = () => {
		while (pos < text.length && /\s/.test(text[pos])) pos++;
	};
	const keyword = (word) => {
		const m = new RegExp(`^\\s+${word}\\s+`).exec(rest());
		if (!m) return false;
		pos += m[0].length;
		return true;
	};
	let depth = 0;
	function term() {
		skip();
		if (text[pos] === '(') {
			pos++;
			depth++;
			const inner = or();
			skip();
			if (text[pos] !== ')') throw new Error('Unbalanced parenthesis');
			pos++;
			depth--;
			return inner;
		}
		const m = /^([a-z_][a-z0-9_.]*):/i.exec(rest());
		if (!m) throw new Error('Expected field:value terms joined by AND or OR');
		pos += m[0].length;
		// the value runs to the next AND/OR (or, inside parentheses, to the closing one)
		const stop = new RegExp(depth ? '\\s+(AND|OR)\\s+|\\)' : '\\s+(AND|OR)\\s+').exec(rest());
		const raw = stop ? rest().slice(0, stop.index) : rest();
		pos += raw.length;
		const value = raw.trim().replace(/^"|"$/g, '').toLowerCase();
		if (!value) throw new Error(`No value for ${m[1]}`);
		const field = m[1];
		return (body) => {
			const v = getPath(body, field);
			const values = Array.isArray(v) ? v : [v];
			return values.some((x) => x !== undefined && x !== null && String(x).toLowerCase() === value);
		};
	}
	function and() {
		let left = term();
		while (keyword('AND')) {
			const l = left;
			const r = term();
			left = (b) => l(b) && r(b);
		}
		return left;
	}
	function or() {
		let left = and();
		while (keyword('OR')) {
			const l = left;
			const r = and();
			left = (b) => l(b) || r(b);
		}
		return left;
	}
	try {
		const test = or();
		skip();
		if (pos < text.length) throw new Error(`Unexpected "${rest().slice(0, 20)}"`);
		return { test };
	} catch (error) {
		return { error: error.message };
	}
}

/**
 * The order SPS lists sessions in. `sort` is the parameter One Identity's Power BI connector sends
 * (`sort=-start_time`): a session field, `-` for descending.
 * READING: without `sort` SPS lists the newest sessions first (start time descending, as its search interface does);
 * equal values keep the order in which the sessions were recorded. `sortIgnored` models an SPS that ignores `sort`.
 */
function ordered(list, sortParam, sortIgnored) {
	const spec = !sortParam || sortIgnored ? '-start_time' : String(sortParam).trim();
	const desc = spec.startsWith('-');
	const field = spec.replace(/^[-+]/, '');
	const valueOf = (s) => (field === 'start_time' ? s.startMs : getPath(s.body, field));
	return list
		.map((s) => ({ s, v: valueOf(s) }))
		.sort((a, b) => {
			if (a.v === b.v || (a.v == null && b.v == null)) return desc ? b.s.seq - a.s.seq : a.s.seq - b.s.seq;
			if (a.v == null) return 1;
			if (b.v == null) return -1;
			const c = a.v < b.v ? -1 : 1;
			return desc ? -c : c;
		})
		.map((x) => x.s);
}

function errorBody(code, details = {}, href) {
	const body = { error: { code, details } };
	if (href) body.meta = { href, parent: href.replace(/\/[^/]*$/, '') || '/api' };
	return body;
}

// ------------------------------------------------------------------------------------------------------------
// configuration tree
// node kinds: container { kind:'container', children }, object { kind:'object', body, validate? },
// list { kind:'list', members: Map key → body, embedBodies? }
// references inside bodies are stored as { $ref: '<href>' } and rendered as { key, meta: { href } }.

function buildConfig() {
	const ref = (href) => ({ $ref: href });
	const emailValidate = (body) => {
		for (const f of ['admin_address', 'alerting_address', 'sender_address']) {
			const v = body[f];
			if (typeof v !== 'string') return { path: f, message: 'Must be a string' };
			if (v && !/^[^@\s]+@[^@\s]+$/.test(v)) return { path: f, message: `Invalid e-mail address: ${v}` };
		}
		return undefined;
	};
	return {
		kind: 'container',
		children: {
			aaa: {
				kind: 'container',
				children: {
					local_database: {
						kind: 'container',
						children: {
							// READING: a local user's body is { name, password (a reference to /api/configuration/passwords) };
							// the documentation lists users as key + href only and does not show the body (unverified).
							users: {
								kind: 'list',
								unique: 'name',
								template: { name: '', password: ref('/api/configuration/passwords/0') },
								validate: (b) => (/^[A-Za-z0-9_.@-]+$/.test(b.name) ? undefined : { path: 'name', message: `Invalid user name: "${b.name}"` }),
								members: new Map([
									['103640099357f3b14f0529a', { name: 'admin', password: ref('/api/configuration/passwords/p-admin') }],
									['46785097158061f46c63d0', { name: 'auditor', password: ref('/api/configuration/passwords/p-auditor') }],
								]),
							},
							// group body { name, members: [user names] } as documented (6.0.x)
							groups: {
								kind: 'list',
								unique: 'name',
								template: { name: '', members: [] },
								validate: (b) =>
									!b.name.trim()
										? { path: 'name', message: 'The group name must not be empty' }
										: b.members.every((m) => typeof m === 'string' && m.trim())
											? undefined
											: { path: 'members', message: 'Members must be user or LDAP group names' },
								members: new Map([
									['-401', { name: 'basic-view', members: ['auditor'] }],
									['-402', { name: 'search', members: ['auditor', 'ldap-analysts'] }],
									['-403', { name: 'config-write', members: ['admin'] }],
								]),
							},
						},
					},
				},
			},
			// write-only password references: POST only; GET of one key; never listed, never changed (documented)
			passwords: { kind: 'list', writeOnly: true, members: new Map([['p-admin', { hash: 'x' }], ['p-auditor', { hash: 'y' }]]) },
			management: {
				kind: 'container',
				children: {
					email: {
						kind: 'object',
						validate: emailValidate,
						body: {
							admin_address: 'root@example.com',
							alerting_address: 'alerts@example.com',
							reporting_address: '',
							sender_address: 'sps@example.com',
							smtp_auth: { enabled: false },
							smtp_encryption: { selection: 'disabled' },
							smtp_server: { selection: 'ip', value: '10.0.0.1' },
						},
					},
					disk_fillup_prevention: {
						kind: 'object',
						body: { archiving_enabled: false, enabled: true, used_space_ratio_limit: 90 },
					},
				},
			},
			ssh: {
				kind: 'container',
				children: {
					channel_policies: {
						kind: 'list',
						members: new Map([
							['-10000', { name: 'shell-only', rules: [{ actions: { audit: true }, channel: 'session-shell' }] }],
							['-10001', { name: 'shell-and-sftp', rules: [{ actions: { audit: true }, channel: 'session-exec-sftp' }] }],
						]),
					},
					connections: {
						kind: 'list',
						members: new Map([
							[
								'8348340645707e2575e3c6',
								{
									name: 'ssh-prod',
									active: true,
									network: { clients: ['0.0.0.0/0'], targets: ['10.1.0.0/16'], ports: [22] },
									channel_policy: ref('/api/configuration/ssh/channel_policies/-10000'),
									indexing: { enabled: true, policy: ref('/api/configuration/policies/indexing/-50000'), priority: 3 },
								},
							],
							[
								'9a1b2c3d4e5f60718293a4',
								{
									name: 'ssh-lab',
									active: false,
									network: { clients: ['10.9.0.0/16'], targets: ['10.2.0.0/16'], ports: [22, 2222] },
									channel_policy: ref('/api/configuration/ssh/channel_policies/-10001'),
									indexing: { enabled: false, policy: ref('/api/configuration/policies/indexing/-50000'), priority: 3 },
								},
							],
						]),
					},
				},
			},
			policies: {
				kind: 'container',
				children: {
					audit_policies: {
						kind: 'list',
						// READING: some lists embed bodies (8.0 examples for audit_policies); most do not.
						embedBodies: true,
						members: new Map([['-7', { name: 'default', encryption: { enabled: false } }]]),
					},
					indexing: {
						kind: 'list',
						members: new Map([['-50000', { name: 'default-indexing', ocr: { enabled: false } }]]),
					},
				},
			},
		},
	};
}

/** Walks the tree for a path below /api/configuration; returns { node, parent, memberKey } or undefined. */
function resolveConfig(root, parts) {
	let node = root;
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i];
		if (node.kind === 'container') {
			node = node.children[part];
			if (!node) return undefined;
		} else if (node.kind === 'list') {
			if (i !== parts.length - 1 || !node.members.has(part)) return undefined;
			return { node, memberKey: part };
		} else return undefined;
	}
	return { node };
}

function renderRefs(value) {
	if (Array.isArray(value)) return value.map(renderRefs);
	if (value && typeof value === 'object') {
		if (typeof value.$ref === 'string') return { key: value.$ref.split('/').pop(), meta: { href: value.$ref } };
		const out = {};
		for (const [k, v] of Object.entries(value)) out[k] = renderRefs(v);
		return out;
	}
	return value;
}

/**
 * Validates a PUT body against the stored one (same fields, same kinds; references as key strings) and returns
 * { body } in storage form or { error: { code, details } }.
 * READING: SPS answers a body that does not match the object's schema with 400 SyntacticError whose `details` carry
 * EVERY problem at once: `missing_fields` and `unknown_fields` (lists of dotted paths) and `invalid_types` (a list
 * of { path, expected }). The names are unverified; the node quotes every list inside `details` whatever its name.
 */
function acceptBody(current, incoming) {
	const problems = { missing_fields: [], unknown_fields: [], invalid_types: [] };
	const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
	const walk = (cur, inc, path) => {
		const at = path || '/';
		if (cur && typeof cur === 'object' && !Array.isArray(cur) && typeof cur.$ref === 'string') {
			if (typeof inc !== 'string') {
				problems.invalid_types.push({ path: at, expected: 'the key string of the referenced object' });
				return undefined;
			}
			return { $ref: `${cur.$ref.replace(/\/[^/]*$/, '')}/${inc}` };
		}
		if (cur && typeof cur === 'object' && !Array.isArray(cur)) {
			if (!inc || typeof inc !== 'object' || Array.isArray(inc)) {
				problems.invalid_types.push({ path: at, expected: 'an object' });
				return undefined;
			}
			const out = {};
			for (const k of Object.keys(inc)) if (!(k in cur)) problems.unknown_fields.push(path ? `${path}.${k}` : k);
			for (const [k, v] of Object.entries(cur)) {
				if (!(k in inc)) problems.missing_fields.push(path ? `${path}.${k}` : k);
				else out[k] = walk(v, inc[k], path ? `${path}.${k}` : k);
			}
			return out;
		}
		if (Array.isArray(cur)) {
			if (!Array.isArray(inc)) problems.invalid_types.push({ path: at, expected: 'a list' });
			return clone(inc);
		}
		// scalars keep their JSON type (a null stored value accepts anything)
		if (cur !== null && cur !== undefined && (inc === null || typeof inc !== typeof cur)) {
			problems.invalid_types.push({ path: at, expected: kind(cur) });
		}
		return inc;
	};
	const body = walk(current, incoming, '');
	const count = problems.missing_fields.length + problems.unknown_fields.length + problems.invalid_types.length;
	if (!count) return { body };
	const details = { message: 'The body does not match the schema of this object' };
	for (const [k, list] of Object.entries(problems)) if (list.length) details[k] = list;
	return { error: { code: 'SyntacticError', details } };
}

function cloneTree(node) {
	if (node.kind === 'container') {
		const children = {};
		for (const [k, v] of Object.entries(node.children)) children[k] = cloneTree(v);
		return { ...node, children };
	}
	if (node.kind === 'list') return { ...node, members: new Map([...node.members].map(([k, v]) => [k, clone(v)])) };
	return { ...node, body: clone(node.body) };
}

function diffTree(before, after, href, out) {
	if (after.kind === 'container') {
		for (const k of Object.keys(after.children)) diffTree(before.children[k], after.children[k], `${href}/${k}`, out);
	} else if (after.kind === 'list') {
		// READING: changes of write-only objects (passwords) are listed without their values
		const shown = (v) => (after.writeOnly || v === undefined ? null : renderRefs(v));
		for (const [k, v] of after.members) {
			const old = before.members.get(k);
			if (JSON.stringify(old) !== JSON.stringify(v)) out.push({ type: old ? 'modify' : 'create', path: `${href}/${k}`, old_value: shown(old), new_value: shown(v) });
		}
		for (const [k, v] of before.members) if (!after.members.has(k)) out.push({ type: 'delete', path: `${href}/${k}`, old_value: shown(v), new_value: null });
	} else if (JSON.stringify(before.body) !== JSON.stringify(after.body)) {
		out.push({ type: 'modify', path: href, old_value: renderRefs(before.body), new_value: renderRefs(after.body) });
	}
}

// ------------------------------------------------------------------------------------------------------------

function createSpsSim(options = {}) {
	const clock = options.clock || createClock();
	const loginMethods = options.loginMethods ?? DEFAULT_LOGIN_METHODS;
	const defaultLoginMethod = options.defaultLoginMethod ?? 'local';
	const users = (options.users ?? [{ username: 'admin', password: 'Admin-Passw0rd!', loginMethod: 'local' }]).map((u) => ({
		loginMethod: 'local',
		...u,
	}));
	const firmwareVersion = options.firmwareVersion ?? '7.5.1';
	// READING: a cluster node knows its own id and search role; the role names are those /api/info lists
	const cluster = { nodeId: 'sps-node-1', role: 'search-master', localNodes: [], ...(options.cluster ?? {}) };
	const selfNode = cluster.nodeId;
	/** the sessions this node's search sees: a Search Master those of its minions too, other roles only their own */
	// (options.cluster.listLocalNodes: the other reading, the master's search also shows Search Local nodes' sessions)
	const visibleHere = (s) =>
		s.body.node_id === selfNode || (cluster.role === 'search-master' && (cluster.listLocalNodes === true || !cluster.localNodes.includes(s.body.node_id)));

	const state = {
		sessions: new Map(), // session_id → { id, username, loginMethod, lastSeen, xToken }
		loginAttempts: [], // { username, loginMethod, type, ok, status }
		transaction: null, // { sessionId, username, tree, apiKeysAdd: [], apiKeysDelete: [], changes: [] }
		config: buildConfig(),
		apiKeys: [], // committed: { key, name, token, username, loginMethod }
		audit: [], // sorted by start_time
		alerts: new Map(), // audit key → [alert]
		content: new Map(), // audit key → [indexed content line]
		trailDownloads: new Map(), // audit key → [{ from_api, ip_address, time, username }]
		events: new Map(), // audit key → [event]
		health: {
			cpu: 0.12,
			disk: 0.41,
			memory: 0.37,
			swap: 0.01,
			load1: 0.2,
			load5: 0.25,
			load15: 0.3,
			...(options.health ?? {}),
		},
		terminateFails: new Set(options.terminateFails ?? []),
		adminApiKeyList: options.adminApiKeyList !== false,
		loginMethodsEndpoint: options.loginMethodsEndpoint !== false,
		commits: 0,
		rollbacks: 0,
	};

	// ---- audit data ------------------------------------------------------------------------------------------
	let sessionSeq = 0;
	/** READING 'doc-6.0': a session body with only the keys of the REST reference's 6.x sample (see makeAuditSession) */
	const docReading = options.sessionSchema === 'doc-6.0';
	const baseTime = options.sessionsStart ?? Date.parse('2026-01-05T08:00:00.000Z');

	function makeAuditSession(startMs, extra = {}) {
		sessionSeq += 1;
		const i = sessionSeq;
		const key = sessionKey(`${options.seed ?? 'sps'}-${i}`);
		const protocol = i % 5 === 0 ? 'RDP' : 'SSH';
		const active = extra.active ?? false;
		const duration = 30 + (i % 600);
		// The session schema of One Identity's own Power BI connector for SPS 7.3–8.2 (OneIdentity/SafeguardPowerBI,
		// SafeguardSessions/Src/Modules/Schema/Definitions/Sessions.pqm and its sample answers): creation_time AND
		// start_time, user {id, name, server_username: [...], gateway_username?}, server {...}, verdict. The REST
		// reference's sample (6.0–6.9) is cut off alphabetically after `recording`; options.sessionSchema = 'doc-6.0'
		// serves exactly the keys visible there (no start_time, user, server or verdict): see docReading below.
		const userName = `user${i % 37}`;
		const body = {
			active,
			alerts: { href: `/api/audit/sessions/${key}/alerts` },
			analytics: { interesting_events: [], scripted: false, similar_sessions: [], tags: [] },
			channels: { href: `/api/audit/sessions/${key}/channels` },
			client: { ip: `10.9.${(i >> 8) & 255}.${i & 255}`, name: `ws-${i}`, port: 40000 + (i % 20000) },
			creation_time: iso(startMs + 150),
			duration: active ? null : duration,
			end_time: active ? null : iso(startMs + duration * 1000),
			events: { href: `/api/audit/sessions/${key}/events` },
			hidden: false,
			indexing: { href: `/api/audit/sessions/${key}/indexing` },
			node_id: selfNode,
			origin: 'RECORDING',
			phantom: false,
			protocol,
			recording: {
				archived: false,
				auth_method: 'password',
				channel_policy: protocol === 'SSH' ? 'shell-only' : 'rdp-all',
				command_extracted: protocol === 'SSH',
				connection_policy: protocol === 'SSH' ? 'ssh-prod' : 'rdp-prod',
				connection_policy_id: '8348340645707e2575e3c6',
				content_reference_id: i,
				has_accepted_channel: true,
				index_status: 'INDEXED',
				server_local: { ip: '10.1.0.254', name: 'sps', port: 40000 + i },
				session_id: `svc/${sessionKey(`svc-${i}`)}/${protocol.toLowerCase()}-prod:${i}`,
				target: { ip: `10.1.${(i >> 8) & 255}.${i & 255}`, name: `srv-${i % 50}`, port: protocol === 'SSH' ? 22 : 3389 },
				verdict: 'ACCEPT',
			},
			server: { address: `10.1.${(i >> 8) & 255}.${i & 255}`, id: `srv-${i % 50}`, ip: `10.1.${(i >> 8) & 255}.${i & 255}`, name: `srv-${i % 50}`, port: protocol === 'SSH' ? 22 : 3389 },
			start_time: iso(startMs),
			user: {
				id: userName,
				name: userName,
				server_username: [i % 3 === 0 ? 'root' : userName],
				// gateway authentication (the person behind a shared server account) only on some connections
				...(protocol === 'RDP' ? { gateway_username: userName } : {}),
			},
			verdict: 'ACCEPT',
			...(extra.body ?? {}),
		};
		if (docReading) {
			for (const k of ['server', 'start_time', 'user', 'verdict']) delete body[k];
			delete body.recording.verdict;
		}
		const s = { key, body, startMs, seq: i };
		// kept sorted by start time (the order SPS lists in is computed per request: see ordered())
		let at = state.audit.length;
		while (at > 0 && state.audit[at - 1].startMs > startMs) at--;
		state.audit.splice(at, 0, s);
		const alertEvery = options.alertEvery ?? 7;
		if (alertEvery && i % alertEvery === 0 && !extra.noAlerts) {
			state.alerts.set(key, [
				{
					alert_type: 'adp.event.command',
					channel_id: 2,
					matched_action: 'notify',
					matched_content: 'sudo su -',
					matched_regexp: 'sudo su',
					record_id: `${key}-a1`,
					rule_name: 'PatternMatcherRule',
					time: iso(startMs + 20_000),
				},
			]);
		}
		state.content.set(key, [
			{ channel_id: 2, content: `[${userName}@srv-${i % 50} ~]$ ls -la /etc`, record_id: `${key}-c1`, time: iso(startMs + 5_000), type: 'command' },
			{ channel_id: 2, content: `[${userName}@srv-${i % 50} ~]$ sudo systemctl restart sshd`, record_id: `${key}-c2`, time: iso(startMs + 9_000), type: 'command' },
			{ channel_id: 2, content: 'Active: active (running) since Mon', record_id: `${key}-c3`, time: iso(startMs + 9_500), type: 'screen' },
		]);
		state.events.set(key, [
			{ action: 'exec', channels_id: 2, content: 'ls -la', record_id: `${key}-e1`, time: iso(startMs + 5_000), type: 'command' },
			{ action: 'exec', channels_id: 2, content: 'uptime', record_id: `${key}-e2`, time: iso(startMs + 9_000), type: 'command' },
		]);
		return s;
	}

	for (let n = 0; n < (options.sessions ?? 0); n++) makeAuditSession(baseTime + n * 60_000, { active: false });
	for (let n = 0; n < (options.activeSessions ?? 0); n++) makeAuditSession(baseTime + ((options.sessions ?? 0) + n) * 60_000, { active: true });

	// ---- helpers ---------------------------------------------------------------------------------------------
	function findMethod(name) {
		return loginMethods.find((m) => m.name === name);
	}

	function newSession(user, method) {
		const id = hex(20);
		state.sessions.set(id, { id, username: user.username, loginMethod: method.name, lastSeen: clock.now(), xToken: hex(16) });
		return id;
	}

	function cookieSession(headers) {
		const raw = headers.cookie;
		if (!raw) return undefined;
		for (const part of String(raw).split(';')) {
			const [k, ...v] = part.trim().split('=');
			if (k === 'session_id') return v.join('=');
		}
		return undefined;
	}

	/** Who is calling: { kind:'session', session } | { kind:'apikey', apiKey } | undefined (anonymous/invalid). */
	function principal(headers) {
		const auth = headers.authorization;
		// READING: API keys are sent as `Authorization: apikey <token>` (unverified in the docs).
		if (auth && /^apikey\s+/i.test(auth)) {
			const token = auth.replace(/^apikey\s+/i, '').trim();
			const apiKey = state.apiKeys.find((k) => k.token === token);
			return apiKey ? { kind: 'apikey', apiKey, username: apiKey.username } : { kind: 'invalid' };
		}
		const id = cookieSession(headers);
		if (!id) return undefined;
		const s = state.sessions.get(id);
		if (!s) return { kind: 'invalid' };
		if (clock.now() - s.lastSeen > IDLE_MS) {
			state.sessions.delete(id);
			if (state.transaction && state.transaction.sessionId === id) state.transaction = null; // lock released
			return { kind: 'invalid' };
		}
		s.lastSeen = clock.now();
		return { kind: 'session', session: s, username: s.username };
	}

	function remaining(p) {
		if (p?.kind !== 'session') return undefined;
		return Math.max(0, Math.round((IDLE_MS - (clock.now() - p.session.lastSeen)) / 1000));
	}

	function txFor(p) {
		return p?.kind === 'session' && state.transaction && state.transaction.sessionId === p.session.id ? state.transaction : null;
	}

	/** Opens (or returns) the caller's transaction; { error } when another session holds the lock. */
	function openTx(p) {
		const own = txFor(p);
		if (own) return { tx: own };
		if (state.transaction) {
			// READING: lock conflict answered 409 with code ConfigurationLocked (code name unverified).
			return {
				error: [
					409,
					errorBody('ConfigurationLocked', {
						message: 'The configuration is locked by another session',
						locked_by: state.transaction.username,
					}, '/api/transaction'),
				],
			};
		}
		state.transaction = {
			sessionId: p.session.id,
			username: p.session.username,
			tree: cloneTree(state.config),
			apiKeysAdd: [],
			apiKeysDelete: [],
			openedAt: clock.now(),
		};
		return { tx: state.transaction };
	}

	function changesOf(tx) {
		const out = [];
		diffTree(state.config, tx.tree, '/api/configuration', out);
		for (const k of tx.apiKeysAdd) out.push({ type: 'create', path: `/api/user/api_keys/${k.key}`, old_value: null, new_value: { name: k.name } });
		for (const k of tx.apiKeysDelete) out.push({ type: 'delete', path: `/api/user/api_keys/${k}`, old_value: {}, new_value: null });
		return out;
	}

	function listMeta(href, extra = {}) {
		return { href, parent: href.replace(/\/[^/]*$/, '') || '/api', transaction: '/api/transaction', ...extra };
	}

	// ---- request handler -------------------------------------------------------------------------------------
	const sim = createSimServer({ name: 'sps', clock, tls: options.tls }, async (ctx) => {
		// every answer carries SPS's clock in the Date header (the simulator clock, injectable)
		const rawSend = ctx.send;
		ctx.send = (status, body, h = {}) => rawSend(status, body, { Date: new Date(clock.now()).toUTCString(), ...h });
		const { method, path, query, headers, send } = ctx;
		const ua = String(headers['user-agent'] ?? '');
		const reply = (status, body, h) => send(status, body, h);

		if (!path.startsWith('/api')) return reply(404, '<html><body>Not Found</body></html>', { 'Content-Type': 'text/html' });

		// 411 for POST/PUT without a length (documented for /api/transaction; applied to every POST/PUT)
		if ((method === 'POST' || method === 'PUT') && headers['content-length'] === undefined) {
			return reply(411, errorBody('LengthRequired', { message: 'Content-Length header is required' }, path));
		}

		// X-Token rule of SPS ≥ 7.5: browser-like clients must send the CSRF token on writes
		if (['POST', 'PUT', 'DELETE'].includes(method) && /Mozilla|Chrome|Safari|Gecko/i.test(ua) && path !== '/api/authentication') {
			const p = principal(headers);
			const token = headers['x-token'];
			if (!token || p?.kind !== 'session' || token !== p.session.xToken) {
				// READING: code name unverified; safeguard-ps only reports "X-Token header error".
				return reply(403, errorBody('InvalidXToken', { message: 'X-Token header is required for requests from browsers' }, path));
			}
		}

		// ---------------- anonymous endpoints
		if (path === '/api/authentication/login_methods' && method === 'GET') {
			if (!state.loginMethodsEndpoint) return reply(404, errorBody('NotFound', { path }, path));
			return reply(200, { login_methods: loginMethods.map((m) => ({ ...m })), meta: listMeta(path) });
		}

		if (path === '/api/authentication' && method === 'GET') return login(ctx);

		if (path === '/api/info' && method === 'GET') {
			const p = principal(headers);
			const body = { domainname: 'example.com', hostname: 'sps', nickname: 'SPS-SIM', plugin_sdk_version: { feature: '1.6', full: '1.6.0' }, support_link: 'https://support.oneidentity.com' };
			if (p && (p.kind === 'session' || p.kind === 'apikey')) {
				Object.assign(body, { analytics_enabled: false, build_date: '2026-01-01', config_hash: 'abc123', firmware_version: firmwareVersion, roles: [cluster.role], version: `${firmwareVersion.split('.')[0]} F${firmwareVersion.split('.')[1]}` });
				return reply(200, { key: 'about_info', body, meta: listMeta(path, { remaining_seconds: remaining(p) }) });
			}
			return reply(200, { key: 'about_info', body, meta: listMeta(path) });
		}

		// ---------------- everything else needs a principal
		const p = principal(headers);
		if (!p || p.kind === 'invalid') {
			return reply(401, errorBody('Unauthenticated', { path, message: 'The client is not authenticated and the resource requires authorization' }, path));
		}
		const meta = (href, extra = {}) => listMeta(href, { remaining_seconds: remaining(p), ...extra });

		if ((path === '/api/user_info' || path === '/api/user/info' || path === '/api/userinfo') && method === 'GET') {
			const user = users.find((u) => u.username === p.username);
			const lm = p.kind === 'session' ? findMethod(p.session.loginMethod) : findMethod(p.apiKey.loginMethod);
			return reply(200, {
				user: { name: p.username },
				endpoints: [{ methods: ['DELETE', 'GET', 'POST', 'PUT'], url: '/api' }],
				login_method: lm ? { ...lm } : { name: 'apikey', authentication: 'local', credential: 'password' },
				...(user?.groups ? { groups: user.groups } : {}),
				// READING: the CSRF token of this login session, which SPS ≥ 7.5 wants back as X-Token from browsers
				// ("the user/info token value", safeguard-ps); the field name x_token is unverified
				...(p.kind === 'session' ? { x_token: p.session.xToken } : {}),
				meta: meta('/api/user_info'),
			});
		}

		if (path === '/api/health_status' && method === 'GET') {
			const h = state.health;
			return reply(200, {
				health_status: {
					cpu: h.cpu,
					disk: h.disk,
					memory: h.memory,
					swap: h.swap,
					load1: h.load1,
					load5: h.load5,
					load15: h.load15,
					sessions: { ssh: 3, rdp: 1, http: 0, ica: 0, mssql: 0, telnet: 0, vnc: 0 },
					sessions_total: 4,
					system_details: { disk: { free: 1000, percent: Math.round(h.disk * 1000) / 10, total: 2000 } },
				},
				meta: meta(path),
			});
		}

		if (path === '/api/firmware/slots' && method === 'GET') {
			// options.firmwareSlotsStatus: 403 (the user's group lacks the privilege) or 404 (an SPS without the endpoint)
			if (options.firmwareSlotsStatus === 403) return reply(403, errorBody('Unauthorized', { path, message: 'Access denied' }, path));
			if (options.firmwareSlotsStatus === 404) return reply(404, errorBody('NotFound', { path, message: 'The requested resource was not found' }, path));
			return reply(200, {
				items: [
					{ key: '0', body: { active: true, version: firmwareVersion }, meta: { href: '/api/firmware/slots/0' } },
					{ key: '1', body: { active: false, version: '7.4.0' }, meta: { href: '/api/firmware/slots/1' } },
				],
				meta: meta(path),
			});
		}

		if (path === '/api/transaction' || path.startsWith('/api/transaction/')) return transaction(ctx, p, meta);
		if (path === '/api/user/api_keys' || path.startsWith('/api/user/api_keys/')) return apiKeys(ctx, p, meta);
		if (path === '/api/configuration/aaa/local_database/api_keys' && method === 'GET') {
			// READING: admin list of all users' keys exists only on some versions (unverified); option adminApiKeyList
			if (!state.adminApiKeyList) return reply(404, errorBody('NotFound', { path }, path));
			return reply(200, {
				items: state.apiKeys.map((k) => ({ key: k.key, body: { name: k.name, username: k.username, login_method: k.loginMethod }, meta: { href: `${path}/${k.key}` } })),
				meta: meta(path),
			});
		}
		if (path === '/api/configuration' || path.startsWith('/api/configuration/')) return configuration(ctx, p, meta);
		if (path === '/api/audit/sessions' || path.startsWith('/api/audit/sessions/')) return audit(ctx, p, meta);
		if (path === '/api/active-sessions') return activeSessions(ctx, p, meta);

		return reply(404, errorBody('NotFound', { path, message: 'The requested resource was not found' }, path));

		// ---------------------------------------------------------------------------------------------------
		function login() {
			const type = query.get('type');
			const methodName = query.get('login_method');
			if (type === 'x509') {
				const socket = ctx.req.socket;
				const cert = socket.getPeerCertificate ? socket.getPeerCertificate() : undefined;
				const m = methodName ? findMethod(methodName) : loginMethods.find((x) => x.credential === 'x509');
				const record = (ok, status) => state.loginAttempts.push({ username: cert?.subject?.CN, loginMethod: m?.name ?? methodName, type: 'x509', ok, status });
				if (!m) {
					record(false, 400);
					return reply(400, errorBody('InvalidAuthenticationRequest', { message: 'Unknown login method', login_method: methodName }, path));
				}
				if (m.credential !== 'x509') {
					record(false, 400);
					return reply(400, errorBody('InvalidAuthenticationRequest', { message: 'The login method does not accept certificates', login_method: m.name }, path));
				}
				if (!cert || !cert.subject) {
					record(false, 401);
					return reply(401, errorBody('AuthenticationFailure', { message: 'No client certificate was presented' }, path));
				}
				if (!socket.authorized) {
					record(false, 401);
					return reply(401, errorBody('AuthenticationFailure', { message: `Client certificate is not trusted: ${socket.authorizationError}` }, path));
				}
				const user = users.find((u) => u.clientCertCN && u.clientCertCN === cert.subject.CN);
				if (!user) {
					record(false, 401);
					return reply(401, errorBody('AuthenticationFailure', { message: 'No user is mapped to the certificate' }, path));
				}
				record(true, 200);
				const id = newSession(user, m);
				return loginOk(id);
			}
			if (type && type !== 'password') {
				return reply(400, errorBody('InvalidAuthenticationRequest', { message: `Unknown authentication type ${type}` }, path));
			}
			const m = findMethod(methodName ?? defaultLoginMethod);
			const auth = String(headers.authorization ?? '');
			let username;
			let password;
			if (/^Basic\s+/i.test(auth)) {
				const decoded = Buffer.from(auth.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
				const colon = decoded.indexOf(':');
				username = colon >= 0 ? decoded.slice(0, colon) : decoded;
				password = colon >= 0 ? decoded.slice(colon + 1) : '';
			}
			const record = (ok, status) => state.loginAttempts.push({ username, loginMethod: m?.name ?? methodName, type: 'password', ok, status });
			if (!m) {
				record(false, 400);
				return reply(400, errorBody('InvalidAuthenticationRequest', { message: 'Unknown login method', login_method: methodName }, path));
			}
			if (m.credential === 'federated') {
				// READING: redirect-based (SAML2) methods answer with a redirect to the identity provider (unverified).
				record(false, 302);
				return reply(302, '', { Location: `https://idp.example.com/saml2/sso?RelayState=${encodeURIComponent('/api/authentication')}` });
			}
			if (m.credential === 'x509') {
				record(false, 400);
				return reply(400, errorBody('InvalidAuthenticationRequest', { message: 'This login method requires a client certificate (type=x509)', login_method: m.name }, path));
			}
			if (username === undefined) {
				record(false, 401);
				return reply(401, errorBody('AuthenticationFailure', { message: 'Authentication required' }, path), { 'WWW-Authenticate': 'Basic realm="SPS"' });
			}
			const user = users.find((u) => u.username === username && u.loginMethod === m.name);
			if (!user || user.password !== password || user.locked) {
				record(false, 401);
				return reply(401, errorBody('AuthenticationFailure', { message: 'Authentication failed' }, path));
			}
			record(true, 200);
			return loginOk(newSession(user, m));
		}

		function loginOk(id) {
			const expires = new Date(clock.now() + IDLE_MS).toUTCString();
			return reply(
				200,
				{ meta: { href: '/api/authentication', next: '/api/user_info', parent: '/api', transaction: '/api/transaction', remaining_seconds: IDLE_MS / 1000 } },
				{ 'Set-Cookie': [`session_id=${id}; expires=${expires}; HttpOnly; Max-Age=${IDLE_MS / 1000}; Path=/; Secure`] },
			);
		}
	});

	// ---------------------------------------------------------------------------------------------------------
	function transaction(ctx, p, meta) {
		const { method, path, send } = ctx;
		if (p.kind === 'apikey') {
			// READING: API-key requests cannot use transactions (claim, unverified): 403 with a clear error.
			return send(403, errorBody('Unauthorized', { path, message: 'API key authentication cannot be used with transactions; log in with a password or certificate' }, path));
		}
		if (path === '/api/transaction/changes' && method === 'GET') {
			const tx = txFor(p);
			return send(200, { changes: tx ? changesOf(tx) : [], meta: meta(path) });
		}
		if (path !== '/api/transaction') return send(404, errorBody('NotFound', { path }, path));
		if (method === 'GET') {
			const tx = txFor(p);
			const lockedByOther = state.transaction && !tx;
			return send(200, {
				key: 'transaction',
				body: { status: tx ? 'open' : 'closed', commit_message: null, ...(lockedByOther ? { locked_by: state.transaction.username } : {}) },
				meta: meta(path, { changes: '/api/transaction/changes' }),
			});
		}
		if (method === 'POST') {
			// READING: opening an already open transaction of the same session is accepted (no-op).
			const r = openTx(p);
			if (r.error) return send(...r.error);
			return send(200, { key: 'transaction', body: { status: 'open', commit_message: null }, meta: meta(path, { changes: '/api/transaction/changes' }) });
		}
		if (method === 'PUT') {
			const body = ctx.json;
			if (!body || body.status !== 'commit') {
				return send(400, errorBody('SyntacticError', { path: 'status', message: 'Expected {"status": "commit"}' }, path));
			}
			const tx = txFor(p);
			if (!tx) {
				// READING: committing without an open transaction is an error (code name unverified).
				return send(409, errorBody('TransactionNotOpen', { message: 'There is no open transaction to commit' }, path));
			}
			state.config = tx.tree;
			for (const k of tx.apiKeysAdd) state.apiKeys.push(k);
			state.apiKeys = state.apiKeys.filter((k) => !tx.apiKeysDelete.includes(k.key));
			state.transaction = null;
			state.commits += 1;
			return send(200, { key: 'transaction', body: { status: 'closed', commit_message: body.message ?? null }, meta: meta(path) });
		}
		if (method === 'DELETE') {
			if (txFor(p)) {
				state.transaction = null;
				state.rollbacks += 1;
			}
			return send(200, { key: 'transaction', body: { status: 'closed', commit_message: null }, meta: meta(path) });
		}
		return send(405, errorBody('MethodNotAllowed', { path, method }, path));
	}

	function apiKeys(ctx, p, meta) {
		const { method, path, send } = ctx;
		const key = path.startsWith('/api/user/api_keys/') ? decodeURIComponent(path.slice('/api/user/api_keys/'.length)) : undefined;
		const mine = () => state.apiKeys.filter((k) => k.username === p.username);
		const render = (k) => ({ key: k.key, body: { login_method: k.loginMethod, name: k.name, username: k.username }, meta: { href: `/api/user/api_keys/${k.key}` } });
		if (method === 'GET' && !key) return send(200, { items: mine().map(render), meta: meta(path) });
		if (method === 'GET' && key) {
			const k = mine().find((x) => x.key === key);
			if (!k) return send(404, errorBody('NotFound', { path }, path));
			return send(200, { ...render(k), meta: meta(path) });
		}
		if (method !== 'POST' && method !== 'DELETE') return send(405, errorBody('MethodNotAllowed', { path, method }, path));
		if (p.kind === 'apikey') {
			return send(403, errorBody('Unauthorized', { path, message: 'API key authentication cannot be used with transactions; log in with a password or certificate' }, path));
		}
		const r = openTx(p);
		if (r.error) return send(...r.error);
		const tx = r.tx;
		if (method === 'POST' && !key) {
			const name = ctx.json?.name;
			if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
				return send(400, errorBody('SemanticError', { path: 'name', message: 'The name must not be empty and may contain only letters, digits, _ . -' }, path));
			}
			const created = { key: crypto.randomUUID(), name, token: crypto.randomBytes(24).toString('base64url'), username: p.username, loginMethod: p.session.loginMethod };
			tx.apiKeysAdd.push(created);
			return send(201, { key: created.key, body: { login_method: created.loginMethod, name, token: created.token, username: created.username }, meta: meta(`/api/user/api_keys/${created.key}`) });
		}
		if (method === 'DELETE' && key) {
			const k = mine().find((x) => x.key === key) ?? tx.apiKeysAdd.find((x) => x.key === key);
			if (!k) return send(404, errorBody('NotFound', { path, message: 'No such API key' }, path));
			if (tx.apiKeysAdd.includes(k)) tx.apiKeysAdd = tx.apiKeysAdd.filter((x) => x !== k);
			else tx.apiKeysDelete.push(k.key);
			return send(200, { meta: meta(path) });
		}
		return send(405, errorBody('MethodNotAllowed', { path, method }, path));
	}

	function configuration(ctx, p, meta) {
		const { method, path, send } = ctx;
		const parts = path.split('/').filter(Boolean).slice(2); // drop api, configuration
		const own = txFor(p);
		const root = own ? own.tree : state.config;
		const found = resolveConfig(root, parts);
		if (!found) return send(404, errorBody('NotFound', { path, message: 'The requested resource was not found' }, path));
		const { node, memberKey } = found;
		if (method === 'GET') {
			if (node.writeOnly && memberKey === undefined) {
				return send(405, errorBody('MethodNotAllowed', { path, method, message: 'Passwords cannot be listed' }, path));
			}
			if (node.writeOnly) return send(200, { key: memberKey, body: {}, meta: meta(path) });
			if (memberKey !== undefined) return send(200, { key: memberKey, body: renderRefs(node.members.get(memberKey)), meta: meta(path) });
			if (node.kind === 'object') return send(200, { key: parts[parts.length - 1] ?? 'configuration', body: renderRefs(node.body), meta: meta(path) });
			if (node.kind === 'container') {
				return send(200, { items: Object.keys(node.children).map((k) => ({ key: k, meta: { href: `${path}/${k}` } })), meta: meta(path) });
			}
			return send(200, {
				items: [...node.members].map(([k, v]) => ({ key: k, ...(node.embedBodies ? { body: renderRefs(v) } : {}), meta: { href: `${path}/${k}` } })),
				meta: meta(path),
			});
		}
		const isList = node.kind === 'list' && memberKey === undefined;
		const isEntry = memberKey !== undefined;
		const allowed = method === 'POST' ? isList : method === 'DELETE' ? isEntry && !node.writeOnly : method === 'PUT' ? !isList && node.kind !== 'container' && !node.writeOnly : false;
		if (!allowed) {
			const why = {
				POST: 'POST creates entries of lists only',
				DELETE: node.writeOnly ? 'Password objects cannot be deleted' : 'DELETE removes entries of lists only',
				PUT: node.writeOnly ? 'Password objects cannot be changed' : 'PUT is only allowed on objects',
			}[method];
			return send(405, errorBody('MethodNotAllowed', { path, method, ...(why ? { message: why } : {}) }, path));
		}
		if (p.kind === 'apikey') {
			return send(403, errorBody('Unauthorized', { path, message: 'API key authentication cannot change the configuration; log in with a password or certificate' }, path));
		}
		if (method !== 'DELETE' && ctx.json === undefined) return send(400, errorBody('SyntacticError', { path: '/', message: 'The body is not valid JSON' }, path));
		// READING: with LDAP authentication, local users are disabled and cannot be managed (documented); SPS refuses the
		// change with a 400 saying so (the status and code are unverified)
		if (options.authBackend === 'ldap' && parts.slice(0, 3).join('/') === 'aaa/local_database/users') {
			return send(400, errorBody('SemanticError', { message: 'Local users cannot be managed when LDAP authentication is enabled' }, path));
		}
		// READING: the first change opens the transaction automatically (6.x+ docs).
		const r = openTx(p);
		if (r.error) return send(...r.error);
		const tree = r.tx.tree;
		const target = resolveConfig(tree, parts);
		const list = target.node;
		if (method === 'DELETE') {
			const body = list.members.get(target.memberKey);
			if (list.unique === 'name' && body.name === 'admin' && parts[2] === 'users') {
				return send(400, errorBody('SemanticError', { path: 'name', message: 'The admin user cannot be deleted' }, path));
			}
			// READING: an entry that other objects still reference cannot be deleted (400, naming the referrer)
			const referrer = referrerOf(tree, path);
			if (referrer) return send(400, errorBody('SemanticError', { path, message: `The object is still referenced by ${referrer}` }, path));
			list.members.delete(target.memberKey);
			return send(200, { meta: meta(path) });
		}
		if (list.writeOnly) {
			// POST /api/configuration/passwords {"plain": "…"} (or the SHA-256 hash form): a reference key, nothing else
			const plain = ctx.json?.plain;
			if (typeof plain !== 'string' || !plain) {
				return send(400, errorBody('SyntacticError', { path: 'plain', message: 'Expected {"plain": "<password>"}' }, path));
			}
			const key = crypto.randomUUID();
			list.members.set(key, { hash: crypto.createHash('sha256').update(plain).digest('hex') });
			sim.storedPasswords.push(plain);
			return send(201, { key, meta: meta(`${path}/${key}`) });
		}
		const current = method === 'POST' ? list.template ?? [...list.members.values()][0] : target.memberKey !== undefined ? list.members.get(target.memberKey) : list.body;
		if (current === undefined) return send(405, errorBody('MethodNotAllowed', { path, method, message: 'Entries cannot be created in this list' }, path));
		const accepted = acceptBody(current, ctx.json);
		if (accepted.error) return send(400, errorBody(accepted.error.code, accepted.error.details, path));
		const problem = list.validate?.(accepted.body) ?? referenceProblem(tree, accepted.body, target.memberKey);
		if (problem) return send(400, errorBody('SemanticError', problem, path));
		if (list.unique) {
			const clash = [...(list.members ?? new Map())].find(([k, v]) => k !== target.memberKey && v[list.unique] === accepted.body[list.unique]);
			if (clash) return send(400, errorBody('SemanticError', { path: list.unique, message: `An entry with this ${list.unique} already exists: ${accepted.body[list.unique]}` }, path));
		}
		if (method === 'POST') {
			// READING: the key of a new entry is generated by SPS and returned with 201 (documented: "the key of the created object")
			const key = hex(11);
			list.members.set(key, accepted.body);
			return send(201, { key, meta: meta(`${path}/${key}`) });
		}
		if (target.memberKey !== undefined) list.members.set(target.memberKey, accepted.body);
		else list.body = accepted.body;
		return send(200, { key: memberKey ?? parts[parts.length - 1], meta: meta(path) });
	}

	/** The href of an object that references `href` (anywhere in the configuration tree), or undefined. */
	function referrerOf(tree, href) {
		let found;
		const walk = (v, at) => {
			if (found || v === null || typeof v !== 'object') return;
			if (Array.isArray(v)) return v.forEach((x) => walk(x, at));
			if (v.$ref === href) found = at;
			else for (const x of Object.values(v)) walk(x, at);
		};
		const visit = (node, at) => {
			if (node.kind === 'container') for (const [k, c] of Object.entries(node.children)) visit(c, `${at}/${k}`);
			else if (node.kind === 'list') for (const [k, b] of node.members) walk(b, `${at}/${k}`);
			else walk(node.body, at);
		};
		visit(tree, '/api/configuration');
		return found;
	}

	/**
	 * References written as key strings must point at something that exists (in this transaction); a password
	 * reference may be used by one object only (documented).
	 */
	function referenceProblem(tree, body, selfKey) {
		const refs = [];
		const walk = (v, at) => {
			if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}.${i}`));
			else if (v && typeof v === 'object') {
				if (typeof v.$ref === 'string') refs.push({ href: v.$ref, at });
				else for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
			}
		};
		walk(body, '');
		for (const { href, at } of refs) {
			const target = resolveConfig(tree, href.split('/').filter(Boolean).slice(2));
			if (!target || target.memberKey === undefined) return { path: at, message: `No object with the key ${href.split('/').pop()}` };
			if (href.startsWith('/api/configuration/passwords/')) {
				const users = resolveConfig(tree, ['aaa', 'local_database', 'users']).node;
				for (const [k, v] of users.members) if (k !== selfKey && v.password?.$ref === href) return { path: at, message: 'This password object is already referenced' };
			}
		}
		return undefined;
	}

	function audit(ctx, p, meta) {
		const { method, path, query, send } = ctx;
		if (method !== 'GET') return send(405, errorBody('MethodNotAllowed', { path, method }, path));
		const rest = path.slice('/api/audit/sessions'.length).split('/').filter(Boolean);
		const paging = (list, href, matchCount = list.length) => {
			let limit = Number(query.get('limit') ?? AUDIT_MAX_LIMIT);
			let offset = Number(query.get('offset') ?? 0);
			if (!Number.isInteger(limit) || limit < 0) return { error: errorBody('InvalidParameter', { parameter: 'limit', message: 'limit must be a non-negative integer' }, href) };
			if (!Number.isInteger(offset) || offset < 0) return { error: errorBody('InvalidParameter', { parameter: 'offset', message: 'offset must be a non-negative integer' }, href) };
			if (limit > AUDIT_MAX_LIMIT) limit = AUDIT_MAX_LIMIT; // silently truncated (documented)
			if (offset > AUDIT_CAP) offset = 0; // "offset > 10 000 ignored" (documented) — a naive pager loops here
			const reachable = Math.min(list.length, AUDIT_CAP);
			const page = list.slice(offset, Math.min(offset + limit, reachable));
			const fieldsRaw = query.get('fields') ?? '';
			const q = (o) => {
				const sp = new URLSearchParams(ctx.rawQuery);
				sp.set('limit', String(limit));
				sp.set('offset', String(o));
				sp.set('fields', fieldsRaw);
				return `${href}?${sp.toString()}`;
			};
			const hasNext = offset + page.length < reachable && page.length > 0;
			return {
				page,
				meta: meta(href, {
					fields: fieldsRaw ? fieldsRaw.split(',') : [],
					first: q(0),
					last: q(Math.max(0, Math.floor((reachable - 1) / Math.max(limit, 1)) * limit)),
					limit,
					match_count: matchCount,
					next: hasNext ? q(offset + limit) : null,
					offset,
					previous: offset > 0 ? q(Math.max(0, offset - limit)) : null,
					parent: href.replace(/\/[^/]*$/, ''),
				}),
			};
		};

		if (rest.length === 0) {
			// READING: hidden sessions (body.hidden) are neither listed nor counted; options.countHidden models the
			// other reading (counted in match_count, never served), i.e. SPS serving fewer than its match_count.
			let list = state.audit.filter((s) => !s.body.hidden && visibleHere(s));
			let hiddenMatches = options.countHidden ? state.audit.filter((s) => s.body.hidden && visibleHere(s)) : [];
			const start = query.get('start');
			const end = query.get('end');
			for (const [name, v] of [['start', start], ['end', end]]) {
				if (v && Number.isNaN(Date.parse(v))) return send(400, errorBody('InvalidParameter', { parameter: name, message: 'Expected an ISO 8601 date' }, path));
			}
			// `start`/`end` are the names One Identity's Power BI connector sends (its from/to inputs, ISO 8601).
			// READING: both filter on the session start time (start inclusive, end exclusive).
			const inWindow = (s) => (!start || s.startMs >= Date.parse(start)) && (!end || s.startMs < Date.parse(end));
			list = list.filter(inWindow);
			hiddenMatches = hiddenMatches.filter(inWindow);
			const qText = query.get('q');
			if (qText !== null) {
				if (!qText.trim()) {
					list = []; // "?q empty ⇒ empty items" (documented)
					hiddenMatches = [];
				} else {
					const matcher = parseQuery(qText);
					if (matcher.error) return send(400, errorBody('InvalidQuery', { q: qText, message: matcher.error }, path));
					list = list.filter((s) => matcher.test(s.body));
					hiddenMatches = hiddenMatches.filter((s) => matcher.test(s.body));
				}
			}
			list = ordered(list, query.get('sort'), options.sortIgnored === true);
			const r = paging(list, path, list.length + hiddenMatches.length);
			if (r.error) return send(400, r.error);
			// options.fieldsSupported=false models the other reading: `fields` accepted but items stay key + href
			const fields = options.fieldsSupported === false ? [] : (query.get('fields') ?? '').split(',').map((f) => f.trim()).filter(Boolean);
			// READING: with `fields=` the list items carry a body with just those fields; without, key + href only.
			const items = r.page.map((s) => {
				const item = { key: s.key, meta: { href: `/api/audit/sessions/${s.key}` } };
				if (fields.length) {
					const body = {};
					for (const f of fields) {
						const v = getPath(s.body, f);
						if (v !== undefined) setPath(body, f, clone(v));
					}
					item.body = body;
				}
				return item;
			});
			return send(200, { items, meta: r.meta });
		}
		const s = state.audit.find((x) => x.key === rest[0]);
		if (!s) return send(404, errorBody('NotFound', { path, message: 'No such session' }, path));
		if (rest.length === 1) return send(200, { key: s.key, body: clone(s.body), meta: meta(path) });
		if (rest.length === 2 && (rest[1] === 'alerts' || rest[1] === 'events' || rest[1] === 'trail_downloads')) {
			const list = { alerts: state.alerts, events: state.events, trail_downloads: state.trailDownloads }[rest[1]].get(s.key) ?? [];
			const r = paging(list, path);
			if (r.error) return send(400, r.error);
			return send(200, { items: clone(r.page), meta: r.meta });
		}
		// READING: the content search is served at the documented `…/content/` (with the slash); `…/content` is not
		if (rest.length === 2 && rest[1] === 'content' && (path.endsWith('/content/') || options.contentWithoutSlash)) {
			const q = query.get('q');
			// "Not using the ?q option or an empty ?q will result in an empty items list" (documented)
			if (q === null || !q.trim()) {
				const r = paging([], path);
				return send(200, { items: [], meta: r.meta });
			}
			// "Do not begin the expression with the * wildcard" (documented; READING: refused with 400)
			if (q.trim().startsWith('*')) return send(400, errorBody('InvalidQuery', { q, message: 'The search expression must not start with a wildcard (*)' }, path));
			// READING: a Lucene subset — every term (or "quoted phrase") must occur in the line; a trailing * is a prefix
			const terms = (q.match(/"[^"]*"|\S+/g) ?? []).map((t) => t.replace(/^"|"$/g, '').toLowerCase()).filter((t) => t && t !== 'and');
			const hit = (line) => terms.every((t) => line.content.toLowerCase().includes(t.replace(/\*$/, '')));
			const lines = s.body.recording.index_status === 'INDEXED' ? (state.content.get(s.key) ?? []).filter(hit) : [];
			const r = paging(lines, path);
			if (r.error) return send(400, r.error);
			return send(200, { items: clone(r.page), meta: r.meta });
		}
		return send(404, errorBody('NotFound', { path }, path));
	}

	function activeSessions(ctx, p, meta) {
		const { method, path, query, send } = ctx;
		if (method !== 'DELETE') return send(405, errorBody('MethodNotAllowed', { path, method, message: 'Only DELETE is served' }, path));
		const id = query.get('id');
		if (!id) return send(400, errorBody('SessionIdMissing', { message: 'The id parameter is required' }, path));
		const s = state.audit.find((x) => x.body.recording.session_id === id && x.body.active);
		// a cluster node closes its own sessions; the Search Master also those of its Search Minions (documented)
		const reachable = s && (s.body.node_id === selfNode || (cluster.role === 'search-master' && !cluster.localNodes.includes(s.body.node_id)));
		if (!reachable) return send(404, errorBody('SessionCouldNotBeFound', { id, message: 'No active session with this id' }, path));
		if (state.terminateFails.has(id)) return send(500, errorBody('SessionTerminationFailed', { id, message: 'Failed to terminate the session' }, path));
		s.body.active = false;
		s.body.end_time = iso(clock.now());
		return send(200, { meta: meta(path) });
	}

	// ---- test controls -----------------------------------------------------------------------------------------
	Object.assign(sim, {
		state,
		users,
		loginMethods,
		IDLE_MS,
		/** login attempts (optionally for one user) */
		logins(username) {
			return state.loginAttempts.filter((a) => !username || a.username === username);
		},
		/** adds sessions starting at `startMs` (spaced by `stepMs`) and returns them */
		addSessions(count, { startMs = clock.now(), stepMs = 1000, active = false, body, noAlerts } = {}) {
			const out = [];
			for (let i = 0; i < count; i++) out.push(makeAuditSession(startMs + i * stepMs, { active, body, noAlerts }));
			return out;
		},
		/** passwords SPS received for password references (the leak checks look for each) */
		storedPasswords: [],
		/** someone downloads the audit trail of a session (the trail_downloads list) */
		addTrailDownload(key, download = {}) {
			const list = state.trailDownloads.get(key) ?? [];
			const d = { from_api: false, ip_address: '10.20.30.40', time: iso(clock.now()), username: 'admin', ...download };
			list.push(d);
			state.trailDownloads.set(key, list);
			return d;
		},
		/** indexed content lines of a session (content search) */
		addContent(key, lines) {
			const list = state.content.get(key) ?? [];
			for (const line of lines) list.push({ channel_id: 2, record_id: `${key}-c${list.length + 100}`, time: iso(clock.now()), type: 'command', ...line });
			state.content.set(key, list);
		},
		/** a committed local user or group body by name (renderRefs form), or undefined */
		localEntry(kind, name) {
			const list = resolveConfig(state.config, ['aaa', 'local_database', kind]).node;
			for (const [key, body] of list.members) if (body.name === name) return { key, ...renderRefs(body) };
			return undefined;
		},
		addAlert(key, alert) {
			const list = state.alerts.get(key) ?? [];
			const a = { alert_type: 'adp.event.command', channel_id: 1, matched_action: 'notify', matched_content: 'rm -rf', matched_regexp: 'rm -rf', record_id: `${key}-a${list.length + 100}`, rule_name: 'PatternMatcherRule', time: iso(clock.now()), ...alert };
			list.push(a);
			state.alerts.set(key, list);
			return a;
		},
		/** keys in the order SPS lists them (options: sort as the `sort` parameter, hidden sessions left out) */
		listed({ sort } = {}) {
			return ordered(state.audit.filter((s) => !s.body.hidden), sort, options.sortIgnored === true).map((s) => s.key);
		},
		/** deletes sessions (SPS's cleanup of old audit data, or an administrator), with their alerts and events */
		deleteSessions(keys) {
			const gone = new Set(keys);
			state.audit = state.audit.filter((s) => !gone.has(s.key));
			for (const k of gone) {
				state.alerts.delete(k);
				state.events.delete(k);
				state.content.delete(k);
				state.trailDownloads.delete(k);
			}
		},
		/** hides sessions from searches (body.hidden = true) */
		hideSessions(keys) {
			const hide = new Set(keys);
			for (const s of state.audit) if (hide.has(s.key)) s.body.hidden = true;
		},
		/** a running session ends now (or at `atMs`) */
		endSession(key, atMs = clock.now()) {
			const s = state.audit.find((x) => x.key === key);
			s.body.active = false;
			s.body.end_time = iso(atMs);
			s.body.duration = Math.round((atMs - s.startMs) / 1000);
			return s;
		},
		setHealth(values) {
			Object.assign(state.health, values);
		},
		/** another administrator opens a transaction (holds the configuration lock) */
		lockByOther(username = 'other-admin') {
			const fake = { id: `other-${hex(4)}`, username, loginMethod: 'local', lastSeen: clock.now(), xToken: hex(8) };
			state.sessions.set(fake.id, fake);
			state.transaction = { sessionId: fake.id, username, tree: cloneTree(state.config), apiKeysAdd: [], apiKeysDelete: [], openedAt: clock.now() };
			return fake.id;
		},
		releaseLock() {
			state.transaction = null;
		},
		configBody(path) {
			const found = resolveConfig(state.config, path.split('/').filter(Boolean).slice(2));
			if (!found) return undefined;
			return renderRefs(found.memberKey !== undefined ? found.node.members.get(found.memberKey) : found.node.body);
		},
		/** creates a committed API key directly (as if made earlier) */
		seedApiKey(username, name = 'seeded') {
			const k = { key: crypto.randomUUID(), name, token: crypto.randomBytes(24).toString('base64url'), username, loginMethod: 'local' };
			state.apiKeys.push(k);
			return k;
		},
		expireSessions() {
			state.sessions.clear();
			state.transaction = null;
		},
	});
	return sim;
}

module.exports = { createSpsSim, DEFAULT_LOGIN_METHODS, IDLE_MS, AUDIT_CAP, AUDIT_MAX_LIMIT };

/**
 * Test fixture: a TLS simulator with the test PKI (server certificate from the test CA, client certificates
 * requested but verified by the login handler) and credential builders for the three auth types.
 */
async function startSpsFixture(options = {}) {
	const { makePki } = require('./certs');
	const pki = makePki();
	const sim = createSpsSim({
		users: [
			{ username: 'admin', password: 'Admin-Passw0rd!', loginMethod: 'local' },
			{ username: 'jürgen', password: 'Pässwörd-ñ€', loginMethod: 'local' },
			{ username: 'ldapuser', password: 'Ldap-Passw0rd!', loginMethod: 'corp-ldap' },
			{ username: 'certuser', password: 'unused-Passw0rd!', loginMethod: 'certificates', clientCertCN: pki.clientCN },
		],
		tls: { key: pki.serverKeyPem, cert: pki.serverCertPem, ca: [pki.caPem], requestCert: true, rejectUnauthorized: false },
		...options,
	});
	await sim.start();
	const base = { baseUrl: sim.url, caCertificate: pki.caPem, allowUnauthorizedCerts: false, session: '' };
	/** a plain HTTPS request to the simulator (trusting the test CA), for checks outside the node */
	const raw = (method, path, { headers = {}, body } = {}) =>
		new Promise((resolve, reject) => {
			const https = require('node:https');
			const u = new URL(path, sim.url);
			const h = { 'user-agent': 'sps-test-client', ...headers };
			if (body !== undefined && h['content-length'] === undefined && h['transfer-encoding'] === undefined) h['content-length'] = Buffer.byteLength(body);
			const req = https.request({ method, hostname: u.hostname, port: u.port, path: u.pathname + u.search, headers: h, ca: pki.caPem }, (res) => {
				let text = '';
				res.on('data', (c) => (text += c));
				res.on('end', () => {
					let json;
					try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
					resolve({ status: res.statusCode, headers: res.headers, body: json, text });
				});
			});
			req.on('error', reject);
			if (body !== undefined) req.write(body);
			req.end();
		});
	return {
		sim,
		pki,
		raw,
		password: (over = {}) => ({ ...base, authType: 'password', username: 'admin', password: 'Admin-Passw0rd!', loginMethod: '', ...over }),
		x509: (over = {}) => ({ ...base, authType: 'x509', clientCertificate: pki.clientCertPem, clientKey: pki.clientKeyPem, loginMethod: 'certificates', ...over }),
		apiKey: (token, over = {}) => ({ ...base, authType: 'apiKey', apiKey: token, ...over }),
	};
}

module.exports.startSpsFixture = startSpsFixture;

/**
 * Runs the SPS nodes at one node version in this test process (the harness gives a node its defaultVersion, as n8n
 * gives a new one; a saved node keeps the version it was saved with). Returns a function that restores it.
 */
function pinSpsVersion(version) {
	return require('../harness').pinNodeVersion(['safeguardSps', 'safeguardSpsTrigger'], version);
}

module.exports.pinSpsVersion = pinSpsVersion;
