/**
 * TimePay Trigger (webhook): every delivery comes over HTTP into n8n-core's WebhookContext
 * (test/harness/triggers.ts); accepted ones start an execution through WorkflowExecute. Calls are
 * placed by the TimePay node and delivered by the sandbox, or posted by the test itself.
 */
import { TimePayWebhookApi } from '../../credentials/TimePayWebhookApi.credentials';
import { TimePayTrigger } from '../../nodes/TimePay/TimePayTrigger.node';
import { registerNode, runNode, testCredential } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import type { WebhookTrigger } from '../harness/triggers';
import { activateWebhookTrigger, outputsOf, serveWebhookTrigger } from '../harness/triggers';
import { autoMap, debtRecord, timePayCredentials } from './fixtures';

registerNode('timePayTrigger', new TimePayTrigger(), { timePayWebhookApi: new TimePayWebhookApi() });

const SECRET = 'whsec_9f2c41d7b8e04a6f';
const sb = useSandbox();
let trigger: WebhookTrigger | undefined;
afterEach(async () => {
	await trigger?.close();
	trigger = undefined;
});

async function serve(parameters: object = {}, more: Partial<Parameters<typeof serveWebhookTrigger>[0]> = {}) {
	trigger = await serveWebhookTrigger({
		type: 'timePayTrigger',
		parameters: parameters as never,
		credentials: { timePayWebhookApi: { secret: SECRET }, ...timePayCredentials(sb.current.url) },
		...more,
	});
	return trigger;
}

async function post(body: unknown, headers: Record<string, string> = { authorization: `Bearer ${SECRET}` }, raw?: string) {
	const res = await fetch(trigger!.url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: raw ?? JSON.stringify(body),
	});
	const text = await res.text();
	await trigger!.settled();
	return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

const sample = (over: object = {}) => ({
	event: 'Contacted',
	call_id: 'call_000123',
	name: 'Asha Verma',
	campaign_id: 'camp_debt_demo',
	campaign_name: 'EMI reminders',
	agent_id: 'agent_demo',
	loan_id: 'LOAN-000001',
	from: '+911140000000',
	to: '9810000002',
	direction: 'outbound',
	status: 'Contacted',
	disposition: 'Promise to Pay',
	disposition_id: 'disp_ptp',
	duration: 95,
	start_time: '2030-05-01T10:00:00.000Z',
	end_time: '2030-05-01T10:01:35.000Z',
	recording_id: 'rec_1',
	transcript_id: 'tr_1',
	summary: 'Customer agreed to pay on the 5th.',
	extracted_data: { promise_to_pay_date: '2030-05-05', emi_amount: 2500 },
	...over,
});

const triggerItems = () => trigger!.executions.map((run) => outputsOf(run).Trigger[0][0]);

async function control(path: string, body: unknown) {
	const res = await fetch(`${sb.current.url}/__sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	expect(res.status).toBe(200);
}
async function sandboxIdle() {
	for (let i = 0; i < 500; i++) {
		const idle = (await (await fetch(`${sb.current.url}/__sandbox/calls/idle`)).json()) as { idle: boolean };
		if (idle.idle) return await trigger!.settled();
		await new Promise((r) => setTimeout(r, 20));
	}
	throw new Error('sandbox deliveries did not finish');
}
async function placeCalls(n: number) {
	const res = await runNode({
		type: 'timePay',
		parameters: { resource: 'customer', operation: 'bulkAdd', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap, afterAdding: 'initiateCall', agentId: 'agent_demo', dispositionId: 'disp_demo' },
		input: Array.from({ length: n }, (_, i) => debtRecord(i)),
		credentials: timePayCredentials(sb.current.url),
	});
	expect(res.error).toBeUndefined();
}

describe('TimePay Trigger: calls placed in the sandbox come back as executions', () => {
	test('each delivered call event starts one execution with normalised fields and the body as sent', async () => {
		await serve();
		await control('/webhook', { url: trigger!.url, secret: SECRET });
		await placeCalls(5);
		await sandboxIdle();
		const logs = sb.current.state().timePay.calls.logs as any[];
		expect(logs).toHaveLength(5);
		expect(trigger!.executions).toHaveLength(5);
		const items = triggerItems();
		for (const log of logs) {
			const item = items.find((i) => i.json.callId === log.call_id)!;
			expect(item.json).toEqual({
				callId: log.call_id,
				event: log.status,
				channel: 'call',
				campaignId: 'camp_debt_demo',
				campaignName: log.campaign_name,
				customerId: log.loan_id,
				customerIdField: 'loan_id',
				name: log.name,
				phone: log.to,
				disposition: log.disposition,
				dispositionId: log.disposition_id,
				summary: log.summary,
				extractedData: log.extracted_data,
				startTime: log.start_time,
				endTime: log.end_time,
				durationSeconds: log.duration,
				agentId: 'agent_demo',
				recordingId: log.recording_id,
				transcriptId: log.transcript_id,
				dedupeKey: `${log.call_id}:${log.status}`,
				body: { event: log.status, ...log },
			});
		}
		expect(sb.current.state().timePay.calls.deliveries.every((d: any) => d.status === 200)).toBe(true);
		expect(JSON.stringify(trigger!.executions)).not.toContain(SECRET);
	});

	test('sandbox faults: a wrong secret is refused and the redelivery starts one execution; a repeat arrives with the same dedupeKey; out of order arrives whole', async () => {
		await serve();
		await control('/webhook', { url: trigger!.url, secret: SECRET, retryDelaysMs: [20] });
		await control('/webhook/faults', { faults: [{ type: 'wrongSecret' }, { type: 'repeat' }, { type: 'outOfOrder' }] });
		await control('/calls', { outcomes: [{ status: 'Contacted', disposition: 'Already Paid' }, { status: 'No Contact', disposition: 'Busy' }, { status: 'Failed', disposition: 'Call Failed' }] });
		await placeCalls(3);
		await sandboxIdle();
		const deliveries = sb.current.state().timePay.calls.deliveries as any[];
		expect(deliveries[0]).toMatchObject({ authorization: 'wrong', status: 401, attempt: 1 });
		expect(deliveries.slice(1).map((d) => [d.authorization, d.status, d.repeat]).sort()).toEqual([
			['right', 200, false],
			['right', 200, false],
			['right', 200, false],
			['right', 200, true],
		]);
		// 3 events, one of them delivered twice: 4 executions, 3 distinct keys. The trigger does not
		// drop the repeat (see the README): the dedupeKey is what Remove Duplicates keys on.
		const keys = triggerItems().map((i) => i.json.dedupeKey as string);
		expect(keys).toHaveLength(4);
		expect(new Set(keys).size).toBe(3);
		expect(trigger!.executions.every((r) => r.data.resultData.error === undefined)).toBe(true);
	});

	test('the loop in the engine: an "Already Paid" event marks the customer paid with TimePay Bulk Update', async () => {
		await serve(
			{ filters: { dispositions: 'Already Paid' } },
			{
				next: [
					{
						type: 'timePay',
						name: 'Mark Paid',
						parameters: { resource: 'customer', operation: 'bulkUpdate', campaignId: '={{ $json.campaignId }}', customerId: '={{ $json.customerId }}', updateFields: { payment_status: 'paid' } },
						credentials: ['timePayApi'],
					},
				],
			},
		);
		await control('/webhook', { url: trigger!.url, secret: SECRET });
		await control('/calls', { outcomes: [{ status: 'Contacted', disposition: 'Refused to Pay' }, { status: 'Contacted', disposition: 'Already Paid', dispositionId: 'disp_paid' }] });
		await placeCalls(2);
		await sandboxIdle();
		expect(trigger!.executions).toHaveLength(1);
		const out = outputsOf(trigger!.executions[0]);
		expect(out['Mark Paid'][0][0].json).toMatchObject({ id: 'LOAN-000001', outcome: 'updated' });
		const customers = sb.current.state().timePay.campaigns.camp_debt_demo.customers;
		expect([customers['LOAN-000000'].payment_status, customers['LOAN-000001'].payment_status]).toEqual(['pending', 'paid']);
	});
});

describe('TimePay Trigger: the secret comes first', () => {
	test.each([
		['no Authorization header', {}],
		['a wrong secret', { authorization: 'Bearer not-it' }],
		['the secret with another scheme', { authorization: `Basic ${SECRET}` }],
		['the secret without a scheme', { authorization: SECRET }],
		['a prefix of the secret', { authorization: `Bearer ${SECRET.slice(0, -1)}` }],
		['an empty Bearer', { authorization: 'Bearer ' }],
	])('%s → 401, no execution, no detail', async (_name, headers) => {
		await serve();
		const res = await post(sample(), headers as Record<string, string>);
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ message: 'Unauthorized: missing or wrong "Authorization: Bearer <secret>"' });
		expect(trigger!.executions).toHaveLength(0);
	});

	test('a body that is not JSON with a wrong secret is still a 401: the body is not read before the secret is checked', async () => {
		await serve();
		const res = await post(undefined, { authorization: 'Bearer nope' }, '{not json');
		expect(res.status).toBe(401);
	});

	test('the scheme is case-insensitive and surrounding spaces are ignored', async () => {
		await serve();
		expect((await post(sample(), { authorization: `bearer   ${SECRET}  ` })).status).toBe(200);
		expect(trigger!.executions).toHaveLength(1);
	});

	test('a credential whose secret is empty refuses every delivery', async () => {
		trigger = await serveWebhookTrigger({ type: 'timePayTrigger', parameters: {}, credentials: { timePayWebhookApi: { secret: '' } } });
		expect((await post(sample(), { authorization: 'Bearer ' })).status).toBe(401);
		expect((await post(sample(), {})).status).toBe(401);
		expect(trigger.executions).toHaveLength(0);
	});

	test('a secret pasted with "Bearer " in the credential still matches', async () => {
		trigger = await serveWebhookTrigger({ type: 'timePayTrigger', parameters: {}, credentials: { timePayWebhookApi: { secret: `Bearer ${SECRET}` } } });
		expect((await post(sample())).status).toBe(200);
	});

	test('the secret never reaches an output, even when the sender echoes it in the body', async () => {
		await serve();
		await post(sample({ summary: `token was ${SECRET}`, extracted_data: { [SECRET]: SECRET, notes: [`said ${SECRET}`, { again: SECRET }] } }));
		const json = JSON.stringify(trigger!.executions);
		expect(json).not.toContain(SECRET);
		expect(triggerItems()[0].json.summary).toBe('token was ***');
	});
});

describe('TimePay Trigger: bodies', () => {
	test.each([
		['malformed JSON', '{"call_id": ', /^The body is not JSON \(.+\): TimePay sends each call event as a JSON object$/],
		['an empty body', '', /^The body is empty/],
		['a JSON array', '[{"call_id":"c1"}]', /^The body is not a JSON object/],
		['a JSON string', '"call_1"', /^The body is not a JSON object/],
		['no call id', JSON.stringify({ event: 'Contacted', loan_id: 'L1' }), /^The body names no call: "call_id" is missing or empty$/],
		['an empty call id', JSON.stringify({ event: 'Contacted', call_id: '  ' }), /^The body names no call/],
	])('%s → 400 with a clear message, no execution', async (_name, raw, message) => {
		await serve();
		const res = await post(undefined, undefined, raw);
		expect(res.status).toBe(400);
		expect(res.body.message).toMatch(message);
		expect(trigger!.executions).toHaveLength(0);
	});

	test('JSON that starts with a byte-order mark is read as JSON', async () => {
		await serve();
		const res = await post(undefined, undefined, `\uFEFF${JSON.stringify(sample())}`);
		expect(res.status).toBe(200);
		expect(triggerItems()[0].json.callId).toBe('call_000123');
	});

	test('text/plain that is JSON is read as JSON', async () => {
		await serve();
		const res = await post(undefined, { authorization: `Bearer ${SECRET}`, 'content-type': 'text/plain' }, JSON.stringify(sample()));
		expect(res.status).toBe(200);
		expect(triggerItems()[0].json.callId).toBe('call_000123');
	});

	test('a body that wraps the call in "data" is read the same way; a lead carries lead_id', async () => {
		await serve();
		const call: Record<string, unknown> = sample();
		delete call.event;
		delete call.loan_id;
		await post({ event: 'no_contact', data: { ...call, lead_id: 'LEAD-7', status: 'No Contact' } });
		expect(triggerItems()[0].json).toMatchObject({ callId: 'call_000123', event: 'No Contact', customerId: 'LEAD-7', customerIdField: 'lead_id', dedupeKey: 'call_000123:No Contact' });
		expect(triggerItems()[0].json.body).toMatchObject({ event: 'no_contact', data: { lead_id: 'LEAD-7' } });
	});

	test('without "event", the status names the event; missing fields are null, not absent', async () => {
		await serve();
		await post({ call_id: 'c-9', status: 'FAILED' });
		expect(triggerItems()[0].json).toEqual({
			callId: 'c-9', event: 'Failed', channel: 'call', campaignId: null, campaignName: null, customerId: null, customerIdField: null,
			name: null, phone: null, disposition: null, dispositionId: null, summary: null, extractedData: {}, startTime: null, endTime: null,
			durationSeconds: null, agentId: null, recordingId: null, transcriptId: null, dedupeKey: 'c-9:Failed', body: { call_id: 'c-9', status: 'FAILED' },
		});
	});

	test('an accepted delivery is answered 200 at once, with no body; the same event twice starts two executions with one dedupeKey', async () => {
		await serve();
		const a = await post(sample());
		const b = await post(sample());
		expect([a.status, a.text, b.status]).toEqual([200, '', 200]);
		expect(triggerItems().map((i) => i.json.dedupeKey)).toEqual(['call_000123:Contacted', 'call_000123:Contacted']);
	});
});

describe('TimePay Trigger: filters answer 200 and start nothing', () => {
	const cases: Array<[string, object, object, boolean]> = [
		['event selected', { events: ['Contacted'] }, {}, true],
		['event not selected', { events: ['No Contact', 'Failed'] }, {}, false],
		['"no contact" spelled another way', { events: ['No Contact'] }, { event: 'NO_CONTACT' }, true],
		['WhatsApp event, WhatsApp selected', { events: ['whatsapp'] }, { type: 'whatsapp', event: 'Delivered', call_id: undefined, message_id: 'wamid.1' }, true],
		['WhatsApp event, only calls selected', { events: ['Contacted', 'No Contact', 'Failed'] }, { type: 'whatsapp', event: 'Contacted' }, false],
		['call event, only WhatsApp selected', { events: ['whatsapp'] }, {}, false],
		['another call event, "Any Other Event" selected', { events: ['other'] }, { event: 'Completed' }, true],
		['a known event, only "Any Other Event" selected', { events: ['other'] }, {}, false],
		['campaign listed', { filters: { campaignIds: 'camp_x, camp_debt_demo' } }, {}, true],
		['campaign not listed', { filters: { campaignIds: 'camp_x' } }, {}, false],
		['campaign from an expression (array)', { filters: { campaignIds: '={{ ["camp_debt_demo"] }}' } }, {}, true],
		['disposition by name, any case', { filters: { dispositions: 'promise to pay' } }, {}, true],
		['disposition by ID', { filters: { dispositions: 'disp_ptp' } }, {}, true],
		['disposition not listed', { filters: { dispositions: 'Already Paid, disp_paid' } }, {}, false],
		['all filters pass together', { events: ['Contacted'], filters: { campaignIds: 'camp_debt_demo', dispositions: 'Promise to Pay' } }, {}, true],
		['one filter of three fails', { events: ['Contacted'], filters: { campaignIds: 'camp_debt_demo', dispositions: 'Busy' } }, {}, false],
	];
	test.each(cases)('%s', async (_name, parameters, over, passes) => {
		await serve(parameters);
		const res = await post(sample(over));
		expect(res.status).toBe(200);
		expect(trigger!.executions).toHaveLength(passes ? 1 : 0);
		if (!passes) expect(res.body).toMatchObject({ received: true, started: false, reason: expect.stringMatching(/^Filtered out: /) });
	});

	test('a WhatsApp event normalises with channel "whatsapp" and the message id', async () => {
		await serve();
		await post({ type: 'whatsapp', event: 'Replied', message_id: 'wamid.7', loan_id: 'LOAN-1', campaign_id: 'camp_debt_demo' });
		expect(triggerItems()[0].json).toMatchObject({ callId: 'wamid.7', event: 'Replied', channel: 'whatsapp', customerId: 'LOAN-1', dedupeKey: 'wamid.7:Replied' });
	});
});

describe('TimePay Trigger: editor', () => {
	test('"Listen for test event" (manual mode) runs the same checks', async () => {
		await serve({}, { mode: 'manual' });
		expect((await post(sample(), {})).status).toBe(401);
		expect((await post(sample())).status).toBe(200);
		expect(trigger!.executions).toHaveLength(1);
	});

	test('publishing refuses a secret that cannot protect the URL; a good one activates', async () => {
		const activate = (secret: string) => activateWebhookTrigger({ type: 'timePayTrigger', parameters: {}, credentials: { timePayWebhookApi: { secret } } });
		await expect(activate('')).rejects.toThrow('The webhook secret is empty: TimePay deliveries could not be checked');
		await expect(activate('abc')).rejects.toThrow(/has 3 characters/);
		expect(await activate(SECRET)).toEqual({ created: true });
	});

	test('the credential test checks the secret is usable', async () => {
		const t = (secret: string) => testCredential('timePayTrigger', 'timePayWebhookApi', { secret });
		expect(await t('')).toEqual({ status: 'Error', message: 'The webhook secret is empty' });
		expect((await t('short')).message).toMatch(/has 5 characters; use at least 16/);
		expect((await t('has a space in it!!')).message).toMatch(/spaces/);
		expect(await t(SECRET)).toEqual({ status: 'OK', message: 'The secret is usable. Give the same value to TimePay.' });
		expect((await t(`Bearer ${SECRET}`)).message).toMatch(/"Bearer " is not part of the secret/);
	});

});
