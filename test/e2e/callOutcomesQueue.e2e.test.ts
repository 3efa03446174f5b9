/**
 * The call-outcome loop in queue mode, as users scale webhook intake: PostgreSQL + Redis, a main
 * process that serves no production webhooks (N8N_DISABLE_PRODUCTION_MAIN_PROCESS), an
 * `n8n webhook` process that receives TimePay's deliveries and queues them, and a worker that runs
 * them. Same results as in regular mode: one execution per event, no second follow-up for a
 * repeat, 401 and no execution for a wrong secret.
 */
import * as loop from './callOutcomes';
import { creds, n8n, queue, sandboxPost, startSandbox } from './helpers';
import type { Json, Sandbox } from './helpers';

let sb: Sandbox;
let q: Json;
let webhook: Json;
let api: Json;
let url: string;

beforeAll(async () => {
	sb = await startSandbox();
	const mainFolder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	const workerFolder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	const webhookFolder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	q = await queue.startQueue({
		mainFolder,
		workerFolders: [workerFolder],
		concurrency: 5,
		mainEnv: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		log: (m: string) => process.stderr.write(`[queue] ${m}\n`),
		prepare: async (env: Json) => {
			await n8n.importCredentials(mainFolder, creds.sandboxCredentials(sb.url), { env });
			await n8n.importWorkflows(mainFolder, loop.followUpExample(), { env });
			await n8n.n8nCliOk(mainFolder, ['publish:workflow', `--id=${loop.FOLLOW_UP_ID}`], { env });
		},
	});
	webhook = await queue.startWebhookProcess(webhookFolder, q.env, { after: q.main.port });
	api = await n8n.login(q.url);
	url = loop.productionUrl(webhook.url);
	await loop.waitRegistered(url);
}, 10 * 60 * 1000);

afterAll(async () => {
	await webhook?.stop();
	await q?.stop();
	await sb?.close();
});

beforeEach(async () => await loop.freshSandbox(sb, url));

const count = async () => (await loop.executionsOf(api, loop.FOLLOW_UP_ID)).total;

test('the main process does not serve the production URL: the webhook process does', async () => {
	const onMain = await loop.deliver(loop.productionUrl(q.url), { event: 'Contacted', call_id: 'c' });
	expect(onMain.status).toBe(404);
	expect((await loop.deliver(url, { event: 'Contacted', call_id: 'c' }, 'wrong')).status).toBe(401);
});

test('each event one execution, run by the worker; the follow-ups reach the sandbox', async () => {
	const before = await count();
	const finishedBefore = queue.workerFinishedExecutions(q.workers[0]).length;
	const records = await loop.placeCalls(sb, [loop.OUTCOMES.promise, loop.OUTCOMES.paid, loop.OUTCOMES.noAnswer, loop.OUTCOMES.failed], 'Q');
	await loop.sandboxIdle(sb);
	expect((sb.state().timePay.calls.deliveries as Json[]).map((d) => d.status)).toEqual([200, 200, 200, 200]);
	const list = await loop.settledExecutions(api, loop.FOLLOW_UP_ID, before + 3);
	expect(list.total - before).toBe(3);
	expect(list.slice(0, 3).every((e) => e.status === 'success')).toBe(true);
	expect(queue.workerFinishedExecutions(q.workers[0]).length - finishedBefore).toBeGreaterThanOrEqual(3);

	const state = sb.state();
	expect(state.kapture.customers.map((c: Json) => [c.info.phone, c.enquiries[0]?.next_follow_up_date])).toEqual([[records[0].phone_number, '2031-01-10']]);
	const customers = state.timePay.campaigns.camp_debt_demo.customers;
	expect(records.map((r) => customers[r.loan_id].payment_status)).toEqual(['pending', 'paid', 'pending', 'pending']);
	expect(state.acqueon.contactCount).toBe(1);
	expect(JSON.stringify(state.acqueon.contacts[0])).toContain(records[2].phone_number);
	for (const log of [webhook.logs(), q.main.logs(), q.workers[0].logs()]) expect(log).not.toContain(loop.WEBHOOK_SECRET);
});

test('a repeated delivery: a second execution, no second follow-up (Remove Duplicates keeps its memory in PostgreSQL)', async () => {
	await sandboxPost(sb, '/__sandbox/webhook/faults', { faults: [{ type: 'repeat' }] });
	const before = await count();
	await loop.placeCalls(sb, [loop.OUTCOMES.noAnswer], 'QR');
	await loop.sandboxIdle(sb);
	await loop.settledExecutions(api, loop.FOLLOW_UP_ID, before + 2);
	expect(sb.state().acqueon.contactCount).toBe(1);
});

test('a wrong secret: 401, no execution; the redelivery with the right one runs once', async () => {
	const before = await count();
	expect((await loop.deliver(url, { event: 'No Contact', call_id: 'forged', to: '9876500000' }, 'wrong')).status).toBe(401);
	await n8n.sleep(1000);
	expect(await count()).toBe(before);
	await sandboxPost(sb, '/__sandbox/webhook/faults', { faults: [{ type: 'wrongSecret' }] });
	await loop.placeCalls(sb, [loop.OUTCOMES.noAnswer], 'QS');
	await loop.sandboxIdle(sb);
	expect((sb.state().timePay.calls.deliveries as Json[]).map((d) => d.status)).toEqual([401, 200]);
	await loop.settledExecutions(api, loop.FOLLOW_UP_ID, before + 1);
	await n8n.sleep(500);
	expect(await count()).toBe(before + 1);
	expect(sb.state().acqueon.contactCount).toBe(1);
});
