'use strict';
/**
 * "Limit" for KACE SMA: the minimal raw client, axios + a keep-alive agent, doing exactly the necessary requests
 * (login, then the pages / the one batch request) and the JSON parsing, nothing else. No n8n, no retries, no
 * validation: the floor any client pays for the same work against the same simulator.
 */
const http = require('node:http');
const axios = require('axios');

const LOGIN = '/ams/shared/api/security/login';

function cookiesOf(res) {
	const raw = res.headers['set-cookie'] ?? [];
	return raw.map((c) => c.split(';')[0]).join('; ');
}

class KaceLimit {
	/**
	 * `newConnection: true` opens a new TCP connection for every request (a fresh agent each time, like n8n's
	 * request helper does) — to tell connection setup apart from everything else in the Ours/Limit gap.
	 */
	constructor(url, { username = 'admin', password = 'S3cret-pass!', newConnection = false } = {}) {
		this.newConnection = newConnection;
		this.agent = new http.Agent({ keepAlive: true });
		this.http = axios.create({ baseURL: url, httpAgent: this.agent, headers: { 'x-kace-api-version': '5', Accept: 'application/json' } });
		this.user = { userName: username, password };
		this.headers = undefined;
	}

	/**
	 * A fresh keep-alive agent at the start of each workload (one script run = one connection, reused for all its
	 * requests). Never reusing a socket across runs avoids the idle-socket race with the server's keep-alive timeout.
	 */
	renew() {
		this.agent.destroy();
		this.agent = new http.Agent({ keepAlive: true });
		this.http.defaults.httpAgent = this.agent;
	}

	async login() {
		this.renew();
		const res = await this.http.post(LOGIN, this.user, { headers: { 'Content-Type': 'application/json' } });
		this.headers = { Cookie: cookiesOf(res) };
		if (res.headers['x-kace-authorization']) this.headers['x-kace-authorization'] = res.headers['x-kace-authorization'];
		return this;
	}

	/** Every machine: `paging=limit N offset M`, sorted by id, until a short page (the same query the node sends). */
	/** Sequential pages; the first one carries the total count, so no closing empty page is needed. */
	async allMachines(pageSize = 500) {
		this.renew();
		const rows = [];
		let total = Infinity;
		for (let offset = 0; offset < total; offset += pageSize) {
			const res = await this.http.get(
				`/api/inventory/machines?use_count=${offset === 0}&sorting=id&paging=limit%20${pageSize}%20offset%20${offset}`,
				{ headers: this.headers, ...(this.newConnection ? { httpAgent: new http.Agent() } : {}) },
			);
			if (offset === 0 && Number.isInteger(res.data.Count)) total = res.data.Count;
			const page = res.data.Machines;
			for (const r of page) rows.push(r);
			if (page.length < pageSize) break;
		}
		return rows;
	}

	async addToMachines(miId, ids) {
		this.renew();
		const res = await this.http.put(`/api/managed_install/managed_installs/${miId}/add_to_machines`, { Machines: ids.map(Number) }, {
			headers: { ...this.headers, 'Content-Type': 'application/json' },
		});
		return res.data;
	}

	/** One run per chunk whose `machineIDs` value stays under 7,000 characters (Apache's 8,190-byte request line). */
	async runScript(scriptId, ids, maxLength = 7000) {
		this.renew();
		const chunks = [];
		let cur = [];
		let len = 0;
		for (const id of ids) {
			const add = (cur.length ? 1 : 0) + String(id).length;
			if (cur.length && len + add > maxLength) {
				chunks.push(cur);
				cur = [];
				len = 0;
			}
			len += cur.length ? String(id).length + 1 : String(id).length;
			cur.push(id);
		}
		if (cur.length) chunks.push(cur);
		const runIds = [];
		for (const c of chunks) {
			const res = await this.http.post(`/api/script/${scriptId}/actions/run?machineIDs=${c.join(',')}`, undefined, { headers: this.headers });
			runIds.push(res.data);
		}
		return runIds;
	}

	/** The single request a poll with no changes needs (newest record by the timestamp field). */
	async newest(pathName, field) {
		this.renew();
		const res = await this.http.get(`${pathName}?sorting=${field}%20desc,id%20desc&paging=limit%201&use_count=false`, { headers: this.headers });
		return res.data;
	}

	async get(pathName) {
		const res = await this.http.get(pathName, { headers: this.headers });
		return res.data;
	}

	close() {
		this.agent.destroy();
	}
}

module.exports = { KaceLimit };
