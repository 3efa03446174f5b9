/**
 * Workflows executed headless by real n8n (`n8n execute`) through the packed package, against
 * the sandbox: every example workflow, a bulk run of 20,000 records, and runs with faults.
 */
import { creds, examples, idFor, n8n, packageNodes, sandboxPost, startSandbox, timePayBulkWorkflow } from './helpers';
import type { Json, Sandbox } from './helpers';

let sb: Sandbox;
let folder: string;

beforeAll(async () => {
	sb = await startSandbox();
	folder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	await n8n.importCredentials(folder, creds.sandboxCredentials(sb.url));
});

afterAll(async () => {
	await sb?.close();
});

beforeEach(async () => {
	await sandboxPost(sb, '/__sandbox/reset');
});

// A workflow started by TimePay's webhook cannot run headless: test/e2e/callOutcomes*.e2e.test.ts
// publishes it and has the sandbox deliver to it.
const list = examples().filter((e) => !packageNodes(e.workflow).some((n) => n.type === 'n8n-nodes-crm-dialer.timePayTrigger'));

/** Sandbox state an example needs before it runs (it is reset before each test). */
const SEED: Record<string, () => Promise<unknown>> = {
	// Calls of the last day for the nightly report: three dispositions, one of them twice.
	'nightly-call-report.json': () =>
		sandboxPost(sb, '/__sandbox/events', {
			deliver: false,
			events: [
				['Promise to Pay', 120],
				['Promise to Pay', 60],
				['No Answer', 30],
				['Already Paid', 90],
			].map(([disposition, duration], i) => ({
				call_id: `call_night_${i}`,
				disposition,
				duration,
				status: disposition === 'No Answer' ? 'No Contact' : 'Contacted',
				start_time: new Date(Date.now() - (i + 1) * 3600_000).toISOString(),
			})),
		}),
};

/**
 * What each example's sample data is built to give, node by node: per item, this node's outcome
 * (on the error output, `details.outcome`). The TimePay example carries two bad records on purpose:
 * one the API refuses (phone), one the node refuses before sending (current_emi > loan_period).
 */
const EXPECTED: Record<string, Record<string, { main: string[]; error?: string[] }>> = {
	'acqueon-create-contact.json': { 'Acqueon LCM: Create Contact': { main: ['created', 'created', 'created'], error: [] } },
	'cross-system.json': {
		'Cuoral: Create Customer': { main: ['created', 'created', 'created'] },
		'Kapture CRM: Add Customer': { main: ['added', 'added', 'added'] },
		'TimePay: Bulk Add': { main: ['added', 'added'], error: ['rejected'] },
		'TimePay: Initiate Calls': { main: ['initiated'] },
		'Acqueon LCM: Create Contact': { main: ['created', 'created'] },
	},
	'cuoral-create-customer.json': { 'Cuoral: Create Customer': { main: ['created', 'created'] } },
	'cuoral-kapture-timepay.json': {
		'Cuoral: Create Customer': { main: ['created', 'created'] },
		'Kapture CRM: Add Customer': { main: ['added', 'added'] },
		'TimePay: Add Customer': { main: ['added', 'added'] },
	},
	'nightly-call-report.json': { 'TimePay: Call Logs of the Last Day': { main: ['ok', 'ok', 'ok', 'ok'] } },
	'kapture-add-customer.json': { 'Kapture CRM: Add Customer': { main: ['added', 'added', 'added'], error: [] } },
	'timepay-bulk-add-and-call.json': {
		'TimePay: Bulk Add': { main: ['added', 'added', 'rejected', 'rejected'] },
		'TimePay: Initiate Calls': { main: ['initiated', 'skipped', 'skipped'] },
	},
};
const outcomeOf = (j: Json) => String(j.details?.outcome ?? j.outcome ?? (j.error ? 'error' : 'ok'));

describe('example workflows', () => {
	if (list.length === 0) test.todo('examples/*.json');

	test.each(list.map((e) => [e.file, e.workflow] as const))('%s executes headless', async (file, workflow) => {
		await SEED[file]?.();
		const [id] = await n8n.importWorkflows(folder, { ...workflow, id: idFor(file) });
		const r = await n8n.execute(folder, id);
		if (!r.ok) throw new Error(`${file} failed: ${n8n.failureText(r)}`);
		const state = sb.state();
		for (const node of packageNodes(workflow)) {
			expect(n8n.nodeError(r.data, node.name)).toBeUndefined();
			// It ran and put items on one of its outputs (the error output counts: some examples route there).
			const runs: Json[] = r.data.resultData.runData[node.name] ?? [];
			expect(runs.length).toBeGreaterThan(0);
			const items = runs.flatMap((run) => ((run.data?.main ?? []) as (Json[] | null)[]).flatMap((o) => o ?? []));
			expect(items.length).toBeGreaterThan(0);
		}
		// Every item of every node of the package ends as the sample data is built to end.
		const expected = EXPECTED[file];
		expect(expected).toBeDefined();
		for (const [name, want] of Object.entries(expected)) {
			expect([name, (n8n.nodeOutput(r.data, name, 0) ?? []).map(outcomeOf)]).toEqual([name, want.main]);
			if (want.error) expect([name, (n8n.nodeOutput(r.data, name, 1) ?? []).map(outcomeOf)]).toEqual([name, want.error]);
		}
		// The sandbox received the calls.
		const vendorCalls = Object.entries(state.requestCounts as Record<string, number>).filter(([k]) => !k.includes('__sandbox'));
		expect(vendorCalls.length).toBeGreaterThan(0);
	});
});

describe('the cross-system example (the demo)', () => {
	test('every item ends with the expected outcome, and the sandbox holds exactly what was sent', async () => {
		const example = list.find((e) => e.file === 'cross-system.json');
		expect(example).toBeDefined();
		const [id] = await n8n.importWorkflows(folder, { ...example!.workflow, id: idFor(example!.file) });
		const r = await n8n.execute(folder, id);
		if (!r.ok) throw new Error(n8n.failureText(r));
		const out = (name: string, index = 0): Json[] => n8n.nodeOutput(r.data, name, index) ?? [];
		expect(out('Cuoral: Create Customer').map((j) => j.outcome)).toEqual(['created', 'created', 'created']);
		expect(out('Kapture CRM: Add Customer').map((j) => j.outcome)).toEqual(['added', 'added', 'added']);
		expect(out('TimePay: Bulk Add').map((j) => [j.id, j.outcome])).toEqual([
			['LOAN-2025-1001', 'added'],
			['LOAN-2025-1002', 'added'],
		]);
		const rejected = out('TimePay: Bulk Add', 1);
		expect(rejected.map((j) => [j.details.id, j.details.outcome, j.message])).toEqual([
			['LOAN-2025-1003', 'rejected', "Invalid phone_number '98765432'"],
		]);
		expect(out('TimePay: Initiate Calls').map((j) => [j.outcome, j.message])).toEqual([['initiated', 'Calls initiated for 2 customers']]);
		const contacts = out('Acqueon LCM: Create Contact');
		expect(contacts.map((j) => j.outcome)).toEqual(['created', 'created']);
		for (const c of contacts) expect(c.lcmKey).toMatch(/^\d+(\|\d+){6}$/);

		const state = sb.state();
		expect(state.cuoral.customerCount).toBe(3);
		expect(state.kapture.customerCount).toBe(3);
		expect(Object.keys(state.timePay.campaigns.camp_debt_demo.customers).sort()).toEqual(['LOAN-2025-1001', 'LOAN-2025-1002']);
		expect([...state.timePay.campaigns.camp_debt_demo.calls].sort()).toEqual(['LOAN-2025-1001', 'LOAN-2025-1002']);
		expect(state.acqueon.contactCount).toBe(2);
		expect(JSON.stringify(r.data)).not.toContain(creds.sandboxCredentials(sb.url)[0].data.token);
	});
});

describe('TimePay Bulk Add in n8n', () => {
	test('20,000 records: each comes out added and the sandbox holds them', async () => {
		const N = 20000;
		const [id] = await n8n.importWorkflows(folder, timePayBulkWorkflow('e2eBulk20000wf01', N));
		const r = await n8n.execute(folder, id);
		if (!r.ok) throw new Error(n8n.failureText(r));
		const out: Json[] = n8n.nodeOutput(r.data, 'TimePay Bulk Add');
		expect(out).toHaveLength(N);
		expect(out.filter((j) => j.outcome === 'added')).toHaveLength(N);
		expect(out[0].id).toBe('L000000');
		expect(out[N - 1].id).toBe(`L${String(N - 1).padStart(6, '0')}`);
		expect(sb.state().timePay.campaigns.camp_debt_demo.customerCount).toBe(N);
		process.stderr.write(`[e2e] 20,000-record bulk add: n8n execute took ${r.ms} ms\n`);
	});

	test('a 503 and a 429 from TimePay are retried: every record still added once', async () => {
		await sandboxPost(sb, '/__sandbox/faults', {
			faults: [
				{ type: '503', path: '/timepay', times: 1 },
				{ type: '429', path: '/timepay', times: 1, retryAfter: 1 },
			],
		});
		const [id] = await n8n.importWorkflows(folder, timePayBulkWorkflow('e2eBulkFaults001', 50, { options: { batchSize: 20 } }));
		const r = await n8n.execute(folder, id);
		if (!r.ok) throw new Error(n8n.failureText(r));
		const out: Json[] = n8n.nodeOutput(r.data, 'TimePay Bulk Add');
		expect(out).toHaveLength(50);
		expect(out.every((j) => j.outcome === 'added')).toBe(true);
		const state = sb.state();
		expect(state.pendingFaults).toEqual([]);
		expect(state.timePay.campaigns.camp_debt_demo.customerCount).toBe(50);
	});

	test('a TimePay outage fails the execution with a readable error, and n8n reports it', async () => {
		await sandboxPost(sb, '/__sandbox/faults', { faults: [{ type: '500', path: '/timepay', times: 1000 }] });
		const [id] = await n8n.importWorkflows(folder, timePayBulkWorkflow('e2eBulkOutage001', 5, { options: { batchSize: 5 } }));
		const r = await n8n.execute(folder, id);
		expect(r.ok).toBe(false);
		expect(r.data).toBeDefined();
		const err = n8n.nodeError(r.data, 'TimePay Bulk Add') ?? r.error;
		expect(JSON.stringify(err)).toMatch(/500|server|TimePay/i);
		expect(JSON.stringify(r.run)).not.toContain('tp_sandbox_token');
	});
});
