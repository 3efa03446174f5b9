/**
 * Queue mode, when a worker dies in the middle of a TimePay Bulk Add: the README's recovery
 * procedure, proved. PostgreSQL + Redis + an n8n main process + one worker. The sandbox answers
 * each bulk request after a delay, so the run is still going when the worker is killed (SIGKILL to
 * its process group, as an OOM kill or a force-deleted pod ends it). Then:
 * - the records of the requests that had reached TimePay are stored anyway (answered or not), the
 *   others are not;
 * - n8n does not run the execution again (Bull's maxStalledCount is 0 in n8n) and marks it failed,
 *   with no output from the node, once another worker finds the job's lock expired;
 * - running the same input again stores every record exactly once: `already present` for those
 *   stored before the kill, `added` for the rest.
 *
 * Size: 50,000 records, the size the issue measured, in 10,000-record requests (TimePay's
 * maximum) two at a time: at the kill two requests have been answered, two are in flight and one
 * was never sent, so all three cases are there. The lock settings are shortened (10 s lock, 5 s
 * stalled check instead of n8n's 60 s and 30 s) so that n8n notices the dead worker in seconds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { creds, n8n, queue, sandboxPost, startSandbox, timePayBulkWorkflow } from './helpers';
import type { Json, Sandbox } from './helpers';

const N = 50_000;
const PER_REQUEST = 10_000;
/** Each bulk request is answered this long after it arrives (the sandbox's latency fault). */
const LATENCY_MS = 6_000;
const WORKFLOW_ID = 'queueRecovery001';
const WEBHOOK = 'e2e-timepay-recovery';
const BULK_PATH = '/timepay/api/v1/customers/add/bulk';
/** Short Bull lock settings: n8n finds a dead worker's job after about 15 s instead of 90 s. */
const LOCK_ENV = { QUEUE_WORKER_LOCK_DURATION: '10000', QUEUE_WORKER_LOCK_RENEW_TIME: '2000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };

let sb: Sandbox;
let q: Json;
let api: Json;
const flatted: { parse: (s: string) => Json } = require(path.join(n8n.N8N_HOME, 'node_modules', 'flatted'));

beforeAll(async () => {
	sb = await startSandbox();
	const mainFolder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	const workerFolder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	q = await queue.startQueue({
		mainFolder,
		workerFolders: [workerFolder],
		concurrency: 5,
		mainEnv: LOCK_ENV,
		workerEnv: LOCK_ENV,
		log: (m: string) => process.stderr.write(`[queue-recovery] ${m}\n`),
		prepare: async (env: Json) => {
			await n8n.importCredentials(mainFolder, creds.sandboxCredentials(sb.url), { env });
			// The plaintext export n8n imported from is gone once the import is over.
			expect(fs.readdirSync(mainFolder).filter((f) => f.startsWith('credentials-'))).toEqual([]);
			await n8n.importWorkflows(mainFolder, [timePayBulkWorkflow(WORKFLOW_ID, N, { webhookPath: WEBHOOK, options: { batchSize: PER_REQUEST, concurrency: 2 } })], { env });
			await n8n.n8nCliOk(mainFolder, ['publish:workflow', `--id=${WORKFLOW_ID}`], { env });
		},
	});
	api = await n8n.login(q.url);
}, 10 * 60 * 1000);

afterAll(async () => {
	await q?.stop();
	await sb?.close();
});

const bulkRequests = () => (sb.state().requestCounts[`POST ${BULK_PATH}`] ?? 0) as number;
const stored = () => sb.state().timePay.campaigns.camp_debt_demo.customerCount as number;
const answered = () => (sb.state().requests as Json[]).filter((r) => r.path === BULK_PATH && r.status !== 0).length;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
	const t0 = Date.now();
	for (;;) {
		const v = await probe();
		if (v !== undefined && v !== false) return v;
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await n8n.sleep(200);
	}
}

async function executions(): Promise<Json[]> {
	const page = await api.get(`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }))}&limit=20`);
	return page.results as Json[];
}

function post(): Promise<{ status: number; items: Json[] }> {
	return fetch(`${q.url}/webhook/${WEBHOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(async (res) => {
		const text = await res.text();
		let items: Json[] = [];
		try {
			const body = JSON.parse(text) as Json | Json[];
			items = Array.isArray(body) ? body : [body];
		} catch {
			items = [{ raw: text.slice(0, 500) }];
		}
		return { status: res.status, items };
	});
}

test('a worker killed mid-run: n8n fails the execution without retrying it, and a re-run stores every record exactly once', async () => {
	const log = (m: string) => process.stderr.write(`[queue-recovery] ${m}\n`);
	await sandboxPost(sb, '/__sandbox/faults', { latencyMs: LATENCY_MS });

	// Run 1, killed once the first requests are answered and the next ones are in flight.
	const first = post().catch((e: Error) => ({ status: 0, items: [{ error: e.message }] }));
	await waitFor('two answered bulk requests and more in flight', () => answered() >= 2 && sb.state().inFlight > 0, 5 * 60 * 1000);
	const answeredAtKill = answered();
	await q.workers[0].kill();
	const tKill = Date.now();
	log(`worker 1 killed with ${answeredAtKill} of ${N / PER_REQUEST} bulk request(s) answered`);

	// The requests that had reached TimePay are applied anyway, answered or not (a request the worker
	// had written to its socket may still arrive after the kill); the later ones are never sent.
	await n8n.sleep(LATENCY_MS + 2000);
	await waitFor('every request that arrived to be applied', () => answered() === bulkRequests(), LATENCY_MS * 3);
	const received = bulkRequests();
	const storedBeforeRerun = stored();
	log(`the sandbox received ${received} request(s) and stored ${storedBeforeRerun} records`);
	expect(received).toBeGreaterThan(answeredAtKill); // in flight at the kill, stored anyway
	expect(received).toBeLessThan(N / PER_REQUEST); // never sent
	expect(storedBeforeRerun).toBe(received * PER_REQUEST);

	// A worker is back (a restarted pod): it finds the dead worker's job, and n8n marks the
	// execution failed instead of running it again.
	await q.addWorker(n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE), LOCK_ENV);
	const failed = await waitFor(
		'the killed execution to be marked failed',
		async () => (await executions()).find((e) => ['error', 'crashed'].includes(e.status)),
		3 * 60 * 1000,
	);
	log(`n8n marked execution ${failed.id} "${failed.status}" ${((Date.now() - tKill) / 1000).toFixed(1)} s after the kill`);
	const full = await api.get(`/rest/executions/${failed.id}`);
	const data = typeof full.data === 'string' ? flatted.parse(full.data) : full.data;
	expect(data.resultData.runData ?? {}).toEqual({});
	expect(data.resultData.error?.message).toMatch(/failed to be processed too many times and will no longer retry/);
	const firstAnswer = await first;
	log(`the webhook caller of run 1 got HTTP ${firstAnswer.status}`);
	// Not retried: a few seconds later still only run 1's requests, and no second execution.
	await n8n.sleep(3000);
	expect(bulkRequests()).toBe(received);
	expect(await executions()).toHaveLength(1);

	// Run 2, the same input: every record exactly once.
	await sandboxPost(sb, '/__sandbox/faults', { latencyMs: 0 });
	const second = await post();
	expect(second.status).toBe(200);
	expect(second.items).toHaveLength(N);
	const count = (outcome: string) => second.items.filter((j) => j.outcome === outcome).length;
	expect(count('already present')).toBe(storedBeforeRerun);
	expect(count('added')).toBe(N - storedBeforeRerun);
	const customers = Object.keys(sb.state().timePay.campaigns.camp_debt_demo.customers);
	expect(customers).toHaveLength(N);
	expect(new Set(customers)).toEqual(new Set(Array.from({ length: N }, (_, i) => `L${String(i).padStart(6, '0')}`)));
	expect(bulkRequests()).toBe(received + N / PER_REQUEST);
}, 10 * 60 * 1000);
