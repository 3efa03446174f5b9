// The build around `tsc -p tsconfig.build.json` (see the `build` script in package.json):
//   gulp clean          empties dist/, so a file deleted from the sources is not published
//   gulp build:assets   after tsc: copies what tsc does not (icons to dist/icons, where the
//                       `file:` icon paths point; each node's codex *.node.json beside its
//                       *.node.js) and bundles fast-xml-parser (below).
const fs = require('node:fs');
const path = require('node:path');
const { src, dest, task, parallel } = require('gulp');

task('clean', async () => fs.rmSync('dist', { recursive: true, force: true }));

task('build:icons', parallel(
	() => src('icons/*.{png,svg}').pipe(dest('dist/icons')),
	() => src('nodes/**/*.node.json').pipe(dest('dist/nodes')),
));

// n8n installs no `dependencies` of a community package, and its scanner refuses them: at run
// time a node may require only what n8n provides (n8n-workflow, zod, luxon, p-limit, ...).
// fast-xml-parser (Acqueon's XML) is therefore a devDependency bundled here: esbuild replaces
// tsc's re-export dist/nodes/AcqueonLcm/xmlLibrary.js with the library and its own dependencies
// in one CommonJS file. esbuild, because it bundles one entry to CommonJS with a single call and
// no plugin or config file; its output is readable (not minified) so n8n's scanner lints it too.
// The licences of what is bundled go beside it, as their MIT/ISC terms ask.
const BUNDLES = [{ entry: 'nodes/AcqueonLcm/xmlLibrary.ts', out: 'dist/nodes/AcqueonLcm/xmlLibrary.js' }];

task('build:bundle', async () => {
	const esbuild = require('esbuild');
	for (const { entry, out } of BUNDLES) {
		const result = await esbuild.build({
			entryPoints: [entry],
			outfile: out,
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			metafile: true,
			legalComments: 'none',
			logLevel: 'warning',
		});
		fs.rmSync(`${out}.map`, { force: true }); // tsc's map describes the re-export, not the bundle
		fs.writeFileSync(out.replace(/\.js$/, '.licenses.txt'), licences(Object.keys(result.metafile.inputs)));
	}
});

/** The name, version and licence text of every npm package whose files went into a bundle. */
function licences(inputs) {
	const dirs = new Set();
	for (const input of inputs) {
		const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
		if (m) dirs.add(m[1]);
	}
	return [...dirs]
		.sort()
		.map((dir) => {
			const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
			const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
			const text = file ? fs.readFileSync(path.join(dir, file), 'utf8').trim() : `License: ${pkg.license}`;
			return `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n`;
		})
		.join(`\n${'-'.repeat(72)}\n\n`);
}

task('build:assets', parallel('build:icons', 'build:bundle'));
