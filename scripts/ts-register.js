// Lets plain `node` scripts (bench, demo) load the TypeScript sources and the test harness:
// each .ts file is transpiled on require with the project's own TypeScript (no type check;
// `npm run typecheck` does that).
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		fileName: filename,
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
	});
	module._compile(outputText, filename);
};

// Resolve "X.node" to X.node.ts before the codex file X.node.json: Node tries extensions in
// the order they were registered, so move .json and .node after .ts.
for (const ext of ['.json', '.node']) {
	const loader = require.extensions[ext];
	delete require.extensions[ext];
	require.extensions[ext] = loader;
}
