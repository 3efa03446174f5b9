/**
 * Keys a user supplies — custom, additional and associate fields, business fields, and input
 * fields passed through — in all four nodes: each either goes out as data, or is refused with an
 * error naming the item and the key, and nothing is sent for that item. What the sandbox received
 * is the proof. (Cuoral has no field whose name the user chooses.)
 */
import type { IDataObject } from 'n8n-workflow';

import { AcqueonLcmApi } from '../../credentials/AcqueonLcmApi.credentials';
import { KaptureCrmApi } from '../../credentials/KaptureCrmApi.credentials';
import { AcqueonLcm } from '../../nodes/AcqueonLcm/AcqueonLcm.node';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import { registerNode, runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { basicCredentials, createParams, person, readData } from '../acqueon/fixtures';
import { autoMap, debtRecord, timePayCredentials } from '../timepay/fixtures';

registerNode('kaptureCrm', new KaptureCrm(), { kaptureCrmApi: new KaptureCrmApi() });
registerNode('acqueonLcm', new AcqueonLcm(), { acqueonLcmApi: new AcqueonLcmApi() });

const sb = useSandbox();
const requests = (part: string) => (sb.current.state().requests as Array<{ path: string }>).filter((r) => r.path.includes(part));
/** An object as a webhook's JSON body gives it: `__proto__` an own key, as JSON.parse makes it. */
const parsed = (json: string): IDataObject => JSON.parse(json) as IDataObject;
const withKeys = (record: IDataObject, json: string): IDataObject => ({ ...record, ...parsed(json) });
const ownKeys = (o: unknown) => Object.keys(o as object);

describe('TimePay: custom fields and input fields passed through', () => {
	const customers = () => sb.current.state().timePay.campaigns.camp_debt_demo.customers as Record<string, IDataObject>;
	const timePay = (parameters: IDataObject, input: IDataObject[], more: Partial<Parameters<typeof runNode>[0]> = {}) =>
		runNode({ type: 'timePay', parameters, input, credentials: timePayCredentials(sb.current.url), ...more });
	const addParams = (operation: string): IDataObject => ({
		resource: 'customer',
		operation,
		campaignId: 'camp_debt_demo',
		campaignType: 'debtCollection',
		columns: autoMap,
		options: { includeOtherFields: true },
	});

	test.each(['add', 'bulkAdd'])('%s: "constructor" and "prototype" are sent as data', async (operation) => {
		const res = await timePay(addParams(operation), [withKeys(debtRecord(1), '{"constructor": "c-1", "prototype": "p-1", "branch": "Pune"}')]);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(['added']);
		const stored = customers()['LOAN-000001'];
		expect(stored).toMatchObject({ branch: 'Pune' });
		expect(Object.getOwnPropertyDescriptor(stored, 'constructor')?.value).toBe('c-1');
		expect(Object.getOwnPropertyDescriptor(stored, 'prototype')?.value).toBe('p-1');
	});

	test('add: an input field named "__proto__" is refused, naming the item and the key; nothing is sent', async () => {
		const res = await timePay(addParams('add'), [debtRecord(1), withKeys(debtRecord(2), '{"__proto__": {"loan_id": "LOAN-X"}}')]);
		expect(res.error?.message).toBe(
			'Item 1: field "__proto__": cannot be sent as a field name: servers written in JavaScript take "__proto__" for an object\'s prototype, not for data. Rename the field',
		);
		expect(requests('/customers/add')).toHaveLength(0);
	});

	test('bulkAdd: the record with a "__proto__" field is rejected, not sent; the others are added', async () => {
		// Its value would supply the required fields if it became the record's prototype: the
		// record must be judged on what it holds itself, and that is what would be sent.
		const sneaky = parsed(`{"loan_id": "LOAN-000002", "__proto__": ${JSON.stringify(debtRecord(2))}}`);
		const res = await timePay(addParams('bulkAdd'), [debtRecord(1), sneaky, debtRecord(3)], { continueOnFail: true });
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => o.json.outcome ?? (o.json.details as IDataObject).outcome)).toEqual(['added', 'rejected', 'added']);
		expect(out[1].json.error).toContain('Item 1: ');
		expect(out[1].json.error).toContain('field "__proto__": cannot be sent as a field name');
		expect(ownKeys(customers()).sort()).toEqual(['LOAN-000001', 'LOAN-000003']);
	});

	test('bulkUpdate: custom fields "constructor" and "prototype" are sent; "__proto__" is refused for its item only', async () => {
		await timePay(addParams('bulkAdd'), [debtRecord(1), debtRecord(2)]);
		const res = await timePay(
			{
				resource: 'customer',
				operation: 'bulkUpdate',
				campaignId: 'camp_debt_demo',
				customerId: '={{ $json.loan_id }}',
				customFields: {
					field: [
						{ name: 'constructor', value: 'c-upd' },
						{ name: 'prototype', value: 'p-upd' },
						{ name: '={{ $json.loan_id === "LOAN-000002" ? "__proto__" : "note" }}', value: '={{ { payment_status: "paid" } }}' },
					],
				},
			},
			[debtRecord(1), debtRecord(2)],
			{ continueOnFail: true },
		);
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => o.json.outcome ?? (o.json.details as IDataObject).outcome)).toEqual(['updated', 'rejected']);
		expect(out[1].json.error).toContain('Item 1: ');
		expect(out[1].json.error).toContain('field "customFields[2].name" = "__proto__": cannot be sent as a field name');
		const [one, two] = [customers()['LOAN-000001'], customers()['LOAN-000002']];
		expect(Object.getOwnPropertyDescriptor(one, 'constructor')?.value).toBe('c-upd');
		expect(Object.getOwnPropertyDescriptor(one, 'prototype')?.value).toBe('p-upd');
		expect(one.note).toEqual({ payment_status: 'paid' });
		// The refused record was not sent: item 2's customer is as it was.
		expect(two.payment_status).toBe('pending');
		expect(Object.getOwnPropertyDescriptor(two, 'constructor')).toBeUndefined();
	});

	test('initiate: a custom filter on a "constructor" field is sent; one with "__proto__" is refused', async () => {
		await timePay(addParams('bulkAdd'), [withKeys(debtRecord(1), '{"constructor": "yes"}'), debtRecord(2)]);
		const initiate = { resource: 'call', operation: 'initiate', campaignId: 'camp_debt_demo', agentId: 'agent_demo', dispositionId: 'disp_demo', requestMode: 'perItem' };
		const res = await timePay({ ...initiate, filters: { custom: '{"constructor": "yes"}' } }, [{}]);
		expect(res.error).toBeUndefined();
		expect(sb.current.state().timePay.campaigns.camp_debt_demo.calls).toEqual(['LOAN-000001']);
		const refused = await timePay({ ...initiate, filters: { custom: '{"__proto__": {"branch": "Pune"}}' } }, [{}]);
		expect(refused.error?.message).toContain('Item 0: field "filters.custom.__proto__": cannot be sent as a field name');
		expect(requests('/initiate/')).toHaveLength(1);
	});
});

describe('Kapture CRM: additional and associate fields', () => {
	const creds = () => ({ kaptureCrmApi: { subdomain: 'acme', token: sandboxCredentials.kapture.token, baseUrl: `${sb.current.url}/kapture` } });
	const params = (fields: Array<{ key: string; value: string }>, enquiryFields = fields): IDataObject => ({
		resource: 'customer',
		operation: 'addOrUpdate',
		mode: 'add',
		customerName: 'Asha Verma',
		phone: '9380491387',
		customerAdditionalFields: { field: fields },
		customerAssociateFields: { field: fields },
		enquiry: { remarks: 'call back', additionalFields: { field: enquiryFields }, associateFields: { field: enquiryFields } },
	});

	test('"constructor" and "prototype" keys are sent as data, in every key/value list', async () => {
		const fields = [
			{ key: 'constructor', value: 'c' },
			{ key: 'prototype', value: 'p' },
			{ key: 'plan', value: 'gold' },
		];
		const res = await runNode({ type: 'kaptureCrm', parameters: params(fields), input: [{}], credentials: creds() });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json.outcome).toBe('added');
		const body = sb.current.state().kapture.lastBody;
		for (const map of [
			body.customer_info.additional_fields,
			body.customer_info.associate_fields,
			body.enquiry_info.additional_fields,
			body.enquiry_info.associate_fields,
		]) {
			expect(ownKeys(map)).toEqual(['constructor', 'prototype', 'plan']);
			expect(Object.getOwnPropertyDescriptor(map, 'constructor')?.value).toBe('c');
		}
	});

	test('a "__proto__" key is refused, naming the item, the list and the key; nothing is sent', async () => {
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: params([{ key: 'plan', value: 'gold' }], [{ key: ' __proto__ ', value: 'x' }]),
			input: [{}, {}],
			credentials: creds(),
		});
		expect(res.error?.message).toBe(
			'Item 0: field "enquiry_info.additional_fields[0].key" = "__proto__": cannot be sent as a field name: servers written in JavaScript take "__proto__" for an object\'s prototype, not for data. Rename the field; ' +
				'field "enquiry_info.associate_fields[0].key" = "__proto__": cannot be sent as a field name: servers written in JavaScript take "__proto__" for an object\'s prototype, not for data. Rename the field',
		);
		expect(requests('/kapture')).toHaveLength(0);
	});
});

describe('Acqueon LCM: business fields, contact detail and input fields', () => {
	const contacts = () => sb.current.state().acqueon.contacts as Array<{ data: IDataObject }>;
	const run = (extra: IDataObject, input: IDataObject[] = [person(1)], more: Partial<Parameters<typeof runNode>[0]> = {}) =>
		runNode({ type: 'acqueonLcm', parameters: createParams(extra), input, credentials: basicCredentials(sb.current.url), ...more });

	test('names JavaScript readers would rename (toString, Constructor, ...) are sent as they are', async () => {
		const res = await run({
			businessFields: { field: [{ name: 'toString', value: 'a' }, { name: 'Constructor', value: 'b' }, { name: 'hasOwnProperty', value: 'c' }] },
			additionalFields: { contactDetail: { field: [{ name: 'valueOf', value: 'd' }, { name: 'Prototype', value: 'e' }] } },
		});
		expect(res.error).toBeUndefined();
		const [sent] = contacts();
		expect(sent.data.BussinessFields).toBe('<Data><toString>a</toString><Constructor>b</Constructor><hasOwnProperty>c</hasOwnProperty></Data>');
		expect(readData(sent.data.ContactDetail as string)).toEqual({ valueOf: 'd', Prototype: 'e' });
	});

	test.each(['__proto__', 'constructor', 'prototype'])('contact detail name %p is refused, naming the item and the name', async (name) => {
		const res = await run({ additionalFields: { contactDetail: { field: [{ name, value: 'x' }] } } }, [person(1), person(2)]);
		expect(res.error?.message).toBe(
			`Item 0: field "ContactDetail element name" = "${name}": is reserved: XML readers written in JavaScript refuse "${name}" as a name (it would reach an object's prototype), so it cannot be sent. Rename the field`,
		);
		expect(contacts()).toHaveLength(0);
	});

	test('an input field named "constructor" is refused for its item, with the way out; left out, the item is sent', async () => {
		const input = [person(1), withKeys(person(2), '{"constructor": "x", "__proto__": {"first_name": "Y"}}')];
		const res = await run({ includeInputFields: true }, input, { continueOnFail: true });
		const out = res.outputs[0];
		expect(out[0].json.outcome).toBe('created');
		expect(out[1].json.error).toBe(
			'Item 1: field "input field name" = "constructor": is reserved: XML readers written in JavaScript refuse "constructor" as a name (it would reach an object\'s prototype), so it cannot be sent. Rename the field (or list it in Input Fields to Leave Out); ' +
				'field "input field name" = "__proto__": is reserved: XML readers written in JavaScript refuse "__proto__" as a name (it would reach an object\'s prototype), so it cannot be sent. Rename the field (or list it in Input Fields to Leave Out)',
		);
		expect(contacts()).toHaveLength(1);
		const left = await run({ includeInputFields: true, excludeInputFields: 'constructor, __proto__' }, [input[1]]);
		expect(left.error).toBeUndefined();
		expect(readData(contacts()[1].data.BussinessFields as string)).toEqual({ first_name: 'Asha2', last_name: 'Verma', phone: '9810000002' });
	});
});

describe('Numbers JSON cannot carry (NaN, Infinity: e.g. a 400-digit number in a webhook body) are refused, not sent as null', () => {
	const customers = () => sb.current.state().timePay.campaigns.camp_debt_demo.customers as Record<string, IDataObject>;
	const RULE = 'must be a finite number: JSON would send it as null';
	const big = Number(`1${'0'.repeat(400)}`); // Infinity, as JSON.parse reads 400 digits

	test.each(['add', 'bulkAdd'])('TimePay %s: an input field passed through as a custom field', async (operation) => {
		const res = await runNode({
			type: 'timePay',
			parameters: { resource: 'customer', operation, campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap, options: { includeOtherFields: true } },
			input: [debtRecord(1), { ...debtRecord(2), account_no: big, score: { last: Number.NaN } }],
			credentials: timePayCredentials(sb.current.url),
			continueOnFail: true,
		});
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out[0].json.outcome).toBe('added');
		// Bulk Add adds " (not sent)": the record was judged with the others.
		expect(String(out[1].json.error).replace(/ \(not sent\)$/, '')).toBe(`Item 1: field "account_no" = Infinity: ${RULE}; field "score.last" = NaN: ${RULE}`);
		expect(Object.keys(customers())).toEqual(['LOAN-000001']);
	});

	test('TimePay bulkAdd: a documented field is named once, in its own words', async () => {
		const res = await runNode({
			type: 'timePay',
			parameters: { resource: 'customer', operation: 'bulkAdd', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap, options: { includeOtherFields: true } },
			input: [{ ...debtRecord(1), loan_amount: big }],
			credentials: timePayCredentials(sb.current.url),
		});
		expect(res.outputs[0]?.[0]?.json.message ?? res.error?.message).toBe('Item 0: field "loan_amount" = Infinity: must be a finite number (not sent)');
	});

	test('Kapture: an additional field an expression made Infinity', async () => {
		const res = await runNode({
			type: 'kaptureCrm',
			parameters: { resource: 'customer', operation: 'addOrUpdate', mode: 'add', customerName: 'Asha Verma', phone: '9380491387', customerAdditionalFields: { field: [{ key: 'limit', value: '={{ $json.limit }}' }] } },
			input: [{ limit: big }],
			credentials: { kaptureCrmApi: { subdomain: 'acme', token: sandboxCredentials.kapture.token, baseUrl: `${sb.current.url}/kapture` } },
		});
		expect(res.error?.message).toBe(`Item 0: field "customer_info.additional_fields.limit" = Infinity: ${RULE}`);
		expect(requests('/kapture')).toHaveLength(0);
	});
});
