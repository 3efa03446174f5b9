#!/usr/bin/env node
/**
 * Mutation testing, one source file at a time, so that a long run can be stopped and resumed.
 *
 * The whole set (stryker.config.json's `mutate` list) takes hours on a 2-core machine. A single
 * Stryker run keeps its results only when it finishes, so this script gives every file its own
 * run, incremental file (.cache/stryker/) and JSON report (reports/mutation/files/): a run that is
 * stopped loses only the file it was on, and a file whose code and tests have not changed since
 * its last run is not tested again (Stryker's incremental mode). At the end, and with --score
 * alone, it prints each file's score and the total from the reports on disk.
 *
 *   node scripts/mutate.js                 every file, files without a report first
 *   node scripts/mutate.js --only a.ts,b   only these files
 *   node scripts/mutate.js --score         print the scores recorded so far, run nothing
 *
 * Run through `npm run mutate` (scripts/mutate.sh: Node 24, which Stryker 10 needs).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const base = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
const reportDir = path.join(root, 'reports/mutation/files');
const cacheDir = path.join(root, '.cache/stryker');

const slug = (file) => file.replace(/[/\\]/g, '__').replace(/\.ts$/, '');
const reportOf = (file) => path.join(reportDir, `${slug(file)}.json`);

/** The files the config's `mutate` globs name, in a stable order. */
function sourceFiles() {
	const files = new Set();
	for (const pattern of base.mutate) for (const f of fs.globSync(pattern, { cwd: root })) files.add(f.split(path.sep).join('/'));
	return [...files].sort();
}

/** Counts by Stryker's status from one JSON report (mutation-testing-report-schema). */
function countsOf(reportFile) {
	const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
	const c = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
	for (const file of Object.values(report.files)) {
		for (const m of file.mutants) {
			if (m.status in c) c[m.status] += 1;
			else c.other += 1; // CompileError, RuntimeError, Ignored: not part of the score
		}
	}
	return c;
}

/** Stryker's mutation score: detected ÷ (detected + undetected), as a percentage. */
function score(c) {
	const detected = c.Killed + c.Timeout;
	const valid = detected + c.Survived + c.NoCoverage;
	return valid === 0 ? null : (100 * detected) / valid;
}

function printScores(files) {
	const total = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
	const missing = [];
	console.log('\nfile | killed | timeout | survived | no coverage | score');
	for (const file of files) {
		if (!fs.existsSync(reportOf(file))) {
			missing.push(file);
			continue;
		}
		const c = countsOf(reportOf(file));
		for (const k of Object.keys(total)) total[k] += c[k];
		const s = score(c);
		console.log(`${file} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${s === null ? 'n/a' : s.toFixed(1) + ' %'}`);
	}
	const s = score(total);
	console.log(
		`total (${files.length - missing.length} of ${files.length} files) | ${total.Killed} | ${total.Timeout} | ${total.Survived} | ${total.NoCoverage} | ${s === null ? 'n/a' : s.toFixed(1) + ' %'}`,
	);
	if (missing.length > 0) console.log(`not run yet: ${missing.join(', ')}`);
	return missing.length;
}

function runOne(file) {
	fs.mkdirSync(cacheDir, { recursive: true });
	fs.mkdirSync(reportDir, { recursive: true });
	const config = {
		...base,
		mutate: [file],
		incrementalFile: path.relative(root, path.join(cacheDir, `${slug(file)}.incremental.json`)),
		reporters: ['clear-text', 'progress', 'json'],
		jsonReporter: { fileName: path.relative(root, reportOf(file)) },
	};
	delete config.$schema;
	delete config.htmlReporter;
	const configFile = path.join(cacheDir, `${slug(file)}.config.json`);
	fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
	console.log(`\n=== ${file} (${new Date().toISOString()})`);
	const stryker = path.join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
	const r = spawnSync(process.execPath, [stryker, 'run', path.relative(root, configFile)], { cwd: root, stdio: 'inherit' });
	if (r.status !== 0) throw new Error(`Stryker failed on ${file} (exit ${r.status ?? r.signal})`);
}

function main(argv) {
	const all = sourceFiles();
	if (argv.includes('--score')) return printScores(all) === 0 ? 0 : 2;
	const onlyAt = argv.indexOf('--only');
	let files = all;
	if (onlyAt >= 0) {
		const wanted = (argv[onlyAt + 1] ?? '').split(',').filter(Boolean);
		const unknown = wanted.filter((f) => !all.includes(f));
		if (wanted.length === 0 || unknown.length > 0) {
			console.error(`--only takes files of the mutate list (stryker.config.json); unknown: ${unknown.join(', ') || '(none given)'}`);
			return 1;
		}
		files = wanted;
	}
	// Files never scored first, then the others (incremental: only what changed is tested again).
	const ordered = [...files.filter((f) => !fs.existsSync(reportOf(f))), ...files.filter((f) => fs.existsSync(reportOf(f)))];
	for (const file of ordered) runOne(file);
	printScores(all);
	return 0;
}

process.exitCode = main(process.argv.slice(2));
