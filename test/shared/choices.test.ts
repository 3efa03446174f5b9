/**
 * Options and switches set by an expression, in all four nodes: a value the list does not hold
 * ends in an error naming the item, the parameter, the value and the allowed values — never a
 * JavaScript error, never a silent default — and nothing is sent for it.
 */
import type { IDataObject, ILoadOptionsFunctions, INode } from 'n8n-workflow';

import { AcqueonLcmApi } from '../../credentials/AcqueonLcmApi.credentials';
import { CuoralApi } from '../../credentials/CuoralApi.credentials';
import { KaptureCrmApi } from '../../credentials/KaptureCrmApi.credentials';
import { AcqueonLcm } from '../../nodes/AcqueonLcm/AcqueonLcm.node';
import { Cuoral } from '../../nodes/Cuoral/Cuoral.node';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import { TimePay } from '../../nodes/TimePay/TimePay.node';
import { registerNode, runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { basicCredentials, createParams, person } from '../acqueon/fixtures';
import { autoMap, debtRecord, timePayCredentials } from '../timepay/fixtures';

registerNode('kaptureCrm', new KaptureCrm(), { kaptureCrmApi: new KaptureCrmApi() });
registerNode('cuoral', new Cuoral(), { cuoralApi: new CuoralApi() });
registerNode('acqueonLcm', new AcqueonLcm(), { acqueonLcmApi: new AcqueonLcmApi() });

const sb = useSandbox();
const sent = () => (sb.current.state().requests as unknown[]).length;
const CAMPAIGN_TYPES = 'must be one of Debt Collection ("debtCollection"), Lead Generation ("leadGeneration")';

describe('TimePay', () => {
	const timePay = (parameters: IDataObject, input: IDataObject[] = [debtRecord(1)]) =>
		runNode({ type: 'timePay', parameters, input, credentials: timePayCredentials(sb.current.url) });
	const customer = (operation: string, extra: IDataObject = {}): IDataObject => ({
		resource: 'customer',
		operation,
		campaignId: 'camp_debt_demo',
		campaignType: 'debtCollection',
		columns: autoMap,
		...extra,
	});

	test.each(['add', 'bulkAdd'])('%s: Campaign Type from an expression that names no type', async (operation) => {
		const res = await timePay(customer(operation, { campaignType: '={{ "loans" }}' }));
		expect(res.error?.message).toBe(`Item 0: parameter "Campaign Type" = "loans": ${CAMPAIGN_TYPES}`);
		expect(sent()).toBe(0);
	});

	test('the listed value in other letter case is that value', async () => {
		const res = await timePay(customer('add', { campaignType: '={{ "DEBTCOLLECTION" }}' }));
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json.outcome).toBe('added');
	});

	test.each([
		['add', { afterAdding: '={{ "call" }}', agentId: 'agent_demo', dispositionId: 'disp_demo' }, 'parameter "After Adding" = "call": must be one of Do Nothing ("nothing"), Initiate Call ("initiateCall"), Run Workflow ("useWorkflow")'],
		['add', { options: { validateOnly: '={{ "yes" }}' } }, 'parameter "Validate Only (Dry Run)" = "yes": must be true or false'],
		['add', { options: { includeOtherFields: '={{ 1 }}' } }, 'parameter "Send Other Input Fields as Custom Fields" = 1: must be true or false'],
		['bulkAdd', { options: { outputMode: '={{ "summary" }}' } }, 'parameter "Output" = "summary": must be one of One Item per Record ("perRecord"), One Summary per Request ("perRequest")'],
		['bulkAdd', { options: { includeOtherFields: '={{ "maybe" }}' } }, 'parameter "Send Other Input Fields as Custom Fields" = "maybe": must be true or false'],
		['bulkUpdate', { customerId: '={{ $json.loan_id }}', updateFields: { payment_status: 'paid' }, options: { validateOnly: '={{ "no" }}' } }, 'parameter "Validate Only (Dry Run)" = "no": must be true or false'],
	])('%s: %j', async (operation, extra, message) => {
		const res = await timePay(customer(operation, extra as IDataObject));
		expect(res.error?.message).toBe(`Item 0: ${message}`);
		expect(sent()).toBe(0);
	});

	test('"true" and "false" from a sheet are the switch itself', async () => {
		const res = await timePay(customer('add', { options: { validateOnly: '={{ "TRUE" }}' } }));
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json.outcome).toBe('valid');
		expect(sent()).toBe(0);
	});

	test.each([
		[{ requestMode: '={{ "batch" }}' }, 'parameter "Send" = "batch": must be one of One Request for All Items ("allItems"), One Request per Item ("perItem")'],
		[{ skipRejected: '={{ "sometimes" }}' }, 'parameter "Skip Rejected Items" = "sometimes": must be true or false'],
	])('initiate: %j', async (extra, message) => {
		const res = await timePay({ resource: 'call', operation: 'initiate', campaignId: 'camp_debt_demo', agentId: 'agent_demo', dispositionId: 'disp_demo', ...extra }, [{ id: 'LOAN-1' }]);
		expect(res.error?.message).toBe(`Item 0: ${message}`);
		expect(sent()).toBe(0);
	});

	test.each([
		[{ resource: 'campaign', operation: 'getMany', returnAll: '={{ "all" }}' }, 'parameter "Return All" = "all": must be true or false'],
		[{ resource: 'disposition', operation: 'getMany', returnAll: '={{ 1 }}' }, 'parameter "Return All" = 1: must be true or false'],
		[{ resource: 'callLog', operation: 'getMany', returnAll: '={{ "yes" }}' }, 'parameter "Return All" = "yes": must be true or false'],
		[{ resource: 'callLog', operation: 'getMany', countOnly: '={{ "count" }}' }, 'parameter "Count Only" = "count": must be true or false'],
		// A Limit that is no number would read 50 records without a word.
		[{ resource: 'campaign', operation: 'getMany', limit: '={{ "ten" }}' }, 'parameter "Limit" = "ten": must be a whole number of at least 1'],
		[{ resource: 'disposition', operation: 'getMany', limit: '={{ 0 }}' }, 'parameter "Limit" = 0: must be a whole number of at least 1'],
		[{ resource: 'callLog', operation: 'getMany', filters: { type: '={{ "sms" }}' } }, 'parameter "Type" = "sms": must be one of Call ("call"), WhatsApp ("whatsapp")'],
	])('reads: %j', async (parameters, message) => {
		const res = await timePay(parameters, [{}]);
		expect(res.error?.message).toBe(`Item 0: ${message}`);
		expect(sent()).toBe(0);
	});

	test('reads: "TRUE" text is Return All and Count Only switched on', async () => {
		const all = await timePay({ resource: 'disposition', operation: 'getMany', returnAll: '={{ "TRUE" }}' }, [{}]);
		expect(all.error).toBeUndefined();
		expect(all.outputs[0].length).toBeGreaterThan(20); // more than one page of 20
		const count = await timePay({ resource: 'callLog', operation: 'getMany', countOnly: '={{ "true" }}', filters: { type: '={{ "Call" }}' } }, [{}]);
		expect(count.error).toBeUndefined();
		expect(count.outputs[0].map((o) => Object.keys(o.json))).toEqual([['total']]);
	});

	const initiate = (filters: IDataObject, extra: IDataObject = {}) =>
		timePay({ resource: 'call', operation: 'initiate', campaignId: 'camp_debt_demo', agentId: 'agent_demo', dispositionId: 'disp_demo', requestMode: 'perItem', filters, ...extra }, [{}]);

	test.each([
		[{ payment_status: '={{ "overdue" }}' }, {}, 'parameter "Payment Status" = ["overdue"]: may only hold Bounced ("bounced"), Pending ("pending"), Partial ("partial"), Paid ("paid"), Received ("received")'],
		[{ payment_status: '={{ ["paid", "late"] }}' }, {}, 'parameter "Payment Status" = ["paid","late"]: may only hold Bounced ("bounced"), Pending ("pending"), Partial ("partial"), Paid ("paid"), Received ("received")'],
		// A filter that would be dropped, or a limit that would be none: every customer would be called.
		[{ custom: '={{ 5 }}' }, {}, 'field "filters.custom" = 5: must be a JSON object'],
		[{ custom: '={{ ["branch"] }}' }, {}, 'field "filters.custom" = ["branch"]: must be a JSON object'],
		[{}, { callLimit: '={{ "ten" }}' }, 'field "limit" = "ten": must be a whole number'],
	])('initiate: %j %j', async (filters, extra, message) => {
		const res = await initiate(filters as IDataObject, extra as IDataObject);
		expect(res.error?.message).toBe(`Item 0: ${message}`);
		expect(sent()).toBe(0);
	});

	test('initiate: "PAID" is paid, and a limit from a sheet\'s text is a number', async () => {
		const res = await initiate({ payment_status: '={{ "PAID, pending" }}' }, { callLimit: '={{ " 25 " }}', options: { validateOnly: true } });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json.wouldSend).toMatchObject({ limit: 25, filters: { payment_status: ['paid', 'pending'] } });
	});

	describe('the resource mapper lists the fields of the Campaign Type', () => {
		const node = { name: 'TimePay', type: 'timePay', parameters: {} } as unknown as INode;
		const loadFields = async (campaignType: unknown) => {
			const context = {
				getNode: () => node,
				// As n8n's load-options context does: the second argument is the fallback value.
				getNodeParameter: (_name: string, fallback: unknown) => (campaignType === undefined ? fallback : campaignType),
			} as unknown as ILoadOptionsFunctions;
			return await new TimePay().methods.resourceMapping.getCustomerFields.call(context);
		};

		test('unset, it is the default (Debt Collection)', async () => {
			expect((await loadFields(undefined)).fields.map((f) => f.id)).toContain('loan_id');
			expect((await loadFields('leadGeneration')).fields.map((f) => f.id)).toContain('lead_id');
		});

		test('a value that names no type is a clear error, not "is not iterable"', async () => {
			await expect(loadFields('loans')).rejects.toThrow(`parameter "Campaign Type" = "loans": ${CAMPAIGN_TYPES}`);
		});
	});
});

describe('Kapture CRM', () => {
	const creds = () => ({ kaptureCrmApi: { subdomain: 'acme', token: sandboxCredentials.kapture.token, baseUrl: `${sb.current.url}/kapture` } });
	const kapture = (extra: IDataObject) =>
		runNode({
			type: 'kaptureCrm',
			parameters: { resource: 'customer', operation: 'addOrUpdate', customerName: 'Asha', phone: '9380491387', ...extra },
			input: [{}],
			credentials: creds(),
		});

	test.each([
		[{ customerFields: { customerKind: '={{ "person" }}' } }, 'parameter "Customer Is" = "person": must be one of Channel Partner ("channelPartner"), Individual ("individual"), Organization ("organization")'],
		[{ contacts: { contact: [{ phone: '9380491388', gender: '={{ "F" }}' }] } }, 'parameter "Gender (contact 1)" = "F": must be one of "Female", "Male", Not Set (""), "Other"'],
		[{ contacts: { contact: [{ phone: '9380491388' }, { phone: '9380491389', matchEmailPhone: '={{ "yes" }}' }] } }, 'parameter "Match Email/Phone (contact 2)" = "yes": must be true or false'],
	])('%j', async (extra, message) => {
		const res = await kapture(extra);
		expect(res.error?.message).toBe(`Item 0: ${message}`);
		expect(sent()).toBe(0);
	});

	test.each([
		[1, 'must be one of Add a New Customer ("add"), Update an Existing Customer ("update")'],
		[2, 'must be one of Add or Update ("update"), Always Add a New Customer ("add")'],
	])('Mode that is neither add nor update (version %i, e.g. an edited workflow file): an error, not an add', async (typeVersion, allowed) => {
		const res = await runNode({
			type: 'kaptureCrm',
			typeVersion,
			parameters: { resource: 'customer', operation: 'addOrUpdate', customerName: 'Asha', phone: '9380491387', mode: 'upsert' },
			input: [{}],
			credentials: creds(),
		});
		expect(res.error?.message).toBe(`Item 0: parameter "Mode" = "upsert": ${allowed}`);
		expect(sent()).toBe(0);
	});

	test('"male" is Male', async () => {
		const res = await kapture({ contacts: { contact: [{ phone: '9380491388', gender: '={{ "male" }}' }] } });
		expect(res.error).toBeUndefined();
		expect(sb.current.state().kapture.lastBody.contact_info[0].gender).toBe('Male');
	});
});

describe('Cuoral', () => {
	test('Active from an expression that is not true or false', async () => {
		const res = await runNode({
			type: 'cuoral',
			parameters: { resource: 'customer', operation: 'create', name: 'Alice', email: 'alice@example.com', source: 'web', additionalFields: { isActive: '={{ "active" }}' } },
			input: [{}],
			credentials: { cuoralApi: { apiKey: sandboxCredentials.cuoral.apiKey, baseUrl: `${sb.current.url}/cuoral` } },
		});
		expect(res.error?.message).toBe('Item 0: parameter "Active" = "active": must be true or false');
		expect(sent()).toBe(0);
	});
});

describe('Acqueon LCM', () => {
	test.each([
		[{ includeInputFields: '={{ "all" }}' }, 'parameter "Send Input Fields as Business Fields" = "all": must be true or false'],
		[{ isAccountNumber: '={{ 2 }}' }, 'parameter "Is Account Number" = 2: must be true or false'],
	])('%j', async (extra, message) => {
		const res = await runNode({ type: 'acqueonLcm', parameters: createParams(extra), input: [person(1)], credentials: basicCredentials(sb.current.url) });
		expect(res.error?.message).toBe(`Item 0: ${message}`);
		expect(sent()).toBe(0);
	});
});
