#!/usr/bin/env node
'use strict';
/*
 * Smoke check of the packed package inside real n8n:
 *   node scripts/n8n/smoke.js [--no-build] [--tgz <file>] [--keep]
 * Builds and packs the repo, installs the .tgz into a throwaway n8n user folder the way a user
 * gets it, starts n8n, and checks that every node and credential type the package declares is
 * listed (as n8n-nodes-crm-dialer.<name>) and that n8n logged no problem loading it.
 * Exit code 0 when all is well. Prints a JSON report as its last line.
 */
const fs = require('fs');
const path = require('path');
const n8n = require('./lib');

/**
 * The node and credential type names that the package's package.json declares, read as n8n reads
 * them: each file loaded (on n8n's Node, with n8n's modules), its class (named like the file)
 * instantiated, then `description.name` of a node (versioned or not) or `name` of a credential.
 */
function declaredTypes(pkgDir) {
	const script = `
		const path = require('path');
		const dir = process.argv[1];
		const pkg = require(path.join(dir, 'package.json'));
		const load = (f) => new (require(path.join(dir, f))[path.basename(f).split('.')[0]])();
		const n8n = pkg.n8n || {};
		process.stdout.write(JSON.stringify({
			nodes: (n8n.nodes || []).map((f) => load(f).description.name),
			credentials: (n8n.credentials || []).map((f) => load(f).name),
		}));`;
	const out = require('child_process').execFileSync(n8n.NODE24, ['-e', script, pkgDir], {
		env: { ...process.env, NODE_PATH: path.join(n8n.N8N_HOME, 'node_modules') },
		encoding: 'utf8',
	});
	return JSON.parse(out);
}

/**
 * Starts n8n on a user folder that has the package installed and reads what it loaded
 * (`env`: more environment for n8n).
 * Returns {nodeTypes, credentialTypes, problems, log, readyMs}.
 */
async function loadedTypes(userFolder, { keep = false, env = {} } = {}) {
	const inst = await n8n.startN8n(userFolder, { env: { ...n8n.ownerEnv(), ...env }, name: 'smoke' });
	try {
		const client = await n8n.login(inst.url);
		const nodes = await (await fetch(`${inst.url}/types/nodes.json`, { headers: { cookie: client.cookie } })).json();
		const creds = await (await fetch(`${inst.url}/types/credentials.json`, { headers: { cookie: client.cookie } })).json();
		const ours = (t) => t.startsWith(`${n8n.PACKAGE_NAME}.`);
		const log = inst.logs();
		return {
			url: inst.url,
			readyMs: inst.readyMs,
			nodeTypes: nodes.map((n) => n.name).filter(ours),
			allCredentialTypes: creds.map((c) => c.name),
			nodeCount: nodes.length,
			problems: n8n.loadProblems(log),
			log,
			stop: () => inst.stop(),
		};
	} finally {
		if (!keep) await inst.stop();
	}
}

async function main() {
	const args = process.argv.slice(2);
	const t0 = Date.now();
	const say = (m) => console.error(`[smoke +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
	if (!n8n.isProvisioned()) n8n.provision();
	const tgzArg = args.indexOf('--tgz');
	const tgz = tgzArg >= 0 ? path.resolve(args[tgzArg + 1]) : await n8n.packRepo({ build: !args.includes('--no-build'), log: say });
	say(`package ${tgz}`);
	const userFolder = n8n.makeUserFolder('n8n-smoke-');
	const pkgDir = await n8n.installPackage(userFolder, tgz);
	say(`installed into ${userFolder}/.n8n/nodes`);
	const declared = declaredTypes(pkgDir);
	say(`declares nodes ${declared.nodes.join(', ')}; credentials ${declared.credentials.join(', ')}`);
	const got = await loadedTypes(userFolder, { keep: args.includes('--keep') });
	say(`n8n ready in ${got.readyMs} ms; lists ${got.nodeTypes.join(', ') || 'none of ours'}`);
	const missingNodes = declared.nodes.filter((n) => !got.nodeTypes.includes(`${n8n.PACKAGE_NAME}.${n}`));
	const missingCreds = declared.credentials.filter((c) => !got.allCredentialTypes.includes(c));
	const report = {
		ok: missingNodes.length === 0 && missingCreds.length === 0 && got.problems.length === 0 && declared.nodes.length > 0,
		n8n: n8n.N8N_VERSION,
		nodeTypes: got.nodeTypes,
		credentialTypes: declared.credentials.filter((c) => got.allCredentialTypes.includes(c)),
		missingNodes,
		missingCreds,
		problems: got.problems,
		userFolder,
		seconds: (Date.now() - t0) / 1000,
	};
	if (!report.ok) console.error(got.log.slice(-4000));
	if (args.includes('--keep')) say(`n8n left running at ${got.url} (owner ${n8n.OWNER.email} / ${n8n.OWNER.password})`);
	console.log(JSON.stringify(report));
	if (!args.includes('--keep')) process.exit(report.ok ? 0 : 1);
}

module.exports = { declaredTypes, loadedTypes };

if (require.main === module) {
	main().catch((e) => {
		console.error(e.stack || e.message);
		process.exit(1);
	});
}
