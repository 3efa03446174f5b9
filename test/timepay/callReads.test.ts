/**
 * Call → Get and Call Log → Get Many through n8n's engine against the sandbox's call side
 * (test/sandbox/calls.js): paging at 10 logs per page, every filter, the time range from n8n
 * date-times, Count Only, and calls placed by the node itself read back.
 */
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { isoInstant } from '../../nodes/TimePay/actions/callLog/getMany';
import { runNode } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import { autoMap, debtRecord, timePayCredentials } from './fixtures';

const sb = useSandbox();
const creds = () => timePayCredentials(sb.current.url);
const run = (parameters: object, input: object[] = [{}], more: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({ type: 'timePay', typeVersion: 2, parameters: parameters as never, input: input as never, credentials: creds(), ...more });
const sent = (path: string) =>
	(sb.current.state().requests as Array<{ path: string; query: string }>).filter((r) => r.path === `/timepay/api/v1${path}`).map((r) => decodeURIComponent(r.query.replace(/\+/g, ' ')));
const logs = { resource: 'callLog', operation: 'getMany' };
const rl = (value: string, mode = 'list') => ({ __rl: true, mode, value });

const BASE = Date.parse('2030-05-01T10:00:00.000Z');
const STATUSES = ['Contacted', 'No Contact', 'Failed', 'Contacted', 'Contacted'];
/** 25 logs one minute apart: call_000 … call_024 (newest last), two campaigns, two WhatsApp messages. */
function seedLogs() {
	const events = Array.from({ length: 25 }, (_, i) => ({
		call_id: `call_${String(i).padStart(3, '0')}`,
		start_time: new Date(BASE + i * 60_000).toISOString(),
		end_time: new Date(BASE + i * 60_000 + 45_000).toISOString(),
		campaign_id: i % 5 === 4 ? 'camp_bounced' : 'camp_debt_demo',
		status: STATUSES[i % 5],
		disposition: STATUSES[i % 5] === 'Contacted' ? 'Promise to Pay' : 'No Answer',
		disposition_id: STATUSES[i % 5] === 'Contacted' ? 'disp_ptp' : 'disp_no_answer',
		type: i === 7 || i === 8 ? 'whatsapp' : 'call',
		agent_id: i < 10 ? 'agent_demo' : 'agent_collections',
		from: '+911140000000',
		to: `+9198765432${String(i).padStart(2, '0')}`,
		loan_id: `LOAN-${i}`,
		summary: `Call ${i}`,
		extracted_data: { emi_amount: 2500 },
	}));
	expect(sb.current.control('POST', '/__sandbox/events', { events, deliver: false }).status).toBe(200);
}
const callIds = (items: Array<{ json: IDataObject }>) => items.map((o) => o.json.call_id);

describe('TimePay Call Log → Get Many (10 logs per page)', () => {
	beforeEach(seedLogs);

	test('Return All reads every page, newest first, until has_next is false', async () => {
		const res = await run({ ...logs, returnAll: true });
		expect(res.error).toBeUndefined();
		expect(callIds(res.outputs[0])).toEqual(Array.from({ length: 25 }, (_, i) => `call_${String(24 - i).padStart(3, '0')}`));
		expect(res.outputs[0][0].json).toMatchObject({ call_id: 'call_024', campaign_id: 'camp_bounced', status: 'Contacted', disposition: 'Promise to Pay', extracted_data: { emi_amount: 2500 } });
		expect(sent('/logs')).toEqual(['?page=1', '?page=2', '?page=3']);
	});

	test('calls logged while Return All reads the pages push the others down a page: each log is output once', async () => {
		sb.current.setFaults({ latencyMs: 150 });
		const served = (page: number) =>
			(sb.current.state().requests as Array<{ path: string; query: string; status: unknown }>).some(
				(r) => r.path === '/timepay/api/v1/logs' && r.query === `?page=${page}` && r.status === 200,
			);
		// Once page 1 is answered, three new calls are logged (newest first: at the top of page 1).
		const added = new Promise<void>((resolve) => {
			const timer = setInterval(() => {
				if (!served(1)) return;
				clearInterval(timer);
				const events = [0, 1, 2].map((k) => ({ call_id: `call_new_${k}`, start_time: new Date(BASE + (30 + k) * 60_000).toISOString() }));
				sb.current.control('POST', '/__sandbox/events', { events, deliver: false });
				resolve();
			}, 5);
		});
		const res = await run({ ...logs, returnAll: true });
		await added;
		expect(res.error).toBeUndefined();
		// Pages 2 and 3 were read after the new calls: the three oldest of page 1 came again on page 2.
		expect(callIds(res.outputs[0])).toEqual(Array.from({ length: 25 }, (_, i) => `call_${String(24 - i).padStart(3, '0')}`));
	});

	test('Limit 12 reads two pages and stops', async () => {
		const res = await run({ ...logs, limit: 12 });
		expect(res.outputs[0]).toHaveLength(12);
		expect(sent('/logs')).toEqual(['?page=1', '?page=2']);
	});

	test('every filter goes to TimePay as documented; Campaign ID from the picker', async () => {
		const res = await run({
			...logs,
			returnAll: true,
			campaignId: rl('camp_debt_demo'),
			filters: { type: 'call', status: 'Contacted', disposition: 'Promise to Pay', agent_id: 'agent_collections', from_phone: '+911140000000' },
		});
		expect(callIds(res.outputs[0])).toEqual(['call_023', 'call_020', 'call_018', 'call_015', 'call_013', 'call_010']);
		expect(sent('/logs')).toEqual([
			'?campaign_id=camp_debt_demo&type=call&status=Contacted&disposition=Promise to Pay&from_phone=+911140000000&agent_id=agent_collections&page=1',
		]);
		const one = await run({ ...logs, returnAll: true, filters: { phone: '+919876543203', type: 'call' } });
		expect(callIds(one.outputs[0])).toEqual(['call_003']);
	});

	test('the time range: an instant goes as is, a date-time without an offset is read in the workflow\'s timezone', async () => {
		const res = await run({ ...logs, returnAll: true, filters: { start_time: '2030-05-01T10:05:00Z', end_time: "={{ DateTime.fromISO('2030-05-01T10:07:00Z') }}" } });
		expect(callIds(res.outputs[0])).toEqual(['call_007', 'call_006', 'call_005']);
		// n8n's DateTime comes in the workflow's timezone: the same instant, with its offset.
		expect(sent('/logs')).toEqual(['?start_time=2030-05-01T10:05:00.000Z&end_time=2030-05-01T06:07:00.000-04:00&page=1']);

		// The harness's workflow has no timezone setting: n8n's default, America/New_York (UTC-4 in May).
		const local = await run({ ...logs, returnAll: true, filters: { start_time: '2030-05-01T06:20:00' } });
		expect(callIds(local.outputs[0])).toEqual(['call_024', 'call_023', 'call_022', 'call_021', 'call_020']);
		expect(sent('/logs').pop()).toBe('?start_time=2030-05-01T06:20:00.000-04:00&page=1');
	});

	test('a time that is not a date-time is named before anything is sent', async () => {
		const res = await run({ ...logs, filters: { start_time: '={{ "yesterday" }}' } });
		expect(res.error?.message).toBe('Item 0: parameter "Start Time" = "yesterday": must be a date-time (ISO 8601)');
		expect(sent('/logs')).toEqual([]);
	});

	test('Count Only returns the total alone, with the same filters', async () => {
		const res = await run({ ...logs, countOnly: true, campaignId: rl('camp_bounced'), filters: { status: 'Contacted' } });
		expect(res.outputs[0]).toEqual([{ json: { total: 5 }, pairedItem: { item: 0 } }]);
		expect(sent('/logs')).toEqual(['?campaign_id=camp_bounced&status=Contacted&count_only=true']);
	});

	test('a later page failing: the note counts the pages and records read before it', async () => {
		sb.current.setFaults({ faults: [{ type: '401', skip: 2, path: '/timepay/api/v1/logs', body: { success: false, message: 'Token expired' } }] });
		const res = await run({ ...logs, returnAll: true });
		expect(res.error?.message).toBe('Item 0: TimePay answered 401: Token expired');
		expect(res.error?.description).toContain('Page 3 failed after 2 pages (20 records) had been read; no partial list is output.');
	});

	test('Count Only: an answer without a total is an error, not 0', async () => {
		sb.current.setFaults({ faults: [{ type: '200', path: '/timepay/api/v1/logs', body: { success: true } }] });
		const res = await run({ ...logs, countOnly: true });
		expect(res.error?.message).toBe('Item 0: TimePay answered 200: the answer to a count_only request carries no total');
	});

	test('a page failing part-way: with continue-on-fail one error item for that input item, the others read', async () => {
		sb.current.setFaults({ faults: [{ type: '502', times: 4, skip: 1, path: '/timepay/api/v1/logs', body: { success: false, message: 'Bad gateway' } }] });
		const res = await run({ ...logs, returnAll: true, campaignId: rl('={{ $json.c }}', 'id') }, [{ c: '' }, { c: 'camp_bounced' }], { onError: 'continueErrorOutput' });
		// Item 0: page 1 read, page 2 failed on every attempt (502 is retried for a read). Item 1: one page.
		expect(res.outputs[1].map((o) => [o.pairedItem, o.json.error])).toEqual([[{ item: 0 }, 'Item 0: TimePay answered 502: Bad gateway']]);
		expect(String((res.outputs[1][0].json.details as IDataObject).description)).toContain('Page 2 failed after 1 page (10 records)');
		expect(res.outputs[0].map((o) => (o.pairedItem as { item: number }).item)).toEqual([1, 1, 1, 1, 1]);
	});

	test('a bad token: the API\'s message', async () => {
		const res = await run(logs, [{}], { credentials: timePayCredentials(sb.current.url, 'tp_expired') });
		expect(res.error?.message).toBe('Item 0: TimePay answered 401: Unauthorized: missing or invalid token');
	});
});

describe('TimePay Call → Get', () => {
	beforeEach(seedLogs);

	test('reads a call by its ID, one per input item', async () => {
		const res = await run({ resource: 'call', operation: 'get', callId: '={{ $json.call_id }}' }, [{ call_id: 'call_003' }, { call_id: 'call_014' }]);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => [o.pairedItem, o.json.call_id, o.json.status, o.json.disposition, o.json.summary])).toEqual([
			[{ item: 0 }, 'call_003', 'Contacted', 'Promise to Pay', 'Call 3'],
			[{ item: 1 }, 'call_014', 'Contacted', 'Promise to Pay', 'Call 14'],
		]);
		expect(sent('/communication/call/call_003')).toEqual(['']);
	});

	test('an unknown call is the API\'s 404; continue-on-fail gives an error item', async () => {
		const res = await run({ resource: 'call', operation: 'get', callId: '={{ $json.id }}' }, [{ id: 'call_nope' }, { id: 'call_001' }], { continueOnFail: true });
		expect(res.outputs[0].map((o) => o.json.error ?? o.json.call_id)).toEqual(['Item 0: TimePay answered 404: Call not found', 'call_001']);
	});

	test('an empty Call ID is named before anything is sent', async () => {
		const res = await run({ resource: 'call', operation: 'get', callId: '={{ $json.nothing }}' });
		expect(res.error?.message).toBe('Item 0: parameter "Call ID" is required');
		expect(sb.current.state().requests).toHaveLength(0);
	});
});

describe('Calls the node placed, read back', () => {
	test('Bulk Add with Initiate Call → (calls end) → Call Log Get Many for the campaign → Call Get for each', async () => {
		sb.current.control('POST', '/__sandbox/calls', { autoComplete: false });
		const added = await run(
			{ resource: 'customer', operation: 'bulkAdd', campaignId: rl('camp_hindi_emi'), campaignType: 'debtCollection', columns: autoMap, afterAdding: 'initiateCall', agentId: 'agent_demo', dispositionId: rl('disp_demo') },
			[debtRecord(1), debtRecord(2), debtRecord(3)],
		);
		expect(added.outputs[0].map((o) => o.json.callInitiated)).toEqual([true, true, true]);
		sb.current.control('POST', '/__sandbox/calls/complete');
		const res = await run({ ...logs, returnAll: true, campaignId: rl('camp_hindi_emi') }, [{}], {
			next: [{ type: 'timePay', name: 'Details', typeVersion: 2, parameters: { resource: 'call', operation: 'get', callId: '={{ $json.call_id }}' } }],
		});
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => o.json.loan_id).sort()).toEqual(['LOAN-000001', 'LOAN-000002', 'LOAN-000003']);
		const details = res.byNode.Details[0];
		expect(details.map((o) => o.json.call_id)).toEqual(callIds(res.outputs[0]));
		for (const d of details) {
			expect(d.json).toMatchObject({ campaign_id: 'camp_hindi_emi', agent_id: 'agent_demo', direction: 'outbound' });
			expect(['Contacted', 'No Contact', 'Failed']).toContain(d.json.status);
		}
	});
});

describe('isoInstant', () => {
	test.each([
		['2025-03-05T10:00:00', 'Asia/Kolkata', '2025-03-05T10:00:00.000+05:30'],
		['2025-03-05T10:00', 'UTC', '2025-03-05T10:00:00.000Z'],
		['2025-03-05', 'Asia/Kolkata', '2025-03-05T00:00:00.000+05:30'],
		['2025-03-05T10:00:00+02:00', 'Asia/Kolkata', '2025-03-05T10:00:00.000+02:00'],
		['2025-03-05T10:00:00Z', 'Asia/Kolkata', '2025-03-05T10:00:00.000Z'],
		['yesterday', 'UTC', undefined],
		['2025-02-30T10:00:00', 'UTC', undefined],
		[42, 'UTC', undefined],
	])('%j in %s → %s', (value, zone, expected) => {
		expect(isoInstant(value, zone)).toBe(expected);
	});

	test('a Luxon DateTime and a JS Date are instants', () => {
		expect(isoInstant(DateTime.fromISO('2025-03-05T10:00:00Z', { zone: 'utc' }), 'Asia/Kolkata')).toBe('2025-03-05T10:00:00.000Z');
		expect(isoInstant(new Date('2025-03-05T10:00:00Z'), 'UTC')).toBe('2025-03-05T10:00:00.000Z');
		expect(isoInstant(new Date('2025-03-05T10:00:00Z'), 'Asia/Kolkata')).toBe('2025-03-05T15:30:00.000+05:30');
	});
});
