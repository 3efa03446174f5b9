/**
 * Stopping an execution, as n8n does it (the run's promise is canceled, which aborts the cancel
 * signal every node reads): requests in flight and waits before retries end at once, no new
 * request leaves, and the error says what was already applied. Also: progress logs of bulk runs.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject } from 'n8n-workflow';

import { AcqueonLcmApi } from '../../credentials/AcqueonLcmApi.credentials';
import { CuoralApi } from '../../credentials/CuoralApi.credentials';
import { KaptureCrmApi } from '../../credentials/KaptureCrmApi.credentials';
import { AcqueonLcm } from '../../nodes/AcqueonLcm/AcqueonLcm.node';
import { Cuoral } from '../../nodes/Cuoral/Cuoral.node';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import type { RunOptions, RunResult } from '../harness/engine';
import { registerNode, runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { basicCredentials, createParams, person as acqueonPerson } from '../acqueon/fixtures';
import { autoMap, debtRecord, timePayCredentials } from '../timepay/fixtures';

registerNode('kaptureCrm', new KaptureCrm(), { kaptureCrmApi: new KaptureCrmApi() });
registerNode('cuoral', new Cuoral(), { cuoralApi: new CuoralApi() });
registerNode('acqueonLcm', new AcqueonLcm(), { acqueonLcmApi: new AcqueonLcmApi() });

const sb = useSandbox();
const requestsTo = (path: string) => (sb.current.state().requests as Array<{ path: string }>).filter((r) => r.path.startsWith(path));
const BULK_ADD = '/timepay/api/v1/customers/add/bulk';
const BULK_UPDATE = '/timepay/api/v1/customer-data/bulk';
const bulkAdd = { resource: 'customer', operation: 'bulkAdd', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap };
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the node and stops the execution 150 ms after the sandbox has received `after` requests
 * under `path` (time for the last one to reach its hang, or the node its wait).
 */
async function runAndStop(opts: RunOptions, path: string, after: number): Promise<RunResult & { tookAfterStop: number }> {
	let stoppedAt = 0;
	const res = await runNode({
		...opts,
		onStarted: (stop) => {
			const timer = setInterval(() => {
				if (requestsTo(path).length < after) return;
				clearInterval(timer);
				setTimeout(() => {
					stoppedAt = Date.now();
					stop();
				}, 150);
			}, 5);
		},
	});
	return { ...res, tookAfterStop: Date.now() - stoppedAt };
}

/** The node's own error (with continue-on-fail n8n keeps it there and passes the input on). */
const nodeError = (res: RunResult) => res.run.data.resultData.runData['Under Test']?.[0]?.error as { message: string; description?: string } | undefined;

describe('Stopping an execution: Bulk Add and Bulk Update', () => {
	test('Bulk Add: the request in flight ends at once, no new request leaves, the error says what was applied and what was in flight', async () => {
		// Request 1 is answered; request 2 is stored by the server and never answered.
		sb.current.setFaults({ faults: [{ type: 'hangAfter', path: BULK_ADD, skip: 1 }] });
		const input = Array.from({ length: 30 }, (_, i) => debtRecord(i));
		const res = await runAndStop(
			{ type: 'timePay', parameters: { ...bulkAdd, options: { batchSize: 10, concurrency: 1, timeoutSeconds: 600 } }, input, credentials: timePayCredentials(sb.current.url) },
			BULK_ADD,
			2,
		);
		expect(res.tookAfterStop).toBeLessThan(2000);
		expect(res.error?.message).toBe('Bulk Add canceled: the execution was stopped after 1 of 3 requests were answered; 10 records applied');
		expect(res.error?.description).toContain('Already applied (added or already present): items 0–9.');
		expect(res.error?.description).toContain('In flight when it stopped (they may have been applied): items 10–19.');
		expect(res.error?.description).toContain('The other 10 of 30 items were not applied');
		expect(res.run.status).toBe('canceled');
		await later(300);
		expect(requestsTo(BULK_ADD)).toHaveLength(2);
		expect(sb.current.state().timePay.campaigns.camp_debt_demo.customerCount).toBe(20);
	});

	test('Bulk Add: a Retry-After of 100 s ends at once when stopped, with continue-on-fail too, and no retry is sent', async () => {
		sb.current.setFaults({ faults: [{ type: '429', path: BULK_ADD, retryAfter: 100 }] });
		const res = await runAndStop(
			{ type: 'timePay', parameters: { ...bulkAdd, options: { batchSize: 10 } }, input: [debtRecord(1), debtRecord(2)], credentials: timePayCredentials(sb.current.url), continueOnFail: true },
			BULK_ADD,
			1,
		);
		expect(res.tookAfterStop).toBeLessThan(2000);
		expect(nodeError(res)?.message).toBe('Bulk Add canceled: the execution was stopped after 0 of 1 requests were answered; 0 records applied');
		expect(nodeError(res)?.description).toContain('No record had been applied. In flight when it stopped (they may have been applied): items 0, 1.');
		await later(300);
		expect(requestsTo(BULK_ADD)).toHaveLength(1);
	});

	test('Bulk Update: stopped while its first request hangs, it sends none of the others', async () => {
		sb.current.setFaults({ faults: [{ type: 'hang', path: BULK_UPDATE }] });
		const res = await runAndStop(
			{
				type: 'timePay',
				parameters: { resource: 'customer', operation: 'bulkUpdate', campaignId: 'camp_debt_demo', customerId: '={{ $json.id }}', updateFields: { payment_status: 'paid' }, options: { batchSize: 2, concurrency: 1 } },
				input: Array.from({ length: 6 }, (_, i) => ({ id: `LOAN-00000${i}` })),
				credentials: timePayCredentials(sb.current.url),
			},
			BULK_UPDATE,
			1,
		);
		expect(res.tookAfterStop).toBeLessThan(2000);
		expect(res.error?.message).toBe('Bulk Update canceled: the execution was stopped after 0 of 3 requests were answered; 0 records applied');
		expect(res.error?.description).toContain('In flight when it stopped (they may have been applied): items 0, 1.');
		await later(300);
		expect(requestsTo(BULK_UPDATE)).toHaveLength(1);
	});

	test('Bulk Update stopped after a first answered request: the error names the records updated', async () => {
		await runNode({ type: 'timePay', parameters: bulkAdd, input: [0, 1, 2, 3].map((i) => debtRecord(i)), credentials: timePayCredentials(sb.current.url) });
		sb.current.setFaults({ faults: [{ type: 'hang', path: BULK_UPDATE, skip: 1 }] });
		const res = await runAndStop(
			{
				type: 'timePay',
				parameters: { resource: 'customer', operation: 'bulkUpdate', campaignId: 'camp_debt_demo', customerId: '={{ $json.id }}', updateFields: { payment_status: 'paid' }, options: { batchSize: 2, concurrency: 1 } },
				input: [0, 1, 2, 3].map((i) => ({ id: `LOAN-00000${i}` })),
				credentials: timePayCredentials(sb.current.url),
			},
			BULK_UPDATE,
			2,
		);
		expect(res.error?.message).toBe('Bulk Update canceled: the execution was stopped after 1 of 2 requests were answered; 2 records applied');
		expect(res.error?.description).toContain('Already applied (updated): items 0, 1.');
	});
});

describe('Stopping an execution: the per-item nodes', () => {
	const cases: Array<{ name: string; path: string; run: () => RunOptions }> = [
		{
			name: 'TimePay Add',
			path: '/timepay/api/v1/customers/add',
			run: () => ({
				type: 'timePay',
				parameters: { ...bulkAdd, operation: 'add', options: { concurrency: 1 } },
				input: [debtRecord(1), debtRecord(2), debtRecord(3)],
				credentials: timePayCredentials(sb.current.url),
			}),
		},
		{
			name: 'Kapture CRM',
			path: '/kapture',
			run: () => ({
				type: 'kaptureCrm',
				parameters: { resource: 'customer', operation: 'addOrUpdate', mode: 'add', customerName: '={{ $json.name }}', phone: '={{ $json.phone }}', options: { concurrency: 1 } },
				input: [1, 2, 3].map((i) => ({ name: `Asha Verma ${i}`, phone: `938049130${i}` })),
				credentials: { kaptureCrmApi: { subdomain: 'acme', token: sandboxCredentials.kapture.token, baseUrl: `${sb.current.url}/kapture` } },
			}),
		},
		{
			name: 'Cuoral',
			path: '/cuoral',
			run: () => ({
				type: 'cuoral',
				parameters: { resource: 'customer', operation: 'create', name: '={{ $json.name }}', email: '={{ $json.email }}', source: 'web', options: { concurrency: 1 } },
				input: [1, 2, 3].map((i) => ({ name: `Alice Johnson ${i}`, email: `alice${i}@example.com` })),
				credentials: { cuoralApi: { apiKey: sandboxCredentials.cuoral.apiKey, baseUrl: `${sb.current.url}/cuoral` } },
			}),
		},
		{
			name: 'Acqueon LCM',
			path: '/acqueon',
			run: () => ({
				type: 'acqueonLcm',
				parameters: createParams({ options: { concurrency: 1 } }),
				input: [1, 2, 3].map((i) => acqueonPerson(i)),
				credentials: basicCredentials(sb.current.url),
			}),
		},
	];

	for (const c of cases) {
		for (const continueOnFail of [false, true]) {
			test(`${c.name}${continueOnFail ? ' (continue-on-fail)' : ''}: the hanging request ends at once and the error names the items sent and in flight`, async () => {
				sb.current.setFaults({ faults: [{ type: 'hang', path: c.path, skip: 1 }] });
				const res = await runAndStop({ ...c.run(), continueOnFail }, c.path, 2);
				expect(res.tookAfterStop).toBeLessThan(2000);
				const error = nodeError(res);
				expect(error?.message).toBe('Canceled: the execution was stopped after 1 of 3 items were sent and accepted');
				expect(error?.description).toBe('Already sent and accepted: item 0. In flight when it stopped (they may have been applied): item 1. Running again sends them again.');
				await later(300);
				expect(requestsTo(c.path)).toHaveLength(2);
			});
		}
	}
});

describe('Stopping an execution: one request for many items', () => {
	for (const continueOnFail of [false, true]) {
		test(`TimePay Initiate Calls${continueOnFail ? ' (continue-on-fail)' : ''}: the hanging request ends at once, as the node's error`, async () => {
			sb.current.setFaults({ faults: [{ type: 'hang', path: '/timepay/api/v1/initiate' }] });
			const res = await runAndStop(
				{
					type: 'timePay',
					parameters: { resource: 'call', operation: 'initiate', campaignId: 'camp_debt_demo', agentId: 'agent_demo', dispositionId: 'disp_demo' },
					input: [{ id: 'LOAN-000001' }, { id: 'LOAN-000002' }],
					credentials: timePayCredentials(sb.current.url),
					continueOnFail,
				},
				'/timepay/api/v1/initiate',
				1,
			);
			expect(res.tookAfterStop).toBeLessThan(2000);
			expect(nodeError(res)?.message).toBe('TimePay request canceled: the execution was stopped');
		});
	}
});

describe('Stopping an execution: the reads', () => {
	for (const continueOnFail of [false, true]) {
		test(`TimePay Campaign → Get${continueOnFail ? ' (continue-on-fail)' : ''}: the hanging read ends at once as the node's error; no later item is read`, async () => {
			const path = '/timepay/api/v1/campaigns/';
			sb.current.setFaults({ faults: [{ type: 'hang', path, skip: 1 }] });
			const res = await runAndStop(
				{
					type: 'timePay',
					parameters: { resource: 'campaign', operation: 'get', campaignId: '={{ $json.id }}' },
					input: [{ id: 'camp_debt_demo' }, { id: 'camp_lead_demo' }, { id: 'camp_bounced' }],
					credentials: timePayCredentials(sb.current.url),
					continueOnFail,
				},
				path,
				2,
			);
			expect(res.tookAfterStop).toBeLessThan(2000);
			// Not an error item per remaining input item: the stop is the node's outcome, whatever On Error says.
			expect(nodeError(res)?.message).toBe('TimePay request canceled: the execution was stopped');
			await later(300);
			expect(requestsTo(path)).toHaveLength(2);
		});
	}
});

describe('Progress of a bulk run', () => {
	test("request k of n and the counts so far go to n8n's logger, without record data or secrets", async () => {
		const logger = Container.get(Logger);
		const info = jest.spyOn(logger, 'info');
		try {
			const input = Array.from({ length: 25 }, (_, i) => debtRecord(i, i === 3 ? { phone_number: '1' } : {}));
			const res = await runNode({ type: 'timePay', parameters: { ...bulkAdd, options: { batchSize: 10, concurrency: 1 } }, input, credentials: timePayCredentials(sb.current.url) });
			expect(res.error).toBeUndefined();
			const lines = info.mock.calls.map((call) => String(call[0])).filter((m) => m.includes('(Bulk Add)'));
			expect(lines).toEqual([
				expect.stringMatching(/^Under Test \(Bulk Add\): request 1 of (3|1\+ \(still checking records\)) answered \(10 records\); so far 10 of 25 records: 9 added, 0 already present, 1 rejected, 0 failed$/),
				expect.stringMatching(/^Under Test \(Bulk Add\): request 2 of (3|2\+ \(still checking records\)) answered \(10 records\); so far 20 of 25 records: 19 added, 0 already present, 1 rejected, 0 failed$/),
				'Under Test (Bulk Add): request 3 of 3 answered (5 records); so far 25 of 25 records: 24 added, 0 already present, 1 rejected, 0 failed',
				expect.stringMatching(/^Under Test \(Bulk Add\): 3 requests answered in \d+\.\d s: 24 added, 0 already present, 1 rejected, 0 failed$/),
			]);
			const logged = JSON.stringify(info.mock.calls);
			expect(logged).not.toContain(sandboxCredentials.timePay.token);
			expect(logged).not.toContain('Verma');
		} finally {
			info.mockRestore();
		}
	});

	test('Bulk Update logs its own counts: updated, rejected, failed (nothing is "already present" there)', async () => {
		await runNode({ type: 'timePay', parameters: bulkAdd, input: [debtRecord(0), debtRecord(1)], credentials: timePayCredentials(sb.current.url) });
		const logger = Container.get(Logger);
		const info = jest.spyOn(logger, 'info');
		try {
			const update = { resource: 'customer', operation: 'bulkUpdate', campaignId: 'camp_debt_demo', customerId: '={{ $json.id }}', updateFields: { payment_status: 'paid' } };
			const input = [{ id: 'LOAN-000000' }, { id: 'LOAN-000001' }, { id: 'LOAN-404' }];
			const res = await runNode({ type: 'timePay', parameters: update, input, credentials: timePayCredentials(sb.current.url) });
			expect(res.error).toBeUndefined();
			const lines = info.mock.calls.map((call) => String(call[0])).filter((m) => m.includes('(Bulk Update)'));
			expect(lines).toEqual([
				'Under Test (Bulk Update): request 1 of 1 answered (3 records); so far 3 of 3 records: 2 updated, 1 rejected, 0 failed',
				expect.stringMatching(/^Under Test \(Bulk Update\): 1 requests answered in \d+\.\d s: 2 updated, 1 rejected, 0 failed$/),
			]);
		} finally {
			info.mockRestore();
		}
	});
});

export type { IDataObject };
