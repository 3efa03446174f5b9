#!/usr/bin/env node
'use strict';
/*
 * The demo: the package running inside real n8n against the sandbox.
 *   npm run demo -- [--keep] [--port <n>] [--sandbox-port <n>] [--no-build] [--workflow examples/<file>.json]
 * Installs n8n into the cache when it is missing (scripts/n8n/provision.sh, with progress), builds
 * and packs the package, installs it into a throwaway n8n user folder, starts the sandbox, imports
 * the credentials (pointing at the sandbox) and every example workflow, executes the cross-system
 * workflow headless with `n8n execute`, and prints every item's outcome and what the sandbox
 * received. Then the loop (scripts/n8n/loop.js): the follow-up workflow is published in
 * `n8n start`, the calls the workflow placed end in the sandbox, their outcomes are posted to the
 * TimePay Trigger's production URL, and the follow-ups reach the vendors; each event and each
 * follow-up is printed. With --keep, n8n and the sandbox stay up and the editor URL is printed.
 * The temporary folders (n8n's user folder with its database, the packed .tgz) are removed on
 * every way out: the end, an error, Ctrl-C or SIGTERM.
 */
const fs = require('fs');
const path = require('path');
const n8n = require('./lib');
const { sandboxCredentials } = require('./credentials');
const loop = require('./loop');

const USAGE = `usage: npm run demo -- [options]
  --keep               leave n8n and the sandbox running after the run; prints the editor URL and a
                       login; Ctrl-C stops both and removes the temporary n8n folder
  --port <n>           with --keep: the port of the n8n editor (default: a free port)
  --sandbox-port <n>   the port of the sandbox (default: a free port)
  --no-build           pack dist/ as it is, without \`npm run build\` first (dist/ must exist)
  --workflow <file>    the workflow to execute (default: the example with the most of this package's nodes)
  --help               this text`;

class UsageError extends Error {}

/** --name value and --name=value; flags without a value. Unknown options are an error. */
function parseArgs(argv) {
	const withValue = new Set(['port', 'sandbox-port', 'workflow']);
	const flags = new Set(['keep', 'no-build', 'help']);
	const opts = {};
	for (let i = 0; i < argv.length; i++) {
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
		if (!m) throw new UsageError(`unexpected argument "${argv[i]}"`);
		const [, name, inline] = m;
		if (flags.has(name)) {
			if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
			opts[name] = true;
		} else if (withValue.has(name)) {
			const value = inline !== undefined ? inline : argv[++i];
			if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
			opts[name] = value;
		} else {
			throw new UsageError(`unknown option --${name}`);
		}
	}
	for (const name of ['port', 'sandbox-port']) {
		if (opts[name] === undefined) continue;
		const n = Number(opts[name]);
		if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--${name} must be a port number (1–65535), not "${opts[name]}"`);
		opts[name] = n;
	}
	return opts;
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
	const opts = parseArgs(process.argv.slice(2));
	if (opts.help) {
		console.log(USAGE);
		return;
	}
	const t0 = Date.now();
	const say = (m) => console.error(`[demo +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
	const out = (m) => console.log(m);
	if (opts.port && !opts.keep) say('--port sets the editor port of --keep; without --keep n8n runs headless (n8n execute) and opens no port');
	if (opts['no-build'] && !fs.existsSync(path.join(n8n.REPO, 'dist', 'package.json')) && !fs.existsSync(path.join(n8n.REPO, 'dist', 'nodes'))) {
		throw new UsageError('--no-build packs dist/ as it is, but there is no dist/: run `npm run build` first, or leave out --no-build');
	}
	for (const [name, port] of [['port', opts.port], ['sandbox-port', opts['sandbox-port']]]) {
		if (port && !(await n8n.portFree(port))) throw new UsageError(`--${name} ${port}: that port is in use on 127.0.0.1`);
	}

	// Every way out removes the temporary folders (n8n's user folder holds its database and, during
	// the import, a plaintext credential export) and stops what the demo started.
	let sandbox;
	let inst;
	let stopping;
	const stopAll = async () => {
		stopping = stopping || (async () => {
			n8n.killChildren();
			if (inst) await inst.stop().catch(() => {});
			if (sandbox) await sandbox.close().catch(() => {});
			n8n.removeTemporary();
		})();
		await stopping;
	};
	let keeping = false;
	const onSignal = (signal) => {
		if (!keeping) say(`${signal}: stopping, removing the temporary n8n folders`);
		void stopAll().finally(() => process.exit(keeping ? 0 : signal === 'SIGINT' ? 130 : 143));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	process.once('exit', () => n8n.removeTemporary()); // last resort, synchronous

	try {
		if (!n8n.isProvisioned()) {
			say(`first run: installing n8n ${n8n.N8N_VERSION} and Node 24 into ${n8n.CACHE} (~2.7 GB, 5–10 min; progress every 15 s)`);
			n8n.provision();
		}
		const all = loadExamples();
		const main = opts.workflow
			? { file: path.basename(opts.workflow), workflow: JSON.parse(fs.readFileSync(path.resolve(n8n.REPO, opts.workflow), 'utf8')) }
			: all.slice().sort((a, b) => b.workflow.nodes.filter(ours).length - a.workflow.nodes.filter(ours).length)[0];
		if (!main) throw new Error('no workflow in examples/');

		const tgz = await n8n.packRepo({ build: !opts['no-build'], log: say });
		const userFolder = n8n.makeUserFolder('n8n-demo-');
		say(`installing ${path.basename(tgz)} into a temporary n8n user folder (${userFolder})`);
		await n8n.installPackage(userFolder, tgz);

		const { startSandbox } = require('../../test/sandbox');
		sandbox = await startSandbox({ port: opts['sandbox-port'] || 0, quiet: true });
		say(`sandbox listening on ${sandbox.url}`);
		say('importing the credentials and the example workflows');
		const credentials = sandboxCredentials(sandbox.url);
		await n8n.importCredentials(userFolder, credentials);
		const workflows = all.map((e) => ({ ...e.workflow, id: e.workflow.id || exampleId(e.file) }));
		if (!all.some((e) => e.file === main.file)) workflows.push({ ...main.workflow, id: main.workflow.id || exampleId(main.file) });
		await n8n.importWorkflows(userFolder, workflows);
		const id = main.workflow.id || exampleId(main.file);
		say(`imported ${workflows.length} workflow(s) and ${credentials.length} credentials; executing "${main.workflow.name}" (${main.file}) with n8n execute`);
		// The calls the workflow starts wait for their outcome until n8n is up to receive it.
		loop.prepareCalls(sandbox);
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
		process.exitCode = r.ok ? 0 : 1;
		// The calls it placed end in the sandbox, come back to n8n's TimePay Trigger and are followed up.
		if (sandbox.state().timePay.calls.pending.length) {
			const followUp = all.find((e) => e.file === loop.FOLLOW_UP_FILE);
			const done = await loop.runLoop({
				userFolder,
				sandbox,
				workflowId: followUp.workflow.id || exampleId(followUp.file),
				secret: credentials.find((c) => c.type === 'timePayWebhookApi').data.secret,
				port: opts.port,
				say,
				out,
			});
			inst = done.inst;
			if (!done.ok) process.exitCode = 1;
		}
		if (opts.keep) {
			inst = inst || (await n8n.startN8n(userFolder, { env: n8n.ownerEnv(), port: opts.port, name: 'n8n-demo' }));
			out(`\nn8n editor: ${inst.url}/workflow/${id}`);
			out(`sign in as ${n8n.OWNER.email} / ${n8n.OWNER.password}`);
			out(`sandbox:    ${sandbox.url}/__sandbox/state`);
			out('Ctrl-C stops both and removes the temporary n8n folder.');
			keeping = true;
			await new Promise(() => {}); // until a signal: onSignal stops everything and exits
		}
	} finally {
		await stopAll();
	}
}

module.exports = { parseArgs, UsageError };

if (require.main === module) {
	main().catch((e) => {
		if (e instanceof UsageError) {
			console.error(`demo: ${e.message}\n\n${USAGE}`);
			process.exit(2);
		}
		console.error(e.stack || e.message);
		process.exit(1);
	});
}
