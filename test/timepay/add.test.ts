import { runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { autoMap, debtRecord, timePayCredentials } from './fixtures';

const sb = useSandbox();
const TOKEN = sandboxCredentials.timePay.token;
const base = { resource: 'customer', operation: 'add', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap };
const add = (input: object[], extra: object = {}, more: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({ type: 'timePay', parameters: { ...base, ...extra }, input: input as never, credentials: timePayCredentials(sb.current.url), ...more });
const customers = () => sb.current.state().timePay.campaigns.camp_debt_demo.customers;
const requests = () => sb.current.state().requests.filter((r: { path: string }) => r.path.startsWith('/timepay'));

describe('TimePay Customer → Add', () => {
	test('adds each item and pairs every output with its input', async () => {
		const res = await add([debtRecord(1), debtRecord(2), debtRecord(3)]);
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => o.json.outcome)).toEqual(['added', 'added', 'added']);
		expect(out.map((o) => o.json.id)).toEqual(['LOAN-000001', 'LOAN-000002', 'LOAN-000003']);
		expect(out.map((o) => o.json.campaignId)).toEqual(['camp_debt_demo', 'camp_debt_demo', 'camp_debt_demo']);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.message).toBe('Customer added to campaign successfully');
		expect(Object.keys(customers())).toHaveLength(3);
	});

	test('maps fields by expression (defineBelow) and normalises sheet-style values', async () => {
		const res = await add([{ loan: 'L-77', name: 'Ravi Kumar', phone: 9876543210, amount: '120000', due: '2025-04-10T00:00:00.000+05:30' }], {
			columns: {
				mappingMode: 'defineBelow',
				value: {
					loan_id: '={{ $json.loan }}',
					first_name: "={{ $json.name.split(' ')[0] }}",
					last_name: "={{ $json.name.split(' ')[1] }}",
					phone_number: '={{ $json.phone }}',
					loan_amount: '={{ $json.amount }}',
					emi_amount: 5000,
					loan_period: 24,
					current_emi: 3,
					emi_due_date: '={{ $json.due }}',
					payment_status: 'bounced',
				},
			},
		});
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json).toMatchObject({ id: 'L-77', outcome: 'added' });
		expect(customers()['L-77']).toMatchObject({ first_name: 'Ravi', last_name: 'Kumar', phone_number: '9876543210', loan_amount: 120000, emi_due_date: '2025-04-10' });
	});

	test('a number JavaScript cannot hold is named as given, not echoed as null', async () => {
		const huge = `1${'0'.repeat(400)}`;
		const res = await add([debtRecord(1, { loan_amount: huge, emi_amount: '={{ 1 / 0 }}' })], {
			columns: { mappingMode: 'defineBelow', value: { ...debtRecord(1), loan_amount: '={{ $json.loan_amount }}', emi_amount: '={{ 1 / 0 }}' } },
		});
		expect(res.error?.message).toBe(
			`Item 0: field "loan_amount" = "1${'0'.repeat(56)}...": is too large a number to send; field "emi_amount" = Infinity: must be a finite number`,
		);
		expect(Object.keys(customers())).toHaveLength(0);
	});

	test('a repeat of an existing loan_id (409) is "already present", not a failure', async () => {
		await add([debtRecord(1)]);
		const res = await add([debtRecord(1), debtRecord(2)]);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(['already present', 'added']);
		expect(res.outputs[0][0].json.message).toBe("Customer with loan_id 'LOAN-000001' already exists in this campaign.");
	});

	test('lead generation: a missing lead_id is generated, so the record has an id before it is sent', async () => {
		const res = await add([{ first_name: 'Meera', last_name: 'Nair', phone_number: '9123456780', lead_date: '2025-05-01' }], { campaignId: 'camp_lead_demo', campaignType: 'leadGeneration' });
		expect(res.error).toBeUndefined();
		const id = res.outputs[0][0].json.id as string;
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		expect(Object.keys(sb.current.state().timePay.campaigns.camp_lead_demo.customers)).toEqual([id]);
	});

	test('Initiate Call reports callInitiated; a failed call reports callError and the customer stays added', async () => {
		const ok = await add([debtRecord(1)], { afterAdding: 'initiateCall', agentId: 'agent_demo', dispositionId: 'disp_demo' });
		expect(ok.outputs[0][0].json).toMatchObject({ outcome: 'added', callInitiated: true, message: 'Customer added and call initiated successfully' });
		expect(sb.current.state().timePay.campaigns.camp_debt_demo.calls).toEqual(['LOAN-000001']);

		const failed = await add([debtRecord(2)], { campaignId: 'camp_no_numbers', afterAdding: 'initiateCall', agentId: 'agent_demo', dispositionId: 'disp_demo' });
		expect(failed.outputs[0][0].json).toMatchObject({ outcome: 'added', callInitiated: false, callError: 'No active numbers available for this organization' });
	});

	test('Run Workflow reports workflowTriggered', async () => {
		const res = await add([debtRecord(1)], { afterAdding: 'useWorkflow' });
		expect(res.outputs[0][0].json).toMatchObject({ outcome: 'added', workflowTriggered: true });
	});

	test('Initiate Call without an agent is refused before anything is sent', async () => {
		// An expression that resolves to nothing (a literal empty value is refused by n8n itself).
		const res = await add([debtRecord(1)], { afterAdding: 'initiateCall', agentId: '={{ $json.agent }}', dispositionId: 'disp_demo' });
		expect(res.error?.message).toMatch(/Item 0: field "callConfig.agentId"/);
		expect(requests()).toHaveLength(0);
	});

	test('an invalid record stops the node before any request, naming item, field, value and rule', async () => {
		const res = await add([debtRecord(1), debtRecord(2, { emi_due_date: '05/03/2025', loan_amount: 'lots' })]);
		expect(res.error?.message).toContain('Item 1:');
		expect(res.error?.message).toContain('field "loan_amount" = "lots": must be a number');
		expect(res.error?.message).toContain('field "emi_due_date" = "05/03/2025": must be a date in YYYY-MM-DD format');
		expect(requests()).toHaveLength(0);
	});

	test('continue (error output): the bad record goes to the error output with its pairedItem, the good ones are added', async () => {
		const res = await add([debtRecord(1), debtRecord(2, { payment_status: 'overdue' }), debtRecord(3)], {}, { onError: 'continueErrorOutput' });
		expect(res.error).toBeUndefined();
		const [ok, errors] = res.outputs;
		expect(ok.map((o) => [o.json.id, o.pairedItem])).toEqual([
			['LOAN-000001', { item: 0 }],
			['LOAN-000003', { item: 2 }],
		]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		// The error output carries n8n's error shape, merged with the input item's own fields.
		expect(errors[0].json.loan_id).toBe('LOAN-000002');
		expect((errors[0].json.details as { outcome: string }).outcome).toBe('rejected');
		expect(errors[0].json.error).toContain('field "payment_status" = "overdue": must be one of bounced, pending, partial, paid, received');
		expect(Object.keys(customers())).toEqual(['LOAN-000001', 'LOAN-000003']);
	});

	test.each([
		['404', 'camp_missing', 'Item 0: TimePay answered 404: Campaign not found'],
		['403', 'camp_other_org', 'Item 0: TimePay answered 403: Campaign ID invalid or mismatch for your organization.'],
	])('%s from the API fails the item with the API message', async (code, campaignId, message) => {
		const res = await add([debtRecord(1)], { campaignId });
		expect(res.error?.message).toBe(message);
		expect(res.error?.httpCode).toBe(code);
	});

	test('documented 400 and 500 bodies: message and record errors reach the user; 500 is not retried', async () => {
		sb.current.setFaults({
			faults: [{ type: '400', path: '/timepay', body: { success: false, message: 'Validation failed', errors: ["Record 0: Missing required field 'phone_number'"] } }],
		});
		const bad = await add([debtRecord(1)]);
		expect(bad.error?.message).toBe('Item 0: TimePay answered 400: Validation failed');
		expect(bad.error?.description).toContain("Record 0: Missing required field 'phone_number'");

		sb.current.reset();
		sb.current.setFaults({ faults: [{ type: '500', path: '/timepay', body: { success: false, error: 'Internal Server Error', message: 'An unexpected error occurred' } }] });
		const crash = await add([debtRecord(1)]);
		expect(crash.error?.message).toBe('Item 0: TimePay answered 500: An unexpected error occurred');
		expect(requests()).toHaveLength(1);
	});

	test('without continue-on-fail, the error names the items already sent and accepted', async () => {
		const res = await add([debtRecord(1), debtRecord(2), debtRecord(3)], { campaignId: '={{ $json.loan_id === "LOAN-000003" ? "camp_missing" : "camp_debt_demo" }}', options: { concurrency: 1 } });
		expect(res.error?.message).toBe('Item 2: TimePay answered 404: Campaign not found');
		expect(res.error?.description).toContain('Already sent and accepted in this run: items 0, 1.');
	});

	test('continueOnFail: an API failure becomes that item\'s output, with pairedItem', async () => {
		const res = await add([debtRecord(1), debtRecord(2)], { campaignId: '={{ $json.loan_id === "LOAN-000002" ? "camp_missing" : "camp_debt_demo" }}' }, { continueOnFail: true });
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => o.json.outcome ?? (o.json.details as { outcome: string }).outcome)).toEqual(['added', 'rejected']);
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[1].json.error).toBe('Item 1: TimePay answered 404: Campaign not found');
		expect(out[1].json.details).toMatchObject({ httpCode: '404' });
	});

	test('a bad token is a clear 401 error and the token is nowhere in the run', async () => {
		const res = await runNode({
			type: 'timePay',
			parameters: base,
			input: [debtRecord(1)],
			credentials: timePayCredentials(sb.current.url, 'tp_wrong_token_123456'),
		});
		expect(res.error?.message).toBe('Item 0: TimePay answered 401: Unauthorized: missing or invalid token');
		expect(res.error?.description).toContain('Check the API token');
		expect(JSON.stringify(res.run)).not.toContain('tp_wrong_token_123456');
	});

	test('the token never appears in outputs or errors', async () => {
		const res = await add([debtRecord(1), debtRecord(2, { phone_number: '' })], {}, { onError: 'continueErrorOutput' });
		expect(res.outputs[1]).toHaveLength(1);
		expect(JSON.stringify(res.run)).not.toContain(TOKEN);
	});

	test('concurrency is a real bound on requests in flight', async () => {
		sb.current.setFaults({ latencyMs: 40 });
		const res = await add(Array.from({ length: 12 }, (_, i) => debtRecord(i)), { options: { concurrency: 3 } });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0]).toHaveLength(12);
		expect(sb.current.state().peakInFlight).toBe(3);
	});

	test('retries 429 (Retry-After), 503 and resets; a retry after an applied request ends "already present", never a duplicate', async () => {
		sb.current.setFaults({
			faults: [
				{ type: '429', times: 2, retryAfter: 0, path: '/timepay' },
				{ type: '503', times: 1, path: '/timepay' },
				{ type: 'resetAfter', times: 1, path: '/timepay' },
			],
		});
		const res = await add([debtRecord(1)], { options: { maxAttempts: 6 } });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json).toMatchObject({ id: 'LOAN-000001', outcome: 'already present' });
		expect(Object.keys(customers())).toEqual(['LOAN-000001']);
		expect(requests()).toHaveLength(5);
	}, 30000);

	test('a hung request times out and is retried', async () => {
		sb.current.setFaults({ faults: [{ type: 'hang', times: 1, path: '/timepay' }] });
		const res = await add([debtRecord(1)], { options: { timeoutSeconds: 1 } });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json.outcome).toBe('added');
	}, 30000);

	test('when retries run out, the error names the host and the attempts', async () => {
		sb.current.setFaults({ faults: [{ type: 'reset', times: 10, path: '/timepay' }] });
		const res = await add([debtRecord(1)], { options: { maxAttempts: 2 } });
		expect(res.error?.message).toMatch(/^Item 0: Could not reach TimePay at 127\.0\.0\.1:\d+: the connection was reset \(2 attempts\)$/);
		expect(res.error?.description).toMatch(/^ECONNRESET\./);
	}, 30000);

	test('an expression that throws for one item: under continue-on-fail that item carries the error, the others are added', async () => {
		const campaignId = '={{ $json.loan_id === "LOAN-000002" ? $("Nope").item.json.id : "camp_debt_demo" }}';
		const res = await add([debtRecord(1), debtRecord(2), debtRecord(3)], { campaignId }, { continueOnFail: true });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => [o.json.outcome ?? o.json.error, o.pairedItem])).toEqual([
			['added', { item: 0 }],
			["Item 1: Referenced node doesn't exist", { item: 1 }],
			['added', { item: 2 }],
		]);
		expect(Object.keys(customers())).toEqual(['LOAN-000001', 'LOAN-000003']);
		const check = await add([debtRecord(4), debtRecord(2)], { campaignId, options: { validateOnly: true } });
		expect(check.outputs[0].map((o) => [o.json.outcome, o.json.problems])).toEqual([
			['valid', undefined],
			['invalid', ["Item 1: Referenced node doesn't exist"]],
		]);
	});

	test('validate only: reports what would be sent and every problem, sends nothing', async () => {
		const res = await add([debtRecord(1), debtRecord(2, { loan_period: 0, phone_number: '' })], { options: { validateOnly: true } });
		expect(res.error).toBeUndefined();
		const [valid, invalid] = res.outputs[0];
		expect(valid.json).toMatchObject({ outcome: 'valid', wouldSend: { campaignId: 'camp_debt_demo', data: { loan_id: 'LOAN-000001' } } });
		expect(invalid.json.outcome).toBe('invalid');
		expect(invalid.json.problems).toEqual([
			'Item 1: field "phone_number" is required',
			'Item 1: field "loan_period" = 0: must be at least 1',
		]);
		expect(requests()).toHaveLength(0);
	});
});
