#!/usr/bin/env node
'use strict';
/*
 * The demo: the package running inside real n8n against the sandbox.
 *   node scripts/n8n/demo.js [--keep] [--no-build] [--workflow examples/<file>.json]
 * Installs n8n into .cache/ when it is missing (scripts/n8n/provision.sh), builds and packs the
 * package, installs it into a throwaway n8n user folder, starts the sandbox, imports the
 * credentials (pointing at the sandbox) and every example workflow, executes the cross-system
 * workflow headless with `n8n execute`, and prints every item's outcome and what the sandbox
 * received. With --keep, n8n and the sandbox stay up and the editor URL is printed.
 */
const fs = require('fs');
const path = require('path');
const n8n = require('./lib');
const { sandboxCredentials } = require('./credentials');

function arg(args, name, fallback) {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

function loadExamples() {
	const dir = path.join(n8n.REPO, 'examples');
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ file: f, workflow: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

const ours = (n) => String(n.type).startsWith(`${n8n.PACKAGE_NAME}.`);
const exampleId = (file) => `ex${file.replace(/[^a-zA-Z0-9]/g, '').slice(0, 14)}`.padEnd(16, '0').slice(0, 16);

// An error-output item is n8n's error shape (error, message, details) merged over the input item,
// whose own fields (an upstream `outcome`, `id`) must not be mistaken for this node's: read details first.
const outcomeOf = (j) => (j.details && j.details.outcome) || j.outcome || (j.error ? 'error' : 'ok');
const idOf = (j) =>
	(j.details && j.details.id) || j.id || j.customer_id || j.lcmKey || j.lead_id || j.loan_id || '';

function printItems(items, label, out) {
	const counts = {};
	for (const j of items) counts[outcomeOf(j)] = (counts[outcomeOf(j)] || 0) + 1;
	out(`  ${label}${items.length} item(s): ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}`);
	items.slice(0, 20).forEach((j, i) => {
		const msg = j.error ? j.error.message || j.error : j.message || '';
		out(`  [${i}] ${String(outcomeOf(j)).padEnd(20)} ${String(idOf(j)).padEnd(24)} ${String(msg).slice(0, 110)}`);
	});
	if (items.length > 20) out(`  ... ${items.length - 20} more`);
}

/** Every node of the package that ran, in execution order, with its main and error outputs. */
function printSummary(data, workflow, out) {
	const runData = (data && data.resultData && data.resultData.runData) || {};
	for (const name of Object.keys(runData)) {
		const node = workflow.nodes.find((n) => n.name === name);
		if (!node || !ours(node)) continue;
		const err = n8n.nodeError(data, name);
		out(`\n${name}  (${node.type.split('.')[1]}: ${node.parameters.resource || ''} ${node.parameters.operation || ''})`);
		if (err) out(`  NODE ERROR: ${err.message}${err.description ? ` — ${err.description}` : ''}`);
		printItems(n8n.nodeOutput(data, name) || [], '', out);
		if (node.onError === 'continueErrorOutput') printItems(n8n.nodeOutput(data, name, 1) || [], 'error output: ', out);
	}
}

function printSandbox(state, out) {
	out('\nThe sandbox received:');
	const counts = Object.entries(state.requestCounts || {}).sort();
	for (const [k, v] of counts) out(`  ${String(v).padStart(6)} × ${k}`);
	if (!counts.length) out('  nothing');
	const tp = state.timePay && state.timePay.campaigns;
	if (tp) {
		for (const [id, c] of Object.entries(tp)) {
			if (c.customerCount || (c.calls && c.calls.length)) {
				out(`  TimePay campaign ${id}: ${c.customerCount} customer(s), ${(c.calls || []).length} call request(s)`);
			}
		}
	}
}

async function main() {
	const args = process.argv.slice(2);
	const keep = args.includes('--keep');
	const t0 = Date.now();
	const say = (m) => console.error(`[demo +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
	const out = (m) => console.log(m);
	if (!n8n.isProvisioned()) {
		say(`installing n8n ${n8n.N8N_VERSION} on Node 24 into ${n8n.CACHE} (once, ~5–10 min)`);
		n8n.provision();
	}
	const all = loadExamples();
	const chosen = arg(args, 'workflow');
	const main = chosen
		? { file: path.basename(chosen), workflow: JSON.parse(fs.readFileSync(path.resolve(n8n.REPO, chosen), 'utf8')) }
		: all.slice().sort((a, b) => b.workflow.nodes.filter(ours).length - a.workflow.nodes.filter(ours).length)[0];
	if (!main) throw new Error('no workflow in examples/');

	const tgz = await n8n.packRepo({ build: !args.includes('--no-build'), log: say });
	const userFolder = n8n.makeUserFolder('n8n-demo-');
	await n8n.installPackage(userFolder, tgz);
	say(`installed ${path.basename(tgz)} into ${userFolder}/.n8n/nodes`);

	const { startSandbox } = require('../../test/sandbox');
	const port = Number(arg(args, 'sandbox-port', '0'));
	const sandbox = await startSandbox({ port, quiet: true });
	say(`sandbox listening on ${sandbox.url}`);
	let inst;
	const stopAll = async () => {
		if (inst) await inst.stop();
		await sandbox.close();
	};
	try {
		await n8n.importCredentials(userFolder, sandboxCredentials(sandbox.url));
		const workflows = all.map((e) => ({ ...e.workflow, id: e.workflow.id || exampleId(e.file) }));
		if (!all.some((e) => e.file === main.file)) workflows.push({ ...main.workflow, id: main.workflow.id || exampleId(main.file) });
		await n8n.importWorkflows(userFolder, workflows);
		const id = main.workflow.id || exampleId(main.file);
		say(`imported ${workflows.length} workflow(s) and 4 credentials; executing "${main.workflow.name}" (${main.file})`);
		const r = await n8n.execute(userFolder, id);
		say(`n8n execute finished in ${(r.ms / 1000).toFixed(1)} s (exit ${r.code ?? r.signal})`);
		out(`\n=== ${main.workflow.name} — executed by n8n ${n8n.N8N_VERSION} ===`);
		if (!r.data) {
			out('n8n printed no result:');
			out(r.stdout.slice(-3000) + r.stderr.slice(-3000));
		} else {
			printSummary(r.data, main.workflow, out);
			if (r.error) out(`\nEXECUTION FAILED: ${r.error.message}`);
		}
		printSandbox(sandbox.state(), out);
		if (keep) {
			inst = await n8n.startN8n(userFolder, { env: n8n.ownerEnv(), port: Number(arg(args, 'port', '0')) || undefined, name: 'n8n-demo' });
			out(`\nn8n editor: ${inst.url}/workflow/${id}`);
			out(`sign in as ${n8n.OWNER.email} / ${n8n.OWNER.password}`);
			out(`sandbox:    ${sandbox.url}/__sandbox/state`);
			out('Ctrl-C stops both.');
			await new Promise((resolve) => {
				process.once('SIGINT', resolve);
				process.once('SIGTERM', resolve);
			});
		}
		process.exitCode = r.ok ? 0 : 1;
	} finally {
		await stopAll();
	}
}

if (require.main === module) {
	main().catch((e) => {
		console.error(e.stack || e.message);
		process.exit(1);
	});
}
