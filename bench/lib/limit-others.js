'use strict';
/**
 * "Limit" clients for Kaseya VSA and SPS: minimal raw axios + keep-alive agent, exactly the necessary requests
 * and JSON parsing (plain JSON.parse), nothing else. See limit-kace.js.
 */
const http = require('node:http');
const https = require('node:https');
const axios = require('axios');

/** Runs fn over inputs with at most `limit` in flight (results in order). */
async function mapLimit(inputs, limit, fn) {
	const out = new Array(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const i = next++;
			out[i] = await fn(inputs[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, worker));
	return out;
}

class VsaLimit {
	constructor(credential, { newConnection = false } = {}) {
		this.newConnection = newConnection;
		this.agent = new http.Agent({ keepAlive: true });
		this.http = axios.create({ baseURL: `${credential.server}/api/v1.0`, httpAgent: this.agent, headers: { Accept: 'application/json' } });
		this.basic = Buffer.from(`${credential.username}:${credential.accessToken}`).toString('base64');
		this.headers = undefined;
	}

	renew() {
		this.agent.destroy();
		this.agent = new http.Agent({ keepAlive: true });
		this.http.defaults.httpAgent = this.agent;
	}

	async login() {
		this.renew();
		const res = await this.http.get('/auth', { headers: { Authorization: `Basic ${this.basic}` } });
		this.headers = { Authorization: `Bearer ${res.data.Result.Token}` };
		return this;
	}

	/** Pages of $top=100 (the server's cap) with $skip until TotalRecords. */
	async list(route, query = '') {
		this.renew();
		const rows = [];
		for (let skip = 0; ; skip += 100) {
			const agent = this.newConnection ? { httpAgent: new http.Agent() } : {};
			const res = await this.http.get(`${route}?$top=100&$skip=${skip}${query}`, { headers: this.headers, ...agent });
			const page = res.data.Result;
			for (const r of page) rows.push(r);
			if (!page.length || skip + page.length >= res.data.TotalRecords) break;
		}
		return rows;
	}

	async get(route) {
		return (await this.http.get(route, { headers: this.headers })).data;
	}

	close() {
		this.agent.destroy();
	}
}

class SpsLimit {
	/** `newConnection: true`: a new HTTPS connection (full TLS handshake) per request, as n8n's request helper does. */
	constructor(credential, { newConnection = false } = {}) {
		this.newConnection = newConnection;
		this.ca = credential.caCertificate;
		this.tls = credential.baseUrl.startsWith('https:');
		this.http = axios.create({ baseURL: credential.baseUrl, headers: { Accept: 'application/json' } });
		this.renew();
		this.basic = Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
		this.headers = undefined;
	}

	/** A fresh keep-alive agent (HTTPS with the simulator's CA, or HTTP) at the start of each workload. */
	renew() {
		if (this.agent) this.agent.destroy();
		this.agent = this.freshAgent(true);
		if (this.tls) this.http.defaults.httpsAgent = this.agent;
		else this.http.defaults.httpAgent = this.agent;
	}

	freshAgent(keepAlive) {
		return this.tls ? new https.Agent({ keepAlive, ca: this.ca }) : new http.Agent({ keepAlive });
	}

	/** per-request options: a new connection (full TLS handshake over HTTPS) when `newConnection` is set */
	conn() {
		if (!this.newConnection) return {};
		return this.tls ? { httpsAgent: this.freshAgent(false) } : { httpAgent: this.freshAgent(false) };
	}

	async login() {
		this.renew();
		const res = await this.http.get('/api/authentication', { headers: { Authorization: `Basic ${this.basic}` } });
		const cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('session_id='));
		this.headers = { Cookie: cookie };
		return this;
	}

	/** The audit-session search: pages of 500 (the server's cap); `fields` makes SPS return those fields per item. */
	async search(fields, renew = true) {
		if (renew) this.renew();
		const items = [];
		for (let offset = 0; ; offset += 500) {
			const f = fields ? `&fields=${encodeURIComponent(fields)}` : '';
			const res = await this.http.get(`/api/audit/sessions?limit=500&offset=${offset}${f}`, { headers: this.headers, ...this.conn() });
			for (const it of res.data.items) items.push(it);
			if (!res.data.meta.next || res.data.items.length < 500) break;
		}
		return items;
	}

	/** Search, then every session's full record, `concurrency` requests in flight. */
	async searchFull(concurrency = 8) {
		this.renew();
		const keys = await this.search(undefined, false);
		return await mapLimit(keys, concurrency, async (it) => {
			const res = await this.http.get(`/api/audit/sessions/${it.key}`, { headers: this.headers, ...this.conn() });
			return { key: it.key, ...res.data.body };
		});
	}

	async get(route) {
		return (await this.http.get(route, { headers: this.headers })).data;
	}

	close() {
		this.agent.destroy();
	}
}

module.exports = { VsaLimit, SpsLimit, mapLimit };
