/**
 * The benchmark's check against a real n8n 2.41.1 (the packed package installed as a community
 * package, `n8n execute`, Node 24): the figures that n8n's server changes compared with the
 * n8n-core harness — credentials loaded from the database and decrypted, expressions evaluated by
 * the server's engine. Needs `npm run n8n:provision`; the parent skips it otherwise.
 *
 * Times are the node's own `executionTime` from the run data (n8n's start-up and the Code node
 * that makes the records are not counted).
 */
'use strict';
const { CAMPAIGN, FIELDS, control } = require('./lib');

const n8n = require('../scripts/n8n/lib');
const creds = require('../scripts/n8n/credentials');

function recordsCode(/** @type {number} */ n) {
	return `return Array.from({ length: ${n} }, (_, i) => ({ json: {
  loan_id: 'LOAN-' + String(i).padStart(7, '0'), first_name: 'Asha', last_name: 'Verma' + i,
  phone_number: '98' + (10000001 + i), loan_amount: 50000 + (i % 1000), emi_amount: 2500, loan_period: 24,
  current_emi: 1 + (i % 24), emi_due_date: '2025-03-05', payment_status: 'pending', language: 'hindi' } }));`;
}

/** Manual trigger → Code (n records) → the TimePay node under test, named "Under Test". */
function workflow(/** @type {string} */ id, /** @type {number} */ n, /** @type {object} */ parameters) {
	return {
		id,
		name: `bench ${id}`,
		nodes: [
			{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'n2', name: 'Records', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: recordsCode(n) } },
			{
				id: 'n3',
				name: 'Under Test',
				type: `${n8n.PACKAGE_NAME}.timePay`,
				typeVersion: 1,
				position: [440, 0],
				parameters,
				credentials: { timePayApi: creds.IDS.timePayApi },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Records', type: 'main', index: 0 }]] },
			Records: { main: [[{ node: 'Under Test', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * @param {{ url: string }} sb the sandbox (its own process)
 * @param {{ rounds: number, perItem: number, latency: number, concurrency: number, mapped: number, log: (s: string) => void }} o
 * @returns {Promise<string[]>} markdown lines
 */
async function realN8n(sb, o) {
	const tgz = await n8n.packRepo({ log: o.log });
	const template = await n8n.prepareTemplate(tgz);
	const folder = n8n.cloneUserFolder(template, 'crm-dialer-bench-');
	await n8n.importCredentials(folder, creds.sandboxCredentials(sb.url).filter((/** @type {any} */ c) => c.type === 'timePayApi'));
	// The columns as the editor saves them, from the package just built.
	const schema = require('../dist/nodes/TimePay/fields.js').resourceMapperFields('debtCollection');
	const base = { resource: 'customer', campaignId: CAMPAIGN, campaignType: 'debtCollection' };
	const flows = {
		perItem: workflow('benchPerItem0001', o.perItem, {
			...base,
			operation: 'add',
			columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
			options: { concurrency: o.concurrency },
		}),
		auto: workflow('benchBulkAuto001', o.mapped, {
			...base,
			operation: 'bulkAdd',
			columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
		}),
		mapped: workflow('benchBulkMapped1', o.mapped, {
			...base,
			operation: 'bulkAdd',
			columns: { mappingMode: 'defineBelow', value: Object.fromEntries(FIELDS.map((f) => [f, `={{ $json.${f} }}`])), matchingColumns: [], schema },
		}),
	};
	await n8n.importWorkflows(folder, Object.values(flows));

	/** @returns {Promise<{ ms: number, connections: number, requests: number }>} */
	const once = async (/** @type {string} */ id, /** @type {number} */ latency, /** @type {number} */ expected) => {
		await control(sb.url, 'reset', {});
		await control(sb.url, 'faults', { latencyMs: latency });
		const r = await n8n.execute(folder, id);
		if (!r.ok) throw new Error(`real n8n: ${n8n.failureText(r)}`);
		const run = r.data.resultData.runData['Under Test'][0];
		const items = run.data.main[0] ?? [];
		const added = items.filter((/** @type {any} */ i) => i.json.outcome === 'added').length;
		if (added !== expected) throw new Error(`real n8n ${id}: ${added} of ${expected} added`);
		const state = await control(sb.url, 'counters');
		const requests = Object.entries(state.requestCounts).filter(([k]) => k.startsWith('POST /timepay')).reduce((n, [, v]) => n + Number(v), 0);
		return { ms: run.executionTime, connections: state.connections, requests };
	};
	const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	/** @type {Record<string, Array<{ ms: number, connections: number, requests: number }>>} */
	const got = { perItem: [], auto: [], mapped: [] };
	for (let round = 1; round <= o.rounds; round++) {
		got.perItem.push(await once(flows.perItem.id, o.latency, o.perItem));
		got.auto.push(await once(flows.auto.id, 0, o.mapped));
		got.mapped.push(await once(flows.mapped.id, 0, o.mapped));
		o.log(`  real n8n round ${round}: per-item ${got.perItem[round - 1].ms} ms, bulk automatic ${got.auto[round - 1].ms} ms, bulk by hand ${got.mapped[round - 1].ms} ms`);
	}
	const perItemMs = median(got.perItem.map((r) => r.ms));
	const ideal = (o.perItem * o.latency) / o.concurrency;
	const conns = median(got.perItem.map((r) => (1000 * r.connections) / Math.max(1, r.requests)));
	const auto = median(got.auto.map((r) => r.ms));
	const mapped = median(got.mapped.map((r) => r.ms));
	return [
		`In a real n8n ${n8n.N8N_VERSION} (\`n8n execute\`, Node 24, the packed package installed as a community package; SQLite; the node's own execution time):`,
		'',
		'| | node execution time | figure |',
		'|---|---|---|',
		`| Customer Add, ${o.perItem.toLocaleString('en-US')} items, ${o.latency} ms latency, concurrency ${o.concurrency} | ${(perItemMs / 1000).toFixed(3)} s | **${((100 * ideal) / perItemMs).toFixed(0)} % of ideal**; ${Math.round(conns).toLocaleString('en-US')} connections per 1,000 requests |`,
		`| Bulk Add, ${o.mapped.toLocaleString('en-US')} records, automatic mapping | ${(auto / 1000).toFixed(3)} s | ${(auto / o.mapped).toFixed(3)} ms per record |`,
		`| Bulk Add, ${o.mapped.toLocaleString('en-US')} records, mapped by hand | ${(mapped / 1000).toFixed(3)} s | ${(mapped / o.mapped).toFixed(3)} ms per record; **${(mapped / auto).toFixed(2)} × automatic** |`,
	];
}

module.exports = { realN8n };
