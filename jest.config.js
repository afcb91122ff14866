'use strict';
// Tests run the compiled package (dist/) through the real n8n engine against simulators on 127.0.0.1.
// Output is quiet: what a test prints (n8n's own logger included) is shown only when that test fails;
// VERBOSE=1 npm test prints everything as it happens (test/jest.environment.js).
module.exports = {
	// Only test/ is crawled: not dist/ (its package.json copy collides with ours in jest's module map),
	// node_modules/ or the multi-GB n8n runtimes in .n8n-runtime/. Tests still load dist/ by path.
	roots: ['<rootDir>/test'],
	testEnvironment: '<rootDir>/test/jest.environment.js',
	testMatch: ['**/test/**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'], // e2e: npm run test:e2e
	testTimeout: 120000,
	maxWorkers: 2,
};
