/**
 * The checks scripts/scan-package.js adds to n8n's scanner on the unpacked tarball: the scanner
 * accepts any devDependency as "bundled", but n8n installs none, so a require() of one would fail
 * on a user's n8n. (CI runs the whole script, scanner included, on the real packed tarball.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const { tarballProblems, requiredModules } = require('../../scripts/scan-package.js');

function unpacked(pkg: object, files: Record<string, string>): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-dialer-scan-test-'));
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
	for (const [f, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
		fs.writeFileSync(path.join(dir, f), text);
	}
	return dir;
}

describe('scan-package: what n8n cannot load', () => {
	test('modules are read from the code, not from strings or comments', () => {
		const src = [
			'"use strict";',
			'const a = require("./a");',
			'const z = require("zod/v4");',
			"const x = require('fast-xml-parser');",
			'const s = "require(\'left-pad\')"; // require("right-pad")',
			'const d = require(name);',
			'import("node:net");',
		].join('\n');
		expect(requiredModules(src)).toEqual([
			{ name: './a', line: 2 },
			{ name: 'zod/v4', line: 3 },
			{ name: 'fast-xml-parser', line: 4 },
			{ name: '<computed>', line: 6 },
			{ name: 'node:net', line: 7 },
		]);
	});

	test('a clean package has no problem', () => {
		const dir = unpacked(
			{ name: 'n8n-nodes-x', devDependencies: { 'fast-xml-parser': '5' }, peerDependencies: { 'n8n-workflow': '*' } },
			{
				'dist/a.js': 'require("./b"); require("n8n-workflow"); require("zod/v4"); require("luxon"); require("p-limit"); require("node:crypto");',
				'dist/b.js': 'module.exports = 1;',
			},
		);
		expect(tarballProblems(dir)).toEqual([]);
	});

	test('runtime dependencies, requires of anything n8n does not provide, and node_modules are problems', () => {
		const dir = unpacked(
			{ name: 'n8n-nodes-x', dependencies: { 'fast-xml-parser': '5' }, devDependencies: { esbuild: '0' } },
			{
				'dist/a.js': 'require("fast-xml-parser");\nrequire("esbuild");\nrequire("node:net");\nrequire(process.env.X);',
				'node_modules/left-pad/index.js': 'module.exports = 1;',
			},
		);
		const problems: string[] = tarballProblems(dir);
		expect(problems).toEqual([
			expect.stringMatching(/^node_modules: the tarball must not ship node_modules/),
			'package.json: "dependencies" must be empty (n8n provides what the nodes need at run time)',
			expect.stringMatching(/^dist\/a\.js:1: requires 'fast-xml-parser' at run time/),
			expect.stringMatching(/^dist\/a\.js:2: requires 'esbuild' at run time/),
			expect.stringMatching(/^dist\/a\.js:3: requires 'node:net' at run time/),
			expect.stringMatching(/^dist\/a\.js:4: requires '<computed>' at run time/),
		]);
	});
});
