#!/usr/bin/env node
/**
 * A quick demo without installing n8n: the TimePay example (examples/timepay-bulk-add-and-call.json)
 * executed by n8n's own engine (n8n-core) against the sandbox, printing every item's outcome and
 * what the sandbox received. `npm run demo` runs the same in a real n8n.
 */
'use strict';
require('./ts-register');
require('../test/harness/setup');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { startSandbox, credentials } = require('../test/sandbox');
const { runNode } = require('../test/harness/engine.ts');

async function main() {
	const sb = await startSandbox();
	try {
		const wf = JSON.parse(fs.readFileSync(path.join(__dirname, '../examples/timepay-bulk-add-and-call.json'), 'utf8'));
		const byName = Object.fromEntries(wf.nodes.map((n) => [n.name, n]));
		// The example's Code node stands in for a sheet: run its code to get the same items.
		const sample = vm.runInNewContext(`(() => { ${byName['Loans due (sample)'].parameters.jsCode} })()`);
		const bulk = byName['TimePay: Bulk Add'];
		const call = byName['TimePay: Initiate Calls'];
		const res = await runNode({
			type: 'timePay',
			parameters: bulk.parameters,
			input: sample,
			credentials: { timePayApi: { token: credentials.timePay.token, baseUrl: `${sb.url}/timepay/api/v1` } },
			next: [{ type: 'timePay', name: call.name, parameters: call.parameters }],
		});
		console.log(`\n${wf.name}  (n8n engine, sandbox at ${sb.url})\n`);
		console.log('TimePay: Bulk Add');
		for (const o of res.outputs[0]) {
			const item = o.pairedItem.item;
			console.log(`  item ${item}  ${String(o.json.id).padEnd(16)} ${String(o.json.outcome).padEnd(16)} ${o.json.message}`);
		}
		const callOut = res.byNode[call.name]?.[0]?.[0];
		console.log(`\nTimePay: Initiate Calls\n  ${callOut ? `${callOut.json.outcome}: ${callOut.json.message}` : res.error?.message}`);
		const state = sb.state();
		const c = state.timePay.campaigns.camp_debt_demo;
		console.log(`\nSandbox received ${state.requests.length} requests; campaign camp_debt_demo now has ${c.customerCount} customers; calls placed for: ${c.calls.join(', ')}`);
		if (res.error) process.exitCode = 1;
	} finally {
		await sb.close();
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
