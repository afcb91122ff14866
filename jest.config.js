'use strict';
// Tests run the compiled package (dist/) through the real n8n engine against simulators on 127.0.0.1.
module.exports = {
	testEnvironment: 'node',
	testMatch: ['**/test/**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '/.n8n-runtime/', '/dist/', '/test/e2e/'], // e2e: npm run test:e2e
	testTimeout: 120000,
	maxWorkers: 2,
};
