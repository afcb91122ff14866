#!/usr/bin/env node
// README pictures: drives headless Chromium (Debian's `chromium` + playwright-core, no browser download) against
// the running demo and saves PNGs into docs/images/.
//
//   node scripts/screenshots.mjs [--url http://localhost:5678] [--out docs/images] [--n8n v2]
//
// If nothing answers at --url, it starts the demo itself (scripts/demo.mjs, line --n8n, default v2) and stops it
// afterwards. playwright-core is installed on first use into the git-ignored .n8n-runtime/tools/ (it is not a
// dependency of the package). Chromium: `apt-get install -y chromium` (expected at /usr/bin/chromium, or set
// CHROMIUM_PATH).
//
// What it captures: each demo workflow run (canvas after "Execute workflow"), each node's panel with its output
// (the three action nodes after the run, the three triggers after "Fetch Test Event"), and the SPS credential form.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { DEFAULT_OWNER } from './n8n-runtime.mjs';
import { CREDENTIAL_IDS, WORKFLOW_IDS } from '../demo/workflows.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const TOOLS = path.join(ROOT, '.n8n-runtime', 'tools');
const PLAYWRIGHT = 'playwright-core@1.65.1';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const MAX_BYTES = 300 * 1024;

const argv = process.argv.slice(2);
const opt = (f, d) => {
	const i = argv.indexOf(`--${f}`);
	return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : d;
};
const BASE = opt('url', 'http://localhost:5678').replace(/\/$/, '');
const OUT = path.resolve(ROOT, opt('out', 'docs/images'));
const LINE = opt('n8n', 'v2');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (m) => process.stdout.write(`[screenshots] ${m}\n`);

async function playwright() {
	const req = createRequire(path.join(TOOLS, 'package.json'));
	try {
		return req('playwright-core');
	} catch {
		say(`installing ${PLAYWRIGHT} into ${path.relative(ROOT, TOOLS)}/ (not a project dependency)…`);
		await fsp.mkdir(TOOLS, { recursive: true });
		if (!fs.existsSync(path.join(TOOLS, 'package.json'))) {
			await fsp.writeFile(path.join(TOOLS, 'package.json'), JSON.stringify({ name: 'it-appliances-tools', private: true }, null, 2));
		}
		const env = { ...process.env };
		for (const k of Object.keys(env)) if (/^npm_/i.test(k)) delete env[k];
		await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', PLAYWRIGHT], { cwd: TOOLS, env });
		return req('playwright-core');
	}
}

async function up(url) {
	try {
		const r = await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(3000) });
		return r.status === 200;
	} catch {
		return false;
	}
}

/** Starts `node scripts/demo.mjs` (own process group) and resolves once it printed its ready banner. */
function startDemo() {
	return new Promise((resolve, reject) => {
		say(`no n8n at ${BASE}: starting the demo (npm start -- --n8n ${LINE})…`);
		const child = spawn(process.execPath, [path.join(HERE, 'demo.mjs'), '--n8n', LINE], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		const onData = (d) => {
			out += d;
			if (out.includes('Ctrl-C stops everything')) resolve(child);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', (code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${out.slice(-3000)}`)));
	});
}

async function stopDemo(child) {
	const exited = new Promise((r) => child.once('exit', r));
	child.removeAllListeners('exit');
	child.once('exit', () => {});
	try {
		process.kill(-child.pid, 'SIGINT');
	} catch {}
	await Promise.race([exited, sleep(30_000)]);
}

async function main() {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
	const { chromium } = await playwright();
	let demo;
	if (!(await up(BASE))) {
		demo = await startDemo();
		for (const sig of ['SIGINT', 'SIGTERM']) {
			process.on(sig, async () => {
				await stopDemo(demo);
				process.exit(130);
			});
		}
	}
	await fsp.mkdir(OUT, { recursive: true });
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const saved = [];
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		const page = await context.newPage();
		page.setDefaultTimeout(60_000);

		// log in through the form (n8n 2.x binds the session to the browser's own browser-id)
		await page.goto(`${BASE}/signin`);
		await page.waitForSelector('[data-test-id="form-submit-button"]');
		await page.locator('input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(DEFAULT_OWNER.email);
		await page.locator('input[type="password"]').first().fill(DEFAULT_OWNER.password);
		await page.click('[data-test-id="form-submit-button"]');
		await page.waitForURL((u) => !u.pathname.includes('signin'));

		const tidy = async () => {
			// no hover tooltips, no "executed successfully" toasts in the pictures
			await page.mouse.move(1, 450);
			for (const btn of await page.locator('.el-notification__closeBtn').all()) await btn.click().catch(() => {});
			await page.evaluate(() => document.querySelectorAll('.el-popper[role="tooltip"]').forEach((e) => (e.style.display = 'none')));
		};
		const shot = async (name, { clip } = {}) => {
			await tidy();
			await sleep(800);
			const file = path.join(OUT, `${name}.png`);
			await page.screenshot({ path: file, clip });
			const size = fs.statSync(file).size;
			saved.push({ file, size });
			say(`${path.relative(ROOT, file)} (${Math.round(size / 1024)} KB)${size > MAX_BYTES ? '  ← over 300 KB' : ''}`);
		};
		const openWorkflow = async (id) => {
			await page.goto(`${BASE}/workflow/${id}`);
			await page.waitForSelector('[data-test-id="canvas-node"]');
			await sleep(1500);
		};
		const node = (name) => page.locator('[data-test-id="canvas-node"]', { hasText: name }).first();
		const openNode = async (name) => {
			await node(name).dblclick();
			await page.waitForSelector('[data-test-id="ndv"]');
			await sleep(1200);
		};
		const closeNode = async () => {
			// 2.x has a close button, 1.x a "Back to canvas" link; Escape closes both
			const close = page.locator('[data-test-id="ndv-close-button"], [data-test-id="back-to-canvas"]').first();
			if (await close.isVisible().catch(() => false)) await close.click();
			else await page.keyboard.press('Escape');
			await page.waitForSelector('[data-test-id="ndv"]', { state: 'hidden' });
		};
		const runWorkflow = async (nodes) => {
			await page.click('[data-test-id="execute-workflow-button"]');
			await page.waitForFunction(
				(n) => document.querySelectorAll('[data-test-id="canvas-node-status-success"]').length >= n || document.querySelector('[data-test-id="canvas-node-status-error"]'),
				nodes,
				{ timeout: 120_000 },
			);
			if (await page.locator('[data-test-id="canvas-node-status-error"]').count()) throw new Error('the demo workflow failed in the editor');
			await sleep(1000);
		};
		const fetchTestEvent = async () => {
			await page.click('[data-test-id="node-execute-button"]');
			await page.waitForSelector('[data-test-id="node-run-status-success"], [data-test-id="ndv-items-count"]', { timeout: 120_000 });
			await sleep(1500);
		};

		const apps = [
			{ key: 'kace-sma', wf: WORKFLOW_IDS.kaceInventory, nodes: 3, panel: 'Get All Machines', trigger: WORKFLOW_IDS.kaceTrigger, triggerNode: 'New Ticket' },
			{ key: 'kaseya-vsa', wf: WORKFLOW_IDS.vsaInventory, nodes: 4, panel: 'Run Install Patch', trigger: WORKFLOW_IDS.vsaTrigger, triggerNode: 'New Alarm' },
			{ key: 'sps', wf: WORKFLOW_IDS.spsInventory, nodes: 3, panel: 'Search All Sessions', trigger: WORKFLOW_IDS.spsTrigger, triggerNode: 'New Recorded Session' },
		];
		for (const a of apps) {
			await openWorkflow(a.wf);
			await runWorkflow(a.nodes);
			await shot(`${a.key}-workflow-run`);
			await openNode(a.panel);
			await shot(`${a.key}-node`);
			await closeNode();
			await openWorkflow(a.trigger);
			await openNode(a.triggerNode);
			await fetchTestEvent();
			await page.locator('[data-test-id="radio-button-json"]').last().click(); // nested records read best as JSON
			await shot(`${a.key}-trigger`);
			await closeNode();
		}

		// the SPS credential form, scrolled to the TLS fields (CA certificate, Ignore SSL Issues); password masked
		await page.goto(`${BASE}/home/credentials/${CREDENTIAL_IDS.safeguardSpsApi}`);
		const dialog = page.locator('[role="dialog"]').filter({ hasText: 'SPS URL' }).first();
		await dialog.waitFor({ timeout: 30_000 });
		await page.getByText('Connection tested successfully').waitFor({ timeout: 30_000 }).catch(() => {});
		await sleep(1000);
		await page.getByText('Ignore SSL Issues', { exact: false }).first().scrollIntoViewIfNeeded();
		const box = await dialog.boundingBox();
		await shot('sps-credential', { clip: box ? { x: Math.max(0, box.x - 8), y: Math.max(0, box.y - 8), width: box.width + 16, height: box.height + 16 } : undefined });
	} finally {
		await browser.close();
		if (demo) {
			say('stopping the demo…');
			await stopDemo(demo);
		}
	}
	const big = saved.filter((s) => s.size > MAX_BYTES);
	say(`${saved.length} screenshots in ${path.relative(ROOT, OUT)}/${big.length ? `; ${big.length} over 300 KB` : ''}`);
	if (big.length) process.exitCode = 1;
}

main().catch((e) => {
	console.error(`[screenshots] ${e.stack ?? e}`);
	process.exit(1);
});
