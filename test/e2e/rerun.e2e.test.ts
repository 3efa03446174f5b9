/**
 * The cross-system example executed twice by real n8n (`n8n execute`) on the same input: what the
 * README's "Running a workflow again" says a second run does. Kapture CRM version 2's defaults
 * (Add or Update, Match Email/Phone) are applied by n8n itself from the node's description, since
 * the example stores neither.
 */
import { creds, examples, idFor, n8n, startSandbox } from './helpers';
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

const outcomeOf = (j: Json) => String(j.details?.outcome ?? j.outcome ?? (j.error ? 'error' : 'ok'));

test('a second run of cross-system.json updates Kapture, finds TimePay\'s records present, and creates in Cuoral and Acqueon again', async () => {
	const example = examples().find((e) => e.file === 'cross-system.json');
	if (!example) throw new Error('examples/cross-system.json is missing');
	const kaptureNode = (example.workflow.nodes as Json[]).find((n) => String(n.type).endsWith('.kaptureCrm'))!;
	expect(kaptureNode.typeVersion).toBe(2);
	expect(kaptureNode.parameters.mode).toBeUndefined(); // the default applies
	const [id] = await n8n.importWorkflows(folder, { ...example.workflow, id: idFor('cross-system.json') });
	const runs = [];
	for (let i = 0; i < 2; i++) {
		const r = await n8n.execute(folder, id);
		if (!r.ok) throw new Error(n8n.failureText(r));
		runs.push(r);
	}
	const out = (r: Json, node: string, output = 0) => (n8n.nodeOutput(r.data, node, output) as Json[]).map(outcomeOf);
	expect(out(runs[0], kaptureNode.name)).toEqual(['added', 'added', 'added']);
	expect(out(runs[1], kaptureNode.name)).toEqual(['updated', 'updated', 'updated']);
	expect((n8n.nodeOutput(runs[1].data, kaptureNode.name) as Json[]).map((j) => j.customer_id)).toEqual(
		(n8n.nodeOutput(runs[0].data, kaptureNode.name) as Json[]).map((j) => j.customer_id),
	);
	expect(out(runs[1], 'TimePay: Bulk Add')).toEqual(['already present', 'already present']);
	expect(out(runs[1], 'TimePay: Bulk Add', 1)).toEqual(['rejected']);
	expect(out(runs[1], 'Cuoral: Create Customer')).toEqual(['created', 'created', 'created']);

	const state = sb.state();
	expect(state.kapture.customerCount).toBe(3);
	expect(state.kapture.customers.map((c: Json) => c.contacts.length)).toEqual([1, 1, 1]);
	expect(Object.keys(state.timePay.campaigns.camp_debt_demo.customers).sort()).toEqual(['LOAN-2025-1001', 'LOAN-2025-1002']);
	expect(state.cuoral.customerCount).toBe(6);
	expect(state.acqueon.contactCount).toBe(4);
	// Initiate Calls asks TimePay to call the two customers again.
	expect(state.timePay.campaigns.camp_debt_demo.calls).toHaveLength(4);
});
