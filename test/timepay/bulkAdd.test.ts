import type { INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { autoMap, debtRecord, timePayCredentials } from './fixtures';

const sb = useSandbox();
const base = { resource: 'customer', operation: 'bulkAdd', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap };
const bulk = (input: object[], extra: object = {}, more: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({ type: 'timePay', parameters: { ...base, ...extra }, input: input as never, credentials: timePayCredentials(sb.current.url), ...more });
const campaign = (id = 'camp_debt_demo') => sb.current.state().timePay.campaigns[id];
const bulkRequests = () => sb.current.state().requests.filter((r: { path: string }) => r.path.endsWith('/customers/add/bulk'));
const outcomes = (out: INodeExecutionData[]) => out.map((o) => o.json.outcome);
const details = (o: INodeExecutionData) => o.json.details as Record<string, unknown>;

describe('TimePay Customer → Bulk Add', () => {
	test('201: every item added, in one request, each output paired to its input', async () => {
		const res = await bulk([debtRecord(1), debtRecord(2), debtRecord(3)]);
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(outcomes(out)).toEqual(['added', 'added', 'added']);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toMatchObject({ id: 'LOAN-000001', campaignId: 'camp_debt_demo', message: 'Added 3 of 3 records' });
		expect(bulkRequests()).toHaveLength(1);
		expect(campaign().customerCount).toBe(3);
	});

	test('207 partial: added, already present (errors[] by id) and rejected (invalidRecords by index) land on the right items', async () => {
		await bulk([debtRecord(2)]); // LOAN-000002 now exists
		const res = await bulk([debtRecord(1), debtRecord(2), debtRecord(3, { phone_number: '12345' }), debtRecord(4)]);
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(outcomes(out)).toEqual(['added', 'already present', 'rejected', 'added']);
		expect(out[1].json.message).toBe("Customer with loan_id 'LOAN-000002' already exists in this campaign.");
		expect(out[2].json).toMatchObject({ id: 'LOAN-000003', errors: ["Invalid phone_number '12345'"] });
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(Object.keys(campaign().customers).sort()).toEqual(['LOAN-000001', 'LOAN-000002', 'LOAN-000004']);
	});

	test('400 "No valid records": every item rejected with its own reasons, not a node failure', async () => {
		const res = await bulk([debtRecord(1, { phone_number: '1' }), debtRecord(2, { phone_number: '22' })]);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => [o.json.outcome, o.json.errors])).toEqual([
			['rejected', ["Invalid phone_number '1'"]],
			['rejected', ["Invalid phone_number '22'"]],
		]);
	});

	test('records of a 400 that lists nobody each get their own errors array', async () => {
		sb.current.setFaults({ faults: [{ type: '400', path: '/timepay', body: { success: false, message: 'All records failed', results: { total: 3, successful: 0, errors: [] } } }] });
		const out = (await bulk([debtRecord(1), debtRecord(2), debtRecord(3)])).outputs[0];
		expect(out.map((o) => [o.json.outcome, o.json.errors])).toEqual(Array(3).fill(['rejected', ['All records failed']]));
		expect(out[0].json.errors).not.toBe(out[1].json.errors);
	});

	test('locally invalid records are never sent and name item, field, value and rule; the good ones still go', async () => {
		const res = await bulk([debtRecord(1), debtRecord(2, { loan_amount: '12,000', emi_due_date: '2025-02-30' }), debtRecord(3), debtRecord(3)]);
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(outcomes(out)).toEqual(['added', 'rejected', 'added', 'rejected']);
		expect(out[1].json.errors).toEqual([
			'Item 1: field "loan_amount" = "12,000": must be a number',
			'Item 1: field "emi_due_date" = "2025-02-30": must be a date in YYYY-MM-DD format',
		]);
		expect(out[3].json.message).toContain('Item 3: field "loan_id" = "LOAN-000003": repeats item 2 of this run');
		expect(bulkRequests()).toHaveLength(1);
		expect(bulkRequests()[0].bytes).toBeGreaterThan(0);
		expect(campaign().customerCount).toBe(2);
	});

	test('mapped by expression with the schema n8n saves: a value n8n itself refuses rejects that item only', async () => {
		const { resourceMapperFields } = await import('../../nodes/TimePay/fields');
		const schema = resourceMapperFields('debtCollection');
		const value = Object.fromEntries(schema.map((f) => [f.id, `={{ $json.${f.id} }}`]));
		const res = await bulk([debtRecord(1), debtRecord(2, { loan_amount: 'lots' }), debtRecord(3, { emi_amount: '2500' })], {
			columns: { mappingMode: 'defineBelow', value, matchingColumns: [], schema },
		});
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(outcomes(out)).toEqual(['added', 'rejected', 'added']);
		expect(out[1].json.message).toMatch(/loan_amount/);
		expect(campaign().customers['LOAN-000003'].emi_amount).toBe(2500);
	});

	test('an expression that throws for one item, after earlier requests left, rejects that item only', async () => {
		const input = Array.from({ length: 40 }, (_, i) => debtRecord(i));
		const res = await bulk(input, {
			campaignId: '={{ $json.loan_id === "LOAN-000035" ? $("Campaign lookup").item.json.id : "camp_debt_demo" }}',
			options: { batchSize: 10 },
		}, { continueOnFail: true });
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out).toHaveLength(40);
		expect(out.filter((o) => o.json.outcome === 'added')).toHaveLength(39);
		expect(out[35].pairedItem).toEqual({ item: 35 });
		expect(out[35].json.error).toBe("Item 35: field \"Campaign ID\": Referenced node doesn't exist (not sent)");
		expect(details(out[35])).toMatchObject({ id: 'LOAN-000035', campaignId: '' }); // no campaign made up for it
		expect(campaign().customerCount).toBe(39);
	});

	test('lead ids made by the node are stable: a re-run of the workflow finds the leads, it does not add them again', async () => {
		const leads = Array.from({ length: 3 }, (_, i) => ({ first_name: 'L', last_name: `N${i}`, phone_number: `91234567${10 + i}`, lead_date: '2025-06-01' }));
		const first = await bulk(leads, { campaignId: 'camp_lead_demo', campaignType: 'leadGeneration' });
		const again = await bulk(leads, { campaignId: 'camp_lead_demo', campaignType: 'leadGeneration' });
		expect(outcomes(first.outputs[0])).toEqual(['added', 'added', 'added']);
		expect(outcomes(again.outputs[0])).toEqual(['already present', 'already present', 'already present']);
		expect(again.outputs[0].map((o) => o.json.id)).toEqual(first.outputs[0].map((o) => o.json.id));
		expect(campaign('camp_lead_demo').customerCount).toBe(3);
	});

	test('25,000 records are split into 3 requests (10,000 + 10,000 + 5,000) and every item gets its outcome', async () => {
		const input = Array.from({ length: 25_000 }, (_, i) => debtRecord(i));
		const res = await bulk(input, { options: { concurrency: 2 } });
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out).toHaveLength(25_000);
		expect(out.every((o, i) => o.json.outcome === 'added' && (o.pairedItem as { item: number }).item === i && o.json.id === input[i].loan_id)).toBe(true);
		expect(bulkRequests()).toHaveLength(3);
		expect(campaign().customerCount).toBe(25_000);
		expect(sb.current.state().peakInFlight).toBeLessThanOrEqual(2);
	}, 60000);

	test('"Records per Request" splits lower; summary output gives one item per request paired to its records', async () => {
		const input = Array.from({ length: 250 }, (_, i) => debtRecord(i, i === 7 ? { phone_number: '0' } : {}));
		const res = await bulk(input, { options: { batchSize: 100, outputMode: 'perRequest' } });
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => [o.json.request, o.json.records, o.json.added, o.json.rejected])).toEqual([
			[1, 100, 99, 1],
			[2, 100, 100, 0],
			[3, 50, 50, 0],
		]);
		expect((out[0].json.rejectedRecords as unknown[])[0]).toEqual({ item: 7, id: 'LOAN-000007', errors: ["Invalid phone_number '0'"] });
		expect(out[2].pairedItem).toEqual(Array.from({ length: 50 }, (_, i) => ({ item: 200 + i })));
		expect(bulkRequests()).toHaveLength(3);
	});

	test('summary output carries the API\'s answer: status, success, message, counts, results, workflowTriggered', async () => {
		await bulk([debtRecord(2)]);
		const out = (await bulk([debtRecord(1), debtRecord(2)], { afterAdding: 'useWorkflow', options: { outputMode: 'perRequest' } })).outputs[0];
		expect(out).toHaveLength(1);
		const { results, ...rest } = out[0].json;
		expect(rest).toEqual({
			request: 1,
			campaignId: 'camp_debt_demo',
			statusCode: 207,
			success: false,
			message: 'Added 1 of 2 records | Workflow triggered for 1 customers',
			records: 2,
			added: 1,
			alreadyPresent: 1,
			rejected: 0,
			rejectedRecords: [],
			workflowTriggered: true,
		});
		expect(results).toMatchObject({ total: 2, successful: 1 });
		expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		// An answer that leaves out success and message: a 201 is a success, the message empty.
		sb.current.setFaults({ faults: [{ type: '201', path: '/timepay/api/v1/customers/add/bulk', body: { results: { total: 1, successful: 1, errors: [] } } }] });
		const bare = (await bulk([debtRecord(3)], { options: { outputMode: 'perRequest' } })).outputs[0][0].json;
		expect(bare).toMatchObject({ statusCode: 201, success: true, message: '', added: 1 });
		expect(bare).not.toHaveProperty('workflowTriggered');
	});

	test('summary output: records that failed validation come as one "not sent" item, paired to them, before the requests', async () => {
		const input = [debtRecord(1), debtRecord(2, { loan_amount: 'lots' }), debtRecord(3), debtRecord(4, { emi_due_date: 'soon' })];
		const out = (await bulk(input, { options: { outputMode: 'perRequest' } })).outputs[0];
		expect(out).toHaveLength(2);
		expect(out[0].json).toEqual({
			request: null,
			sent: false,
			records: 2,
			rejected: 2,
			message: 'Not sent: these records failed validation',
			rejectedRecords: [
				{ item: 1, errors: ['Item 1: field "loan_amount" = "lots": must be a number'] },
				{ item: 3, errors: ['Item 3: field "emi_due_date" = "soon": must be a date in YYYY-MM-DD format'] },
			],
		});
		expect(out[0].pairedItem).toEqual([{ item: 1 }, { item: 3 }]);
		expect(out[1].json).toMatchObject({ request: 1, records: 2, added: 2 });
	});

	test('error output: rejected records go there with pairedItem and their reasons; added ones stay on the main output', async () => {
		const res = await bulk([debtRecord(1), debtRecord(2, { phone_number: '99' }), debtRecord(3, { payment_status: 'later' })], {}, { onError: 'continueErrorOutput' });
		expect(res.error).toBeUndefined();
		const [ok, errors] = res.outputs;
		expect(ok.map((o) => [o.json.id, o.pairedItem])).toEqual([['LOAN-000001', { item: 0 }]]);
		expect(errors.map((o) => o.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(errors.map((o) => details(o).outcome)).toEqual(['rejected', 'rejected']);
		expect(errors[0].json).toMatchObject({ loan_id: 'LOAN-000002', message: "Invalid phone_number '99'" });
		// The item is named once: not "Item 1: Record 1: ..." (the record's position in the request).
		expect(errors[0].json.error).toBe("Item 1: Invalid phone_number '99'");
		expect(errors[1].json.message).toContain('field "payment_status" = "later"');
		expect(errors[1].json.error).toMatch(/^Item 2: field "payment_status" = "later"/);
	});

	test('a request-level failure (404) fails the node; with continue-on-fail every item of it carries the error', async () => {
		const failing = await bulk([debtRecord(1)], { campaignId: 'camp_nope' });
		expect(failing.error?.message).toBe('TimePay answered 404: Campaign not found');
		const cont = await bulk([debtRecord(1), debtRecord(2)], { campaignId: 'camp_nope' }, { continueOnFail: true });
		expect(cont.error).toBeUndefined();
		// Each error item names its own item, once, as every other error does.
		expect(cont.outputs[0].map((o) => [o.json.error, o.json.message, details(o).id, o.pairedItem])).toEqual([
			['Item 0: TimePay answered 404: Campaign not found', 'Item 0: TimePay answered 404: Campaign not found', 'LOAN-000001', { item: 0 }],
			['Item 1: TimePay answered 404: Campaign not found', 'Item 1: TimePay answered 404: Campaign not found', 'LOAN-000002', { item: 1 }],
		]);
	});

	test('a failed request after an applied one: the error names the records already applied', async () => {
		sb.current.setFaults({ faults: [{ type: '500', path: '/timepay/api/v1/customers/add/bulk', skip: 1 }] });
		const input = Array.from({ length: 25 }, (_, i) => debtRecord(i));
		const res = await bulk(input, { options: { batchSize: 10, concurrency: 1, maxAttempts: 1 } });
		expect(res.error?.message).toBe('TimePay answered 500: Injected fault 500');
		expect(res.error?.description).toContain('Already applied in this run: items 0–9. Running the same input again is safe');
		expect(bulkRequests()).toHaveLength(2);
	});

	test('403 and 401 are request-level failures with the API message', async () => {
		expect((await bulk([debtRecord(1)], { campaignId: 'camp_other_org' })).error?.message).toBe('TimePay answered 403: Campaign ID invalid or mismatch for your organization.');
		const wrong = await runNode({ type: 'timePay', parameters: base, input: [debtRecord(1)], credentials: timePayCredentials(sb.current.url, 'tp_bad_token_987654') });
		expect(wrong.error?.message).toBe('TimePay answered 401: Unauthorized: missing or invalid token');
		expect(JSON.stringify(wrong.run)).not.toContain('tp_bad_token_987654');
	});

	test('retries under 429 + Retry-After, 503 and a reset after the server applied the request: every item accounted for, no duplicate', async () => {
		sb.current.setFaults({
			faults: [
				{ type: '429', times: 1, retryAfter: 0, path: '/timepay' },
				{ type: 'resetAfter', times: 1, path: '/timepay' },
				{ type: '503', times: 1, retryAfter: 0, path: '/timepay' },
			],
		});
		const input = Array.from({ length: 30 }, (_, i) => debtRecord(i));
		const res = await bulk(input, { options: { batchSize: 10, concurrency: 1, maxAttempts: 5 } });
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out).toHaveLength(30);
		const counts = out.reduce<Record<string, number>>((acc, o) => ({ ...acc, [String(o.json.outcome)]: (acc[String(o.json.outcome)] ?? 0) + 1 }), {});
		// The reset hit the second request after the server had stored its 10 records: its retry
		// finds them there.
		expect(counts).toEqual({ added: 20, 'already present': 10 });
		expect(campaign().customerCount).toBe(30);
		expect(new Set(Object.keys(campaign().customers)).size).toBe(30);
	}, 30000);

	test('a cap on requests in flight on the server side (429 when exceeded) is absorbed by retries', async () => {
		sb.current.setFaults({ maxInFlight: 1, latencyMs: 30 });
		const input = Array.from({ length: 40 }, (_, i) => debtRecord(i));
		const res = await bulk(input, { options: { batchSize: 10, concurrency: 3, maxAttempts: 10 } });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].every((o) => o.json.outcome === 'added')).toBe(true);
		expect(campaign().customerCount).toBe(40);
	}, 60000);

	test('lead generation without lead_id: ids are made before sending, so a retry after an applied request finds them', async () => {
		sb.current.setFaults({ faults: [{ type: 'resetAfter', times: 1, path: '/timepay' }] });
		const leads = Array.from({ length: 5 }, (_, i) => ({ first_name: 'L', last_name: `N${i}`, phone_number: `91234567${10 + i}`, lead_date: '2025-06-01' }));
		const res = await bulk(leads, { campaignId: 'camp_lead_demo', campaignType: 'leadGeneration' });
		expect(res.error).toBeUndefined();
		expect(outcomes(res.outputs[0])).toEqual(Array(5).fill('already present'));
		expect(campaign('camp_lead_demo').customerCount).toBe(5);
	}, 30000);

	test('initiate calls: callResults surface per record (callInitiated / callError) and in the summary', async () => {
		const input = [debtRecord(1), debtRecord(2, { phone_number: '9876000000' })];
		const res = await bulk(input, { afterAdding: 'initiateCall', agentId: 'agent_demo', dispositionId: 'disp_demo' });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => [o.json.outcome, o.json.callInitiated, o.json.callError])).toEqual([
			['added', true, undefined],
			['added', false, "Invalid phone number for customer 'LOAN-000002'"],
		]);
		sb.current.reset();
		const summary = await bulk(input, { afterAdding: 'initiateCall', agentId: 'agent_demo', dispositionId: 'disp_demo', options: { outputMode: 'perRequest' } });
		expect(summary.outputs[0][0].json.callResults).toEqual({ totalRequested: 2, initiated: 1, failed: 1, errors: [{ id: 'LOAN-000002', error: "Invalid phone number for customer 'LOAN-000002'" }] });
	});

	test('run workflow: workflowTriggered on each added record', async () => {
		const res = await bulk([debtRecord(1), debtRecord(2)], { afterAdding: 'useWorkflow' });
		expect(res.outputs[0].map((o) => o.json.workflowTriggered)).toEqual([true, true]);
		expect(campaign().workflowRuns).toBe(2);
	});

	test('validate only: what would be sent, every problem, nothing sent', async () => {
		const res = await bulk([debtRecord(1), debtRecord(2, { current_emi: 30 })], { options: { validateOnly: true } });
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(['valid', 'invalid']);
		expect(res.outputs[0][1].json.problems).toEqual(['Item 1: field "current_emi" = 30: must not exceed loan_period (24)']);
		expect(res.outputs[0][0].json.wouldSend).toEqual({ campaignId: 'camp_debt_demo', record: debtRecord(1) });
		expect(bulkRequests()).toHaveLength(0);
	});

	test('Initiate Call without an Agent ID fails the node before anything is sent, naming item 0 and the field', async () => {
		const res = await bulk([debtRecord(1), debtRecord(2)], { afterAdding: 'initiateCall', agentId: '={{ $json.agent }}', dispositionId: 'disp_demo' });
		expect(res.error?.message).toMatch(/^Item 0: field "callConfig.agentId" = "": must not be empty/);
		expect(res.error?.description).toBe('Nothing was sent.');
		expect(bulkRequests()).toHaveLength(0);
	});

	test('an empty Campaign ID rejects those items, naming the field; items with a campaign are still sent', async () => {
		const input = [debtRecord(1, { camp: '' }), debtRecord(2, { camp: 'camp_debt_demo' }), debtRecord(3, { camp: '' })];
		const out = (await bulk(input, { campaignId: '={{ $json.camp }}' })).outputs[0];
		expect(out.map((o) => [o.json.outcome, o.json.errors])).toEqual([
			['rejected', ['Item 0: field "campaignId" = "": must not be empty']],
			['added', undefined],
			['rejected', ['Item 2: field "campaignId" = "": must not be empty']],
		]);
		expect(bulkRequests()).toHaveLength(1);
		expect(Object.keys(campaign().customers)).toEqual(['LOAN-000002']);
	});

	test('Customer Fields whose expression throws for one item: that item is rejected with the error alone, the rest are sent', async () => {
		const { resourceMapperFields } = await import('../../nodes/TimePay/fields');
		const schema = resourceMapperFields('debtCollection');
		const value = Object.fromEntries(schema.map((f) => [f.id, `={{ $json.${f.id} }}`]));
		value.first_name = '={{ $json.loan_id === "LOAN-000002" ? $("Nope").item.json.x : $json.first_name }}';
		const res = await bulk([debtRecord(1), debtRecord(2), debtRecord(3)], { columns: { mappingMode: 'defineBelow', value, matchingColumns: [], schema } });
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => o.json.outcome)).toEqual(['added', 'rejected', 'added']);
		// Only the thrown error: not also "required" for every field of a record that was never read.
		expect(out[1].json.errors).toEqual(['Item 1: field "Customer Fields": Referenced node doesn\'t exist']);
		expect(Object.keys(campaign().customers).sort()).toEqual(['LOAN-000001', 'LOAN-000003']);
	});

	test('debt collection records are sent as mapped: no lead_id is made for them', async () => {
		await bulk([debtRecord(1)]);
		expect(campaign().customers['LOAN-000001']).toEqual(debtRecord(1));
	});

	test('the id on each output item: a number id as text, none when the record has no loan_id', async () => {
		const out = (await bulk([debtRecord(1, { loan_id: 12345 }), debtRecord(2, { loan_id: undefined })])).outputs[0];
		expect(out.map((o) => [o.json.outcome, o.json.id])).toEqual([
			['added', '12345'],
			['rejected', ''],
		]);
	});

	test('the token appears in no output and no error', async () => {
		const res = await bulk([debtRecord(1), debtRecord(2, { phone_number: '5' })], {}, { onError: 'continueErrorOutput' });
		expect(res.outputs[1]).toHaveLength(1);
		expect(JSON.stringify(res.run)).not.toContain(sandboxCredentials.timePay.token);
	});
});
