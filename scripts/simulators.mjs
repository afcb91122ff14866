#!/usr/bin/env node
// The three appliance simulators (test/sim/*.js) with demo data, in ONE process, for `npm start`, the e2e run
// and anyone who wants to point their own n8n at them.
//
//   node scripts/simulators.mjs [--kace-port 18443] [--vsa-port 18444] [--sps-port 18445] [--tick 25]
//   (or the environment variables KACE_SIM_PORT, VSA_SIM_PORT, SPS_SIM_PORT, DEMO_TICK)
//
// Fixed loopback ports by default (127.0.0.1 only):
//   KACE SMA  http://127.0.0.1:18443    user admin / S3cret-pass!                 (SMA 14 API, 1,200 machines)
//   VSA       http://127.0.0.1:18444    user admin, PAT 00000000-0000-0000-0000-000000000000 (300 agents)
//   SPS       https://127.0.0.1:18445   user admin / Admin-Passw0rd!  (private CA, 1,500 recorded sessions)
// Every `--tick` seconds (default 25) new data arrives so the polling triggers have something to fire on:
// a KACE service desk ticket, a VSA alarm (and every 4th tick a new agent), an SPS recorded session.
//
// Library: startSimulators(options) → { kace, vsa, sps, pki, urls, accounts, tick(), startTicker(ms), stop() },
//          credentialData(sims, line) → data of the three n8n credentials pointing at them.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { portHolder } from './proc.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const require = createRequire(path.join(ROOT, 'test', 'sim', 'x.js'));
const { createKaceSim } = require('./kace.js');
const { createVsaSim } = require('./vsa.js');
const { createSpsSim } = require('./sps.js');
const { makePki } = require('./certs.js');

export const DEFAULT_PORTS = Object.freeze({ kace: 18443, vsa: 18444, sps: 18445 });

/** Logins the simulators accept (the demo credentials use them). */
export const ACCOUNTS = Object.freeze({
	kace: { username: 'admin', password: 'S3cret-pass!' },
	// a second KACE account that only the data generator uses (tickets "arrive" through the real API)
	kaceBot: { username: 'helpdesk-bot', password: 'Bot-Passw0rd!' },
	vsa: { username: 'admin', password: 'P@ssw0rd', pat: '00000000-0000-0000-0000-000000000000' },
	sps: { username: 'admin', password: 'Admin-Passw0rd!' },
	spsCert: { username: 'certuser', loginMethod: 'certificates' },
});

export const DEMO_SIZES = Object.freeze({ machines: 1200, agents: 300, alarms: 5, sessions: 1500, activeSessions: 2 });

/**
 * A PKI for the SPS simulator. With `file`, it is kept there and reused, so credentials that carry the CA stay
 * valid across restarts (the demo); without, a fresh one (tests).
 */
export function loadPki(file) {
	if (file && fs.existsSync(file)) {
		try {
			const pki = JSON.parse(fs.readFileSync(file, 'utf8'));
			if (pki.caPem && pki.serverKeyPem && pki.serverCertPem && pki.clientCertPem) return pki;
		} catch {
			/* regenerate */
		}
	}
	const pki = { ...makePki() };
	if (file) {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, JSON.stringify(pki, null, 2), { mode: 0o600 });
	}
	return pki;
}

/** Minimal KACE SMA 14 API client (login + ticket create) used by the data generator. */
function kaceClient(baseUrl, { username, password }) {
	let session;
	const loginOnce = async () => {
		const res = await fetch(`${baseUrl}/ams/shared/api/security/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-kace-api-version': '5', accept: 'application/json' },
			body: JSON.stringify({ userName: username, password, organizationName: 'Default' }),
		});
		await res.text();
		if (res.status !== 200) throw new Error(`KACE simulator refused the generator login: HTTP ${res.status}`);
		const cookie = res.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.join('; ');
		session = { cookie, authorization: res.headers.get('x-kace-authorization') };
	};
	const call = async (method, p, body, retry = true) => {
		if (!session) await loginOnce();
		const headers = { 'x-kace-api-version': '5', accept: 'application/json', cookie: session.cookie };
		if (session.authorization) headers['x-kace-authorization'] = session.authorization;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(`${baseUrl}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await res.text();
		if (res.status === 401 && retry) {
			session = undefined;
			return call(method, p, body, false);
		}
		if (res.status !== 200) throw new Error(`KACE simulator: ${method} ${p} → HTTP ${res.status} ${text.slice(0, 200)}`);
		return JSON.parse(text);
	};
	return { call };
}

const TICKET_TITLES = [
	'Laptop will not boot', 'Outlook keeps asking for the password', 'New starter needs a laptop', 'VPN drops every hour',
	'Printer on floor 3 jams', 'Request: Visio licence', 'Monitor flickers', 'Cannot map network drive',
];
const ALARM_SUBJECTS = [
	['CPU above 95% for 10 minutes', 'Processor Time > 95%'], ['Disk space low on C:', 'Free space on C: below 10%'],
	['Service "Spooler" stopped', 'Windows service Spooler is not running'], ['Backup job failed', 'Nightly image backup returned code 2'],
	['Memory usage high', 'Available MBytes < 512'],
];

/**
 * Start the three simulators.
 * @param {object} [o]
 * @param {{kace?:number, vsa?:number, sps?:number}} [o.ports] 0 = any free port (tests); default DEFAULT_PORTS
 * @param {object} [o.sizes] machines, agents, alarms, sessions, activeSessions (default DEMO_SIZES)
 * @param {string} [o.pkiFile] keep the SPS PKI in this file (demo)
 * @param {(msg:string)=>void} [o.log]
 */
export async function startSimulators(o = {}) {
	const ports = { ...DEFAULT_PORTS, ...(o.ports ?? {}) };
	const sizes = { ...DEMO_SIZES, ...(o.sizes ?? {}) };
	const log = o.log ?? (() => {});
	const pki = o.pki ?? loadPki(o.pkiFile);

	const kace = createKaceSim({
		mode: '14',
		machines: sizes.machines,
		users: [
			{ userName: ACCOUNTS.kace.username, password: ACCOUNTS.kace.password, role: 'admin', fullName: 'KACE Administrator' },
			{ userName: ACCOUNTS.kaceBot.username, password: ACCOUNTS.kaceBot.password, role: 'admin', fullName: 'Helpdesk Bot' },
		],
	});
	const vsa = createVsaSim({
		agents: sizes.agents,
		alarms: sizes.alarms,
		users: [{ username: ACCOUNTS.vsa.username, password: ACCOUNTS.vsa.password, pat: ACCOUNTS.vsa.pat }],
		durationMs: 2000,
	});
	const sps = createSpsSim({
		users: [
			{ username: ACCOUNTS.sps.username, password: ACCOUNTS.sps.password, loginMethod: 'local' },
			// X.509 login (mutual TLS) with the PKI's client certificate; usable from n8n 2.x only
			{ username: ACCOUNTS.spsCert.username, password: 'unused-Passw0rd!', loginMethod: 'certificates', clientCertCN: pki.clientCN },
		],
		// session keys derive from the seed: a new one per start, so a restarted demo never repeats keys that a
		// trigger (whose de-duplication memory lives in n8n) has already seen
		seed: o.seed ?? `demo-${Date.now()}`,
		sessions: 0,
		tls: { key: pki.serverKeyPem, cert: pki.serverCertPem, ca: [pki.caPem], requestCert: true, rejectUnauthorized: false },
	});
	if (sizes.sessions) sps.addSessions(sizes.sessions, { startMs: sps.clock.now() - (sizes.sessions + 5) * 60_000, stepMs: 60_000 });
	if (sizes.activeSessions) sps.addSessions(sizes.activeSessions, { startMs: sps.clock.now() - 4 * 60_000, stepMs: 60_000, active: true });

	const started = [];
	const stop = async () => {
		ticker.stop();
		await Promise.all(started.map((s) => s.stop().catch(() => {})));
	};
	try {
		for (const [name, sim] of [['kace', kace], ['vsa', vsa], ['sps', sps]]) {
			try {
				await sim.start(ports[name], '127.0.0.1');
			} catch (e) {
				if (e.code === 'EADDRINUSE') {
					const holder = portHolder(ports[name]);
					throw new Error(`port ${ports[name]} (${name} simulator) is in use${holder ? ` by ${holder}` : ''}: stop it, or choose another port (--${name}-port)`);
				}
				throw e;
			}
			started.push(sim);
		}
	} catch (e) {
		await stop();
		throw e;
	}

	const bot = kaceClient(kace.url, ACCOUNTS.kaceBot);
	let tickNo = 0;
	/** New data on every simulator; returns what was added. */
	const tick = async () => {
		tickNo++;
		const added = {};
		const machine = 1 + ((tickNo * 37) % sizes.machines || 1);
		const title = `${TICKET_TITLES[tickNo % TICKET_TITLES.length]} (#${tickNo})`;
		const r = await bot.call('POST', '/api/service_desk/tickets', {
			Tickets: [{ title, summary: `Reported by a user of WS-${String(machine).padStart(5, '0')}`, hd_queue_id: 1, machine_id: machine }],
		});
		added.kaceTicket = { id: r.IDs?.[0], title };
		const [subject, message] = ALARM_SUBJECTS[tickNo % ALARM_SUBJECTS.length];
		// 18-digit id unique across restarts (the simulator numbers alarms 1, 2, … per process)
		const AlarmId = `9${String(Date.now()).padStart(14, '0')}${String(tickNo % 1000).padStart(3, '0')}`;
		const alarm = vsa.addAlarm({ AlarmId, AlarmSubject: subject, Message: message });
		added.vsaAlarm = { AlarmId: alarm.AlarmId, AlarmSubject: subject };
		if (tickNo % 4 === 0) added.vsaAgent = vsa.addAgents(1).map((a) => a.ComputerName)[0];
		const [session] = sps.addSessions(1, { startMs: sps.clock.now() - 3000 });
		added.spsSession = session.key;
		if (tickNo % 3 === 0) sps.addAlert(session.key, { matched_content: 'sudo rm -rf /var/log', matched_regexp: 'rm -rf' });
		log(`new data: KACE ticket ${added.kaceTicket.id} "${title}", VSA alarm "${subject}"${added.vsaAgent ? `, VSA agent ${added.vsaAgent}` : ''}, SPS session ${session.key}`);
		return added;
	};
	const ticker = {
		timer: undefined,
		start(ms) {
			this.stop();
			this.timer = setInterval(() => tick().catch((e) => log(`data generator: ${e.message}`)), ms);
			this.timer.unref?.();
		},
		stop() {
			if (this.timer) clearInterval(this.timer);
			this.timer = undefined;
		},
	};

	return {
		kace,
		vsa,
		sps,
		pki,
		urls: { kace: kace.url, vsa: vsa.url, sps: sps.url },
		accounts: ACCOUNTS,
		sizes,
		tick,
		startTicker: (ms) => ticker.start(ms),
		stopTicker: () => ticker.stop(),
		stop,
	};
}

/**
 * Data of the three credentials pointing at the simulators.
 * SPS is HTTPS with a private CA: n8n 2.x honours the credential's "CA Certificate" field; n8n 1.x's httpRequest
 * helper drops agentOptions (scripts/N8N_RUNTIME_NOTES.md (b)), so the v1 credential uses "Ignore SSL Issues".
 * @param {'v1'|'v2'} line
 * @param {object} [over] per credential type overrides, e.g. { kaceSmaApi: { password: 'wrong' } }
 */
export function credentialData(sims, line, over = {}) {
	const tlsSps = line === 'v1' ? { caCertificate: '', allowUnauthorizedCerts: true } : { caCertificate: sims.pki.caPem, allowUnauthorizedCerts: false };
	return {
		kaceSmaApi: {
			baseUrl: sims.urls.kace,
			username: ACCOUNTS.kace.username,
			password: ACCOUNTS.kace.password,
			organization: '',
			apiVersion: '5',
			totpSecret: '',
			caCertificate: '',
			allowUnauthorizedCerts: false,
			...(over.kaceSmaApi ?? {}),
		},
		kaseyaVsaApi: {
			server: sims.urls.vsa,
			authMethod: 'pat',
			username: ACCOUNTS.vsa.username,
			accessToken: ACCOUNTS.vsa.pat,
			password: '',
			caCertificate: '',
			allowUnauthorizedCerts: false,
			...(over.kaseyaVsaApi ?? {}),
		},
		safeguardSpsApi: {
			baseUrl: sims.urls.sps,
			authType: 'password',
			username: ACCOUNTS.sps.username,
			password: ACCOUNTS.sps.password,
			loginMethod: '',
			...tlsSps,
			...(over.safeguardSpsApi ?? {}),
		},
	};
}

/** An SPS credential that logs in with the PKI's client certificate (mutual TLS; n8n 2.x only). */
export function spsCertificateCredential(sims) {
	return {
		baseUrl: sims.urls.sps,
		authType: 'x509',
		clientCertificate: sims.pki.clientCertPem,
		clientKey: sims.pki.clientKeyPem,
		clientKeyPassphrase: '',
		loginMethod: ACCOUNTS.spsCert.loginMethod,
		caCertificate: sims.pki.caPem,
		allowUnauthorizedCerts: false,
	};
}

// ------------------------------------------------------------------ CLI

function flag(argv, name, envName, dflt) {
	const i = argv.indexOf(`--${name}`);
	if (i >= 0 && argv[i + 1]) return argv[i + 1];
	const eq = argv.find((a) => a.startsWith(`--${name}=`));
	if (eq) return eq.slice(name.length + 3);
	return process.env[envName] || dflt;
}

async function main(argv) {
	const ports = {
		kace: Number(flag(argv, 'kace-port', 'KACE_SIM_PORT', DEFAULT_PORTS.kace)),
		vsa: Number(flag(argv, 'vsa-port', 'VSA_SIM_PORT', DEFAULT_PORTS.vsa)),
		sps: Number(flag(argv, 'sps-port', 'SPS_SIM_PORT', DEFAULT_PORTS.sps)),
	};
	const tickSeconds = Number(flag(argv, 'tick', 'DEMO_TICK', 25));
	const pkiFile = path.join(ROOT, '.demo', 'sps-pki.json');
	const sims = await startSimulators({ ports, pkiFile, log: (m) => console.log(`[simulators] ${m}`) });
	if (tickSeconds > 0) sims.startTicker(tickSeconds * 1000);
	const caFile = path.join(ROOT, '.demo', 'sps-ca.pem');
	fs.writeFileSync(caFile, sims.pki.caPem);
	console.log(`[simulators] KACE SMA ${sims.urls.kace}  (${ACCOUNTS.kace.username} / ${ACCOUNTS.kace.password}, ${sims.sizes.machines} machines)`);
	console.log(`[simulators] Kaseya VSA ${sims.urls.vsa}  (${ACCOUNTS.vsa.username}, PAT ${ACCOUNTS.vsa.pat}, ${sims.sizes.agents} agents)`);
	console.log(`[simulators] SPS ${sims.urls.sps}  (${ACCOUNTS.sps.username} / ${ACCOUNTS.sps.password}, CA in ${path.relative(process.cwd(), caFile)})`);
	console.log(`[simulators] new data every ${tickSeconds} s; Ctrl-C stops`);
	const shutdown = async () => {
		await sims.stop();
		process.exit(0);
	};
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, shutdown);
	await new Promise(() => {});
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main(process.argv.slice(2)).catch((e) => {
		console.error(e.message);
		process.exit(1);
	});
}
