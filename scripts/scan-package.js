#!/usr/bin/env node
'use strict';
/*
 * n8n's community-package scanner (@n8n/scan-community-package), run offline on what users get:
 *   node scripts/scan-package.js [--tgz <file>]      (npm run scan builds first, then runs this)
 *
 * The scanner's own command needs the registry (it downloads a published version and its
 * attested source). This runs the same two legs on local files with the scanner's own
 * analyzePackage and rule set:
 *   1. the source (package.json, nodes/ and credentials/), as the scanner lints a package's
 *      attested source;
 *   2. the packed tarball (`npm pack` of the built dist/, unpacked), compiled .js and package.json.
 * The scanner passes a package that has only warnings; this fails on any finding, warnings too.
 *
 * Then what the scanner cannot see, because it accepts any devDependency as a "bundled" import:
 *   3. the tarball holds no node_modules, and every require() in its .js files is a relative path,
 *      node:crypto, or a module n8n itself provides at run time (n8n-workflow, zod, luxon, p-limit,
 *      lodash, moment). A devDependency required at run time would fail on a user's n8n, which
 *      installs none.
 * Exit code 0 only when all three are clean.
 */
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const REPO = path.resolve(__dirname, '..');
/** What n8n loads for a community package at run time (the scanner's allow-list). */
const PROVIDED_BY_N8N = ['n8n-workflow', 'zod', 'luxon', 'p-limit', 'lodash', 'moment', 'crypto', 'node:crypto'];

function packTarball() {
	if (!fs.existsSync(path.join(REPO, 'dist'))) throw new Error('no dist/: run `npm run build` first (or `npm run scan`)');
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-dialer-scan-pack-'));
	const out = cp.execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', dest], { cwd: REPO, encoding: 'utf8' });
	return path.join(dest, JSON.parse(out.slice(out.indexOf('[')))[0].filename);
}

function unpack(tgz) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-dialer-scan-'));
	cp.execFileSync('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1']);
	return dir;
}

function walk(dir, rel = '') {
	const out = [];
	for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
		const r = path.join(rel, e.name);
		out.push(r);
		if (e.isDirectory()) out.push(...walk(dir, r));
	}
	return out;
}

/**
 * Modules that a file loads (require(), import(), import ... from), with their line numbers; a
 * require() or import() whose argument is not a plain string is reported as '<computed>'.
 * Parsed with espree (ESLint's parser), so strings and comments that look like a require do not count.
 */
function requiredModules(source) {
	const espree = require(require.resolve('espree', { paths: [path.dirname(require.resolve('eslint/package.json'))] }));
	const ast = espree.parse(source, { ecmaVersion: 'latest', sourceType: 'script', loc: true, allowReturnOutsideFunction: true });
	const found = [];
	const literal = (n) => (n && n.type === 'Literal' && typeof n.value === 'string' ? n.value : n && n.type === 'TemplateLiteral' && n.expressions.length === 0 ? n.quasis[0].value.cooked : undefined);
	const visit = (node) => {
		if (!node || typeof node.type !== 'string') return;
		let arg;
		let loads = false;
		if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require') [arg, loads] = [node.arguments[0], true];
		else if (node.type === 'ImportExpression' || node.type === 'ImportDeclaration') [arg, loads] = [node.source, true];
		if (loads) found.push({ name: literal(arg) ?? '<computed>', line: node.loc.start.line });
		for (const key of Object.keys(node)) {
			if (key === 'parent' || key === 'loc') continue;
			const child = node[key];
			if (Array.isArray(child)) child.forEach(visit);
			else if (child && typeof child === 'object') visit(child);
		}
	};
	visit(ast);
	return found;
}

function isProvided(name) {
	if (name.startsWith('./') || name.startsWith('../')) return true;
	const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
	return PROVIDED_BY_N8N.includes(pkg);
}

/** What the scanner cannot see in the unpacked tarball. */
function tarballProblems(dir) {
	const problems = [];
	const files = walk(dir);
	for (const f of files) {
		if (path.basename(f) === 'node_modules') problems.push(`${f}: the tarball must not ship node_modules`);
	}
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	for (const field of ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
		const v = pkg[field];
		if (v && (Array.isArray(v) ? v.length : Object.keys(v).length)) problems.push(`package.json: "${field}" must be empty (n8n provides what the nodes need at run time)`);
	}
	for (const f of files.filter((x) => /\.(c|m)?js$/.test(x))) {
		const src = fs.readFileSync(path.join(dir, f), 'utf8');
		for (const { name, line } of requiredModules(src)) {
			if (!isProvided(name)) problems.push(`${f}:${line}: requires '${name}' at run time; n8n provides only ${PROVIDED_BY_N8N.join(', ')} (bundle anything else into dist/)`);
		}
	}
	return problems;
}

async function scannerLegs(dir) {
	const scannerDir = path.dirname(require.resolve('@n8n/scan-community-package/package.json'));
	const scanner = await import(pathToFileURL(path.join(scannerDir, 'scanner', 'scanner.mjs')).href);
	const { ESLint } = require(require.resolve('eslint', { paths: [scannerDir] }));
	const legs = [
		{ name: 'source (package.json, nodes/, credentials/)', cwd: REPO, patterns: scanner.SOURCE_FILE_PATTERNS },
		{ name: 'packed tarball (.js, package.json)', cwd: dir, patterns: ['**/*.js', 'package.json'] },
	];
	const out = [];
	for (const leg of legs) {
		// The scanner's verdict, exactly as it computes it.
		const verdict = await scanner.analyzePackage(leg.cwd, leg.patterns);
		// The same lint run again to see its warnings, which the verdict ignores.
		const eslint = new ESLint({ cwd: leg.cwd, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
		const glob = require(require.resolve('fast-glob', { paths: [scannerDir] }));
		const files = glob.sync(leg.patterns, { cwd: leg.cwd, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
		const results = await eslint.lintFiles(files);
		const findings = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
		const report = findings ? await (await eslint.loadFormatter('stylish')).format(results) : '';
		out.push({ ...leg, files: files.length, passed: verdict.passed, message: verdict.message, findings, report });
	}
	return out;
}

async function main() {
	const args = process.argv.slice(2);
	const i = args.indexOf('--tgz');
	const tgz = i >= 0 ? path.resolve(args[i + 1]) : packTarball();
	const dir = unpack(tgz);
	const scannerVersion = require('@n8n/scan-community-package/package.json').version;
	console.log(`@n8n/scan-community-package ${scannerVersion} (offline) on ${path.basename(tgz)}`);
	let ok = true;
	for (const leg of await scannerLegs(dir)) {
		const clean = leg.passed && leg.findings === 0;
		ok &&= clean;
		console.log(`${clean ? 'PASS' : 'FAIL'} scanner, ${leg.name}: ${leg.files} files, verdict ${leg.passed ? 'passed' : `failed (${leg.message})`}, ${leg.findings} findings`);
		if (leg.report) console.log(leg.report.trimEnd());
	}
	const problems = tarballProblems(dir);
	ok &&= problems.length === 0;
	console.log(`${problems.length ? 'FAIL' : 'PASS'} run-time requires and tarball contents: ${problems.length} problems`);
	for (const p of problems) console.log(`  ${p}`);
	fs.rmSync(dir, { recursive: true, force: true });
	if (i < 0) fs.rmSync(path.dirname(tgz), { recursive: true, force: true });
	process.exitCode = ok ? 0 : 1;
}

module.exports = { tarballProblems, requiredModules, PROVIDED_BY_N8N };

if (require.main === module) {
	main().catch((e) => {
		console.error(e.stack || e.message);
		process.exit(1);
	});
}
