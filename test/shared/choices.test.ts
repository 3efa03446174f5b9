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
