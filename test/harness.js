'use strict';
/**
 * Runs the package's nodes through the REAL n8n engine (n8n-core WorkflowExecute, real node contexts, real
 * httpRequestWithAuthentication with the credential's preAuthentication/authenticate and the 401 re-login,
 * expression resolution, pairedItem) against simulators on 127.0.0.1. Only the credential store is ours:
 * it follows packages/cli/src/credentials-helper.ts (expirable field → preAuthentication → persisted).
 *
 * Loads the compiled package from dist/ (npm test builds first), like n8n does.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-it-appliances-'));
}
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
// n8n's own logger (winston) prints every node error the tests provoke on purpose; it writes to the process'
// stdout directly, past jest's console. Quiet unless VERBOSE=1 (or an explicit N8N_LOG_LEVEL).
if (!/^(1|true|yes)$/i.test(process.env.VERBOSE ?? '')) process.env.N8N_LOG_LEVEL ??= 'silent';

const { Workflow, ICredentialsHelper, NodeHelpers, createRunExecutionData, createEmptyRunExecutionData } = require('n8n-workflow');
const { WorkflowExecute, ExecutionLifecycleHooks } = require('n8n-core');

const ROOT = path.join(__dirname, '..');
const pkg = require(path.join(ROOT, 'package.json'));
const PACKAGE = pkg.name;

function loadClass(file) {
	const mod = require(path.join(ROOT, file));
	const Klass = Object.values(mod).find((v) => typeof v === 'function');
	return new Klass();
}

const nodeTypesMap = {};
const credentialTypes = {};
const built = (file) => fs.existsSync(path.join(ROOT, file));
for (const file of pkg.n8n.nodes.filter(built)) {
	const node = loadClass(file);
	nodeTypesMap[`${PACKAGE}.${node.description.name}`] = node;
}
for (const file of pkg.n8n.credentials.filter(built)) {
	const cred = loadClass(file);
	credentialTypes[cred.name] = cred;
}

// n8n's own nodes the tests chain ours with: a manual trigger and a pass-through.
const manualTrigger = {
	description: {
		displayName: 'Manual Trigger', name: 'manualTrigger', group: ['trigger'], version: 1, defaults: {},
		inputs: [], outputs: ['main'], properties: [],
	},
	async execute() { return [this.getInputData()]; },
};
const noOp = {
	description: {
		displayName: 'No Op', name: 'noOp', group: ['transform'], version: 1, defaults: {},
		inputs: ['main'], outputs: ['main'], properties: [],
	},
	async execute() { return [this.getInputData()]; },
};
nodeTypesMap['n8n-nodes-base.manualTrigger'] = manualTrigger;
nodeTypesMap['n8n-nodes-base.noOp'] = noOp;

const nodeTypes = {
	getByName: (t) => nodeTypesMap[t],
	getKnownTypes: () => ({}),
	getByNameAndVersion: (t, v) => {
		if (!nodeTypesMap[t]) throw new Error(`unknown node type ${t}`);
		return NodeHelpers.getVersionedNodeType(nodeTypesMap[t], v);
	},
};

/**
 * The version n8n gives a node added in the editor: its defaultVersion, else the highest it declares (a test that
 * needs another version sets `description.version` to that number for the time of the test).
 */
function newNodeVersion(description) {
	if (!Array.isArray(description.version)) return description.version;
	return description.defaultVersion ?? Math.max(...description.version);
}

/** Evaluates `={{ ... }}` expressions over $credentials (for generic authenticate blocks). */
const resolve = (v, c) =>
	typeof v === 'string' && v.startsWith('=')
		? v.slice(1).replace(/\{\{([\s\S]+?)\}\}/g, (_, e) => String(new Function('$credentials', `return (${e});`)(c)))
		: v;

/**
 * Credential store + helper with n8n's rules. `store[type]` holds the decrypted data; `log` counts
 * preAuthentication calls (logins) per type.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(store) {
		super();
		this.store = store;
		this.logins = {};
		this.reads = {};
	}
	getParentTypes() { return []; }
	isCredentialUsableByNode() { return true; }
	getCredentialsProperties(t) { return credentialTypes[t].properties; }
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		if (!this.store[type]) throw new Error(`no credential of type ${type} in the test store`);
		// n8n reads the credential from its database and decrypts it here: counted, the nodes read it once
		this.reads[type] = (this.reads[type] ?? 0) + 1;
		return { ...this.store[type] };
	}
	async updateCredentials(_nodeCredentials, type, data) { this.store[type] = { ...data }; }
	async updateCredentialsOauthTokenData() {}
	async runPreAuthentication(helpers, credentials, type) {
		return credentialTypes[type].preAuthentication?.call(helpers, credentials);
	}
	async preAuthentication(helpers, credentials, type, node, credentialsExpired) {
		const ct = credentialTypes[type];
		const expirable = ct.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable);
		if (!expirable || typeof ct.preAuthentication !== 'function') return undefined;
		const isTest = node.type === 'n8n-nodes-base.noOp' && node.parameters?.temp === '';
		if (credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined && !credentialsExpired && !isTest) return undefined;
		this.logins[type] = (this.logins[type] ?? 0) + 1;
		const out = await ct.preAuthentication.call(helpers, credentials);
		if (!out || !(expirable.name in out)) return undefined;
		await this.updateCredentials(undefined, type, { ...credentials, ...out });
		return Object.assign(credentials, out);
	}
	async authenticate(credentials, type, requestOptions) {
		const a = credentialTypes[type].authenticate;
		if (typeof a === 'function') return a(credentials, requestOptions);
		for (const [outer, kv] of Object.entries(a?.properties ?? {})) {
			for (const [k, v] of Object.entries(kv)) (requestOptions[outer] ??= {})[k] = resolve(v, credentials);
		}
		return requestOptions;
	}
}

function additionalDataFor(hooks, credentialsHelper) {
	const base = 'http://localhost:5678';
	return {
		hooks, credentialsHelper, executionId: '1', variables: {}, restApiUrl: `${base}/rest`, instanceBaseUrl: base,
		formWaitingBaseUrl: `${base}/form-waiting`, webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`, webhookTestBaseUrl: `${base}/webhook-test`,
		currentNodeParameters: undefined, executeWorkflow: async () => { throw new Error('n/a'); },
		setExecutionStatus() {}, sendDataToUI() {}, logAiEvent() {},
	};
}

let nodeCounter = 0;

/**
 * A test "engine": keeps one credential store (so sessions persist across executions, as in n8n's DB) and
 * the workflow static data of triggers between polls.
 */
class Engine {
	constructor(credentials) {
		this.helper = new TestCredentialsHelper(credentials);
		this.staticData = {};
	}
	get store() { return this.helper.store; }
	logins(type) { return this.helper.logins[type] ?? 0; }
	/** how many times the credential was read (n8n: a database read + decryption each) */
	credentialReads(type) { return this.helper.reads[type] ?? 0; }

	/**
	 * Runs Manual Trigger → [input items via a Code-like node] → our node. `nodeParams`: the node's parameters;
	 * `input`: array of json objects fed to the node (default one empty item). Returns
	 * { status, items (json array), error, run }.
	 */
	async runNode(type, credentialType, parameters, { input = [{}], settings = {} } = {}) {
		const id = ++nodeCounter;
		const inputs = input;
		const feeder = {
			description: {
				displayName: 'Feed', name: `feed${id}`, group: ['transform'], version: 1, defaults: {},
				inputs: ['main'], outputs: ['main'], properties: [],
			},
			async execute() { return [inputs.map((json, i) => ({ json, pairedItem: { item: 0 } }))]; },
		};
		nodeTypesMap[`test.feed${id}`] = feeder;
		const nodes = [
			{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'f', name: 'Feed', type: `test.feed${id}`, typeVersion: 1, position: [200, 0], parameters: {} },
			{
				id: 'n', name: 'Node', type: `${PACKAGE}.${type}`, typeVersion: newNodeVersion(nodeTypesMap[`${PACKAGE}.${type}`].description),
				position: [400, 0], parameters, credentials: { [credentialType]: { id: '1', name: 'cred' } }, ...settings,
			},
		];
		const connections = {
			Start: { main: [[{ node: 'Feed', type: 'main', index: 0 }]] },
			Feed: { main: [[{ node: 'Node', type: 'main', index: 0 }]] },
		};
		try {
			return await this.run(nodes, connections, 'Start', 'Node');
		} finally {
			delete nodeTypesMap[`test.feed${id}`];
		}
	}

	async run(nodes, connections, start, resultNode, mode = 'manual') {
		const workflow = new Workflow({
			id: 'wf', nodes, connections, nodeTypes, active: false, settings: { executionOrder: 'v1' },
			staticData: this.staticData,
		});
		const hooks = new ExecutionLifecycleHooks(mode, '1', { id: 'wf', name: 'wf', nodes, connections, active: false, settings: {} });
		const done = new Promise((r) => hooks.addHandler('workflowExecuteAfter', r));
		const runData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: workflow.getNode(start), data: { main: [[{ json: {} }]] }, source: null }],
			},
		});
		await new WorkflowExecute(additionalDataFor(hooks, this.helper), mode, runData).processRunExecutionData(workflow);
		const run = await done;
		const nodeRuns = run.data.resultData.runData[resultNode];
		const last = nodeRuns?.[nodeRuns.length - 1];
		const main = last?.data?.main?.[0] ?? [];
		return {
			status: run.status,
			error: run.data.resultData.error ?? last?.error,
			items: main.map((i) => i.json),
			raw: main,
			run,
		};
	}

	/**
	 * Calls a polling trigger's poll() through the engine's PollContext, as n8n does on each tick (mode
	 * 'trigger') or for "Fetch Test Event" (mode 'manual'). Static data persists between calls on this engine.
	 * Returns { items, result } where result is what poll() returned (null = nothing new).
	 */
	async poll(type, credentialType, parameters, mode = 'trigger') {
		const { PollContext } = require('n8n-core');
		const nodeType = nodeTypesMap[`${PACKAGE}.${type}`];
		const node = {
			id: 'p', name: 'Trigger', type: `${PACKAGE}.${type}`, typeVersion: newNodeVersion(nodeType.description),
			position: [0, 0], parameters, credentials: { [credentialType]: { id: '1', name: 'cred' } },
		};
		const workflow = new Workflow({
			id: 'wf', nodes: [node], connections: {}, nodeTypes, active: mode !== 'manual', settings: {},
			staticData: this.staticData,
		});
		const hooks = new ExecutionLifecycleHooks(mode, '1', { id: 'wf', name: 'wf', nodes: [node], connections: {}, active: true, settings: {} });
		const additionalData = additionalDataFor(hooks, this.helper);
		const ctx = new PollContext(workflow, workflow.getNode('Trigger'), additionalData, mode, 'trigger');
		const result = await nodeType.poll.call(ctx);
		// n8n persists static data after an emitting poll; nothing to do for the in-memory object
		return { result, items: result ? result[0].map((i) => i.json) : [] };
	}

	/**
	 * Runs a credential type's `test` the way n8n's credentials tester does: a temporary NoOp node whose only
	 * property carries `routing.request = test.request`, executed by the routing engine (preAuthentication
	 * always runs). Returns { status: 'OK' | 'Error', message }.
	 */
	/**
	 * A credential test as n8n's credentials tester runs it (packages/cli/src/services/credentials-tester.service.ts,
	 * runRequestTest, n8n 2.41): a temporary NoOp node whose only property routes the credential's `test.request`,
	 * run by n8n-core's real RoutingNode in an ExecuteContext (so the credential's preAuthentication and authenticate
	 * run), then the tester's verdict (testerVerdict below).
	 */
	async testCredential(credentialType) {
		const { ExecuteContext, RoutingNode } = require('n8n-core');
		const ct = credentialTypes[credentialType];
		const description = {
			displayName: 'Temp', name: 'noOp', group: ['transform'], version: 1, defaults: {}, inputs: ['main'], outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: ct.test.request } }],
		};
		const testType = { description };
		nodeTypesMap['n8n-nodes-base.noOp'] = testType;
		try {
			const node = {
				id: 'temp', name: 'Temp-Node', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: { temp: '' },
				credentials: { [credentialType]: { id: '1', name: 'cred' } },
			};
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
			const hooks = new ExecutionLifecycleHooks('internal', '1', { id: 'wf', name: 'wf', nodes: [node], connections: {}, active: false, settings: {} });
			const additionalData = additionalDataFor(hooks, this.helper);
			additionalData.currentNodeParameters = node.parameters;
			const executeFunctions = new ExecuteContext(
				workflow, node, additionalData, 'internal', createEmptyRunExecutionData(), 0, [], { main: [[{ json: {} }]] },
				{ node, data: {}, source: null }, [],
			);
			const credentialsDecrypted = { id: '1', name: 'cred', type: credentialType, data: { ...this.store[credentialType] } };
			let response;
			try {
				response = await new RoutingNode(executeFunctions, testType, credentialsDecrypted).runNode();
			} catch (error) {
				return testerVerdict(ct.test.rules ?? [], { error });
			}
			return testerVerdict(ct.test.rules ?? [], { items: (response?.[0] ?? []).map((i) => i.json) });
		} finally {
			nodeTypesMap['n8n-nodes-base.noOp'] = noOp;
		}
	}

	/** Calls a node's listSearch / loadOptions method through n8n's LoadOptionsContext. */
	async loadOptions(type, credentialType, kind, method, currentParameters = {}, filter, paginationToken) {
		const { LoadOptionsContext } = require('n8n-core');
		const nodeType = nodeTypesMap[`${PACKAGE}.${type}`];
		const node = {
			id: 'n', name: 'Node', type: `${PACKAGE}.${type}`, typeVersion: newNodeVersion(nodeType.description),
			position: [0, 0], parameters: currentParameters, credentials: { [credentialType]: { id: '1', name: 'cred' } },
		};
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, nodeTypes, active: false, settings: {} });
		const hooks = new ExecutionLifecycleHooks('manual', '1', { id: 'wf', name: 'wf', nodes: [node], connections: {}, active: false, settings: {} });
		const additionalData = additionalDataFor(hooks, this.helper);
		additionalData.currentNodeParameters = currentParameters;
		const ctx = new LoadOptionsContext(workflow, node, additionalData, '');
		const fn = nodeType.methods[kind][method];
		return kind === 'listSearch' ? fn.call(ctx, filter, paginationToken) : fn.call(ctx);
	}
}

/**
 * What n8n's credentials tester reports (packages/cli/src/services/credentials-tester.service.ts, runRequestTest,
 * n8n 2.41; 1.123 is the same except that its RoutingNode error often lacks `cause`, so the status rules below do
 * not fire there — the e2e run checks the real thing on both lines). After the test request ran through the
 * real RoutingNode: on an HTTP error, the first `responseCode` rule matching the status, else the status text
 * ("Unauthorized"…); on a network error its code; else the error's message. On an answer, the first
 * `responseSuccessBody` rule whose key holds its value in the routing output, else "Connection successful!".
 * `error` and `body` (the routing output) are returned too, for tests that look deeper.
 */
function testerVerdict(rules, r) {
	const error = r.error;
	if (error) {
		const response = error.cause?.response;
		if (response) {
			const rule = rules.find((x) => x.type === 'responseCode' && x.properties.value === response.status);
			if (rule) return { status: 'Error', message: rule.properties.message, error };
			if (response.status < 199 || response.status > 299) {
				return { status: 'Error', message: response.statusText || `Received HTTP status code: ${response.status}`, error };
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code, error };
		}
		return { status: 'Error', message: String(error.message), error };
	}
	const body = r.items[0];
	const get = (obj, key) => key.split('.').reduce((o, k) => (o !== null && typeof o === 'object' ? o[k] : undefined), obj);
	const rule = rules.find((x) => x.type === 'responseSuccessBody' && get(body, x.properties.key) === x.properties.value);
	const verdict = rule ? { status: 'Error', message: rule.properties.message } : { status: 'OK', message: 'Connection successful!' };
	return Object.defineProperty(verdict, 'body', { value: body, enumerable: false });
}

/** Every string in a value (deep), for leak checks. */
function allText(value) {
	return JSON.stringify(value, (_k, v) => (v instanceof Error ? { message: v.message, description: v.description, stack: v.stack, ...v } : v)) ?? '';
}

/** Throws if any secret appears in any of the given values (outputs, errors, logs). */
function assertNoSecrets(secrets, ...values) {
	const text = values.map(allText).join('\n');
	for (const s of secrets.filter((x) => x && x.length >= 4)) {
		for (const form of [s, encodeURIComponent(s), Buffer.from(s).toString('base64')]) {
			if (text.includes(form)) throw new Error(`secret leaked: ${s.slice(0, 2)}…(${form === s ? 'plain' : 'encoded'})`);
		}
	}
}

/**
 * Runs the named nodes (e.g. ['kaceSma']) at `version` until the returned function is called: how a test exercises
 * a node saved at an earlier version (n8n keeps a saved node at the version it was saved with).
 */
function pinNodeVersion(names, version) {
	const types = names.map((n) => nodeTypesMap[`${PACKAGE}.${n}`]).filter(Boolean);
	const saved = types.map((t) => t.description.version);
	for (const t of types) t.description.version = version;
	return () => types.forEach((t, i) => (t.description.version = saved[i]));
}

module.exports = { Engine, PACKAGE, nodeTypesMap, credentialTypes, assertNoSecrets, allText, pinNodeVersion };
