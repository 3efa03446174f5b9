import { AcqueonLcmApi } from '../../credentials/AcqueonLcmApi.credentials';
import { AcqueonLcm } from '../../nodes/AcqueonLcm/AcqueonLcm.node';
import { registerNode, runNode } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import { basicCredentials, bearerCredentials, createParams, GATEWAY_PATH, person, SECRETS } from './fixtures';

registerNode('acqueonLcm', new AcqueonLcm(), { acqueonLcmApi: new AcqueonLcmApi() });

const sb = useSandbox();
const contacts = () => sb.current.state().acqueon.contacts as Array<Record<string, any>>;
const posts = () => (sb.current.state().requestCounts[`POST ${GATEWAY_PATH}`] ?? 0) as number;
/** Campaign per item: "Nope" is unknown to the gateway. */
const byItemCampaign = createParams({ campaignId: '={{ $json.campaign }}', options: { concurrency: 1 } });

function expectNoSecrets(value: unknown) {
	const text = JSON.stringify(value);
	for (const s of SECRETS) expect(text).not.toContain(s);
}

describe('Acqueon LCM gateway answers', () => {
	test("a refused message fails the node with the gateway's own text", async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({ campaignId: 'Nope' }),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error?.message).toBe("Item 0: Acqueon LCM answered 400: Campaign 'Nope' does not exist");
		expect(res.error?.httpCode).toBe('400');
		expect(contacts()).toHaveLength(0);
		expectNoSecrets(res.error);
	});

	test('continue on fail: the failed item is an error item paired to its input, the others are created', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: byItemCampaign,
			input: [person(1, { campaign: 'SandboxCampaign' }), person(2, { campaign: 'Nope' }), person(3, { campaign: 'Collections_Q4' })],
			credentials: basicCredentials(sb.current.url),
			continueOnFail: true,
		});
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		// n8n rewrites a continue-on-fail error item as { error, message, details: { outcome, ... } }.
		expect(out.map((o) => o.json.outcome ?? (o.json.details as any)?.outcome)).toEqual(['created', 'rejected', 'created']);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[1].json.error).toBe("Item 1: Acqueon LCM answered 400: Campaign 'Nope' does not exist");
		expect(out[2].json.lcmKey).toBe('78|1|19|0|0|85|0');
		expect(contacts()).toHaveLength(2);
		expectNoSecrets(res.outputs);
	});

	test('error output: failures go to the second output with their pairedItem; invalid items are never sent', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: byItemCampaign,
			input: [
				person(1, { campaign: 'Nope' }),
				person(2, { campaign: 'SandboxCampaign' }),
				person(3, { campaign: 'SandboxCampaign', phone: '' }),
			],
			credentials: bearerCredentials(sb.current.url),
			onError: 'continueErrorOutput',
		});
		expect(res.error).toBeUndefined();
		const [ok, failed] = res.outputs;
		expect(ok.map((o) => [o.json.outcome, o.pairedItem])).toEqual([['created', { item: 1 }]]);
		expect(failed.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(failed[0].json.error).toContain("Campaign 'Nope' does not exist");
		expect(failed[1].json.error).toContain('Item 2');
		expect(failed[1].json.error).toContain('Modes.Home.Cvalue');
		expect(posts()).toBe(2);
		expectNoSecrets(res.outputs);
	});

	test('an answer that is not a CreateContactResponse is an error for the item, with the gateway text', async () => {
		sb.current.setFaults({
			faults: [
				{
					type: '200',
					path: '/acqueon',
					body: { channel: 'LCM', topic: 'WebService', subtopic: ' AddComplianceResponse', message: { response: 'Compliance added' } },
				},
			],
		});
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams(),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
			continueOnFail: true,
		});
		const [item] = res.outputs[0];
		expect((item.json.details as any).outcome).toBe('rejected');
		expect(item.json.error).toBe('Item 0: Acqueon LCM answered 200: The answer has subtopic "AddComplianceResponse", not CreateContactResponse: Compliance added');
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	test.each([
		[{ channel: 'LCM', topic: 'WebService', subtopic: 'CreateContactResponse', message: { error: 'Agent is not logged in' } }, 'Agent is not logged in'],
		[{ channel: 'LCM', topic: 'WebService', subtopic: 'CreateContactResponse', message: { response: 'Error: duplicate contact' } }, 'Error: duplicate contact'],
		[{ channel: 'LCM', topic: 'WebService', subtopic: 'CreateContactResponse', message: { response: '' } }, 'carries no LCM key'],
		[{ channel: 'LCM', topic: 'WebService', subtopic: 'CreateContactResponse', message: '{"error":"Campaign is stopped"}' }, 'Campaign is stopped'],
		[{ ok: true }, 'has no subtopic'],
	])('a 200 answer %j is an error: %s', async (body, text) => {
		sb.current.setFaults({ faults: [{ type: '200', path: '/acqueon', body }] });
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams(),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error?.message).toContain('Acqueon LCM answered 200');
		expect(res.error?.message).toContain(text);
	});

	test('a message key as a JSON string and a padded subtopic are still read', async () => {
		sb.current.setFaults({
			faults: [{ type: '200', path: '/acqueon', body: { subtopic: ' CreateContactResponse ', message: '{"response":"90|2|5|0|0|7|0"}' } }],
		});
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams(),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.outputs[0][0].json).toMatchObject({ lcmKey: '90|2|5|0|0|7|0', lcmKeyParts: ['90', '2', '5', '0', '0', '7', '0'] });
	});

	test.each([
		['basic', basicCredentials, { password: 'wrong-password' }],
		['bearer', bearerCredentials, { token: 'wrong-token-value' }],
	] as const)('bad %s credentials: 401 with a hint, and no secret anywhere', async (_mode, make, bad) => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams(),
			input: [person(1)],
			credentials: make(sb.current.url, bad),
		});
		expect(res.error?.message).toBe('Item 0: Acqueon LCM answered 401: Unauthorized: invalid or missing credentials');
		expect(res.error?.description).toContain('Check the user name and password');
		expectNoSecrets(res.error);
		expect(JSON.stringify(res.error)).not.toContain(Object.values(bad)[0]);
		expect(JSON.stringify(res.run.data.resultData)).not.toContain(Object.values(bad)[0]);
	});

	test('a plain-http gateway that is not loopback is refused before sending', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams(),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url, { gatewayUrl: 'http://lcm.example.com/lcm/messages' }),
		});
		expect(res.error?.message).toContain("Gateway URL must use https");
	});
});

describe('Acqueon LCM retries (Create Contact is not idempotent)', () => {
	test('a 429 is retried (the message was not applied) and creates exactly one contact', async () => {
		sb.current.setFaults({ faults: [{ type: '429', times: 1, retryAfter: 0, path: '/acqueon' }] });
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams(),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json.outcome).toBe('created');
		expect(posts()).toBe(2);
		expect(contacts()).toHaveLength(1);
	});

	test('a 503 with Retry-After is retried; a 500 is not', async () => {
		sb.current.setFaults({ faults: [{ type: '503', times: 1, retryAfter: 0, path: '/acqueon' }] });
		const ok = await runNode({ type: 'acqueonLcm', parameters: createParams(), input: [person(1)], credentials: basicCredentials(sb.current.url) });
		expect(ok.error).toBeUndefined();
		expect(posts()).toBe(2);
		sb.current.reset();
		sb.current.setFaults({ faults: [{ type: '500', times: 1, path: '/acqueon', body: { message: { error: 'LCM database unavailable' } } }] });
		const failed = await runNode({ type: 'acqueonLcm', parameters: createParams(), input: [person(1)], credentials: basicCredentials(sb.current.url) });
		expect(failed.error?.message).toBe('Item 0: Acqueon LCM answered 500: LCM database unavailable');
		expect(posts()).toBe(1);
		expect(contacts()).toHaveLength(0);
	});

	test('a connection reset after the gateway applied the message is NOT retried: exactly one contact', async () => {
		sb.current.setFaults({ faults: [{ type: 'resetAfter', times: 1, path: '/acqueon' }] });
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams(),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
			continueOnFail: true,
		});
		const [item] = res.outputs[0];
		expect((item.json.details as any).outcome).toBe('rejected');
		expect(item.json.error).toContain('Could not reach Acqueon LCM');
		expect(JSON.stringify(item.json)).toContain('Not retried');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(posts()).toBe(1);
		expect(contacts()).toHaveLength(1);
		expectNoSecrets(res.outputs);
	});
});

describe('Acqueon LCM options', () => {
	test('validate only: nothing is sent; each item says what would be sent or every problem found', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({ options: { validateOnly: true } }),
			input: [person(1), person(2, { phone: '' })],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error).toBeUndefined();
		const [valid, invalid] = res.outputs[0];
		expect(valid.json.outcome).toBe('valid');
		expect(valid.json.wouldSend).toMatchObject({
			channel: 'LCM',
			topic: 'WebService',
			subtopic: 'CreateContact',
			source: 'n8n-test',
			data: { CampaignID: 'SandboxCampaign', callStartDateTime: '24/10/2025 07:33', Status: 4 },
		});
		expect(invalid.json.outcome).toBe('invalid');
		expect(String((invalid.json.problems as string[])[0])).toContain('Modes.Home.Cvalue');
		expect(invalid.pairedItem).toEqual({ item: 1 });
		expect(sb.current.state().requests).toHaveLength(0);
		expectNoSecrets(res.outputs);
	});

	test('concurrency is a real bound on requests in flight', async () => {
		sb.current.setFaults({ latencyMs: 60 });
		const input = Array.from({ length: 8 }, (_, i) => person(i + 1));
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({ options: { concurrency: 2 } }),
			input,
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error).toBeUndefined();
		expect(res.outputs[0]).toHaveLength(8);
		expect(res.outputs[0].map((o) => o.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		expect(new Set(res.outputs[0].map((o) => o.json.lcmKey)).size).toBe(8);
		expect(sb.current.state().peakInFlight).toBe(2);
	});

	test('status, call type and the optional fields are sent as given', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({
				callType: '1',
				status: 0,
				isAccountNumber: false,
				additionalFields: {
					priority: 5,
					agentId: 'agent-7',
					smsData: 'Your EMI is due',
					mailSubject: 'Reminder',
					mailMsg: 'Dear customer,\nyour EMI is due.',
					mailAttachment: 'C:\\attachments\\notice.pdf',
					zipCode: '560001',
					listId: 12,
				},
			}),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error).toBeUndefined();
		expect(contacts()[0].data).toMatchObject({
			Calltype: '1',
			Status: 0,
			IsAccountNumber: false,
			priority: 5,
			AgentID: 'agent-7',
			SMSData: 'Your EMI is due',
			MailSubject: 'Reminder',
			MailMsg: 'Dear customer,\nyour EMI is due.',
			MailAttachment: 'C:\\attachments\\notice.pdf',
			ZipCode: '560001',
			ListID: 12,
		});
		expect(res.outputs[0][0].json.lcmKey).toBe('77|12|18|0|0|84|0');
	});

	test('the node is usable as an AI tool and defaults Status to 4 with a description saying why', () => {
		const node = new AcqueonLcm();
		expect(node.description.usableAsTool).toBe(true);
		const status = node.description.properties.find((p) => p.name === 'status')!;
		expect(status.default).toBe(4);
		expect(status.description).toContain('keeps the new contact away from the dialer');
	});
});
