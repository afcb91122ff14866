'use strict';
/**
 * SPS configuration entries and the local user database (issue 14), through the real n8n engine at node version
 * 1.1: Configuration → Create / Delete with the transaction discipline of Update (exact request sequences,
 * auto-commit, rollback on failure, a lock held by another administrator stops it before anything changes, pending
 * changes without auto-commit), the entry picker; Local User and Local Group → Get Many / Get / Create / Update /
 * Delete (passwords as write-only references that never appear in an output or a message, memberships kept in the
 * groups, `admin` cannot be deleted, LDAP authentication refuses local users with a clear message); API-key
 * credentials refused before any request.
 */
const { Engine, assertNoSecrets } = require('./harness');
const { startSpsFixture, pinSpsVersion } = require('./sim/sps');

pinSpsVersion(1.1);

const CRED = 'safeguardSpsApi';
const NODE = 'safeguardSps';
const USERS = '/api/configuration/aaa/local_database/users';
const GROUPS = '/api/configuration/aaa/local_database/groups';
const CHANNELS = 'configuration/ssh/channel_policies';
const NEW_PASSWORD = 'Jd0e-Initial-Pw!';
const SECOND_PASSWORD = 'Jd0e-Second-Pw?';

let f;
let engine;
const outputs = [];
const keep = (r) => {
	outputs.push(r.items, r.error && { message: r.error.message, description: r.error.description }, r.run && r.run.data.resultData.runData.Node.map(({ data, hints }) => ({ data, hints })));
	return r;
};
const run = async (parameters, opts) => keep(await engine.runNode(NODE, CRED, parameters, opts));
const byId = (value) => ({ __rl: true, mode: 'id', value });
const since = (mark) => f.sim.requests.slice(mark).filter((q) => q.path !== '/api/authentication').map((q) => `${q.method} ${q.path} ${q.status}`);
const hintsOf = (r) => (r.run.data.resultData.runData.Node[0].hints ?? []).map((h) => h.message);
const userByName = (name) => f.sim.localEntry('users', name);
const groupByName = (name) => f.sim.localEntry('groups', name);

beforeAll(async () => {
	f = await startSpsFixture({ sessions: 2 });
	engine = new Engine({ [CRED]: f.password() });
});
afterEach(() => {
	f.sim.faults.clear();
	f.sim.releaseLock();
	f.sim.onRequest = undefined;
});
afterAll(async () => {
	await f.sim.stop();
	// the passwords given to Local User → Create / Update reached SPS and appear nowhere in what the node produced
	expect(f.sim.storedPasswords).toEqual(expect.arrayContaining([NEW_PASSWORD, SECOND_PASSWORD]));
	assertNoSecrets(['Admin-Passw0rd!', NEW_PASSWORD, SECOND_PASSWORD, ...f.sim.state.sessions.keys()], outputs);
});

describe('Configuration → Create and Delete (the transaction discipline of Update)', () => {
	const entry = { name: 'shell-and-x11', rules: [{ actions: { audit: true }, channel: 'session-shell' }] };

	test('Create: GET transaction → POST transaction → POST <list> → commit; the new key is in the output and the entry exists', async () => {
		const mark = f.sim.requests.length;
		const r = await run({ resource: 'configuration', operation: 'create', listPath: CHANNELS, fields: JSON.stringify(entry) });
		expect(r.error).toBeUndefined();
		const key = r.items[0].key;
		expect(r.items[0]).toEqual({ path: CHANNELS, key, href: `/api/${CHANNELS}/${key}`, body: entry, committed: true });
		expect(since(mark)).toEqual(['GET /api/transaction 200', 'POST /api/transaction 200', `POST /api/${CHANNELS} 201`, 'PUT /api/transaction 200']);
		expect(f.sim.configBody(`/api/${CHANNELS}/${key}`)).toEqual(entry);
		expect(f.sim.state.transaction).toBeNull();
		console.log(`[request count] Configuration → Create with auto-commit: ${since(mark).length} requests with an existing session`);
	});

	test('Create: a reference given as a key string; SPS rejects an incomplete entry → rolled back with SPS’s field list, nothing created', async () => {
		const connection = {
			name: 'ssh-dmz',
			active: true,
			network: { clients: ['0.0.0.0/0'], targets: ['10.3.0.0/16'], ports: [22] },
			channel_policy: '-10000',
			indexing: { enabled: false, policy: '-50000', priority: 3 },
		};
		const ok = await run({ resource: 'configuration', operation: 'create', listPath: 'configuration/ssh/connections', fields: JSON.stringify(connection) });
		expect(ok.error).toBeUndefined();
		expect(f.sim.configBody(`/api/configuration/ssh/connections/${ok.items[0].key}`).channel_policy.key).toBe('-10000');

		const before = [...f.sim.state.config.children.ssh.children.connections.members.keys()];
		const mark = f.sim.requests.length;
		const bad = await run({ resource: 'configuration', operation: 'create', listPath: 'configuration/ssh/connections', fields: JSON.stringify({ name: 'half', active: true, colour: 'red' }) });
		expect(bad.error.message).toBe(
			'SPS rejected add an entry to configuration/ssh/connections: "SyntacticError: The body does not match the schema of this object; missing fields: network, channel_policy, indexing; unknown fields: colour" (transaction rolled back)',
		);
		expect(bad.error.description).toContain('The transaction was rolled back: the SPS configuration is unchanged.');
		expect(since(mark).slice(-2)).toEqual(['POST /api/configuration/ssh/connections 400', 'DELETE /api/transaction 200']);
		expect([...f.sim.state.config.children.ssh.children.connections.members.keys()]).toEqual(before);
	});

	test('Create on an object or a folder: SPS’s 405 is explained per method; an empty body is refused before any request', async () => {
		const obj = await run({ resource: 'configuration', operation: 'create', listPath: 'configuration/management/email', fields: '{"a": 1}' });
		expect(obj.error.message).toContain('SPS does not allow POST on /api/configuration/management/email');
		expect(obj.error.description).toContain('Give the path of a list to add an entry to');
		const mark = f.sim.requests.length;
		const empty = await run({ resource: 'configuration', operation: 'create', listPath: CHANNELS, fields: '{}' });
		expect(empty.error.message).toBe('Fields (JSON) is empty: give the whole new entry');
		expect(since(mark)).toEqual([]);
	});

	test('Delete: picker of the entries of List Path (by name) → DELETE → commit', async () => {
		const created = await run({ resource: 'configuration', operation: 'create', listPath: CHANNELS, fields: JSON.stringify({ ...entry, name: 'to-delete' }) });
		const key = created.items[0].key;
		const list = await engine.loadOptions(NODE, CRED, 'listSearch', 'searchListEntries', { listPath: CHANNELS }, 'to-del');
		expect(list.results).toEqual([{ name: `to-delete (${key})`, value: key }]);
		const mark = f.sim.requests.length;
		const r = await run({ resource: 'configuration', operation: 'delete', listPath: CHANNELS, entryKey: { __rl: true, mode: 'list', value: key, cachedResultName: `to-delete (${key})` } });
		expect(r.items).toEqual([{ path: CHANNELS, key, deleted: true, committed: true }]);
		expect(since(mark)).toEqual(['GET /api/transaction 200', 'POST /api/transaction 200', `DELETE /api/${CHANNELS}/${key} 200`, 'PUT /api/transaction 200']);
		expect(f.sim.configBody(`/api/${CHANNELS}/${key}`)).toBeUndefined();
	});

	test('Delete: an entry still in use is refused by SPS → rolled back; an unknown key → SPS’s 404, rolled back', async () => {
		const used = await run({ resource: 'configuration', operation: 'delete', listPath: CHANNELS, entryKey: byId('-10000') });
		expect(used.error.message).toBe(
			`SPS rejected delete ${CHANNELS}/-10000 at "/api/${CHANNELS}/-10000": "SemanticError: The object is still referenced by /api/configuration/ssh/connections/8348340645707e2575e3c6; path: /api/${CHANNELS}/-10000" (transaction rolled back)`,
		);
		expect(f.sim.configBody(`/api/${CHANNELS}/-10000`)).toMatchObject({ name: 'shell-only' });
		const missing = await run({ resource: 'configuration', operation: 'delete', listPath: CHANNELS, entryKey: byId('nope') });
		expect(missing.error.message).toContain(`SPS has nothing at /api/${CHANNELS}/nope (HTTP 404`);
		expect(missing.error.message).toContain('(transaction rolled back)');
		expect(f.sim.state.transaction).toBeNull();
	});

	test('the configuration is locked by another administrator: Create and Delete stop with a clear error, nothing changes', async () => {
		f.sim.lockByOther('other-admin');
		const mark = f.sim.requests.length;
		const c = await run({ resource: 'configuration', operation: 'create', listPath: CHANNELS, fields: JSON.stringify({ ...entry, name: 'blocked' }) });
		const d = await run({ resource: 'configuration', operation: 'delete', listPath: CHANNELS, entryKey: byId('-10001') });
		for (const r of [c, d]) {
			expect(r.error.message).toContain('SPS could not open a transaction because the configuration is locked by "other-admin"');
			expect(r.error.description).toContain('Wait until it is committed or rolled back');
		}
		expect(since(mark).filter((l) => !/transaction/.test(l))).toEqual([]);
		expect(f.sim.configBody(`/api/${CHANNELS}/-10001`)).toMatchObject({ name: 'shell-and-sftp' });
	});

	test('Auto-Commit off: the new entry is pending in the login session’s transaction (hint), Commit applies it', async () => {
		const r = await run({ resource: 'configuration', operation: 'create', listPath: CHANNELS, fields: JSON.stringify({ ...entry, name: 'pending' }), autoCommit: false });
		expect(r.items[0]).toMatchObject({ committed: false, transaction: 'open' });
		expect(hintsOf(r)).toEqual([expect.stringContaining('Transaction → Commit')]);
		expect(f.sim.configBody(`/api/${CHANNELS}/${r.items[0].key}`)).toBeUndefined();
		const changes = await run({ resource: 'transaction', operation: 'getChanges' });
		expect(changes.items).toEqual([expect.objectContaining({ type: 'create', path: `/api/${CHANNELS}/${r.items[0].key}` })]);
		await run({ resource: 'transaction', operation: 'commit' });
		expect(f.sim.configBody(`/api/${CHANNELS}/${r.items[0].key}`)).toMatchObject({ name: 'pending' });
	});
});

describe('Local users and groups', () => {
	test('Get Many users: 1 list request + 1 per user (SPS lists key + link only); no password reference in the output', async () => {
		const mark = f.sim.requests.length;
		const r = await run({ resource: 'localUser', operation: 'getMany', returnAll: true });
		expect(r.items).toEqual([
			{ key: '103640099357f3b14f0529a', name: 'admin', passwordSet: true },
			{ key: '46785097158061f46c63d0', name: 'auditor', passwordSet: true },
		]);
		expect(since(mark)).toEqual([`GET ${USERS} 200`, `GET ${USERS}/103640099357f3b14f0529a 200`, `GET ${USERS}/46785097158061f46c63d0 200`]);
		const full = await run({ resource: 'localUser', operation: 'getMany', limit: 1, simplify: false });
		expect(full.items).toEqual([{ key: '103640099357f3b14f0529a', href: `${USERS}/103640099357f3b14f0529a`, name: 'admin', passwordSet: true }]);
	});

	test('Create a user in groups: one transaction — password reference, user, each group read and written, commit; the password appears nowhere', async () => {
		const mark = f.sim.requests.length;
		const r = await run({ resource: 'localUser', operation: 'create', name: 'jdoe', password: NEW_PASSWORD, options: { groups: ['-401', '-402'] } });
		expect(r.error).toBeUndefined();
		const jdoe = userByName('jdoe');
		expect(r.items).toEqual([{ key: jdoe.key, name: 'jdoe', passwordSet: true, groups: ['basic-view', 'search'], committed: true }]);
		const log = since(mark);
		expect(log).toEqual([
			'GET /api/transaction 200',
			'POST /api/transaction 200',
			'POST /api/configuration/passwords 201',
			`POST ${USERS} 201`,
			`GET ${GROUPS}/-401 200`,
			`GET ${GROUPS}/-402 200`,
			`PUT ${GROUPS}/-401 200`,
			`PUT ${GROUPS}/-402 200`,
			'PUT /api/transaction 200',
		]);
		const post = f.sim.requests.slice(mark).find((q) => q.path === USERS && q.method === 'POST');
		expect(JSON.parse(post.body)).toEqual({ name: 'jdoe', password: jdoe.password.key });
		expect(groupByName('basic-view').members).toEqual(['auditor', 'jdoe']);
		expect(groupByName('search').members).toEqual(['auditor', 'ldap-analysts', 'jdoe']);
		console.log(`[request count] Local User → Create in 2 groups: ${log.length} requests with an existing session`);
	});

	test('the groups option lists the local groups by name; the user picker finds users by name', async () => {
		const groups = await engine.loadOptions(NODE, CRED, 'loadOptions', 'getLocalGroups');
		expect(groups).toEqual([
			{ name: 'basic-view', value: '-401' },
			{ name: 'config-write', value: '-403' },
			{ name: 'search', value: '-402' },
		]);
		const users = await engine.loadOptions(NODE, CRED, 'listSearch', 'searchLocalUsers', {}, 'jd');
		expect(users.results).toEqual([{ name: 'jdoe', value: userByName('jdoe').key }]);
	});

	test('a user name that exists already: SPS refuses, rolled back — no password reference, user or membership left', async () => {
		const before = f.sim.state.config.children.passwords.members.size;
		const r = await run({ resource: 'localUser', operation: 'create', name: 'auditor', password: NEW_PASSWORD, options: { groups: ['-403'] } });
		expect(r.error.message).toBe('SPS rejected create the local user auditor at "name": "SemanticError: An entry with this name already exists: auditor; path: name" (transaction rolled back)');
		expect(f.sim.state.config.children.passwords.members.size).toBe(before);
		expect(groupByName('config-write').members).toEqual(['admin']);
	});

	test('invalid name or empty password: refused before any request', async () => {
		const mark = f.sim.requests.length;
		const bad = await run({ resource: 'localUser', operation: 'create', name: 'j doe', password: NEW_PASSWORD });
		expect(bad.error.message).toBe('"j doe" is not a valid SPS user name');
		const empty = await run({ resource: 'localUser', operation: 'create', name: 'jane', password: '={{ "" }}' });
		expect(empty.error.message).toBe('Enter the user’s password');
		expect(since(mark)).toEqual([]);
	});

	test('Update: a new password (new reference) and a new name, which the groups follow — one transaction', async () => {
		const jdoe = userByName('jdoe');
		const mark = f.sim.requests.length;
		const r = await run({ resource: 'localUser', operation: 'update', userId: { __rl: true, mode: 'list', value: jdoe.key }, updateFields: { name: 'john.doe', password: SECOND_PASSWORD } });
		expect(r.items).toEqual([{ key: jdoe.key, name: 'john.doe', changedFields: ['password', 'name'], renamedInGroups: ['basic-view', 'search'], committed: true }]);
		const after = userByName('john.doe');
		expect(after.password.key).not.toBe(jdoe.password.key);
		expect(groupByName('basic-view').members).toEqual(['auditor', 'john.doe']);
		expect(since(mark).filter((l) => l.startsWith('PUT') || l.startsWith('POST'))).toEqual([
			'POST /api/transaction 200',
			'POST /api/configuration/passwords 201',
			`PUT ${USERS}/${jdoe.key} 200`,
			`PUT ${GROUPS}/-401 200`,
			`PUT ${GROUPS}/-402 200`,
			'PUT /api/transaction 200',
		]);
		const nothing = await run({ resource: 'localUser', operation: 'update', userId: byId(jdoe.key), updateFields: {} });
		expect(nothing.error.message).toBe('Add a field to update: Name or Password');
	});

	test('Transaction → Get Changes never shows a password object’s values', async () => {
		const r = await run({ resource: 'localUser', operation: 'update', userId: byId(userByName('john.doe').key), updateFields: { password: SECOND_PASSWORD }, autoCommit: false });
		expect(r.items[0]).toMatchObject({ committed: false, changedFields: ['password'] });
		const changes = await run({ resource: 'transaction', operation: 'getChanges' });
		const pw = changes.items.find((c) => c.path.startsWith('/api/configuration/passwords/'));
		expect(pw).toMatchObject({ type: 'create' });
		expect(pw.new_value === null || pw.new_value === '(password, not shown)').toBe(true);
		await run({ resource: 'transaction', operation: 'rollback' });
	});

	test('Delete: the user and its name in every group, in one transaction; admin cannot be deleted', async () => {
		const u = userByName('john.doe');
		const r = await run({ resource: 'localUser', operation: 'delete', userId: byId(u.key) });
		expect(r.items).toEqual([{ key: u.key, name: 'john.doe', deleted: true, removedFromGroups: ['basic-view', 'search'], committed: true }]);
		expect(userByName('john.doe')).toBeUndefined();
		expect(groupByName('basic-view').members).toEqual(['auditor']);
		const admin = await run({ resource: 'localUser', operation: 'delete', userId: byId('103640099357f3b14f0529a') });
		expect(admin.error.message).toBe('SPS rejected delete the local user admin at "name": "SemanticError: The admin user cannot be deleted; path: name" (transaction rolled back)');
		expect(userByName('admin')).toBeDefined();
	});

	test('Groups: create, add / remove / replace members, get, delete', async () => {
		const created = await run({ resource: 'localGroup', operation: 'create', name: 'session-auditors', members: 'auditor, jane , auditor' });
		const key = created.items[0].key;
		expect(created.items[0]).toEqual({ key, name: 'session-auditors', members: ['auditor', 'jane'], committed: true });
		const add = await run({ resource: 'localGroup', operation: 'update', groupId: byId(key), membersMode: 'add', members: 'bob, jane' });
		expect(add.items[0]).toMatchObject({ members: ['auditor', 'jane', 'bob'], added: ['bob'], removed: [] });
		const remove = await run({ resource: 'localGroup', operation: 'update', groupId: byId(key), membersMode: 'remove', members: 'auditor' });
		expect(remove.items[0]).toMatchObject({ members: ['jane', 'bob'], removed: ['auditor'] });
		const replace = await run({ resource: 'localGroup', operation: 'update', groupId: byId(key), membersMode: 'replace', members: 'carol' });
		expect(replace.items[0]).toMatchObject({ members: ['carol'], added: ['carol'], removed: ['jane', 'bob'] });
		const got = await run({ resource: 'localGroup', operation: 'get', groupId: { __rl: true, mode: 'list', value: key } });
		expect(got.items).toEqual([{ key, name: 'session-auditors', members: 'carol' }]);
		const del = await run({ resource: 'localGroup', operation: 'delete', groupId: byId(key) });
		expect(del.items).toEqual([{ key, name: 'session-auditors', deleted: true, committed: true }]);
		expect(groupByName('session-auditors')).toBeUndefined();
	});

	test('a lock held by another administrator: Local User → Create stops before anything changes', async () => {
		f.sim.lockByOther('web-admin');
		const mark = f.sim.requests.length;
		const r = await run({ resource: 'localUser', operation: 'create', name: 'locked', password: NEW_PASSWORD });
		expect(r.error.message).toContain('the configuration is locked by "web-admin"');
		expect(since(mark).filter((l) => !/transaction/.test(l))).toEqual([]);
	});
});

describe('SPS with LDAP authentication', () => {
	test('local users cannot be created, changed or deleted: SPS’s refusal becomes a clear message; groups still work', async () => {
		const g = await startSpsFixture({ sessions: 0, authBackend: 'ldap' });
		const e = new Engine({ [CRED]: g.password() });
		try {
			const r = keep(await e.runNode(NODE, CRED, { resource: 'localUser', operation: 'create', name: 'jdoe', password: NEW_PASSWORD }));
			expect(r.error.message).toBe(
				'SPS does not let local users be managed while LDAP authentication is active: "SemanticError: Local users cannot be managed when LDAP authentication is enabled" (transaction rolled back)',
			);
			expect(r.error.description).toContain('Manage the person in the directory');
			const del = keep(await e.runNode(NODE, CRED, { resource: 'localUser', operation: 'delete', userId: byId('46785097158061f46c63d0'), removeFromGroups: false }));
			expect(del.error.message).toContain('does not let local users be managed while LDAP authentication is active');
			expect(g.sim.state.commits).toBe(0);
			const list = keep(await e.runNode(NODE, CRED, { resource: 'localUser', operation: 'getMany', returnAll: true }));
			expect(list.items.map((u) => u.name)).toEqual(['admin', 'auditor']);
			const group = keep(await e.runNode(NODE, CRED, { resource: 'localGroup', operation: 'update', groupId: byId('-402'), members: 'ldap-admins' }));
			expect(group.items[0]).toMatchObject({ members: ['auditor', 'ldap-analysts', 'ldap-admins'], committed: true });
		} finally {
			await g.sim.stop();
		}
	});
});

describe('API-key credentials', () => {
	test('every new change operation is refused before any request (API keys cannot use transactions)', async () => {
		const key = f.sim.seedApiKey('admin', 'reader');
		const e = new Engine({ [CRED]: f.apiKey(key.token) });
		const mark = f.sim.requests.length;
		for (const p of [
			{ resource: 'configuration', operation: 'create', listPath: CHANNELS, fields: '{"name":"x","rules":[]}' },
			{ resource: 'configuration', operation: 'delete', listPath: CHANNELS, entryKey: byId('-10001') },
			{ resource: 'localUser', operation: 'create', name: 'jdoe', password: NEW_PASSWORD },
			{ resource: 'localUser', operation: 'update', userId: byId('46785097158061f46c63d0'), updateFields: { password: NEW_PASSWORD } },
			{ resource: 'localUser', operation: 'delete', userId: byId('46785097158061f46c63d0') },
			{ resource: 'localGroup', operation: 'create', name: 'g' },
			{ resource: 'localGroup', operation: 'update', groupId: byId('-401'), members: 'x' },
			{ resource: 'localGroup', operation: 'delete', groupId: byId('-401') },
		]) {
			const r = keep(await e.runNode(NODE, CRED, p));
			expect(r.error.message).toContain('needs an SPS transaction, and API keys cannot commit transactions');
		}
		expect(f.sim.requests.slice(mark)).toEqual([]);
	});
});
