// What the n8n editor would mark red in a workflow, computed against a RUNNING n8n (used by test/e2e/run.mjs):
//
//  1. parameter issues: n8n-workflow's NodeHelpers.getNodeParametersIssues (what the editor's node issues use) on
//     the node descriptions n8n serves (POST /rest/node-types), with the parameters completed by getNodeParameters
//     as the editor does when it opens a workflow;
//  2. option membership: the editor flags `The value "20" is not supported!` when an options / multiOptions value is
//     not among the options, compared strictly (a number 20 is not the option '20'). Static options are read from
//     the description; loadOptions-backed ones are asked from n8n (POST /rest/dynamic-node-parameters/options), as
//     the editor does, with the node's own credential;
//  3. "From List" resource locators: the value must be one the list search returns (POST
//     /rest/dynamic-node-parameters/resource-locator-results), and the name the editor shows (cachedResultName) must
//     be that entry's name.
// Expressions (values starting with "=") are skipped: the editor does not check them either.

import { createRequire } from 'node:module';
import path from 'node:path';

import * as rt from '../../scripts/n8n-runtime.mjs';

const isExpression = (v) => typeof v === 'string' && v.startsWith('=');

export async function restPost(baseUrl, p, body, cookie) {
	const res = await fetch(baseUrl.replace(/\/$/, '') + p, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie, 'browser-id': 'n8n-runtime-script' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(60_000),
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {}
	if (res.status !== 200) throw new Error(`POST ${p} HTTP ${res.status}: ${text.slice(0, 300)}`);
	return json?.data ?? json;
}

/** n8n-workflow as the given line's n8n uses it */
export function n8nWorkflowOf(line) {
	return createRequire(path.join(rt.runtimeDir(line), 'node_modules', 'n8n', 'package.json'))('n8n-workflow');
}

/**
 * Every displayed options / multiOptions / resourceLocator parameter with a literal value, with its path
 * (e.g. `updateFields.owner`), descending into collections and fixed collections the way the editor shows them.
 */
function literalChoices(NodeHelpers, props, values, prefix, node, desc, rootValues, out = []) {
	for (const p of props) {
		const here = prefix ? `${prefix}.${p.name}` : p.name;
		if (!values || !(p.name in values)) continue;
		if (!prefix && !NodeHelpers.displayParameterPath(rootValues, p, '', node, desc)) continue;
		const value = values[p.name];
		if (p.type === 'collection' && value && typeof value === 'object') {
			literalChoices(NodeHelpers, p.options ?? [], value, here, node, desc, rootValues, out);
		} else if (p.type === 'fixedCollection' && value && typeof value === 'object') {
			for (const group of p.options ?? []) {
				const entries = value[group.name];
				if (entries === undefined) continue;
				const list = Array.isArray(entries) ? entries : [entries];
				list.forEach((entry, i) =>
					literalChoices(NodeHelpers, group.values ?? [], entry, `${here}.${group.name}${Array.isArray(entries) ? `[${i}]` : ''}`, node, desc, rootValues, out),
				);
			}
		} else if ((p.type === 'options' || p.type === 'multiOptions') && !isExpression(value)) {
			out.push({ prop: p, path: here, value });
		} else if (p.type === 'resourceLocator' && value && typeof value === 'object' && value.mode === 'list' && !isExpression(value.value)) {
			out.push({ prop: p, path: here, value });
		}
	}
	return out;
}

/**
 * @returns {Promise<Array<{workflow, node, issue}>>} every issue the editor would show on these workflows' nodes
 */
export async function editorIssues({ line, baseUrl, cookie, workflowIds = [], workflows = [] }) {
	const { NodeHelpers } = n8nWorkflowOf(line);
	const found = [];
	const descCache = new Map();
	const describe = async (type, version) => {
		const key = `${type}@${version}`;
		if (!descCache.has(key)) {
			const list = await restPost(baseUrl, '/rest/node-types', { nodeInfos: [{ name: type, version }] }, cookie);
			// one description per requested type, under its short name (kaceSma, limit)
			const d = Array.isArray(list) ? list[0] : undefined;
			descCache.set(key, d && type.endsWith(`.${d.name}`) ? d : undefined);
		}
		return descCache.get(key);
	};
	const list = [...workflows];
	for (const id of workflowIds) {
		// as stored by n8n: what the editor opens
		const r = await rt.restGet(baseUrl, `/rest/workflows/${id}`, cookie);
		if (r.status !== 200) throw new Error(`GET /rest/workflows/${id} HTTP ${r.status}`);
		list.push(r.json.data);
	}
	for (const wf of list) {
		for (const stored of wf.nodes) {
			const issue = (text) => found.push({ workflow: wf.name, node: stored.name, issue: text });
			const desc = await describe(stored.type, stored.typeVersion);
			if (!desc) {
				issue(`node type ${stored.type} v${stored.typeVersion} is not known to n8n`);
				continue;
			}
			const parameters = NodeHelpers.getNodeParameters(desc.properties, stored.parameters, true, false, stored, desc) ?? {};
			const node = { ...stored, parameters };
			const issues = NodeHelpers.getNodeParametersIssues(desc.properties, node, desc);
			for (const [param, texts] of Object.entries(issues?.parameters ?? {})) for (const t of texts) issue(`${param}: ${t}`);

			for (const c of literalChoices(NodeHelpers, desc.properties, parameters, '', node, desc, parameters)) {
				const nodeTypeAndVersion = { name: stored.type, version: stored.typeVersion };
				const common = { nodeTypeAndVersion, path: `parameters.${c.path}`, currentNodeParameters: parameters, credentials: stored.credentials };
				if (c.prop.type === 'resourceLocator') {
					const mode = c.prop.modes?.find((m) => m.name === 'list');
					const method = mode?.typeOptions?.searchListMethod;
					if (!method) continue;
					let results = [];
					let token;
					for (let page = 0; page < 20; page++) {
						const res = await restPost(baseUrl, '/rest/dynamic-node-parameters/resource-locator-results', { ...common, methodName: method, filter: '', paginationToken: token }, cookie);
						results = results.concat(res?.results ?? []);
						token = res?.paginationToken;
						if (!token || results.some((e) => String(e.value) === String(c.value.value))) break;
					}
					const entry = results.find((e) => e.value === c.value.value);
					if (!entry) issue(`${c.path}: "${c.value.value}" is not in the list the editor shows (${results.length} entries)`);
					else if (c.value.cachedResultName !== entry.name) issue(`${c.path}: shows "${c.value.cachedResultName ?? ''}" but the list calls it "${entry.name}"`);
					continue;
				}
				let options = c.prop.options;
				const method = c.prop.typeOptions?.loadOptionsMethod;
				if (method) options = await restPost(baseUrl, '/rest/dynamic-node-parameters/options', { ...common, methodName: method }, cookie);
				if (!Array.isArray(options)) continue; // loadOptions routing (declarative) without a method: not used here
				const allowed = options.map((o) => o.value);
				const values = c.prop.type === 'multiOptions' && Array.isArray(c.value) ? c.value : [c.value];
				for (const v of values) {
					// the editor's check (ParameterInput): strict, so the number 20 is not the option '20'
					if (!allowed.includes(v)) issue(`${c.path}: The value "${v}" is not supported! (${typeof v}; options: ${allowed.slice(0, 8).map((a) => JSON.stringify(a)).join(', ')}${allowed.length > 8 ? ', …' : ''})`);
				}
			}
		}
	}
	return found;
}
