#!/usr/bin/env node
// `npm run verify`: what n8n's verification checks, offline, on this checkout (CI runs it; so does the publish
// workflow, with --release).
//
//   node scripts/verify.mjs [--release] [--keep]
//
//   1. package.json: no runtime dependencies, peer dependency exactly n8n-workflow "*", MIT licence with a LICENSE
//      file, n8n.strict, every registered node and credential built;
//   2. n8n's own scanner (@n8n/scan-community-package, the code behind `npx @n8n/scan-community-package`): its ESLint
//      pass over the sources (package.json, nodes/, credentials/) — what it runs on the GitHub source a published
//      version's provenance points to — and over the packed tarball (`**/*.js`, package.json). Its other steps need a
//      published version (npm provenance, the GitHub download) and cannot run before a release;
//   3. the tarball `npm pack` makes: only what n8n loads (dist/nodes and dist/credentials: .js, codex .node.json,
//      icons) plus package.json, README and LICENSE; no sources, tests, source maps or type declarations; its size;
//   4. --release (the publish workflow): the metadata n8n verification matches against the GitHub repository
//      (repository.url on github.com, a real author e-mail, homepage), the editor's Docs links (credentials'
//      documentationUrl, codex documentation) lead to README sections of that repository, the version equals the
//      pushed tag, and CHANGELOG.md has a section for it. Without --release these are listed as "before
//      publishing" notes.
// Prints one line per check and `N passed, N failed` last; exits 1 on any failure.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const RELEASE = process.argv.includes('--release');
const KEEP = process.argv.includes('--keep');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

let passed = 0;
let failed = 0;
const notes = [];
function result(ok, name, detail = '') {
	if (ok) passed++;
	else failed++;
	console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

/** Files n8n needs from the tarball; anything else is a finding. */
const ALLOWED = [
	/^package\.json$/,
	/^README\.md$/,
	/^LICENSE$/,
	/^dist\/(nodes|credentials)\/.+\.js$/,
	/^dist\/nodes\/.+\.node\.json$/, // codex: categories, aliases, documentation links
	/^dist\/(nodes|credentials)\/.+\.(svg|png)$/,
];

// ------------------------------------------------------------------ 1. package.json

{
	const deps = Object.keys(pkg.dependencies ?? {});
	result(deps.length === 0, 'no runtime dependencies', deps.length ? deps.join(', ') : 'none');
	const peers = pkg.peerDependencies ?? {};
	result(JSON.stringify(peers) === JSON.stringify({ 'n8n-workflow': '*' }), 'peer dependency exactly n8n-workflow "*"', JSON.stringify(peers));
	const licence = fs.existsSync(path.join(ROOT, 'LICENSE')) ? fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8') : '';
	result(pkg.license === 'MIT' && /^MIT License/.test(licence), 'MIT licence in package.json and LICENSE', `license "${pkg.license}", LICENSE ${licence ? 'present' : 'missing'}`);
	result(pkg.n8n?.strict === true && pkg.n8n?.n8nNodesApiVersion === 1, 'n8n.strict and n8nNodesApiVersion 1');
	const registered = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = registered.filter((f) => !fs.existsSync(path.join(ROOT, f)));
	result(!missing.length && registered.length > 0, 'every registered node and credential is built', missing.length ? `missing: ${missing.join(', ')} (npm run build)` : `${registered.length} files`);
	const scripts = Object.keys(pkg.scripts ?? {}).filter((s) => /^(pre|post)?install$|^prepare$/.test(s));
	result(!scripts.length, 'no install or prepare lifecycle scripts', scripts.join(', ') || 'none');
}

// ------------------------------------------------------------------ 3. the tarball (packed first: the scanner reads it)

const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-pack-'));
let unpacked;
try {
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
	const info = JSON.parse(out.slice(out.indexOf('[')))[0];
	const files = info.files.map((f) => f.path);
	const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
	result(!unexpected.length, 'the tarball holds only what n8n loads (dist/nodes, dist/credentials, package.json, README, LICENSE)', unexpected.length ? `unexpected: ${unexpected.slice(0, 10).join(', ')}${unexpected.length > 10 ? ', …' : ''}` : `${files.length} files`);
	const registered = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const absent = registered.filter((f) => !files.includes(f)).concat(['README.md', 'LICENSE', 'package.json'].filter((f) => !files.includes(f)));
	result(!absent.length, 'the tarball has every registered node and credential, README and LICENSE', absent.length ? `absent: ${absent.join(', ')}` : '');
	const codex = (pkg.n8n?.nodes ?? []).map((f) => f.replace(/\.js$/, '.json')).filter((f) => !files.includes(f));
	result(!codex.length, 'each node ships its codex file (.node.json)', codex.join(', '));
	const bySize = info.files.slice().sort((a, b) => b.size - a.size);
	result(
		info.size < 1024 * 1024,
		`tarball size: ${kb(info.size)} packed, ${kb(info.unpackedSize)} unpacked, ${files.length} files`,
		`largest: ${bySize.slice(0, 3).map((f) => `${f.path} ${kb(f.size)}`).join(', ')}`,
	);
	unpacked = path.join(packDir, 'package');
	execFileSync('tar', ['-xzf', path.join(packDir, info.filename), '-C', packDir]);
} catch (e) {
	result(false, 'npm pack', String(e.stderr ?? e.message).slice(0, 800));
}

// ------------------------------------------------------------------ 2. n8n's scanner

try {
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	const src = await analyzePackage(ROOT, SOURCE_FILE_PATTERNS);
	result(src.passed, `n8n scanner on the sources (${SOURCE_FILE_PATTERNS.join(', ')})`, src.passed ? 'no errors' : `${src.message}\n${src.details ?? ''}`);
	if (unpacked) {
		const dist = await analyzePackage(unpacked, ['**/*.js', 'package.json']);
		result(dist.passed, 'n8n scanner on the packed tarball (**/*.js, package.json)', dist.passed ? 'no errors' : `${dist.message}\n${dist.details ?? ''}`);
	}
} catch (e) {
	result(false, 'n8n scanner', e.message);
} finally {
	if (KEEP) console.log(`kept ${packDir}`);
	else fs.rmSync(packDir, { recursive: true, force: true });
}

// ------------------------------------------------------------------ 4. release metadata

/** GitHub's heading anchors of the README (lower case, punctuation dropped, spaces to dashes) */
function readmeAnchors() {
	const text = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	const seen = new Map();
	const out = new Set();
	for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
		let slug = m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
		const n = seen.get(slug) ?? 0;
		seen.set(slug, n + 1);
		if (n) slug = `${slug}-${n}`;
		out.add(slug);
	}
	return out;
}

/** Documentation links n8n shows in the editor: credentials' documentationUrl, the codex files' documentation. */
function docLinks() {
	const links = [];
	for (const f of pkg.n8n?.credentials ?? []) {
		const text = fs.existsSync(path.join(ROOT, f)) ? fs.readFileSync(path.join(ROOT, f), 'utf8') : '';
		const m = /documentationUrl\s*=\s*['"`]([^'"`]+)['"`]/.exec(text);
		if (m) links.push([path.basename(f), m[1]]);
	}
	for (const f of pkg.n8n?.nodes ?? []) {
		const codex = path.join(ROOT, f.replace(/\.js$/, '.json'));
		if (!fs.existsSync(codex)) continue;
		const c = JSON.parse(fs.readFileSync(codex, 'utf8'));
		for (const kind of ['primaryDocumentation', 'credentialDocumentation']) for (const d of c.resources?.[kind] ?? []) links.push([`${path.basename(codex)} ${kind}`, d.url]);
	}
	return links;
}

{
	const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	const email = typeof pkg.author === 'string' ? /<([^>]+)>/.exec(pkg.author)?.[1] : pkg.author?.email;
	const placeholder = /(\.invalid|\.example|\.test|\.localhost)(\b|$)|example\.(com|org|net)|@users\.noreply|<|>|TODO|CHANGE.?ME/i;
	const items = [
		[!!repo && /^(git\+)?https:\/\/github\.com\/[\w.-]+\/[\w.-]+?(\.git)?$/.test(repo), `repository.url is the public GitHub repository the releases are built from (now: ${repo ?? 'absent'})`],
		[!!email && !placeholder.test(email), `author.email is a real address (now: ${email ?? 'absent'})`],
		[!!pkg.homepage && !placeholder.test(pkg.homepage), `homepage is set (now: ${pkg.homepage ?? 'absent'})`],
	];
	// the editor's Docs links must lead to this package's README section (on its repository once that is known)
	const anchors = readmeAnchors();
	const base = (repo ?? '').replace(/^git\+/, '').replace(/\.git$/, '');
	const badLinks = docLinks().filter(([, url]) => {
		const [page, anchor] = url.split('#');
		return !anchor || !anchors.has(anchor) || (base ? page !== base : !/^https:\/\//.test(page));
	});
	items.push([!badLinks.length, `the editor's Docs links point at README sections${base ? ` of ${base}` : ''} (${badLinks.length ? `wrong: ${badLinks.map(([where, url]) => `${where} → ${url}`).join('; ')}` : 'all found'})`]);
	const tag = process.env.GITHUB_REF_TYPE === 'tag' ? process.env.GITHUB_REF_NAME : process.env.RELEASE_TAG;
	if (RELEASE || tag) {
		items.push([!tag || tag.replace(/^v/, '') === pkg.version, `the tag (${tag ?? 'none'}) equals package.json version ${pkg.version}`]);
		const changelog = fs.existsSync(path.join(ROOT, 'CHANGELOG.md')) ? fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8') : '';
		items.push([new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\]`, 'm').test(changelog), `CHANGELOG.md has a "## [${pkg.version}]" section`]);
	}
	for (const [ok, text] of items) {
		if (RELEASE) result(ok, `release: ${text}`);
		else if (!ok) notes.push(text);
	}
}

if (notes.length) {
	console.log('\nBefore publishing (npm run verify -- --release, run by .github/workflows/publish.yml, refuses until then):');
	for (const n of notes) console.log(`  - ${n}`);
	console.log('');
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
