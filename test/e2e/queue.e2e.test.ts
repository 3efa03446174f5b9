/**
 * Queue mode, how users scale out: PostgreSQL + Redis + an n8n main process + one worker, each
 * with the package installed (nothing else set up). The cross-system workflow, started by a
 * production webhook, is executed by the worker and gives the same outcomes as `n8n execute`.
 */
import {
	creds,
	examples,
	lastNodeName,
	n8n,
	outcomes,
	packageNodes,
	queue,
	sandboxPost,
	startSandbox,
	timePayBulkWorkflow,
	withWebhookTrigger,
} from './helpers';
import type { Json, Sandbox } from './helpers';

/** The example with the most of this package's nodes: the cross-system one. */
const crossSystem = examples().sort((a, b) => packageNodes(b.workflow).length - packageNodes(a.workflow).length)[0];

let sb: Sandbox;
let q: Json;
let direct: { items: Json[]; state: Json } | undefined;

beforeAll(async () => {
	sb = await startSandbox();
	// Reference run in regular mode (SQLite, `n8n execute`).
	if (crossSystem) {
		const folder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
		await n8n.importCredentials(folder, creds.sandboxCredentials(sb.url));
		const [id] = await n8n.importWorkflows(folder, { ...crossSystem.workflow, id: 'queueRefCross001' });
		const r = await n8n.execute(folder, id);
		if (!r.ok) throw new Error(`reference run failed: ${n8n.failureText(r)}`);
		// A webhook answers with the output of the node that ran last, so compare with that node.
		direct = { items: n8n.nodeOutput(r.data, r.data.resultData.lastNodeExecuted ?? lastNodeName(crossSystem.workflow)), state: sb.state() };
	}
	await sandboxPost(sb, '/__sandbox/reset');

	const mainFolder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	const workerFolder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	q = await queue.startQueue({
		mainFolder,
		workerFolders: [workerFolder],
		concurrency: 5,
		log: (m: string) => process.stderr.write(`[queue] ${m}\n`),
		prepare: async (env: Json) => {
			await n8n.importCredentials(mainFolder, creds.sandboxCredentials(sb.url), { env });
			const workflows = [timePayBulkWorkflow('queueTimePayBulk', 200, { webhookPath: 'e2e-timepay-bulk', prefix: 'Q' })];
			if (crossSystem) workflows.push(withWebhookTrigger(crossSystem.workflow, 'e2e-cross-system', 'queueCrossSystem'));
			await n8n.importWorkflows(mainFolder, workflows, { env });
			for (const wf of workflows) await n8n.n8nCliOk(mainFolder, ['publish:workflow', `--id=${wf.id}`], { env });
		},
	});
}, 10 * 60 * 1000);

afterAll(async () => {
	await q?.stop();
	await sb?.close();
});

beforeEach(async () => {
	await sandboxPost(sb, '/__sandbox/reset');
});

async function callWebhook(path: string): Promise<{ status: number; items: Json[]; ms: number }> {
	const t0 = Date.now();
	const res = await fetch(`${q.url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
	const text = await res.text();
	let items: Json[] = [];
	try {
		const body = JSON.parse(text) as Json | Json[];
		items = Array.isArray(body) ? body : [body];
	} catch {
		throw new Error(`webhook ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
	}
	return { status: res.status, items, ms: Date.now() - t0 };
}

test('the main process and the worker run in queue mode', () => {
	expect(q.main.logs()).toMatch(/Editor is now accessible/);
	expect(q.workers[0].logs()).toMatch(/n8n worker is now ready/);
});

test('TimePay Bulk Add through a production webhook is executed by the worker', async () => {
	const before = queue.workerFinishedExecutions(q.workers[0]).length;
	const r = await callWebhook('e2e-timepay-bulk');
	expect(r.status).toBe(200);
	expect(r.items).toHaveLength(200);
	expect(r.items.every((j) => j.outcome === 'added')).toBe(true);
	expect(sb.state().timePay.campaigns.camp_debt_demo.customerCount).toBe(200);
	await n8n.sleep(500);
	expect(queue.workerFinishedExecutions(q.workers[0]).length).toBeGreaterThan(before);
	expect(q.main.logs()).toMatch(/Enqueued execution/);
});

(crossSystem ? test : test.skip)('the cross-system workflow gives the same outcomes on the worker as with n8n execute', async () => {
	const before = queue.workerFinishedExecutions(q.workers[0]).length;
	const r = await callWebhook('e2e-cross-system');
	expect(r.status).toBe(200);
	expect(outcomes(r.items)).toEqual(outcomes(direct!.items));
	// The sandbox received the same requests (per method and path) as in the reference run.
	const state = sb.state();
	expect(state.requestCounts).toEqual(direct!.state.requestCounts);
	// ... and ended in the same vendor state: the same TimePay customers and calls, as many CRM
	// customers and LCM contacts.
	const summary = (s: Json) => ({
		timePay: Object.fromEntries(Object.entries(s.timePay.campaigns as Json).map(([id, c]) => [id, { customers: Object.keys(c.customers).sort(), calls: [...c.calls].sort() }])),
		kapture: s.kapture?.customerCount,
		cuoral: s.cuoral?.customerCount,
		acqueon: s.acqueon?.contactCount,
	});
	expect(summary(state)).toEqual(summary(direct!.state));
	await n8n.sleep(500);
	expect(queue.workerFinishedExecutions(q.workers[0]).length).toBeGreaterThan(before);
});
