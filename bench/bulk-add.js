#!/usr/bin/env node
/**
 * Benchmark: TimePay Bulk Add of N synthetic debt-collection records (default 100,000) through
 * the node, executed by n8n's engine (n8n-core WorkflowExecute), against the sandbox — beside a
 * raw baseline that posts the same request bodies with node:http at the same concurrency.
 * The sandbox runs in its own process, as a remote API would; each side runs in a fresh child
 * process so its peak RSS is its own. Prints wall times, the ratio and peak RSS per side, and
 * writes bench/RESULTS.md.
 *
 * Two scenarios by default: no added latency (loopback: measures CPU only, ours against a raw
 * client's) and 250 ms per request (a WAN round trip plus a server storing 10,000 records —
 * optimistic for a real API).
 *
 *   npm run bench                                  # 100,000 records, 3 rounds, latency 0 and 250 ms
 *   npm run bench -- --records 20000 --rounds 1 --latency 150
 */
'use strict';
const { spawn, fork } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const opt = (/** @type {string} */ name, /** @type {number} */ d) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? Number(args[i + 1]) : d;
};
const RECORDS = opt('records', 100_000);
const ROUNDS = opt('rounds', 3);
const LATENCIES = (() => {
	const i = args.indexOf('--latency');
	return i >= 0 ? String(args[i + 1]).split(',').map(Number) : [0, 250];
})();
const BATCH = 10_000;
const CONCURRENCY = 2;
const CAMPAIGN = 'camp_debt_demo';

function record(/** @type {number} */ i) {
	return {
		loan_id: `LOAN-${String(i).padStart(7, '0')}`,
		first_name: 'Asha',
		last_name: `Verma${i}`,
		phone_number: `98${10000001 + i}`,
		loan_amount: 50000 + (i % 1000),
		emi_amount: 2500,
		loan_period: 24,
		current_emi: 1 + (i % 24),
		emi_due_date: '2025-03-05',
		payment_status: 'pending',
		language: 'hindi',
	};
}

// ---------- child: one side, one round ----------
async function child(/** @type {string} */ side, /** @type {string} */ url) {
	const records = Array.from({ length: RECORDS }, (_, i) => record(i));
	const { credentials } = require('../test/sandbox');
	let wall;
	let summary;
	if (side === 'baseline') {
		const http = require('node:http');
		const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
		const target = new URL(`${url}/timepay/api/v1/customers/add/bulk`);
		const post = (/** @type {string} */ body) =>
			new Promise((resolve, reject) => {
				const req = http.request(
					target,
					{ method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${credentials.timePay.token}` } },
					(res) => {
						const chunks = [];
						res.on('data', (c) => chunks.push(c));
						res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
					},
				);
				req.on('error', reject);
				req.end(body);
			});
		const started = performance.now();
		const bodies = [];
		for (let i = 0; i < records.length; i += BATCH) bodies.push({ campaignId: CAMPAIGN, records: records.slice(i, i + BATCH) });
		let next = 0;
		let added = 0;
		await Promise.all(
			Array.from({ length: CONCURRENCY }, async () => {
				while (next < bodies.length) {
					const b = bodies[next++];
					const res = /** @type {any} */ (await post(JSON.stringify(b)));
					added += res.body.results.successful;
				}
			}),
		);
		wall = performance.now() - started;
		summary = { added, requests: bodies.length };
		agent.destroy();
	} else {
		require('../scripts/ts-register');
		require('../test/harness/setup');
		const { runNode } = require('../test/harness/engine.ts');
		const input = records.map((json) => ({ json }));
		const started = performance.now();
		const res = await runNode({
			type: 'timePay',
			parameters: {
				resource: 'customer',
				operation: 'bulkAdd',
				campaignId: CAMPAIGN,
				campaignType: 'debtCollection',
				columns: { mappingMode: 'autoMapInputData', value: null },
				options: { concurrency: CONCURRENCY, batchSize: BATCH },
			},
			input,
			credentials: { timePayApi: { token: credentials.timePay.token, baseUrl: `${url}/timepay/api/v1` } },
		});
		wall = performance.now() - started;
		if (res.error) throw new Error(res.error.message);
		const out = res.outputs[0];
		summary = { added: out.filter((o) => o.json.outcome === 'added').length, outputs: out.length };
	}
	const rssMb = process.resourceUsage().maxRSS / 1024;
	process.send?.({ side, wall, rssMb, summary });
}

// ---------- parent ----------
function startSandboxProcess() {
	return new Promise((resolve, reject) => {
		const p = spawn(process.execPath, [path.join(__dirname, '../test/sandbox/cli.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
		p.stdout.on('data', (d) => {
			const m = /listening on (\S+)/.exec(String(d));
			if (m) resolve({ proc: p, url: m[1] });
		});
		p.on('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
	});
}

async function control(/** @type {string} */ url, /** @type {string} */ p, /** @type {object} */ body) {
	const res = await fetch(`${url}/__sandbox/${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return await res.json();
}

function runChild(/** @type {string} */ side, /** @type {string} */ url) {
	return new Promise((resolve, reject) => {
		const c = fork(__filename, ['--child', side, url, ...args], { stdio: 'inherit', execArgv: ['--max-old-space-size=8192'] });
		let result;
		c.on('message', (m) => (result = m));
		c.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`${side} exited ${code}`))));
	});
}

const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scenario(/** @type {string} */ url, /** @type {number} */ latency) {
	/** @type {Record<string, any[]>} */
	const results = { baseline: [], node: [] };
	for (let round = 1; round <= ROUNDS; round++) {
		for (const side of round % 2 ? ['baseline', 'node'] : ['node', 'baseline']) {
			await control(url, 'reset', {});
			await control(url, 'faults', { latencyMs: latency });
			const r = /** @type {any} */ (await runChild(side, url));
			if (r.summary.added !== RECORDS) throw new Error(`${side}: ${r.summary.added} of ${RECORDS} added`);
			results[side].push(r);
			console.log(`latency ${latency} ms, round ${round} ${side.padEnd(8)} ${(r.wall / 1000).toFixed(3)} s  peak RSS ${r.rssMb.toFixed(0)} MB`);
		}
	}
	const b = median(results.baseline.map((r) => r.wall));
	const n = median(results.node.map((r) => r.wall));
	const rss = { baseline: Math.max(...results.baseline.map((r) => r.rssMb)), node: Math.max(...results.node.map((r) => r.rssMb)) };
	return `sandbox latency ${latency} ms per request: baseline ${(b / 1000).toFixed(3)} s, node ${(n / 1000).toFixed(3)} s, ratio ${(n / b).toFixed(2)}; peak RSS baseline ${rss.baseline.toFixed(0)} MB, node ${rss.node.toFixed(0)} MB`;
}

async function main() {
	const { proc, url } = /** @type {any} */ (await startSandboxProcess());
	try {
		const lines = [];
		for (const latency of LATENCIES) lines.push(await scenario(url, latency));
		const head = `${RECORDS.toLocaleString('en-US')} records in ${Math.ceil(RECORDS / BATCH)} requests, concurrency ${CONCURRENCY}, median of ${ROUNDS} rounds`;
		console.log(`\n${head}\n${lines.map((l) => `  ${l}`).join('\n')}`);
		const file = path.join(__dirname, 'RESULTS.md');
		const header = fs.readFileSync(path.join(__dirname, 'RESULTS.header.md'), 'utf8');
		const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').replace(header, '') : '';
		const env = `Node ${process.version}, ${require('node:os').cpus().length} cores`;
		fs.writeFileSync(file, `${header}- ${new Date().toISOString().slice(0, 16)}Z (${env}): ${head}\n${lines.map((l) => `  - ${l}`).join('\n')}\n${old}`);
	} finally {
		proc.kill();
	}
}

if (args[0] === '--child') {
	child(args[1], args[2]).then(
		() => process.exit(0),
		(e) => {
			console.error(e);
			process.exit(1);
		},
	);
} else {
	main().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
