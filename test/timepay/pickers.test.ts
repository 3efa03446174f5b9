/**
 * The Campaign ID and Disposition ID pickers (resource locators, "From List"), loaded the way
 * n8n's server loads them for the editor, against the sandbox.
 */
import { searchList } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { timePayCredentials } from './fixtures';

const sb = useSandbox();
const load = (method: string, more: { filter?: string; paginationToken?: string; token?: string } = {}) =>
	searchList({
		type: 'timePay',
		typeVersion: 2,
		method,
		credentials: timePayCredentials(sb.current.url, more.token),
		parameters: { resource: 'customer', operation: 'bulkAdd' },
		filter: more.filter,
		paginationToken: more.paginationToken,
	});
const sent = (path: string) =>
	(sb.current.state().requests as Array<{ path: string; query: string }>).filter((r) => r.path === `/timepay/api/v1${path}`).map((r) => r.query);

async function createCampaigns(n: number) {
	for (let i = 0; i < n; i++) {
		await fetch(`${sb.current.url}/timepay/api/v1/campaigns/create`, {
			method: 'POST',
			headers: { authorization: `Bearer ${sandboxCredentials.timePay.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: `Extra ${i}`, description: 'x', campaignType: 'lead', startDate: '2025-01-01', endDate: '2025-01-31', startTime: '09:00', endTime: '18:00', languages: ['hindi'], region: 'IN' }),
		});
	}
}

describe('Campaign picker (searchCampaigns)', () => {
	test('lists campaigns by name with their ID as the value, and says what each is', async () => {
		const page = await load('searchCampaigns');
		expect(page.results).toHaveLength(23);
		expect(page.paginationToken).toBeUndefined();
		expect(page.results).toContainEqual({ name: 'Bounced EMI follow-up', value: 'camp_bounced', description: 'camp_bounced · active · emi' });
		expect(page.results).toContainEqual({ name: 'EMI reminders (sandbox)', value: 'camp_debt_demo', description: 'camp_debt_demo · active · emi' });
		// Only the caller's organization.
		expect(page.results.map((r) => r.value)).not.toContain('camp_other_org');
		expect(sent('/campaigns')).toEqual(['?limit=50&page=1']);
	});

	test('scrolling asks for the next page until TimePay says there is none', async () => {
		await createCampaigns(80);
		const first = await load('searchCampaigns');
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('2');
		const second = await load('searchCampaigns', { paginationToken: first.paginationToken });
		expect(second.results).toHaveLength(50);
		expect(second.paginationToken).toBe('3');
		const third = await load('searchCampaigns', { paginationToken: second.paginationToken });
		expect(third.results).toHaveLength(3);
		expect(third.paginationToken).toBeUndefined();
		expect(new Set([...first.results, ...second.results, ...third.results].map((r) => r.value)).size).toBe(103);
		expect(sent('/campaigns').slice(-3)).toEqual(['?limit=50&page=1', '?limit=50&page=2', '?limit=50&page=3']);
	});

	test("the search box is TimePay's search", async () => {
		const page = await load('searchCampaigns', { filter: '  leads ' });
		expect(page.results.map((r) => r.value).sort()).toEqual(['camp_diwali_leads', 'camp_insurance', 'camp_lead_demo', 'camp_msme_leads', 'camp_referrals', 'camp_web_leads'].sort());
		expect(sent('/campaigns')).toEqual(['?limit=50&search=leads&page=1']);
	});

	test("a bad token shows the API's message in the picker, not an empty list", async () => {
		const error = await load('searchCampaigns', { token: 'tp_not_a_token' }).catch((e: Error & { description?: string }) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toBe('TimePay answered 401: Unauthorized: missing or invalid token');
		expect((error as { description?: string }).description).toBe('Check the API token in the TimePay credential.');
		expect(JSON.stringify(error)).not.toContain('tp_not_a_token');
	});

	test('an unreachable TimePay shows why', async () => {
		const error = await searchList({
			type: 'timePay',
			typeVersion: 2,
			method: 'searchCampaigns',
			credentials: { timePayApi: { token: sandboxCredentials.timePay.token, baseUrl: 'http://127.0.0.1:1/api/v1' } },
		}).catch((e: Error) => e);
		expect((error as Error).message).toMatch(/^Could not reach TimePay at 127\.0\.0\.1:1: the connection was refused/);
	});

	test('a server error is shown in its words, after one retry', async () => {
		sb.current.setFaults({ faults: [{ type: '503', times: 2, path: '/timepay/api/v1/campaigns', body: { success: false, message: 'Maintenance until 10:00' } }] });
		const error = await load('searchCampaigns').catch((e: Error) => e);
		expect((error as Error).message).toBe('TimePay answered 503: Maintenance until 10:00');
		expect(sent('/campaigns')).toHaveLength(2);
	});
});

describe('Disposition picker (searchDispositions)', () => {
	test('20 per page, paged with the token, searchable', async () => {
		const first = await load('searchDispositions');
		expect(first.results).toHaveLength(20);
		expect(first.results[0]).toEqual({ name: 'Demo outcome', value: 'disp_demo', description: 'disp_demo · The disposition the examples use' });
		expect(first.paginationToken).toBe('2');
		const last = await load('searchDispositions', { paginationToken: '3' });
		expect(last.results).toHaveLength(5);
		expect(last.paginationToken).toBeUndefined();
		const found = await load('searchDispositions', { filter: 'wrong' });
		expect(found.results.map((r) => r.value)).toEqual(['disp_wrong_number']);
		expect(sent('/dispositions')).toEqual(['?page=1', '?page=3', '?search=wrong&page=1']);
	});

	test("a bad token shows the API's message", async () => {
		await expect(load('searchDispositions', { token: 'nope' })).rejects.toThrow('TimePay answered 401: Unauthorized: missing or invalid token');
	});
});
