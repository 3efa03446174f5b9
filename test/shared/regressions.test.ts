/**
 * Behaviours a change could break while every other test stayed green (issue 12, "Tests that
 * would not catch a regression"). Each test here was seen to fail with the line it guards changed.
 */
import type { IDataObject } from 'n8n-workflow';

import { KaptureCrmApi } from '../../credentials/KaptureCrmApi.credentials';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import { registerNode, runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { autoMap, debtRecord, timePayCredentials } from '../timepay/fixtures';

registerNode('kaptureCrm', new KaptureCrm(), { kaptureCrmApi: new KaptureCrmApi() });

const sb = useSandbox();
const timePay = (parameters: IDataObject, input: IDataObject[], more: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({ type: 'timePay', parameters, input, credentials: timePayCredentials(sb.current.url), ...more });
const bulkAdd = (options: IDataObject = {}): IDataObject => ({
	resource: 'customer',
	operation: 'bulkAdd',
	campaignId: 'camp_debt_demo',
	campaignType: 'debtCollection',
	columns: autoMap,
	options: { batchSize: 1, maxAttempts: 1, ...options },
});
const bulkRequests = () => (sb.current.state().requests as Array<{ path: string }>).filter((r) => r.path.endsWith('/customers/add/bulk'));
const campaign = () => sb.current.state().timePay.campaigns.camp_debt_demo;

describe('secrets that are not the credential are scrubbed by their shape', () => {
	// None of these is the credential's token, so only the shape-based rules can catch them.
	const leaky = {
		success: false,
		message: 'Validation failed',
		errors: ['upstream said: Authorization: Bearer sess9f8e7d6c5b4a3 and token=tok_live_abc123def'],
		request: { headers: { Authorization: 'sk-9f8e7d6c5b4a', 'x-api-key': 'kq_77aa88bb99' }, password: 'hunter2hunter2', api_key: 'ak_123456789', token: 'plainvalue42' },
	};
	const SECRETS = ['sess9f8e7d6c5b4a3', 'tok_live_abc123def', 'sk-9f8e7d6c5b4a', 'kq_77aa88bb99', 'hunter2hunter2', 'ak_123456789', 'plainvalue42'];

	test('in the node error and in continue-on-fail items', async () => {
		sb.current.setFaults({ faults: [{ type: '400', path: '/timepay', body: leaky, times: 2 }] });
		const params = { resource: 'customer', operation: 'add', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap };
		const failed = await timePay(params, [debtRecord(1)]);
		const asItem = await timePay(params, [debtRecord(1)], { continueOnFail: true });
		expect(failed.error?.message).toBe('Item 0: TimePay answered 400: Validation failed');
		expect(failed.error?.description).toContain('Authorization: Bearer *** and token=***');
		for (const seen of [JSON.stringify(failed.error), JSON.stringify(asItem.outputs)]) {
			for (const secret of SECRETS) expect(seen).not.toContain(secret);
		}
		// What was masked by its key, so that a reader still sees where a value was.
		const body = (failed.error as { errorResponse?: { request?: IDataObject } } | undefined)?.errorResponse;
		expect(body?.request).toEqual({ headers: { Authorization: '***', 'x-api-key': '***' }, password: '***', api_key: '***', token: '***' });
	});
});

describe('Bulk Add: failed requests', () => {
	test('the first failed request is the one reported, even when a later one failed sooner', async () => {
		sb.current.setFaults({
			faults: [
				{ type: '500', path: '/timepay/api/v1/customers/add/bulk', delayMs: 400, body: { success: false, message: 'request 1 failed' } },
				{ type: '500', path: '/timepay/api/v1/customers/add/bulk', body: { success: false, message: 'request 2 failed' } },
			],
		});
		const res = await timePay(bulkAdd({ concurrency: 2 }), [debtRecord(1), debtRecord(2), debtRecord(3)]);
		expect(res.error?.message).toBe('TimePay answered 500: request 1 failed');
		// Request 2's failure arrived first and stopped request 3 from leaving.
		expect(bulkRequests()).toHaveLength(2);
		expect(campaign().customerCount).toBe(0);
	});

	test('after a failure no new request leaves; with continue-on-fail every request goes', async () => {
		sb.current.setFaults({ faults: [{ type: '404', path: '/timepay/api/v1/customers/add/bulk', body: { success: false, message: 'Campaign not found' } }] });
		const res = await timePay(bulkAdd({ concurrency: 1 }), [debtRecord(1), debtRecord(2), debtRecord(3)]);
		expect(res.error?.message).toBe('TimePay answered 404: Campaign not found');
		expect(bulkRequests()).toHaveLength(1);
		expect(campaign().customerCount).toBe(0);

		sb.current.reset();
		sb.current.setFaults({ faults: [{ type: '404', path: '/timepay/api/v1/customers/add/bulk', body: { success: false, message: 'Campaign not found' } }] });
		const cont = await timePay(bulkAdd({ concurrency: 1 }), [debtRecord(1), debtRecord(2), debtRecord(3)], { continueOnFail: true });
		expect(cont.error).toBeUndefined();
		expect(bulkRequests()).toHaveLength(3);
		expect(cont.outputs[0].map((o) => o.json.outcome ?? (o.json.details as IDataObject).outcome)).toEqual(['rejected', 'added', 'added']);
	});
});

describe("Kapture CRM's outcome is what Kapture did (action_event), not what was asked", () => {
	const creds = () => ({ kaptureCrmApi: { subdomain: 'acme', token: sandboxCredentials.kapture.token, baseUrl: `${sb.current.url}/kapture` } });
	const kapture = (mode: string) =>
		runNode({ type: 'kaptureCrm', parameters: { resource: 'customer', operation: 'addOrUpdate', mode, customerName: 'Asha', phone: '9380491387' }, input: [{}], credentials: creds() });

	test('asked to update, Kapture found no one and added: "added"', async () => {
		const res = await kapture('update');
		expect(res.outputs[0][0].json).toMatchObject({ action_event: 'ADD_CUSTOMER', outcome: 'added' });
		expect(sb.current.state().kapture.lastBody.customer_info.update).toBe(true);
	});

	test('asked to add, Kapture answered that it updated: "updated"', async () => {
		sb.current.setFaults({
			faults: [{ type: '200', path: '/kapture', body: { status: 'success', message: 'Customer Updated successfully !', customer: { result: true, customer_id: 7, action: 'CUSTOMER', action_event: 'UPDATE_CUSTOMER' } } }],
		});
		const res = await kapture('add');
		expect(res.outputs[0][0].json).toMatchObject({ customer_id: '7', action_event: 'UPDATE_CUSTOMER', outcome: 'updated' });
	});
});

describe('Initiate Calls leaves out what was rejected upstream', () => {
	test('an error-output item (details.outcome "rejected") is skipped, not called', async () => {
		await timePay(bulkAdd(), [debtRecord(1), debtRecord(2), debtRecord(3)]);
		expect(campaign().customerCount).toBe(3);
		const initiate = { resource: 'call', operation: 'initiate', campaignId: 'camp_debt_demo', agentId: 'agent_demo', dispositionId: 'disp_demo' };
		const input = [
			{ id: 'LOAN-000001', outcome: 'added' },
			// As n8n's error output gives it: the input item's fields with error, message, details.
			{ id: 'LOAN-000002', error: 'Item 1: rejected', message: 'rejected', details: { outcome: 'rejected', id: 'LOAN-000002' } },
			{ id: 'LOAN-000003', outcome: 'rejected' },
		];
		const res = await timePay(initiate, input);
		expect(res.error).toBeUndefined();
		expect(campaign().calls).toEqual(['LOAN-000001']);
		expect(res.outputs[0].map((o) => [o.pairedItem, o.json.outcome])).toEqual([
			[[{ item: 0 }], 'initiated'],
			[{ item: 1 }, 'skipped'],
			[{ item: 2 }, 'skipped'],
		]);
	});
});
