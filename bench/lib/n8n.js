'use strict';
/**
 * The n8n side of the benchmark, in process: the real engine from test/harness.js (n8n-core WorkflowExecute,
 * real node contexts, real httpRequestWithAuthentication + preAuthentication), our compiled nodes from dist/,
 * and n8n's own HTTP Request / Split Out nodes loaded from the v2 runtime (bench/lib/base-nodes.js).
 */
const fs = require('node:fs');
const path = require('node:path');

const harness = require('../../test/harness');
const baseNodes = require('./base-nodes');

const { Engine, nodeTypesMap, PACKAGE } = harness;
const ROOT = path.join(__dirname, '..', '..');

let baseLoaded = false;
let baseError;
/** Loads HTTP Request + Split Out once; returns undefined when they work, else why not. */
function loadBaseNodes() {
	if (baseLoaded) return baseError;
	baseLoaded = true;
	if (!baseNodes.available()) {
		baseError = 'n8n v2 runtime not installed (node scripts/n8n-runtime.mjs install v2)';
		return baseError;
	}
	const v = baseNodes.versions();
	if (v.runtimeWorkflow !== v.packageWorkflow || v.runtimeCore !== v.packageCore) {
		// the node is run on the package's n8n-workflow/n8n-core: only honest if they are the same versions
		baseError = `runtime n8n-workflow ${v.runtimeWorkflow} / n8n-core ${v.runtimeCore} differ from the package's ${v.packageWorkflow} / ${v.packageCore}`;
		return baseError;
	}
	try {
		baseNodes.register(nodeTypesMap);
	} catch (e) {
		baseError = `could not load n8n-nodes-base: ${e.message}`;
	}
	return baseError;
}

/** Are a node and its credential compiled (dist/) — VSA and SPS are written in parallel. */
function nodeBuilt(folder, nodeFile) {
	return fs.existsSync(path.join(ROOT, 'dist', 'nodes', folder, nodeFile));
}
function nodeLoaded(type) {
	return Boolean(nodeTypesMap[`${PACKAGE}.${type}`]);
}

/* ---- helper node types used only by the benchmark ---------------------------------------------------- */

let feedItems = [{}];
nodeTypesMap['bench.feed'] = {
	description: {
		displayName: 'Feed', name: 'feed', group: ['transform'], version: 1, defaults: {}, inputs: ['main'], outputs: ['main'], properties: [],
	},
	async execute() {
		return [feedItems.map((json) => ({ json, pairedItem: { item: 0 } }))];
	},
};

/**
 * "Engine floor": reads the given parameters for every input item (so n8n resolves the same expressions our node
 * resolves) and returns one small item per input item with pairedItem, making no request. What n8n itself costs
 * for N items before any node logic or HTTP.
 */
nodeTypesMap['bench.floor'] = {
	description: {
		displayName: 'Floor', name: 'floor', group: ['transform'], version: 1, defaults: {}, inputs: ['main'], outputs: ['main'],
		properties: [
			{ displayName: 'A', name: 'a', type: 'string', default: '' },
			{ displayName: 'B', name: 'b', type: 'string', default: '' },
		],
	},
	async execute() {
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const a = this.getNodeParameter('a', i);
			const b = this.getNodeParameter('b', i);
			out.push({ json: { a, b }, pairedItem: { item: i } });
		}
		return [out];
	},
};

const START = { id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const FEED = { id: 'f', name: 'Feed', type: 'bench.feed', typeVersion: 1, position: [200, 0], parameters: {} };

/**
 * Runs Start → Feed(input) → chain[0] → chain[1] … on an engine; returns the harness result of the last node.
 * `chain` entries are n8n node JSON without id/position (names must be unique).
 */
async function runChain(engine, chain, input = [{}]) {
	feedItems = input;
	const nodes = [START, FEED, ...chain.map((n, i) => ({ id: `n${i}`, position: [400 + i * 200, 0], ...n }))];
	const names = nodes.map((n) => n.name);
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	try {
		return await engine.run(nodes, connections, 'Start', names[names.length - 1]);
	} finally {
		feedItems = [{}];
	}
}

/** Our node, as test/*.test.js run it (engine.runNode), but with the shared feed so inputs are identical. */
function ourNode(type, credentialType, parameters, extra = {}) {
	return {
		name: 'Node',
		type: `${PACKAGE}.${type}`,
		typeVersion: ((d) => (Array.isArray(d.version) ? d.defaultVersion ?? Math.max(...d.version) : d.version))(nodeTypesMap[`${PACKAGE}.${type}`].description),
		parameters,
		credentials: { [credentialType]: { id: '1', name: 'cred' } },
		...extra,
	};
}

/** n8n's HTTP Request node (v4.2) with a predefined credential type (same login + session as our node). */
function httpNode(credentialType, parameters, name = 'HTTP Request') {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: { authentication: 'predefinedCredentialType', nodeCredentialType: credentialType, options: {}, ...parameters },
		credentials: { [credentialType]: { id: '1', name: 'cred' } },
	};
}

function splitOutNode(field) {
	return {
		name: 'Split Out',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		parameters: { fieldToSplitOut: field, include: 'noOtherFields', options: {} },
	};
}

function floorNode(a, b = '') {
	return { name: 'Floor', type: 'bench.floor', typeVersion: 1, parameters: { a, b } };
}

const { pagination } = require('./http-request-params');

module.exports = {
	Engine, PACKAGE, nodeTypesMap, loadBaseNodes, baseVersions: () => (baseNodes.available() ? baseNodes.versions() : undefined),
	nodeBuilt, nodeLoaded, runChain, ourNode, httpNode, splitOutNode, floorNode, pagination,
};
