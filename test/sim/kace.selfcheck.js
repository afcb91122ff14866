'use strict';
/* Self-check of the KACE SMA simulator: `node test/sim/kace.selfcheck.js` (exits 1 on the first failure). */
const assert = require('node:assert/strict');
const { createKaceSim, totp } = require('./kace');

const LOGIN = '/ams/shared/api/security/login';
const VERIFY = '/ams/shared/api/security/verify_2factor';
const ADMIN = { userName: 'admin', password: 'S3cret-pass!' };
const SECRET = 'JBSWY3DPEHPK3PXP';

/** A tiny client that behaves like nodes/KaceSma/transport/session.ts */
class Client {
	constructor(url, { version = '5', sendDell = true, sendKace = true } = {}) {
		Object.assign(this, { url, version, sendDell, sendKace, jar: new Map(), csrf: undefined, authz: undefined });
	}
	base() {
		const h = { Accept: 'application/json' };
		if (this.sendKace) h['x-kace-api-version'] = this.version;
		if (this.sendDell) h['x-dell-api-version'] = this.version;
		if (this.jar.size) h.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
		if (this.csrf) { h['x-kace-csrf-token'] = this.csrf; h['x-dell-csrf-token'] = this.csrf; }
		if (this.authz) h['x-kace-authorization'] = this.authz;
		return h;
	}
	absorb(res) {
		for (const line of res.headers.getSetCookie()) {
			const [pair] = line.split(';'); const eq = pair.indexOf('=');
			const v = pair.slice(eq + 1);
			if (!v || v === 'deleted') this.jar.delete(pair.slice(0, eq)); else this.jar.set(pair.slice(0, eq), v);
		}
		const c = res.headers.get('x-kace-csrf-token') || res.headers.get('x-dell-csrf-token');
		if (c) this.csrf = c;
		const a = res.headers.get('x-kace-authorization');
		if (a) this.authz = a;
	}
	async call(method, path, body, extraHeaders = {}, omit = []) {
		const headers = { ...this.base(), ...extraHeaders };
		if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
		for (const k of omit) delete headers[k];
		const res = await fetch(this.url + path, { method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
		this.absorb(res);
		const text = await res.text();
		let json; try { json = JSON.parse(text); } catch { json = undefined; }
		return { status: res.status, json, text, headers: res.headers };
	}
	async login(user = ADMIN) {
		const r = await this.call('POST', LOGIN, user);
		assert.equal(r.status, 200, `login ${r.text}`);
		return r;
	}
	get(path, h, omit) { return this.call('GET', path, undefined, h, omit); }
}

const checks = [];
const check = (name, fn) => checks.push([name, fn]);
const errBody = (r, status, desc) => {
	assert.equal(r.status, status, `${desc}: got ${r.status} ${r.text}`);
	if (desc) assert.deepEqual(r.json, { errorCode: -1, errorDescription: desc });
};
const q = (o) => '?' + Object.entries(o).map(([k, v]) => `${k}=${String(v).replace(/ /g, '%20')}`).join('&');

async function withSim(options, fn) {
	const sim = createKaceSim(options);
	const url = await sim.start();
	try { await fn(sim, url); } finally { await sim.stop(); }
}

check('login per mode: cookies and headers', async () => {
	const expect = {
		11: { jwt: 'x-dell-auth-jwt', csrf: 'x-dell-csrf-token', noHeader: ['x-kace-csrf-token', 'x-kace-authorization'], csrfCookie: true },
		'12.0': { jwt: 'x-kace-auth-jwt', csrf: 'x-kace-csrf-token', noHeader: ['x-dell-csrf-token', 'x-kace-authorization'], csrfCookie: true },
		12.1: { jwt: 'x-kace-auth-jwt', noHeader: ['x-dell-csrf-token', 'x-kace-csrf-token', 'x-kace-authorization'], csrfCookie: false },
		14: { jwt: 'x-kace-auth-jwt', auth: true, noHeader: ['x-dell-csrf-token', 'x-kace-csrf-token'], csrfCookie: false },
	};
	for (const [mode, e] of Object.entries(expect)) {
		await withSim({ mode, machines: 20 }, async (sim, url) => {
			const c = new Client(url);
			const r = await c.login();
			const names = r.headers.getSetCookie().map((l) => l.split('=')[0]);
			for (const n of ['kboxid', 'KACE_LAST_USER_SECURE', 'KACE_LAST_ORG_SECURE', e.jwt]) assert.ok(names.includes(n), `${mode}: cookie ${n}`);
			assert.equal(names.includes('KACE_CSRF_TOKEN'), e.csrfCookie, `${mode}: csrf cookie`);
			assert.ok(r.headers.getSetCookie()[0].includes('HttpOnly'));
			if (e.csrf) assert.match(r.headers.get(e.csrf), /^[0-9a-f]{32}$/);
			for (const h of e.noHeader) assert.equal(r.headers.get(h), null, `${mode}: no ${h}`);
			if (e.auth) assert.ok(r.headers.get('x-kace-authorization'));
			assert.ok(r.headers.get('date'));
			const me = await c.get('/api/users/me');
			assert.equal(me.status, 200, me.text);
			assert.equal(me.json.user_name, 'admin');
			assert.deepEqual(me.json.role, { id: 1, name: 'Administrator' });
			assert.equal(sim.state.logins.ok, 1);
		});
	}
});

check('login failures, 415, lock', async () => {
	await withSim({ mode: '14', machines: 5 }, async (sim, url) => {
		const c = new Client(url);
		let r = await c.call('POST', LOGIN, { userName: 'admin', password: 'nope' });
		errBody(r, 401, 'Invalid user or password');
		assert.equal(r.headers.getSetCookie().length, 0);
		r = await c.call('POST', LOGIN, { ...ADMIN, organizationName: 'Other' });
		errBody(r, 401, 'Invalid user or password');
		r = await c.call('POST', LOGIN, { username: 'admin', password: ADMIN.password }); // wrong key casing
		errBody(r, 401, 'Invalid user or password');
		r = await c.call('POST', LOGIN, JSON.stringify(ADMIN), { 'Content-Type': 'text/plain' });
		assert.equal(r.status, 415);
		r = await c.call('GET', LOGIN);
		assert.equal(r.status, 405);
		r = await c.call('POST', LOGIN, { ...ADMIN, organizationName: 'default' });
		assert.equal(r.status, 200);
		assert.equal(sim.state.logins.failed, 3);
		sim.lockAfterFailures = 2;
		const d = new Client(url);
		await d.call('POST', LOGIN, { userName: 'admin', password: 'x' });
		await d.call('POST', LOGIN, { userName: 'admin', password: 'y' });
		r = await d.call('POST', LOGIN, ADMIN);
		errBody(r, 401, 'Account locked');
		sim.unlockUser('admin');
		await d.login();
	});
});

check('CSRF enforced in 11 and 12.0, rotation', async () => {
	for (const mode of ['11', '12.0']) {
		await withSim({ mode, machines: 10 }, async (sim, url) => {
			const c = new Client(url);
			await c.login();
			assert.equal((await c.get('/api/inventory/machines')).status, 200);
			errBody(await c.get('/api/inventory/machines', {}, ['x-kace-csrf-token', 'x-dell-csrf-token']), 401, 'Invalid CSRF token');
			errBody(await c.get('/api/inventory/machines', { 'x-kace-csrf-token': 'bad', 'x-dell-csrf-token': 'bad' }), 401, 'Invalid CSRF token');
			// only the header of the mode counts
			const own = mode === '11' ? 'x-dell-csrf-token' : 'x-kace-csrf-token';
			const other = mode === '11' ? 'x-kace-csrf-token' : 'x-dell-csrf-token';
			errBody(await c.get('/api/inventory/machines', {}, [own]), 401, 'Invalid CSRF token');
			assert.equal((await c.get('/api/inventory/machines', {}, [other])).status, 200);
			// rotation: the next response carries a new token, the old one is refused afterwards
			const old = c.csrf;
			assert.equal(sim.rotateCsrf(), 1);
			const r = await c.get('/api/users/me');
			assert.equal(r.status, 200);
			assert.notEqual(c.csrf, old);
			assert.equal(r.headers.get(own), c.csrf);
			errBody(await c.get('/api/users/me', { [own]: old, [other]: old }), 401, 'Invalid CSRF token');
			assert.equal((await c.get('/api/users/me')).status, 200);
		});
	}
	await withSim({ mode: '12.1', machines: 3 }, async (sim, url) => {
		const c = new Client(url);
		await c.login();
		assert.equal(sim.rotateCsrf(), 0);
		assert.equal((await c.get('/api/users/me')).status, 200);
	});
});

check('version header rules', async () => {
	await withSim({ mode: '11', machines: 3 }, async (sim, url) => {
		const c = new Client(url, { sendDell: false });
		errBody(await c.call('POST', LOGIN, ADMIN), 400, 'Missing x-dell-api-version header');
		c.sendDell = true;
		await c.login();
		errBody(await c.get('/api/users/me', {}, ['x-dell-api-version']), 400, 'Missing x-dell-api-version header');
		assert.equal((await c.get('/api/users/me', {}, ['x-kace-api-version'])).status, 200);
	});
	await withSim({ mode: '12.0', machines: 3 }, async (sim, url) => {
		const c = new Client(url, { sendKace: false });
		errBody(await c.call('POST', LOGIN, ADMIN), 400, 'Missing x-kace-api-version header');
	});
	await withSim({ mode: '12.1', machines: 3 }, async (sim, url) => {
		// legacy: x-dell at login → x-dell accepted later
		const legacy = new Client(url, { sendKace: false });
		await legacy.login();
		assert.equal((await legacy.get('/api/users/me')).status, 200);
		// x-kace only at login → x-kace required on every request
		const modern = new Client(url, { sendDell: false });
		await modern.login();
		errBody(await modern.get('/api/users/me', { 'x-dell-api-version': '5' }, ['x-kace-api-version']), 400, 'Missing x-kace-api-version header');
		errBody(await modern.get('/api/users/me', { 'x-kace-api-version': 'abc' }), 400, "Invalid x-kace-api-version header value 'abc'");
		errBody(await modern.get('/api/users/me', { 'x-kace-api-version': '0' }), 400, "Invalid x-kace-api-version header value '0'");
	});
	await withSim({ mode: '14', machines: 6 }, async (sim, url) => {
		const c = new Client(url, { version: '1' });
		await c.login();
		errBody(await c.get('/api/asset/assets'), 404, 'Route not found');
		assert.equal((await c.get('/api/inventory/machines')).status, 200);
		const r = await c.get('/api/asset/assets', { 'x-kace-api-version': '5', 'x-dell-api-version': '5' });
		assert.equal(r.status, 200);
		assert.equal(r.json.Count, 3);
		// x-kace-authorization
		errBody(await c.get('/api/users/me', {}, ['x-kace-authorization']), 401, 'Invalid authorization');
		errBody(await c.get('/api/users/me', { 'x-kace-authorization': 'nope' }), 401, 'Invalid authorization');
	});
});

check('2FA flow', async () => {
	await withSim({ mode: '14', machines: 3, users: [{ userName: 'svc', password: 'pw', totpSecret: SECRET }] }, async (sim, url) => {
		const c = new Client(url);
		const r = await c.login({ userName: 'svc', password: 'pw' });
		assert.equal(r.json.twoFactorRequired, true);
		errBody(await c.get('/api/users/me'), 401, 'User not fully authenticated.');
		const wrong = String((Number(sim.totpFor('svc')) + 1) % 1_000_000).padStart(6, '0');
		errBody(await c.call('POST', VERIFY, { currentCode: wrong }), 401, 'Invalid verification code');
		errBody(await c.call('POST', VERIFY, { currentCode: sim.totpFor('svc', -3) }), 401, 'Invalid verification code');
		// client-side code from the Date header of the appliance (sim clock), one step old is accepted
		sim.clock.advance(20 * 60_000);
		const dateHeader = Date.parse((await c.get('/api/users/me')).headers.get('date'));
		assert.ok(Math.abs(dateHeader - sim.clock.now()) < 2000);
		const v = await c.call('POST', VERIFY, { currentCode: totp(SECRET, dateHeader - 30_000) });
		assert.equal(v.status, 200, v.text);
		assert.equal((await c.get('/api/users/me')).status, 200);
	});
});

check('expired / missing session, TTL, maxRequestsPerSession', async () => {
	await withSim({ mode: '12.1', machines: 3, sessionTtlMs: 60_000, maxRequestsPerSession: 3 }, async (sim, url) => {
		errBody(await new Client(url).get('/api/users/me'), 401, 'Not logged in');
		errBody(await new Client(url).get('/api/users/me', { Cookie: 'kboxid=abc' }), 401, 'Expired token');
		const c = new Client(url);
		await c.login();
		for (let i = 0; i < 3; i++) assert.equal((await c.get('/api/users/me')).status, 200);
		errBody(await c.get('/api/users/me'), 401, 'Expired token');
		await c.login();
		sim.clock.advance(61_000);
		errBody(await c.get('/api/users/me'), 401, 'Expired token');
		await c.login();
		assert.equal(sim.expireAllSessions(), 1);
		errBody(await c.get('/api/users/me'), 401, 'Expired token');
		// the JWT cookie must be replayed too
		await c.login();
		c.jar.delete('x-kace-auth-jwt');
		errBody(await c.get('/api/users/me'), 401, 'Invalid token');
	});
});

check('paging, filtering, sorting, shaping, counts', async () => {
	await withSim({ mode: '14', machines: 250 }, async (sim, url) => {
		const c = new Client(url);
		await c.login();
		let r = await c.get('/api/inventory/machines');
		assert.equal(r.json.Count, 250);
		assert.equal(r.json.Machines.length, 50);
		assert.equal(r.json.Machines[0].Id, '1');
		assert.equal(r.json.Machines[41].Name, 'WS-00042');
		assert.ok('Ram Total' in r.json.Machines[0]);
		assert.ok(!('Mac' in r.json.Machines[0]));
		r = await c.get('/api/inventory/machines' + q({ paging: 'limit 100 offset 200' }));
		assert.deepEqual(r.json.Machines.map((m) => m.Id), Array.from({ length: 50 }, (_, i) => String(201 + i)));
		r = await c.get('/api/inventory/machines' + q({ paging: 'offset 10 limit 5' }));
		assert.deepEqual(r.json.Machines.map((m) => m.Id), ['11', '12', '13', '14', '15']);
		r = await c.get('/api/inventory/machines' + q({ paging: 'limit ALL' }));
		assert.equal(r.json.Machines.length, 250);
		r = await c.get('/api/inventory/machines' + q({ paging: 'limit 0', use_count: 'false' }));
		assert.equal(r.json.Machines.length, 250);
		assert.ok(!('Count' in r.json));
		errBody(await c.get('/api/inventory/machines' + q({ paging: 'limit x' })), 400, "Invalid paging 'limit x'");

		const chrome = sim.state.machines.filter((m) => m._software.includes(1)).length;
		r = await c.get('/api/inventory/machines' + q({ filtering: 'software.display_name eq Google Chrome', paging: 'limit ALL' }));
		assert.equal(r.json.Count, chrome);
		assert.ok(chrome > 100 && chrome < 250);
		r = await c.get('/api/inventory/machines?filtering=software.name+eq+google+chrome&use_count_only=true'); // + is a space
		assert.deepEqual(r.json, { Count: chrome });
		const laptops = sim.state.machines.filter((m) => m._labels.includes(1)).length;
		r = await c.get('/api/inventory/machines' + q({ filtering: 'label.name eq Laptops', shaping: 'machine standard,label limited', paging: 'limit ALL' }));
		assert.equal(r.json.Count, laptops);
		assert.ok(r.json.Machines.every((m) => m.Labels.some((l) => l.name === 'Laptops')));
		r = await c.get('/api/inventory/machines' + q({ filtering: 'id in 1;2;3' }));
		assert.deepEqual(r.json.Machines.map((m) => m.Id), ['1', '2', '3']);
		r = await c.get('/api/inventory/machines' + q({ filtering: 'id gt 5,id le 8,name st ws-' }));
		assert.deepEqual(r.json.Machines.map((m) => m.Id), ['6', '7', '8']);
		r = await c.get('/api/inventory/machines' + q({ filtering: 'os.name co server,label.name eq Finance' }));
		assert.ok(r.json.Count > 0 && r.json.Machines.every((m) => /Server|Ubuntu/.test(m.Os_name)));
		errBody(await c.get('/api/inventory/machines' + q({ filtering: 'xyz eq 1' })), 400, "Invalid filter field 'xyz'");
		errBody(await c.get('/api/inventory/machines' + q({ filtering: 'id co 1' })), 400, "Operator 'co' is not valid for integer field 'id'");
		errBody(await c.get('/api/inventory/machines' + q({ filtering: 'name zz 1' })), 400, "Invalid filter operator 'zz'");
		// a percent-encoded comma is part of the value, a literal comma separates filters
		r = await c.get('/api/inventory/machines?filtering=name%20eq%20WS-00001%2Cid%20gt%200');
		assert.equal(r.json.Count, 0);
		r = await c.get('/api/inventory/machines?filtering=name%20eq%20WS-00001,id%20gt%200');
		assert.equal(r.json.Count, 1);
		// sorting and shaping
		r = await c.get('/api/inventory/machines' + q({ sorting: 'name desc', paging: 'limit 2' }));
		assert.deepEqual(r.json.Machines.map((m) => m.Name), ['WS-00250', 'WS-00249']);
		r = await c.get('/api/inventory/machines' + q({ sorting: 'os_name asc,id desc', paging: 'limit 1' }));
		assert.equal(r.json.Machines[0].Os_name, 'macOS Sonoma');
		r = await c.get('/api/inventory/machines/42' + q({ shaping: 'machine all,software limited' }));
		const m42 = r.json.Machines[0];
		assert.equal(r.json.Machines.length, 1);
		assert.ok(m42.Mac && Array.isArray(m42.Software) && m42.Software[0].Display_name);
		assert.deepEqual(Object.keys(m42.Software[0]), ['Id', 'Display_name']);
		r = await c.get('/api/inventory/machines' + q({ shaping: 'machine limited', paging: 'limit 1' }));
		assert.deepEqual(Object.keys(r.json.Machines[0]), ['Id', 'Name']);
		errBody(await c.get('/api/inventory/machines' + q({ shaping: 'gadget all' })), 400, "Invalid shaping entity 'gadget'");
		errBody(await c.get('/api/inventory/machines/99999'), 404, 'Machine 99999 not found');
		r = await c.get('/api/inventory/softwares' + q({ paging: 'limit ALL' }));
		assert.equal(r.json.Software.length, 40);
		r = await c.get('/api/inventory/operating_systems');
		assert.equal(r.json.OperatingSystems.length, 5);
		r = await c.get('/api/users/users' + q({ filtering: 'full_name eq John Doe' }));
		assert.equal(r.json.Users[0].user_name, 'jdoe');
		// machine PUT
		r = await c.call('PUT', '/api/inventory/machines/7', { Machines: [{ id: 7, notes: 'hello' }] });
		assert.deepEqual(r.json, { Result: 'Success' });
		assert.equal(sim.state.machines[6].Notes, 'hello');
		errBody(await c.call('PUT', '/api/inventory/machines/7', { Machines: [{ id: 8, notes: 'x' }] }), 400, 'Machine id in body (8) does not match the id in the URL (7)');
		r = await c.call('PUT', '/api/inventory/machines/7', JSON.stringify({ Machines: [{ id: 7 }] }), { 'Content-Type': 'text/plain' });
		assert.equal(r.status, 415);
	});
});

check('routes: 404, 405, managed installs', async () => {
	await withSim({ mode: '14', machines: 30 }, async (sim, url) => {
		const c = new Client(url);
		await c.login();
		errBody(await c.get('/api/nothing/here'), 404, 'Route not found');
		errBody(await c.call('PUT', '/api/mi/managed_installs/1/add_to_machines', { Machines: [1] }), 404, 'Route not found');
		assert.equal((await c.call('DELETE', '/api/inventory/machines')).status, 405);
		let r = await c.get('/api/managed_install/managed_installs');
		assert.equal(r.json.MIs.length, 6);
		r = await c.call('PUT', '/api/managed_install/managed_installs/2/add_to_machines', { Machines: [3, 1, '2'] });
		assert.deepEqual(r.json, { Result: 'Success' });
		assert.deepEqual(sim.state.managedInstalls[1].targets, [1, 2, 3]);
		errBody(await c.call('PUT', '/api/managed_install/managed_installs/2/add_to_machines', { Machines: [1, 9998, 9999] }), 400, 'Invalid machine ids: 9998, 9999');
		errBody(await c.call('PUT', '/api/managed_install/managed_installs/2/add_to_machines', { Machines: 1 }), 400, 'Request body must contain a "Machines" array of machine ids');
		await c.call('PUT', '/api/managed_install/managed_installs/2/remove_from_machines', { Machines: [2] });
		assert.deepEqual(sim.state.managedInstalls[1].targets, [1, 3]);
		r = await c.get('/api/managed_install/managed_installs/2' + q({ shaping: 'mi all,machine limited' }));
		assert.deepEqual(r.json.MIs[0].Machines, [{ id: 1, name: 'WS-00001' }, { id: 3, name: 'WS-00003' }]);
	});
});

check('scripts: run + runStatus completion, errors, 414', async () => {
	await withSim({ mode: '14', machines: 60 }, async (sim, url) => {
		const c = new Client(url);
		await c.login();
		let r = await c.get('/api/scripts');
		assert.equal(r.json.Scripts.length, 8);
		r = await c.get('/api/script/3');
		assert.equal(r.json.Scripts[0].id, 3);
		r = await c.call('POST', '/api/script/3/actions/run?machineIDs=1,2,23,37');
		assert.equal(r.status, 200);
		assert.equal(r.text, '4711');
		r = await c.get('/api/script/runStatus/4711');
		assert.deepEqual(r.json, { scriptId: 3, Targeted: [1, 2, 23, 37], Pending: [1, 2, 23, 37], Success: [], pushFailed: [], failed: [] });
		sim.clock.advance(5_001);
		r = await c.get('/api/script/runStatus/4711');
		assert.deepEqual(r.json, { scriptId: 3, Targeted: [1, 2, 23, 37], Pending: [], Success: [1, 2], pushFailed: [23], failed: [37] });
		errBody(await c.call('POST', '/api/script/3/actions/run?machineIDs=1,999'), 400, 'Invalid machineIDs: 999');
		errBody(await c.call('POST', '/api/script/3/actions/run'), 400, 'machineIDs is required');
		errBody(await c.call('POST', '/api/script/99/actions/run?machineIDs=1'), 404, 'Script 99 not found');
		r = await c.call('POST', '/api/script/3/actions/run?machineIDs=' + Array.from({ length: 3000 }, (_, i) => (i % 60) + 1).join(','));
		assert.equal(r.status, 414);
	});
	await withSim({ mode: '14', machines: 5, scriptRunMs: { min: 50, max: 100 } }, async (sim, url) => {
		const c = new Client(url);
		await c.login();
		const id = (await c.call('POST', '/api/script/1/actions/run?machineIDs=1,2')).json;
		await new Promise((res) => setTimeout(res, 150));
		assert.deepEqual((await c.get(`/api/script/runStatus/${id}`)).json.Success, [1, 2]);
	});
});

check('service desk: queues, tickets CRUD, readonly', async () => {
	await withSim({ mode: '14', machines: 100, users: [ADMIN, { userName: 'ro', password: 'ro', role: 'readonly' }] }, async (sim, url) => {
		const c = new Client(url);
		await c.login();
		let r = await c.get('/api/service_desk/queues');
		assert.equal(r.json.Queues.length, 3);
		r = await c.get('/api/service_desk/queues/2' + q({ shaping: 'queue all,status limited,priority limited,category limited,impact limited' }));
		const q2 = r.json.Queues[0];
		assert.equal(q2.Statuses.length, 5);
		assert.equal(q2.Priorities.length, 3);
		assert.ok(q2.Categories.length && q2.Impacts.length);
		r = await c.get('/api/service_desk/queues/2/fields');
		assert.ok(r.json.Fields.some((f) => f.jsonKey === 'status'));
		r = await c.get('/api/service_desk/tickets' + q({ filtering: 'hd_queue_id eq 2', paging: 'limit ALL' }));
		assert.ok(r.json.Count > 0 && r.json.Tickets.every((t) => t.hd_queue_id === 2));
		const t0 = r.json.Tickets[0];
		assert.ok(t0.status.id && t0.status.name && t0.status.state && t0.priority.name && t0.submitter.user_name);

		errBody(await c.call('POST', '/api/service_desk/tickets', { Tickets: [{ title: 'x' }] }), 400, 'hd_queue_id is required');
		errBody(await c.call('POST', '/api/service_desk/tickets', { Tickets: [{ title: 'x', hd_queue_id: 1, status: 12 }] }), 400, 'Invalid status id 12 for queue 1');
		sim.clock.advance(60_000);
		const since = sim.fmt(sim.clock.now() - 1000);
		r = await c.call('POST', '/api/service_desk/tickets', { Tickets: [{ title: 'New laptop', hd_queue_id: 1, summary: 's', priority: 1, owner: 10, machine: 5, custom_1: 'Berlin' }] });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.Result, 'Success');
		const id = r.json.IDs[0];
		r = await c.get(`/api/service_desk/tickets/${id}`);
		const t = r.json.Tickets[0];
		assert.equal(t.title, 'New laptop');
		assert.deepEqual(t.status, { id: 1, name: 'New', state: 'opened' });
		assert.deepEqual(t.owner, { id: 10, user_name: 'admin', full_name: 'admin' });
		assert.deepEqual(t.machine, { id: 5, name: 'WS-00005' });
		assert.equal(t.custom_1, 'Berlin');
		r = await c.get('/api/service_desk/tickets' + q({ filtering: `created gt ${since}` }));
		assert.deepEqual(r.json.Tickets.map((x) => x.id), [id]);
		r = await c.call('PUT', `/api/service_desk/tickets/${id}`, { Tickets: [{ status: 5 }] });
		assert.deepEqual(r.json, { Result: 'Success' });
		r = await c.call('POST', `/api/service_desk/tickets/${id}`, { Tickets: [{ resolution: 'done', title: 'Laptop delivered' }] });
		assert.deepEqual(r.json, { Result: 'Success' });
		r = await c.get(`/api/service_desk/tickets/${id}`);
		assert.equal(r.json.Tickets[0].status.name, 'Closed');
		assert.equal(r.json.Tickets[0].title, 'Laptop delivered');
		r = await c.get('/api/service_desk/tickets' + q({ filtering: 'status.state eq closed,owner.user_name eq admin', sorting: 'id desc', paging: 'limit 1' }));
		assert.equal(r.json.Tickets[0].id, id);
		errBody(await c.call('PUT', `/api/service_desk/tickets/${id}`, { Tickets: [{ nope: 1 }] }), 400, "Invalid field 'nope'");
		assert.equal((await c.get('/api/service_desk/tickets' + q({ shaping: 'hd_ticket all,related_tickets limited' }))).status, 500);
		r = await c.call('DELETE', `/api/service_desk/tickets/${id}`);
		assert.deepEqual(r.json, { Result: 'Success' });
		errBody(await c.get(`/api/service_desk/tickets/${id}`), 404, `Ticket ${id} not found`);

		const ro = new Client(url);
		await ro.login({ userName: 'ro', password: 'ro' });
		assert.equal((await ro.get('/api/service_desk/tickets')).status, 200);
		errBody(await ro.call('POST', '/api/service_desk/tickets', { Tickets: [{ hd_queue_id: 1 }] }), 403, 'Insufficient permissions');
		errBody(await ro.call('PUT', '/api/inventory/machines/1', { Machines: [{ id: 1, notes: 'x' }] }), 403, 'Insufficient permissions');
	});
});

check('issue 14 routes: asset types/create/update/archive, ticket history and comments, template, machines, inventory catalogs', async () => {
	await withSim({ mode: '14', machines: 40, users: [ADMIN, { userName: 'ro', password: 'ro', role: 'readonly' }] }, async (sim, url) => {
		const c = new Client(url);
		await c.login();
		// asset types, strict per-type fields, archive
		let r = await c.get('/api/asset/assets/types');
		assert.deepEqual(r.json.AssetTypes.map((t) => t.name), ['Computer with Dell Agent', 'Monitor', 'Printer']);
		r = await c.get('/api/asset/assets' + q({ filtering: 'asset_type_id eq 7', shaping: 'asset all', paging: 'limit 1' }));
		assert.deepEqual(Object.keys(r.json.Assets[0]).filter((k) => k.startsWith('field_')), ['field_10002', 'field_10003']);
		errBody(await c.call('POST', '/api/asset/assets', { Assets: [{ name: 'P1', asset_type_id: 8, field_10000: 'x' }] }), 400, "Invalid field 'field_10000' for asset type 'Printer'");
		errBody(await c.call('POST', '/api/asset/assets', { Assets: [{ name: 'P1', asset_type_id: 99 }] }), 400, "Invalid asset_type_id '99'");
		errBody(await c.call('POST', '/api/asset/assets', { Assets: [{ name: 'P1', asset_type_id: 5, field_10001: '1.2.2024' }] }), 400, "Invalid date '1.2.2024' for field 'Purchase Date' (YYYY-MM-DD)");
		r = await c.call('POST', '/api/asset/assets', { Assets: [{ name: 'P1', asset_type_id: 8, field_10004: 'HP 26A', owner_id: 20 }] });
		const assetId = r.json.IDs[0];
		r = await c.get(`/api/asset/assets/${assetId}` + q({ shaping: 'asset all' }));
		assert.equal(r.json.Assets[0].field_10004, 'HP 26A');
		assert.equal(r.json.Assets[0].asset_type_name, 'Printer');
		errBody(await c.call('PUT', `/api/asset/assets/${assetId}`, { Assets: [{ id: assetId, asset_type_id: 5 }] }), 400, 'asset_type_id cannot be changed');
		assert.deepEqual((await c.call('PUT', `/api/asset/assets/${assetId}`, { Assets: [{ id: assetId, field_10004: 'HP 59A' }] })).json, { Result: 'Success' });
		errBody(await c.call('POST', `/api/asset/assets/${assetId}/archive`, {}), 400, 'archiveReason is required');
		assert.deepEqual((await c.call('POST', `/api/asset/assets/${assetId}/archive`, { archiveReason: 'Broken' })).json, { Result: 'Success' });
		errBody(await c.get(`/api/asset/assets/${assetId}`), 404, `Asset ${assetId} not found`);
		r = await c.get(`/api/asset/archived_devices/${assetId}` + q({ shaping: 'asset all' }));
		assert.equal(r.json.Assets[0].archive, 'Broken');

		// ticket history: creation change, comments written with an update, owners-only hidden from standard users
		r = await c.call('POST', '/api/service_desk/tickets', { Tickets: [{ title: 'History', hd_queue_id: 1 }] });
		const tid = r.json.IDs[0];
		sim.clock.advance(5000);
		assert.deepEqual((await c.call('PUT', `/api/service_desk/tickets/${tid}`, { Tickets: [{ comment: 'first', owners_only: 1 }] })).json, { Result: 'Success' });
		errBody(await c.call('PUT', `/api/service_desk/tickets/${tid}`, { Tickets: [{ owners_only: 1 }] }), 400, 'owners_only needs a comment');
		r = await c.get(`/api/service_desk/tickets/${tid}/changes` + q({ shaping: 'hd_ticket_change all,user limited' }));
		assert.deepEqual(r.json.Changes.map((ch) => [ch.description, ch.comment, ch.owners_only, ch.user.user_name]), [['Ticket Created', '', 0, 'admin'], ['', 'first', 1, 'admin']]);
		r = await c.get(`/api/service_desk/tickets/${tid}`);
		assert.equal(r.json.Tickets[0].modified, sim.fmt(sim.clock.now()));
		errBody(await c.get('/api/service_desk/tickets/99999/changes'), 404, 'Ticket 99999 not found');
		r = await c.get('/api/service_desk/queues/3/ticket_template');
		assert.equal(r.json.Tickets[0].hd_queue_id, 3);
		errBody(await c.call('POST', '/api/service_desk/tickets', { Tickets: [{ title: 'HR', hd_queue_id: 3 }] }), 400, "Field 'Employee Id' is required in queue 'HR Requests'");
		assert.equal((await c.call('POST', '/api/service_desk/tickets', { Tickets: [{ title: 'HR', hd_queue_id: 3, custom_1: 'E-1' }] })).status, 200);

		// agentless machine records, processes of one machine, compatible machines
		errBody(await c.call('POST', '/api/inventory/machines', { Machines: [{ name: 'X', color: 'red' }] }), 400, "Invalid field 'color'");
		r = await c.call('POST', '/api/inventory/machines', { Machines: [{ name: 'PRINTER-01', ip: '10.9.9.9' }] });
		assert.deepEqual(r.json, { Result: 'Success', IDs: [41] });
		r = await c.get('/api/inventory/machines/41');
		assert.equal(r.json.Machines[0].Ip, '10.9.9.9');
		r = await c.get('/api/inventory/processes' + q({ filtering: 'machine.id eq 10', paging: 'limit ALL' }));
		assert.deepEqual(r.json.Processes.map((p) => p.Name), ['svchost.exe', 'KACEAgent.exe', 'lsass.exe', 'sqlservr.exe', 'w3wp.exe']);
		r = await c.get('/api/inventory/machines/10' + q({ shaping: 'machine limited,service limited,startup_program limited' }));
		assert.equal(r.json.Machines[0].Services.length, 7);
		assert.equal(r.json.Machines[0].StartupPrograms.length, 2);
		r = await c.get('/api/managed_install/managed_installs/5/compatible_machines' + q({ paging: 'limit ALL' }));
		assert.ok(r.json.Machines.length > 0 && r.json.Machines.every((m) => [1, 2].includes(sim.state.machines.find((x) => x._id === Number(m.Id))._osId)));

		const ro = new Client(url);
		await ro.login({ userName: 'ro', password: 'ro' });
		errBody(await ro.call('POST', '/api/asset/assets/1/archive', { archiveReason: 'x' }), 403, 'Insufficient permissions');
		errBody(await ro.call('POST', '/api/inventory/machines', { Machines: [{ name: 'x' }] }), 403, 'Insufficient permissions');
	});
});

check('faults via sim.faults', async () => {
	await withSim({ mode: '14', machines: 10 }, async (sim, url) => {
		const c = new Client(url);
		await c.login();
		sim.faults.add({ path: '/api/inventory/machines', status: 503, headers: { 'Retry-After': '1' } });
		let r = await c.get('/api/inventory/machines');
		assert.equal(r.status, 503);
		assert.equal(r.headers.get('retry-after'), '1');
		r = await c.get('/api/inventory/machines');
		assert.equal(r.status, 200);
		assert.equal(sim.count('/api/inventory/machines', 'GET'), 2);
	});
});

check('speed: page 20,000 machines', async () => {
	await withSim({ mode: '14', machines: 20_000 }, async (sim, url) => {
		const c = new Client(url);
		await c.login();
		const t = Date.now();
		const seen = [];
		for (let offset = 0; ; offset += 500) {
			const r = await c.get('/api/inventory/machines' + q({ paging: `limit 500 offset ${offset}`, sorting: 'name asc', filtering: 'id gt 0', use_count: 'false' }));
			seen.push(...r.json.Machines.map((m) => m.Id));
			if (r.json.Machines.length < 500) break;
		}
		assert.equal(seen.length, 20_000);
		assert.equal(new Set(seen).size, 20_000);
		const ms = Date.now() - t;
		assert.ok(ms < 10_000, `paging took ${ms} ms`);
		console.log(`    (20,000 machines in 40 pages: ${ms} ms)`);
	});
});

(async () => {
	let failed = 0;
	for (const [name, fn] of checks) {
		try {
			await fn();
			console.log(`ok   ${name}`);
		} catch (e) {
			failed++;
			console.log(`FAIL ${name}\n${e && e.stack}`);
		}
	}
	console.log(failed ? `${failed} of ${checks.length} checks failed` : `all ${checks.length} checks passed`);
	process.exit(failed ? 1 : 0);
})();
