'use strict';
/**
 * Loads n8n's own nodes (n8n-nodes-base: HTTP Request, Split Out) from the installed v2 runtime
 * (.n8n-runtime/v2, scripts/n8n-runtime.mjs) into the in-process harness (test/harness.js).
 *
 * The runtime folder carries its own copies of n8n-workflow and n8n-core. Two copies in one process would
 * break `instanceof` checks (NodeApiError, NodeOperationError, …) between the engine and the node, so every
 * `require('n8n-workflow' | 'n8n-core')` made from inside the runtime folder is redirected to the package's
 * own copies (the same versions: 2.41.0 / 2.41.1, checked below). Everything else (lodash, form-data, …) is
 * resolved from the runtime folder as usual.
 */
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const ROOT = path.join(__dirname, '..', '..');
const RUNTIME = process.env.N8N_RUNTIME_DIR ? path.resolve(process.env.N8N_RUNTIME_DIR, 'v2') : path.join(ROOT, '.n8n-runtime', 'v2');
const RT_MODULES = path.join(RUNTIME, 'node_modules');
const BASE = path.join(RT_MODULES, 'n8n-nodes-base');
const SHARED = new Set(['n8n-workflow', 'n8n-core']);

function version(dir) {
	return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

let hooked = false;
function hook() {
	if (hooked) return;
	hooked = true;
	const original = Module._resolveFilename;
	Module._resolveFilename = function resolve(request, parent, ...rest) {
		if (parent && parent.filename && parent.filename.startsWith(RT_MODULES)) {
			const name = request.startsWith('@') ? request.split('/').slice(0, 2).join('/') : request.split('/')[0];
			if (SHARED.has(name)) return original.call(this, request, module, ...rest); // from bench/: the package's copy
		}
		return original.call(this, request, parent, ...rest);
	};
}

/** Is the runtime installed (n8n-nodes-base present)? */
function available() {
	return fs.existsSync(path.join(BASE, 'package.json'));
}

/** Versions of the shared libraries in the runtime and in the package (they must match for honest numbers). */
function versions() {
	return {
		nodesBase: version(BASE),
		runtimeWorkflow: version(path.join(RT_MODULES, 'n8n-workflow')),
		runtimeCore: version(path.join(RT_MODULES, 'n8n-core')),
		packageWorkflow: version(path.join(ROOT, 'node_modules', 'n8n-workflow')),
		packageCore: version(path.join(ROOT, 'node_modules', 'n8n-core')),
	};
}

function loadNode(rel) {
	hook();
	const mod = require(path.join(BASE, 'dist', 'nodes', rel));
	const Klass = Object.values(mod).find((v) => typeof v === 'function');
	return new Klass();
}

/** Registers n8n-nodes-base.httpRequest and n8n-nodes-base.splitOut in the harness's node types. */
function register(nodeTypesMap) {
	nodeTypesMap['n8n-nodes-base.httpRequest'] = loadNode('HttpRequest/HttpRequest.node.js');
	nodeTypesMap['n8n-nodes-base.splitOut'] = loadNode('Transform/SplitOut/SplitOut.node.js');
	return nodeTypesMap;
}

module.exports = { available, versions, register, RUNTIME };
