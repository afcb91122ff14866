'use strict';
/**
 * Strict Kaseya VSA 9 REST API simulator (kaseya-vsa.md), on test/sim/common.js.
 *
 * - GET /api/v1.0/auth with `Authorization: Basic <blob>`: the PAT form base64("user:PAT") and the legacy
 *   hashed form base64("user=…,pass2=…,pass1=…,rpass2=…,rpass1=…,rand2=…"); the hashes are RECOMPUTED from the
 *   user's password and the sent rand2 (§2.3). Issues expiring tokens (`tokenTtlMs`, on sim.clock) and answers with
 *   the envelope, Result.Token (or Result.ApiToken with `tokenField: 'ApiToken'`) and SessionExpiration (true UTC: the sim follows reading A of §2.5, OffSetInMinutes 0).
 *   Refused logins: HTTP 401 with a Failed envelope (`authFailure: 'http'`, default) or HTTP 200 with ResponseCode 401
 *   (`authFailure: 'body'`) — the real form is UNVERIFIED, the node handles both.
 * - Every other route needs `Authorization: Bearer <token>`. Without the word "Bearer" the answer is HTTP 200 with
 *   body `{"ResponseCode":401,"Status":"OK","Error":"None"}` (as seen on 9.3). An unknown or expired token gives
 *   HTTP 401 (`expiredToken: 'http'`, default) or HTTP 200 + ResponseCode 401 (`expiredToken: 'body'`); such requests
 *   are marked `refused` in the request log.
 * - OData: `$top` capped at 100 (silently; default 100), `$skip`, `$orderby` (Field [asc|desc], commas),
 *   TotalRecords on every list answer (unless `sim.reportTotalRecords = false`),
 *   `$filter` subset: eq ne gt ge lt le, and, or, parentheses, substringof('x', F), startswith(F, 'x'),
 *   endswith(F, 'x'), 'text' literals with '' escapes, integers, decimals with the M suffix. Decimal (id) fields
 *   REQUIRE the M suffix and Int32 fields refuse it (HTTP 400 "incompatible types"), unknown fields and other
 *   syntax give HTTP 400. String comparisons are case-insensitive (SQL Server collation).
 * - IIS request filtering (defaults): a query string longer than 2,048 characters gets HTTP 404 with IIS's detailed
 *   "HTTP Error 404.15 - Not Found" page (404.14 for a path over 4,096); with `iisErrors: 'custom'` the generic
 *   remote-client 404 page that does not name the substatus.
 * - `int32Fields`: id fields typed Edm.Int32 (the M suffix is refused); `sim.ignoreOrderBy = true`: $orderby is
 *   checked but the rows come in insertion order (both UNVERIFIED readings of the real VSA).
 * - Ids: AgentId 15 digits, OrgId / MachineGroupId / UserId / AgentProcedureId 26 digits, AlarmId 18 digits; all
 *   written into the JSON text as bare number literals (as the real server does), so JSON.parse would corrupt them.
 * - Roles: 'admin' (default), 'limited' (403 4030001 "Access denied" on /system/* and /assetmgmt/audit/*),
 *   'noAgents' (403 4030001 on /assetmgmt/agents: a Role or Scope without agents),
 *   'noExecute' (runnow/schedule answer 404 like a missing execute right, §6.14).
 * - Agent procedures: runnow (no body, 204) and schedule (body with ScriptPrompts, 204) put an entry in
 *   scheduledprocs; it completes asynchronously `durationMs` later (sim.clock, which also follows real time) when
 *   the agent is online, then moves to history {ScriptName, LastExecutionTime, Status, Admin}. Unknown procedure → 404.
 * - Alarms: /assetmgmt/alarms/true lists the open alarms; /false only those not yet returned to the session token.
 */
const crypto = require('node:crypto');
const { createSimServer, createClock } = require('./common');

const BIG_KEYS = new Set([
	'AgentId', 'OrgId', 'MachineGroupId', 'ParentMachineGroupId', 'ParentOrgId', 'UserId', 'AdminId',
	'AgentProcedureId', 'AlarmId', 'DefaultStaffOrgId',
	'ServiceDeskId', 'ServiceDeskTicketId', 'NoteId', 'StatusId', 'PriorityId', 'CategoryId', 'CustomFieldId', 'OrgStaffId',
	'DeptId', 'AgentGuid',
]);

/** JSON text with the big id fields written as bare number literals. */
function vsaJson(value) {
	const text = JSON.stringify(value, (key, v) => (BIG_KEYS.has(key) && typeof v === 'string' && /^\d+$/.test(v) ? `@@BIG:${v}@@` : v));
	return text.replace(/"@@BIG:(\d+)@@"/g, '$1');
}

const sha256 = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const sha1 = (s) => crypto.createHash('sha1').update(s, 'utf8').digest('hex');

function digits(n, rnd) {
	let s = String(1 + Math.floor(rnd() * 9));
	while (s.length < n) s += String(Math.floor(rnd() * 10));
	return s;
}

function seeded(seed) {
	let x = seed >>> 0 || 1;
	return () => {
		x ^= x << 13; x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5; x >>>= 0;
		return x / 4294967296;
	};
}

// ------------------------------------------------------------------------------------------------------
// OData $filter subset
// ------------------------------------------------------------------------------------------------------

class ODataError extends Error {}

function tokenize(text) {
	const tokens = [];
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (/\s/.test(c)) { i++; continue; }
		if (c === '(' || c === ')' || c === ',') { tokens.push({ t: c }); i++; continue; }
		if (c === "'") {
			let s = '';
			i++;
			for (;;) {
				if (i >= text.length) throw new ODataError("Unterminated string literal");
				if (text[i] === "'") {
					if (text[i + 1] === "'") { s += "'"; i += 2; continue; }
					i++;
					break;
				}
				s += text[i++];
			}
			tokens.push({ t: 'str', v: s });
			continue;
		}
		const num = /^-?\d+(\.\d+)?([mMlLdDfF])?/.exec(text.slice(i));
		if (num && (c === '-' || /\d/.test(c))) {
			const suffix = (num[2] || '').toUpperCase();
			const raw = num[0].replace(/[mMlLdDfF]$/, '');
			if (suffix && suffix !== 'M') throw new ODataError(`Literal suffix '${suffix}' is not supported`);
			tokens.push({ t: 'num', v: raw, decimal: suffix === 'M', fraction: !!num[1] });
			i += num[0].length;
			continue;
		}
		const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
		if (id) { tokens.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
		throw new ODataError(`Syntax error at position ${i} in '${text}'`);
	}
	return tokens;
}

const COMPARE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCS = new Set(['substringof', 'startswith', 'endswith']);

function parseFilter(text) {
	const tokens = tokenize(text);
	let p = 0;
	const peek = () => tokens[p];
	const next = () => tokens[p++];
	const expect = (t) => {
		const tok = next();
		if (!tok || tok.t !== t) throw new ODataError(`Syntax error: '${t}' expected in '${text}'`);
		return tok;
	};
	function operand() {
		const tok = next();
		if (!tok) throw new ODataError(`Syntax error: unexpected end of '${text}'`);
		if (tok.t === 'str') return { kind: 'lit', type: 'string', v: tok.v };
		if (tok.t === 'num') return { kind: 'lit', type: tok.decimal ? 'decimal' : tok.fraction ? 'double' : 'int', v: tok.v };
		if (tok.t === 'id') {
			if (tok.v === 'true' || tok.v === 'false') return { kind: 'lit', type: 'bool', v: tok.v === 'true' };
			if (tok.v === 'null') return { kind: 'lit', type: 'null', v: null };
			return { kind: 'field', name: tok.v };
		}
		throw new ODataError(`Syntax error at '${tok.t}' in '${text}'`);
	}
	function primary() {
		const tok = peek();
		if (!tok) throw new ODataError(`Syntax error: unexpected end of '${text}'`);
		if (tok.t === '(') {
			next();
			const e = orExpr();
			expect(')');
			return e;
		}
		if (tok.t === 'id' && tokens[p + 1] && tokens[p + 1].t === '(') {
			if (!FUNCS.has(tok.v)) throw new ODataError(`Unknown function '${tok.v}'.`);
			next();
			expect('(');
			const a = operand();
			expect(',');
			const b = operand();
			expect(')');
			return { kind: 'func', name: tok.v, args: [a, b] };
		}
		if (tok.t === 'id' && tok.v === 'not') throw new ODataError("The 'not' operator is not supported");
		const left = operand();
		const op = next();
		if (!op || op.t !== 'id' || !COMPARE.has(op.v)) throw new ODataError(`Syntax error: comparison operator expected after '${left.name ?? left.v}' in '${text}'`);
		const right = operand();
		return { kind: 'cmp', op: op.v, left, right };
	}
	function andExpr() {
		let e = primary();
		while (peek() && peek().t === 'id' && peek().v === 'and') { next(); e = { kind: 'and', a: e, b: primary() }; }
		return e;
	}
	function orExpr() {
		let e = andExpr();
		while (peek() && peek().t === 'id' && peek().v === 'or') { next(); e = { kind: 'or', a: e, b: andExpr() }; }
		return e;
	}
	const tree = orExpr();
	if (p < tokens.length) throw new ODataError(`Syntax error at '${tokens[p].v ?? tokens[p].t}' in '${text}'`);
	return tree;
}

/** Checks a parsed filter against an entity's field types; throws ODataError like the server (HTTP 400). */
function typeCheck(node, types, entity) {
	const fieldType = (f) => {
		const t = types[f.name];
		if (!t) throw new ODataError(`Could not find a property named '${f.name}' on type 'Kaseya.${entity}'.`);
		return t;
	};
	const compatible = (ft, lit) => {
		if (lit.type === 'null') return true;
		if (ft === 'string') return lit.type === 'string';
		if (ft === 'decimal') return lit.type === 'decimal';
		if (ft === 'int') {
			if (lit.type !== 'int') return false;
			return /^-?\d{1,10}$/.test(lit.v) && Math.abs(Number(lit.v)) <= 2147483647;
		}
		if (ft === 'bool') return lit.type === 'bool';
		if (ft === 'datetime') return false;
		return false;
	};
	const edm = { string: 'Edm.String', decimal: 'Edm.Decimal', int: 'Edm.Int32', double: 'Edm.Double', bool: 'Edm.Boolean', datetime: 'Edm.DateTime', null: 'null' };
	if (node.kind === 'and' || node.kind === 'or') { typeCheck(node.a, types, entity); typeCheck(node.b, types, entity); return; }
	if (node.kind === 'func') {
		const [a, b] = node.args;
		const field = node.name === 'substringof' ? b : a;
		const lit = node.name === 'substringof' ? a : b;
		if (field.kind !== 'field' || lit.kind !== 'lit') throw new ODataError(`${node.name} expects a field and a string literal`);
		if (fieldType(field) !== 'string' || lit.type !== 'string') throw new ODataError(`No function signature for the function with name '${node.name}' matches the specified arguments.`);
		return;
	}
	if (node.kind === 'cmp') {
		let { left, right } = node;
		if (left.kind !== 'field' || right.kind !== 'lit') throw new ODataError('Only comparisons of the form Field op literal are supported');
		const ft = fieldType(left);
		if (right.type === 'int' && ft === 'decimal' && right.v.replace('-', '').length > 10) {
			throw new ODataError(`Unrecognized 'Edm.Int32' literal '${right.v}'`);
		}
		if (!compatible(ft, right)) {
			throw new ODataError(`A binary operator with incompatible types was detected. Found operand types '${edm[ft]}' and '${edm[right.type]}' for operator kind '${node.op}'.`);
		}
	}
}

function compareValues(a, b, type) {
	if (a === null || a === undefined) return b === null ? 0 : -1;
	if (type === 'decimal') {
		const x = BigInt(String(a).split('.')[0]);
		const y = BigInt(String(b).split('.')[0]);
		return x < y ? -1 : x > y ? 1 : 0;
	}
	// an Int32-typed id column may still hold long digit strings (`int32Fields`): compare them exactly
	if (type === 'int' && /^-?\d+$/.test(String(a)) && /^-?\d+$/.test(String(b))) {
		const x = BigInt(String(a));
		const y = BigInt(String(b));
		return x < y ? -1 : x > y ? 1 : 0;
	}
	if (type === 'int' || type === 'double') return Number(a) - Number(b);
	if (type === 'bool') return (a ? 1 : 0) - (b ? 1 : 0);
	const x = String(a).toLowerCase();
	const y = String(b).toLowerCase();
	return x < y ? -1 : x > y ? 1 : 0;
}

function evaluate(node, row, types) {
	switch (node.kind) {
		case 'and': return evaluate(node.a, row, types) && evaluate(node.b, row, types);
		case 'or': return evaluate(node.a, row, types) || evaluate(node.b, row, types);
		case 'func': {
			const [a, b] = node.args;
			if (node.name === 'substringof') return String(row[b.name] ?? '').toLowerCase().includes(String(a.v).toLowerCase());
			const v = String(row[a.name] ?? '').toLowerCase();
			return node.name === 'startswith' ? v.startsWith(String(b.v).toLowerCase()) : v.endsWith(String(b.v).toLowerCase());
		}
		case 'cmp': {
			const ft = types[node.left.name];
			const v = row[node.left.name];
			if (node.right.type === 'null') return node.op === 'eq' ? v === null || v === undefined : v !== null && v !== undefined;
			const c = compareValues(v, node.right.v, ft);
			return { eq: c === 0, ne: c !== 0, gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[node.op];
		}
		default: return false;
	}
}

/**
 * A value's sort key, ordered like compareValues: whole numbers (ids of up to 40 digits) as zero-padded strings,
 * other numbers as numbers, text case-insensitive; null and missing first.
 */
function sortKey(v, type) {
	if (v === null || v === undefined) return type === 'double' || type === 'bool' ? Number.NEGATIVE_INFINITY : '';
	if (type === 'decimal' || type === 'int') {
		const t = String(v).split('.')[0];
		if (/^\d{1,40}$/.test(t)) return `#${t.padStart(40, '0')}`;
		if (type === 'int') return `#${String(Math.trunc(Number(v))).padStart(40, '0')}`;
	}
	if (type === 'double') return Number(v);
	if (type === 'bool') return v ? 1 : 0;
	return `#${String(v).toLowerCase()}`;
}

/** `options.ignoreOrderBy`: the server checks $orderby but answers in its own (insertion) order (UNVERIFIED reading). */
function applyOData(rows, query, types, entity, { ignoreOrderBy = false, sortCache } = {}) {
	let list = rows;
	const filter = query.get('$filter');
	if (filter !== null && filter !== '') {
		const tree = parseFilter(filter);
		typeCheck(tree, types, entity);
		list = list.filter((r) => evaluate(tree, r, types));
	}
	const orderby = query.get('$orderby');
	if (orderby) {
		const keys = orderby.split(',').map((part) => {
			const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
			if (!m) throw new ODataError(`Syntax error in $orderby '${orderby}'`);
			if (!types[m[1]]) throw new ODataError(`Could not find a property named '${m[1]}' on type 'Kaseya.${entity}'.`);
			return { field: m[1], desc: (m[2] || '').toLowerCase() === 'desc' };
		});
		// one sort key per row and field, compared cheaply (a SQL Server sorts by an index; thousands of BigInt
		// comparisons per request would make the simulator, not the client, the slow part of a benchmark)
		if (!ignoreOrderBy) {
			// the same rows with the same sort values as the previous request (the pages of one read): the same order
			const id = `${entity}|${filter ?? ''}|${orderby}`;
			const cached = sortCache?.get(id);
			const same = cached && cached.rows.length === list.length &&
				list.every((r, i) => r === cached.rows[i] && keys.every((k, j) => r[k.field] === cached.values[j][i]));
			if (same) list = cached.sorted;
			else {
				// whole numbers that all fit a double exactly (15-digit AgentIds) compare fastest as numbers
				const numeric = keys.map((k) => ['decimal', 'int'].includes(types[k.field]) && list.every((r) => r[k.field] === null || r[k.field] === undefined || /^\d{1,15}$/.test(String(r[k.field]))));
				const keyed = list.map((row) => ({ row, k: keys.map((k, i) => (numeric[i] ? Number(row[k.field] ?? -1) : sortKey(row[k.field], types[k.field]))) }));
				const sorted = keyed.sort((x, y) => {
					for (let i = 0; i < keys.length; i++) {
						const a = x.k[i];
						const b = y.k[i];
						if (a !== b) return (a < b ? -1 : 1) * (keys[i].desc ? -1 : 1);
					}
					return 0;
				}).map((e) => e.row);
				sortCache?.set(id, { rows: [...list], values: keys.map((k) => list.map((r) => r[k.field])), sorted });
				list = sorted;
			}
		}
	}
	const total = list.length;
	const skipRaw = query.get('$skip');
	const topRaw = query.get('$top');
	if (skipRaw !== null && !/^\d+$/.test(skipRaw)) throw new ODataError(`Invalid value '${skipRaw}' for $skip`);
	if (topRaw !== null && !/^\d+$/.test(topRaw)) throw new ODataError(`Invalid value '${topRaw}' for $top`);
	const skip = skipRaw === null ? 0 : Number(skipRaw);
	const top = Math.min(100, topRaw === null ? 100 : Number(topRaw));
	return { page: list.slice(skip, skip + top), total };
}

// ------------------------------------------------------------------------------------------------------
// Entities
// ------------------------------------------------------------------------------------------------------

const AGENT_TYPES = {
	AgentId: 'decimal', AgentName: 'string', ComputerName: 'string', OrgId: 'decimal', MachineGroupId: 'decimal',
	MachineGroup: 'string', Online: 'int', OSType: 'string', OSInfo: 'string', OperatingSystem: 'string',
	IPAddress: 'string', LastCheckInTime: 'datetime', CreationDate: 'datetime', FirstCheckIn: 'datetime',
	RamMBytes: 'int', Country: 'string', CurrentUser: 'string', LastLoggedInUser: 'string', AgentVersion: 'int',
	DomainWorkgroup: 'string',
};
const ORG_TYPES = { OrgId: 'decimal', OrgName: 'string', OrgRef: 'string', ParentOrgId: 'decimal', OrgType: 'string' };
const MG_TYPES = { MachineGroupId: 'decimal', MachineGroupName: 'string', ParentMachineGroupId: 'decimal', OrgId: 'decimal' };
const USER_TYPES = { UserId: 'decimal', AdminName: 'string', FirstName: 'string', LastName: 'string', Email: 'string' };
const PROC_TYPES = { AgentProcedureId: 'decimal', AgentProcedureName: 'string', Path: 'string', Description: 'string' };
const SCHED_TYPES = { AgentProcedureId: 'decimal', AgentId: 'decimal' };
const HISTORY_TYPES = { ScriptName: 'string', LastExecutionTime: 'datetime', Status: 'string', Admin: 'string' };
const ALARM_TYPES = {
	AlarmId: 'decimal', AgentId: 'decimal', MachineName: 'string', AlarmSubject: 'string', Message: 'string',
	AlarmState: 'string', EventDateTime: 'datetime', MonitorType: 'string',
};
const APP_TYPES = { ApplicationName: 'string', Description: 'string', Version: 'string', Manufacturer: 'string', ProductName: 'string' };
// Service Desk (module 18), field names as Kaseya's VSAModule and PsKaseya's KTicket read them (kaseya-vsa.md §5.10)
const DESK_TYPES = { ServiceDeskId: 'decimal', ServiceDeskName: 'string', Prefix: 'string', Description: 'string' };
const TICKET_TYPES = {
	ServiceDeskId: 'decimal', ServiceDeskTicketId: 'decimal', TicketRef: 'string', Summary: 'string', TicketStatus: 'string',
	Stage: 'string', Priority: 'string', Severity: 'string', Category: 'string', Submitter: 'string', SubmitterEmail: 'string',
	Assignee: 'string', Owner: 'string', Organization: 'string', Staff: 'string', AgentGuid: 'decimal',
	CreatedDate: 'datetime', ModifiedDate: 'datetime', Closed: 'datetime', Due: 'datetime',
};
const NOTE_TYPES = { NoteId: 'decimal', Text: 'string', Hidden: 'bool', SystemFlag: 'bool', Timestamp: 'datetime', User: 'string' };
const STATUS_TYPES = { StatusId: 'decimal', StatusName: 'string' };
const PRIORITY_TYPES = { PriorityId: 'decimal', PriorityName: 'string' };
const CATEGORY_TYPES = { CategoryId: 'decimal', CategoryName: 'string' };
const DESK_FIELD_TYPES = { CustomFieldId: 'decimal', FieldName: 'string', Caption: 'string', FieldFormat: 'string' };
const STAFF_TYPES = { OrgStaffId: 'decimal', StaffFullName: 'string', OrgId: 'decimal', DeptId: 'decimal', Function: 'string', Email: 'string' };
// agent custom fields (§5.9)
const FIELD_DEF_TYPES = { FieldName: 'string', FieldType: 'string' };
const FIELD_VALUE_TYPES = { FieldName: 'string', FieldValue: 'string' };
const FIELD_TYPE_NAMES = ['string', 'number', 'datetime', 'date', 'time'];
// patch (§5.7; PsKaseya KPatch)
const PATCH_TYPES = {
	PatchDataId: 'int', UpdateClassification: 'int', UpdateCategory: 'int', KBArticleId: 'string', SecurityBulletinId: 'string',
	UpdateTitle: 'string', LastPublishedDate: 'datetime', PatchState: 'int', InstallDate: 'datetime', Ignore: 'int',
	ApprovalStatus: 'int', ProductName: 'string', IsSuperseded: 'bool',
};
// agent logs (§5.11; PsKaseya's log classes)
const TIME_EVENT = { Time: 'datetime', Event: 'string' };
const EVENT_LOG = { EventId: 'int', User: 'string', Category: 'string', Source: 'string', Type: 'string', Time: 'datetime', Description: 'string' };
const LOG_TYPES = {
	agent: TIME_EVENT,
	alarms: TIME_EVENT,
	configurationchanges: TIME_EVENT,
	agentprocedure: { LastExecution: 'datetime', ProcedureHistory: 'string', Status: 'string', Admin: 'string' },
	monitoractions: { Time: 'datetime', SNMPDevice: 'string', Type: 'int', Message: 'string' },
	networkstats: { NetworkStatID: 'int', Time: 'datetime', Application: 'string', BytesSent: 'int', BytesRcvd: 'int' },
	remotecontrol: { StartTime: 'datetime', LastActiveTime: 'datetime', SessionType: 'int', Admin: 'string' },
	legacyremotecontrol: { Time: 'datetime', Type: 'int', Duration: 'int', Admin: 'string' },
	logmonitoring: EVENT_LOG,
};
const EVENT_LOGS = ['application', 'system', 'security', 'directoryservice', 'dnsserver', 'internetexplorer'];
const AUDIT_KINDS = ['latest', 'sysinfo', 'baseline'];

const ONLINE_CYCLE = [1, 0, 2, 11, 12, 0, 1, 199];

/** IIS 10's detailed error page for a request-filtering refusal (404.14 URL too long, 404.15 query string too long). */
function iisDetailedPage(sub, [summary, limit, cause], url) {
	return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>
<title>IIS 10.0 Detailed Error - 404.${sub} - Not Found</title>
<style type="text/css">
<!--
body{margin:0;font-size:.7em;font-family:Verdana,Arial,Helvetica,sans-serif;}
fieldset{padding:0 15px 10px 15px;word-break:break-all;}
h1{font-size:2.4em;margin:0;color:#FFF;}
h3{font-size:1.4em;margin:10px 0 0 0;color:#CC0000;}
h4{font-size:1.2em;margin:10px 0 5px 0;}
-->
</style>
</head>
<body>
<div id="content">
<div class="content-container">
  <h3>HTTP Error 404.${sub} - Not Found</h3>
  <h4>The request filtering module is configured to deny a request where ${summary}.</h4>
</div>
<div class="content-container">
 <fieldset><h4>Most likely causes:</h4>
  <div id="details-left">
   <ul> 	<li>${cause}</li> </ul>
  </div>
 </fieldset>
</div>
<div class="content-container">
 <fieldset><h4>Things you can try:</h4>
  <div id="details-left">
   <ul> 	<li>Verify the configuration/system.webServer/security/requestFiltering/requestLimits@${limit} setting in the applicationhost.config or web.config file.</li> </ul>
  </div>
 </fieldset>
</div>
<div class="content-container">
 <fieldset><h4>Detailed Error Information:</h4>
  <div id="details-left">
   <table border="0" cellpadding="0" cellspacing="0">
    <tr class="alt"><th>Module</th><td>&nbsp;&nbsp;&nbsp;RequestFilteringModule</td></tr>
    <tr><th>Notification</th><td>&nbsp;&nbsp;&nbsp;BeginRequest</td></tr>
    <tr class="alt"><th>Handler</th><td>&nbsp;&nbsp;&nbsp;ExtensionlessUrlHandler-Integrated-4.0</td></tr>
    <tr><th>Error Code</th><td>&nbsp;&nbsp;&nbsp;0x00000000</td></tr>
   </table>
  </div>
  <div id="details-right">
   <table border="0" cellpadding="0" cellspacing="0">
    <tr class="alt"><th>Requested URL</th><td>&nbsp;&nbsp;&nbsp;${url}</td></tr>
    <tr><th>Physical Path</th><td>&nbsp;&nbsp;&nbsp;C:\\Kaseya\\WebPages\\api</td></tr>
    <tr class="alt"><th>Logon Method</th><td>&nbsp;&nbsp;&nbsp;Not yet determined</td></tr>
    <tr><th>Logon User</th><td>&nbsp;&nbsp;&nbsp;Not yet determined</td></tr>
   </table>
   <div class="clear"></div>
  </div>
 </fieldset>
</div>
<div class="content-container">
 <fieldset><h4>More Information:</h4>
  This is a security feature. Do not change this feature unless the scope of the change is fully understood. You can configure the IIS server to reject requests whose ${sub === 15 ? 'query string' : 'URL'} is greater than a specified value. If the request's ${sub === 15 ? 'query string' : 'URL'} is greater than the value, this error is returned. If the ${sub === 15 ? 'query string' : 'URL'} length needs to be increased, modify the configuration/system.webServer/security/requestFiltering/requestLimits@${limit} setting.
  <p><a href="https://go.microsoft.com/fwlink/?LinkID=62293&amp;IIS70Error=404,${sub},0x00000000,17763">View more information &raquo;</a></p>
 </fieldset>
</div>
</div>
</body>
</html>
`;
}

/** IIS's custom (remote client) 404 page: no substatus, whatever the cause. */
const IIS_CUSTOM_404 = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>
<title>404 - File or directory not found.</title>
</head>
<body>
<div id="header"><h1>Server Error</h1></div>
<div id="content">
 <div class="content-container"><fieldset>
  <h2>404 - File or directory not found.</h2>
  <h3>The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.</h3>
 </fieldset></div>
</div>
</body>
</html>
`;

function createVsaSim(options = {}) {
	const rnd = seeded(options.seed ?? 4242);
	const users = (options.users ?? [{ username: 'admin', password: 'P@ssw0rd', pat: '00000000-0000-0000-0000-000000000000' }]).map((u) => ({
		role: 'admin',
		...u,
		UserId: u.UserId ?? digits(26, rnd),
	}));
	const tokenTtlMs = options.tokenTtlMs ?? 30 * 60_000;
	const authFailure = options.authFailure ?? 'http';
	const expiredToken = options.expiredToken ?? 'http';
	const durationMs = options.durationMs ?? 300;

	const state = {
		orgs: [],
		machineGroups: [],
		agents: [],
		procedures: [],
		scheduled: new Map(), // agentId -> [{…, completeAt}]
		history: new Map(), // agentId -> [{ScriptName, LastExecutionTime, Status, Admin}]
		alarms: [],
		audit: new Map(),
		apps: new Map(),
		tokens: new Map(), // token -> {user, expiresAt, seenAlarms:Set}
		logins: [], // {username, method, ok, rand2?}
		renames: [],
		runs: [], // {agentId, procedureId, route, body, at}
		closes: [],
	};

	let sim;
	const clock = options.clock || createClock();
	const now = () => clock.now();
	const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

	// organizations and machine groups (26-digit ids)
	for (const [name, ref] of [['Acme Corp', 'acme'], ['Globex', 'globex'], ["O'Brien & Sons", 'obrien']]) {
		const OrgId = digits(26, rnd);
		state.orgs.push({ OrgId, OrgName: name, OrgRef: ref, OrgType: 'Customer', ParentOrgId: null, Website: `https://${ref}.example` });
		for (const g of ['root', 'servers']) {
			state.machineGroups.push({
				MachineGroupId: digits(26, rnd), MachineGroupName: g === 'root' ? `root.${ref}` : `${g}.root.${ref}`,
				ParentMachineGroupId: null, OrgId,
			});
		}
	}

	let agentSeq = 0;
	function makeAgent(overrides = {}) {
		agentSeq++;
		const mg = state.machineGroups[(agentSeq - 1) % state.machineGroups.length];
		const org = state.orgs.find((o) => o.OrgId === mg.OrgId);
		const computer = overrides.ComputerName ?? `PC-${String(agentSeq).padStart(5, '0')}`;
		const created = overrides.CreationDate ?? iso(Date.UTC(2024, 0, 1) + agentSeq * 60_000);
		const os = ['Windows', 'Windows', 'Linux', 'Mac OS X'][agentSeq % 4];
		const agent = {
			AgentId: overrides.AgentId ?? digits(15, rnd),
			AgentName: `${computer.toLowerCase()}.${mg.MachineGroupName}`,
			ComputerName: computer,
			OrgId: org.OrgId,
			MachineGroupId: mg.MachineGroupId,
			MachineGroup: mg.MachineGroupName,
			Online: ONLINE_CYCLE[agentSeq % ONLINE_CYCLE.length],
			OSType: os,
			OSInfo: os === 'Windows' ? 'Windows 11 Pro x64' : os === 'Linux' ? 'Ubuntu 22.04' : 'macOS 14',
			OperatingSystem: os,
			IPAddress: `10.${(agentSeq >> 16) & 255}.${(agentSeq >> 8) & 255}.${agentSeq & 255}`,
			LastCheckInTime: iso(Date.UTC(2025, 0, 1) + agentSeq * 1000),
			CreationDate: created,
			FirstCheckIn: created,
			RamMBytes: [4096, 8192, 16384][agentSeq % 3],
			Country: 'US',
			CurrentUser: agentSeq % 3 ? `user${agentSeq}` : '',
			LastLoggedInUser: `user${agentSeq}`,
			AgentVersion: 9050000,
			DomainWorkgroup: 'corp.example',
			...overrides,
		};
		if (overrides.ComputerName && !overrides.AgentName) agent.AgentName = `${computer.toLowerCase()}.${mg.MachineGroupName}`;
		return agent;
	}
	const initialAgents = options.agents ?? 25;
	if (Array.isArray(initialAgents)) initialAgents.forEach((a) => state.agents.push(makeAgent(a)));
	else for (let i = 0; i < initialAgents; i++) state.agents.push(makeAgent());

	const procedureDefs = options.procedures ?? [
		{ AgentProcedureName: 'Reboot Now', Path: 'System/Reboot', status: 'Success THEN' },
		{ AgentProcedureName: 'Collect Logs', Path: 'Shared/Support', status: 'Success THEN', prompts: ['ticket'] },
		{ AgentProcedureName: 'Install Patch', Path: 'Shared/Patching/windows', status: 'Success THEN' },
		{ AgentProcedureName: 'Failing Script', Path: 'Shared/Tests', status: 'Failed THEN in step 2' },
		{ AgentProcedureName: "Clear 'Temp' Files", Path: 'Shared/Maintenance', status: 'Success ELSE' },
	];
	for (const def of procedureDefs) {
		state.procedures.push({
			AgentProcedureId: def.AgentProcedureId ?? digits(26, rnd),
			AgentProcedureName: def.AgentProcedureName,
			Path: def.Path ?? 'Shared',
			Description: def.Description ?? `${def.AgentProcedureName} (simulated)`,
			Attributes: null,
			_status: def.status ?? 'Success THEN',
			_prompts: def.prompts ?? [],
			_durationMs: def.durationMs,
		});
	}

	let alarmSeq = 0;
	function addAlarm(overrides = {}) {
		alarmSeq++;
		const agent = overrides.AgentId ? state.agents.find((a) => a.AgentId === overrides.AgentId) : state.agents[alarmSeq % Math.max(1, state.agents.length)];
		const alarm = {
			AlarmId: overrides.AlarmId ?? `${900000000000000000n + BigInt(alarmSeq) * 7n}`,
			AgentId: agent ? agent.AgentId : null,
			MachineName: agent ? agent.AgentName : 'unknown',
			AlarmSubject: overrides.AlarmSubject ?? `Disk space low on ${agent ? agent.ComputerName : 'unknown'}`,
			Message: overrides.Message ?? 'Free space on C: below 10%',
			AlarmState: 'Open',
			MonitorType: 'Counter',
			EventDateTime: iso(now()),
			...overrides,
		};
		state.alarms.push(alarm);
		return alarm;
	}
	for (let i = 0; i < (options.alarms ?? 3); i++) addAlarm();

	// ---------------------------------------------------------------------------------------------------
	// Service Desk, staff, agent custom fields, patch, agent notes and logs (issue 13)
	// ---------------------------------------------------------------------------------------------------
	Object.assign(state, {
		serviceDesks: [],
		tickets: [],
		ticketNotes: new Map(), // ServiceDeskTicketId -> [{NoteId, Text, Hidden, SystemFlag, Timestamp, User}]
		ticketActions: [], // {ticketId, what, value}
		staff: [],
		fieldDefs: [
			{ FieldName: 'Warranty End', FieldType: 'date' },
			{ FieldName: 'Backup Status', FieldType: 'string' },
		],
		fieldValues: new Map(), // agentId -> {FieldName: value}
		fieldWrites: [], // {agentId, fieldName, value}
		patches: new Map(), // agentId -> missing patches
		patchHistory: new Map(),
		patchScans: [], // {agentId, at}
		patchScanSchedules: new Map(), // agentId -> recurring scan schedule (scannow removes it, as PsKaseya warns)
		patchRuns: [], // {agentIds, body}
		patchSchedules: [], // {agentId, patchIds, body}
		patchCancels: [], // {agentId, patchDataIds}
		auditRuns: [], // {agentId, kind}
		agentNotes: [], // {NoteId, AgentId, Note, Admin, Timestamp}
		agentDeletes: [], // {agentId, uninstallFirst}
		logs: new Map(),
	});
	/** `options.unsupported`: features this VSA build does not offer (their routes answer an HTML 404) */
	const unsupported = new Set(options.unsupported ?? []);
	/** `options.serviceDesk`: 'on' (default), 'off-html' / 'off-json' (the module is not installed: 404 on its routes, UNVERIFIED form) */
	const serviceDeskMode = options.serviceDesk ?? 'on';
	let seq18 = 0;
	const id18 = () => `${700000000000000000n + BigInt(++seq18) * 13n}`;

	function addServiceDesk(name, prefix) {
		const desk = {
			ServiceDeskId: digits(26, rnd), ServiceDeskName: name, Prefix: prefix, Description: `${name} (simulated)`,
			_statuses: ['Open', 'In Progress', 'Waiting', 'Closed'].map((StatusName) => ({ StatusId: digits(26, rnd), StatusName })),
			_priorities: ['Low', 'Medium', 'High', 'Critical'].map((PriorityName) => ({ PriorityId: digits(26, rnd), PriorityName })),
			_categories: ['Hardware', 'Software', 'Network'].map((CategoryName) => ({ CategoryId: digits(26, rnd), CategoryName })),
			_fields: [
				{ CustomFieldId: digits(26, rnd), FieldName: 'ExternalRef', Caption: 'External Reference', FieldFormat: 'String' },
				{ CustomFieldId: digits(26, rnd), FieldName: 'Escalated', Caption: 'Escalated', FieldFormat: 'String' },
			],
			_seq: 0,
		};
		state.serviceDesks.push(desk);
		return desk;
	}
	function addTicket(deskOrId, overrides = {}) {
		const desk = typeof deskOrId === 'object' ? deskOrId : state.serviceDesks.find((d) => d.ServiceDeskId === deskOrId) ?? state.serviceDesks[0];
		desk._seq++;
		const created = overrides.CreatedDate ?? iso(now());
		const ticket = {
			ServiceDeskId: desk.ServiceDeskId,
			ServiceDeskTicketId: overrides.ServiceDeskTicketId ?? id18(),
			TicketRef: `${desk.Prefix}${String(desk._seq).padStart(6, '0')}`,
			Summary: `Ticket ${desk._seq} of ${desk.ServiceDeskName}`,
			TicketStatus: desk._statuses[0].StatusName,
			Stage: 'Identified',
			Priority: desk._priorities[1].PriorityName,
			Severity: 'Medium',
			Category: desk._categories[desk._seq % desk._categories.length].CategoryName,
			Submitter: 'Pat User',
			SubmitterEmail: 'pat.user@example.com',
			Assignee: null,
			Owner: null,
			Organization: state.orgs[0].OrgName,
			Staff: null,
			AgentGuid: null,
			CreatedDate: created,
			ModifiedDate: created,
			Closed: null,
			Due: null,
			_description: '',
			_fields: {},
			...overrides,
		};
		state.tickets.push(ticket);
		return ticket;
	}
	const ticketTouched = (ticket) => {
		// the VSA stamps changes to the second; never before the creation
		ticket.ModifiedDate = iso(Math.max(now(), Date.parse(ticket.CreatedDate)));
	};
	if (serviceDeskMode === 'on') {
		for (const [name, prefix] of [['Standard', 'STD'], ['Incidents', 'INC']]) {
			const desk = addServiceDesk(name, prefix);
			const count = options.ticketsPerDesk ?? 12;
			for (let i = 0; i < count; i++) addTicket(desk, { CreatedDate: iso(Date.UTC(2025, 0, 1) + (i + 1) * 3_600_000 + state.serviceDesks.length * 60_000) });
		}
	}
	for (const [i, name] of ['Alex Admin', "Dana O'Connor", 'Sam Support'].entries()) {
		const org = state.orgs[i % state.orgs.length];
		state.staff.push({ OrgStaffId: digits(26, rnd), StaffFullName: name, OrgId: org.OrgId, DeptId: digits(26, rnd), Function: 'Technician', Email: `${name.split(' ')[0].toLowerCase()}@example.com` });
	}

	function patchesOf(agent) {
		if (!state.patches.has(agent.AgentId)) {
			const n = 4 + (Number(agent.AgentId.slice(-1)) % 4);
			const rows = [];
			for (let i = 0; i < n; i++) {
				const kb = 5030000 + Number(agent.AgentId.slice(-3)) + i * 17;
				rows.push({
					PatchDataId: 1000 + i * 7 + Number(agent.AgentId.slice(-2)), UpdateClassification: 100 + (i % 3), UpdateCategory: i % 2,
					KBArticleId: `KB${kb}`, SecurityBulletinId: i % 2 ? `MS25-${String(i).padStart(3, '0')}` : '', UpdateTitle: `Cumulative Update ${i + 1} (KB${kb})`,
					LastPublishedDate: '2025-05-13T00:00:00Z', PatchState: 0, InstallDate: null, Ignore: 0,
					// 0 approved, 1 denied, 2 pending approval (UNVERIFIED codes)
					ApprovalStatus: i === 1 ? 1 : i % 3 === 2 ? 2 : 0, ProductName: 'Windows 11', IsSuperseded: false,
				});
			}
			state.patches.set(agent.AgentId, rows);
			state.patchHistory.set(agent.AgentId, [
				{ PatchDataId: 900, KBArticleId: 'KB5001000', UpdateTitle: 'Servicing Stack Update', InstallDate: '2025-03-11T02:00:00Z', PatchState: 1, ProductName: 'Windows 11' },
				{ PatchDataId: 901, KBArticleId: 'KB5001001', UpdateTitle: 'Cumulative Update', InstallDate: '2025-04-08T02:00:00Z', PatchState: 1, ProductName: 'Windows 11' },
			]);
			if (Number(agent.AgentId.slice(-1)) % 2 === 0) state.patchScanSchedules.set(agent.AgentId, { Repeat: 'Weeks', Times: 1, DaysOfWeek: 'Sunday' });
		}
		return state.patches.get(agent.AgentId);
	}
	function patchStatus(agent) {
		patchesOf(agent);
		const scans = state.patchScans.filter((x) => x.agentId === agent.AgentId);
		const recurring = state.patchScanSchedules.get(agent.AgentId);
		return {
			AgentId: agent.AgentId, AgentType: 0,
			LastPatchScan: scans.length ? iso(scans[scans.length - 1].at) : '2025-05-01T03:00:00Z',
			NextPatchScan: recurring ? '2030-01-06T03:00:00Z' : null,
			NextRunTime: null, ScanResultsPending: scans.length ? 'true' : 'false',
			RebootDay: 'Sunday', RebootTime: '03:00', RunCount: 0,
		};
	}
	function logsOf(agent, kind) {
		const key = `${agent.AgentId}|${kind}`;
		if (kind === 'alarms') {
			return state.alarms.filter((a) => a.AgentId === agent.AgentId).map((a) => ({ Time: a.EventDateTime, Event: `${a.AlarmSubject}: ${a.Message}` }));
		}
		if (kind === 'agentprocedure') {
			return (state.history.get(agent.AgentId) ?? []).map((h) => ({ LastExecution: h.LastExecutionTime, ProcedureHistory: h.ScriptName, Status: h.Status, Admin: h.Admin }));
		}
		if (!state.logs.has(key)) {
			const rows = [];
			const n = kind === 'agent' ? 130 : 8;
			for (let i = 0; i < n; i++) {
				const Time = iso(Date.UTC(2025, 4, 1) + i * 60_000);
				if (kind === 'agent' || kind === 'configurationchanges') rows.push({ Time, Event: `${kind === 'agent' ? 'Agent checked in' : 'Configuration changed'} (#${i + 1})` });
				else if (kind === 'monitoractions') rows.push({ Time, SNMPDevice: '', Type: 1, Message: `Monitor action ${i + 1}` });
				else if (kind === 'networkstats') rows.push({ NetworkStatID: i + 1, Time, Application: 'svchost.exe', BytesSent: 1000 * i, BytesRcvd: 2000 * i });
				else if (kind === 'remotecontrol') rows.push({ StartTime: Time, LastActiveTime: Time, SessionType: 1, Admin: 'admin' });
				else if (kind === 'legacyremotecontrol') rows.push({ Time, Type: 1, Duration: 60, Admin: 'admin' });
				else rows.push({ EventId: 7000 + i, User: 'SYSTEM', Category: 'None', Source: kind === 'security' ? 'Microsoft-Windows-Security-Auditing' : 'Service Control Manager', Type: i % 3 ? 'Information' : 'Error', Time, Description: `Event ${7000 + i} (${kind})` });
			}
			state.logs.set(key, rows);
		}
		return state.logs.get(key);
	}

	// ---------------------------------------------------------------------------------------------------
	// helpers
	// ---------------------------------------------------------------------------------------------------
	const envelope = (Result, extra = {}) => ({ ...extra, Result, ResponseCode: 0, Status: 'OK', Error: 'None' });

	function reply(ctx, status, body, headers = {}) {
		const h = { 'Content-Type': 'application/json; charset=utf-8', Date: new Date(now()).toUTCString(), ...headers };
		if (body === undefined) return ctx.send(status, '', { Date: h.Date });
		return ctx.send(status, typeof body === 'string' ? body : vsaJson(body), h);
	}
	const fail = (ctx, status, code, error) => reply(ctx, status, { Result: null, ResponseCode: code, Status: 'Failed', Error: error });
	const accessDenied = (ctx) => fail(ctx, 403, 4030001, 'Access denied');
	const notFound = (ctx, what) => fail(ctx, 404, 404, `${what} not found`);

	function list(ctx, rows, types, entity) {
		try {
			const { page, total } = applyOData(rows, ctx.query, typesOf(types), entity, { ignoreOrderBy: sim.ignoreOrderBy === true, sortCache });
			// `sim.reportTotalRecords = false`: a route that does not report TotalRecords (the client must stop on a short page)
			return reply(ctx, 200, envelope(page.map(publicView), sim.reportTotalRecords === false ? {} : { TotalRecords: total }));
		} catch (e) {
			if (e instanceof ODataError) return fail(ctx, 400, 400, e.message);
			throw e;
		}
	}
	const sortCache = new Map();
	/** `options.int32Fields`: id fields this VSA types Edm.Int32 in $filter/$orderby (kaseya-vsa.md §4: "OrgId … Edm.Int32 on some entities") */
	const int32Fields = new Set(options.int32Fields ?? []);
	function typesOf(types) {
		if (!int32Fields.size) return types;
		return Object.fromEntries(Object.entries(types).map(([k, v]) => [k, int32Fields.has(k) ? 'int' : v]));
	}
	function publicView(row) {
		const out = {};
		for (const [k, v] of Object.entries(row)) if (!k.startsWith('_')) out[k] = v;
		return out;
	}

	function processProcedures() {
		const t = now();
		for (const [agentId, entries] of state.scheduled) {
			const agent = state.agents.find((a) => a.AgentId === agentId);
			const remaining = [];
			for (const e of entries) {
				const online = agent && [1, 2, 11, 12].includes(agent.Online);
				if (!online && e.SkipIfOffLine && t >= e._startAt) {
					pushHistory(agentId, { ScriptName: e._name, LastExecutionTime: iso(t), Status: 'Skipped - agent offline', Admin: e._admin });
					continue;
				}
				if (online && t >= e._completeAt) {
					pushHistory(agentId, { ScriptName: e._name, LastExecutionTime: iso(Math.max(e._completeAt, e._startAt)), Status: e._status, Admin: e._admin });
					continue;
				}
				// an offline agent runs it once it is online again
				if (!online) e._completeAt = Math.max(e._completeAt, t + e._duration);
				remaining.push(e);
			}
			state.scheduled.set(agentId, remaining);
		}
	}
	function pushHistory(agentId, row) {
		const h = state.history.get(agentId) ?? [];
		h.push(row);
		state.history.set(agentId, h);
	}

	function auditSummary(agent) {
		return {
			AgentGuid: agent.AgentId, ComputerName: agent.ComputerName, OsInfo: agent.OSInfo, IpAddress: agent.IPAddress,
			MacAddress: '00-11-22-33-44-55', Manufacturer: 'Dell Inc.', SystemSerialNumber: `SN${agent.AgentId.slice(-6)}`,
			RamMBytes: agent.RamMBytes, FreeSpace: 51200, LastCheckinTime: agent.LastCheckInTime,
		};
	}
	function appsOf(agent) {
		if (!state.apps.has(agent.AgentId)) {
			const count = 30 + (Number(agent.AgentId.slice(-2)) % 120);
			const apps = [];
			for (let i = 0; i < count; i++) {
				apps.push({
					ApplicationName: `app${String(i).padStart(3, '0')}.exe`, Description: `Application ${i}`, Version: `1.${i}.0`,
					Manufacturer: i % 2 ? 'Contoso' : 'Fabrikam', ProductName: `Product ${i}`, DirectoryPath: `C:\\Program Files\\App${i}`,
					Size: 1000 + i, LastModifiedDate: '2024-06-01T00:00:00Z',
				});
			}
			state.apps.set(agent.AgentId, apps);
		}
		return state.apps.get(agent.AgentId);
	}

	/**
	 * IIS's answer when request filtering refuses a request: HTTP 404 (the substatus is only in IIS's log and in
	 * the detailed error page). `options.iisErrors`: 'detailed' (default: the page IIS shows with detailed errors
	 * on, as the issue's check saw it) or 'custom' (IIS's default for remote clients, errorMode DetailedLocalOnly:
	 * the generic 404 page, without the substatus).
	 */
	function iisRequestFiltering(ctx, sub) {
		const html = { 'Content-Type': 'text/html', Server: 'Microsoft-IIS/10.0' };
		if (options.iisErrors === 'custom') {
			return ctx.send(404, IIS_CUSTOM_404, html);
		}
		const what = sub === 15
			? ['the query string is too long', 'maxQueryString', 'Request filtering is configured on the Web server to deny the request because the query string is too long.']
			: ['the request URL is too long', 'maxUrl', 'Request filtering is configured on the Web server to deny the request because the URL is too long.'];
		const url = `${sim.url}${ctx.path}${ctx.rawQuery ? `?${ctx.rawQuery}` : ''}`.replace(/&/g, '&amp;').replace(/</g, '&lt;');
		return ctx.send(404, iisDetailedPage(sub, what, url), html);
	}

	// ---------------------------------------------------------------------------------------------------
	// auth
	// ---------------------------------------------------------------------------------------------------
	function refuse(ctx, message) {
		if (authFailure === 'body') return reply(ctx, 200, { Result: null, ResponseCode: 401, Status: 'Failed', Error: message });
		return fail(ctx, 401, 401, message);
	}

	function handleAuth(ctx) {
		const header = ctx.headers.authorization;
		if (!header) return fail(ctx, 401, 4000001, 'Header missing authorization');
		const m = /^Basic (.+)$/.exec(header);
		if (!m) return fail(ctx, 401, 4000001, 'Header missing user param');
		const plain = Buffer.from(m[1], 'base64').toString('utf8');
		let user;
		let method;
		if (plain.startsWith('user=')) {
			method = 'legacy';
			const fields = {};
			const order = [];
			for (const part of plain.split(',')) {
				const eq = part.indexOf('=');
				if (eq <= 0) return refuse(ctx, 'Invalid credentials');
				fields[part.slice(0, eq)] = part.slice(eq + 1);
				order.push(part.slice(0, eq));
			}
			const rand = fields.rand2;
			user = users.find((u) => u.username === fields.user);
			const entry = { username: fields.user, method, ok: false, rand2: rand, order, plain };
			state.logins.push(entry);
			if (!user || !user.password || !rand || !/^\d+$/.test(rand)) return refuse(ctx, 'Invalid credentials');
			const p = user.password;
			const u = user.username;
			const ok =
				fields.pass2 === sha256(sha256(p + u) + rand) &&
				fields.pass1 === sha1(sha1(p + u) + rand) &&
				(fields.rpass2 === undefined || fields.rpass2 === sha256(p)) &&
				(fields.rpass1 === undefined || fields.rpass1 === sha1(p));
			if (!ok) return refuse(ctx, 'Invalid credentials');
			if (user.twoFactor) return refuse(ctx, 'Two-factor authentication is required for this account');
			entry.ok = true;
		} else {
			method = 'pat';
			const colon = plain.indexOf(':');
			const username = colon > 0 ? plain.slice(0, colon) : plain;
			const pat = colon > 0 ? plain.slice(colon + 1) : '';
			user = users.find((u) => u.username === username);
			const entry = { username, method, ok: false };
			state.logins.push(entry);
			if (!user || !user.pat || user.pat !== pat) return refuse(ctx, 'Invalid credentials');
			if (user.patExpired) return refuse(ctx, 'Personal access token has expired');
			entry.ok = true;
		}
		if (sim.loginEndsEarlierSessions) {
			for (const t of state.tokens.values()) if (t.user === user) t.expiresAt = 0; // "Session has expired"
		}
		const token = crypto.randomBytes(8).toString('hex');
		const expiresAt = now() + tokenTtlMs;
		state.tokens.set(token, { user, expiresAt, seenAlarms: new Set() });
		return reply(ctx, 200, envelope({
			TenantId: '1', [options.tokenField ?? 'Token']: token, UserName: `${user.username}`, RoleId: 2, ScopeId: '2', AdminId: user.UserId,
			MachineId: null, MachineGroupName: null, Attributes: null,
			SessionExpiration: iso(expiresAt), OffSetInMinutes: 0,
		}));
	}

	/** Returns the session or answers the request itself (and returns undefined). */
	function session(ctx) {
		const header = ctx.headers.authorization;
		if (!header) return void fail(ctx, 401, 4000001, 'Missing Authorization Header');
		const m = /^Bearer (\S+)$/.exec(header);
		if (!m) {
			// 9.3: without the word "Bearer" the API answered HTTP 200 with ResponseCode 401 in the body
			return void reply(ctx, 200, { ResponseCode: 401, Status: 'OK', Error: 'None' });
		}
		const s = state.tokens.get(m[1]);
		if (!s || now() >= s.expiresAt) {
			// marked in the request log: a refused token may be answered with HTTP 200 (below)
			ctx.entry.refused = s ? 'expired' : 'unknown';
			if (expiredToken === 'body') return void reply(ctx, 200, { Result: null, ResponseCode: 401, Status: 'Failed', Error: 'Session has expired' });
			return void fail(ctx, 401, 401, 'Session has expired');
		}
		return s;
	}

	// ---------------------------------------------------------------------------------------------------
	// routes of the Service Desk, staff, custom fields, patch, audit run, agent notes, logs and delete
	// ---------------------------------------------------------------------------------------------------
	/** ASP.NET Web API's answer to a route it does not have (a build or module without it) */
	const noRoute = (ctx) => reply(ctx, 404, {
		Message: `No HTTP resource was found that matches the request URI '${sim.url}${ctx.path}'.`,
		MessageDetail: 'No route data was found for this request.',
	});
	const ok = (ctx) => reply(ctx, 200, envelope(true));
	const badRequest = (ctx, message) => fail(ctx, 400, 400, message);
	/** a JSON id (26 digits) sent as a number lost its digits in transit: the VSA finds nothing */
	const idText = (v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

	/** Answers the request when it is one of these routes (returns true), else false. */
	function moduleRoutes(ctx, s, seg, lseg, method) {
		const role = s.user.role;
		const get = method === 'GET';
		const done = () => true;
		const agentAt = (i) => state.agents.find((a) => a.AgentId === seg[i]);

		// ---- staff
		if (lseg[0] === 'system' && lseg[1] === 'staff' && seg.length === 2 && get) {
			if (unsupported.has('staff')) return done(noRoute(ctx));
			if (role === 'limited') return done(accessDenied(ctx));
			return done(list(ctx, state.staff, STAFF_TYPES, 'Staff'));
		}

		// ---- Service Desk
		if (lseg[0] === 'automation' && (lseg[1] === 'servicedesks' || lseg[1] === 'servicedesktickets')) {
			if (serviceDeskMode === 'off-html') return done(ctx.send(404, '<html><body><h1>Whoops.</h1><p>Page not found</p></body></html>', { 'Content-Type': 'text/html' }));
			if (serviceDeskMode === 'off-json') return done(noRoute(ctx));
			if (role === 'noServiceDesk') return done(accessDenied(ctx));
			if (lseg[1] === 'servicedesks') {
				if (seg.length === 2 && get) return done(list(ctx, state.serviceDesks, DESK_TYPES, 'ServiceDesk'));
				if (seg.length === 5 && lseg[2] === 'assign' && method === 'PUT') {
					const ticket = state.tickets.find((x) => x.ServiceDeskTicketId === seg[3]);
					if (!ticket) return done(notFound(ctx, 'Ticket'));
					const staff = state.staff.find((x) => x.OrgStaffId === seg[4]);
					if (!staff) return done(notFound(ctx, 'Staff'));
					ticket.Assignee = staff.StaffFullName;
					ticketTouched(ticket);
					state.ticketActions.push({ ticketId: ticket.ServiceDeskTicketId, what: 'assign', value: staff.OrgStaffId });
					return done(ok(ctx));
				}
				const desk = state.serviceDesks.find((d) => d.ServiceDeskId === seg[2]);
				if (seg.length === 4 && get) {
					if (!desk) return done(notFound(ctx, 'Service desk'));
					const lists = {
						tickets: [state.tickets.filter((x) => x.ServiceDeskId === desk.ServiceDeskId), TICKET_TYPES, 'Ticket'],
						status: [desk._statuses, STATUS_TYPES, 'TicketStatus'],
						priorities: [desk._priorities, PRIORITY_TYPES, 'Priority'],
						categories: [desk._categories, CATEGORY_TYPES, 'Category'],
						customfields: [desk._fields, DESK_FIELD_TYPES, 'CustomField'],
					}[lseg[3]];
					if (lists) return done(list(ctx, ...lists));
				}
				return done(noRoute(ctx));
			}
			// servicedesktickets
			if (seg.length === 2 && get) return done(accessDenied(ctx)); // "no all-tickets endpoint": 403 on builds that have the route
			if (seg.length === 4 && lseg[3] === 'ticket' && method === 'POST') {
				const desk = state.serviceDesks.find((d) => d.ServiceDeskId === seg[2]);
				if (!desk) return done(notFound(ctx, 'Service desk'));
				const b = ctx.json;
				if (!b || typeof b !== 'object' || Array.isArray(b)) return done(badRequest(ctx, 'A ticket body is required'));
				if (typeof b.Summary !== 'string' || !b.Summary.trim()) return done(badRequest(ctx, 'Summary is required'));
				const pick = (field, rows, idKey, nameKey, required) => {
					if (b[field] === undefined || b[field] === null || b[field] === '') return required ? { error: `${field} is required` } : { name: undefined };
					const row = rows.find((x) => x[idKey] === idText(b[field]));
					return row ? { name: row[nameKey] } : { error: `Invalid ${field} '${String(b[field])}' for service desk ${desk.ServiceDeskName}` };
				};
				const status = pick('Status', desk._statuses, 'StatusId', 'StatusName', false);
				const priority = pick('Priority', desk._priorities, 'PriorityId', 'PriorityName', true);
				const category = pick('Category', desk._categories, 'CategoryId', 'CategoryName', false);
				for (const x of [status, priority, category]) if (x.error) return done(badRequest(ctx, x.error));
				let assignee;
				if (b.Assignee !== undefined && b.Assignee !== '') {
					const staff = state.staff.find((x) => x.OrgStaffId === idText(b.Assignee));
					if (!staff) return done(badRequest(ctx, `Invalid Assignee '${String(b.Assignee)}'`));
					assignee = staff.StaffFullName;
				}
				const ticket = addTicket(desk, {
					Summary: b.Summary,
					...(status.name ? { TicketStatus: status.name } : {}),
					Priority: priority.name,
					...(category.name ? { Category: category.name } : {}),
					...(b.Severity ? { Severity: String(b.Severity) } : {}),
					...(assignee ? { Assignee: assignee } : {}),
					...(b.SubmitterName ? { Submitter: String(b.SubmitterName) } : {}),
					...(b.SubmitterEmail ? { SubmitterEmail: String(b.SubmitterEmail) } : {}),
					_description: typeof b.Description === 'string' ? b.Description : '',
					_body: b,
				});
				state.ticketActions.push({ ticketId: ticket.ServiceDeskTicketId, what: 'create', value: b.Summary });
				return done(reply(ctx, 200, envelope(options.createAnswer === 'id' ? ticket.ServiceDeskTicketId : ticketView(ticket))));
			}
			const ticket = state.tickets.find((x) => x.ServiceDeskTicketId === seg[2]);
			if (seg.length === 3 && get) return done(ticket ? reply(ctx, 200, envelope(ticketView(ticket))) : notFound(ctx, 'Ticket'));
			if (!ticket && seg.length >= 4) return done(notFound(ctx, 'Ticket'));
			const desk = ticket && state.serviceDesks.find((d) => d.ServiceDeskId === ticket.ServiceDeskId);
			if (seg.length === 4 && lseg[3] === 'notes' && get) return done(list(ctx, state.ticketNotes.get(ticket.ServiceDeskTicketId) ?? [], NOTE_TYPES, 'TicketNote'));
			if (seg.length === 4 && lseg[3] === 'notes' && method === 'POST') {
				const b = ctx.json;
				if (!b || typeof b !== 'object' || typeof b.Text !== 'string' || !b.Text.trim()) return done(badRequest(ctx, 'Text is required'));
				for (const flag of ['Hidden', 'SystemFlag']) if (b[flag] !== undefined && typeof b[flag] !== 'boolean') return done(badRequest(ctx, `${flag} must be true or false`));
				const notes = state.ticketNotes.get(ticket.ServiceDeskTicketId) ?? [];
				notes.push({ NoteId: id18(), Text: b.Text, Hidden: !!b.Hidden, SystemFlag: !!b.SystemFlag, Timestamp: iso(now()), User: s.user.username });
				state.ticketNotes.set(ticket.ServiceDeskTicketId, notes);
				ticketTouched(ticket);
				state.ticketActions.push({ ticketId: ticket.ServiceDeskTicketId, what: 'note', value: b.Text });
				return done(ok(ctx));
			}
			if (seg.length === 5 && method === 'PUT' && (lseg[3] === 'status' || lseg[3] === 'priority')) {
				const [rows, idKey, nameKey, field] = lseg[3] === 'status'
					? [desk._statuses, 'StatusId', 'StatusName', 'TicketStatus']
					: [desk._priorities, 'PriorityId', 'PriorityName', 'Priority'];
				const row = rows.find((x) => x[idKey] === seg[4]);
				if (!row) return done(badRequest(ctx, `Invalid ${lseg[3]} '${seg[4]}' for service desk ${desk.ServiceDeskName}`));
				ticket[field] = row[nameKey];
				if (field === 'TicketStatus') ticket.Closed = row[nameKey] === 'Closed' ? iso(now()) : null;
				ticketTouched(ticket);
				state.ticketActions.push({ ticketId: ticket.ServiceDeskTicketId, what: lseg[3], value: row[nameKey] });
				return done(ok(ctx));
			}
			if (seg.length === 5 && lseg[3] === 'customfields' && method === 'PUT') {
				const field = desk._fields.find((f) => f.CustomFieldId === seg[4]);
				if (!field) return done(notFound(ctx, 'Custom field'));
				// the body is a bare JSON string ("value"), as Kaseya's own module sends it
				if (typeof ctx.json !== 'string') return done(badRequest(ctx, 'The request body must be a JSON string'));
				ticket._fields[field.FieldName] = ctx.json;
				ticketTouched(ticket);
				state.ticketActions.push({ ticketId: ticket.ServiceDeskTicketId, what: 'customField', value: { [field.FieldName]: ctx.json } });
				return done(ok(ctx));
			}
			return done(noRoute(ctx));
		}

		if (lseg[0] !== 'assetmgmt') return false;

		// ---- agent custom fields (definitions and values)
		if (lseg[1] === 'assets' && lseg[2] === 'customfields') {
			if (unsupported.has('customFields')) return done(noRoute(ctx));
			if (seg.length === 3 && get) return done(list(ctx, state.fieldDefs, FIELD_DEF_TYPES, 'CustomField'));
			if (seg.length === 3 && method === 'POST') {
				const b = ctx.json;
				if (!Array.isArray(b) || !b.every((kv) => kv && typeof kv.key === 'string' && 'value' in kv)) return done(badRequest(ctx, 'The request body must be an array of key/value pairs'));
				const name = String(b.find((kv) => kv.key === 'FieldName')?.value ?? '').trim();
				const type = String(b.find((kv) => kv.key === 'FieldType')?.value ?? 'string');
				if (!name) return done(badRequest(ctx, 'FieldName is required'));
				if (!FIELD_TYPE_NAMES.includes(type)) return done(badRequest(ctx, `Invalid FieldType '${type}'`));
				if (state.fieldDefs.some((d) => d.FieldName.toLowerCase() === name.toLowerCase())) return done(badRequest(ctx, `Custom field '${name}' already exists`));
				state.fieldDefs.push({ FieldName: name, FieldType: type });
				return done(ok(ctx));
			}
			if (seg.length === 4 && method === 'DELETE') {
				const name = decodeURIComponent(seg[3]);
				const at = state.fieldDefs.findIndex((d) => d.FieldName === name);
				if (at < 0) return done(notFound(ctx, 'Custom field'));
				state.fieldDefs.splice(at, 1);
				for (const values of state.fieldValues.values()) delete values[name];
				return done(ok(ctx));
			}
			return done(noRoute(ctx));
		}
		if (lseg[1] === 'assets' && lseg[3] === 'customfields' && (seg.length === 4 || seg.length === 5)) {
			if (unsupported.has('customFields')) return done(noRoute(ctx));
			const agent = agentAt(2);
			if (!agent) return done(notFound(ctx, 'Asset'));
			const values = state.fieldValues.get(agent.AgentId) ?? {};
			if (seg.length === 4 && get) {
				return done(list(ctx, state.fieldDefs.map((d) => ({ FieldName: d.FieldName, FieldValue: values[d.FieldName] ?? null })), FIELD_VALUE_TYPES, 'CustomFieldValue'));
			}
			if (seg.length === 5 && method === 'PUT') {
				const name = decodeURIComponent(seg[4]);
				if (!state.fieldDefs.some((d) => d.FieldName === name)) return done(notFound(ctx, 'Custom field'));
				const b = ctx.json;
				const kv = Array.isArray(b) ? b.find((x) => x && x.key === 'FieldValue') : undefined;
				if (!kv || typeof kv.value !== 'string') return done(badRequest(ctx, 'The request body must be [{"key":"FieldValue","value":"…"}]'));
				values[name] = kv.value;
				state.fieldValues.set(agent.AgentId, values);
				state.fieldWrites.push({ agentId: agent.AgentId, fieldName: name, value: kv.value });
				return done(ok(ctx));
			}
			return done(noRoute(ctx));
		}

		// ---- patch
		if (lseg[1] === 'patch') {
			if (unsupported.has('patch')) return done(noRoute(ctx));
			if (seg.length === 3 && lseg[2] === 'runnow' && method === 'PUT') {
				const b = ctx.json;
				if (!b || typeof b !== 'object' || !Array.isArray(b.AgentGuids) || !b.AgentGuids.length) return done(badRequest(ctx, 'AgentGuids is required'));
				for (const id of b.AgentGuids) {
					if (!state.agents.some((a) => a.AgentId === idText(id))) return done(badRequest(ctx, `Unknown agent '${String(id)}'`));
				}
				state.patchRuns.push({ agentIds: b.AgentGuids.map(idText), body: b });
				return done(ok(ctx));
			}
			const agent = agentAt(2);
			if (!agent) return done(notFound(ctx, 'Agent'));
			if (seg.length === 4 && lseg[3] === 'status' && get) return done(reply(ctx, 200, envelope(patchStatus(agent))));
			if (seg.length === 5 && lseg[3] === 'machineupdate' && get) {
				if (!/^(true|false)$/i.test(seg[4])) return done(badRequest(ctx, `'${seg[4]}' is not a valid value for hideDeniedPatches`));
				const hide = seg[4].toLowerCase() === 'true';
				return done(list(ctx, patchesOf(agent).filter((x) => !hide || x.ApprovalStatus !== 1), PATCH_TYPES, 'Patch'));
			}
			if (seg.length === 4 && lseg[3] === 'history' && get) {
				patchesOf(agent);
				return done(list(ctx, state.patchHistory.get(agent.AgentId), PATCH_TYPES, 'PatchHistory'));
			}
			if (seg.length === 4 && lseg[3] === 'scannow' && method === 'PUT') {
				patchesOf(agent);
				state.patchScans.push({ agentId: agent.AgentId, at: now() });
				// PsKaseya: "This command will remove any previously scheduled, recurring patch scans."
				state.patchScanSchedules.delete(agent.AgentId);
				return done(ok(ctx));
			}
			if (seg.length === 4 && lseg[3] === 'schedule' && method === 'PUT') {
				const b = ctx.json;
				if (!b || typeof b !== 'object' || !Array.isArray(b.PatchIds) || !b.PatchIds.length) return done(badRequest(ctx, 'PatchIds is required'));
				const known = new Set(patchesOf(agent).map((x) => String(x.PatchDataId)));
				const unknown = b.PatchIds.find((x) => !known.has(String(x)));
				if (unknown !== undefined) return done(badRequest(ctx, `Patch '${String(unknown)}' is not missing on this machine`));
				// VSAModule: "the server rejects a T-prefixed EndAt with HTTP 400"
				if (b.Recurrence && typeof b.Recurrence.EndAt === 'string' && /^T/i.test(b.Recurrence.EndAt)) return done(badRequest(ctx, 'Invalid EndAt'));
				if (b.Recurrence && b.Recurrence.DayOfMonth !== undefined && b.Recurrence.SpecificDayOfMonth !== undefined) return done(badRequest(ctx, 'Both DayOfMonth and SpecificDayOfMonth cannot be set'));
				state.patchSchedules.push({ agentId: agent.AgentId, patchIds: b.PatchIds.map(String), body: b });
				return done(ok(ctx));
			}
			if (seg.length === 4 && lseg[3] === 'cancelschedule' && method === 'DELETE') {
				const ids = ctx.query.getAll('patchDataIds');
				if (!ids.length) return done(badRequest(ctx, 'patchDataIds is required'));
				state.patchCancels.push({ agentId: agent.AgentId, patchDataIds: ids });
				for (const sch of state.patchSchedules.filter((x) => x.agentId === agent.AgentId)) sch.patchIds = sch.patchIds.filter((x) => !ids.includes(x));
				return done(ok(ctx));
			}
			return done(noRoute(ctx));
		}

		// ---- audit run now
		if (lseg[1] === 'audit' && AUDIT_KINDS.includes(lseg[2]) && seg.length === 5 && lseg[4] === 'runnow' && method === 'PUT') {
			if (role === 'limited') return done(accessDenied(ctx));
			const agent = agentAt(3);
			if (!agent) return done(notFound(ctx, 'Agent'));
			state.auditRuns.push({ agentId: agent.AgentId, kind: lseg[2] });
			return done(ok(ctx));
		}

		// ---- agent note (POST …/agent/{agentId}/note, body a bare JSON string)
		if (lseg[1] === 'agent' && seg.length === 4 && lseg[3] === 'note' && method === 'POST') {
			if (unsupported.has('agentNote')) return done(noRoute(ctx));
			const agent = agentAt(2);
			if (!agent) return done(notFound(ctx, 'Agent'));
			if (typeof ctx.json !== 'string' || !ctx.json.trim()) return done(badRequest(ctx, 'The note must be a non-empty JSON string'));
			state.agentNotes.push({ NoteId: id18(), AgentId: agent.AgentId, Note: ctx.json, Admin: s.user.username, Timestamp: iso(now()) });
			return done(ok(ctx));
		}

		// ---- agent logs
		if (lseg[1] === 'logs' && (seg.length === 4 || seg.length === 5) && get) {
			if (unsupported.has('agentLogs')) return done(noRoute(ctx));
			const agent = agentAt(2);
			if (!agent) return done(notFound(ctx, 'Agent'));
			const kind = seg.length === 5 && lseg[3] === 'eventlog' && EVENT_LOGS.includes(lseg[4]) ? lseg[4] : seg.length === 4 ? lseg[3] : undefined;
			const types = kind && (EVENT_LOGS.includes(kind) ? EVENT_LOG : LOG_TYPES[kind]);
			if (!types) return done(noRoute(ctx));
			return done(list(ctx, logsOf(agent, kind), types, 'Log'));
		}

		// ---- agent delete (DELETE …/agents/{agentId}/{uninstallFirst})
		if (lseg[1] === 'agents' && seg.length === 4 && method === 'DELETE') {
			if (!/^(true|false)$/i.test(seg[3])) return done(badRequest(ctx, `'${seg[3]}' is not a valid value for uninstallFirst`));
			const agent = agentAt(2);
			if (!agent) return done(notFound(ctx, 'Agent'));
			state.agents.splice(state.agents.indexOf(agent), 1);
			state.agentDeletes.push({ agentId: agent.AgentId, uninstallFirst: seg[3].toLowerCase() === 'true' });
			return done(ok(ctx));
		}
		return false;
	}

	function ticketView(ticket) {
		const desk = state.serviceDesks.find((d) => d.ServiceDeskId === ticket.ServiceDeskId);
		return {
			...publicView(ticket),
			Description: ticket._description,
			CustomFields: desk._fields.map((f) => ({ CustomFieldId: f.CustomFieldId, FieldName: f.FieldName, Value: ticket._fields[f.FieldName] ?? null })),
		};
	}

	// ---------------------------------------------------------------------------------------------------
	// routes
	// ---------------------------------------------------------------------------------------------------
	async function handler(ctx) {
		processProcedures();
		const path = ctx.path.replace(/\/+$/, '');
		const lower = path.toLowerCase();
		if (!lower.startsWith('/api/v1.0/')) return ctx.send(404, '<html><body><h1>Whoops.</h1></body></html>', { 'Content-Type': 'text/html' });
		// IIS request filtering (defaults maxUrl 4096, maxQueryString 2048): a longer URL never reaches the API
		if (ctx.path.length > 4096) return iisRequestFiltering(ctx, 14);
		if (ctx.rawQuery.length > 2048) return iisRequestFiltering(ctx, 15);
		const route = path.slice('/api/v1.0'.length);
		const r = route.toLowerCase();
		const seg = route.split('/').filter(Boolean);
		const lseg = seg.map((s) => s.toLowerCase());
		const method = ctx.method;

		if (r === '/auth') {
			if (method !== 'GET') return fail(ctx, 405, 405, 'Method not allowed');
			if (sim.loginDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, sim.loginDelayMs));
			return handleAuth(ctx);
		}
		const s = session(ctx);
		if (!s) return;
		const role = s.user.role;
		const get = method === 'GET';
		const odataOnWrite = !get && /\$(top|skip|filter|orderby)=/.test(ctx.rawQuery);
		if (odataOnWrite) return fail(ctx, 400, 400, 'Query options are not allowed on this request');

		if (moduleRoutes(ctx, s, seg, lseg, method)) return;

		// ---- system
		if (lseg[0] === 'system') {
			if (role === 'limited') return accessDenied(ctx);
			if (lseg[1] === 'orgs' && seg.length === 2 && get) return list(ctx, state.orgs, ORG_TYPES, 'Org');
			if (lseg[1] === 'orgs' && seg.length === 3 && get) {
				const org = state.orgs.find((o) => o.OrgId === seg[2]);
				return org ? reply(ctx, 200, envelope(org)) : notFound(ctx, 'Organization');
			}
			if (lseg[1] === 'orgs' && lseg[3] === 'machinegroups' && seg.length === 4 && get) {
				if (!state.orgs.some((o) => o.OrgId === seg[2])) return notFound(ctx, 'Organization');
				return list(ctx, state.machineGroups.filter((g) => g.OrgId === seg[2]), MG_TYPES, 'MachineGroup');
			}
			if (lseg[1] === 'machinegroups' && seg.length === 2 && get) return list(ctx, state.machineGroups, MG_TYPES, 'MachineGroup');
			if (lseg[1] === 'machinegroups' && seg.length === 3 && get) {
				const mg = state.machineGroups.find((g) => g.MachineGroupId === seg[2]);
				return mg ? reply(ctx, 200, envelope(mg)) : notFound(ctx, 'Machine group');
			}
			const userRows = () => users.map((u) => ({
				UserId: u.UserId, AdminName: u.username, FirstName: u.firstName ?? 'Sim', LastName: u.lastName ?? u.username,
				Email: `${u.username}@example.com`, AdminRoleIds: ['2'], AdminScopeIds: ['2'], DefaultStaffOrgId: state.orgs[0].OrgId,
			}));
			if (lseg[1] === 'users' && seg.length === 2 && get) return list(ctx, userRows(), USER_TYPES, 'User');
			if (lseg[1] === 'users' && seg.length === 3 && get) {
				const u = userRows().find((x) => x.UserId === seg[2]);
				return u ? reply(ctx, 200, envelope(u)) : notFound(ctx, 'User');
			}
			if (lseg[1] === 'currentuser' && get) return reply(ctx, 200, envelope(userRows().find((x) => x.AdminName === s.user.username)));
			return notFound(ctx, 'Route');
		}

		// ---- agents / audit / alarms
		if (lseg[0] === 'assetmgmt') {
			// a user whose Role/Scope grants no agents (e.g. an empty scope): the agent list is denied
			if (role === 'noAgents' && lseg[1] === 'agents') return accessDenied(ctx);
			if (lseg[1] === 'agents') {
				if (seg.length === 2 && get) return list(ctx, state.agents, AGENT_TYPES, 'Agent');
				const agent = state.agents.find((a) => a.AgentId === seg[2]);
				if (seg.length === 3 && get) return agent ? reply(ctx, 200, envelope(agent)) : notFound(ctx, 'Agent');
				if (seg.length === 5 && lseg[3] === 'rename' && method === 'PUT') {
					if (!agent) return notFound(ctx, 'Agent');
					const newName = decodeURIComponent(seg[4]);
					state.renames.push({ agentId: agent.AgentId, newName });
					agent.ComputerName = newName;
					agent.AgentName = `${newName.toLowerCase()}.${agent.MachineGroup}`;
					return reply(ctx, 200, envelope(true));
				}
				return notFound(ctx, 'Route');
			}
			if (lseg[1] === 'audit') {
				if (role === 'limited') return accessDenied(ctx);
				const agent = state.agents.find((a) => a.AgentId === seg[2]);
				if (!agent) return notFound(ctx, 'Agent');
				if (seg.length === 4 && lseg[3] === 'summary' && get) return reply(ctx, 200, envelope(auditSummary(agent)));
				if (seg.length === 5 && lseg[3] === 'software' && lseg[4] === 'installedapplications' && get) {
					return list(ctx, appsOf(agent), APP_TYPES, 'InstalledApplication');
				}
				return notFound(ctx, 'Route');
			}
			if (lseg[1] === 'alarms') {
				const open = () => state.alarms.filter((a) => a.AlarmState === 'Open');
				if (seg.length === 3 && lseg[2] === 'true' && get) return list(ctx, open(), ALARM_TYPES, 'Alarm');
				if (seg.length === 3 && lseg[2] === 'false' && get) {
					const unseen = open().filter((a) => !s.seenAlarms.has(a.AlarmId));
					unseen.forEach((a) => s.seenAlarms.add(a.AlarmId));
					return list(ctx, unseen, ALARM_TYPES, 'Alarm');
				}
				const alarm = state.alarms.find((a) => a.AlarmId === seg[2]);
				if (seg.length === 3 && get) return alarm ? reply(ctx, 200, envelope(alarm)) : notFound(ctx, 'Alarm');
				if (seg.length === 4 && lseg[3] === 'close' && method === 'PUT') {
					if (!alarm) return notFound(ctx, 'Alarm');
					const body = ctx.json;
					if (!Array.isArray(body) || !body.every((kv) => kv && typeof kv.key === 'string' && 'value' in kv)) {
						return fail(ctx, 400, 400, 'The request body must be an array of key/value pairs');
					}
					const notes = body.find((kv) => kv.key === 'notes');
					alarm.AlarmState = 'Closed';
					alarm.Notes = notes ? notes.value : '';
					state.closes.push({ alarmId: alarm.AlarmId, notes: alarm.Notes });
					return reply(ctx, 200, envelope(true));
				}
				return notFound(ctx, 'Route');
			}
			return notFound(ctx, 'Route');
		}

		// ---- agent procedures
		if (lseg[0] === 'automation' && lseg[1] === 'agentprocs') {
			if (seg.length === 2 && get) return list(ctx, state.procedures, PROC_TYPES, 'AgentProcedure');
			const agent = state.agents.find((a) => a.AgentId === seg[2]);
			if (seg.length === 4 && lseg[3] === 'scheduledprocs' && get) {
				if (!agent) return notFound(ctx, 'Agent');
				return list(ctx, state.scheduled.get(agent.AgentId) ?? [], SCHED_TYPES, 'ScheduledProcedure');
			}
			if (seg.length === 4 && lseg[3] === 'history' && get) {
				if (!agent) return notFound(ctx, 'Agent');
				return list(ctx, state.history.get(agent.AgentId) ?? [], HISTORY_TYPES, 'ProcedureHistory');
			}
			if (seg.length === 5 && (lseg[4] === 'runnow' || lseg[4] === 'schedule') && method === 'PUT') {
				const proc = state.procedures.find((p) => p.AgentProcedureId === seg[3]);
				if (!agent || !proc || role === 'noExecute') return ctx.send(404, '', { Date: new Date(now()).toUTCString() });
				let body = {};
				if (lseg[4] === 'runnow') {
					if (ctx.bodyText) return fail(ctx, 400, 400, 'runnow takes no body');
				} else {
					body = ctx.json;
					if (!body || typeof body !== 'object' || Array.isArray(body)) return fail(ctx, 400, 400, 'A schedule body is required');
					if (body.Recurrence && body.Recurrence.DayOfMonth !== undefined && body.Recurrence.SpecificDayOfMonth !== undefined) {
						return fail(ctx, 400, 400, 'Both DayOfMonth and SpecificDayOfMonth cannot be set');
					}
					if (body.ScriptPrompts !== undefined && !Array.isArray(body.ScriptPrompts)) return fail(ctx, 400, 400, 'ScriptPrompts must be an array');
					for (const name of proc._prompts) {
						if (!(body.ScriptPrompts || []).some((p) => p && p.Name === name)) return fail(ctx, 400, 400, `Missing value for prompt '${name}'`);
					}
				}
				const t = now();
				const startAt = body.Start && body.Start.StartOn ? Date.parse(`${body.Start.StartOn}Z`) || t : t;
				const duration = proc._durationMs ?? durationMs;
				const entry = {
					AgentProcedureId: proc.AgentProcedureId, AgentId: agent.AgentId, ServerTimeZone: body.ServerTimeZone ?? true,
					SkipIfOffLine: !!body.SkipIfOffLine, PowerUpIfOffLine: !!body.PowerUpIfOffLine, ScriptPrompts: body.ScriptPrompts ?? [],
					Start: { StartOn: iso(startAt) },
					_name: proc.AgentProcedureName, _status: proc._status, _admin: s.user.username,
					_startAt: startAt, _completeAt: Math.max(startAt, t) + duration, _duration: duration,
				};
				const list2 = state.scheduled.get(agent.AgentId) ?? [];
				list2.push(entry);
				state.scheduled.set(agent.AgentId, list2);
				state.runs.push({ agentId: agent.AgentId, procedureId: proc.AgentProcedureId, route: lseg[4], body, at: t });
				return ctx.send(204, '', { Date: new Date(t).toUTCString() });
			}
			return notFound(ctx, 'Route');
		}

		if (r === '/echoauth' && get) return reply(ctx, 200, envelope(true));
		return notFound(ctx, 'Route');
	}

	sim = createSimServer({ name: 'vsa', tls: options.tls, clock }, handler);
	Object.assign(sim, {
		state,
		users,
		// sim.onRequest (test/sim/common.js): a hook that may answer itself with sim.reply / sim.envelope
		/** false: list answers carry no TotalRecords */
		reportTotalRecords: true,
		/** how long a login (GET /auth) takes; a real VSA: about a second */
		loginDelayMs: options.loginDelayMs ?? 0,
		/** READING (UNVERIFIED): a successful login ends the tokens issued to that user before it; false: they coexist */
		loginEndsEarlierSessions: options.loginEndsEarlierSessions ?? false,
		/** true: $orderby is checked but ignored, rows come in the server's own (insertion) order */
		ignoreOrderBy: false,
		reply,
		envelope,
		/** adds agents (count or array of overrides); returns them */
		addAgents(countOrList) {
			const added = [];
			const items = Array.isArray(countOrList) ? countOrList : Array.from({ length: countOrList }, () => ({}));
			for (const o of items) {
				const a = makeAgent(o);
				state.agents.push(a);
				added.push(a);
			}
			return added;
		},
		addAlarm,
		setOnline(agentId, code) {
			const a = state.agents.find((x) => x.AgentId === agentId);
			if (!a) throw new Error(`no agent ${agentId}`);
			a.Online = code;
			return a;
		},
		expireAllTokens() {
			for (const t of state.tokens.values()) t.expiresAt = 0;
		},
		/** logins seen so far (optionally only successful ones) */
		loginCount(okOnly = false) {
			return state.logins.filter((l) => !okOnly || l.ok).length;
		},
		procedure(name) {
			return state.procedures.find((p) => p.AgentProcedureName === name);
		},
		addServiceDesk,
		/** the missing patches of an agent (made on first use, as a patch read would) */
		patchesOf(agentId) {
			return patchesOf(state.agents.find((a) => a.AgentId === agentId));
		},
		/** adds a ticket to a desk (object or id; default the first desk), stamped now on the simulator's clock */
		addTicket,
		/** changes a ticket as the VSA console would (ModifiedDate now) */
		touchTicket(ticketId, changes = {}) {
			const ticket = state.tickets.find((x) => x.ServiceDeskTicketId === ticketId);
			if (!ticket) throw new Error(`no ticket ${ticketId}`);
			Object.assign(ticket, changes);
			ticketTouched(ticket);
			return ticket;
		},
		serviceDesk(name) {
			return state.serviceDesks.find((d) => d.ServiceDeskName === name);
		},
		ticketsOf(deskId) {
			return state.tickets.filter((x) => x.ServiceDeskId === deskId);
		},
		vsaJson,
	});
	return sim;
}

/** Credential data for the test engine (PAT by default). */
function vsaCredential(sim, overrides = {}) {
	const user = sim.users[0];
	return {
		server: sim.url,
		authMethod: 'pat',
		username: user.username,
		accessToken: user.pat,
		password: user.password,
		caCertificate: '',
		allowUnauthorizedCerts: false,
		session: '',
		...overrides,
	};
}

/** A resource locator value "By ID". */
const byId = (value) => ({ __rl: true, mode: 'id', value: String(value) });

/** Numeric order of decimal id strings (the node's default order of a list: by its id). */
const byNumber = (a, b) => compareValues(a, b, 'decimal');

module.exports = { createVsaSim, vsaCredential, byId, byNumber, vsaJson, parseFilter, ODataError };
