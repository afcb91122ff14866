'use strict';
/**
 * Strict Quest KACE SMA simulator (built on ./common.js).
 *
 *   const { createKaceSim } = require('./sim/kace');
 *   const sim = createKaceSim({ mode: '14', machines: 250 });
 *   await sim.start(); ... await sim.stop();
 *
 * Reference: /work/shared/reference/kace-sma.md. Where the reference says UNVERIFIED, this simulator follows ONE
 * reading, marked "READING:" below. Summary of the readings (details next to the code):
 *  - errors are always JSON {"errorCode":-1,"errorDescription":"…"} except the Apache-level 414 and non-/api,
 *    non-/ams paths (HTML 404);
 *  - list responses carry the total match count under "Count" (omitted with use_count=false); the key's name is
 *    UNVERIFIED, so `countKey` picks another name and `countKey: null` omits it entirely;
 *  - query strings are decoded like PHP (+ = space) but `filtering` is split on LITERAL ',' (and `in`/`nin` lists on
 *    literal ';') BEFORE percent-decoding, so %2C / %3B are part of a value; machineIDs is split the same way;
 *  - filter values are taken literally (no quote stripping), string compares are case-insensitive;
 *  - sub-entity filters (software./label./os./status./owner./…) use SQL-join "any" semantics;
 *  - inventory records (machines, softwares, operating_systems) have mixed-case keys and a STRING `Id`
 *    (like the 10.0.290 sample); every other entity has lowercase keys and numeric ids;
 *  - GET of an unknown numeric id → 404 {"errorDescription":"<Entity> <id> not found"};
 *  - /api/users/me answers a plain user object (no envelope);
 *  - the x-kace-auth-jwt / x-dell-auth-jwt cookie and the KACE_CSRF_TOKEN cookie are checked too (the client must
 *    replay every cookie);
 *  - every response carries a Date header taken from sim.clock (the client derives the TOTP time from it).
 */
const crypto = require('node:crypto');
const { createSimServer, createClock } = require('./common');

const MODES = ['11', '12.0', '12.1', '14'];
const DAY = 86_400_000;
const HOUR = 3_600_000;
const DEFAULT_EPOCH = Date.UTC(2025, 0, 1, 8, 0, 0); // generated data is dated relative to this (deterministic)
const SEP = '\u0000'; // marks a literal ';' of the raw query inside a decoded filter

/* ------------------------------------------------------------------------------------------------ helpers */

class ApiError extends Error {
	constructor(status, message, headers) {
		super(message);
		this.status = status;
		this.headers = headers;
	}
}
const bad = (msg) => new ApiError(400, msg);
const notFound = (msg = 'Route not found') => new ApiError(404, msg);

function pad(n, w = 2) { return String(n).padStart(w, '0'); }
/** 'YYYY-MM-DD HH:MM:SS' (appliance local time = UTC here) */
function fmt(ms) { return new Date(ms).toISOString().slice(0, 19).replace('T', ' '); }

/** PHP-style decoding of one query component: '+' is a space, %XX decoded, malformed escapes kept. */
function decodePhp(s) {
	s = s.replace(/\+/g, ' ');
	if (!s.includes('%')) return s;
	try { return decodeURIComponent(s); } catch {
		return s.replace(/%([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
	}
}

/** Query string → Map(name → RAW (still encoded) value); the last occurrence wins, like PHP's $_GET. */
function parseRawQuery(raw) {
	const map = new Map();
	if (!raw) return map;
	for (const part of raw.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		map.set(decodePhp(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : part.slice(eq + 1));
	}
	return map;
}

function parseCookies(header) {
	const jar = new Map();
	if (!header) return jar;
	for (const part of String(header).split(';')) {
		const eq = part.indexOf('=');
		if (eq <= 0) continue;
		const name = part.slice(0, eq).trim();
		if (!jar.has(name)) jar.set(name, part.slice(eq + 1).trim());
	}
	return jar;
}

function headerValue(headers, name) {
	const v = headers[name];
	if (v === undefined) return undefined;
	return Array.isArray(v) ? String(v[0]) : String(v);
}

function isJsonContentType(ct) {
	return typeof ct === 'string' && /^application\/json\s*(;|$)/i.test(ct.trim());
}

function randomToken(bytes = 16) { return crypto.randomBytes(bytes).toString('hex'); }
function b64url(s) { return Buffer.from(s).toString('base64url'); }
function fakeJwt(payload) {
	return `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.${crypto.randomBytes(32).toString('base64url')}`;
}

/** integer (number or digit string) → number, else undefined */
function asInt(v) {
	if (typeof v === 'number' && Number.isInteger(v)) return v;
	if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
	return undefined;
}

/* -------------------------------------------------------------------------------------- TOTP (RFC 6238) */

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32Decode(secret) {
	const clean = String(secret).replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
	if (!clean || /[^A-Z2-7]/.test(clean)) throw new Error('invalid base32 secret');
	let bits = 0; let value = 0; const out = [];
	for (const ch of clean) {
		value = ((value << 5) | B32.indexOf(ch)) & 0xffff;
		bits += 5;
		if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
	}
	return Buffer.from(out);
}
/** HMAC-SHA1, 30 s step, 6 digits */
function totp(secret, timeMs) {
	const key = Buffer.isBuffer(secret) ? secret : base32Decode(secret);
	const counter = Math.floor(timeMs / 30_000);
	const msg = Buffer.alloc(8);
	msg.writeUInt32BE(Math.floor(counter / 0x100000000), 0);
	msg.writeUInt32BE(counter >>> 0, 4);
	const h = crypto.createHmac('sha1', key).update(msg).digest();
	const o = h[h.length - 1] & 0x0f;
	const bin = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
	return String(bin % 1_000_000).padStart(6, '0');
}
/** current step and ±1 step on the given clock time */
function verifyTotp(secret, code, timeMs) {
	for (const d of [0, -1, 1]) if (totp(secret, timeMs + d * 30_000) === code) return true;
	return false;
}

/* ------------------------------------------------------------------------------------- schema machinery */

const LEVELS = { limited: 0, standard: 1, regular: 1, extended: 2, all: 3 };
const STRING_OPS = new Set(['co', 'nc', 'nco', 'st', 'ns', 'nst', 'en', 'end', 'nen', 'nend']);
const NEGATIVE_OPS = new Set(['ne', 'neq', 'nc', 'nco', 'ns', 'nst', 'nen', 'nend', 'nin', 'nex']);
const ALL_OPS = new Set(['eq', 'ne', 'neq', 'gt', 'lt', 'ge', 'le', 'in', 'nin', 'ex', 'nex', ...STRING_OPS]);

/**
 * field(names, key, type, level, opts): names = filter/sort names (lowercase; first is canonical),
 * key = output key, type 'int' | 'str' (dates are 'str': compared as 'YYYY-MM-DD HH:MM:SS' strings),
 * level 0 limited / 1 standard / 2 extended / 3 all; opts.get (value used to filter/sort), opts.out (output value),
 * opts.noOut (filterable only).
 */
function field(names, key, type = 'str', level = 1, opts = {}) {
	const list = (Array.isArray(names) ? names : [names]).map((n) => n.toLowerCase());
	const get = opts.get || ((r) => r[key]);
	return { names: list, key, type, level, get, out: opts.out || get, noOut: !!opts.noOut };
}

function schema(def) {
	const index = new Map();
	for (const f of def.fields) for (const n of f.names) index.set(n, f);
	return { subs: [], idOf: (r) => r.id, wildcardExtra: [], ...def, names: def.names.map((n) => n.toLowerCase()), index };
}

function makeValueTest(f, op, value, values, tok) {
	if (op === 'ex' || op === 'nex') {
		const empty = (v) => v === null || v === undefined || v === '' || (f.type === 'int' && Number(v) === 0);
		return op === 'ex' ? (v) => !empty(v) : empty;
	}
	if (f.type === 'int') {
		if (STRING_OPS.has(op)) throw bad(`Operator '${op}' is not valid for integer field '${tok}'`);
		const toInt = (s) => {
			if (!/^-?\d+$/.test(s.trim())) throw bad(`Invalid value '${s}' for integer field '${tok}'`);
			return Number(s.trim());
		};
		if (op === 'in' || op === 'nin') {
			const set = new Set(values.map(toInt));
			return op === 'in'
				? (v) => v !== null && v !== undefined && set.has(Number(v))
				: (v) => v !== null && v !== undefined && !set.has(Number(v));
		}
		const n = toInt(value);
		const num = (fn) => (v) => v !== null && v !== undefined && v !== '' && fn(Number(v));
		switch (op) {
			case 'eq': return num((x) => x === n);
			case 'ne': case 'neq': return num((x) => x !== n);
			case 'gt': return num((x) => x > n);
			case 'lt': return num((x) => x < n);
			case 'ge': return num((x) => x >= n);
			case 'le': return num((x) => x <= n);
		}
	}
	const low = (v) => (v === null || v === undefined ? '' : String(v).toLowerCase());
	if (op === 'in' || op === 'nin') {
		const set = new Set(values.map((s) => s.toLowerCase()));
		return op === 'in' ? (v) => set.has(low(v)) : (v) => !set.has(low(v));
	}
	const t = value.toLowerCase();
	switch (op) {
		case 'eq': return (v) => low(v) === t;
		case 'ne': case 'neq': return (v) => low(v) !== t;
		case 'gt': return (v) => low(v) > t;
		case 'lt': return (v) => low(v) < t;
		case 'ge': return (v) => low(v) >= t;
		case 'le': return (v) => low(v) <= t;
		case 'co': return (v) => low(v).includes(t);
		case 'nc': case 'nco': return (v) => !low(v).includes(t);
		case 'st': return (v) => low(v).startsWith(t);
		case 'ns': case 'nst': return (v) => !low(v).startsWith(t);
		case 'en': case 'end': return (v) => low(v).endsWith(t);
		case 'nen': case 'nend': return (v) => !low(v).endsWith(t);
	}
	throw bad(`Invalid filter operator '${op}'`);
}

/** resolves '[entity.]field' for a schema: {kind:'base'|'sub'|'subExists'|'wild', field?, sub?} or undefined */
function resolveField(tokRaw, sch) {
	const tok = tokRaw.toLowerCase();
	if (tok === '*') return { kind: 'wild' };
	const dot = tok.indexOf('.');
	if (dot >= 0) {
		const ent = tok.slice(0, dot);
		const name = tok.slice(dot + 1);
		if (sch.names.includes(ent)) {
			const f = sch.index.get(name);
			return f ? { kind: 'base', field: f } : undefined;
		}
		const sub = sch.subs.find((s) => s.names.includes(ent));
		if (!sub) return undefined;
		const f = sub.schema.index.get(name);
		return f ? { kind: 'sub', sub, field: f } : undefined;
	}
	const f = sch.index.get(tok);
	if (f) return { kind: 'base', field: f };
	const sub = sch.subs.find((s) => s.names.includes(tok));
	return sub ? { kind: 'subExists', sub } : undefined;
}

/**
 * READING (encoding, reference §2.6 UNVERIFIED): the raw `filtering` value is split on LITERAL ',' (AND) and, inside
 * each filter, on LITERAL ';' (in/nin lists) before anything is decoded; each piece is then decoded once, PHP style
 * ('+' → space, %XX → byte). So `name eq a%2Cb` filters on the value "a,b" and `name eq C%2B%2B` on "C++", while
 * `name eq C++` filters on "C  " (two spaces).
 * Filter grammar: `[entity.]field<space>op<space>value`; leading spaces of a filter are ignored, the value is
 * everything after the single space that follows the operator (not trimmed, quotes are NOT stripped).
 */
function compileFiltering(raw, sch) {
	const preds = [];
	for (const chunk of raw.split(',')) {
		const text = chunk.split(';').map(decodePhp).join(SEP);
		const shown = text.split(SEP).join(';');
		const m = /^\s*(\S+) +(\S+)(?: ([\s\S]*))?$/.exec(text);
		if (!m) throw bad(`Invalid filter '${shown}'`);
		const [, tok, opTok, valRaw] = m;
		const op = opTok.toLowerCase();
		if (!ALL_OPS.has(op)) throw bad(`Invalid filter operator '${opTok}'`);
		if (valRaw === undefined && op !== 'ex' && op !== 'nex') throw bad(`Invalid filter '${shown}': missing value`);
		const values = (valRaw ?? '').split(SEP);
		const value = values.join(';');
		const target = resolveField(tok.split(SEP).join(';'), sch);
		if (!target) throw bad(`Invalid filter field '${tok.split(SEP).join(';')}'`);
		if (target.kind === 'base') {
			const test = makeValueTest(target.field, op, value, values, tok);
			const get = target.field.get;
			preds.push((r) => test(get(r)));
		} else if (target.kind === 'sub') {
			const { sub, field: f } = target;
			const test = makeValueTest(f, op, value, values, tok);
			const set = new Set();
			for (const rec of sub.all()) if (test(f.get(rec))) set.add(sub.schema.idOf(rec));
			if (sub.many) {
				preds.push((r) => { for (const id of sub.ids(r)) if (set.has(id)) return true; return false; });
			} else {
				preds.push((r) => { const id = sub.ref(r); return id !== null && id !== undefined && set.has(id); });
			}
		} else if (target.kind === 'subExists') {
			if (op !== 'ex' && op !== 'nex') throw bad(`Invalid filter field '${tok}'`);
			const { sub } = target;
			const has = sub.many ? (r) => sub.ids(r).length > 0 : (r) => sub.ref(r) !== null && sub.ref(r) !== undefined;
			preds.push(op === 'ex' ? has : (r) => !has(r));
		} else {
			// wildcard: any field (all fields for the negative operators), compared as strings
			if (op === 'ex' || op === 'nex') throw bad(`Invalid filter '${shown}'`);
			const getters = [...sch.fields.map((f) => f.get), ...sch.wildcardExtra];
			const test = makeValueTest({ type: 'str' }, op, value, values, tok);
			preds.push(NEGATIVE_OPS.has(op)
				? (r) => getters.every((g) => test(g(r)))
				: (r) => getters.some((g) => test(g(r))));
		}
	}
	return preds;
}

/** `field [asc|desc]` comma list; base fields and single-valued sub-entity fields. Ties: id ascending. */
function compileSorting(raw, sch) {
	const keys = [];
	for (const part of decodePhp(raw).split(',')) {
		const tokens = part.trim().split(/\s+/).filter(Boolean);
		if (tokens.length < 1 || tokens.length > 2) throw bad(`Invalid sorting '${part}'`);
		const dir = (tokens[1] || 'asc').toLowerCase();
		if (dir !== 'asc' && dir !== 'desc') throw bad(`Invalid sort direction '${tokens[1]}'`);
		const t = resolveField(tokens[0], sch);
		if (!t || t.kind === 'wild' || t.kind === 'subExists' || (t.kind === 'sub' && t.sub.many)) throw bad(`Invalid sort field '${tokens[0]}'`);
		let get;
		if (t.kind === 'base') get = t.field.get;
		else {
			const { sub, field: f } = t;
			get = (r) => { const id = sub.ref(r); const rec = id === null || id === undefined ? undefined : sub.byId(id); return rec ? f.get(rec) : null; };
		}
		const isInt = t.field.type === 'int';
		keys.push({ get, isInt, sign: dir === 'desc' ? -1 : 1 });
	}
	return keys;
}

/**
 * Sorts by the keys; rows that tie on all of them come by id, or — with a `tieSalt` (option tieOrder 'unstable') —
 * in an order that depends on the salt, i.e. changes from one request to the next.
 */
function sortRows(rows, keys, sch, tieSalt) {
	const mix = (id) => {
		// murmur3's finalizer over (id, salt): a different permutation of the ties for every salt
		let h = (id ^ Math.imul(tieSalt, 0x9e3779b9)) >>> 0;
		h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
		h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
		return (h ^ (h >>> 16)) >>> 0;
	};
	const tie = tieSalt === undefined ? (id) => id : mix;
	const dec = rows.map((r) => ({
		r,
		k: keys.map(({ get, isInt }) => {
			const v = get(r);
			if (v === null || v === undefined || v === '') return null;
			return isInt ? Number(v) : String(v).toLowerCase();
		}),
		id: Number(sch.idOf(r)),
	}));
	dec.sort((a, b) => {
		for (let i = 0; i < keys.length; i++) {
			const x = a.k[i]; const y = b.k[i];
			if (x === y) continue;
			if (x === null) return -keys[i].sign; // NULL first in ascending order, like MySQL
			if (y === null) return keys[i].sign;
			return (x < y ? -1 : 1) * keys[i].sign;
		}
		return tie(a.id) - tie(b.id) || a.id - b.id;
	});
	return dec.map((d) => d.r);
}

/** `entity level` comma list → {base, subs: Map(sub → level)} */
function parseShaping(raw, sch) {
	const out = { base: LEVELS.standard, subs: new Map() };
	if (raw === undefined) return out;
	for (const part of decodePhp(raw).split(',')) {
		const tokens = part.trim().split(/\s+/).filter(Boolean);
		if (tokens.length !== 2) throw bad(`Invalid shaping '${part}'`);
		const ent = tokens[0].toLowerCase();
		const lvl = LEVELS[tokens[1].toLowerCase()];
		if (sch.shapeCrash && sch.shapeCrash.includes(ent)) throw new ApiError(500, 'Internal server error');
		if (lvl === undefined) throw bad(`Invalid shaping level '${tokens[1]}'`);
		if (sch.names.includes(ent)) { out.base = lvl; continue; }
		const sub = sch.subs.find((s) => s.names.includes(ent));
		if (!sub) throw bad(`Invalid shaping entity '${tokens[0]}'`);
		out.subs.set(sub, lvl);
	}
	return out;
}

function shapeFlat(rec, sch, lvl) {
	const o = {};
	for (const f of sch.fields) if (!f.noOut && f.level <= lvl) o[f.key] = f.out(rec);
	return o;
}

function shape(rec, sch, shp) {
	const o = shapeFlat(rec, sch, shp.base);
	if (sch.dynamic) Object.assign(o, sch.dynamic(rec, shp.base));
	for (const sub of sch.subs) {
		const lvl = shp.subs.has(sub) ? shp.subs.get(sub) : sub.defaultLevel;
		if (lvl === undefined) continue;
		if (sub.many) {
			const list = [];
			for (const id of sub.ids(rec)) { const x = sub.byId(id); if (x) list.push(shapeFlat(x, sub.schema, lvl)); }
			o[sub.outKey] = list;
		} else {
			const id = sub.ref(rec);
			const x = id === null || id === undefined ? undefined : sub.byId(id);
			o[sub.outKey] = x ? shapeFlat(x, sub.schema, lvl) : null;
		}
	}
	return o;
}

/* ---------------------------------------------------------------------------------- deterministic data */

const SOFTWARE_TITLES = [
	['Google Chrome', 'Google LLC'], ['7-Zip', 'Igor Pavlov'], ['Microsoft Office', 'Microsoft Corporation'],
	['Mozilla Firefox', 'Mozilla'], ['Adobe Acrobat Reader DC', 'Adobe Inc.'], ['Microsoft Edge', 'Microsoft Corporation'],
	['Zoom', 'Zoom Video Communications, Inc.'], ['Slack', 'Slack Technologies'], ['Microsoft Teams', 'Microsoft Corporation'],
	['Notepad++', 'Notepad++ Team'], ['VLC media player', 'VideoLAN'], ['Git', 'The Git Development Community'],
	['Python 3.12', 'Python Software Foundation'], ['Node.js', 'Node.js Foundation'], ['Visual Studio Code', 'Microsoft Corporation'],
	['PuTTY', 'Simon Tatham'], ['WinSCP', 'Martin Prikryl'], ['Java 8 Update 401', 'Oracle Corporation'],
	['Microsoft .NET Runtime 8', 'Microsoft Corporation'], ['TeamViewer', 'TeamViewer'], ['Cisco AnyConnect', 'Cisco Systems, Inc.'],
	['Dropbox', 'Dropbox, Inc.'], ['Microsoft OneDrive', 'Microsoft Corporation'], ['Citrix Workspace', 'Citrix Systems, Inc.'],
	['KACE Agent', 'Quest Software'], ['Adobe Photoshop', 'Adobe Inc.'], ['AutoCAD 2024', 'Autodesk, Inc.'],
	['SAP GUI 7.70', 'SAP SE'], ['Oracle VirtualBox', 'Oracle Corporation'], ['VMware Tools', 'VMware, Inc.'],
	['Wireshark', 'The Wireshark developer community'], ['Greenshot', 'Greenshot'], ['KeePass Password Safe', 'Dominik Reichl'],
	['Paint.NET', 'dotPDN LLC'], ['Audacity', 'Audacity Team'], ['GIMP', 'The GIMP Team'], ['LibreOffice', 'The Document Foundation'],
	['Mozilla Thunderbird', 'Mozilla'], ['Skype', 'Skype Technologies S.A.'], ['Spotify', 'Spotify AB'],
];
const OS_LIST = [
	['Microsoft Windows 11 Enterprise x64', '10.0.22631', 'x64'],
	['Microsoft Windows 10 Pro x64', '10.0.19045', 'x64'],
	['Microsoft Windows Server 2022 Standard x64', '10.0.20348', 'x64'],
	['Ubuntu 22.04.4 LTS', '22.04', 'x86_64'],
	['macOS Sonoma', '14.5', 'arm64'],
];
const LABEL_NAMES = ['Laptops', 'Desktops', 'Servers', 'Finance', 'Engineering', 'HR', 'VIP'];
const DIRECTORY = [
	['jdoe', 'John Doe'], ['asmith', 'Alice Smith'], ['bwayne', 'Bruce Wayne'], ['ckent', 'Clark Kent'],
	['dprince', 'Diana Prince'], ['pparker', 'Peter Parker'], ['tstark', 'Tony Stark'], ['nromanoff', 'Natasha Romanoff'],
];
/** processes, services and startup programs seen on machines (inventory catalogs, joined to machines) */
const PROCESS_DEF = [
	['svchost.exe', 'Host Process for Windows Services'], ['explorer.exe', 'Windows Explorer'], ['chrome.exe', 'Google Chrome'],
	['outlook.exe', 'Microsoft Outlook'], ['ms-teams.exe', 'Microsoft Teams'], ['KACEAgent.exe', 'Quest KACE Agent'],
	['lsass.exe', 'Local Security Authority Process'], ['sqlservr.exe', 'SQL Server Windows NT - 64 Bit'], ['java.exe', 'Java(TM) Platform SE binary'],
	['Zoom.exe', 'Zoom Meetings'], ['OneDrive.exe', 'Microsoft OneDrive'], ['w3wp.exe', 'IIS Worker Process'],
];
const SERVICE_DEF = [
	['Spooler', 'Print Spooler', 'Automatic'], ['wuauserv', 'Windows Update', 'Manual'], ['WinDefend', 'Microsoft Defender Antivirus Service', 'Automatic'],
	['konea', 'Quest KACE Agent', 'Automatic'], ['W32Time', 'Windows Time', 'Manual'], ['BITS', 'Background Intelligent Transfer Service', 'Manual'],
	['MSSQLSERVER', 'SQL Server (MSSQLSERVER)', 'Automatic'], ['W3SVC', 'World Wide Web Publishing Service', 'Automatic'],
	['TermService', 'Remote Desktop Services', 'Manual'], ['Dnscache', 'DNS Client', 'Automatic'],
];
const STARTUP_DEF = [
	['OneDrive', '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'],
	['Teams', '"C:\\Program Files\\WindowsApps\\MSTeams\\ms-teams.exe" msteams:system-initiated', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'],
	['KACE Agent Tray', '"C:\\Program Files (x86)\\Quest\\KACE\\KSMATray.exe"', 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'],
	['Zoom', '"C:\\Program Files\\Zoom\\bin\\Zoom.exe" --autostart', 'Startup folder'],
	['SecurityHealth', '%windir%\\system32\\SecurityHealthSystray.exe', 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'],
	['Greenshot', '"C:\\Program Files\\Greenshot\\Greenshot.exe"', 'Startup folder'],
];
/** asset types: [id, name, category, fields [key, label, type]] — asset type 8 has no asset (nothing to sample) */
const ASSET_TYPE_DEF = [
	[5, 'Computer with Dell Agent', 'Device', [['field_10000', 'Serial Number', 'text'], ['field_10001', 'Purchase Date', 'date']]],
	[7, 'Monitor', 'Device', [['field_10002', 'Serial Number', 'text'], ['field_10003', 'Screen Size', 'text']]],
	[8, 'Printer', 'Device', [['field_10004', 'Toner Model', 'text']]],
];
const ROLES = { admin: { id: 1, name: 'Administrator' }, readonly: { id: 2, name: 'Read Only Administrator' }, user: { id: 3, name: 'User' } };

function hex2(n) { return (n & 255).toString(16).toUpperCase().padStart(2, '0'); }

function generateMachine(i, epoch) {
	const server = i % 10 === 0;
	const labels = [server ? 3 : (i % 3 === 1 ? 1 : 2)];
	if (i % 7 === 0) labels.push(4);
	if (i % 5 === 2) labels.push(5);
	if (i % 13 === 0) labels.push(6);
	if (i % 50 === 1) labels.push(7);
	const sw = new Set([25]); // KACE Agent
	if (i % 4 !== 0) sw.add(1); // Google Chrome
	if (i % 2 === 0) sw.add(2); // 7-Zip
	if (i % 3 !== 2 && !server) sw.add(3); // Microsoft Office
	for (let k = 0; k < 4; k++) sw.add(((i * 7 + k * 11) % 40) + 1);
	const osId = server ? (i % 20 === 0 ? 4 : 3) : (i % 10 < 6 ? 1 : i % 10 < 9 ? 2 : 5);
	const online = i % 23 !== 0;
	const [manufacturer, model] = server ? ['VMware, Inc.', 'VMware7,1'] : [['Dell Inc.', 'Latitude 5440'], ['HP', 'EliteBook 840 G10'], ['Lenovo', 'ThinkPad T14 Gen 4']][i % 3];
	const created = epoch - 400 * DAY + i * 60_000;
	const user = server ? '' : DIRECTORY[i % DIRECTORY.length][0];
	const processes = server ? [1, 6, 7, 8, 12] : [1, 2, 3, 6, 7, ...(i % 3 !== 2 ? [4, 5] : []), ...(i % 5 === 0 ? [9] : []), ...(i % 3 === 0 ? [10] : []), ...(i % 2 === 0 ? [11] : [])];
	const services = server ? [1, 3, 4, 5, 7, 8, 10] : [1, 2, 3, 4, 5, 6, 10, ...(i % 4 === 0 ? [9] : [])];
	const startups = server ? [3, 5] : [3, 5, ...(i % 2 === 0 ? [1] : []), ...(i % 3 !== 2 ? [2] : []), ...(i % 3 === 0 ? [4] : []), ...(i % 7 === 0 ? [6] : [])];
	return {
		Id: String(i),
		Name: `WS-${pad(i, 5)}`,
		Os_name: OS_LIST[osId - 1][0],
		Os_version: OS_LIST[osId - 1][1],
		Os_arch: OS_LIST[osId - 1][2],
		Ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
		Mac: `00:50:56:${hex2(i >> 16)}:${hex2(i >> 8)}:${hex2(i)}`,
		User_logged: user,
		Last_inventory: fmt(epoch - ((i * 104_729) % 86_400) * 1000),
		Last_sync: fmt(online ? epoch - ((i * 7_919) % 3_600) * 1000 : epoch - 10 * DAY - i * 1000),
		'Ram Total': `${[8192, 16384, 32768][i % 3]}.00 MB`,
		Notes: i % 17 === 0 ? 'Loaner device' : '',
		Cs_Manufacturer: manufacturer,
		Cs_Model: model,
		Bios_Serial_Number: `SN${((i * 2_654_435_761) >>> 0).toString(36).toUpperCase()}`,
		Created: fmt(created),
		Modified: fmt(epoch - ((i * 7_919) % (30 * 86_400)) * 1000),
		_id: i,
		_software: [...sw].sort((a, b) => a - b),
		_labels: labels,
		_osId: osId,
		_online: online,
		_processes: processes.sort((a, b) => a - b),
		_services: services.sort((a, b) => a - b),
		_startups: startups.sort((a, b) => a - b),
	};
}

/* ------------------------------------------------------------------------------------------- simulator */

/**
 * @param {object} [opts]
 * @param {'11'|'12.0'|'12.1'|'14'} [opts.mode='14']
 * @param {Array<{userName:string,password:string,organization?:string,totpSecret?:string,role?:'admin'|'readonly'|'user',fullName?:string,email?:string}>} [opts.users]
 * @param {number|object[]} [opts.machines=250]
 * @param {number} [opts.sessionTtlMs=3600000]
 * @param {number} [opts.maxRequestsPerSession]
 * @param {{key,cert}} [opts.tls]
 * @param {number} [opts.defaultPageSize=50]
 * @param {number} [opts.epoch] date the generated data is relative to (ms, default 2025-01-01 08:00 UTC)
 * @param {{min:number,max:number}} [opts.scriptRunMs={min:2000,max:5000}] per-machine completion delay of script runs
 * @param {number|null} [opts.lockAfterFailures=null]
 * @param {object} [opts.clock] an external clock (createClock())
 * @param {'id'|'unstable'} [opts.tieOrder='id'] rows that tie on every sort key: by id, or (like MySQL with ORDER BY +
 *   LIMIT on a non-unique column, which may return ties in any order) in an order that changes with every request
 * @param {401|403} [opts.csrfRefusalStatus=401] modes 11/12.0: the status of a refused CSRF token (some builds answer
 *   403 {"errorDescription":"CSRF token validation failed"})
 * @param {'strict'|'ignored'} [opts.orgSelection='strict'] 'ignored': the login ignores organizationName and lands in
 *   the user's default organization (reference §4.2 #8)
 * @param {boolean} [opts.reportsOrganization=true] false: the login reports no organization (no KACE_LAST_ORG_SECURE
 *   cookie, no organizationName in the body)
 * @param {'400'|'zero'} [opts.unknownRunMachines='400'] a script run naming an unknown machine: HTTP 400, or the bare
 *   run id 0 ("Returns 0 if failed", KaceSMA's Invoke-SmaScript); a disabled script (enabled 0) always answers 0
 * @param {'ids'|'counts'} [opts.runStatusShape='ids'] runStatus buckets as machine id lists, or as counts
 */
function createKaceSim(opts = {}) {
	let mode = String(opts.mode ?? '14');
	if (mode === '12') mode = '12.0';
	if (!MODES.includes(mode)) throw new Error(`createKaceSim: unknown mode ${opts.mode} (use ${MODES.join(', ')})`);
	const clock = opts.clock || createClock();
	const epoch = opts.epoch ?? DEFAULT_EPOCH;
	const runMs = { min: 2000, max: 5000, ...(opts.scriptRunMs || {}) };

	const versionHeader = mode === '11' ? 'x-dell-api-version' : 'x-kace-api-version';
	const csrfHeader = mode === '11' ? 'x-dell-csrf-token' : mode === '12.0' ? 'x-kace-csrf-token' : undefined;
	const jwtCookie = mode === '11' ? 'x-dell-auth-jwt' : 'x-kace-auth-jwt';
	const legacyDellAllowed = mode === '12.1' || mode === '14';

	/* ---- state ---- */
	const state = {
		machines: [], software: [], assets: [], operatingSystems: [], managedInstalls: [], scripts: [], scriptRuns: [],
		tickets: [], queues: [], users: [], labels: [], statuses: [], priorities: [], categories: [], impacts: [],
		queueFields: [], sessions: new Map(), logins: { ok: 0, failed: 0 },
		assetTypes: [], archivedAssets: [], changes: [], processes: [], services: [], startupPrograms: [],
	};
	const idx = {
		machine: new Map(), software: new Map(), os: new Map(), label: new Map(), asset: new Map(), mi: new Map(),
		script: new Map(), ticket: new Map(), queue: new Map(), user: new Map(), status: new Map(), priority: new Map(),
		category: new Map(), impact: new Map(), field: new Map(), run: new Map(), assetType: new Map(), archived: new Map(),
		change: new Map(), process: new Map(), service: new Map(), startup: new Map(),
	};
	let dataVersion = 0;
	const touchData = () => { dataVersion++; };
	const countKey = opts.countKey === undefined ? 'Count' : opts.countKey;

	// software, OS, labels
	SOFTWARE_TITLES.forEach(([name, publisher], k) => {
		const id = k + 1;
		const rec = {
			Id: String(id), Display_name: name, Display_version: `${(id % 9) + 1}.${(id * 7) % 20}.${(id * 13) % 100}`,
			Publisher: publisher, Created: fmt(epoch - 500 * DAY + id * HOUR), Modified: fmt(epoch - 30 * DAY + id * HOUR), _id: id,
		};
		state.software.push(rec); idx.software.set(id, rec);
	});
	OS_LIST.forEach(([name, version, arch], k) => {
		const id = k + 1;
		const rec = { Id: String(id), Name: name, Version: version, Architecture: arch, Created: fmt(epoch - 600 * DAY + id * HOUR), Modified: fmt(epoch - 60 * DAY + id * HOUR), _id: id };
		state.operatingSystems.push(rec); idx.os.set(id, rec);
	});
	const addLabel = (name) => {
		const rec = { id: state.labels.length + 1, name, type: 'machine', created: fmt(epoch - 300 * DAY), modified: fmt(epoch - 300 * DAY) };
		state.labels.push(rec); idx.label.set(rec.id, rec);
		return rec;
	};
	LABEL_NAMES.forEach(addLabel);
	// inventory catalogs of processes, services and startup programs (machines point at them, see generateMachine)
	PROCESS_DEF.forEach(([name, description], k) => {
		const rec = { Id: String(k + 1), Name: name, Description: description, Created: fmt(epoch - 450 * DAY + k * HOUR), Modified: fmt(epoch - 40 * DAY + k * HOUR), _id: k + 1 };
		state.processes.push(rec); idx.process.set(k + 1, rec);
	});
	SERVICE_DEF.forEach(([name, display, startup], k) => {
		const rec = { Id: String(k + 1), Name: name, Display_name: display, Startup_type: startup, Created: fmt(epoch - 450 * DAY + k * HOUR), Modified: fmt(epoch - 40 * DAY + k * HOUR), _id: k + 1 };
		state.services.push(rec); idx.service.set(k + 1, rec);
	});
	STARTUP_DEF.forEach(([name, command, location], k) => {
		const rec = { Id: String(k + 1), Name: name, Command: command, Location: location, Created: fmt(epoch - 450 * DAY + k * HOUR), Modified: fmt(epoch - 40 * DAY + k * HOUR), _id: k + 1 };
		state.startupPrograms.push(rec); idx.startup.set(k + 1, rec);
	});
	ASSET_TYPE_DEF.forEach(([id, name, category, fields]) => {
		const rec = { id, name, asset_category: category, created: fmt(epoch - 1000 * DAY), modified: fmt(epoch - 100 * DAY), _fields: fields.map(([key, label, type]) => ({ key, label, type })) };
		state.assetTypes.push(rec); idx.assetType.set(id, rec);
	});

	// machines
	const machineSpec = opts.machines ?? 250;
	if (Array.isArray(machineSpec)) {
		machineSpec.forEach((spec, k) => {
			const id = asInt(spec.Id ?? spec.id ?? spec._id) ?? k + 1;
			const rec = generateMachine(id, epoch);
			for (const [key, v] of Object.entries(spec)) {
				if (key === 'id' || key === 'Id' || key === '_id') continue;
				if (key === 'software') {
					rec._software = v.map((t) => {
						if (typeof t === 'number') return t;
						let s = state.software.find((x) => x.Display_name.toLowerCase() === String(t).toLowerCase());
						if (!s) {
							const sid = state.software.length + 1;
							s = { Id: String(sid), Display_name: String(t), Display_version: '1.0', Publisher: '', Created: fmt(epoch), Modified: fmt(epoch), _id: sid };
							state.software.push(s); idx.software.set(sid, s);
						}
						return s._id;
					}).sort((a, b) => a - b);
				} else if (key === 'labels') {
					rec._labels = v.map((n) => (state.labels.find((l) => l.name.toLowerCase() === String(n).toLowerCase()) || addLabel(String(n))).id);
				} else if (key === 'online') rec._online = !!v;
				else rec[key] = v;
			}
			state.machines.push(rec);
		});
		state.machines.sort((a, b) => a._id - b._id);
	} else {
		for (let i = 1; i <= machineSpec; i++) state.machines.push(generateMachine(i, epoch));
	}
	for (const m of state.machines) idx.machine.set(m._id, m);

	// users: the configured ones (ids 10, 11, …) plus a small directory (ids 20, 21, …)
	const userSpecs = opts.users || [{ userName: 'admin', password: 'S3cret-pass!', role: 'admin' }];
	userSpecs.forEach((u, k) => {
		const role = u.role || 'admin';
		if (!ROLES[role]) throw new Error(`createKaceSim: unknown role ${role}`);
		const rec = {
			id: 10 + k, user_name: u.userName, full_name: u.fullName || u.userName, email: u.email || `${u.userName}@example.com`,
			location_id: 0, created: fmt(epoch - 700 * DAY), modified: fmt(epoch - 100 * DAY),
			role, password: u.password, organization: u.organization || 'Default', totpSecret: u.totpSecret,
			failedLogins: 0, locked: false, canLogin: true,
		};
		if (u.totpSecret) base32Decode(u.totpSecret); // validate early
		state.users.push(rec);
	});
	DIRECTORY.forEach(([userName, fullName], k) => {
		if (state.users.some((u) => u.user_name.toLowerCase() === userName)) return;
		state.users.push({
			id: 20 + k, user_name: userName, full_name: fullName, email: `${userName}@example.com`, location_id: 1,
			created: fmt(epoch - 650 * DAY + k * DAY), modified: fmt(epoch - 50 * DAY + k * DAY), role: 'user',
			password: undefined, organization: 'Default', failedLogins: 0, locked: false, canLogin: false,
		});
	});
	for (const u of state.users) idx.user.set(u.id, u);
	const directoryUsers = state.users.filter((u) => !u.canLogin);
	const loginUsers = state.users.filter((u) => u.canLogin);

	// assets ~N/2: asset k ↔ machine 2k-1 (every 10th asset is a monitor without machine)
	const assetCount = Math.ceil(state.machines.length / 2);
	for (let k = 1; k <= assetCount; k++) {
		const m = state.machines[2 * (k - 1)];
		const monitor = k % 10 === 0;
		const rec = {
			id: k, name: monitor ? `MON-${pad(k, 5)}` : m.Name, asset_type_id: monitor ? 7 : 5,
			asset_type_name: monitor ? 'Monitor' : 'Computer with Dell Agent', asset_class_id: monitor ? 0 : 1,
			asset_status_id: k % 15 === 0 ? 2 : 1, owner_id: directoryUsers.length ? directoryUsers[k % directoryUsers.length].id : 0,
			mapped_id: monitor ? 0 : m._id, location_id: (k % 3) + 1, archive: '', asset_data_id: k,
			created: fmt(epoch - 390 * DAY + k * 60_000), modified: fmt(epoch - ((k * 3_331) % (20 * 86_400)) * 1000),
			fields: monitor
				? { field_10002: `MSN${k}`, field_10003: ['24"', '27"', '32"'][k % 3] }
				: { field_10000: m.Bios_Serial_Number, field_10001: fmt(epoch - 800 * DAY + k * HOUR).slice(0, 10) },
		};
		state.assets.push(rec); idx.asset.set(k, rec);
	}

	// managed installs
	[[1, 'Google Chrome'], [2, '7-Zip'], [3, 'Microsoft Office'], [7, 'Zoom'], [10, 'Notepad++'], [11, 'VLC media player']].forEach(([swId, name], k) => {
		const sw = idx.software.get(swId);
		const rec = {
			id: k + 1, name: `${name} ${sw.Display_version}`, software_id: swId, version: sw.Display_version,
			file_name: `${name.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}_${sw.Display_version}.msi`,
			install_command: `msiexec /i "${name.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}.msi" /qn`,
			enabled: 1, created: fmt(epoch - 200 * DAY + k * DAY), modified: fmt(epoch - 20 * DAY + k * DAY), targets: [],
			// the operating systems it installs on (Windows; Notepad++ on workstations only)
			os: name === 'Notepad++' ? [1, 2] : [1, 2, 3],
		};
		state.managedInstalls.push(rec); idx.mi.set(rec.id, rec);
	});

	// scripts
	['Restart Print Spooler', 'Clear Temp Files', 'Install Corporate Fonts', 'Run Disk Cleanup', 'Collect Diagnostic Logs',
		'Reboot Workstation', 'Update Group Policy', 'Flush DNS Cache'].forEach((name, k) => {
		const rec = {
			id: k + 1, name, description: `${name} (managed by IT)`, type: k === 4 ? 'offline-kscript' : 'online-kscript',
			status: k === 7 ? 'Draft' : 'Production', enabled: 1, notes: '',
			created: fmt(epoch - 300 * DAY + k * DAY), modified: fmt(epoch - 10 * DAY + k * HOUR),
		};
		state.scripts.push(rec); idx.script.set(rec.id, rec);
	});

	// service desk: 3 queues, each with its own status/priority/category/impact ids and fields
	const STATUS_DEF = [['New', 'opened'], ['Open', 'opened'], ['Reopened', 'opened'], ['Waiting on Customer', 'stalled'], ['Closed', 'closed']];
	const PRIORITY_DEF = [['High', '#ff0000'], ['Medium', '#ffa500'], ['Low', '#00aa00']];
	const CATEGORY_DEF = ['Hardware', 'Software', 'Network', 'Other'];
	const IMPACT_DEF = ['Many people can\'t work', '1 person can\'t work', 'Many people inconvenienced', '1 person inconvenienced'];
	const QUEUE_DEF = [['IT Help Desk', 'helpdesk@example.com', ['Location', 'Asset Tag']], ['Facilities', 'facilities@example.com', ['Building', 'Room']], ['HR Requests', 'hr@example.com', ['Employee Id', 'Department']]];
	QUEUE_DEF.forEach(([name, mail, customs], qk) => {
		const qid = qk + 1;
		const q = { id: qid, name, alt_email_addr: mail, created: fmt(epoch - 900 * DAY + qk * DAY), modified: fmt(epoch - 90 * DAY + qk * DAY), _statusIds: [], _priorityIds: [], _categoryIds: [], _impactIds: [], _fieldIds: [] };
		STATUS_DEF.forEach(([sname, st], k) => {
			const rec = { id: qk * 10 + k + 1, name: sname, state: st, ordinal: k, hd_queue_id: qid };
			state.statuses.push(rec); idx.status.set(rec.id, rec); q._statusIds.push(rec.id);
		});
		PRIORITY_DEF.forEach(([pname, color], k) => {
			const rec = { id: qk * 10 + k + 1, name: pname, ordinal: k, color, is_sla_enabled: k === 0 ? 1 : 0, hd_queue_id: qid };
			state.priorities.push(rec); idx.priority.set(rec.id, rec); q._priorityIds.push(rec.id);
		});
		CATEGORY_DEF.forEach((cname, k) => {
			const rec = { id: qk * 10 + k + 1, name: cname, hd_queue_id: qid };
			state.categories.push(rec); idx.category.set(rec.id, rec); q._categoryIds.push(rec.id);
		});
		IMPACT_DEF.forEach((iname, k) => {
			const rec = { id: qk * 10 + k + 1, name: iname, ordinal: k, hd_queue_id: qid };
			state.impacts.push(rec); idx.impact.set(rec.id, rec); q._impactIds.push(rec.id);
		});
		const fields = [['title', 'Title', 'all'], ['summary', 'Description', 'none'], ['impact_id', 'Impact', 'none'],
			['category_id', 'Category', 'none'], ['status_id', 'Status', 'all'], ['priority_id', 'Priority', 'all'],
			['owner_id', 'Owner', 'none'], ['machine_id', 'Machine', 'none'], ['asset_id', 'Asset', 'none'],
			['submitter_id', 'Submitter', 'all'], ['due_date', 'Due Date', 'none'], ['cc_list', 'CC', 'none'],
			['resolution', 'Resolution', 'none'], ['custom_1', customs[0], 'none'], ['custom_2', customs[1], 'none']];
		fields.forEach(([col, label, req], k) => {
			const jsonKey = col.replace(/_id$/, '');
			const rec = {
				id: qk * 100 + k + 1, hd_queue_id: qid, name: col.toUpperCase(), hd_ticket_field_name: col, jsonKey, ordinal: k,
				required_state: col === 'custom_1' && qid === 3 ? 'all' : req, field_label: label, visible: col === 'resolution' ? 'uservisible' : 'usercreate',
			};
			state.queueFields.push(rec); idx.field.set(rec.id, rec); q._fieldIds.push(rec.id);
		});
		state.queues.push(q); idx.queue.set(qid, q);
	});

	// ticket history (hd_ticket_change): one change per write; a comment is a change with a comment
	let nextChangeId = 1;
	function addChange({ ticket, at, user, comment = '', description = '', ownersOnly = false }) {
		const rec = {
			id: nextChangeId++, hd_ticket_id: ticket, timestamp: at, user_id: user, comment, description,
			owners_only: ownersOnly ? 1 : 0, system_comment: 0, resolution_changed: 0, via_email: '',
		};
		state.changes.push(rec); idx.change.set(rec.id, rec);
		return rec;
	}
	const parseTime = (text) => Date.parse(`${text.replace(' ', 'T')}Z`);

	// tickets ~N/5
	const ticketCount = Math.max(3, Math.floor(state.machines.length / 5));
	const owners = [...loginUsers.filter((u) => u.role !== 'readonly'), ...directoryUsers.slice(0, 3)];
	let nextTicketId = 1;
	for (let k = 1; k <= ticketCount; k++) {
		const qid = k % 5 < 3 ? 1 : k % 5 === 3 ? 2 : 3;
		const q = idx.queue.get(qid);
		const created = epoch - (ticketCount - k) * 3 * HOUR - ((k * 17) % 60) * 60_000;
		const closed = k % 6 === 0;
		const rec = {
			id: k, title: `${['Printer not working', 'Cannot log in', 'Request new laptop', 'VPN disconnects', 'Software install request', 'Broken monitor'][k % 6]} #${k}`,
			summary: `Ticket ${k} opened by the generator`, hd_queue_id: qid,
			status_id: closed ? q._statusIds[4] : q._statusIds[k % 4], priority_id: q._priorityIds[k % 3],
			category_id: q._categoryIds[k % 4], impact_id: q._impactIds[k % 4],
			owner_id: k % 4 === 0 || !owners.length ? null : owners[k % owners.length].id,
			submitter_id: directoryUsers.length ? directoryUsers[k % directoryUsers.length].id : loginUsers[0].id,
			machine_id: state.machines.length && k % 3 !== 0 ? state.machines[(k * 7) % state.machines.length]._id : null,
			asset_id: null, created: fmt(created), modified: fmt(Math.min(epoch, created + ((k * 37) % 48) * HOUR)),
			due_date: '0000-00-00 00:00:00', is_manual_due_date: 0, resolution: closed ? 'Fixed' : '', cc_list: '',
			custom: { custom_1: `C1-${k}`, custom_2: '' },
		};
		state.tickets.push(rec); idx.ticket.set(k, rec);
		nextTicketId = k + 1;
		addChange({ ticket: rec.id, at: rec.created, user: rec.submitter_id, description: 'Ticket Created' });
		if (k % 3 === 0) {
			const by = rec.owner_id ?? loginUsers[0].id;
			addChange({ ticket: rec.id, at: fmt(Math.min(parseTime(rec.modified), created + 30 * 60_000)), user: by, comment: `Looking into it (#${k})`, ownersOnly: k % 9 === 0 });
		}
	}

	/* ---- schemas ---- */
	const S = {};
	const invId = (key = 'Id') => field(['id'], key, 'int', 0, { get: (r) => r._id, out: (r) => r[key] });
	S.software = schema({
		names: ['software', 'softwares'], idOf: (r) => r._id,
		fields: [invId(), field(['display_name', 'name'], 'Display_name', 'str', 0), field('display_version', 'Display_version'),
			field('publisher', 'Publisher'), field('created', 'Created', 'str', 3), field('modified', 'Modified', 'str', 3)],
	});
	S.os = schema({
		names: ['os', 'operating_system', 'operating_systems'], idOf: (r) => r._id,
		fields: [invId(), field('name', 'Name', 'str', 0), field('version', 'Version'), field('architecture', 'Architecture'),
			field('created', 'Created', 'str', 3), field('modified', 'Modified', 'str', 3)],
	});
	S.process = schema({
		names: ['process', 'processes'], idOf: (r) => r._id,
		fields: [invId(), field('name', 'Name', 'str', 0), field('description', 'Description'), field('created', 'Created'), field('modified', 'Modified')],
	});
	S.service = schema({
		names: ['service', 'services', 'ntservice'], idOf: (r) => r._id,
		fields: [invId(), field('name', 'Name', 'str', 0), field('display_name', 'Display_name'), field('startup_type', 'Startup_type'),
			field('created', 'Created'), field('modified', 'Modified')],
	});
	S.startup = schema({
		names: ['startup_program', 'startup_programs', 'startupprogram', 'startup'], idOf: (r) => r._id,
		fields: [invId(), field('name', 'Name', 'str', 0), field('command', 'Command'), field('location', 'Location'),
			field('created', 'Created'), field('modified', 'Modified')],
	});
	S.label = schema({ names: ['label', 'labels'], fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0), field('type', 'type', 'str', 1)] });
	S.machine = schema({
		names: ['machine', 'machines'], idOf: (r) => r._id,
		fields: [invId(), field('name', 'Name', 'str', 0), field('os_name', 'Os_name'), field('ip', 'Ip'), field('user_logged', 'User_logged'),
			field('last_inventory', 'Last_inventory'), field(['ram_total', 'ram total'], 'Ram Total'), field('notes', 'Notes'),
			field('created', 'Created'), field('modified', 'Modified'), field('os_version', 'Os_version', 'str', 2),
			field('os_arch', 'Os_arch', 'str', 2), field('last_sync', 'Last_sync', 'str', 2), field('mac', 'Mac', 'str', 3),
			field('cs_manufacturer', 'Cs_Manufacturer', 'str', 3), field('cs_model', 'Cs_Model', 'str', 3),
			field('bios_serial_number', 'Bios_Serial_Number', 'str', 3), field('os_id', 'Os_id', 'int', 3, { get: (r) => r._osId })],
		subs: [
			{ names: ['software', 'softwares'], outKey: 'Software', many: true, schema: S.software, ids: (r) => r._software, byId: (id) => idx.software.get(id), all: () => state.software },
			{ names: ['label', 'labels'], outKey: 'Labels', many: true, schema: S.label, ids: (r) => r._labels, byId: (id) => idx.label.get(id), all: () => state.labels },
			{ names: ['os', 'operating_system'], outKey: 'Os', many: false, schema: S.os, ref: (r) => r._osId, byId: (id) => idx.os.get(id), all: () => state.operatingSystems },
			{ names: ['process', 'processes'], outKey: 'Processes', many: true, schema: S.process, ids: (r) => r._processes, byId: (id) => idx.process.get(id), all: () => state.processes },
			{ names: ['service', 'services', 'ntservice'], outKey: 'Services', many: true, schema: S.service, ids: (r) => r._services, byId: (id) => idx.service.get(id), all: () => state.services },
			{ names: ['startup_program', 'startup_programs', 'startupprogram'], outKey: 'StartupPrograms', many: true, schema: S.startup, ids: (r) => r._startups, byId: (id) => idx.startup.get(id), all: () => state.startupPrograms },
		],
	});
	S.asset = schema({
		names: ['asset', 'assets'],
		fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0), field('asset_type_id', 'asset_type_id', 'int'),
			field('asset_type_name', 'asset_type_name'), field('asset_class_id', 'asset_class_id', 'int', 2),
			field('asset_status_id', 'asset_status_id', 'int'), field('owner_id', 'owner_id', 'int'), field('mapped_id', 'mapped_id', 'int'),
			field('location_id', 'location_id', 'int'), field('archive', 'archive', 'str', 2), field('asset_data_id', 'asset_data_id', 'int', 3),
			field('created', 'created'), field('modified', 'modified'),
			// the fields of the asset types (field_NNNNN): filterable on every asset, shown at level ALL for the asset's type
			...ASSET_TYPE_DEF.flatMap(([, , , fields]) => fields.map(([key]) => field(key, key, 'str', 3, { get: (r) => r.fields[key] ?? '', noOut: true })))],
		// READING: custom asset fields show with `shaping=asset all` (reference §2.4), only those of the asset's type
		dynamic: (r, lvl) => (lvl >= LEVELS.all ? Object.fromEntries((idx.assetType.get(r.asset_type_id)?._fields ?? []).map((f) => [f.key, r.fields[f.key] ?? ''])) : {}),
	});
	S.assetType = schema({
		names: ['asset_type', 'asset_types', 'types', 'type'],
		fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0), field('asset_category', 'asset_category'), field('created', 'created'), field('modified', 'modified')],
	});
	const smallMachine = schema({ names: ['machine'], idOf: (r) => r._id, fields: [field('id', 'id', 'int', 0, { get: (r) => r._id }), field('name', 'name', 'str', 0, { get: (r) => r.Name })] });
	// READING: the catalogs of processes, services and startup programs carry the machines they were seen on as the
	// sub-entity `machine` (SQL join, like `software` on machines), so `filtering=machine.id eq 12` lists one machine's
	let joinCache = { version: -1, maps: {} };
	const machinesWith = (key, id) => {
		if (joinCache.version !== dataVersion) joinCache = { version: dataVersion, maps: {} };
		let map = joinCache.maps[key];
		if (!map) {
			map = new Map();
			for (const m of state.machines) for (const x of m[key]) { if (!map.has(x)) map.set(x, []); map.get(x).push(m._id); }
			joinCache.maps[key] = map;
		}
		return map.get(id) ?? [];
	};
	for (const [sch, key] of [[S.process, '_processes'], [S.service, '_services'], [S.startup, '_startups']]) {
		sch.subs.push({ names: ['machine', 'machines'], outKey: 'Machines', many: true, schema: smallMachine, ids: (r) => machinesWith(key, r._id), byId: (id) => idx.machine.get(id), all: () => state.machines });
	}
	S.mi = schema({
		names: ['mi', 'managed_install', 'managed_installs'],
		fields: [field('id', 'id', 'int', 0), field(['name', 'title'], 'name', 'str', 0), field('software_id', 'software_id', 'int'),
			field('version', 'version'), field('file_name', 'file_name'), field('enabled', 'enabled', 'int'),
			field('install_command', 'install_command', 'str', 2), field('created', 'created'), field('modified', 'modified')],
		subs: [{ names: ['machine', 'machines'], outKey: 'Machines', many: true, schema: smallMachine, ids: (r) => r.targets, byId: (id) => idx.machine.get(id), all: () => state.machines }],
	});
	S.script = schema({
		names: ['script', 'scripts', 'kbot'],
		fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0), field('description', 'description'), field('type', 'type'),
			field('status', 'status'), field('enabled', 'enabled', 'int'), field('created', 'created'), field('modified', 'modified'),
			field('notes', 'notes', 'str', 3)],
	});
	S.status = schema({ names: ['status', 'hd_status'], fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0), field('state', 'state', 'str', 0), field('ordinal', 'ordinal', 'int', 1), field('hd_queue_id', 'hd_queue_id', 'int', 3)] });
	S.priority = schema({ names: ['priority', 'hd_priority'], fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0), field('ordinal', 'ordinal', 'int', 1), field('color', 'color', 'str', 1), field('is_sla_enabled', 'is_sla_enabled', 'int', 2), field('hd_queue_id', 'hd_queue_id', 'int', 3)] });
	S.category = schema({ names: ['category', 'hd_category'], fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0), field('hd_queue_id', 'hd_queue_id', 'int', 3)] });
	S.impact = schema({ names: ['impact', 'hd_impact'], fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0), field('ordinal', 'ordinal', 'int', 1), field('hd_queue_id', 'hd_queue_id', 'int', 3)] });
	S.qfield = schema({
		names: ['fields', 'field', 'hd_field'],
		fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0), field('hd_queue_id', 'hd_queue_id', 'int'), field('hd_ticket_field_name', 'hd_ticket_field_name'),
			field('jsonkey', 'jsonKey'), field('ordinal', 'ordinal', 'int'), field('required_state', 'required_state'), field('field_label', 'field_label'), field('visible', 'visible')],
	});
	S.queue = schema({
		names: ['queue', 'queues', 'hd_queue'],
		fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0), field('alt_email_addr', 'alt_email_addr'), field('created', 'created'), field('modified', 'modified')],
		subs: [
			{ names: ['status', 'statuses', 'hd_status'], outKey: 'Statuses', many: true, schema: S.status, ids: (r) => r._statusIds, byId: (id) => idx.status.get(id), all: () => state.statuses },
			{ names: ['priority', 'priorities', 'hd_priority'], outKey: 'Priorities', many: true, schema: S.priority, ids: (r) => r._priorityIds, byId: (id) => idx.priority.get(id), all: () => state.priorities },
			{ names: ['category', 'categories', 'hd_category'], outKey: 'Categories', many: true, schema: S.category, ids: (r) => r._categoryIds, byId: (id) => idx.category.get(id), all: () => state.categories },
			{ names: ['impact', 'impacts', 'hd_impact'], outKey: 'Impacts', many: true, schema: S.impact, ids: (r) => r._impactIds, byId: (id) => idx.impact.get(id), all: () => state.impacts },
			{ names: ['fields', 'field', 'hd_field'], outKey: 'Fields', many: true, schema: S.qfield, ids: (r) => r._fieldIds, byId: (id) => idx.field.get(id), all: () => state.queueFields },
		],
	});
	S.userFlat = schema({
		names: ['user', 'users'],
		fields: [field('id', 'id', 'int', 0), field('user_name', 'user_name', 'str', 0), field('full_name', 'full_name', 'str', 0), field('email', 'email', 'str', 1),
			field('location_id', 'location_id', 'int', 2), field('created', 'created', 'str', 3), field('modified', 'modified', 'str', 3)],
	});
	S.change = schema({
		names: ['hd_ticket_change', 'change', 'changes', 'ticket_change'],
		fields: [field('id', 'id', 'int', 0), field('hd_ticket_id', 'hd_ticket_id', 'int'), field('timestamp', 'timestamp'), field('user_id', 'user_id', 'int'),
			field('comment', 'comment'), field('description', 'description'), field('owners_only', 'owners_only', 'int'),
			field('system_comment', 'system_comment', 'int', 2), field('resolution_changed', 'resolution_changed', 'int', 2), field('via_email', 'via_email', 'str', 2)],
		// READING: the author is a sub-entity shown only when shaped (`user limited`, as the NG dashboards ask for it)
		subs: [{ names: ['user'], outKey: 'user', schema: S.userFlat, ref: (r) => r.user_id, byId: (id) => idx.user.get(id), all: () => state.users }],
	});
	const roleSchema = schema({ names: ['role'], fields: [field('id', 'id', 'int', 0, { get: (r) => ROLES[r].id }), field('name', 'name', 'str', 0, { get: (r) => ROLES[r].name })], idOf: (r) => r });
	S.user = schema({
		...S.userFlat, names: ['user', 'users'], fields: S.userFlat.fields,
		subs: [{ names: ['role'], outKey: 'role', many: false, schema: roleSchema, ref: (r) => r.role, byId: (id) => (ROLES[id] ? id : undefined), all: () => Object.keys(ROLES), defaultLevel: 0 }],
	});
	const smallAsset = schema({ names: ['asset'], fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0)] });
	const smallQueue = schema({ names: ['queue'], fields: [field('id', 'id', 'int', 0), field('name', 'name', 'str', 0)] });
	const ticketInt = (name, key, aliases = []) => field([name, ...aliases], key, 'int', 3, { get: (r) => r[key] });
	S.ticket = schema({
		names: ['hd_ticket', 'ticket', 'tickets'],
		fields: [field('id', 'id', 'int', 0), field('title', 'title', 'str', 0), field('summary', 'summary'), field('hd_queue_id', 'hd_queue_id', 'int'),
			field('created', 'created'), field('modified', 'modified'), field('due_date', 'due_date'), field('is_manual_due_date', 'is_manual_due_date', 'int'),
			field('resolution', 'resolution'), field('cc_list', 'cc_list'),
			ticketInt('hd_status_id', 'status_id', ['status_id']), ticketInt('hd_priority_id', 'priority_id', ['priority_id']),
			ticketInt('hd_category_id', 'category_id', ['category_id']), ticketInt('hd_impact_id', 'impact_id', ['impact_id']),
			ticketInt('owner_id', 'owner_id'), ticketInt('submitter_id', 'submitter_id'), ticketInt('machine_id', 'machine_id'), ticketInt('asset_id', 'asset_id'),
			...Array.from({ length: 15 }, (_, k) => field(`custom_${k + 1}`, `custom_${k + 1}`, 'str', 3, { get: (r) => r.custom[`custom_${k + 1}`] ?? '', noOut: true }))],
		subs: [
			{ names: ['status', 'hd_status'], outKey: 'status', schema: S.status, ref: (r) => r.status_id, byId: (id) => idx.status.get(id), all: () => state.statuses, defaultLevel: 0 },
			{ names: ['priority', 'hd_priority'], outKey: 'priority', schema: S.priority, ref: (r) => r.priority_id, byId: (id) => idx.priority.get(id), all: () => state.priorities, defaultLevel: 0 },
			{ names: ['category', 'hd_category'], outKey: 'category', schema: S.category, ref: (r) => r.category_id, byId: (id) => idx.category.get(id), all: () => state.categories, defaultLevel: 0 },
			{ names: ['impact', 'hd_impact'], outKey: 'impact', schema: S.impact, ref: (r) => r.impact_id, byId: (id) => idx.impact.get(id), all: () => state.impacts, defaultLevel: 0 },
			{ names: ['owner'], outKey: 'owner', schema: S.userFlat, ref: (r) => r.owner_id, byId: (id) => idx.user.get(id), all: () => state.users, defaultLevel: 0 },
			{ names: ['submitter'], outKey: 'submitter', schema: S.userFlat, ref: (r) => r.submitter_id, byId: (id) => idx.user.get(id), all: () => state.users, defaultLevel: 0 },
			{ names: ['machine'], outKey: 'machine', schema: smallMachine, ref: (r) => r.machine_id, byId: (id) => idx.machine.get(id), all: () => state.machines, defaultLevel: 0 },
			{ names: ['asset'], outKey: 'asset', schema: smallAsset, ref: (r) => r.asset_id, byId: (id) => idx.asset.get(id), all: () => state.assets, defaultLevel: 0 },
			{ names: ['queue', 'hd_queue'], outKey: 'queue', schema: smallQueue, ref: (r) => r.hd_queue_id, byId: (id) => idx.queue.get(id), all: () => state.queues },
		],
		wildcardExtra: [
			(r) => idx.user.get(r.owner_id)?.user_name, (r) => idx.user.get(r.owner_id)?.full_name,
			(r) => idx.user.get(r.submitter_id)?.user_name, (r) => idx.user.get(r.submitter_id)?.full_name,
		],
		shapeCrash: ['related_tickets', 'referring_tickets'], // READING: HTTP 500 like 10.0.290 (reference §4.2 #14)
	});
	for (const s of Object.values(S)) for (const sub of s.subs) { if (sub.many === undefined) sub.many = false; }

	/* ---- list machinery ---- */
	const cache = new Map();
	let listRequests = 0;
	function listBody(q, sch, rows, envKey, scope = '') {
		const filtering = q.get('filtering');
		const sorting = q.get('sorting');
		const preds = filtering !== undefined && filtering !== '' ? compileFiltering(filtering, sch) : [];
		const keys = sorting !== undefined && sorting !== '' ? compileSorting(sorting, sch) : [];
		const shp = parseShaping(q.get('shaping') || undefined, sch);
		// paging
		let limit = sim.defaultPageSize; let offset = 0;
		const pagingRaw = q.get('paging');
		if (pagingRaw !== undefined && pagingRaw !== '') {
			const text = decodePhp(pagingRaw);
			const tokens = text.trim().split(/\s+/);
			const seen = new Set();
			if (tokens.length % 2 !== 0) throw bad(`Invalid paging '${text}'`);
			for (let i = 0; i < tokens.length; i += 2) {
				const kw = tokens[i].toLowerCase(); const val = tokens[i + 1];
				if ((kw !== 'limit' && kw !== 'offset') || seen.has(kw)) throw bad(`Invalid paging '${text}'`);
				seen.add(kw);
				if (kw === 'limit') {
					if (/^all$/i.test(val)) limit = 0;
					else if (/^\d+$/.test(val)) limit = Number(val);
					else throw bad(`Invalid paging '${text}'`);
				} else {
					if (!/^\d+$/.test(val)) throw bad(`Invalid paging '${text}'`);
					offset = Number(val);
				}
			}
		}
		const countRaw = q.has('use_count') ? decodePhp(q.get('use_count')).trim().toLowerCase() : undefined;
		const useCount = countRaw !== 'false';
		const countOnly = q.has('use_count_only') && decodePhp(q.get('use_count_only')).trim().toLowerCase() !== 'false';

		// READING (option tieOrder 'unstable'): ties on the sort keys come in a different order on every request
		const tieSalt = keys.length && opts.tieOrder === 'unstable' ? ++listRequests : undefined;
		const key = `${envKey}|${dataVersion}|${scope}|${filtering ?? ''}|${sorting ?? ''}|${tieSalt ?? ''}`;
		let result = cache.get(key);
		if (!result) {
			result = preds.length ? rows.filter((r) => { for (const p of preds) if (!p(r)) return false; return true; }) : rows;
			if (keys.length) result = sortRows(result, keys, sch, tieSalt);
			cache.set(key, result);
			if (cache.size > 24) cache.delete(cache.keys().next().value);
		}
		if (countOnly) return countKey ? { [countKey]: result.length } : {};
		const page = limit === 0 ? result.slice(offset) : result.slice(offset, offset + limit);
		const body = {};
		if (useCount && countKey) body[countKey] = result.length;
		body[envKey] = page.map((r) => shape(r, sch, shp));
		return body;
	}
	function oneBody(q, sch, rec, envKey, extra) {
		const shp = parseShaping(q.get('shaping') || undefined, sch);
		const o = shape(rec, sch, shp);
		if (extra) Object.assign(o, extra(rec));
		return { [envKey]: [o] };
	}
	function need(map, id, what) {
		const rec = map.get(id);
		if (!rec) throw notFound(`${what} ${id} not found`);
		return rec;
	}
	function envelope(json, key) {
		if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad(`Request body must be an object with a "${key}" array`);
		const list = json[key];
		if (!Array.isArray(list) || !list.length) throw bad(`Request body must contain a non-empty "${key}" array`);
		for (const x of list) if (!x || typeof x !== 'object' || Array.isArray(x)) throw bad(`Each element of "${key}" must be an object`);
		return list;
	}
	function machineIdList(values, label) {
		const ids = [];
		for (const v of values) {
			const n = asInt(v);
			if (n === undefined) throw bad(`Invalid machine id '${typeof v === 'string' ? v : JSON.stringify(v)}'`);
			if (!ids.includes(n)) ids.push(n);
		}
		const missing = ids.filter((id) => !idx.machine.has(id));
		if (missing.length) throw bad(`Invalid ${label}: ${missing.join(', ')}`);
		return ids;
	}

	/* ---- assets ---- */
	/** applies an asset write body element (validating everything first); READING: unknown fields → 400 */
	function applyAsset(rec, input, creating) {
		const next = { ...rec, fields: { ...rec.fields } };
		const custom = [];
		for (const [k, v] of Object.entries(input)) {
			if (k === 'id' || k === 'created' || k === 'modified' || k === 'asset_type_name') continue;
			if (k === 'name') {
				if (typeof v !== 'string' || !v.trim()) throw bad('name is required');
				next.name = v;
			} else if (k === 'asset_type_id') {
				const type = idx.assetType.get(asInt(v));
				if (!type) throw bad(`Invalid asset_type_id '${v}'`);
				if (!creating && type.id !== rec.asset_type_id) throw bad('asset_type_id cannot be changed');
				next.asset_type_id = type.id; next.asset_type_name = type.name;
			} else if (['asset_status_id', 'location_id', 'mapped_id', 'asset_class_id', 'owner_id'].includes(k)) {
				const n = v === null || v === '' ? 0 : asInt(v);
				if (n === undefined) throw bad(`Invalid value for field '${k}': expected an id`);
				if (k === 'owner_id' && n && !idx.user.has(n)) throw bad(`Invalid owner_id ${n}`);
				if (k === 'mapped_id' && n && !idx.machine.has(n)) throw bad(`Invalid mapped_id ${n}`);
				next[k] = n;
			} else if (/^field_\d+$/.test(k)) {
				if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw bad(`Invalid value for field '${k}'`);
				custom.push([k, v === null ? '' : String(v)]);
			} else throw bad(`Invalid field '${k}'`);
		}
		if (creating && !next.name) throw bad('name is required');
		if (creating && next.asset_type_id === null) throw bad('asset_type_id is required');
		const type = idx.assetType.get(next.asset_type_id);
		for (const [k, v] of custom) {
			const def = type._fields.find((f) => f.key === k);
			if (!def) throw bad(`Invalid field '${k}' for asset type '${type.name}'`);
			if (def.type === 'date' && v !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw bad(`Invalid date '${v}' for field '${def.label}' (YYYY-MM-DD)`);
			next.fields[k] = v;
		}
		return next;
	}

	/* ---- manual (agentless) machine records ---- */
	const MANUAL_MACHINE_FIELDS = ['Name', 'Ip', 'Mac', 'Os_name', 'Notes', 'User_logged', 'Cs_Manufacturer', 'Cs_Model', 'Bios_Serial_Number'];
	function manualMachine(input) {
		const now = fmt(clock.now());
		const rec = {
			Id: '0', Name: '', Os_name: '', Os_version: '', Os_arch: '', Ip: '', Mac: '', User_logged: '', Last_inventory: now,
			Last_sync: '0000-00-00 00:00:00', 'Ram Total': '', Notes: '', Cs_Manufacturer: '', Cs_Model: '', Bios_Serial_Number: '',
			Created: now, Modified: now, _id: 0, _software: [], _labels: [], _osId: null, _online: false, _processes: [], _services: [], _startups: [], _manual: true,
		};
		for (const [k, v] of Object.entries(input)) {
			const key = MANUAL_MACHINE_FIELDS.find((f) => f.toLowerCase() === k.toLowerCase());
			if (!key) throw bad(`Invalid field '${k}'`);
			if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw bad(`Invalid value for field '${k}'`);
			rec[key] = v === null ? '' : String(v);
		}
		if (!rec.Name.trim()) throw bad('name is required');
		return rec;
	}

	/* ---- tickets ---- */
	const TICKET_REFS = {
		status: { col: 'status_id', map: idx.status, perQueue: true }, priority: { col: 'priority_id', map: idx.priority, perQueue: true },
		category: { col: 'category_id', map: idx.category, perQueue: true }, impact: { col: 'impact_id', map: idx.impact, perQueue: true },
		owner: { col: 'owner_id', map: idx.user }, submitter: { col: 'submitter_id', map: idx.user },
		machine: { col: 'machine_id', map: idx.machine }, asset: { col: 'asset_id', map: idx.asset },
	};
	const TICKET_TEXT = ['title', 'summary', 'resolution', 'cc_list', 'due_date'];
	/** applies a ticket write body element to rec (validating everything first); READING: unknown keys → 400 */
	function applyTicket(rec, input, creating) {
		const next = { ...rec, custom: { ...rec.custom } };
		delete next._comment; delete next._ownersOnly;
		for (const [k, v] of Object.entries(input)) {
			const key = k.toLowerCase();
			if (key === 'id') continue;
			if (key === 'comment') {
				// READING: a comment is written with the ticket (create or update) and becomes a change of its history
				if (typeof v !== 'string') throw bad(`Invalid value for field '${k}': expected text`);
				next._comment = v;
			} else if (key === 'owners_only') {
				if (![0, 1, true, false, '0', '1'].includes(v)) throw bad(`Invalid value for field '${k}': expected 0 or 1`);
				next._ownersOnly = v === true || v === 1 || v === '1';
			} else if (key === 'hd_queue_id') {
				const n = asInt(v);
				if (n === undefined || !idx.queue.has(n)) throw bad(`Invalid hd_queue_id '${v}'`);
				next.hd_queue_id = n;
			} else if (TICKET_REFS[key] || TICKET_REFS[key.replace(/_id$/, '')]) {
				const ref = TICKET_REFS[key] || TICKET_REFS[key.replace(/_id$/, '')];
				if (v === null || v === '' || v === 0) {
					if (ref.perQueue && key.startsWith('status')) throw bad('status cannot be empty');
					next[ref.col] = null;
					continue;
				}
				const n = asInt(v);
				if (n === undefined) throw bad(`Invalid value for field '${k}': expected an id`);
				if (!ref.map.has(n)) throw bad(`Invalid ${k} id ${n}`);
				next[ref.col] = n;
			} else if (TICKET_TEXT.includes(key)) {
				if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw bad(`Invalid value for field '${k}'`);
				next[key] = v === null ? '' : String(v);
			} else if (/^custom_([1-9]|1[0-5])$/.test(key)) {
				if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw bad(`Invalid value for field '${k}'`);
				next.custom[key] = v === null ? '' : String(v);
			} else {
				throw bad(`Invalid field '${k}'`);
			}
		}
		if (creating && next.hd_queue_id === null) throw bad('hd_queue_id is required');
		const q = idx.queue.get(next.hd_queue_id);
		// defaults for a new ticket (or a queue move): the queue's first status / "Medium" priority
		if (creating || next.hd_queue_id !== rec.hd_queue_id) {
			if (next.status_id === rec.status_id || next.status_id === null) next.status_id = next.status_id !== null && q._statusIds.includes(next.status_id) ? next.status_id : q._statusIds[0];
			if (next.priority_id === rec.priority_id || next.priority_id === null) next.priority_id = next.priority_id !== null && q._priorityIds.includes(next.priority_id) ? next.priority_id : q._priorityIds[1];
			for (const c of ['category_id', 'impact_id']) if (next[c] === rec[c] && next[c] !== null && !(c === 'category_id' ? q._categoryIds : q._impactIds).includes(next[c])) next[c] = null;
		}
		for (const [name, ids] of [['status', q._statusIds], ['priority', q._priorityIds], ['category', q._categoryIds], ['impact', q._impactIds]]) {
			const v = next[`${name}_id`];
			if (v !== null && !ids.includes(v)) throw bad(`Invalid ${name} id ${v} for queue ${q.id}`);
		}
		if (next._ownersOnly && !next._comment) throw bad('owners_only needs a comment');
		if (creating) {
			// the queue's fields required of everyone must have a value (status, priority and submitter have defaults)
			for (const id of q._fieldIds) {
				const f = idx.field.get(id);
				if (f.required_state !== 'all') continue;
				const col = f.hd_ticket_field_name;
				const v = col.startsWith('custom_') ? next.custom[col] : next[col];
				if (v === null || v === undefined || v === '') throw bad(`Field '${f.field_label}' is required in queue '${q.name}'`);
			}
		}
		return next;
	}
	/** what a write changed, as the history says it ("Changed ticket Status from "New" to "Open".") */
	function describeChanges(before, after) {
		const lines = [];
		const nameOf = (ref, id) => (id === null || id === undefined ? '' : String(ref.map.get(id)?.name ?? ref.map.get(id)?.user_name ?? ref.map.get(id)?.Name ?? id));
		for (const [key, ref] of Object.entries(TICKET_REFS)) {
			if (before[ref.col] !== after[ref.col]) lines.push(`Changed ticket ${key} from "${nameOf(ref, before[ref.col])}" to "${nameOf(ref, after[ref.col])}".`);
		}
		for (const key of TICKET_TEXT) if (before[key] !== after[key]) lines.push(`Changed ticket ${key}.`);
		for (const key of Object.keys(after.custom)) if ((before.custom[key] ?? '') !== after.custom[key]) lines.push(`Changed ticket ${key}.`);
		return lines.join('\n');
	}

	/* ---- script runs ---- */
	function runStatus(run) {
		const now = clock.now();
		const out = { scriptId: run.scriptId, Targeted: [...run.machineIds], Pending: [], Success: [], pushFailed: [], failed: [] };
		for (const t of run.targets) {
			if (now < t.at) out.Pending.push(t.id);
			else if (t.outcome === 'success') out.Success.push(t.id);
			else if (t.outcome === 'pushFailed') out.pushFailed.push(t.id);
			else out.failed.push(t.id);
		}
		// READING (option runStatusShape 'counts'): builds that report how many machines are in each bucket
		if (opts.runStatusShape === 'counts') for (const k of ['Targeted', 'Pending', 'Success', 'pushFailed', 'failed']) out[k] = out[k].length;
		return out;
	}

	/* ---- routes ---- */
	const A = (status, body) => ({ status, body });
	const routes = [
		{
			re: /^\/api\/inventory\/machines$/,
			GET: (c) => A(200, listBody(c.q, S.machine, state.machines, 'Machines')),
			// READING (reference §3.1: Quest docs, no client calls it): a manual (agentless) machine record; the answer
			// carries the new id like a ticket create
			POST: (c) => {
				const list = envelope(c.json, 'Machines');
				const recs = list.map((el) => manualMachine(el));
				const ids = recs.map((rec) => {
					const id = state.machines.reduce((max, x) => Math.max(max, x._id), 0) + 1;
					Object.assign(rec, { Id: String(id), _id: id });
					state.machines.push(rec); idx.machine.set(id, rec);
					return id;
				});
				touchData();
				return A(200, { Result: 'Success', IDs: ids });
			},
			bodyRequired: ['POST'],
		},
		{
			re: /^\/api\/inventory\/machines\/(\d+)$/,
			GET: (c, m) => A(200, oneBody(c.q, S.machine, need(idx.machine, Number(m[1]), 'Machine'), 'Machines')),
			PUT: (c, m) => {
				const id = Number(m[1]);
				const rec = need(idx.machine, id, 'Machine');
				const list = envelope(c.json, 'Machines');
				const updates = [];
				for (const el of list) {
					const idKey = Object.keys(el).find((k) => k.toLowerCase() === 'id');
					if (!idKey) throw bad('Machine id is required in the request body');
					const bodyId = asInt(el[idKey]);
					if (bodyId !== id) throw bad(`Machine id in body (${el[idKey]}) does not match the id in the URL (${id})`);
					for (const [k, v] of Object.entries(el)) {
						if (k === idKey) continue;
						const target = Object.keys(rec).find((rk) => !rk.startsWith('_') && rk.toLowerCase() === k.toLowerCase()
							&& !['id', 'created', 'modified', 'last_inventory', 'last_sync'].includes(rk.toLowerCase()));
						if (!target) throw bad(`Invalid field '${k}'`);
						if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw bad(`Invalid value for field '${k}'`);
						updates.push([target, v === null ? '' : String(v)]);
					}
				}
				for (const [k, v] of updates) rec[k] = v;
				// READING: a PUT triggers an inventory check-in (reference §4.2 #11): Last_inventory moves to now
				rec.Modified = fmt(clock.now()); rec.Last_inventory = rec.Modified;
				touchData();
				return A(200, { Result: 'Success' });
			},
			bodyRequired: ['PUT'],
		},
		{ re: /^\/api\/inventory\/softwares$/, GET: (c) => A(200, listBody(c.q, S.software, state.software, 'Software')) },
		{ re: /^\/api\/inventory\/processes$/, GET: (c) => A(200, listBody(c.q, S.process, state.processes, 'Processes')) },
		{ re: /^\/api\/inventory\/processes\/(\d+)$/, GET: (c, m) => A(200, oneBody(c.q, S.process, need(idx.process, Number(m[1]), 'Process'), 'Processes')) },
		{ re: /^\/api\/inventory\/services$/, GET: (c) => A(200, listBody(c.q, S.service, state.services, 'Services')) },
		{ re: /^\/api\/inventory\/services\/(\d+)$/, GET: (c, m) => A(200, oneBody(c.q, S.service, need(idx.service, Number(m[1]), 'Service'), 'Services')) },
		{ re: /^\/api\/inventory\/startup_programs$/, GET: (c) => A(200, listBody(c.q, S.startup, state.startupPrograms, 'StartupPrograms')) },
		{ re: /^\/api\/inventory\/startup_programs\/(\d+)$/, GET: (c, m) => A(200, oneBody(c.q, S.startup, need(idx.startup, Number(m[1]), 'Startup program'), 'StartupPrograms')) },
		{ re: /^\/api\/inventory\/softwares\/(\d+)$/, GET: (c, m) => A(200, oneBody(c.q, S.software, need(idx.software, Number(m[1]), 'Software'), 'Software')) },
		{ re: /^\/api\/inventory\/operating_systems$/, GET: (c) => A(200, listBody(c.q, S.os, state.operatingSystems, 'OperatingSystems')) },
		{ re: /^\/api\/inventory\/operating_systems\/(\d+)$/, GET: (c, m) => A(200, oneBody(c.q, S.os, need(idx.os, Number(m[1]), 'Operating system'), 'OperatingSystems')) },
		// READING (key UNVERIFIED, KaceSMA returns the raw answer): the asset types under "AssetTypes"
		{ re: /^\/api\/asset\/assets\/types$/, asset: true, GET: (c) => A(200, listBody(c.q, S.assetType, state.assetTypes, 'AssetTypes')) },
		{
			re: /^\/api\/asset\/assets$/, asset: true,
			GET: (c) => A(200, listBody(c.q, S.asset, state.assets, 'Assets')),
			POST: (c) => {
				const list = envelope(c.json, 'Assets');
				const now = fmt(clock.now());
				const blank = { id: 0, name: '', asset_type_id: null, asset_type_name: '', asset_class_id: 0, asset_status_id: 1, owner_id: 0, mapped_id: 0, location_id: 0, archive: '', asset_data_id: 0, created: now, modified: now, fields: {} };
				const created = list.map((el) => applyAsset(blank, el, true));
				const ids = created.map((rec) => {
					rec.id = (state.assets.length ? state.assets[state.assets.length - 1].id : 0) + 1;
					rec.asset_data_id = rec.id;
					state.assets.push(rec); idx.asset.set(rec.id, rec);
					return rec.id;
				});
				touchData();
				return A(200, { IDs: ids });
			},
			bodyRequired: ['POST'],
		},
		{
			re: /^\/api\/asset\/assets\/(\d+)$/, asset: true,
			GET: (c, m) => A(200, oneBody(c.q, S.asset, need(idx.asset, Number(m[1]), 'Asset'), 'Assets')),
			PUT: (c, m) => {
				const id = Number(m[1]);
				const rec = need(idx.asset, id, 'Asset');
				const list = envelope(c.json, 'Assets');
				let next = rec;
				for (const el of list) {
					if (el.id !== undefined && asInt(el.id) !== id) throw bad(`Asset id in body (${el.id}) does not match the id in the URL (${id})`);
					next = applyAsset(next, el, false);
				}
				Object.assign(rec, next, { modified: fmt(clock.now()) });
				touchData();
				return A(200, { Result: 'Success' });
			},
			bodyRequired: ['PUT'],
		},
		{
			// SMA 9.0+ (reference §3.2): archiving moves the asset to the archived devices; the reason is mandatory
			re: /^\/api\/asset\/assets\/(\d+)\/archive$/, asset: true,
			POST: (c, m) => {
				const rec = need(idx.asset, Number(m[1]), 'Asset');
				const json = c.json;
				if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad('Request body must be an object with "archiveReason"');
				for (const k of Object.keys(json)) if (k !== 'archiveReason') throw bad(`Invalid field '${k}'`);
				if (typeof json.archiveReason !== 'string' || !json.archiveReason.trim()) throw bad('archiveReason is required');
				state.assets.splice(state.assets.indexOf(rec), 1);
				idx.asset.delete(rec.id);
				Object.assign(rec, { archive: json.archiveReason, modified: fmt(clock.now()) });
				state.archivedAssets.push(rec); idx.archived.set(rec.id, rec);
				touchData();
				return A(200, { Result: 'Success' });
			},
			bodyRequired: ['POST'],
		},
		{ re: /^\/api\/asset\/archived_devices\/(\d+)$/, asset: true, GET: (c, m) => A(200, oneBody(c.q, S.asset, need(idx.archived, Number(m[1]), 'Archived asset'), 'Assets')) },
		{ re: /^\/api\/managed_install\/managed_installs$/, GET: (c) => A(200, listBody(c.q, S.mi, state.managedInstalls, 'MIs')) },
		{ re: /^\/api\/managed_install\/managed_installs\/(\d+)$/, GET: (c, m) => A(200, oneBody(c.q, S.mi, need(idx.mi, Number(m[1]), 'Managed install'), 'MIs')) },
		{
			// READING (key UNVERIFIED): the machines whose operating system the managed install supports, as "Machines"
			re: /^\/api\/managed_install\/managed_installs\/(\d+)\/compatible_machines$/,
			GET: (c, m) => {
				const mi = need(idx.mi, Number(m[1]), 'Managed install');
				return A(200, listBody(c.q, S.machine, state.machines.filter((x) => mi.os.includes(x._osId)), 'Machines', `mi${mi.id}`));
			},
		},
		{
			re: /^\/api\/managed_install\/managed_installs\/(\d+)\/(add_to_machines|remove_from_machines)$/,
			PUT: (c, m) => {
				const mi = need(idx.mi, Number(m[1]), 'Managed install');
				const json = c.json;
				if (!json || typeof json !== 'object' || !Array.isArray(json.Machines)) throw bad('Request body must contain a "Machines" array of machine ids');
				if (!json.Machines.length) throw bad('"Machines" must not be empty');
				const ids = machineIdList(json.Machines, 'machine ids');
				if (m[2] === 'add_to_machines') { for (const id of ids) if (!mi.targets.includes(id)) mi.targets.push(id); mi.targets.sort((a, b) => a - b); }
				else mi.targets = mi.targets.filter((id) => !ids.includes(id));
				mi.modified = fmt(clock.now());
				touchData();
				return A(200, { Result: 'Success' });
			},
			bodyRequired: ['PUT'],
		},
		// quirk (reference §3.3): "lists the MIs of a machine" but answers the machine record
		{ re: /^\/api\/managed_install\/machines\/(\d+)$/, GET: (c, m) => A(200, oneBody(c.q, S.machine, need(idx.machine, Number(m[1]), 'Machine'), 'Machines')) },
		{ re: /^\/api\/scripts$/, GET: (c) => A(200, listBody(c.q, S.script, state.scripts, 'Scripts')) },
		{
			re: /^\/api\/script\/runStatus\/(\d+)$/,
			GET: (c, m) => A(200, runStatus(need(idx.run, Number(m[1]), 'Script run'))),
		},
		{ re: /^\/api\/script\/(\d+)$/, GET: (c, m) => A(200, oneBody(c.q, S.script, need(idx.script, Number(m[1]), 'Script'), 'Scripts')) },
		{
			re: /^\/api\/script\/(\d+)\/actions\/run$/,
			POST: (c, m) => {
				const script = need(idx.script, Number(m[1]), 'Script');
				const raw = c.q.get('machineIDs');
				if (raw === undefined || raw === '') throw bad('machineIDs is required');
				// READING: split on literal ',' of the raw query, then decode each id (so %2C is not a separator)
				// READING: a disabled script, or (option unknownRunMachines 'zero') an unknown machine, starts nothing and
				// the answer is the bare run id 0 (KaceSMA's Invoke-SmaScript: "Returns 0 if failed")
				if (!script.enabled) return A(200, 0);
				if (opts.unknownRunMachines === 'zero' && raw.split(',').some((x) => !idx.machine.has(asInt(decodePhp(x).trim())))) return A(200, 0);
				const ids = machineIdList(raw.split(',').map((s) => decodePhp(s).trim()), 'machineIDs');
				const runId = 4711 + state.scriptRuns.length;
				const startedAt = clock.now();
				const span = Math.max(0, runMs.max - runMs.min);
				const targets = ids.map((id) => {
					const mach = idx.machine.get(id);
					if (!mach._online) return { id, at: startedAt + runMs.min, outcome: 'pushFailed' };
					return { id, at: startedAt + runMs.min + ((id * 7_919 + runId * 13) % (span + 1)), outcome: id % 37 === 0 ? 'failed' : 'success' };
				});
				const run = { id: runId, scriptId: script.id, machineIds: ids, startedAt, targets, user: c.session.user.user_name };
				state.scriptRuns.push(run); idx.run.set(runId, run);
				return A(200, runId);
			},
		},
		{ re: /^\/api\/service_desk\/queues$/, GET: (c) => A(200, listBody(c.q, S.queue, state.queues, 'Queues')) },
		{ re: /^\/api\/service_desk\/queues\/(\d+)$/, GET: (c, m) => A(200, oneBody(c.q, S.queue, need(idx.queue, Number(m[1]), 'Queue'), 'Queues')) },
		{
			// READING: the ticket a new ticket of the queue starts from, in the form a create takes (ids, custom_N)
			re: /^\/api\/service_desk\/queues\/(\d+)\/ticket_template$/,
			GET: (c, m) => {
				const q = need(idx.queue, Number(m[1]), 'Queue');
				const template = { title: '', summary: '', hd_queue_id: q.id, status: q._statusIds[0], priority: q._priorityIds[1], category: null, impact: null, owner: null, submitter: null, machine: null, asset: null, due_date: '', cc_list: '', resolution: '', custom_1: '', custom_2: '' };
				return A(200, { Tickets: [template] });
			},
		},
		{
			re: /^\/api\/service_desk\/queues\/(\d+)\/fields$/,
			GET: (c, m) => {
				const q = need(idx.queue, Number(m[1]), 'Queue');
				return A(200, { Fields: q._fieldIds.map((id) => shapeFlat(idx.field.get(id), S.qfield, LEVELS.all)) });
			},
		},
		{
			re: /^\/api\/service_desk\/tickets$/,
			GET: (c) => {
				const u = c.session.user;
				const rows = u.role === 'user' ? state.tickets.filter((t) => t.submitter_id === u.id || t.owner_id === u.id) : state.tickets;
				return A(200, listBody(c.q, S.ticket, rows, 'Tickets', u.role === 'user' ? `u${u.id}` : ''));
			},
			POST: (c) => {
				const list = envelope(c.json, 'Tickets');
				const now = fmt(clock.now());
				const blank = { id: 0, title: '', summary: '', hd_queue_id: null, status_id: null, priority_id: null, category_id: null, impact_id: null, owner_id: null, submitter_id: c.session.user.id, machine_id: null, asset_id: null, created: now, modified: now, due_date: '0000-00-00 00:00:00', is_manual_due_date: 0, resolution: '', cc_list: '', custom: {} };
				const recs = list.map((el) => applyTicket(blank, el, true));
				const ids = recs.map((rec) => {
					rec.id = nextTicketId++;
					addChange({ ticket: rec.id, at: now, user: c.session.user.id, description: 'Ticket Created', comment: rec._comment ?? '', ownersOnly: !!rec._ownersOnly });
					delete rec._comment; delete rec._ownersOnly;
					state.tickets.push(rec); idx.ticket.set(rec.id, rec);
					return rec.id;
				});
				touchData();
				return A(200, { Result: 'Success', IDs: ids });
			},
			bodyRequired: ['POST'], userWritable: ['POST'],
		},
		{
			re: /^\/api\/service_desk\/tickets\/(\d+)$/,
			GET: (c, m) => {
				const t = need(idx.ticket, Number(m[1]), 'Ticket');
				const u = c.session.user;
				if (u.role === 'user' && t.submitter_id !== u.id && t.owner_id !== u.id) throw notFound(`Ticket ${t.id} not found`);
				// READING: custom_N values are returned only by get-by-id (list calls omit them, reference §3.5)
				return A(200, oneBody(c.q, S.ticket, t, 'Tickets', (r) => ({ ...r.custom })));
			},
			PUT: (c, m) => updateTicket(c, m),
			POST: (c, m) => updateTicket(c, m),
			DELETE: (c, m) => {
				const t = need(idx.ticket, Number(m[1]), 'Ticket');
				state.tickets.splice(state.tickets.indexOf(t), 1);
				idx.ticket.delete(t.id);
				state.changes = state.changes.filter((ch) => ch.hd_ticket_id !== t.id);
				touchData();
				return A(200, { Result: 'Success' });
			},
			bodyRequired: ['PUT', 'POST'], userWritable: ['PUT', 'POST'],
		},
		{
			re: /^\/api\/service_desk\/tickets\/(\d+)\/changes$/,
			GET: (c, m) => {
				const t = need(idx.ticket, Number(m[1]), 'Ticket');
				const u = c.session.user;
				if (u.role === 'user' && t.submitter_id !== u.id && t.owner_id !== u.id) throw notFound(`Ticket ${t.id} not found`);
				// a standard user does not see the comments only owners may read
				const rows = state.changes.filter((ch) => ch.hd_ticket_id === t.id && (u.role !== 'user' || !ch.owners_only));
				return A(200, listBody(c.q, S.change, rows, 'Changes', `t${t.id}|${u.role}|${rows.length}`));
			},
		},
		{
			// READING: a plain user object, no "Users" envelope
			re: /^\/api\/users\/me$/,
			GET: (c) => A(200, shape(c.session.user, S.user, { base: LEVELS.standard, subs: new Map() })),
		},
		{ re: /^\/api\/users\/users$/, GET: (c) => A(200, listBody(c.q, S.user, state.users, 'Users')) },
		{ re: /^\/api\/users\/users\/(\d+)$/, GET: (c, m) => A(200, oneBody(c.q, S.user, need(idx.user, Number(m[1]), 'User'), 'Users')) },
	];
	function updateTicket(c, m) {
		const t = need(idx.ticket, Number(m[1]), 'Ticket');
		const u = c.session.user;
		if (u.role === 'user' && t.submitter_id !== u.id) throw new ApiError(403, 'Insufficient permissions');
		const list = envelope(c.json, 'Tickets');
		let next = t;
		const comments = [];
		for (const el of list) {
			if (el.id !== undefined && asInt(el.id) !== t.id) throw bad(`Ticket id in body (${el.id}) does not match the id in the URL (${t.id})`);
			next = applyTicket(next, el, false);
			if (next._comment) comments.push({ text: next._comment, ownersOnly: !!next._ownersOnly });
		}
		const now = fmt(clock.now());
		const description = describeChanges(t, next);
		delete next._comment; delete next._ownersOnly;
		Object.assign(t, next, { modified: now });
		if (!comments.length) addChange({ ticket: t.id, at: now, user: u.id, description });
		comments.forEach((cm, n) => addChange({ ticket: t.id, at: now, user: u.id, comment: cm.text, ownersOnly: cm.ownersOnly, description: n === 0 ? description : '' }));
		touchData();
		return A(200, { Result: 'Success' });
	}

	/* ---- sessions ---- */
	function sessionAlive(s) {
		if (s.expired) return false;
		if (clock.now() - s.lastUsedAt > sim.sessionTtlMs) { s.expired = true; s.expiredReason = 'idle'; return false; }
		if (sim.maxRequestsPerSession && s.requestCount >= sim.maxRequestsPerSession) { s.expired = true; s.expiredReason = 'maxRequests'; return false; }
		return true;
	}
	function checkVersion(headers, legacyDell, atLogin) {
		let name = versionHeader;
		let value = headerValue(headers, versionHeader);
		if (value === undefined && legacyDellAllowed && (atLogin || legacyDell)) {
			value = headerValue(headers, 'x-dell-api-version');
			name = 'x-dell-api-version';
		}
		if (value === undefined || value.trim() === '') throw bad(`Missing ${versionHeader} header`);
		if (!/^\d+$/.test(value.trim()) || Number(value.trim()) < 1) throw bad(`Invalid ${name} header value '${value}'`);
		return Number(value.trim());
	}
	/** the session of an AMS/API request, all checks applied (throws ApiError) */
	function authenticate(c, { api }) {
		const cookies = parseCookies(c.headers.cookie);
		const kbox = cookies.get('kboxid');
		const s = kbox ? state.sessions.get(kbox) : undefined;
		const version = checkVersion(c.headers, s && s.legacyDell, false);
		if (!kbox) throw new ApiError(401, 'Not logged in');
		if (!s || !sessionAlive(s)) throw new ApiError(401, 'Expired token');
		if (cookies.get(jwtCookie) !== s.jwt) throw new ApiError(401, 'Invalid token');
		if (csrfHeader) {
			if (headerValue(c.headers, csrfHeader) !== s.csrf || cookies.get('KACE_CSRF_TOKEN') !== s.csrf) {
				// READING (option csrfRefusalStatus 403): some builds refuse a stale CSRF token with 403, not 401
				throw opts.csrfRefusalStatus === 403 ? new ApiError(403, 'CSRF token validation failed') : new ApiError(401, 'Invalid CSRF token');
			}
		}
		if (mode === '14' && headerValue(c.headers, 'x-kace-authorization') !== s.authorization) throw new ApiError(401, 'Invalid authorization');
		if (api && s.pending2fa) throw new ApiError(401, 'User not fully authenticated.');
		s.lastUsedAt = clock.now();
		if (api) s.requestCount++;
		if (s.rotatePending && csrfHeader) {
			// READING: the rotated token arrives in the CSRF response header and the KACE_CSRF_TOKEN cookie of this
			// response; the old token is refused from now on (401 "Invalid CSRF token")
			s.rotatePending = false;
			s.csrf = randomToken();
			c.extra[csrfHeader] = s.csrf;
			c.cookies.push(`KACE_CSRF_TOKEN=${s.csrf}; path=/${opts.tls ? '; Secure' : ''}`);
		}
		return { session: s, version };
	}

	function login(c) {
		const version = checkVersion(c.headers, false, true);
		if (!isJsonContentType(c.headers['content-type'])) throw new ApiError(415, 'Unsupported Media Type: Content-Type must be application/json');
		if (!c.json || typeof c.json !== 'object' || Array.isArray(c.json)) throw bad('Invalid request body');
		const { userName, password, organizationName } = c.json;
		const fail = (msg = 'Invalid user or password') => { state.logins.failed++; return new ApiError(401, msg); };
		const user = typeof userName === 'string'
			? loginUsers.find((u) => u.user_name.toLowerCase() === userName.trim().toLowerCase()) : undefined;
		if (!user) throw fail();
		if (user.locked) throw fail('Account locked');
		// READING (option orgSelection 'ignored'): organizationName is ignored and the session lands in the user's
		// default organization, which KACE_LAST_ORG_SECURE reports (reference §4.2 #8)
		const orgOk = opts.orgSelection === 'ignored' || organizationName === undefined || organizationName === null || organizationName === ''
			|| (typeof organizationName === 'string' && organizationName.trim().toLowerCase() === user.organization.toLowerCase());
		if (typeof password !== 'string' || password !== user.password || !orgOk) {
			user.failedLogins++;
			if (sim.lockAfterFailures && user.failedLogins >= sim.lockAfterFailures) user.locked = true;
			throw fail();
		}
		user.failedLogins = 0;
		state.logins.ok++;
		const now = clock.now();
		const s = {
			kboxid: randomToken(16), user, organization: user.organization, version,
			legacyDell: legacyDellAllowed && headerValue(c.headers, 'x-dell-api-version') !== undefined,
			jwt: fakeJwt({ sub: user.user_name, org: user.organization, iat: Math.floor(now / 1000) }),
			csrf: csrfHeader ? randomToken() : undefined, authorization: mode === '14' ? randomToken(24) : undefined,
			pending2fa: !!user.totpSecret, createdAt: now, lastUsedAt: now, requestCount: 0, expired: false, rotatePending: false,
		};
		state.sessions.set(s.kboxid, s);
		const sec = opts.tls ? '; Secure' : '';
		const reportsOrg = opts.reportsOrganization !== false;
		c.cookies.push(
			`kboxid=${s.kboxid}; path=/; HttpOnly${sec}`,
			`KACE_LAST_USER_SECURE=${encodeURIComponent(user.user_name)}; path=/${sec}`,
			...(reportsOrg ? [`KACE_LAST_ORG_SECURE=${encodeURIComponent(user.organization)}; path=/${sec}`] : []),
			`${jwtCookie}=${s.jwt}; path=/; HttpOnly${sec}`,
		);
		if (csrfHeader) {
			c.cookies.push(`KACE_CSRF_TOKEN=${s.csrf}; path=/${sec}`);
			c.extra[csrfHeader] = s.csrf;
		}
		if (s.authorization) c.extra['x-kace-authorization'] = s.authorization;
		return A(200, { userName: user.user_name, ...(reportsOrg ? { organizationName: user.organization } : {}), twoFactorRequired: s.pending2fa });
	}

	function verify2fa(c) {
		const { session: s } = authenticate(c, { api: false });
		if (!isJsonContentType(c.headers['content-type'])) throw new ApiError(415, 'Unsupported Media Type: Content-Type must be application/json');
		if (!c.json || typeof c.json !== 'object' || typeof c.json.currentCode !== 'string') throw bad('currentCode is required');
		if (!s.user.totpSecret) throw bad('Two-factor authentication is not enabled for this user');
		if (!verifyTotp(s.user.totpSecret, c.json.currentCode.trim(), clock.now())) throw new ApiError(401, 'Invalid verification code');
		s.pending2fa = false;
		return A(200, { Result: 'Success' });
	}

	/* ---- dispatcher ---- */
	const AMS = {
		'/ams/shared/api/security/login': { POST: login },
		'/ams/shared/api/security/verify_2factor': { POST: verify2fa },
		'/ams/shared/api/security/logout': {
			GET: (c) => {
				const { session: s } = authenticate(c, { api: false });
				s.expired = true; s.expiredReason = 'logout';
				c.cookies.push('kboxid=deleted; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT');
				return A(200, { Result: 'Success' });
			},
		},
	};

	async function handle(ctx) {
		const c = { ...ctx, q: parseRawQuery(ctx.rawQuery), extra: {}, cookies: [] };
		const reply = (status, body, headers = {}) => {
			const h = { Date: new Date(clock.now()).toUTCString(), ...c.extra, ...headers };
			if (c.cookies.length) h['Set-Cookie'] = c.cookies;
			ctx.send(status, body, h);
		};
		// Apache in front of the appliance: LimitRequestLine
		if (Buffer.byteLength(ctx.req.url) > 8192) {
			return reply(414, '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN"><html><head><title>414 Request-URI Too Long</title></head><body><h1>Request-URI Too Long</h1><p>The requested URL\'s length exceeds the capacity limit for this server.</p></body></html>', { 'Content-Type': 'text/html; charset=iso-8859-1' });
		}
		const p = ctx.path;
		try {
			if (p.startsWith('/ams/')) {
				const r = AMS[p];
				if (!r) throw notFound();
				const fn = r[ctx.method];
				if (!fn) throw new ApiError(405, 'Method not allowed', { Allow: Object.keys(r).join(', ') });
				const res = fn(c);
				return reply(res.status, res.body);
			}
			if (p === '/api' || p.startsWith('/api/')) {
				const { session, version } = authenticate(c, { api: true });
				c.session = session;
				let m; let route;
				for (const r of routes) { m = r.re.exec(p); if (m) { route = r; break; } }
				if (!route) throw notFound();
				const fn = route[ctx.method];
				if (typeof fn !== 'function') {
					throw new ApiError(405, 'Method not allowed', { Allow: ['GET', 'POST', 'PUT', 'DELETE'].filter((x) => typeof route[x] === 'function').join(', ') });
				}
				// KB 4302920: version 1 of the asset routes does not exist
				if (route.asset && version === 1) throw notFound();
				if (ctx.method !== 'GET') {
					const role = session.user.role;
					if (role === 'readonly' || (role === 'user' && !(route.userWritable || []).includes(ctx.method))) throw new ApiError(403, 'Insufficient permissions');
				}
				if ((ctx.method === 'POST' || ctx.method === 'PUT') && ctx.bodyText !== '') {
					if (!isJsonContentType(ctx.headers['content-type'])) throw new ApiError(415, 'Unsupported Media Type: Content-Type must be application/json');
					if (ctx.json === undefined) throw bad('Invalid JSON body');
				}
				if ((route.bodyRequired || []).includes(ctx.method) && ctx.bodyText === '') throw bad('Missing request body');
				const res = fn(c, m);
				return reply(res.status, res.body);
			}
			return reply(404, '<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>', { 'Content-Type': 'text/html' });
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			return reply(e.status, { errorCode: -1, errorDescription: e.message }, e.headers || {});
		}
	}

	const sim = createSimServer({ name: 'kace', clock, tls: opts.tls }, handle);
	Object.assign(sim, {
		mode,
		state,
		sessionTtlMs: opts.sessionTtlMs ?? 3_600_000,
		maxRequestsPerSession: opts.maxRequestsPerSession,
		defaultPageSize: opts.defaultPageSize ?? 50,
		lockAfterFailures: opts.lockAfterFailures ?? null,
		/**
		 * Changes the machine inventory as a console user would meanwhile: `add` names of new machines (next ids),
		 * `remove` ids to delete. Lists reflect it from the next request on.
		 */
		mutateMachines({ add = [], remove = [] } = {}) {
			for (const id of remove) {
				const i = state.machines.findIndex((m) => m._id === id);
				if (i >= 0) state.machines.splice(i, 1);
				idx.machine.delete(id);
			}
			for (const name of add) {
				const id = state.machines.reduce((max, m) => Math.max(max, m._id), 0) + 1;
				const rec = generateMachine(id, epoch);
				rec.Name = name;
				state.machines.push(rec);
				idx.machine.set(id, rec);
			}
			touchData();
		},
		/**
		 * Adds a ticket as a console user would, stamped `at` (ms, default now on the simulator clock; created and
		 * modified). Returns its id.
		 */
		addTicket({ title = 'Console ticket', queue = 1, at } = {}) {
			const q = idx.queue.get(queue);
			const when = fmt(at ?? clock.now());
			const rec = {
				id: nextTicketId++, title, summary: '', hd_queue_id: queue, status_id: q._statusIds[0], priority_id: q._priorityIds[1],
				category_id: null, impact_id: null, owner_id: null, submitter_id: loginUsers[0].id, machine_id: null, asset_id: null,
				created: when, modified: when, due_date: '0000-00-00 00:00:00', is_manual_due_date: 0, resolution: '', cc_list: '', custom: {},
			};
			state.tickets.push(rec); idx.ticket.set(rec.id, rec);
			addChange({ ticket: rec.id, at: when, user: rec.submitter_id, description: 'Ticket Created' });
			touchData();
			return rec.id;
		},
		/**
		 * A comment added in the console at `at` (ms, default now on the simulator clock): a change of the ticket's
		 * history, and the ticket's modified time moves there. Returns the change id.
		 */
		addComment(ticketId, { text = 'Console comment', at, userId, ownersOnly = false } = {}) {
			const t = idx.ticket.get(ticketId);
			if (!t) throw new Error(`no ticket ${ticketId}`);
			const when = fmt(at ?? clock.now());
			const ch = addChange({ ticket: t.id, at: when, user: userId ?? loginUsers[0].id, comment: text, ownersOnly });
			if (when > t.modified) t.modified = when;
			touchData();
			return ch.id;
		},
		/** A machine changed by an inventory at `at` (ms, default now on the simulator clock): Modified moves there. */
		touchMachine(id, at) {
			const rec = idx.machine.get(id);
			if (!rec) throw new Error(`no machine ${id}`);
			rec.Modified = fmt(at ?? clock.now());
			touchData();
		},
		/** every live session answers "Expired token" from now on; returns how many were live */
		expireAllSessions() {
			let n = 0;
			for (const s of state.sessions.values()) if (!s.expired) { s.expired = true; s.expiredReason = 'forced'; n++; }
			return n;
		},
		/** modes 11/12.0: the next authenticated response of each live session carries a new CSRF token; returns count */
		rotateCsrf() {
			if (!csrfHeader) return 0;
			let n = 0;
			for (const s of state.sessions.values()) if (sessionAlive(s)) { s.rotatePending = true; n++; }
			return n;
		},
		liveSessions() { return [...state.sessions.values()].filter((s) => sessionAlive(s)); },
		/** the TOTP code of a user on the simulator clock (offsetSteps: ±n × 30 s) */
		totpFor(userName, offsetSteps = 0) {
			const u = state.users.find((x) => x.user_name.toLowerCase() === String(userName).toLowerCase());
			if (!u || !u.totpSecret) throw new Error(`no TOTP secret for ${userName}`);
			return totp(u.totpSecret, clock.now() + offsetSteps * 30_000);
		},
		unlockUser(userName) {
			const u = state.users.find((x) => x.user_name.toLowerCase() === String(userName).toLowerCase());
			if (u) { u.locked = false; u.failedLogins = 0; }
		},
		/** runStatus of a run as the API would answer it now */
		runStatus(runId) { const r = idx.run.get(runId); return r ? runStatus(r) : undefined; },
		/** call after mutating sim.state directly so cached list results are dropped */
		invalidate() { touchData(); },
		fmt,
	});
	return sim;
}

module.exports = { createKaceSim, totp, verifyTotp, base32Decode, fmt, decodePhp, MODES };
