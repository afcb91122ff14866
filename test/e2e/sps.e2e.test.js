'use strict';
/**
 * End to end in REAL n8n (headless CLI: import:credentials, import:workflow, execute), both lines the package
 * supports, against the SPS simulator over HTTPS with the test CA. Uses scripts/n8n-runtime.mjs; a line whose
 * runtime is not installed (`node scripts/n8n-runtime.mjs install v1|v2`) is skipped.
 *
 * What it proves beyond the in-process engine tests:
 *  - n8n 1.x: NodeApiError drops the error it wraps; a refused login is still exactly ONE login attempt with
 *    SPS's reason (transport/http.ts extractSpsFailure); 1.x ignores agentOptions (CA, client certificate), so the
 *    CA field gives our advice and NODE_EXTRA_CA_CERTS works; certificate login explains it needs n8n 2.x.
 *  - n8n 2.x: CA field, mutual TLS with an encrypted key, update with auto-commit, search, session reuse across
 *    executions (persisted in n8n's database).
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');
const installed = (line) => fs.existsSync(path.join(ROOT, '.n8n-runtime', line, '.installed.json'));

// The child: ESM (the runtime library is an .mjs), starts the simulator, runs n8n, prints one JSON line.
const CHILD = String.raw`
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
const [line, root, extraCa] = process.argv.slice(1);
// jest's environment (NODE_ENV=test, JEST_*) must not reach n8n: with NODE_ENV=test it prints no run output
for (const k of Object.keys(process.env)) if (k === 'NODE_ENV' || k.startsWith('JEST_')) delete process.env[k];
const rt = await import(path.join(root, 'scripts', 'n8n-runtime.mjs'));
const require = createRequire(path.join(root, 'test', 'x.js'));
const { startSpsFixture } = require('./sim/sps.js');
const f = await startSpsFixture({ sessions: 1200, activeSessions: 1 });
const out = { runs: {} };
let folder;
try {
	await rt.ensureRuntime(line, { install: false });
	folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sps-e2e-' + line + '-'));
	await rt.linkPackage(folder, root);
	const caFile = path.join(folder, 'sps-ca.pem');
	fs.writeFileSync(caFile, f.pki.caPem);
	const creds = [
		{ id: 'spsPassword00001', name: 'SPS password', type: 'safeguardSpsApi', data: f.password() },
		{ id: 'spsWrongPass0001', name: 'SPS wrong', type: 'safeguardSpsApi', data: f.password({ password: 'wrong-Passw0rd!' }) },
		{ id: 'spsCertificate01', name: 'SPS cert', type: 'safeguardSpsApi', data: f.x509({ clientKey: f.pki.encryptedClientKeyPem, clientKeyPassphrase: f.pki.passphrase }) },
	];
	fs.writeFileSync(path.join(folder, 'creds.json'), JSON.stringify(creds));
	const wf = (id, credId, parameters) => ({
		id, name: id, active: false, settings: {},
		connections: { Start: { main: [[{ node: 'SPS', type: 'main', index: 0 }]] } },
		nodes: [
			{ id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'b', name: 'SPS', type: 'n8n-nodes-it-appliances.safeguardSps', typeVersion: 1, position: [200, 0], parameters, credentials: { safeguardSpsApi: { id: credId, name: 'x' } } },
		],
	});
	const wfs = [
		wf('wfSpsUpdate00001', 'spsPassword00001', { resource: 'configuration', operation: 'update', path: 'configuration/management/email', fields: '{"admin_address":"e2e@example.com"}', mode: 'merge', autoCommit: true }),
		wf('wfSpsSearch00001', 'spsPassword00001', { resource: 'auditSession', operation: 'search', returnAll: true, sessionData: 'fields', fields: 'protocol' }),
		wf('wfSpsWrong000001', 'spsWrongPass0001', { resource: 'system', operation: 'getCurrentUser' }),
		wf('wfSpsCert0000001', 'spsCertificate01', { resource: 'system', operation: 'getCurrentUser' }),
	];
	let r = await rt.n8nCommand(line, folder, ['import:credentials', '--input=' + path.join(folder, 'creds.json')]);
	if (r.code) throw new Error('import:credentials failed: ' + r.stdout + r.stderr);
	const wfDir = path.join(folder, 'workflows');
	fs.mkdirSync(wfDir);
	for (const w of wfs) fs.writeFileSync(path.join(wfDir, w.id + '.json'), JSON.stringify(w));
	r = await rt.n8nCommand(line, folder, ['import:workflow', '--separate', '--input=' + wfDir]);
	if (r.code) throw new Error('import:workflow failed: ' + r.stdout + r.stderr);
	const env = extraCa === 'extra-ca' ? { NODE_EXTRA_CA_CERTS: caFile } : {};
	for (const [name, id] of [['update', 'wfSpsUpdate00001'], ['search', 'wfSpsSearch00001'], ['searchAgain', 'wfSpsSearch00001'], ['wrong', 'wfSpsWrong000001'], ['cert', 'wfSpsCert0000001']]) {
		const mark = f.sim.requests.length;
		const loginsBefore = f.sim.logins().length;
		r = await rt.n8nCommand(line, folder, ['execute', '--id=' + id, '--rawOutput'], { env });
		const run = rt.parseRawOutput(r.stdout);
		const error = run.data.resultData.error;
		out.runs[name] = {
			exit: r.code,
			error: error ? { message: error.message, description: error.description } : undefined,
			items: error ? [] : rt.nodeOutput(run, 'SPS'),
			requests: f.sim.requests.slice(mark).map((q) => q.method + ' ' + q.path + ' ' + q.status),
			userAgents: [...new Set(f.sim.requests.slice(mark).map((q) => q.headers['user-agent']))],
			loginAttempts: f.sim.logins().length - loginsBefore,
		};
	}
	out.adminAddress = f.sim.configBody('/api/configuration/management/email').admin_address;
	out.secrets = ['Admin-Passw0rd!', 'wrong-Passw0rd!', f.pki.passphrase, ...f.sim.state.sessions.keys()];
} catch (e) {
	out.fatal = String(e && e.stack || e);
} finally {
	await f.sim.stop();
	if (folder) fs.rmSync(folder, { recursive: true, force: true });
}
process.stdout.write('\n@@RESULT@@' + JSON.stringify(out) + '\n');
`;

function runChild(line, extraCa = '') {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, line, ROOT, extraCa], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c) => (stdout += c));
		child.stderr.on('data', (c) => (stderr += c));
		child.on('error', reject);
		child.on('close', () => {
			const at = stdout.lastIndexOf('@@RESULT@@');
			if (at < 0) return reject(new Error(`no result from the e2e child:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
			const result = JSON.parse(stdout.slice(at + '@@RESULT@@'.length).split('\n')[0]);
			if (result.fatal) return reject(new Error(result.fatal));
			resolve(result);
		});
	});
}

function checkCommon(result) {
	const { runs } = result;
	// secrets never leave: not in any output or error
	const text = JSON.stringify(runs);
	for (const s of result.secrets) expect(text).not.toContain(s);
	for (const r of Object.values(runs)) expect(r.userAgents.filter(Boolean)).toEqual(r.requests.length ? ['n8n-nodes-it-appliances'] : []);
	expect(runs.wrong.exit).toBe(1);
	expect(runs.wrong.loginAttempts).toBe(1);
	expect(runs.wrong.error.message).toContain('SPS refused the login for user "admin"');
	expect(runs.wrong.error.message).toContain('AuthenticationFailure: Authentication failed');
}

const v1 = installed('v1') ? test : test.skip;
const v2 = installed('v2') ? test : test.skip;

v2('n8n 2.x: CA field, mutual TLS with an encrypted key, auto-commit, search, session reuse, one login attempt', async () => {
	const result = await runChild('v2');
	const { runs } = result;
	checkCommon(result);
	expect(runs.update.exit).toBe(0);
	expect(runs.update.requests).toEqual([
		'GET /api/authentication 200',
		'GET /api/transaction 200',
		'POST /api/transaction 200',
		'GET /api/configuration/management/email 200',
		'PUT /api/configuration/management/email 200',
		'PUT /api/transaction 200',
	]);
	expect(result.adminAddress).toBe('e2e@example.com');
	expect(runs.search.items).toHaveLength(1201);
	expect(runs.search.requests).toEqual(['GET /api/audit/sessions 200', 'GET /api/audit/sessions 200', 'GET /api/audit/sessions 200']);
	expect(runs.searchAgain.requests).toHaveLength(3); // the session stored by n8n is reused: no login
	expect(runs.cert.exit).toBe(0);
	expect(runs.cert.items[0].user.name).toBe('certuser');
}, 400_000);

v1('n8n 1.x: the credential’s CA is not applied there → our advice, nothing reaches SPS', async () => {
	const plain = await runChild('v1');
	// 1.x does not apply the credential's CA (agentOptions) → our advice, nothing reached SPS
	for (const name of ['update', 'wrong']) {
		expect(plain.runs[name].exit).toBe(1);
		expect(plain.runs[name].error.message).toMatch(/^SPS: the HTTPS certificate could not be verified \(/);
		expect(plain.runs[name].error.description).toContain('n8n 1.x does not apply the credential');
		expect(plain.runs[name].requests).toEqual([]);
	}

}, 400_000);

v1('n8n 1.x with NODE_EXTRA_CA_CERTS: works; one login attempt with SPS’s reason; certificate login needs 2.x', async () => {
	const withCa = await runChild('v1', 'extra-ca');
	checkCommon(withCa);
	expect(withCa.runs.update.exit).toBe(0);
	expect(withCa.adminAddress).toBe('e2e@example.com');
	expect(withCa.runs.search.items).toHaveLength(1201);
	expect(withCa.runs.searchAgain.requests).toHaveLength(3);
	// no client certificate in 1.x: SPS refuses, once, and the message says why
	expect(withCa.runs.cert.loginAttempts).toBe(1);
	expect(withCa.runs.cert.error.message).toContain('No client certificate was presented');
	expect(withCa.runs.cert.error.message).toContain('certificate authentication needs n8n 2.x');
}, 400_000);
