/**
 * One measurement in a fresh process (so that its peak RSS is its own): one side of one scenario.
 * The job comes as JSON in argv[2]; the result goes back to the parent by IPC.
 *
 * kinds and sides:
 *   bulk     raw | node | nodeMapped | passThrough   TimePay Bulk Add of `records` (10,000 per request)
 *   perItem  raw | node                              TimePay Customer Add, one request per record
 * "raw" is the baseline: the same request bodies posted with node:http (a keep-alive agent, at
 * most `concurrency` sockets). "node" runs the TimePay node through n8n's engine (n8n-core), its
 * fields mapped automatically; "nodeMapped" maps each field by hand (`{{ $json.<field> }}`, the
 * editor's default); "passThrough" runs the same items through a node that returns its input (the
 * engine's own cost of holding them).
 */
'use strict';
const { CAMPAIGN, FIELDS, record, control } = require('./lib');

/** @type {{ kind: 'bulk' | 'perItem', side: string, url: string, records: number, concurrency: number, latency: number, batch?: number, warmup?: number }} */
const job = JSON.parse(process.argv[2]);
const token = require('../test/sandbox').credentials.timePay.token;

/** A client that posts JSON bodies over one keep-alive agent: the raw baseline. */
function rawClient(/** @type {string} */ url, /** @type {number} */ sockets) {
	const lib = url.startsWith('https:') ? require('node:https') : require('node:http');
	const agent = new lib.Agent({ keepAlive: true, maxSockets: sockets });
	const post = (/** @type {string} */ path, /** @type {string} */ body) =>
		new Promise((resolve, reject) => {
			const req = lib.request(
				`${url}/timepay/api/v1${path}`,
				{
					method: 'POST',
					agent,
					headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
				},
				(res) => {
					/** @type {Buffer[]} */
					const chunks = [];
					res.on('data', (c) => chunks.push(c));
					res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	return { post, close: () => agent.destroy() };
}

/** Runs `task` over 0..n-1 with at most `concurrency` at once. */
async function pool(/** @type {number} */ n, /** @type {number} */ concurrency, /** @type {(i: number) => Promise<void>} */ task) {
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(n, concurrency) }, async () => {
			while (next < n) await task(next++);
		}),
	);
}

let engine;
function loadEngine() {
	if (!engine) {
		require('../scripts/ts-register');
		require('../test/harness/setup');
		engine = require('../test/harness/engine.ts');
		engine.registerNode('passThrough', {
			description: {
				displayName: 'Pass Through',
				name: 'passThrough',
				group: ['transform'],
				version: 1,
				description: 'Returns its input items as they are',
				defaults: { name: 'Pass Through' },
				inputs: ['main'],
				outputs: ['main'],
				properties: [],
			},
			async execute() {
				return [this.getInputData()];
			},
		});
	}
	return engine;
}

const credentials = () => ({ timePayApi: { token, baseUrl: `${job.url}/timepay/api/v1` } });
const autoMap = { mappingMode: 'autoMapInputData', value: null };
const byHand = {
	mappingMode: 'defineBelow',
	value: Object.fromEntries(FIELDS.map((f) => [f, `={{ $json.${f} }}`])),
	matchingColumns: [],
};

/** Runs one side over `records`; returns how many came back `added` (or passed through). */
async function runSide(/** @type {ReturnType<typeof record>[]} */ records) {
	const { kind, side, concurrency } = job;
	if (side === 'raw') {
		const client = rawClient(job.url, concurrency);
		let added = 0;
		if (kind === 'bulk') {
			const batch = job.batch ?? 10_000;
			const bodies = [];
			for (let i = 0; i < records.length; i += batch) bodies.push({ campaignId: CAMPAIGN, records: records.slice(i, i + batch) });
			await pool(bodies.length, concurrency, async (i) => {
				const res = /** @type {any} */ (await client.post('/customers/add/bulk', JSON.stringify(bodies[i])));
				added += res.body.results.successful;
			});
		} else {
			await pool(records.length, concurrency, async (i) => {
				const res = /** @type {any} */ (await client.post('/customers/add', JSON.stringify({ campaignId: CAMPAIGN, data: records[i] })));
				if (res.status === 201) added++;
			});
		}
		client.close();
		return added;
	}
	const { runNode } = loadEngine();
	if (side === 'nodeMapped' && !byHand.schema) {
		byHand.schema = require('../nodes/TimePay/fields.ts').resourceMapperFields('debtCollection');
	}
	const input = records.map((json) => ({ json }));
	const parameters =
		side === 'passThrough'
			? {}
			: kind === 'bulk'
				? {
						resource: 'customer',
						operation: 'bulkAdd',
						campaignId: CAMPAIGN,
						campaignType: 'debtCollection',
						columns: side === 'nodeMapped' ? byHand : autoMap,
						options: { concurrency, batchSize: job.batch ?? 10_000 },
					}
				: { resource: 'customer', operation: 'add', campaignId: CAMPAIGN, campaignType: 'debtCollection', columns: autoMap, options: { concurrency } };
	const res = await runNode({
		type: side === 'passThrough' ? 'passThrough' : 'timePay',
		parameters,
		input,
		credentials: side === 'passThrough' ? {} : credentials(),
	});
	if (res.error) throw new Error(res.error.message);
	const out = res.outputs[0];
	return side === 'passThrough' ? out.length : out.filter((/** @type {any} */ o) => o.json.outcome === 'added').length;
}

async function main() {
	// Per-item: a warm-up first (no added latency), as a running n8n is warm; then the timed run.
	if (job.warmup) {
		await control(job.url, 'reset', {});
		const warm = Array.from({ length: job.warmup }, (_, i) => record(9_000_000 + i));
		await runSide(warm);
	}
	await control(job.url, 'reset', {});
	await control(job.url, 'faults', { latencyMs: job.latency });
	const records = Array.from({ length: job.records }, (_, i) => record(i));
	if (job.side !== 'raw') loadEngine();
	const cpu0 = process.cpuUsage();
	const started = performance.now();
	const done = await runSide(records);
	const wall = performance.now() - started;
	const cpu = process.cpuUsage(cpu0);
	if (done !== job.records) throw new Error(`${job.side}: ${done} of ${job.records} records added`);
	const state = job.side === 'passThrough' ? undefined : await control(job.url, 'counters');
	const requests = state ? Object.entries(state.requestCounts).filter(([k]) => k.startsWith('POST /timepay')).reduce((n, [, v]) => n + Number(v), 0) : 0;
	process.send?.({
		wall,
		cpuMs: (cpu.user + cpu.system) / 1000,
		rssMb: process.resourceUsage().maxRSS / 1024,
		requests,
		connections: state?.connections ?? 0,
	});
}

main().then(
	() => process.exit(0),
	(e) => {
		console.error(e);
		process.exit(1);
	},
);
