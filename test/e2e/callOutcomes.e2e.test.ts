/**
 * The loop in a real n8n: examples/call-outcomes-follow-up.json is published in `n8n start`, the
 * sandbox places calls and posts each outcome to the trigger's production URL with the secret,
 * and the follow-ups reach the sandbox's Kapture CRM, TimePay and Acqueon LCM.
 */
import {
	deliver,
	executionData,
	executionsOf,
	FOLLOW_UP_ID,
	followUpExample,
	freshSandbox,
	itemsOf,
	OUTCOMES,
	placeCalls,
	productionUrl,
	sandboxIdle,
	settledExecutions,
	waitRegistered,
	WEBHOOK_SECRET,
} from './callOutcomes';
import { creds, n8n, sandboxPost, startSandbox } from './helpers';
import type { Json, Sandbox } from './helpers';

const WEAK_ID = 'e2eWeakSecret001';
function weakSecretWorkflow(): Json {
	const wf = JSON.parse(JSON.stringify(followUpExample())) as Json;
	const trigger = (wf.nodes as Json[]).find((n) => n.name === 'TimePay Trigger')!;
	trigger.webhookId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
	trigger.credentials = { timePayWebhookApi: { id: 'weakWebhookSec01', name: 'weak secret' } };
	return { ...wf, id: WEAK_ID, name: 'follow-up with a weak secret' };
}

let sb: Sandbox;
let h: Json;
let api: Json;
let url: string;

beforeAll(async () => {
	sb = await startSandbox();
	const folder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	await n8n.importCredentials(folder, creds.sandboxCredentials(sb.url));
	await n8n.importWorkflows(folder, followUpExample());
	await n8n.n8nCliOk(folder, ['publish:workflow', `--id=${FOLLOW_UP_ID}`]);
	// The same workflow with a weak secret: its activation must fail, so it never answers 401 to all.
	await n8n.importCredentials(folder, [{ id: 'weakWebhookSec01', name: 'weak secret', type: 'timePayWebhookApi', data: { secret: 'short' } }]);
	await n8n.importWorkflows(folder, weakSecretWorkflow());
	await n8n.n8nCliOk(folder, ['publish:workflow', `--id=${WEAK_ID}`]);
	h = await n8n.startN8n(folder, { env: n8n.ownerEnv() });
	api = await n8n.login(h.url);
	url = productionUrl(h.url);
	await waitRegistered(url);
}, 5 * 60 * 1000);

afterAll(async () => {
	await h?.stop();
	await sb?.close();
});

beforeEach(async () => await freshSandbox(sb, url));

test('a workflow whose webhook secret is too weak is not activated: its URL is not served, and n8n logs why', async () => {
	const weakUrl = productionUrl(h.url, weakSecretWorkflow());
	// n8n reports the trigger's activation failure with the node's reason, without the secret.
	// (n8n stores a workflow's webhooks before it runs the node's create check, so for a moment
	// during activation the URL answers; once the check has failed, it is gone.)
	const reason = /The webhook secret has 5 characters; use at least 16 .*: TimePay deliveries could not be checked/;
	for (let i = 0; i < 60 && !reason.test(h.logs()); i++) await n8n.sleep(1000);
	expect(h.logs()).toMatch(reason);
	expect(h.logs()).not.toMatch(/\bshort\b/);
	expect((await deliver(weakUrl, { event: 'Contacted', call_id: 'c1' })).status).toBe(404);
	await n8n.sleep(2000);
	expect((await deliver(weakUrl, { event: 'Contacted', call_id: 'c1' })).status).toBe(404);
});

const count = async () => (await executionsOf(api, FOLLOW_UP_ID)).total;

test('each call outcome starts one execution and its follow-up reaches the right system with the call\'s data', async () => {
	const before = await count();
	const { promise, paid, noAnswer, failed, refused } = OUTCOMES;
	const records = await placeCalls(sb, [promise, paid, noAnswer, failed, refused], 'E2E');
	await sandboxIdle(sb);
	const state = sb.state();
	const deliveries = state.timePay.calls.deliveries as Json[];
	expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
	// The trigger listens to Contacted and No Contact: the Failed call is answered 200 and starts nothing.
	const list = await settledExecutions(api, FOLLOW_UP_ID, before + 4);
	expect(list.total - before).toBe(4);
	expect(list.slice(0, 4).every((e) => e.status === 'success' && e.mode === 'webhook')).toBe(true);

	// Promise to pay → Kapture CRM: the customer, by phone, with the date and the summary on an enquiry.
	const after = sb.state().kapture as Json;
	expect(after.customerCount).toBe(1);
	const customer = after.customers[0];
	expect(customer.info).toMatchObject({ customer_name: 'Asha E2E 0', phone: records[0].phone_number, customer_code: 'E2E-0' });
	expect(customer.enquiries).toHaveLength(1);
	expect(customer.enquiries[0]).toMatchObject({ next_follow_up_date: '2031-01-10' });
	expect(String(customer.enquiries[0].remarks)).toContain('Will pay on the 10th.');

	// Already paid → TimePay Bulk Update: payment_status paid, the others untouched.
	const customers = sb.state().timePay.campaigns.camp_debt_demo.customers;
	expect(records.map((r) => customers[r.loan_id].payment_status)).toEqual(['pending', 'paid', 'pending', 'pending', 'pending']);

	// No contact → Acqueon LCM: a contact for a human agent with the number and the call's outcome.
	const acqueon = sb.state().acqueon as Json;
	expect(acqueon.contactCount).toBe(1);
	expect(JSON.stringify(acqueon.contacts[0])).toContain(records[2].phone_number);
	expect(JSON.stringify(acqueon.contacts[0])).toContain('E2E-2');

	// The executions hold the normalised event, and no secret.
	const data = await executionData(api, String(list[0].id));
	const [event] = itemsOf(data, 'TimePay Trigger');
	expect(event).toMatchObject({ campaignId: 'camp_debt_demo', channel: 'call' });
	expect(event.dedupeKey).toBe(`${event.callId}:${event.event}`);
	for (const e of list.slice(0, 4)) expect(JSON.stringify(await executionData(api, String(e.id)))).not.toContain(WEBHOOK_SECRET);
	expect(h.logs()).not.toContain(WEBHOOK_SECRET);
});

test('a repeated delivery of one event starts a second execution, but no second follow-up', async () => {
	await sandboxPost(sb, '/__sandbox/webhook/faults', { faults: [{ type: 'repeat' }] });
	const before = await count();
	await placeCalls(sb, [OUTCOMES.noAnswer], 'REP');
	await sandboxIdle(sb);
	const deliveries = sb.state().timePay.calls.deliveries as Json[];
	expect(deliveries.map((d) => [d.status, d.repeat])).toEqual([
		[200, false],
		[200, true],
	]);
	const list = await settledExecutions(api, FOLLOW_UP_ID, before + 2);
	expect(list.total - before).toBe(2);
	expect(sb.state().acqueon.contactCount).toBe(1);
	// The second execution stopped at Remove Duplicates.
	const [newest] = list;
	const older = list[1];
	const passed = await Promise.all([newest, older].map(async (e) => itemsOf(await executionData(api, String(e.id)), 'Remove Duplicates').length));
	expect(passed.sort()).toEqual([0, 1]);
});

test('the same event delivered again long after the first (by hand): still one follow-up', async () => {
	const before = await count();
	await placeCalls(sb, [OUTCOMES.paid], 'LATE');
	await sandboxIdle(sb);
	await settledExecutions(api, FOLLOW_UP_ID, before + 1);
	const log = (sb.state().timePay.calls.logs as Json[])[0];
	const again = await deliver(url, { event: log.status, ...log });
	expect(again.status).toBe(200);
	await settledExecutions(api, FOLLOW_UP_ID, before + 2);
	const requests = (sb.state().requests as Json[]).filter((r) => r.method === 'PUT' && String(r.path).endsWith('/customer-data/bulk'));
	expect(requests).toHaveLength(1);
});

test('a wrong or missing secret gets 401 and starts no execution; after a 401 TimePay delivers again and that one runs', async () => {
	const before = await count();
	const body = { event: 'No Contact', call_id: 'call_forged', loan_id: 'X-1', to: '9876500000', disposition: 'No Answer' };
	expect((await deliver(url, body, 'not-the-secret')).status).toBe(401);
	expect((await deliver(url, body, '')).status).toBe(401);
	expect((await deliver(url, '{not json')).status).toBe(400);
	expect((await deliver(url, { event: 'No Contact' })).status).toBe(400);
	await n8n.sleep(1000);
	expect(await count()).toBe(before);
	expect(sb.state().acqueon.contactCount).toBe(0);

	await sandboxPost(sb, '/__sandbox/webhook/faults', { faults: [{ type: 'wrongSecret' }] });
	await placeCalls(sb, [OUTCOMES.noAnswer], 'SEC');
	await sandboxIdle(sb);
	const deliveries = sb.state().timePay.calls.deliveries as Json[];
	expect(deliveries.map((d) => [d.authorization, d.status])).toEqual([
		['wrong', 401],
		['right', 200],
	]);
	await settledExecutions(api, FOLLOW_UP_ID, before + 1);
	expect(await count()).toBe(before + 1);
	expect(sb.state().acqueon.contactCount).toBe(1);
});
