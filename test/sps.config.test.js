'use strict';
/**
 * SPS configuration, transactions and API keys through the real n8n engine: update with auto-commit (exact
 * request sequence and count), rollback on failure, the configuration lock, pending-change guard, manual
 * commit/rollback, references written as keys, API-key create → commit → usable, delete, admin list, API-key
 * credentials refused before any request, non-idempotent actions never retried.
 */
const { Engine, assertNoSecrets } = require('./harness');
const { startSpsFixture, pinSpsVersion } = require('./sim/sps');

// written for node version 1, whose defaults saved workflows keep (version 1.1: test/sps.simplify.test.js)
pinSpsVersion(1);

const CRED = 'safeguardSpsApi';
const NODE = 'safeguardSps';
const EMAIL = 'configuration/management/email';
const CONNECTION = 'configuration/ssh/connections/8348340645707e2575e3c6';

let f;
const outputs = [];
const keep = (r) => {
	outputs.push(r.items, r.error && { message: r.error.message, description: r.error.description });
	return r;
};
const run = async (engine, parameters, opts) => keep(await engine.runNode(NODE, CRED, parameters, opts));
const update = (path, fields, extra = {}) => ({ resource: 'configuration', operation: 'update', path, fields: JSON.stringify(fields), mode: 'merge', autoCommit: true, ...extra });
const since = (mark) => f.sim.requests.slice(mark).map((q) => `${q.method} ${q.path}${q.rawQuery ? `?${q.rawQuery}` : ''} ${q.status}`);

beforeAll(async () => {
	f = await startSpsFixture({ sessions: 5 });
});
afterEach(() => {
	f.sim.faults.clear();
	f.sim.releaseLock();
});
afterAll(async () => {
	await f.sim.stop();
	// the credential secrets never appear; API-key tokens appear only in the create output that returns them once
	const created = outputs.flat().filter((o) => o && o.note && o.token).map((o) => o.token);
	const others = outputs.filter((o) => !(Array.isArray(o) && o.some((x) => x && x.note)));
	assertNoSecrets(['Admin-Passw0rd!', ...[...f.sim.state.sessions.keys()], ...f.sim.state.apiKeys.map((k) => k.token).filter((t) => !created.includes(t))], outputs);
	assertNoSecrets(['Admin-Passw0rd!', ...created], others);
});

describe('Configuration → Update with auto-commit', () => {
	test('GET transaction → POST transaction → GET → merge → PUT → commit; prints the request count', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const mark = f.sim.requests.length;
		const r = await run(engine, update(EMAIL, { admin_address: 'ops@example.com', smtp_server: { value: '10.0.0.2' } }));
		expect(r.error).toBeUndefined();
		expect(r.items[0]).toMatchObject({ path: EMAIL, key: 'email', committed: true, changedFields: ['admin_address', 'smtp_server.value'] });
		expect(f.sim.configBody(`/api/${EMAIL}`)).toMatchObject({ admin_address: 'ops@example.com', smtp_server: { selection: 'ip', value: '10.0.0.2' }, sender_address: 'sps@example.com' });
		const log = since(mark);
		expect(log).toEqual([
			'GET /api/authentication 200',
			'GET /api/transaction 200',
			'POST /api/transaction 200',
			`GET /api/${EMAIL} 200`,
			`PUT /api/${EMAIL} 200`,
			'PUT /api/transaction 200',
		]);
		const put = f.sim.requests[mark + 4];
		expect(JSON.parse(put.body).smtp_auth).toEqual({ enabled: false }); // the whole object is written back
		expect(JSON.parse(f.sim.requests[mark + 5].body)).toEqual({ status: 'commit' });
		console.log(`[request count] update-config with auto-commit: ${log.length} requests including the login (${log.length - 1} with an existing session)`);
		expect(f.sim.state.transaction).toBeNull();
	});

	test('references from GET are written back as key strings (SPS rejects reference objects)', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const mark = f.sim.requests.length;
		const r = await run(engine, update(CONNECTION, { name: 'ssh-production', network: { ports: [22, 2022] } }));
		expect(r.error).toBeUndefined();
		const put = f.sim.requests.slice(mark).find((q) => q.method === 'PUT' && q.path === `/api/${CONNECTION}`);
		const sent = JSON.parse(put.body);
		expect(sent.channel_policy).toBe('-10000');
		expect(sent.indexing.policy).toBe('-50000');
		expect(f.sim.configBody(`/api/${CONNECTION}`)).toMatchObject({
			name: 'ssh-production',
			network: { ports: [22, 2022], clients: ['0.0.0.0/0'] },
			channel_policy: { key: '-10000', meta: { href: '/api/configuration/ssh/channel_policies/-10000' } },
		});
		// and a user may point a reference elsewhere with the key string
		const r2 = await run(engine, update(CONNECTION, { channel_policy: '-10001' }));
		expect(r2.error).toBeUndefined();
		expect(f.sim.configBody(`/api/${CONNECTION}`).channel_policy.key).toBe('-10001');
	});

	test('SPS rejects the change → rolled back; the error quotes SPS and says so; the lock is released', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const before = f.sim.configBody(`/api/${EMAIL}`);
		const rollbacks = f.sim.state.rollbacks;
		const mark = f.sim.requests.length;
		const r = await run(engine, update(EMAIL, { admin_address: 'not an address' }));
		expect(r.status).toBe('error');
		expect(r.error.message).toBe('SPS rejected update configuration/management/email at "admin_address": "SemanticError: Invalid e-mail address: not an address; path: admin_address" (transaction rolled back)');
		expect(r.error.description).toContain('The transaction was rolled back: the SPS configuration is unchanged.');
		expect(since(mark).slice(-2)).toEqual([`PUT /api/${EMAIL} 400`, 'DELETE /api/transaction 200']);
		expect(f.sim.configBody(`/api/${EMAIL}`)).toEqual(before);
		expect(f.sim.state.rollbacks).toBe(rollbacks + 1);
		expect(f.sim.state.transaction).toBeNull();
	});

	test('an unknown field (typo) is refused by SPS and rolled back; the message names it', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const r = await run(engine, update(EMAIL, { admin_adress: 'ops@example.com' }));
		expect(r.error.message).toBe(
			'SPS rejected update configuration/management/email: "SyntacticError: The body does not match the schema of this object; unknown fields: admin_adress" (transaction rolled back)',
		);
	});

	test('D11: SPS’s lists of missing, unknown and wrongly typed fields are quoted in the error, with what to do', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const r = await run(
			engine,
			update('configuration/management/disk_fillup_prevention', { enabled: 'yes', used_space_ratio_limit: '90%', colour: 'blue', size: 3 }, { mode: 'replace' }),
		);
		expect(r.error.message).toBe(
			'SPS rejected update configuration/management/disk_fillup_prevention: "SyntacticError: The body does not match the schema of this object; missing fields: archiving_enabled; unknown fields: colour, size; invalid types: enabled (expected: a boolean), used_space_ratio_limit (expected: a number)" (transaction rolled back)',
		);
		expect(r.error.description).toContain('Correct the fields SPS lists (missing, unknown or of the wrong type)');
		expect(r.error.description).toContain('Configuration → Get');
		expect(f.sim.configBody('/api/configuration/management/disk_fillup_prevention')).toEqual({ archiving_enabled: false, enabled: true, used_space_ratio_limit: 90 });
	});

	test('a failing rollback is reported together with the original error', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		f.sim.faults.add({ method: 'DELETE', path: '/api/transaction', status: 500, body: { error: { code: 'InternalError', details: { message: 'rollback exploded' } } } });
		const r = await run(engine, update(EMAIL, { admin_address: 'broken' }));
		expect(r.error.message).toContain('(and the rollback failed)');
		expect(r.error.description).toContain('Rolling the transaction back also failed');
		expect(r.error.description).toContain('rollback exploded');
		expect(r.error.description).toContain('Transaction → Roll Back');
		// clean up the transaction the failed rollback left
		await run(engine, { resource: 'transaction', operation: 'rollback' });
		expect(f.sim.state.transaction).toBeNull();
	});

	test('configuration locked by another administrator: clear message, nothing written', async () => {
		f.sim.lockByOther('other-admin');
		const engine = new Engine({ [CRED]: f.password() });
		const mark = f.sim.requests.length;
		const r = await run(engine, update(EMAIL, { admin_address: 'ops2@example.com' }));
		// D11: the lock error reads as a sentence, whatever the operation ("open a transaction was not done" before)
		expect(r.error.message).toBe('SPS could not open a transaction because the configuration is locked by "other-admin": "ConfigurationLocked: The configuration is locked by another session; locked_by: other-admin"');
		expect(r.error.message).not.toContain('was not done');
		expect(r.error.description).toContain('Wait until it is committed or rolled back');
		expect(since(mark).filter((l) => l.startsWith('PUT'))).toEqual([]);
		// the POST that took the lock is an action: not retried
		expect(since(mark).filter((l) => l.startsWith('POST /api/transaction'))).toHaveLength(1);
	});

	test('a commit whose answer is lost is neither retried nor rolled back; the message says how to check', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		f.sim.faults.add({ method: 'PUT', path: '/api/transaction', reset: 'after' });
		const mark = f.sim.requests.length;
		const r = await run(engine, update(EMAIL, { alerting_address: 'noc@example.com' }));
		expect(r.error.message).toContain('the outcome of commit the transaction is unknown');
		expect(r.error.description).toContain('Transaction → Get Status');
		const log = since(mark);
		expect(log.filter((l) => l.startsWith('PUT /api/transaction'))).toHaveLength(1);
		expect(log.filter((l) => l.startsWith('DELETE'))).toHaveLength(0);
		// SPS did commit (the reset came after the work)
		expect(f.sim.configBody(`/api/${EMAIL}`).alerting_address).toBe('noc@example.com');
	});

	test('"Replace Whole Object" PUTs the JSON as given (SPS rejects missing fields)', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const r = await run(engine, update('configuration/management/disk_fillup_prevention', { enabled: true }, { mode: 'replace' }));
		expect(r.error.message).toContain('missing fields: archiving_enabled, used_space_ratio_limit');
		const full = { archiving_enabled: true, enabled: true, used_space_ratio_limit: 80 };
		const ok = await run(engine, update('configuration/management/disk_fillup_prevention', full, { mode: 'replace' }));
		expect(ok.error).toBeUndefined();
		expect(f.sim.configBody('/api/configuration/management/disk_fillup_prevention')).toEqual(full);
	});

	test('invalid input is refused before any request', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const mark = f.sim.requests.length;
		const bad = await run(engine, { ...update(EMAIL, {}), fields: '{"admin_address": ' });
		expect(bad.error.message).toContain('Fields (JSON) is not valid JSON');
		const list = await run(engine, update('configuration/ssh/connections', { name: 'x' }));
		expect(list.error.message).toContain('is a list or folder, not a single object');
		const escape = await run(engine, update('configuration/../../etc', { a: 1 }));
		expect(escape.error.message).toContain('must not contain "." or ".." segments');
		expect(since(mark).filter((l) => l.startsWith('PUT /api/configuration'))).toEqual([]);
		expect(f.sim.state.transaction).toBeNull();
	});
});

describe('manual transactions', () => {
	test('update without auto-commit stays pending; auto-commit refuses to sweep it in; commit applies it', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const pending = await run(engine, update(EMAIL, { reporting_address: 'reports@example.com' }, { autoCommit: false }));
		expect(pending.items[0]).toMatchObject({ committed: false, transaction: 'open' });
		expect(pending.run.data.resultData.runData.Node[0].hints[0].message).toContain('Transaction → Commit');
		expect(f.sim.configBody(`/api/${EMAIL}`).reporting_address).toBe('');

		const status = await run(engine, { resource: 'transaction', operation: 'getStatus' });
		expect(status.items[0].status).toBe('open');
		const changes = await run(engine, { resource: 'transaction', operation: 'getChanges' });
		expect(changes.items).toHaveLength(1);
		expect(changes.items[0]).toMatchObject({ type: 'modify', path: `/api/${EMAIL}` });

		const mark = f.sim.requests.length;
		const guarded = await run(engine, update('configuration/management/disk_fillup_prevention', { enabled: false }));
		expect(guarded.error.message).toContain('already has an open transaction with 1 uncommitted change(s) (/api/configuration/management/email)');
		expect(since(mark).filter((l) => l.startsWith('PUT') || l.startsWith('POST'))).toEqual([]);

		const commit = await run(engine, { resource: 'transaction', operation: 'commit' });
		expect(commit.items[0]).toEqual({ committed: true, status: 'closed' });
		expect(f.sim.configBody(`/api/${EMAIL}`).reporting_address).toBe('reports@example.com');
	});

	test('roll back discards a pending change', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		await run(engine, update(EMAIL, { sender_address: 'pending@example.com' }, { autoCommit: false }));
		const r = await run(engine, { resource: 'transaction', operation: 'rollback' });
		expect(r.items[0]).toEqual({ rolledBack: true, status: 'closed' });
		expect(f.sim.configBody(`/api/${EMAIL}`).sender_address).toBe('sps@example.com');
		expect((await run(engine, { resource: 'transaction', operation: 'getStatus' })).items[0].status).toBe('closed');
	});

	test('committing with nothing open says that nothing was committed', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const r = await run(engine, { resource: 'transaction', operation: 'commit' });
		expect(r.error.message).toContain('SPS has no open transaction to commit');
		expect(r.error.description).toContain('Nothing was committed');
	});

	test('a commit answered by a gateway error is not retried', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		await run(engine, update(EMAIL, { sender_address: 'x@example.com' }, { autoCommit: false }));
		f.sim.faults.add({ method: 'PUT', path: '/api/transaction', status: 502, body: 'Bad Gateway' });
		const mark = f.sim.requests.length;
		const r = await run(engine, { resource: 'transaction', operation: 'commit' });
		expect(r.error.message).toContain('the outcome of commit the transaction is unknown (HTTP 502 from a gateway)');
		expect(since(mark)).toEqual(['PUT /api/transaction 502']);
		await run(engine, { resource: 'transaction', operation: 'rollback' });
	});
});

describe('API keys', () => {
	test('create → commit → the token works as an API-key credential; prints the request count', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const mark = f.sim.requests.length;
		const r = await run(engine, { resource: 'apiKey', operation: 'create', name: 'n8n_automation' });
		expect(r.error).toBeUndefined();
		const created = r.items[0];
		expect(created).toMatchObject({ name: 'n8n_automation', username: 'admin', committed: true });
		expect(created.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
		expect(created.note).toContain('never shows it again');
		expect(since(mark)).toEqual([
			'GET /api/authentication 200',
			'GET /api/transaction 200',
			'POST /api/transaction 200',
			'POST /api/user/api_keys 201',
			'PUT /api/transaction 200',
		]);

		const keyEngine = new Engine({ [CRED]: f.apiKey(created.token) });
		const me = await run(keyEngine, { resource: 'system', operation: 'getCurrentUser' });
		expect(me.error).toBeUndefined();
		expect(me.items[0].user.name).toBe('admin');
		expect(keyEngine.logins(CRED)).toBe(1); // the request-free marker, no login request
		const list = await run(engine, { resource: 'apiKey', operation: 'getMany', returnAll: true, includeBody: false });
		expect(list.items.map((k) => k.name)).toContain('n8n_automation');
		expect(JSON.stringify(list.items)).not.toContain(created.token);
	});

	test('simulator strictness: a created key is refused until its transaction is committed', async () => {
		const login = await f.raw('GET', '/api/authentication', { headers: { authorization: `Basic ${Buffer.from('admin:Admin-Passw0rd!').toString('base64')}` } });
		const cookie = String(login.headers['set-cookie'][0]).split(';')[0];
		const created = await f.raw('POST', '/api/user/api_keys', { headers: { cookie, 'content-type': 'application/json' }, body: '{"name":"raw_key"}' });
		expect(created.status).toBe(201);
		const asKey = { headers: { authorization: `apikey ${created.body.body.token}` } };
		expect((await f.raw('GET', '/api/user_info', asKey)).status).toBe(401);
		expect((await f.raw('PUT', '/api/transaction', { headers: { cookie, 'content-type': 'application/json' }, body: '{"status":"commit"}' })).status).toBe(200);
		expect((await f.raw('GET', '/api/user_info', asKey)).status).toBe(200);
		// and an API key cannot use transactions at all
		const tx = await f.raw('POST', '/api/transaction', { ...asKey, body: '{}' });
		expect(tx.status).toBe(403);
		expect(tx.body.error.details.message).toContain('API key authentication cannot be used with transactions');
	});

	test('a failed commit of a new key rolls back and returns no token', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		f.sim.faults.add({ method: 'PUT', path: '/api/transaction', status: 500, body: { error: { code: 'CommitFailed', details: { message: 'disk full' } } } });
		const r = await run(engine, { resource: 'apiKey', operation: 'create', name: 'never_committed' });
		expect(r.error.message).toContain('CommitFailed: disk full');
		expect(r.error.message).toContain('(transaction rolled back)');
		expect(f.sim.state.apiKeys.map((k) => k.name)).not.toContain('never_committed');
		expect(JSON.stringify(r.items)).not.toMatch(/token/);
	});

	test('delete via the list picker → commit → the key stops working', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const created = (await run(engine, { resource: 'apiKey', operation: 'create', name: 'to_delete' })).items[0];
		const search = await engine.loadOptions(NODE, CRED, 'listSearch', 'searchApiKeys', {}, 'to_del');
		expect(search.results).toEqual([{ name: `to_delete (${created.key})`, value: created.key }]);
		const r = await run(engine, { resource: 'apiKey', operation: 'delete', apiKeyId: { __rl: true, mode: 'list', value: created.key } });
		expect(r.items[0]).toEqual({ key: created.key, deleted: true, committed: true });
		const keyEngine = new Engine({ [CRED]: f.apiKey(created.token) });
		const me = await run(keyEngine, { resource: 'system', operation: 'getCurrentUser' });
		expect(me.error.message).toContain('SPS refused the API key');
	});

	test('deleting an unknown key: SPS 404 quoted, rolled back', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const r = await run(engine, { resource: 'apiKey', operation: 'delete', apiKeyId: { __rl: true, mode: 'id', value: 'no-such-key' } });
		expect(r.error.message).toContain('SPS has nothing at /api/user/api_keys/no-such-key');
		expect(r.error.message).toContain('(transaction rolled back)');
	});

	test('a name with spaces is refused before any request', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const mark = f.sim.requests.length;
		const r = await run(engine, { resource: 'apiKey', operation: 'create', name: 'my key' });
		expect(r.error.message).toContain('API key name "my key" is not allowed');
		expect(since(mark)).toEqual([]);
	});

	test('admin list where supported, a clear error where not', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const r = await run(engine, { resource: 'apiKey', operation: 'getManyAdmin', returnAll: true });
		expect(r.error).toBeUndefined();
		expect(r.items.length).toBe(f.sim.state.apiKeys.length);
		expect(r.items[0]).toHaveProperty('username');
		f.sim.state.adminApiKeyList = false;
		try {
			const no = await run(engine, { resource: 'apiKey', operation: 'getManyAdmin', returnAll: true });
			expect(no.error.message).toBe("This SPS does not offer an administrator list of all users' API keys");
			expect(no.error.description).toContain('answered 404');
		} finally {
			f.sim.state.adminApiKeyList = true;
		}
	});
});

describe('API-key credentials and transactions', () => {
	test.each([
		['transaction getStatus', { resource: 'transaction', operation: 'getStatus' }],
		['transaction commit', { resource: 'transaction', operation: 'commit' }],
		['transaction rollback', { resource: 'transaction', operation: 'rollback' }],
		['configuration update', update(EMAIL, { admin_address: 'a@example.com' })],
		['api key create', { resource: 'apiKey', operation: 'create', name: 'x' }],
		['api key delete', { resource: 'apiKey', operation: 'delete', apiKeyId: { __rl: true, mode: 'id', value: 'x' } }],
	])('%s fails before any request with what to use instead', async (_name, params) => {
		const key = f.sim.seedApiKey('admin', 'readonly');
		const engine = new Engine({ [CRED]: f.apiKey(key.token) });
		const mark = f.sim.requests.length;
		const r = await run(engine, params);
		expect(r.status).toBe('error');
		expect(r.error.message).toContain('needs an SPS transaction, and API keys cannot commit transactions');
		expect(r.error.description).toContain('Password or Client Certificate authentication');
		expect(f.sim.requests.length - mark).toBe(0);
	});

	test('reads work with an API key', async () => {
		const key = f.sim.seedApiKey('admin', 'reader');
		const engine = new Engine({ [CRED]: f.apiKey(key.token) });
		const r = await run(engine, { resource: 'configuration', operation: 'get', path: EMAIL });
		expect(r.error).toBeUndefined();
		expect(r.items[0]).toMatchObject({ key: 'email', href: `/api/${EMAIL}` });
	});
});

describe('Configuration → Get', () => {
	test('an object, a folder, and a list with Include Body (bounded concurrency, one request per entry)', async () => {
		const engine = new Engine({ [CRED]: f.password() });
		const obj = await run(engine, { resource: 'configuration', operation: 'get', path: `/api/${EMAIL}` });
		expect(obj.items[0].body.smtp_server.selection).toBe('ip');
		const folder = await run(engine, { resource: 'configuration', operation: 'get', path: 'configuration/ssh' });
		expect(folder.items.map((i) => i.key)).toEqual(['channel_policies', 'connections']);
		const mark = f.sim.requests.length;
		const list = await run(engine, { resource: 'configuration', operation: 'get', path: 'configuration/ssh/connections', includeBody: true, options: { concurrency: 2 } });
		expect(list.items).toHaveLength(2);
		expect(list.items[1].body.name).toBe('ssh-lab');
		expect(since(mark)).toHaveLength(3);
		const embedded = await run(engine, { resource: 'configuration', operation: 'get', path: 'configuration/policies/audit_policies', includeBody: true });
		expect(embedded.items[0].body.name).toBe('default'); // already embedded: no extra request
		const missing = await run(engine, { resource: 'configuration', operation: 'get', path: 'configuration/nope' });
		expect(missing.error.message).toBe('SPS has nothing at /api/configuration/nope (HTTP 404, "NotFound: The requested resource was not found; path: /api/configuration/nope")');
	});
});
