import type { IDataObject } from 'n8n-workflow';

import { KaptureCrmApi } from '../../credentials/KaptureCrmApi.credentials';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import { registerNode, runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';

registerNode('kaptureCrm', new KaptureCrm(), { kaptureCrmApi: new KaptureCrmApi() });

const sb = useSandbox();
const TOKEN = sandboxCredentials.kapture.token;
const { READ_ONLY_TOKEN } = require('../sandbox/kapture') as { READ_ONLY_TOKEN: string };

const creds = (overrides: IDataObject = {}) => ({
	kaptureCrmApi: { subdomain: 'acme', token: TOKEN, baseUrl: `${sb.current.url}/kapture`, ...overrides },
});

/** Parameters mapping each input item's name/phone/email with plain expressions. */
const params = (extra: IDataObject = {}): IDataObject => ({
	resource: 'customer',
	operation: 'addOrUpdate',
	mode: 'add',
	customerName: '={{ $json.name }}',
	phone: '={{ $json.phone }}',
	email: '={{ $json.email }}',
	...extra,
});

const person = (i: number, overrides: IDataObject = {}): IDataObject => ({
	name: `Asha Verma ${i}`,
	phone: `93804913${String(i).padStart(2, '0')}`,
	email: `asha${i}@example.com`,
	...overrides,
});

const state = () => sb.current.state().kapture;
const requests = () => sb.current.state().requests as Array<{ path: string; authorization: string }>;
const noSecret = (value: unknown) => expect(JSON.stringify(value)).not.toContain(TOKEN);

describe('Kapture CRM Customer → Add or Update: success', () => {
	test('adds each item; outputs ids, event, message and outcome, paired with its input', async () => {
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params({ contacts: { contact: [{ firstName: 'Asha', phone: '={{ $json.phone }}' }] } }),
			input: [person(1), person(2), person(3)],
			credentials: creds(),
		});
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out).toHaveLength(3);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toEqual({
			customer_id: '191690263',
			contact_id: '210004093',
			action: 'CUSTOMER',
			action_event: 'ADD_CUSTOMER',
			message: 'Customer Added successfully !Contact Added successfully !',
			outcome: 'added',
			name: 'Asha Verma 1',
			phone: '9380491301',
			email: 'asha1@example.com',
		});
		expect(new Set(out.map((o) => o.json.customer_id)).size).toBe(3);
		expect(state().customerCount).toBe(3);
		// Sent exactly as "Basic <token>" (the sandbox accepts nothing else).
		expect(requests().every((r) => r.authorization === 'Basic')).toBe(true);
		noSecret(out);
	});

	test('maps every documented field into customer_info, contact_info and enquiry_info', async () => {
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params({
				phone: '+91 93804-91387',
				email: 'abc@example.com',
				customerName: 'ABC',
				customerFields: {
					address: 'jalsa',
					assignEmployeeCode: 'E-7',
					assignEmployeeEmail: 'agent@example.com',
					assignEmployeeName: 'Ravi',
					city: 'Mumbai',
					classification: 'Gold',
					country: 'India',
					customerCode: 'C-001',
					customerKind: 'individual',
					customerRemarks: 'VIP',
					locality: 'Bandra',
					pincode: '400050',
					primarySource: 'web',
					remarks: 'testing',
					secondarySource: 'ads',
					state: 'MH',
					tertiarySource: 'google',
					type: 'Retail',
					zone: 'West',
				},
				customerAdditionalFields: { field: [{ key: 'loan_id', value: 'LOAN-1' }, { key: 'segment', value: 'A' }] },
				customerAssociateFields: { field: [{ key: 'branch', value: 'Andheri' }] },
				contacts: {
					contact: [
						{
							additionalPhone: '9000000001',
							contactPersonName: 'Sashank G',
							countryCode: '+91',
							dateOfBirth: '1990-04-01',
							email: 'sashank@example.com',
							firstName: 'Sashank',
							gender: 'Male',
							lastName: 'Goenka',
							matchEmailPhone: true,
							phone: '9380491387',
							title: 'Mr',
						},
						{ email: 'second@example.com' },
					],
				},
				enquiry: {
					action: 'CALLBACK',
					additionalFields: { field: [{ key: 'product', value: 'Home loan' }] },
					assignEmployeeCode: 'E-8',
					assignEmployeeEmail: 'owner@example.com',
					assignEmployeeName: 'Meera',
					associateFields: { field: [{ key: 'campaign', value: 'Diwali' }] },
					nextFollowUpDate: '2025-03-05 10:00:00',
					remarks: 'call back',
					roundRobinKey: 'rr-1',
					subStatus: 'Interested',
				},
			}),
			input: [{}],
			credentials: creds(),
		});
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json.outcome).toBe('added');
		expect(state().lastBody).toEqual({
			customer_info: {
				customer_name: 'ABC',
				phone: '+919380491387',
				email_id: 'abc@example.com',
				address: 'jalsa',
				customer_assign_emp_code: 'E-7',
				customer_assign_emp_email: 'agent@example.com',
				customer_assign_emp_name: 'Ravi',
				city: 'Mumbai',
				classification: 'Gold',
				country: 'India',
				customer_code: 'C-001',
				customer_remarks: 'VIP',
				locality: 'Bandra',
				pincode: '400050',
				primary_source: 'web',
				remarks: 'testing',
				secondary_source: 'ads',
				state: 'MH',
				tertiary_source: 'google',
				type: 'Retail',
				zone: 'West',
				individual: true,
				organization: false,
				channel_partner: false,
				additional_fields: { loan_id: 'LOAN-1', segment: 'A' },
				associate_fields: { branch: 'Andheri' },
				update: false,
			},
			contact_info: [
				{
					additional_contact_phone: '9000000001',
					contact_person_name: 'Sashank G',
					country_code: '+91',
					dob: '1990-04-01',
					contact_person_email: 'sashank@example.com',
					first_name: 'Sashank',
					gender: 'Male',
					last_name: 'Goenka',
					contact_person_phone: '9380491387',
					title: 'Mr',
					update: false,
					matchEmailPhone: true,
				},
				{ contact_person_email: 'second@example.com', update: false, matchEmailPhone: false },
			],
			enquiry_info: {
				action: 'CALLBACK',
				assign_emp_code: 'E-8',
				assign_emp_email: 'owner@example.com',
				assign_emp_name: 'Meera',
				next_follow_up_date: '2025-03-05 10:00:00',
				remarks: 'call back',
				round_robin_key: 'rr-1',
				subStatus: 'Interested',
				additional_fields: { product: 'Home loan' },
				associate_fields: { campaign: 'Diwali' },
				update: false,
			},
		});
	});

	test('Update mode sets every update flag true and reports "updated"', async () => {
		const added = await runNode({ type: 'kaptureCrm', parameters: params({ contacts: { contact: [{ phone: '9380491301' }] } }), input: [person(1)], credentials: creds() });
		const { customer_id, contact_id } = added.outputs[0][0].json;
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params({
				mode: 'update',
				customerId: '={{ $json.customer_id }}',
				customerFields: { city: 'Pune' },
				contacts: { contact: [{ contactId: '={{ $json.contact_id }}', phone: '9380491301', lastName: 'V' }] },
				enquiry: { remarks: 'follow up' },
			}),
			input: [{ ...person(1), customer_id, contact_id }],
			credentials: creds(),
		});
		expect(res.error).toBeUndefined();
		const out = res.outputs[0][0];
		expect(out.json).toMatchObject({ customer_id, contact_id, action_event: 'UPDATE_CUSTOMER', outcome: 'updated' });
		const body = state().lastBody;
		expect(body.customer_info.update).toBe(true);
		expect(body.customer_info.customer_id).toBe(customer_id);
		expect(body.contact_info.map((c: IDataObject) => c.update)).toEqual([true]);
		expect(body.enquiry_info.update).toBe(true);
		expect(state().customerCount).toBe(1);
		expect(state().customers[0].info.city).toBe('Pune');
	});

	test('Add mode never sends customer_id and keeps every update flag false', async () => {
		await runNode({
			type: 'kaptureCrm',
			parameters: params({ customerId: '123', contacts: { contact: [{ phone: '9380491301' }] }, enquiry: { remarks: 'x' } }),
			input: [person(1)],
			credentials: creds(),
		});
		const body = state().lastBody;
		expect(body.customer_info.customer_id).toBeUndefined();
		expect([body.customer_info.update, body.contact_info[0].update, body.enquiry_info.update]).toEqual([false, false, false]);
	});

	test('a phone given as a number and an email-only customer are accepted', async () => {
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params(),
			input: [{ name: 'N', phone: 9380491387 }, { name: 'E', phone: '', email: 'e@example.com' }],
			credentials: creds(),
		});
		expect(res.error).toBeUndefined();
		expect(state().bodies.map((b: IDataObject) => b.customer_info)).toEqual([
			expect.objectContaining({ customer_name: 'N', phone: '9380491387' }),
			expect.objectContaining({ customer_name: 'E', email_id: 'e@example.com' }),
		]);
		expect(state().bodies[1].customer_info.phone).toBeUndefined();
		expect(state().bodies[0].contact_info).toBeUndefined();
	});

	test('concurrency is a real bound on requests in flight', async () => {
		sb.current.setFaults({ latencyMs: 40 });
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params({ options: { concurrency: 3 } }),
			input: Array.from({ length: 12 }, (_, i) => person(i)),
			credentials: creds(),
		});
		expect(res.error).toBeUndefined();
		expect(res.outputs[0]).toHaveLength(12);
		expect(sb.current.state().peakInFlight).toBe(3);
	});
});

describe('Kapture CRM: checks before sending', () => {
	test('"name and (phone or email)" is checked before any request', async () => {
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params(),
			input: [person(1), { name: 'No Contact', phone: '', email: '' }],
			credentials: creds(),
		});
		expect(res.error?.message).toMatch(/^Item 1: field "customer_info\.phone".*phone or an email/);
		expect(requests()).toHaveLength(0);
	});

	test('missing name, bad email, bad phone and a contact without phone/email are all named', async () => {
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params({ contacts: { contact: [{ firstName: 'X' }] }, customerAdditionalFields: { field: [{ key: '', value: 'orphan' }, { key: 'a', value: '1' }, { key: 'a', value: '2' }] } }),
			input: [{ name: '', phone: '12ab', email: 'not-an-email' }],
			credentials: creds(),
		});
		const msg = res.error?.message ?? '';
		expect(msg).toContain('customer_info.customer_name');
		expect(msg).toContain('customer_info.phone');
		expect(msg).toContain('customer_info.email_id');
		expect(msg).toContain('contact_info.0.contact_person_phone');
		expect(msg).toContain('customer_info.additional_fields[0].key');
		expect(msg).toContain('customer_info.additional_fields[2].key');
		expect(requests()).toHaveLength(0);
	});

	test('continue-on-fail: the invalid item is an error item, the others are sent', async () => {
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params(),
			input: [person(1), { name: 'Nobody' }, person(3)],
			credentials: creds(),
			continueOnFail: true,
		});
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.outcome).toBe('added');
		expect(String(out[1].json.error)).toMatch(/^Item 1: .*phone or an email/);
		expect(out[2].json.outcome).toBe('added');
		expect(state().customerCount).toBe(2);
	});

	test('validate only: nothing is sent; each item says valid or invalid with what would be sent', async () => {
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params({ options: { validateOnly: true } }),
			input: [person(1), { name: 'Nobody' }],
			credentials: creds({ token: 'wrong', subdomain: 'still-fine' }),
		});
		expect(res.error).toBeUndefined();
		const [a, b] = res.outputs[0];
		expect(a.json.outcome).toBe('valid');
		expect((a.json.wouldSend as IDataObject).customer_info).toMatchObject({ customer_name: 'Asha Verma 1', update: false });
		expect(b.json.outcome).toBe('invalid');
		expect(String((b.json.problems as string[])[0])).toContain('phone or an email');
		expect(b.pairedItem).toEqual({ item: 1 });
		expect(requests()).toHaveLength(0);
	});
});

describe('Kapture CRM: documented answers', () => {
	test('bad token: HTTP 200 "Invalid Auth Key" is an error that says the token is wrong, without the token', async () => {
		const bad = 'bad-token-value-123';
		const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1)], credentials: creds({ token: bad }) });
		expect(res.error?.message).toBe("Item 0: Kapture CRM rejected the credential's API token (Invalid Auth Key)");
		expect(res.error?.description).toMatch(/API token in the Kapture CRM credential is wrong/);
		expect(JSON.stringify(res.error)).not.toContain(bad);
		expect(res.outputs[0] ?? []).toHaveLength(0);
	});

	test('HTTP 200 "Name, Email Id, and Phone Number required" is an item error, never a success', async () => {
		sb.current.setFaults({ faults: [{ type: '200', path: '/kapture', body: { message: 'Name, Email Id, and Phone Number required', status: 'failed' } }] });
		const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1), person(2)], credentials: creds(), continueOnFail: true });
		expect(res.error).toBeUndefined();
		const [a, b] = res.outputs[0];
		expect(a.json.error).toBe('Item 0: Kapture CRM refused the customer: Name, Email Id, and Phone Number required');
		expect(a.json.outcome).toBeUndefined();
		expect(a.pairedItem).toEqual({ item: 0 });
		expect(b.json.outcome).toBe('added');
	});

	test('a contact the API refuses (200 + failed) is the item error', async () => {
		// The node checks contacts too; a raw "failed" body from the API is handled the same way.
		sb.current.setFaults({ faults: [{ type: '200', path: '/kapture', body: { message: 'Contact person phone or email required', status: 'failed' } }] });
		const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1)], credentials: creds() });
		expect(res.error?.message).toBe('Item 0: Kapture CRM refused the customer: Contact person phone or email required');
	});

	test.each([
		[400, { status: 'failed', message: 'Bad Request - Invalid parameters or missing data' }, /invalid/],
		[401, { status: 'failed', message: 'Unauthorized - Invalid or missing API key' }, /API token in the Kapture CRM credential/],
		[404, { status: 'failed', message: 'Not Found - Resource or endpoint not found' }, /Subdomain/],
		[500, { status: 'failed', message: 'Internal Server Error - Server-side issue' }, /may or may not have been saved/],
	])('documented HTTP %i is an item error with the API message and a hint', async (status, body, hint) => {
		sb.current.setFaults({ faults: [{ type: String(status), path: '/kapture', body }] });
		const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1)], credentials: creds() });
		expect(res.error?.message).toBe(`Item 0: Kapture CRM answered ${status}: ${body.message}`);
		expect(res.error?.description).toMatch(hint);
		expect(res.error?.httpCode).toBe(String(status));
		// Not retried: a 500 may have been applied.
		expect(requests()).toHaveLength(1);
	});

	test('HTTP 403 from a token without permission', async () => {
		const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1)], credentials: creds({ token: READ_ONLY_TOKEN }) });
		expect(res.error?.message).toBe('Item 0: Kapture CRM answered 403: Forbidden - Insufficient permissions');
		expect(res.error?.description).toMatch(/permission/);
		expect(JSON.stringify(res.error)).not.toContain(READ_ONLY_TOKEN);
	});

	test('error output: good items on output 0, failed ones on output 1, each paired', async () => {
		sb.current.setFaults({ faults: [{ type: '200', path: '/kapture', body: { message: 'Invalid Auth Key', status: 'failed' } }] });
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params({ options: { concurrency: 1 } }),
			input: [person(1), { name: 'Nobody' }, person(3)],
			credentials: creds(),
			onError: 'continueErrorOutput',
		});
		expect(res.error).toBeUndefined();
		const [ok, failed] = res.outputs;
		expect(ok.map((o) => o.json.outcome)).toEqual(['added']);
		expect(ok[0].pairedItem).toEqual({ item: 2 });
		expect(failed.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(String(failed[0].json.error)).toContain('Invalid Auth Key');
		expect(String(failed[1].json.error)).toContain('Item 1');
		noSecret(res.outputs);
	});
});

describe('Kapture CRM: faults and retries (add is not idempotent)', () => {
	test('a 429 with Retry-After is retried, and the customer is added once', async () => {
		sb.current.setFaults({ faults: [{ type: '429', times: 1, retryAfter: 0, path: '/kapture' }] });
		const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1)], credentials: creds() });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json.outcome).toBe('added');
		expect(requests()).toHaveLength(2);
		expect(state().customerCount).toBe(1);
	});

	test('a connection reset after the request was applied is not retried: error names the item, no duplicate', async () => {
		sb.current.setFaults({ faults: [{ type: 'resetAfter', times: 1, path: '/kapture' }] });
		const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1)], credentials: creds() });
		expect(res.error?.message).toMatch(/^Item 0: Could not reach Kapture CRM at 127\.0\.0\.1:\d+: .*\(1 attempt\)/);
		expect(res.error?.description).toMatch(/Not retried/);
		expect(requests()).toHaveLength(1);
		expect(state().customerCount).toBe(1);
	});

	test('under continue-on-fail a reset is that item\'s error; the other items go on', async () => {
		sb.current.setFaults({ faults: [{ type: 'resetAfter', times: 1, path: '/kapture' }] });
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params({ options: { concurrency: 1 } }),
			input: [person(1), person(2)],
			credentials: creds(),
			continueOnFail: true,
		});
		const [a, b] = res.outputs[0];
		expect(String(a.json.error)).toMatch(/^Item 0: Could not reach Kapture CRM/);
		expect(a.pairedItem).toEqual({ item: 0 });
		expect(b.json.outcome).toBe('added');
		expect(state().customerCount).toBe(2);
	});

	test('a 502 is not retried (the add may have been applied)', async () => {
		sb.current.setFaults({ faults: [{ type: '502', times: 1, path: '/kapture' }] });
		const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1)], credentials: creds() });
		expect(res.error?.message).toMatch(/^Item 0: Kapture CRM answered 502/);
		expect(requests()).toHaveLength(1);
	});

	test('an answer that never comes times out and is not retried', async () => {
		sb.current.setFaults({ faults: [{ type: 'hangAfter', times: 1, path: '/kapture' }] });
		const res = await runNode({ type: 'kaptureCrm', parameters: params({ options: { timeoutSeconds: 1 } }), input: [person(1)], credentials: creds() });
		expect(res.error?.message).toMatch(/^Item 0: Could not reach Kapture CRM .*no answer within 1000 ms/);
		expect(requests()).toHaveLength(1);
		expect(state().customerCount).toBe(1);
	});
});

describe('Kapture CRM: the host cannot be moved', () => {
	test.each([['evil.com#'], ['a.b'], ['x/../'], [''], ['a'.repeat(64)], ['-acme'], ['acme-'], ['acme.kapturecrm.com'], ['ac me'], ['acme?x=1'], ['user@evil.com']])(
		'subdomain %j is refused before any request',
		async (subdomain) => {
			const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1)], credentials: creds({ subdomain }) });
			expect(res.error?.message).toMatch(/^The Kapture CRM credential is not usable: Subdomain/);
			expect(requests()).toHaveLength(0);
		},
	);

	test('a plain-http Base URL Override off loopback is refused before any request', async () => {
		const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1)], credentials: creds({ baseUrl: 'http://example.com/kapture' }) });
		expect(res.error?.message).toMatch(/Base URL Override must use https/);
		expect(requests()).toHaveLength(0);
	});

	test('the secret appears in no output and no error', async () => {
		sb.current.setFaults({ faults: [{ type: '500', path: '/kapture', body: { status: 'failed', message: `echo Basic ${TOKEN} token=${TOKEN}` } }] });
		const res = await runNode({ type: 'kaptureCrm', parameters: params(), input: [person(1), person(2)], credentials: creds(), continueOnFail: true });
		expect(res.outputs[0]).toHaveLength(2);
		noSecret(res.outputs);
		noSecret(res.error ?? {});
		noSecret(res.run.data.resultData);
	});
});

describe('Kapture CRM: an unusable credential under continue-on-fail', () => {
	test.each([[true], [false]])('continueOnFail %j (else error output): every item is an error item, none passes through', async (continueOnFail) => {
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params(),
			input: [person(1), person(2)],
			credentials: creds({ subdomain: 'a.b' }),
			...(continueOnFail ? { continueOnFail: true } : { onError: 'continueErrorOutput' as const }),
		});
		expect(res.error).toBeUndefined();
		const failed = continueOnFail ? res.outputs[0] : res.outputs[1];
		if (!continueOnFail) expect(res.outputs[0]).toEqual([]);
		expect(failed.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(failed.every((o) => /credential is not usable: Subdomain/.test(String(o.json.error)))).toBe(true);
		expect(requests()).toHaveLength(0);
	});
});
