/**
 * The sandbox places calls: outcomes, call logs (GET /logs, GET /communication/call/{id}) and
 * webhook deliveries with their faults, all over HTTP. The calls are placed by the TimePay node
 * run through n8n's engine, as a user's workflow would place them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { autoMap, debtRecord, timePayCredentials } from './fixtures';

const sb = useSandbox();
const api = () => `${sb.current.url}/timepay/api/v1`;
const auth = (token = sandboxCredentials.timePay.token) => ({ authorization: `Bearer ${token}` });

async function get(path: string, token?: string) {
	const res = await fetch(`${api()}${path}`, { headers: auth(token) });
	return { status: res.status, body: (await res.json()) as any };
}
async function control(path: string, body: unknown) {
	const res = await fetch(`${sb.current.url}/__sandbox${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as any };
}
async function waitIdle(timeoutMs = 15000) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const idle = (await (await fetch(`${sb.current.url}/__sandbox/calls/idle`)).json()) as { idle: boolean };
		if (idle.idle) return;
		if (Date.now() > until) throw new Error(`sandbox not idle: ${JSON.stringify(idle)}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** Bulk Add n debt customers and Initiate Calls for them, through the engine. */
async function addAndCall(n: number, campaignId = 'camp_debt_demo') {
	const res = await runNode({
		type: 'timePay',
		parameters: { resource: 'customer', operation: 'bulkAdd', campaignId, campaignType: 'debtCollection', columns: autoMap },
		input: Array.from({ length: n }, (_, i) => debtRecord(i)),
		credentials: timePayCredentials(sb.current.url),
		next: [{ type: 'timePay', name: 'Call', parameters: { resource: 'call', operation: 'initiate', campaignId, agentId: 'agent_collections', dispositionId: 'disp_demo' } }],
	});
	expect(res.error).toBeUndefined();
	expect(res.byNode.Call[0][0].json).toMatchObject({ outcome: 'initiated', initiated: n });
}

/**
 * A local receiver standing in for n8n: answers with the statuses given, in turn (then 200);
 * with a secret, a delivery without `Bearer <secret>` gets 401.
 */
async function receiver(statuses: number[] = [], secret?: string) {
	const got: Array<{ authorization?: string; body: any }> = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			got.push({ authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
			const status = secret && req.headers.authorization !== `Bearer ${secret}` ? 401 : (statuses.shift() ?? 200);
			res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/timepay`;
	return { url, got, close: async () => await new Promise((r) => server.close(r)) };
}

describe('sandbox: placed calls end in outcomes and call logs', () => {
	test('Initiate Calls → each customer gets one log with the documented fields; Get Call Details returns it', async () => {
		await addAndCall(3);
		await waitIdle();
		const { status, body } = await get('/logs');
		expect(status).toBe(200);
		expect(body.data).toHaveLength(3);
		expect(body.data.map((l: any) => l.loan_id).sort()).toEqual(['LOAN-000000', 'LOAN-000001', 'LOAN-000002']);
		const log = body.data[0];
		for (const field of ['call_id', 'date', 'start_time', 'end_time', 'campaign_name', 'campaign_id', 'name', 'loan_id', 'duration', 'direction', 'from', 'to', 'status', 'disposition', 'transcript_id', 'recording_id', 'extracted_data', 'summary', 'agent_id', 'disposition_id', 'type']) {
			expect(log).toHaveProperty(field);
		}
		expect(log).toMatchObject({ campaign_id: 'camp_debt_demo', agent_id: 'agent_collections', type: 'call', direction: 'outbound' });
		expect(['Contacted', 'No Contact', 'Failed']).toContain(log.status);
		const details = await get(`/communication/call/${encodeURIComponent(log.call_id)}`);
		expect(details).toEqual({ status: 200, body: { success: true, data: log } });
	});

	test('Add and Bulk Add with Initiate Call place calls too; a lead campaign logs lead_id', async () => {
		const creds = timePayCredentials(sb.current.url);
		const callConfig = { afterAdding: 'initiateCall', agentId: 'agent_demo', dispositionId: 'disp_demo' };
		const one = await runNode({
			type: 'timePay',
			parameters: { resource: 'customer', operation: 'add', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap, ...callConfig },
			input: [debtRecord(7)],
			credentials: creds,
		});
		expect(one.outputs[0][0].json).toMatchObject({ outcome: 'added', callInitiated: true });
		const bulk = await runNode({
			type: 'timePay',
			parameters: { resource: 'customer', operation: 'bulkAdd', campaignId: 'camp_lead_demo', campaignType: 'leadGeneration', columns: autoMap, ...callConfig },
			input: [{ lead_id: 'LEAD-1', first_name: 'Ravi', last_name: 'K', phone_number: '9811111111', lead_date: '2025-03-01' }],
			credentials: creds,
		});
		expect(bulk.outputs[0][0].json).toMatchObject({ outcome: 'added', callInitiated: true });
		await waitIdle();
		const logs = (await get('/logs')).body.data;
		expect(logs.map((l: any) => l.loan_id ?? l.lead_id).sort()).toEqual(['LEAD-1', 'LOAN-000007']);
		expect(logs.find((l: any) => l.lead_id === 'LEAD-1')).not.toHaveProperty('loan_id');
	});

	test('the outcome mix is seeded: the same seed gives the same outcomes; all three events occur, promise to pay carries a date', async () => {
		const outcomes = async () => {
			sb.current.reset();
			await control('/calls', { seed: 42, delayMs: 0, spacingMs: 0 });
			await addAndCall(40);
			await waitIdle();
			const logs = sb.current.state().timePay.calls.logs as any[];
			return logs.map((l) => [l.loan_id, l.status, l.disposition]);
		};
		const first = await outcomes();
		expect(await outcomes()).toEqual(first);
		expect(new Set(first.map((o) => o[1]))).toEqual(new Set(['Contacted', 'No Contact', 'Failed']));
		const ptp = (sb.current.state().timePay.calls.logs as any[]).find((l) => l.disposition === 'Promise to Pay');
		expect(ptp.extracted_data.promise_to_pay_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(ptp.extracted_data.promise_to_pay_date > ptp.date).toBe(true);
	});

	test('forced outcomes come first, in order; calls stay pending until completed when autoComplete is off', async () => {
		await control('/calls', {
			autoComplete: false,
			outcomes: [
				{ status: 'Failed', disposition: 'Invalid Number', dispositionId: 'disp_invalid_number', summary: 'Not in service.' },
				{ status: 'Contacted', disposition: 'Promise to Pay', dispositionId: 'disp_ptp', summary: 'Will pay.', extracted_data: { promise_to_pay_date: '2031-01-02' } },
			],
		});
		await addAndCall(2);
		expect((await get('/logs')).body.data).toEqual([]);
		expect(sb.current.state().timePay.calls.pending).toHaveLength(2);
		expect((await control('/calls/complete', {})).body).toEqual({ ok: true, completed: 2 });
		const logs = sb.current.state().timePay.calls.logs as any[];
		expect(logs.map((l) => [l.loan_id, l.status, l.extracted_data.promise_to_pay_date])).toEqual([
			['LOAN-000000', 'Failed', undefined],
			['LOAN-000001', 'Contacted', '2031-01-02'],
		]);
	});
});

describe('sandbox: GET /logs', () => {
	async function seedLogs(n: number, make: (i: number) => object = () => ({})) {
		const base = Date.parse('2030-05-01T10:00:00.000Z');
		const events = Array.from({ length: n }, (_, i) => ({
			call_id: `call_${String(i).padStart(3, '0')}`,
			start_time: new Date(base + i * 60000).toISOString(),
			end_time: new Date(base + i * 60000 + 30000).toISOString(),
			loan_id: `LOAN-${i}`,
			status: 'Contacted',
			disposition: 'Promise to Pay',
			...make(i),
		}));
		expect((await control('/events', { events, deliver: false })).status).toBe(200);
	}

	test('10 logs per page, newest first, with the pagination object; past the end is an empty page', async () => {
		await seedLogs(23);
		const p1 = (await get('/logs')).body;
		expect(p1.data).toHaveLength(10);
		expect(p1.data[0].call_id).toBe('call_022');
		expect(p1.pagination).toEqual({ page: 1, per_page: 10, total: 23, total_pages: 3, has_next: true, has_prev: false });
		const p3 = (await get('/logs?page=3')).body;
		expect(p3.data.map((l: any) => l.call_id)).toEqual(['call_002', 'call_001', 'call_000']);
		expect(p3.pagination).toEqual({ page: 3, per_page: 10, total: 23, total_pages: 3, has_next: false, has_prev: true });
		expect((await get('/logs?page=4')).body.data).toEqual([]);
		const all = [p1, (await get('/logs?page=2')).body, p3].flatMap((p) => p.data.map((l: any) => l.call_id));
		expect(new Set(all).size).toBe(23);
	});

	test('count_only=true answers only the total', async () => {
		await seedLogs(13);
		expect((await get('/logs?count_only=true')).body).toEqual({ success: true, total: 13 });
		expect((await get('/logs?count_only=true&start_time=2030-05-01T10:05:00.000Z')).body).toEqual({ success: true, total: 8 });
	});

	test.each([
		['type=whatsapp', ['call_001']],
		['status=no%20contact', ['call_002']],
		['disposition=Already%20Paid', ['call_003']],
		['campaign_id=camp_lead_demo', ['call_004']],
		['agent_id=agent_x', ['call_005']],
		['phone=%2B919800000006', ['call_006']],
		['from_phone=%2B911100000007', ['call_007']],
		['start_time=2030-05-01T10:07:00.000Z', ['call_009', 'call_008', 'call_007']],
		['end_time=2030-05-01T10:01:00.000Z', ['call_001', 'call_000']],
		['start_time=2030-05-01T10:02:00Z&end_time=2030-05-01T10:03:00Z', ['call_003', 'call_002']],
	])('filter %s', async (query, ids) => {
		await seedLogs(10, (i) =>
			[
				{},
				{ type: 'whatsapp', status: 'Delivered' },
				{ status: 'No Contact', disposition: 'No Answer' },
				{ disposition: 'Already Paid' },
				{ campaign_id: 'camp_lead_demo', lead_id: 'LEAD-4' },
				{ agent_id: 'agent_x' },
				{ to: '+919800000006' },
				{ from: '+911100000007' },
				{},
				{},
			][i],
		);
		expect((await get(`/logs?${query}`)).body.data.map((l: any) => l.call_id)).toEqual(ids);
	});

	test('401 without a valid token; 400 for a bad page or date; another organization sees none of these logs', async () => {
		await seedLogs(2);
		expect(await get('/logs', 'wrong')).toEqual({ status: 401, body: { success: false, message: 'Unauthorized: missing or invalid token' } });
		expect((await get('/communication/call/call_000', 'wrong')).status).toBe(401);
		expect((await get('/logs?page=0')).status).toBe(400);
		expect((await get('/logs?start_time=yesterday')).body).toMatchObject({ success: false, errors: ['start_time must be an ISO 8601 date-time'] });
		const other = sandboxCredentials.timePay.otherOrgToken;
		expect((await get('/logs', other)).body.pagination.total).toBe(0);
		expect((await get('/communication/call/call_000', other)).status).toBe(404);
	});

	test('GET /communication/call/{id}: 404 for an unknown id', async () => {
		expect(await get('/communication/call/call_nope')).toEqual({ status: 404, body: { success: false, message: 'Call not found' } });
	});
});

describe('sandbox: webhook deliveries', () => {
	test('each completed call is POSTed to the registered URL with the Bearer secret and the call details; the secret is not in the state', async () => {
		const r = await receiver();
		try {
			expect((await control('/webhook', { url: r.url, secret: 'whsec-sandbox-1' })).body).toEqual({ ok: true, registered: true, url: r.url });
			await addAndCall(3);
			await waitIdle();
			expect(r.got).toHaveLength(3);
			for (const d of r.got) {
				expect(d.authorization).toBe('Bearer whsec-sandbox-1');
				expect(d.body.event).toBe(d.body.status);
				expect(d.body).toMatchObject({ campaign_id: 'camp_debt_demo', type: 'call' });
				expect(d.body.call_id).toMatch(/^call_/);
			}
			const logs = sb.current.state().timePay.calls.logs as any[];
			expect(r.got.map((d) => d.body.call_id).sort()).toEqual(logs.map((l) => l.call_id).sort());
			expect(JSON.stringify(sb.current.state())).not.toContain('whsec-sandbox-1');
		} finally {
			await r.close();
		}
	});

	test('a non-200 answer is delivered again, after a delay, up to maxAttempts', async () => {
		const r = await receiver([500, 401]);
		try {
			await control('/webhook', { url: r.url, secret: 's3cret', retryDelaysMs: [30, 30] });
			await addAndCall(1);
			await waitIdle();
			expect(r.got.map((d) => d.body.call_id)).toEqual(Array(3).fill(r.got[0].body.call_id));
			expect(sb.current.state().timePay.calls.deliveries.map((d: any) => [d.attempt, d.status])).toEqual([[1, 500], [2, 401], [3, 200]]);
		} finally {
			await r.close();
		}
		const gone = await receiver([503, 503, 503, 503, 503]);
		try {
			sb.current.reset();
			await control('/webhook', { url: gone.url, secret: 's3cret', retryDelaysMs: [10], maxAttempts: 2 });
			await addAndCall(1);
			await waitIdle();
			expect(gone.got).toHaveLength(2);
		} finally {
			await gone.close();
		}
	});

	test('faults: a wrong secret, no Authorization, a repeated delivery, an out-of-order delivery', async () => {
		const r = await receiver([], 'right-secret');
		try {
			await control('/webhook', { url: r.url, secret: 'right-secret', retryDelaysMs: [20] });
			expect((await control('/webhook/faults', { faults: [{ type: 'bogus' }] })).status).toBe(400);
			await control('/webhook/faults', { faults: [{ type: 'wrongSecret' }, { type: 'noAuth' }] });
			await addAndCall(1);
			await waitIdle();
			// No Authorization → 401 → again with a wrong secret → 401 → again, right → 200.
			expect(r.got.map((d) => d.authorization)).toEqual([undefined, 'Bearer not-the-secret', 'Bearer right-secret']);
			expect(sb.current.state().timePay.calls.deliveries.map((d: any) => [d.authorization, d.status])).toEqual([['none', 401], ['wrong', 401], ['right', 200]]);

			r.got.length = 0;
			sb.current.reset();
			await control('/webhook', { url: r.url, secret: 'right-secret' });
			await control('/webhook/faults', { faults: [{ type: 'repeat' }] });
			await control('/events', { events: [{ call_id: 'call_r', status: 'No Contact' }] });
			await waitIdle();
			expect(r.got.map((d) => d.body.call_id)).toEqual(['call_r', 'call_r']);
			expect(r.got[1].body).toEqual(r.got[0].body);
			expect(sb.current.state().timePay.calls.deliveries.map((d: any) => d.repeat)).toEqual([false, true]);

			r.got.length = 0;
			sb.current.reset();
			await control('/webhook', { url: r.url, secret: 'right-secret' });
			await control('/webhook/faults', { faults: [{ type: 'outOfOrder' }] });
			await control('/events', { events: [{ call_id: 'call_1', status: 'Contacted' }] });
			await control('/events', { events: [{ call_id: 'call_2', status: 'Failed' }] });
			await waitIdle();
			expect(r.got.map((d) => d.body.call_id)).toEqual(['call_2', 'call_1']);
		} finally {
			await r.close();
		}
	});

	test('WhatsApp events and late logs can be recorded and delivered as given', async () => {
		const r = await receiver();
		try {
			await control('/webhook', { url: r.url, secret: 'x' });
			const old = new Date(Date.now() - 20 * 60000).toISOString();
			await control('/events', { events: [{ type: 'whatsapp', status: 'Delivered', loan_id: 'LOAN-9' }, { call_id: 'call_late', start_time: old, status: 'Contacted' }] });
			await waitIdle();
			expect(r.got.map((d) => [d.body.type, d.body.event])).toEqual([['whatsapp', 'Delivered'], ['call', 'Contacted']]);
			expect((await get('/logs?type=whatsapp')).body.data).toHaveLength(1);
			expect((await get(`/logs?start_time=${encodeURIComponent(old)}`)).body.data.map((l: any) => l.call_id)).toContain('call_late');
		} finally {
			await r.close();
		}
	});
});
