'use strict';
/**
 * Shared base for the appliance simulators (KACE SMA, Kaseya VSA, SPS).
 *
 * Each simulator is a plain http(s) server on 127.0.0.1 with:
 *  - a request log (`sim.requests`: {method, path, query, headers, body, status, at}),
 *  - an injectable clock (`sim.clock.now()`, `sim.clock.advance(ms)`, `sim.clock.set(ms)`),
 *  - a fault plan (`sim.faults.add({...})`) applied before the appliance logic runs, so every
 *    route of every simulator can be made to fail the way real appliances and proxies fail.
 *
 * Fault rule: { method?: 'GET', path: '/api/x' | RegExp, nth?: 1-based matching-request number (default every),
 *   times?: how many times to fire (default 1), status?, headers?, body? (string|object),
 *   reset?: 'before' | 'after' (destroy the socket before reading the body / after the appliance handled it),
 *   delayMs?: wait before answering, html?: true (HTML error page with the given status, default 200),
 *   truncate?: true (send a cut JSON document), empty?: true (empty body with the given status, default 200),
 *   passThrough?: true (run the appliance logic anyway, after delayMs) }
 *
 * Hook: `sim.onRequest = (ctx) => void | true` runs before the appliance logic of every request (ctx.entry is its
 * log entry, already logged); returning true means the hook answered the request itself. Tests use it to change
 * the appliance while a client is reading (expire sessions, add or remove records at the n-th request).
 */
const http = require('node:http');
const https = require('node:https');

function createClock() {
	let offset = 0;
	return {
		now: () => Date.now() + offset,
		advance(ms) { offset += ms; },
		set(ms) { offset = ms - Date.now(); },
		reset() { offset = 0; },
	};
}

function createFaultPlan() {
	const rules = [];
	return {
		rules,
		add(rule) {
			rules.push({ times: 1, ...rule, seen: 0, fired: 0 });
			return this;
		},
		clear() { rules.length = 0; },
		/** returns the rule to apply to this request, or undefined */
		match(method, path) {
			for (const r of rules) {
				if (r.method && r.method !== method) continue;
				const ok = r.path instanceof RegExp ? r.path.test(path) : r.path === path;
				if (!ok) continue;
				r.seen++;
				if (r.fired >= r.times) continue;
				if (r.nth !== undefined && r.seen !== r.nth) continue;
				r.fired++;
				return r;
			}
			return undefined;
		},
	};
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/**
 * A reply helper bound to one response. `send(status, body, headers)`; body objects are JSON.
 */
function makeReply(res, entry) {
	return function send(status, body, headers = {}) {
		entry.status = status;
		entry.answeredAt = Date.now();
		if (res.headersSent || res.destroyed) return;
		let payload = '';
		const h = { ...headers };
		if (body !== undefined && body !== null && body !== '') {
			if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
			else {
				payload = JSON.stringify(body);
				if (!h['Content-Type'] && !h['content-type']) h['Content-Type'] = 'application/json; charset=utf-8';
			}
		}
		h['Content-Length'] = Buffer.byteLength(payload);
		res.writeHead(status, h);
		res.end(payload);
	};
}

/**
 * Creates a simulator server. `handler(ctx)` receives
 * { req, res, method, path, query (URLSearchParams), rawQuery, headers, bodyText, json (parsed or undefined),
 *   send(status, body, headers), entry } and must answer through `send`.
 * Options: { name, tls?: { key, cert, ca?, requestCert? } }
 */
function createSimServer(options, handler) {
	const clock = options.clock || createClock();
	const faults = createFaultPlan();
	const requests = [];
	const sockets = new Set();

	/** the test's hook (sim.onRequest), then the appliance logic */
	const appliance = async (ctx) => {
		if (typeof api.onRequest === 'function' && api.onRequest(ctx) === true) return;
		await handler(ctx);
	};

	const onRequest = async (req, res) => {
		const url = new URL(req.url, 'http://sim');
		const entry = {
			method: req.method,
			path: url.pathname,
			rawQuery: url.search.slice(1),
			query: Object.fromEntries(url.searchParams),
			headers: { ...req.headers },
			body: undefined,
			status: undefined,
			at: clock.now(),
			peerCertificate: req.socket.getPeerCertificate ? req.socket.getPeerCertificate() : undefined,
		};
		requests.push(entry);
		const send = makeReply(res, entry);
		const fault = faults.match(req.method, url.pathname);
		if (fault && fault.reset === 'before') {
			entry.status = 'reset-before';
			req.socket.destroy();
			return;
		}
		const bodyText = await readBody(req).catch(() => '');
		entry.body = bodyText;
		if (fault) {
			if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
			if (res.destroyed) return;
			if (!fault.passThrough) {
				if (fault.reset === 'after') {
					entry.status = 'reset-after';
					// the appliance did the work, then the connection died before the answer
					try { await appliance(buildCtx(req, res, url, bodyText, () => {}, entry)); } catch { /* ignore */ }
					req.socket.destroy();
					return;
				}
				if (fault.html) return send(fault.status || 200, '<html><body><h1>Whoops.</h1><p>Something went wrong</p></body></html>', { 'Content-Type': 'text/html' });
				if (fault.truncate) return send(fault.status || 200, '{"Result":[{"id":1,"name":"tru', { 'Content-Type': 'application/json' });
				if (fault.empty) return send(fault.status || 200, '', fault.headers || {});
				return send(fault.status || 500, fault.body ?? { error: 'injected fault' }, fault.headers || {});
			}
		}
		try {
			await appliance(buildCtx(req, res, url, bodyText, send, entry));
		} catch (e) {
			send(500, { error: `simulator crashed: ${e && e.message}` });
		}
	};

	function buildCtx(req, res, url, bodyText, send, entry) {
		let json;
		if (bodyText) {
			try { json = JSON.parse(bodyText); } catch { json = undefined; }
		}
		return {
			req, res, entry, send,
			method: req.method,
			path: url.pathname,
			query: url.searchParams,
			rawQuery: url.search.slice(1),
			headers: req.headers,
			bodyText,
			json,
		};
	}

	const server = options.tls
		? https.createServer({ ...options.tls }, onRequest)
		: http.createServer(onRequest);
	server.keepAliveTimeout = 5000;
	server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
	server.on('secureConnection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

	const api = {
		name: options.name,
		clock,
		faults,
		requests,
		server,
		url: undefined,
		/** see "Hook" above */
		onRequest: undefined,
		async start(port = 0, host = '127.0.0.1') {
			await new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, resolve);
			});
			const addr = server.address();
			this.url = `${options.tls ? 'https' : 'http'}://${host}:${addr.port}`;
			return this.url;
		},
		async stop() {
			for (const s of sockets) s.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
		/** requests whose path matches (string prefix or RegExp), optionally by method */
		count(path, method) {
			return requests.filter((r) => (!method || r.method === method)
				&& (path instanceof RegExp ? path.test(r.path) : r.path.startsWith(path))).length;
		},
		resetLog() { requests.length = 0; },
	};
	return api;
}

module.exports = { createSimServer, createClock, createFaultPlan };
