'use strict';
/**
 * One adapter per appliance: how to start its simulator, build its credential, and which operations stand for
 * "a read", "a Return All over several pages", "a get by id" and "an action that may run something" in the
 * generic cases. Each adapter also lists the files that must exist for its cases to run (otherwise they are
 * reported as skipped) and the secrets its simulator issued (for the leak check).
 */
const fs = require('node:fs');
const path = require('node:path');
const { pemSecrets } = require('./leaks');

const ROOT = path.join(__dirname, '..', '..', '..');
const exists = (f) => fs.existsSync(path.join(ROOT, f));

// Secrets used by the suite: distinctive, so a leak is unmistakable.
const SECRETS = {
	kacePassword: 'Kace-Fault-Pw#4711',
	kaceTotp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
	vsaPassword: 'Vsa-Fault-Pw!0815',
	vsaPat: 'f1e2d3c4-b5a6-4789-9abc-def012345678',
	spsPassword: 'Sps-Fault-Pw%2342',
	urlPassword: 'Url-Embedded-Pw-9931',
};

const byId = (value) => ({ __rl: true, mode: 'id', value: String(value) });

/* ------------------------------------------------------------------------------------------------ KACE */

const kace = {
	id: 'kace',
	label: 'KACE SMA',
	node: 'kaceSma',
	cred: 'kaceSmaApi',
	files: ['dist/nodes/KaceSma/KaceSma.node.js', 'dist/credentials/KaceSmaApi.credentials.js', 'test/sim/kace.js'],
	name: /KACE SMA/,
	async sim(opts = {}) {
		const { createKaceSim } = require('../../sim/kace');
		const { port, ...rest } = opts;
		const sim = createKaceSim({
			machines: 35,
			scriptRunMs: { min: 100, max: 400 },
			users: [{ userName: 'admin', password: SECRETS.kacePassword, role: 'admin', ...(opts.totp ? { totpSecret: SECRETS.kaceTotp } : {}) }],
			...rest,
		});
		await sim.start(port);
		return sim;
	},
	credential(sim, over = {}) {
		return {
			baseUrl: sim ? sim.url : '', username: 'admin', password: SECRETS.kacePassword, organization: '', apiVersion: '5',
			totpSecret: '', caCertificate: '', allowUnauthorizedCerts: false, timeoutSeconds: 5, session: '', ...over,
		};
	},
	secretFields: ['password', 'totpSecret', 'session'],
	simSecrets(sim) {
		const out = [];
		for (const s of sim.state.sessions.values()) {
			for (const [label, value] of [['KACE kboxid', s.kboxid], ['KACE JWT', s.jwt], ['KACE CSRF token', s.csrf], ['KACE authorization', s.authorization]]) {
				if (value) out.push({ label, value });
			}
		}
		for (const u of sim.state.users) {
			if (u.password) out.push({ label: 'KACE user password', value: u.password });
			if (u.totpSecret) out.push({ label: 'TOTP secret', value: u.totpSecret });
		}
		return out;
	},
	logins: (sim) => sim.requests.filter((r) => r.path === '/ams/shared/api/security/login').length,
	expireSessions: (sim) => sim.expireAllSessions(),
	read: {
		// full records (Simplify off, as a node saved at version 1 has it): every field the leak check can scan
		params: { resource: 'machine', operation: 'getMany', returnAll: false, limit: 5, filters: {}, options: {}, simplify: false },
		path: '/api/inventory/machines',
		op: /get many machine records/,
		count: 5,
	},
	list: {
		simOptions: { machines: 35 },
		params: { resource: 'machine', operation: 'getMany', returnAll: true, filters: {}, options: { pageSize: 10 }, simplify: false },
		path: '/api/inventory/machines',
		expectedIds: (sim) => sim.state.machines.map((m) => String(m._id)),
		ids: (items) => items.map((m) => String(m.Id)),
		pages: 4,
	},
	get: {
		params: () => ({ resource: 'machine', operation: 'get', machineId: { mode: 'id', value: '={{ $json.id }}' }, options: {}, simplify: false }),
		validIds: () => ['1', '2', '3'],
		missingId: '99999',
		path: (id) => `/api/inventory/machines/${id}`,
		idOf: (item) => String(item.Id),
	},
	action: {
		what: 'script run',
		params: { resource: 'script', operation: 'run', scriptId: { mode: 'id', value: '3' }, target: 'ids', machineIds: '1,2' },
		method: 'POST',
		path: '/api/script/3/actions/run',
		ran: (sim) => sim.state.scriptRuns.length,
		op: /run script 3/,
		check: /Run Status/,
	},
	trigger: {
		node: 'kaceSmaTrigger',
		params: { event: 'newTicket', queueId: '', options: {} },
		path: '/api/service_desk/tickets',
		async addRecord(sim, ctx, engine) {
			sim.clock.advance(2000);
			const r = await ctx.run(engine, { resource: 'ticket', operation: 'create', queueId: '1', title: 'Fault suite ticket', additionalFields: {} });
			return String(r.items[0].id);
		},
		idOf: (item) => String(item.id),
	},
	authFailureBody: { errorCode: -1, errorDescription: 'Invalid token' },
	emptyRequired: { resource: 'machine', operation: 'get', machineId: { mode: 'id', value: '' }, options: {} },
	urlField: 'baseUrl',
	knownSuffix: '/adminui/',
};

/* ------------------------------------------------------------------------------------------------- VSA */

const vsa = {
	id: 'vsa',
	label: 'Kaseya VSA',
	node: 'kaseyaVsa',
	cred: 'kaseyaVsaApi',
	files: ['dist/nodes/KaseyaVsa/KaseyaVsa.node.js', 'dist/credentials/KaseyaVsaApi.credentials.js', 'test/sim/vsa.js'],
	name: /Kaseya VSA/,
	async sim(opts = {}) {
		const { createVsaSim } = require('../../sim/vsa');
		const { port, ...rest } = opts;
		const sim = createVsaSim({
			agents: 35,
			durationMs: 200,
			users: [{ username: 'admin', password: SECRETS.vsaPassword, pat: SECRETS.vsaPat }],
			...rest,
		});
		await sim.start(port);
		return sim;
	},
	credential(sim, over = {}) {
		return {
			server: sim ? sim.url : '', authMethod: 'pat', username: 'admin', accessToken: SECRETS.vsaPat, password: SECRETS.vsaPassword,
			caCertificate: '', allowUnauthorizedCerts: false, timeoutSeconds: 5, session: '', ...over,
		};
	},
	secretFields: ['accessToken', 'password', 'session'],
	simSecrets(sim) {
		const out = [...sim.state.tokens.keys()].map((value) => ({ label: 'VSA session token', value }));
		for (const u of sim.users) {
			if (u.password) out.push({ label: 'VSA password', value: u.password });
			if (u.pat) out.push({ label: 'VSA personal access token', value: u.pat });
		}
		return out;
	},
	logins: (sim) => sim.requests.filter((r) => r.path.toLowerCase() === '/api/v1.0/auth').length,
	expireSessions: (sim) => sim.expireAllTokens(),
	read: {
		params: { resource: 'agent', operation: 'getMany', returnAll: false, limit: 5, filters: {}, options: {} },
		path: '/api/v1.0/assetmgmt/agents',
		op: /get many agents/,
		count: 5,
	},
	list: {
		simOptions: { agents: 250 },
		params: { resource: 'agent', operation: 'getMany', returnAll: true, filters: {}, options: {} },
		path: '/api/v1.0/assetmgmt/agents',
		expectedIds: (sim) => sim.state.agents.map((a) => a.AgentId),
		ids: (items) => items.map((a) => String(a.AgentId)),
		pages: 3,
	},
	get: {
		params: () => ({ resource: 'agent', operation: 'get', agentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }),
		validIds: (sim) => sim.state.agents.slice(0, 3).map((a) => a.AgentId),
		missingId: '999999999999999',
		path: (id) => `/api/v1.0/assetmgmt/agents/${id}`,
		idOf: (item) => String(item.AgentId),
	},
	action: {
		what: 'agent procedure run',
		params: (sim) => ({
			resource: 'agentProcedure', operation: 'runNow', agentId: byId(onlineAgent(sim).AgentId),
			procedureId: byId(sim.procedure('Reboot Now').AgentProcedureId), options: {},
		}),
		method: 'PUT',
		path: (sim) => `/api/v1.0/automation/agentprocs/${onlineAgent(sim).AgentId}/${sim.procedure('Reboot Now').AgentProcedureId}/runnow`,
		ran: (sim) => sim.state.runs.length,
		op: /run agent procedure \d+ on agent \d+/,
		check: /history/i,
	},
	trigger: {
		node: 'kaseyaVsaTrigger',
		params: { event: 'newAlarm', options: {} },
		path: '/api/v1.0/assetmgmt/alarms/true',
		async addRecord(sim) {
			return sim.addAlarm({ AlarmSubject: 'Fault suite alarm' }).AlarmId;
		},
		idOf: (item) => String(item.AlarmId),
	},
	authFailureBody: { Result: null, ResponseCode: 401, Status: 'Failed', Error: 'Session has expired' },
	emptyRequired: { resource: 'agent', operation: 'get', agentId: { __rl: true, mode: 'id', value: '' } },
	urlField: 'server',
	knownSuffix: '/api/v1.0/',
};

/* ------------------------------------------------------------------------------------------------- SPS */

const sps = {
	id: 'sps',
	label: 'SPS',
	node: 'safeguardSps',
	cred: 'safeguardSpsApi',
	files: ['dist/nodes/SafeguardSps/SafeguardSps.node.js', 'dist/credentials/SafeguardSpsApi.credentials.js', 'test/sim/sps.js'],
	name: /\bSPS\b/,
	async sim(opts = {}) {
		const { createSpsSim } = require('../../sim/sps');
		const { port, ...rest } = opts;
		const sim = createSpsSim({
			sessions: 20,
			activeSessions: 3,
			users: [{ username: 'admin', password: SECRETS.spsPassword, loginMethod: 'local' }],
			...rest,
		});
		// API-key tokens live in the simulator only until a rollback: remember every one ever issued
		sim.issuedTokens = new Set();
		const harvest = () => {
			for (const k of sim.state.apiKeys) sim.issuedTokens.add(k.token);
			for (const k of sim.state.transaction?.apiKeysAdd ?? []) sim.issuedTokens.add(k.token);
		};
		sim.server.on('request', (_req, res) => {
			res.on('finish', harvest);
			res.on('close', harvest);
		});
		await sim.start(port);
		return sim;
	},
	credential(sim, over = {}) {
		return {
			baseUrl: sim ? sim.url : '', authType: 'password', username: 'admin', password: SECRETS.spsPassword, loginMethod: '',
			apiKey: '', clientCertificate: '', clientKey: '', clientKeyPassphrase: '', caCertificate: '', allowUnauthorizedCerts: false,
			timeoutSeconds: 5, session: '', ...over,
		};
	},
	secretFields: ['password', 'apiKey', 'clientKeyPassphrase', 'session'],
	simSecrets(sim) {
		const out = [];
		for (const s of sim.state.sessions.values()) {
			out.push({ label: 'SPS session_id', value: s.id });
			out.push({ label: 'SPS X-Token', value: s.xToken });
		}
		for (const t of sim.issuedTokens ?? []) out.push({ label: 'SPS API key token', value: t });
		for (const k of sim.state.apiKeys) out.push({ label: 'SPS API key token', value: k.token });
		for (const u of sim.users) if (u.password) out.push({ label: 'SPS password', value: u.password });
		return out;
	},
	logins: (sim) => sim.requests.filter((r) => r.path === '/api/authentication').length,
	expireSessions: (sim) => sim.expireSessions(),
	read: {
		params: { resource: 'auditSession', operation: 'search', query: '', returnAll: false, limit: 5, sessionData: 'key', options: {} },
		path: '/api/audit/sessions',
		op: /search audit sessions/,
		count: 5,
	},
	list: {
		simOptions: { sessions: 1200, activeSessions: 0 },
		params: { resource: 'auditSession', operation: 'search', query: '', returnAll: true, sessionData: 'key', options: {} },
		path: '/api/audit/sessions',
		expectedIds: (sim) => sim.state.audit.map((s) => s.key),
		ids: (items) => items.map((s) => String(s.key)),
		pages: 3,
	},
	get: {
		params: () => ({ resource: 'auditSession', operation: 'get', sessionKey: '={{ $json.id }}' }),
		validIds: (sim) => sim.state.audit.slice(0, 3).map((s) => s.key),
		missingId: 'NoSuchSessionKey000000',
		path: (id) => `/api/audit/sessions/${id}`,
		idOf: (item) => String(item.key),
	},
	action: {
		what: 'session termination',
		params: (sim) => ({ resource: 'activeSession', operation: 'terminate', sessionId: spsTarget(sim) }),
		method: 'DELETE',
		path: '/api/active-sessions',
		ran: (sim) => {
			const s = sim.state.audit.find((x) => x.body.recording.session_id === spsTarget(sim));
			return s && s.body.active === false ? 1 : 0;
		},
		op: /terminate the session/,
		check: /Audit Session/,
	},
	trigger: {
		node: 'safeguardSpsTrigger',
		params: { event: 'newSession', query: '', sessionData: 'key', lookbackMinutes: 60, options: {} },
		path: '/api/audit/sessions',
		async addRecord(sim) {
			return sim.addSessions(1, { startMs: sim.clock.now() - 1000, noAlerts: true })[0].key;
		},
		idOf: (item) => String(item.key),
	},
	authFailureBody: { error: { code: 'Unauthenticated', details: { message: 'The client is not authenticated' } } },
	emptyRequired: { resource: 'auditSession', operation: 'get', sessionKey: '' },
	urlField: 'baseUrl',
	knownSuffix: '/api/',
};

/** The first VSA agent that is online (procedures complete only on online agents). */
function onlineAgent(sim) {
	return sim.state.agents.find((a) => [1, 2, 11, 12].includes(a.Online));
}

/** The recording session id of the first active session (fixed per simulator). */
function spsTarget(sim) {
	if (!sim._actionTarget) sim._actionTarget = sim.state.audit.find((s) => s.body.active).body.recording.session_id;
	return sim._actionTarget;
}

const ADAPTERS = { kace, vsa, sps };

/** Undefined when the appliance can run; otherwise why its cases are skipped. */
function missing(adapter) {
	const absent = adapter.files.filter((f) => !exists(f));
	return absent.length ? `not built yet (missing ${absent.join(', ')})` : undefined;
}

/** Secrets of a credential's data (the fields that hold them, PEM key lines included). */
function credentialSecrets(adapter, data) {
	const out = [];
	for (const f of adapter.secretFields) {
		const v = data[f];
		if (typeof v === 'string' && v && v !== 'apikey') out.push({ label: `credential field ${f}`, value: v });
	}
	out.push(...pemSecrets('client private key', data.clientKey));
	if (typeof data.clientKeyPassphrase === 'string' && data.clientKeyPassphrase) out.push({ label: 'key passphrase', value: data.clientKeyPassphrase });
	return out;
}

module.exports = { ADAPTERS, SECRETS, missing, credentialSecrets, byId, onlineAgent, ROOT };
