'use strict';
/**
 * Small wrappers around the simulators for fault cases that the fault plan cannot express on its own
 * (the simulators are not edited):
 *  - onRequest(sim, {method, path, nth}, fn): runs fn before the appliance logic handles a matching request
 *    (e.g. kill the sessions when page 2 of a Return All arrives). The simulator handler awaits the request
 *    body first, so a listener added after it still runs before the appliance logic.
 *  - delayAnswer(sim, rule, ms): the appliance works at once, its answer leaves later (client timeouts);
 *  - refusals(port): counts client connections to 127.0.0.1:port that were refused (ECONNREFUSED), through
 *    node:diagnostics_channel; `onFirst` lets a case start the appliance after the first refusal.
 *  - waitFor(cond): polls a condition (for work a simulator finishes after the client gave up).
 */
const dc = require('node:diagnostics_channel');

function matches(rule, method, path) {
	if (rule.method && rule.method !== method) return false;
	if (rule.path instanceof RegExp) return rule.path.test(path);
	return rule.path === path;
}

function onRequest(sim, rule, fn) {
	let seen = 0;
	const listener = (req, res) => {
		const path = new URL(req.url, 'http://sim').pathname;
		if (!matches(rule, req.method, path)) return;
		seen++;
		if (rule.nth !== undefined && seen !== rule.nth) return;
		fn(req, res, seen);
	};
	sim.server.on('request', listener);
	return () => sim.server.off('request', listener);
}

/**
 * The appliance does the work at once but its answer leaves `ms` later (a slow appliance or proxy): unlike the
 * fault plan's `delayMs` (which waits BEFORE the appliance logic, and drops the work when the client has gone),
 * this models "it ran, the client timed out waiting for the answer".
 */
function delayAnswer(sim, rule, ms) {
	return onRequest(sim, rule, (_req, res) => {
		const writeHead = res.writeHead.bind(res);
		const end = res.end.bind(res);
		let head;
		res.writeHead = (...args) => {
			head = args;
			return res;
		};
		res.end = (...args) => {
			setTimeout(() => {
				if (res.destroyed) return;
				if (head) writeHead(...head);
				end(...args);
			}, ms);
			return res;
		};
	});
}

function refusals(port, onRefused) {
	const state = { count: 0 };
	const handler = ({ socket }) => {
		socket.once('error', (e) => {
			if (e && e.code === 'ECONNREFUSED' && Number(e.port) === Number(port)) {
				state.count++;
				if (onRefused) onRefused(state.count);
			}
		});
	};
	dc.subscribe('net.client.socket', handler);
	state.stop = () => dc.unsubscribe('net.client.socket', handler);
	return state;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond, timeoutMs = 5000, stepMs = 50) {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		if (await cond()) return true;
		await sleep(stepMs);
	}
	return !!(await cond());
}

module.exports = { onRequest, delayAnswer, refusals, waitFor, sleep };
