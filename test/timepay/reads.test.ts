/**
 * TimePay reads through n8n's engine against the sandbox: Campaign → Get / Get Many and
 * Disposition → Get Many, with Return All / Limit paging, a page failing part-way, retries of
 * reads, and errors in the API's words.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { timePayCredentials } from './fixtures';

const sb = useSandbox();
const creds = () => timePayCredentials(sb.current.url);
const run = (parameters: object, input: object[] = [{}], more: Partial<Parameters<typeof runNode>[0]> = {}) =>
	runNode({ type: 'timePay', typeVersion: 2, parameters: parameters as never, input: input as never, credentials: creds(), ...more });
const sent = (path: string) =>
	(sb.current.state().requests as Array<{ method: string; path: string; query: string }>)
		.filter((r) => r.path === `/timepay/api/v1${path}`)
		.map((r) => `${r.method} ${r.query}`);
const ids = (items: Array<{ json: IDataObject }>) => items.map((o) => o.json.id);
const byList = (value: string) => ({ __rl: true, mode: 'list', value, cachedResultName: 'picked in the editor' });

/** Adds campaigns through the sandbox's own create endpoint, so that lists span more pages. */
async function createCampaigns(n: number) {
	for (let i = 0; i < n; i++) {
		const res = await fetch(`${sb.current.url}/timepay/api/v1/campaigns/create`, {
			method: 'POST',
			headers: { authorization: `Bearer ${sandboxCredentials.timePay.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				name: `Extra campaign ${i}`,
				description: 'made by the test',
				campaignType: 'emi',
				startDate: '2025-01-01',
				endDate: '2025-12-31',
				startTime: '09:00',
				endTime: '18:00',
				languages: ['hindi'],
				region: 'IN',
			}),
		});
		expect(res.status).toBe(201);
	}
	sb.current.state(); // the log keeps these requests; tests read only the paths they care about
}

const dispositions = { resource: 'disposition', operation: 'getMany' };
const campaigns = { resource: 'campaign', operation: 'getMany' };

describe('TimePay Disposition → Get Many (20 per page)', () => {
	test('Return All reads every page, stopping on the API\'s page count', async () => {
		const res = await run({ ...dispositions, returnAll: true });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0]).toHaveLength(45);
		expect(new Set(ids(res.outputs[0])).size).toBe(45);
		expect(res.outputs[0][0].json).toMatchObject({ id: 'disp_demo', name: 'Demo outcome', priority: 1 });
		expect(res.outputs[0].every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(sent('/dispositions')).toEqual(['GET ?page=1', 'GET ?page=2', 'GET ?page=3']);
	});

	test.each([
		[20, ['GET ?page=1']],
		[21, ['GET ?page=1', 'GET ?page=2']],
		[45, ['GET ?page=1', 'GET ?page=2', 'GET ?page=3']],
		[200, ['GET ?page=1', 'GET ?page=2', 'GET ?page=3']],
	])('Limit %i reads only the pages it needs', async (limit, pages) => {
		const res = await run({ ...dispositions, returnAll: false, limit });
		expect(res.outputs[0]).toHaveLength(Math.min(limit, 45));
		expect(sent('/dispositions')).toEqual(pages);
	});

	test('the default is Limit 50', async () => {
		const res = await run(dispositions);
		expect(res.outputs[0]).toHaveLength(45);
	});

	test('the API\'s page count ends the list even when the total suggests more', async () => {
		const page = (n: number) => Array.from({ length: 20 }, (_, i) => ({ id: `d${n}-${i}`, name: `D ${n}.${i}` }));
		sb.current.setFaults({
			faults: [{ type: '200', path: '/timepay/api/v1/dispositions', body: { success: true, data: page(1), pagination: { page: 1, limit: 20, total: 100, totalPages: 1 } } }],
		});
		const res = await run({ ...dispositions, returnAll: true });
		expect(res.outputs[0]).toHaveLength(20);
		expect(sent('/dispositions')).toEqual(['GET ?page=1']);
	});

	test('and once the API\'s total is read, no further page is asked for', async () => {
		const data = Array.from({ length: 20 }, (_, i) => ({ id: `d${i}`, name: `D ${i}` }));
		sb.current.setFaults({
			faults: [{ type: '200', path: '/timepay/api/v1/dispositions', times: 5, body: { success: true, data, pagination: { page: 1, limit: 20, total: 20, totalPages: 5 } } }],
		});
		const res = await run({ ...dispositions, returnAll: true });
		expect(res.outputs[0]).toHaveLength(20);
		expect(sent('/dispositions')).toEqual(['GET ?page=1']);
	});

	test('search is TimePay\'s, over name and description', async () => {
		const res = await run({ ...dispositions, returnAll: true, filters: { search: 'pay' } });
		expect(res.outputs[0].map((o) => o.json.name)).toEqual(['Promise to Pay', 'Refused to Pay', 'Partial Payment', 'Financial Hardship']);
		expect(sent('/dispositions')).toEqual(['GET ?search=pay&page=1']);
	});

	test('a page failing part-way keeps the API\'s own hint next to the page note', async () => {
		sb.current.setFaults({ faults: [{ type: '401', path: '/timepay/api/v1/dispositions', skip: 1, body: { success: false, message: 'Token expired' } }] });
		const res = await run({ ...dispositions, returnAll: true });
		expect(res.error?.message).toBe('Item 0: TimePay answered 401: Token expired');
		expect(res.error?.description).toBe(
			'Check the API token in the TimePay credential. Page 2 failed after 1 page (20 records) had been read; no partial list is output.',
		);
	});

	test('a page that fails part-way fails the item with the API\'s message: no partial list', async () => {
		sb.current.setFaults({ faults: [{ type: '500', path: '/timepay/api/v1/dispositions', skip: 1, body: { success: false, message: 'Database timeout' } }] });
		const res = await run({ ...dispositions, returnAll: true });
		expect(res.error?.message).toBe('Item 0: TimePay answered 500: Database timeout');
		expect(res.error?.description).toContain('Page 2 failed after 1 page (20 records) had been read; no partial list is output.');
		expect(res.outputs).toEqual([]);
	});

	test('with continue-on-fail that item becomes one error item, and the other items still read', async () => {
		sb.current.setFaults({ faults: [{ type: '500', path: '/timepay/api/v1/dispositions', skip: 2, body: { success: false, message: 'Database timeout' } }] });
		const res = await run({ ...dispositions, returnAll: true, filters: { search: '={{ $json.q }}' } }, [{ q: 'pay' }, { q: '' }, { q: 'busy' }], {
			onError: 'continueErrorOutput',
		});
		// Item 0: one page. Item 1: page 1 read, page 2 failed. Item 2: one page.
		expect(res.outputs[0].map((o) => [o.json.name, o.pairedItem])).toEqual([
			['Promise to Pay', { item: 0 }],
			['Refused to Pay', { item: 0 }],
			['Partial Payment', { item: 0 }],
			['Financial Hardship', { item: 0 }],
			['Busy', { item: 2 }],
		]);
		expect(res.outputs[1]).toHaveLength(1);
		expect(res.outputs[1][0].pairedItem).toEqual({ item: 1 });
		expect(res.outputs[1][0].json).toMatchObject({ error: 'Item 1: TimePay answered 500: Database timeout', q: '' });
		expect(String((res.outputs[1][0].json.details as IDataObject).description)).toContain('Page 2 failed');
	});

	test('a read is retried on a transient failure (a GET changes nothing)', async () => {
		sb.current.setFaults({ faults: [{ type: '503', path: '/timepay/api/v1/dispositions', skip: 1, times: 2 }] });
		const res = await run({ ...dispositions, returnAll: true });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0]).toHaveLength(45);
		expect(sent('/dispositions')).toEqual(['GET ?page=1', 'GET ?page=2', 'GET ?page=2', 'GET ?page=2', 'GET ?page=3']);
	});

	test('a bad token fails with the API\'s message and a hint, never the token', async () => {
		const res = await run(dispositions, [{}], { credentials: timePayCredentials(sb.current.url, 'tp_wrong_token') });
		expect(res.error?.message).toBe('Item 0: TimePay answered 401: Unauthorized: missing or invalid token');
		expect(res.error?.description).toBe('Check the API token in the TimePay credential.');
		expect(JSON.stringify(res.error)).not.toContain('tp_wrong_token');
	});

	test('an answer for another page than the one asked for is an error, not records read twice', async () => {
		// Page 2 is answered with page 1 again (a page number the API ignored).
		const page1 = await (await fetch(`${sb.current.url}/timepay/api/v1/dispositions?page=1`, { headers: { authorization: `Bearer ${sandboxCredentials.timePay.token}` } })).json();
		sb.current.setFaults({ faults: [{ type: '200', path: '/timepay/api/v1/dispositions', skip: 1, body: page1 }] });
		const res = await run({ ...dispositions, returnAll: true });
		expect(res.error?.message).toBe('Item 0: TimePay answered 200: asked for page 2 of GET /dispositions, the answer is page 1');
		expect(res.outputs).toEqual([]);
	});

	test('an answer without page counts is an error, not a list that might be partial', async () => {
		sb.current.setFaults({ faults: [{ type: '200', path: '/timepay/api/v1/dispositions', body: { success: true, data: [{ id: 'd1', name: 'x' }] } }] });
		const res = await run({ ...dispositions, returnAll: true });
		expect(res.error?.message).toBe('Item 0: TimePay answered 200: the answer to GET /dispositions is not a list with page counts (data and pagination)');
	});
});

describe('TimePay Campaign → Get Many', () => {
	test('Return All pages through every campaign (50 per request) until totalPages', async () => {
		await createCampaigns(80); // 23 in the sandbox + 80 = 103: three pages
		const res = await run({ ...campaigns, returnAll: true });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0]).toHaveLength(103);
		expect(new Set(ids(res.outputs[0])).size).toBe(103);
		expect(sent('/campaigns')).toEqual(['GET ?limit=50&page=1', 'GET ?limit=50&page=2', 'GET ?limit=50&page=3']);
		expect(res.outputs[0][0].json).toMatchObject({ name: 'Extra campaign 79', status: 'active', campaign_type: 'emi', rowsLen: 0 });
	});

	test('Limit asks for pages of at most that size', async () => {
		const res = await run({ ...campaigns, limit: 12 });
		expect(res.outputs[0]).toHaveLength(12);
		expect(sent('/campaigns')).toEqual(['GET ?limit=12&page=1']);
		const more = await run({ ...campaigns, limit: 60 });
		expect(more.outputs[0]).toHaveLength(23);
	});

	test('status, campaign type and search are sent as TimePay\'s filters', async () => {
		const res = await run({ ...campaigns, returnAll: true, filters: { status: 'active', campaign_type: 'emi', search: 'EMI reminders' } });
		expect(ids(res.outputs[0])).toEqual(['camp_hindi_emi', 'camp_tamil_emi', 'camp_emi_delhi', 'camp_emi_pune', 'camp_debt_demo']);
		expect(res.outputs[0].every((o) => o.json.status === 'active' && o.json.campaign_type === 'emi')).toBe(true);
		expect(sent('/campaigns')).toEqual(['GET ?limit=50&status=active&campaign_type=emi&search=EMI+reminders&page=1']);
	});

	test('a campaign type given by expression goes as is; no match is no items', async () => {
		const res = await run({ ...campaigns, returnAll: true, filters: { campaign_type: '={{ "bnpl" }}' } });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0]).toEqual([]);
		expect(sent('/campaigns')).toEqual(['GET ?limit=50&campaign_type=bnpl&page=1']);
	});

	test('one read per input item, each paired to its item', async () => {
		const res = await run({ ...campaigns, returnAll: true, filters: { status: '={{ $json.status }}' } }, [{ status: 'paused' }, { status: 'draft' }]);
		const paired = res.outputs[0].map((o) => [o.json.status, (o.pairedItem as { item: number }).item]);
		expect(paired.filter(([, i]) => i === 0).every(([s]) => s === 'paused')).toBe(true);
		expect(paired.filter(([, i]) => i === 1).every(([s]) => s === 'draft')).toBe(true);
		expect(paired).toHaveLength(4 + 3);
	});
});

describe('TimePay Campaign → Get', () => {
	test.each([
		['picked from the list', byList('camp_bounced')],
		['by ID', { __rl: true, mode: 'id', value: 'camp_bounced' }],
		['by ID from an expression', { __rl: true, mode: 'id', value: '={{ $json.campaign }}' }],
	])('%s', async (_, campaignId) => {
		const res = await run({ resource: 'campaign', operation: 'get', campaignId }, [{ campaign: 'camp_bounced' }]);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0]).toEqual([
			{
				json: expect.objectContaining({ id: 'camp_bounced', name: 'Bounced EMI follow-up', status: 'active', campaign_type: 'emi', languages: ['hindi', 'english'] }),
				pairedItem: { item: 0 },
			},
		]);
		expect(sent('/campaigns/camp_bounced')).toEqual(['GET ']);
	});

	test('an unknown campaign is a 404 in the API\'s words; with continue-on-fail an error item', async () => {
		const res = await run({ resource: 'campaign', operation: 'get', campaignId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }, [{ id: 'camp_nope' }, { id: 'camp_other_org' }, { id: 'camp_lead_demo' }], {
			continueOnFail: true,
		});
		expect(res.outputs[0].map((o) => [o.pairedItem, o.json.error ?? o.json.id])).toEqual([
			[{ item: 0 }, 'Item 0: TimePay answered 404: Campaign not found'],
			[{ item: 1 }, 'Item 1: TimePay answered 403: Campaign ID invalid or mismatch for your organization.'],
			[{ item: 2 }, 'camp_lead_demo'],
		]);
		const failed = await run({ resource: 'campaign', operation: 'get', campaignId: byList('camp_nope') });
		expect(failed.error).toMatchObject({ message: 'Item 0: TimePay answered 404: Campaign not found', httpCode: '404' });
	});

	test('an empty Campaign ID is named before anything is sent', async () => {
		const res = await run({ resource: 'campaign', operation: 'get', campaignId: { __rl: true, mode: 'id', value: '={{ $json.none }}' } });
		expect(res.error?.message).toBe('Item 0: field "campaignId" = "": must not be empty');
		expect(sb.current.state().requests).toHaveLength(0);
	});

	test('an id with URL characters is sent encoded, as one path segment', async () => {
		const res = await run({ resource: 'campaign', operation: 'get', campaignId: { __rl: true, mode: 'id', value: '../customers/add' } });
		expect(res.error?.message).toBe('Item 0: TimePay answered 404: Campaign not found');
		expect(sent('/campaigns/..%2Fcustomers%2Fadd')).toEqual(['GET ']);
	});
});
