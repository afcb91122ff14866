'use strict';
/**
 * SPS actions around transactions: commit, API-key create/delete, configuration update, create and delete,
 * local users and groups (create, update, delete); the configuration lock held by another administrator; API-key
 * tokens and local users' passwords in outputs and logs; a Return All while SPS records, deletes and hides sessions;
 * New Alert on a session that has been running for hours; the CSRF token of Get Current User.
 */
const { count } = require('./common');
const { delayAnswer, onRequest } = require('../lib/hooks');
const { makePki } = require('../lib/tls');
const { verdict, errorText } = require('../lib/verdict');

const EMAIL = 'configuration/management/email';
const EMAIL_HREF = '/api/configuration/management/email';
const update = (extra = {}) => ({
	resource: 'configuration', operation: 'update', path: EMAIL, mode: 'merge', fields: JSON.stringify({ admin_address: 'ops@example.com' }), autoCommit: true, ...extra,
});
const txPuts = (sim) => count(sim, '/api/transaction', 'PUT');

/** An SPS with mutual TLS and a certificate-mapped user; credential overrides for certificate login. */
async function x509Sim(ctx, options = {}) {
	const pki = makePki();
	const sim = await ctx.sim({
		users: [{ username: 'certuser', password: 'unused-Cert-Passw0rd', loginMethod: 'certificates', clientCertCN: pki.clientCN }],
		tls: { key: pki.serverKeyPem, cert: pki.serverCertPem, ca: [pki.caPem], requestCert: true, rejectUnauthorized: false },
		...options,
	});
	const cred = {
		authType: 'x509', caCertificate: pki.caPem, clientCertificate: pki.clientCertPem, clientKey: pki.encryptedClientKeyPem,
		clientKeyPassphrase: pki.passphrase, loginMethod: 'certificates', password: '', username: '',
	};
	// the unencrypted form of the same key is secret material too
	ctx.secret('client private key (unencrypted form)', pki.clientKeyPem.split('\n')[1]);
	return { sim, cred, pki };
}

const N8N1_NO_CLIENT_CERT = "n8n 1.x's httpRequest ignores agentOptions: no CA and no client certificate, so certificate login needs n8n 2.x (documented limitation)";

function sps(id, title, expected, run, expect, extra = {}) {
	return { appliance: 'sps', id, title, expected, run, expect, ...extra };
}

const USERS = '/api/configuration/aaa/local_database/users';
const GROUPS = '/api/configuration/aaa/local_database/groups';
const CHANNELS = '/api/configuration/ssh/channel_policies';
const AUDITOR = '46785097158061f46c63d0';
// a local user's password, given by an expression so that the workflow's own parameters do not hold it: wherever the
// leak check finds it, the node put it there
const USER_PASSWORD = 'Fault-User-Pw-7731';
const passwordParam = "={{ 'Fault-User' + '-Pw-' + '7731' }}";
const byKey = (value) => ({ __rl: true, mode: 'id', value });
const userNames = (sim) => [...sim.state.config.children.aaa.children.local_database.children.users.members.values()].map((u) => u.name);
const groupMembers = (sim, key) => sim.state.config.children.aaa.children.local_database.children.groups.members.get(key)?.members;

/**
 * An action inside a transaction whose answer is lost (the connection resets after SPS did the work): the request
 * is sent once and not resent, the error says so, and the configuration is unchanged (rolled back) — or, when the
 * commit's answer is lost, the commit is neither resent nor rolled back. `changed(sim)` says whether SPS's committed
 * configuration holds the change.
 */
function lostAnswer(id, title, { params, method, path, commit = false, changed, prepare }) {
	return sps(
		id,
		title,
		commit
			? 'commit sent once, not resent, not rolled back; error says the outcome is unknown and how to check; the change is committed'
			: 'sent once, not resent; rolled back, nothing changed; error says what happened',
		async (ctx) => {
			ctx.secret('local user password', USER_PASSWORD);
			const sim = await ctx.sim();
			if (prepare) await prepare(sim);
			sim.faults.add({ method: commit ? 'PUT' : method, path: commit ? '/api/transaction' : path, reset: 'after' });
			const r = await ctx.run(ctx.engine(sim), params);
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.eq(count(sim, path, method), 1, 'action requests');
			v.ok(!!r.error, 'fails');
			v.match(text, /outcome .*unknown/i, 'says the outcome is unknown');
			if (commit) {
				v.eq(txPuts(sim), 1, 'commit requests');
				v.eq(count(sim, '/api/transaction', 'DELETE'), 0, 'rollbacks');
				v.match(text, /Get Status|Get Changes/, 'how to check');
				v.ok(changed(sim), 'committed on SPS');
			} else {
				v.match(text, /rolled back/i, 'says it was rolled back');
				v.eq(sim.state.commits, 0, 'commits');
				v.ok(!changed(sim), 'configuration unchanged');
			}
			return v.done(`${count(sim, path, method)} ${method} ${path.replace('/api/configuration/', '')}, ${sim.state.commits} commit(s); "${text}"`);
		},
	);
}

const newChannelPolicy = JSON.stringify({ name: 'fault-policy', rules: [] });
const policyNames = (sim) => [...sim.state.config.children.ssh.children.channel_policies.members.values()].map((p) => p.name);

module.exports = [
	sps(
		'return-all-while-sessions-change',
		'Audit Session → Search, Return All over 2,000 sessions; between pages SPS records 40 sessions, an administrator deletes 25 and hides 15 already read',
		'every session that existed during the whole read exactly once, nothing that never existed, no warning',
		async (ctx) => {
			const sim = await ctx.sim({ sessions: 2000, activeSessions: 0, alertEvery: 0 });
			const initial = sim.state.audit.map((x) => x.key);
			const removed = [];
			let n = 0;
			sim.onRequest = ({ entry }) => {
				if (entry.path !== '/api/audit/sessions') return;
				n++;
				if (n === 2) {
					const read = sim.listed().slice(50, 90);
					removed.push(...read);
					sim.deleteSessions(read.slice(0, 25));
					sim.hideSessions(read.slice(25));
				}
				if (n === 3) sim.addSessions(40, { startMs: sim.clock.now(), stepMs: 100 });
			};
			const r = await ctx.run(ctx.engine(sim), ctx.a.list.params);
			const ever = new Set(sim.state.audit.map((x) => x.key).concat(initial));
			return { r, sim, survivors: initial.filter((k) => !removed.includes(k)), ever };
		},
		({ r, sim, survivors, ever }) => {
			const v = verdict();
			const keys = (r.items || []).map((x) => x.key);
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(survivors.filter((k) => !keys.includes(k)).length, 0, 'sessions missing');
			v.eq(keys.length - new Set(keys).size, 0, 'duplicates');
			v.eq(keys.filter((k) => !ever.has(k)).length, 0, 'sessions that never existed');
			v.ok(!(r.items[0] || {})._warning, 'no warning');
			return v.done(`${keys.length} returned, all ${survivors.length} survivors, ${count(sim, '/api/audit/sessions', 'GET')} list requests`);
		},
	),
	sps(
		'new-alert-long-running-session',
		'New Alert trigger: a session started 6 hours ago, still running, raises an alert; then it ends right after a last one',
		'both alerts emitted once each, on the polls after they were raised',
		async (ctx) => {
			const sim = await ctx.sim({ sessions: 0, activeSessions: 0, alertEvery: 0 });
			const engine = ctx.engine(sim);
			const params = { event: 'newAlert', query: '', options: { overlapMinutes: 10 } };
			const [s] = sim.addSessions(1, { startMs: sim.clock.now() - 6 * 3600_000, active: true, noAlerts: true });
			const baseline = await ctx.poll(engine, params);
			sim.clock.advance(60_000);
			const a1 = sim.addAlert(s.key, { time: new Date(sim.clock.now() - 5000).toISOString() });
			const first = await ctx.poll(engine, params);
			sim.clock.advance(60_000);
			const a2 = sim.addAlert(s.key, { time: new Date(sim.clock.now() - 5000).toISOString() });
			sim.endSession(s.key);
			const second = await ctx.poll(engine, params);
			const third = await ctx.poll(engine, params);
			return { baseline, first, second, third, a1, a2 };
		},
		({ baseline, first, second, third, a1, a2 }) => {
			const v = verdict();
			const ids = (p) => (p.items || []).map((x) => x.record_id);
			v.ok(!baseline.error && baseline.result === null, 'baseline emits nothing');
			v.eq(ids(first), [a1.record_id], 'first poll');
			v.eq(ids(second), [a2.record_id], 'second poll (the session ended meanwhile)');
			v.ok(!third.error && third.result === null, 'then nothing');
			return v.done(`emitted ${ids(first).length} + ${ids(second).length}, then ${third.result === null ? 'nothing' : ids(third).length}`);
		},
	),
	sps(
		'current-user-no-csrf-token',
		'System → Get Current User (SPS’s /api/user_info carries the login session’s CSRF token, x_token)',
		'the user, login method and endpoints; no x_token (the leak check looks for every X-Token SPS issued)',
		async (ctx) => {
			const sim = await ctx.sim();
			const r = await ctx.run(ctx.engine(sim), { resource: 'system', operation: 'getCurrentUser', simplify: false });
			return { r };
		},
		({ r }) => {
			const v = verdict();
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(Object.keys(r.items[0] || {}).sort(), ['endpoints', 'login_method', 'user'], 'fields');
			return v.done(`fields: ${Object.keys(r.items[0] || {}).join(', ')}`);
		},
	),
	sps(
		'commit-answer-lost',
		'Transaction → Commit; the connection resets after SPS committed',
		'commit sent once, not resent, not rolled back; error says the outcome is unknown and how to check (Get Status / Get Changes)',
		async (ctx) => {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			const pending = await ctx.run(engine, update({ autoCommit: false }));
			sim.faults.add({ method: 'PUT', path: '/api/transaction', reset: 'after' });
			const r = await ctx.run(engine, { resource: 'transaction', operation: 'commit' });
			return { pending, r, sim };
		},
		({ pending, r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.ok(!pending.error, `the change is pending (${errorText(pending)})`);
			v.eq(txPuts(sim), 1, 'commit requests');
			v.eq(count(sim, '/api/transaction', 'DELETE'), 0, 'rollbacks');
			v.eq(sim.state.commits, 1, 'commits on the appliance');
			v.match(text, /unknown/i, 'outcome unknown');
			v.match(text, /Get Status|Get Changes/, 'how to check');
			return v.done(`${txPuts(sim)} commit request, ${sim.state.commits} commit on SPS; "${text}"`);
		},
	),
	sps(
		'commit-reset-before-body',
		'Transaction → Commit; the connection resets before SPS read the {"status":"commit"} body',
		'commit sent once, not resent (the client cannot know it did not arrive); error says the outcome is unknown; nothing committed',
		async (ctx) => {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			await ctx.run(engine, update({ autoCommit: false }));
			sim.faults.add({ method: 'PUT', path: '/api/transaction', reset: 'before' });
			const r = await ctx.run(engine, { resource: 'transaction', operation: 'commit' });
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.eq(txPuts(sim), 1, 'commit requests');
			v.eq(sim.state.commits, 0, 'commits on the appliance');
			v.match(text, /unknown/i, 'outcome unknown');
			v.match(text, /Get Status|Get Changes/, 'how to check');
			return v.done(`${txPuts(sim)} commit request, ${sim.state.commits} commits; "${text}"`);
		},
	),
	sps(
		'commit-gateway-502',
		'Transaction → Commit answered 502 by a gateway',
		'not resent; error says the outcome is unknown and how to check',
		async (ctx) => {
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			await ctx.run(engine, update({ autoCommit: false }));
			sim.faults.add({ method: 'PUT', path: '/api/transaction', status: 502 });
			const r = await ctx.run(engine, { resource: 'transaction', operation: 'commit' });
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.eq(txPuts(sim), 1, 'commit requests');
			v.match(text, /unknown/i, 'outcome unknown');
			v.match(text, /Get Status|Get Changes/, 'how to check');
			return v.done(`${txPuts(sim)} commit request; "${text}"`);
		},
	),
	sps(
		'commit-answer-past-timeout',
		'auto-commit of a configuration update: SPS commits but answers after the 1 s timeout',
		'commit sent once, not rolled back; error says the outcome is unknown and how to check',
		async (ctx) => {
			const sim = await ctx.sim();
			delayAnswer(sim, { method: 'PUT', path: '/api/transaction' }, 1500);
			const r = await ctx.run(ctx.engine(sim, { timeoutSeconds: 1 }), update());
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.eq(txPuts(sim), 1, 'commit requests');
			v.eq(count(sim, '/api/transaction', 'DELETE'), 0, 'rollbacks');
			v.match(text, /unknown/i, 'outcome unknown');
			v.match(text, /Get Status|Get Changes/, 'how to check');
			return v.done(`${txPuts(sim)} commit request, ${sim.state.commits} commit on SPS; "${text}"`);
		},
	),
	sps(
		'apikey-create-answer-lost',
		'API Key → Create; the connection resets after SPS created the key',
		'create sent once, not resent; the transaction is rolled back (no key committed); the new token appears nowhere',
		async (ctx) => {
			const sim = await ctx.sim();
			sim.faults.add({ method: 'POST', path: '/api/user/api_keys', reset: 'after' });
			const r = await ctx.run(ctx.engine(sim), { resource: 'apiKey', operation: 'create', name: 'n8n_automation' });
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.eq(count(sim, '/api/user/api_keys', 'POST'), 1, 'create requests');
			v.eq(sim.state.apiKeys.length, 0, 'committed keys');
			v.eq(sim.issuedTokens.size, 1, 'tokens issued by SPS (leak-checked)');
			v.match(text, /unknown|rolled back/i, 'says what happened');
			v.match(text, /rolled back/i, 'says it was rolled back');
			return v.done(`${count(sim, '/api/user/api_keys', 'POST')} create request, ${sim.state.apiKeys.length} keys committed; "${text}"`);
		},
	),
	sps(
		'apikey-create-commit-lost',
		'API Key → Create; the commit answer is lost',
		'commit sent once, not resent, not rolled back; error says the outcome is unknown and how to check',
		async (ctx) => {
			const sim = await ctx.sim();
			sim.faults.add({ method: 'PUT', path: '/api/transaction', reset: 'after' });
			const r = await ctx.run(ctx.engine(sim), { resource: 'apiKey', operation: 'create', name: 'n8n_automation' });
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.eq(count(sim, '/api/user/api_keys', 'POST'), 1, 'create requests');
			v.eq(txPuts(sim), 1, 'commit requests');
			v.eq(count(sim, '/api/transaction', 'DELETE'), 0, 'rollbacks');
			v.eq(sim.state.apiKeys.length, 1, 'keys committed on SPS');
			v.match(text, /unknown/i, 'outcome unknown');
			v.match(text, /Get Many|Get Status|Get Changes/, 'how to check');
			return v.done(`${count(sim, '/api/user/api_keys', 'POST')} create, ${txPuts(sim)} commit request, ${sim.state.apiKeys.length} key committed; "${text}"`);
		},
	),
	sps(
		'apikey-create-ok-token-once',
		'API Key → Create succeeds',
		'the token is in the output item once and nowhere else (not in logs or other outputs)',
		async (ctx) => {
			const sim = await ctx.sim();
			const r = await ctx.run(ctx.engine(sim), { resource: 'apiKey', operation: 'create', name: 'n8n_automation' });
			// the only place the new token may appear is this execution's output
			for (const t of sim.issuedTokens) ctx.allow(t, 'execution');
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const key = sim.state.apiKeys[0];
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.ok(!!key, 'key committed');
			v.eq((r.items || []).filter((i) => i.token === (key && key.token)).length, 1, 'token in the output item');
			v.eq(sim.state.commits, 1, 'commits');
			return v.done(`key committed, token returned once in the output`);
		},
	),
	sps(
		'apikey-delete-answer-lost',
		'API Key → Delete; the connection resets after SPS accepted the deletion',
		'delete sent once, not resent; rolled back; error says what happened; the key still works',
		async (ctx) => {
			const sim = await ctx.sim();
			const seeded = sim.seedApiKey('admin', 'old_key');
			ctx.secret('seeded API key token', seeded.token);
			sim.faults.add({ method: 'DELETE', path: `/api/user/api_keys/${seeded.key}`, reset: 'after' });
			const r = await ctx.run(ctx.engine(sim), { resource: 'apiKey', operation: 'delete', apiKeyId: { __rl: true, mode: 'id', value: seeded.key } });
			return { r, sim, seeded };
		},
		({ r, sim, seeded }) => {
			const v = verdict();
			const text = errorText(r);
			v.eq(count(sim, `/api/user/api_keys/${seeded.key}`, 'DELETE'), 1, 'delete requests');
			v.ok(!!text, 'fails');
			v.match(text, /unknown|rolled back/i, 'says what happened');
			v.eq(sim.state.apiKeys.length, 1, 'key still present');
			return v.done(`${count(sim, `/api/user/api_keys/${seeded.key}`, 'DELETE')} delete request; "${text}"`);
		},
	),
	sps(
		'config-update-answer-lost',
		'Configuration → Update (auto-commit); the connection resets after SPS applied the PUT',
		'PUT sent once, not resent; rolled back; configuration unchanged; error says what happened',
		async (ctx) => {
			const sim = await ctx.sim();
			sim.faults.add({ method: 'PUT', path: EMAIL_HREF, reset: 'after' });
			const r = await ctx.run(ctx.engine(sim), update());
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.eq(count(sim, EMAIL_HREF, 'PUT'), 1, 'update requests');
			v.eq(sim.state.commits, 0, 'commits');
			v.eq(sim.configBody(EMAIL_HREF).admin_address, 'root@example.com', 'admin_address');
			v.match(text, /rolled back/i, 'says it was rolled back');
			return v.done(`${count(sim, EMAIL_HREF, 'PUT')} PUT, ${sim.state.commits} commits; "${text}"`);
		},
	),
	sps(
		'lock-held-by-other-config-update',
		'Configuration → Update while another administrator holds the configuration lock',
		'not retried; clear error naming who holds the lock and what to do; configuration unchanged',
		async (ctx) => {
			const sim = await ctx.sim();
			sim.lockByOther('other-admin');
			const r = await ctx.run(ctx.engine(sim), update());
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.ok(!!r.error, 'fails');
			v.match(text, /lock/i, 'says the configuration is locked');
			v.match(text, /other-admin/, 'names who holds it');
			v.match(text, /commit|roll(ed)? back|wait/i, 'says what to do');
			v.eq(count(sim, '/api/transaction', 'POST'), 1, 'open-transaction requests');
			v.eq(count(sim, EMAIL_HREF, 'PUT'), 0, 'update requests');
			v.eq(sim.state.commits, 0, 'commits');
			return v.done(`"${text}"`);
		},
	),
	sps(
		'lock-held-by-other-apikey-create',
		'API Key → Create while another administrator holds the configuration lock',
		'not retried; clear error naming who holds the lock; no key created',
		async (ctx) => {
			const sim = await ctx.sim();
			sim.lockByOther('other-admin');
			const r = await ctx.run(ctx.engine(sim), { resource: 'apiKey', operation: 'create', name: 'n8n_automation' });
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.match(text, /lock/i, 'says the configuration is locked');
			v.match(text, /other-admin/, 'names who holds it');
			v.eq(count(sim, '/api/user/api_keys', 'POST'), 0, 'create requests');
			v.eq(sim.state.apiKeys.length, 0, 'keys');
			return v.done(`"${text}"`);
		},
	),
	sps(
		'lock-held-by-other-commit',
		'Transaction → Commit while another administrator holds the lock (nothing of ours is open)',
		'clear error: nothing to commit; not retried',
		async (ctx) => {
			const sim = await ctx.sim();
			sim.lockByOther('other-admin');
			const r = await ctx.run(ctx.engine(sim), { resource: 'transaction', operation: 'commit' });
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.match(text, /no open transaction|nothing|lock/i, 'says there is nothing to commit / locked');
			v.eq(txPuts(sim), 1, 'commit requests');
			v.eq(sim.state.commits, 0, 'commits');
			return v.done(`"${text}"`);
		},
	),
	sps(
		'apikey-auth-refused',
		'API-key credential with a revoked key, 3 items with Continue On Fail',
		'at most 2 requests (n8n\'s one retry after a 401), then every item gets a clear "refused the API key" error; the key never appears',
		async (ctx) => {
			const sim = await ctx.sim();
			const revoked = 'revoked-api-key-token-6f1d2c9b8a7e';
			const r = await ctx.run(ctx.engine(sim, { authType: 'apiKey', apiKey: revoked }), ctx.a.read.params, { input: [{}, {}, {}], settings: { continueOnFail: true } });
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			v.eq(r.items.length, 3, 'items');
			v.ok(r.items.every((i) => /refused the API key/.test(String(i.error))), 'every item: refused the API key');
			v.atMost(count(sim, '/api/audit/sessions'), 2, 'requests');
			return v.done(`${count(sim, '/api/audit/sessions')} requests for 3 items; "${r.items[0] && r.items[0].error}"`);
		},
	),
	sps(
		'x509-session-killed-mid-return-all',
		'client-certificate login (encrypted key); all sessions killed when page 2 of a Return All arrives',
		'one re-login with the certificate, all rows exactly once; no key material or passphrase anywhere',
		async (ctx) => {
			const { sim, cred } = await x509Sim(ctx, { sessions: 1200, activeSessions: 0 });
			onRequest(sim, { path: '/api/audit/sessions', nth: 2 }, () => sim.expireSessions());
			const r = await ctx.run(ctx.engine(sim, cred), ctx.a.list.params);
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const keys = (r.items || []).map((x) => x.key);
			v.ok(!r.error, `no error (${errorText(r)})`);
			v.eq(keys.length, 1200, 'rows');
			v.eq(new Set(keys).size, 1200, 'distinct rows');
			v.eq(sim.logins().filter((l) => l.type === 'x509' && l.ok).length, 2, 'certificate logins');
			return v.done(`${keys.length} rows, ${sim.logins().filter((l) => l.type === 'x509' && l.ok).length} certificate logins`);
		},
		{ limitationOnN8n1: N8N1_NO_CLIENT_CERT }
	),
	sps(
		'x509-wrong-passphrase',
		'client-certificate login with a wrong key passphrase',
		'clear error naming the passphrase field; neither passphrase nor key material in the message; one attempt',
		async (ctx) => {
			const { sim, cred } = await x509Sim(ctx);
			ctx.secret('wrong passphrase', 'Wrong-Passphrase-0000');
			const r = await ctx.run(ctx.engine(sim, { ...cred, clientKeyPassphrase: 'Wrong-Passphrase-0000' }), ctx.a.read.params, { input: [{}, {}], settings: { continueOnFail: true } });
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.match(text, /passphrase/i, 'names the passphrase');
			v.eq((r.items || []).length, 2, 'error items');
			v.atMost(sim.logins().length, 1, 'login attempts at SPS');
			return v.done(`"${text}"`);
		},
		{ limitationOnN8n1: N8N1_NO_CLIENT_CERT }
	),
	lostAnswer('config-create-answer-lost', 'Configuration → Create (auto-commit); the connection resets after SPS added the entry', {
		params: { resource: 'configuration', operation: 'create', listPath: 'configuration/ssh/channel_policies', fields: newChannelPolicy },
		method: 'POST',
		path: CHANNELS,
		changed: (sim) => policyNames(sim).includes('fault-policy'),
	}),
	lostAnswer('config-create-commit-lost', 'Configuration → Create (auto-commit); the commit answer is lost', {
		params: { resource: 'configuration', operation: 'create', listPath: 'configuration/ssh/channel_policies', fields: newChannelPolicy },
		method: 'POST',
		path: CHANNELS,
		commit: true,
		changed: (sim) => policyNames(sim).includes('fault-policy'),
	}),
	lostAnswer('config-delete-answer-lost', 'Configuration → Delete (auto-commit); the connection resets after SPS deleted the entry', {
		// shell-and-sftp is referenced by the ssh-lab connection: delete that one's reference first
		params: { resource: 'configuration', operation: 'delete', listPath: 'configuration/ssh/connections', entryKey: byKey('9a1b2c3d4e5f60718293a4') },
		method: 'DELETE',
		path: '/api/configuration/ssh/connections/9a1b2c3d4e5f60718293a4',
		changed: (sim) => !sim.configBody('/api/configuration/ssh/connections/9a1b2c3d4e5f60718293a4'),
	}),
	lostAnswer('local-user-password-answer-lost', 'Local User → Create; the connection resets after SPS stored the password reference', {
		params: { resource: 'localUser', operation: 'create', name: 'jdoe', password: passwordParam, options: { groups: ['-401'] } },
		method: 'POST',
		path: '/api/configuration/passwords',
		changed: (sim) => userNames(sim).includes('jdoe') || sim.state.config.children.passwords.members.size !== 2,
	}),
	lostAnswer('local-user-create-answer-lost', 'Local User → Create in a group; the connection resets after SPS created the user', {
		params: { resource: 'localUser', operation: 'create', name: 'jdoe', password: passwordParam, options: { groups: ['-401'] } },
		method: 'POST',
		path: USERS,
		changed: (sim) => userNames(sim).includes('jdoe') || groupMembers(sim, '-401').includes('jdoe'),
	}),
	lostAnswer('local-user-create-commit-lost', 'Local User → Create in a group; the commit answer is lost', {
		params: { resource: 'localUser', operation: 'create', name: 'jdoe', password: passwordParam, options: { groups: ['-401'] } },
		method: 'POST',
		path: USERS,
		commit: true,
		changed: (sim) => userNames(sim).includes('jdoe') && groupMembers(sim, '-401').includes('jdoe'),
	}),
	lostAnswer('local-user-update-answer-lost', 'Local User → Update (new password and name); the connection resets after SPS changed the user', {
		params: { resource: 'localUser', operation: 'update', userId: byKey(AUDITOR), updateFields: { name: 'auditor2', password: passwordParam } },
		method: 'PUT',
		path: `${USERS}/${AUDITOR}`,
		changed: (sim) => userNames(sim).includes('auditor2') || !groupMembers(sim, '-401').includes('auditor'),
	}),
	lostAnswer('local-user-delete-answer-lost', 'Local User → Delete; the connection resets after SPS deleted the user', {
		params: { resource: 'localUser', operation: 'delete', userId: byKey(AUDITOR) },
		method: 'DELETE',
		path: `${USERS}/${AUDITOR}`,
		changed: (sim) => !userNames(sim).includes('auditor') || !groupMembers(sim, '-401').includes('auditor'),
	}),
	lostAnswer('local-user-membership-answer-lost', 'Local User → Delete; the connection resets after SPS removed the name from a group', {
		params: { resource: 'localUser', operation: 'delete', userId: byKey(AUDITOR) },
		method: 'PUT',
		path: `${GROUPS}/-402`,
		changed: (sim) => !userNames(sim).includes('auditor') || !groupMembers(sim, '-402').includes('auditor'),
	}),
	lostAnswer('local-group-create-answer-lost', 'Local Group → Create; the connection resets after SPS created the group', {
		params: { resource: 'localGroup', operation: 'create', name: 'fault-group', members: 'auditor' },
		method: 'POST',
		path: GROUPS,
		changed: (sim) => [...sim.state.config.children.aaa.children.local_database.children.groups.members.values()].some((g) => g.name === 'fault-group'),
	}),
	lostAnswer('local-group-update-answer-lost', 'Local Group → Update (add a member); the connection resets after SPS changed the group', {
		params: { resource: 'localGroup', operation: 'update', groupId: byKey('-403'), membersMode: 'add', members: 'auditor' },
		method: 'PUT',
		path: `${GROUPS}/-403`,
		changed: (sim) => groupMembers(sim, '-403').includes('auditor'),
	}),
	lostAnswer('local-group-delete-answer-lost', 'Local Group → Delete; the connection resets after SPS deleted the group', {
		params: { resource: 'localGroup', operation: 'delete', groupId: byKey('-403') },
		method: 'DELETE',
		path: `${GROUPS}/-403`,
		changed: (sim) => groupMembers(sim, '-403') === undefined,
	}),
	sps(
		'local-user-create-password-nowhere',
		'Local User → Create succeeds, then the same name again fails (SPS refuses a duplicate)',
		'the password reached SPS once per attempt and appears in no output, message or log',
		async (ctx) => {
			ctx.secret('local user password', USER_PASSWORD);
			const sim = await ctx.sim();
			const engine = ctx.engine(sim);
			const params = { resource: 'localUser', operation: 'create', name: 'jdoe', password: passwordParam };
			const ok = await ctx.run(engine, params);
			const again = await ctx.run(engine, params);
			return { ok, again, sim };
		},
		({ ok, again, sim }) => {
			const v = verdict();
			v.ok(!ok.error, `created (${errorText(ok)})`);
			v.match(errorText(again), /already exists/, 'the duplicate is refused with SPS’s reason');
			v.eq(sim.storedPasswords.filter((p) => p === USER_PASSWORD).length, 2, 'passwords SPS received');
			v.eq(userNames(sim).filter((n) => n === 'jdoe').length, 1, 'users named jdoe');
			return v.done(`created once; the second attempt: "${errorText(again)}"`);
		},
	),
	sps(
		'lock-held-by-other-local-user-create',
		'Local User → Create while another administrator holds the configuration lock',
		'not retried; clear error naming who holds the lock; no password stored, no user created',
		async (ctx) => {
			ctx.secret('local user password', USER_PASSWORD);
			const sim = await ctx.sim();
			sim.lockByOther('other-admin');
			const r = await ctx.run(ctx.engine(sim), { resource: 'localUser', operation: 'create', name: 'jdoe', password: passwordParam });
			return { r, sim };
		},
		({ r, sim }) => {
			const v = verdict();
			const text = errorText(r);
			v.match(text, /locked by "other-admin"/, 'names who holds the lock');
			v.eq(count(sim, '/api/configuration/passwords', 'POST'), 0, 'password requests');
			v.eq(count(sim, USERS, 'POST'), 0, 'create requests');
			v.eq(sim.storedPasswords.length, 0, 'passwords SPS received');
			return v.done(`"${text}"`);
		},
	),
];
