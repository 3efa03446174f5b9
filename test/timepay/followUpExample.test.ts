/**
 * examples/call-outcomes-follow-up.json, branch by branch through n8n's engine: an event arrives
 * at the example's TimePay Trigger over HTTP, and the branch's node — exactly as saved in the
 * example (parameters and typeVersion) — does its follow-up against the sandbox. (Remove
 * Duplicates and Switch are n8n-nodes-base nodes; the e2e suite runs the whole workflow in n8n.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { AcqueonLcmApi } from '../../credentials/AcqueonLcmApi.credentials';
import { KaptureCrmApi } from '../../credentials/KaptureCrmApi.credentials';
import { TimePayWebhookApi } from '../../credentials/TimePayWebhookApi.credentials';
import { AcqueonLcm } from '../../nodes/AcqueonLcm/AcqueonLcm.node';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import { TimePayTrigger } from '../../nodes/TimePay/TimePayTrigger.node';
import { basicCredentials } from '../acqueon/fixtures';
import { registerNode, runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { outputsOf, serveWebhookTrigger } from '../harness/triggers';
import { autoMap, debtRecord, timePayCredentials } from './fixtures';

registerNode('timePayTrigger', new TimePayTrigger(), { timePayWebhookApi: new TimePayWebhookApi() });
registerNode('kaptureCrm', new KaptureCrm(), { kaptureCrmApi: new KaptureCrmApi() });
registerNode('acqueonLcm', new AcqueonLcm(), { acqueonLcmApi: new AcqueonLcmApi() });

interface Node {
	name: string;
	type: string;
	typeVersion: number;
	parameters: IDataObject;
	credentials?: Record<string, unknown>;
}
const example = JSON.parse(readFileSync(join(__dirname, '../../examples/call-outcomes-follow-up.json'), 'utf8')) as { nodes: Node[]; pinData: Record<string, Array<{ json: IDataObject }>> };
const node = (name: string) => example.nodes.find((n) => n.name === name)!;
const trigger = node('TimePay Trigger');

const sb = useSandbox();
const SECRET = sandboxCredentials.timePay.webhookSecret;

async function branch(name: string, event: IDataObject) {
	const n = node(name);
	const t = await serveWebhookTrigger({
		type: 'timePayTrigger',
		parameters: trigger.parameters,
		credentials: {
			timePayWebhookApi: { secret: SECRET },
			...timePayCredentials(sb.current.url),
			kaptureCrmApi: { subdomain: 'acme', token: sandboxCredentials.kapture.token, baseUrl: `${sb.current.url}/kapture` },
			...basicCredentials(sb.current.url),
		},
		next: [{ type: n.type.split('.')[1], name, parameters: n.parameters, typeVersion: n.typeVersion, credentials: Object.keys(n.credentials ?? {}) }],
	});
	try {
		const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` }, body: JSON.stringify(event) });
		expect(res.status).toBe(200);
		await t.settled();
		expect(t.executions).toHaveLength(1);
		const run = t.executions[0];
		expect(run.data.resultData.error).toBeUndefined();
		return outputsOf(run)[name][0].map((i) => i.json);
	} finally {
		await t.close();
	}
}

const sample = (disposition: string) => example.pinData['TimePay Trigger'].find((i) => i.json.disposition === disposition)!.json.body as IDataObject;

test('the pinned sample events are what the trigger makes of their bodies', async () => {
	const t = await serveWebhookTrigger({ type: 'timePayTrigger', parameters: trigger.parameters, credentials: { timePayWebhookApi: { secret: SECRET } } });
	try {
		for (const pinned of example.pinData['TimePay Trigger']) {
			await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` }, body: JSON.stringify(pinned.json.body) });
		}
		await t.settled();
		const made = t.executions.map((r) => outputsOf(r).Trigger[0][0].json);
		const pinnedJson = example.pinData['TimePay Trigger'].map((i) => i.json);
		expect(made).toEqual(pinnedJson);
	} finally {
		await t.close();
	}
});

test('promise to pay → Kapture CRM updates the customer found by phone, with the promised date and the summary on an enquiry', async () => {
	const out = await branch('Kapture CRM: Promise to Pay', sample('Promise to Pay'));
	expect(out[0]).toMatchObject({ outcome: expect.stringMatching(/^(added|updated)$/) });
	const [customer] = sb.current.state().kapture.customers;
	expect(customer.info).toMatchObject({ customer_name: 'Asha Verma', phone: '9876543210', customer_code: 'LOAN-2025-1001' });
	expect(customer.enquiries[0]).toMatchObject({ next_follow_up_date: '2025-12-10' });
	expect(customer.enquiries[0].remarks).toContain('Customer agreed to pay the EMI and gave a date.');
});

test('already paid → TimePay Bulk Update marks the customer of that campaign paid', async () => {
	const added = await runNode({
		type: 'timePay',
		parameters: { resource: 'customer', operation: 'bulkAdd', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap },
		input: [debtRecord(0, { loan_id: 'LOAN-2025-1002' })],
		credentials: timePayCredentials(sb.current.url),
	});
	expect(added.error).toBeUndefined();
	const out = await branch('TimePay: Mark Paid', sample('Already Paid'));
	expect(out[0]).toMatchObject({ id: 'LOAN-2025-1002', outcome: 'updated' });
	expect(sb.current.state().timePay.campaigns.camp_debt_demo.customers['LOAN-2025-1002'].payment_status).toBe('paid');
});

test('no contact → Acqueon LCM creates a contact for a human agent with the number and the call outcome', async () => {
	const out = await branch('Acqueon LCM: Human Agent Callback', sample('No Answer'));
	expect(out[0]).toMatchObject({ outcome: 'created' });
	const contact = JSON.stringify(sb.current.state().acqueon.contacts[0]);
	for (const s of ['9876543212', 'LOAN-2025-1003', 'No Contact: No Answer', 'call_sample_003']) expect(contact).toContain(s);
});
