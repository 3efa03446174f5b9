// Lets plain `node` scripts (bench, demo) load the TypeScript sources and the test harness:
// each .ts file is transpiled on require with the project's own TypeScript (no type check;
// `npm run typecheck` does that). Transpiled files are cached by content in the system's temp
// folder, so later processes (the benchmark starts dozens) load neither TypeScript nor re-transpile.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cacheDir = path.join(os.tmpdir(), 'crm-dialer-ts-cache');
let ts;

function transpile(source, filename) {
	ts ??= require('typescript');
	return ts.transpileModule(source, {
		fileName: filename,
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
	}).outputText;
}

require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const typescriptVersion = require('typescript/package.json').version;
	const key = crypto.createHash('sha256').update(`${typescriptVersion}\0${filename}\0${source}`).digest('hex');
	const cached = path.join(cacheDir, `${key}.js`);
	let output;
	try {
		output = fs.readFileSync(cached, 'utf8');
	} catch {
		output = transpile(source, filename);
		try {
			fs.mkdirSync(cacheDir, { recursive: true });
			const tmp = `${cached}.${process.pid}`;
			fs.writeFileSync(tmp, output);
			fs.renameSync(tmp, cached);
		} catch {
			// A cache that cannot be written only costs time.
		}
	}
	module._compile(output, filename);
};

// Resolve "X.node" to X.node.ts before the codex file X.node.json: Node tries extensions in
// the order they were registered, so move .json and .node after .ts.
for (const ext of ['.json', '.node']) {
	const loader = require.extensions[ext];
	delete require.extensions[ext];
	require.extensions[ext] = loader;
}
