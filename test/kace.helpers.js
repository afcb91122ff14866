'use strict';
/**
 * What the KACE SMA test files share: a simulator per test (stopped after it), an engine with a KACE credential,
 * and request filters. Not a test file itself (jest runs *.test.js only).
 */
const { Engine } = require('./harness');
const { createKaceSim } = require('./sim/kace');

const PASSWORD = 'S3cret-pass!';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const LOGIN = '/ams/shared/api/security/login';

let sims = [];
async function startSim(options = {}) {
	const sim = createKaceSim(options);
	await sim.start();
	sims.push(sim);
	return sim;
}
afterEach(async () => {
	await Promise.all(sims.map((s) => s.stop()));
	sims = [];
});

function engineFor(sim, extra = {}) {
	return new Engine({
		kaceSmaApi: { baseUrl: sim.url, username: 'admin', password: PASSWORD, organization: '', apiVersion: '5', totpSecret: '', session: '', ...extra },
	});
}

const machinesParams = (extra = {}) => ({ resource: 'machine', operation: 'getMany', returnAll: true, filters: {}, options: {}, ...extra });
const apiRequests = (sim) => sim.requests.filter((r) => r.path.startsWith('/api/'));
const logins = (sim) => sim.requests.filter((r) => r.path === LOGIN);
/** requests to one route (the machine list by default); the login's two-factor check reads /api/users/me */
const requestsTo = (sim, path = '/api/inventory/machines') => sim.requests.filter((r) => r.path === path);

module.exports = { PASSWORD, TOTP_SECRET, LOGIN, startSim, engineFor, machinesParams, apiRequests, logins, requestsTo };
