import type { IDataObject } from 'n8n-workflow';

import { runNode, testCredential } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { autoMap, debtRecord, timePayCredentials } from './fixtures';

const sb = useSandbox();
const creds = () => timePayCredentials(sb.current.url);
const run = (parameters: object, input: object[], more: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({ type: 'timePay', parameters: parameters as never, input: input as never, credentials: creds(), ...more });
const seed = (n: number, overrides: (i: number) => IDataObject = () => ({})) =>
	run({ resource: 'customer', operation: 'bulkAdd', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap }, Array.from({ length: n }, (_, i) => debtRecord(i, overrides(i))));
const campaign = () => sb.current.state().timePay.campaigns.camp_debt_demo;
const initiate = { resource: 'call', operation: 'initiate', campaignId: 'camp_debt_demo', agentId: 'agent_demo', dispositionId: 'disp_demo' };

describe('TimePay Call → Initiate', () => {
	test('chains from Bulk Add without a Code node: one request with the ids of the added items, rejected ones skipped', async () => {
		const res = await runNode({
			type: 'timePay',
			parameters: { resource: 'customer', operation: 'bulkAdd', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap },
			input: [debtRecord(1), debtRecord(2, { phone_number: 'x' }), debtRecord(3)],
			credentials: creds(),
			next: [{ type: 'timePay', name: 'Call', parameters: initiate }],
		});
		expect(res.error).toBeUndefined();
		const [call, skipped] = res.byNode.Call[0];
		expect(call.json).toMatchObject({ campaignId: 'camp_debt_demo', outcome: 'initiated', message: 'Calls initiated for 2 customers', customersSelected: 2, initiated: 2, ids: 2 });
		expect(call.pairedItem).toEqual([{ item: 0 }, { item: 2 }]);
		// The rejected record is not called, and still has an item of its own.
		expect(skipped.json).toEqual({ id: 'LOAN-000002', outcome: 'skipped', message: 'Not called: the record was rejected upstream' });
		expect(skipped.pairedItem).toEqual({ item: 1 });
		expect(res.byNode.Call[0]).toHaveLength(2);
		expect(campaign().calls).toEqual(['LOAN-000001', 'LOAN-000003']);
		const sent = sb.current.state().requests.filter((r: { path: string }) => r.path.includes('/initiate/'));
		expect(sent).toHaveLength(1);
	});

	test('per item, with filters (payment status multi-select, language, custom JSON, exclude ids, limit)', async () => {
		await seed(6, (i) => ({ payment_status: i % 2 ? 'bounced' : 'pending', language: i < 3 ? 'hindi' : 'tamil', branch: i === 4 ? 'Pune' : 'Delhi' }));
		const res = await run(
			{ ...initiate, requestMode: 'perItem', callLimit: 5, filters: { payment_status: ['bounced'], language: 'hindi, tamil', exclude_ids: 'LOAN-000005' } },
			[{}],
		);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json).toMatchObject({ outcome: 'initiated', totalMatched: 2, customersSelected: 2 });
		expect(campaign().calls).toEqual(['LOAN-000001', 'LOAN-000003']);
	});

	test('207: some calls failed → "partially initiated" with the errors', async () => {
		await seed(2, (i) => (i === 1 ? { phone_number: '9876000000' } : {}));
		const res = await run({ ...initiate, requestMode: 'perItem' }, [{}]);
		expect(res.outputs[0][0].json).toMatchObject({ outcome: 'partially initiated', initiated: 1, failed: 1, errors: [{ id: 'LOAN-000001', error: "Invalid phone number for customer 'LOAN-000001'" }] });
	});

	test.each([
		[{ campaignId: 'camp_debt_demo', filters: { ids: 'NOPE-1' } }, '404', 'Item 0: TimePay answered 404: No customers found matching the filters'],
		[{ agentId: 'agent_ghost' }, '404', "Item 0: TimePay answered 404: Agent 'agent_ghost' not found"],
		[{ campaignId: 'camp_no_numbers' }, '400', 'Item 0: TimePay answered 400: No active numbers available for this organization'],
	])('documented errors %#: the API message reaches the user', async (extra, code, message) => {
		await seed(1);
		const res = await run({ ...initiate, requestMode: 'perItem', ...extra }, [{}]);
		expect(res.error?.message).toBe(message);
		expect(res.error?.httpCode).toBe(code);
	});

	test('not retried after a reset that may have placed the calls (a repeat would call twice)', async () => {
		await seed(1);
		sb.current.setFaults({ faults: [{ type: 'resetAfter', times: 1, path: '/timepay/api/v1/initiate' }] });
		const res = await run({ ...initiate, requestMode: 'perItem' }, [{}]);
		expect(res.error?.message).toMatch(/Could not reach TimePay .* the connection was reset \(1 attempt\)/);
		expect(res.error?.description).toContain('Not retried');
		expect(campaign().calls).toEqual(['LOAN-000000']);
	});

	test('but 429 (the request was refused) is retried', async () => {
		await seed(1);
		sb.current.setFaults({ faults: [{ type: '429', times: 2, retryAfter: 0, path: '/timepay/api/v1/initiate' }] });
		const res = await run({ ...initiate, requestMode: 'perItem' }, [{}]);
		expect(res.outputs[0][0].json.outcome).toBe('initiated');
		expect(campaign().calls).toEqual(['LOAN-000000']);
	});

	test('one request for all: when it fails under continue-on-fail, skipped items keep their own outcome', async () => {
		await seed(2);
		sb.current.setFaults({ faults: [{ type: '500', path: '/timepay/api/v1/initiate', body: { success: false, message: 'All calls failed to initiate' } }] });
		const res = await run(initiate, [{ id: 'LOAN-000001' }, { id: 'LOAN-000000', outcome: 'rejected' }, {}], { onError: 'continueErrorOutput' });
		const [ok, errors] = res.outputs;
		expect(ok.map((o) => [o.pairedItem, o.json.outcome, o.json.message])).toEqual([
			[{ item: 1 }, 'skipped', 'Not called: the record was rejected upstream'],
			[{ item: 2 }, 'skipped', 'Not called: no customer ID in field "id"'],
		]);
		expect(errors.map((o) => [o.pairedItem, o.json.error])).toEqual([[[{ item: 0 }], 'TimePay answered 500: All calls failed to initiate']]);
	});

	test('one request for all: every record rejected upstream means nothing to call, not an error', async () => {
		const res = await run(initiate, [{ id: 'LOAN-1', outcome: 'rejected' }, { id: 'LOAN-2', outcome: 'rejected' }]);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(['skipped', 'skipped']);
		expect(sb.current.state().requests).toHaveLength(0);
	});

	test('no ids in the chosen field: a clear error and nothing sent', async () => {
		const res = await run({ ...initiate, idField: 'loanRef' }, [{ id: 'LOAN-1' }]);
		expect(res.error?.message).toBe('No customer IDs found in field "loanRef" of the 1 input item(s)');
		expect(sb.current.state().requests).toHaveLength(0);
	});

	test('invalid custom filter JSON is named before sending', async () => {
		const res = await run({ ...initiate, requestMode: 'perItem', filters: { custom: '{branch: Pune' } }, [{}]);
		expect(res.error?.message).toContain('field "filters.custom" = "{branch: Pune": must be a JSON object');
		expect(sb.current.state().requests).toHaveLength(0);
	});
});

describe('TimePay Customer → Bulk Update', () => {
	const update = { resource: 'customer', operation: 'bulkUpdate', campaignId: 'camp_debt_demo', customerId: '={{ $json.id }}', updateFields: { payment_status: 'paid' } };

	test('marks customers paid; an unknown id is rejected with the API reason; a bad value never leaves', async () => {
		await seed(3);
		const res = await run(update, [{ id: 'LOAN-000000' }, { id: 'LOAN-999' }, { id: 'LOAN-000002' }, { id: '' }]);
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => [o.json.id, o.json.outcome])).toEqual([
			['LOAN-000000', 'updated'],
			['LOAN-999', 'rejected'],
			['LOAN-000002', 'updated'],
			['', 'rejected'],
		]);
		expect(out[1].json.message).toBe("Customer 'LOAN-999' not found in this campaign");
		expect(out[3].json.message).toContain('Item 3: field "id" is required');
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(campaign().customers['LOAN-000000'].payment_status).toBe('paid');
		expect(campaign().customers['LOAN-000001'].payment_status).toBe('pending');
	});

	test('custom fields and dates are sent; chunks follow Records per Request; retries are safe (PUT)', async () => {
		await seed(5);
		sb.current.setFaults({ faults: [{ type: 'resetAfter', times: 1, path: '/timepay/api/v1/customer-data' }] });
		const res = await run(
			{ ...update, updateFields: { emi_due_date: '2025-07-05T10:00:00+05:30' }, customFields: { field: [{ name: 'promise_to_pay', value: 'yes' }] }, options: { batchSize: 2 } },
			Array.from({ length: 5 }, (_, i) => ({ id: `LOAN-00000${i}` })),
		);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].every((o) => o.json.outcome === 'updated')).toBe(true);
		expect(campaign().customers['LOAN-000004']).toMatchObject({ emi_due_date: '2025-07-05', promise_to_pay: 'yes' });
		expect(sb.current.state().requests.filter((r: { path: string }) => r.path.endsWith('/customer-data/bulk'))).toHaveLength(4);
	}, 30000);

	test('a 207 listing a record by index, and a 400 that lists nobody: no record is reported updated that was not', async () => {
		await seed(3);
		sb.current.setFaults({
			faults: [
				{
					type: '207',
					path: '/timepay/api/v1/customer-data',
					body: { success: false, message: 'Updated 1 of 2 records', results: { total: 2, successful: 1, failed: 1, errors: [], invalidRecords: [{ index: 1, id: 'LOAN-000001', errors: ["Record 1: Field 'payment_status' is locked"] }] } },
				},
				{ type: '400', path: '/timepay/api/v1/customer-data', body: { success: false, message: 'Updated 0 of 1 records', results: { total: 1, successful: 0, failed: 1, errors: [] } } },
			],
		});
		const partial = await run(update, [{ id: 'LOAN-000000' }, { id: 'LOAN-000001' }]);
		expect(partial.outputs[0].map((o) => [o.json.outcome, o.json.message])).toEqual([
			['updated', 'Updated 1 of 2 records'],
			['rejected', "Field 'payment_status' is locked"],
		]);
		const none = await run(update, [{ id: 'LOAN-000002' }]);
		expect(none.outputs[0].map((o) => [o.json.outcome, o.json.message])).toEqual([['rejected', 'Updated 0 of 1 records']]);
	});

	test('a request-level failure (404) fails the node and sends no new request; under continue-on-fail each item carries it', async () => {
		const updates = () => sb.current.state().requests.filter((r: { path: string }) => r.path.endsWith('/customer-data/bulk'));
		const input = [{ id: 'LOAN-000000' }, { id: 'LOAN-000001' }, { id: 'LOAN-000002' }];
		const failing = await run({ ...update, campaignId: 'camp_nope', options: { batchSize: 1, concurrency: 1 } }, input);
		expect(failing.error?.message).toBe('TimePay answered 404: Campaign not found');
		expect(updates()).toHaveLength(1);
		sb.current.reset();
		const cont = await run({ ...update, campaignId: 'camp_nope', options: { batchSize: 1, concurrency: 1 } }, input, { continueOnFail: true });
		expect(cont.error).toBeUndefined();
		expect(cont.outputs[0].map((o) => [o.json.error, (o.json.details as IDataObject).id, o.pairedItem])).toEqual(
			input.map((x, i) => [`Item ${i}: TimePay answered 404: Campaign not found`, x.id, { item: i }]),
		);
		expect(updates()).toHaveLength(3);
	});

	test('the same customer twice in one run: both updates are sent, in input order (no repeat check for updates)', async () => {
		await seed(1);
		const res = await run({ ...update, updateFields: { language: '={{ $json.lang }}' } }, [
			{ id: 'LOAN-000000', lang: 'english' },
			{ id: 'LOAN-000000', lang: 'tamil' },
		]);
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(['updated', 'updated']);
		expect(campaign().customers['LOAN-000000'].language).toBe('tamil');
	});

	test('an empty Campaign ID rejects those items before sending, naming the field', async () => {
		await seed(2);
		const out = (await run({ ...update, campaignId: '={{ $json.camp }}' }, [{ id: 'LOAN-000000', camp: '' }, { id: 'LOAN-000001', camp: 'camp_debt_demo' }])).outputs[0];
		expect(out.map((o) => [o.json.outcome, o.json.errors])).toEqual([
			['rejected', ['Item 0: field "campaignId" = "": must not be empty']],
			['updated', undefined],
		]);
		expect(campaign().customers['LOAN-000000'].payment_status).toBe('pending');
	});

	test('a field left blank for an item is not sent: the stored value stays', async () => {
		await seed(2);
		const res = await run({ ...update, updateFields: { payment_status: 'paid', language: '={{ $json.lang }}' } }, [{ id: 'LOAN-000000', lang: 'english' }, { id: 'LOAN-000001', lang: '' }]);
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(['updated', 'updated']);
		expect(campaign().customers['LOAN-000000']).toMatchObject({ payment_status: 'paid', language: 'english' });
		expect(campaign().customers['LOAN-000001']).toMatchObject({ payment_status: 'paid', language: 'hindi' });
	});

	test('a custom field that repeats an Update Field is that item\'s problem, named, and not sent', async () => {
		await seed(1);
		const res = await run({ ...update, customFields: { field: [{ name: 'payment_status', value: 'pending' }] } }, [{ id: 'LOAN-000000' }]);
		expect(res.outputs[0].map((o) => [o.json.outcome, o.json.errors])).toEqual([
			['rejected', ['Item 0: field "customFields" = "payment_status": is also set in Update Fields; give it once']],
		]);
		expect(sb.current.state().requests.filter((r: { path: string }) => r.path.endsWith('/customer-data/bulk'))).toHaveLength(0);
	});

	test('custom fields: a value without a name is that item\'s problem; an entry left wholly empty is ignored', async () => {
		await seed(2);
		const res = await run({ ...update, customFields: { field: [{ name: '={{ $json.key }}', value: 'yes' }, { name: '', value: '' }] } }, [
			{ id: 'LOAN-000000', key: '' },
			{ id: 'LOAN-000001', key: 'promise_to_pay' },
		]);
		expect(res.outputs[0].map((o) => [o.json.outcome, o.json.errors])).toEqual([
			['rejected', ['Item 0: field "customFields[0].name" = "": a value needs a key (field name)']],
			['updated', undefined],
		]);
		expect(campaign().customers['LOAN-000001']).toMatchObject({ payment_status: 'paid', promise_to_pay: 'yes' });
		expect(Object.keys(campaign().customers['LOAN-000001'])).not.toContain('');
	});

	test('an Update Field whose expression throws for one item rejects that item only, with the error', async () => {
		await seed(3);
		const language = '={{ $json.id === "LOAN-000001" ? $("Nope").item.json.x : "english" }}';
		const res = await run({ ...update, updateFields: { language } }, [{ id: 'LOAN-000000' }, { id: 'LOAN-000001' }, { id: 'LOAN-000002' }]);
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => o.json.outcome)).toEqual(['updated', 'rejected', 'updated']);
		expect(out[1].json).toMatchObject({ id: 'LOAN-000001', campaignId: 'camp_debt_demo', errors: ['Item 1: field "Update Fields": Referenced node doesn\'t exist'] });
		expect(campaign().customers['LOAN-000001'].language).toBe('hindi');
		expect(campaign().customers['LOAN-000002'].language).toBe('english');
	});

	test('Campaign ID, Customer ID or Custom Fields throwing for an item: the error names that parameter, once', async () => {
		await seed(4);
		const fails = (n: number, then: string) => `={{ $json.n === ${n} ? $("Nope").item.json.x : ${then} }}`;
		const res = await run(
			{ ...update, campaignId: fails(0, '"camp_debt_demo"'), customerId: fails(1, '$json.id'), customFields: { field: [{ name: 'note', value: fails(2, '"ok"') }] } },
			[0, 1, 2, 3].map((n) => ({ n, id: `LOAN-00000${n}` })),
		);
		expect(res.outputs[0].map((o) => [o.json.outcome, o.json.errors])).toEqual([
			['rejected', ['Item 0: field "Campaign ID": Referenced node doesn\'t exist']],
			['rejected', ['Item 1: field "Customer ID": Referenced node doesn\'t exist']],
			['rejected', ['Item 2: field "Custom Fields": Referenced node doesn\'t exist']],
			['updated', undefined],
		]);
		expect(campaign().customers['LOAN-000003']).toMatchObject({ payment_status: 'paid', note: 'ok' });
	});

	test('error output: rejected updates go there with pairedItem', async () => {
		await seed(1);
		const res = await run(update, [{ id: 'LOAN-000000' }, { id: 'GHOST' }], { onError: 'continueErrorOutput' });
		expect(res.outputs[0].map((o) => o.json.id)).toEqual(['LOAN-000000']);
		expect(res.outputs[1].map((o) => [o.pairedItem, (o.json.details as { outcome: string }).outcome])).toEqual([[{ item: 1 }, 'rejected']]);
	});
});

describe('TimePay Campaign → Create', () => {
	const create = {
		resource: 'campaign',
		operation: 'create',
		name: 'July EMI',
		description: 'Reminders',
		campaignType: 'emi',
		startDate: '2025-07-01T00:00:00',
		endDate: '2025-07-31T00:00:00',
		startTime: '09:00',
		endTime: '18:30',
		languages: 'english, hindi',
		region: 'IN',
		additionalFields: { tags: 'july, emi' },
	};

	test('creates the campaign and returns its id; customers can then be added to it', async () => {
		const res = await run(create, [{}]);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json).toEqual({ id: 'camp_0001', name: 'July EMI', outcome: 'created', message: 'Campaign created successfully' });
		const c = sb.current.state().timePay.campaigns.camp_0001;
		expect(c.details).toMatchObject({ startDate: '2025-07-01', endDate: '2025-07-31', languages: ['english', 'hindi'], tags: ['july', 'emi'] });
	});

	test('an end date before the start date, or a bad time, is named before sending', async () => {
		const res = await run({ ...create, endDate: '2025-06-01', endTime: '25:00' }, [{}]);
		expect(res.error?.message).toContain('field "endTime" = "25:00": must be a time HH:MM (24h)');
		expect(sb.current.state().requests).toHaveLength(0);
	});
});

describe('TimePay credential test', () => {
	test('tells a good token from a bad one, and creates nothing', async () => {
		const good = await testCredential('timePay', 'timePayApi', creds().timePayApi);
		expect(good).toEqual({ status: 'OK', message: 'Connection successful: the token was accepted' });
		const bad = await testCredential('timePay', 'timePayApi', { ...creds().timePayApi, token: 'nope-nope-nope' });
		expect(bad.status).toBe('Error');
		expect(bad.message).toBe('TimePay refused the token (HTTP 401): Unauthorized: missing or invalid token');
		expect(bad.message).not.toContain('nope-nope-nope');
		// A read of the smallest page of campaigns: nothing can be created by it.
		expect(sb.current.state().requests.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)).toEqual([
			'GET /timepay/api/v1/campaigns',
			'GET /timepay/api/v1/campaigns',
		]);
	});

	test('a wrong Base URL path (404) is named; an answer with success: false is not a pass', async () => {
		const wrong = await testCredential('timePay', 'timePayApi', { ...creds().timePayApi, baseUrl: `${sb.current.url}/timepay/api/v2` });
		expect(wrong).toEqual({ status: 'Error', message: 'TimePay answered 404: No sandbox API at /timepay/api/v2/campaigns: check the Base URL (it ends in /api/v1)' });
		sb.current.setFaults({ faults: [{ type: '200', path: '/timepay/api/v1/campaigns', body: { success: false, message: 'Account suspended' } }] });
		expect(await testCredential('timePay', 'timePayApi', creds().timePayApi)).toEqual({ status: 'Error', message: 'Unexpected answer from TimePay: HTTP 200 Account suspended' });
	});

	test('answers without words: a refusal still says unauthorized, anything else names its status alone', async () => {
		sb.current.setFaults({
			faults: [
				{ type: '403', path: '/timepay/api/v1/campaigns', body: {} },
				{ type: '502', path: '/timepay/api/v1/campaigns', body: {} },
			],
		});
		expect(await testCredential('timePay', 'timePayApi', creds().timePayApi)).toEqual({ status: 'Error', message: 'TimePay refused the token (HTTP 403): unauthorized' });
		expect(await testCredential('timePay', 'timePayApi', creds().timePayApi)).toEqual({ status: 'Error', message: 'Unexpected answer from TimePay: HTTP 502' });
	});

	test('refuses plain http to a non-loopback host before sending the token anywhere', async () => {
		const res = await testCredential('timePay', 'timePayApi', { token: sandboxCredentials.timePay.token, baseUrl: 'http://api.example.com/api/v1' });
		expect(res).toEqual({ status: 'Error', message: 'Base URL must use https (plain http is accepted only for localhost/127.0.0.1), got http://api.example.com' });
	});

	test('under continue-on-fail an unusable credential gives every item its own error item, never a pass-through', async () => {
		const res = await runNode({
			type: 'timePay',
			parameters: { resource: 'customer', operation: 'bulkAdd', campaignId: 'c', campaignType: 'debtCollection', columns: autoMap },
			input: [debtRecord(1), debtRecord(2)],
			credentials: { timePayApi: { token: 't', baseUrl: 'http://10.0.0.5/api' } },
			onError: 'continueErrorOutput',
		});
		expect(res.outputs[0]).toHaveLength(0);
		expect(res.outputs[1].map((o) => [o.pairedItem, o.json.loan_id, (o.json.details as { outcome: string }).outcome])).toEqual([
			[{ item: 0 }, 'LOAN-000001', 'rejected'],
			[{ item: 1 }, 'LOAN-000002', 'rejected'],
		]);
		expect(res.outputs[1][0].json.error).toContain("The TimePay credential's Base URL must use https");
	});

	test('the node refuses such a base URL too', async () => {
		const res = await runNode({
			type: 'timePay',
			parameters: { resource: 'customer', operation: 'add', campaignId: 'c', campaignType: 'debtCollection', columns: autoMap },
			input: [debtRecord(1)],
			credentials: { timePayApi: { token: 't', baseUrl: 'http://10.0.0.5/api' } },
		});
		expect(res.error?.message).toBe("The TimePay credential's Base URL must use https (plain http is accepted only for localhost/127.0.0.1), got http://10.0.0.5");
	});
});
