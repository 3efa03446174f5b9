/**
 * examples/nightly-call-report.json in a real n8n (`n8n execute`): the call logs of the last day,
 * read page by page from the sandbox, become one summary item per disposition.
 */
import { creds, examples, idFor, n8n, sandboxPost, startSandbox } from './helpers';
import type { Json, Sandbox } from './helpers';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox();
});

afterAll(async () => {
	await sb?.close();
});

test('one summary item per disposition of the last day: count, total duration; older logs left out', async () => {
	const hour = 3600_000;
	const log = (i: number, disposition: string, duration: number, hoursAgo: number) => ({
		call_id: `call_night_${i}`,
		disposition,
		duration,
		status: disposition === 'No Answer' ? 'No Contact' : 'Contacted',
		campaign_id: i % 2 ? 'camp_debt_demo' : 'camp_lead_demo',
		start_time: new Date(Date.now() - hoursAgo * hour).toISOString(),
	});
	// 23 calls in the last day (three pages of logs), and two from the day before.
	const events = [
		...Array.from({ length: 12 }, (_, i) => log(i, 'Promise to Pay', 100, 1 + i)),
		...Array.from({ length: 8 }, (_, i) => log(100 + i, 'No Answer', 30, 2 + i)),
		...Array.from({ length: 3 }, (_, i) => log(200 + i, 'Already Paid', 60, 3 + i)),
		log(300, 'Promise to Pay', 100, 30),
		log(301, 'Busy', 10, 40),
	];
	await sandboxPost(sb, '/__sandbox/events', { events, deliver: false });

	const folder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	await n8n.importCredentials(folder, creds.sandboxCredentials(sb.url));
	const example = examples().find((e) => e.file === 'nightly-call-report.json')!;
	const [id] = await n8n.importWorkflows(folder, { ...example.workflow, id: idFor(example.file) });
	const r = await n8n.execute(folder, id);
	if (!r.ok) throw new Error(n8n.failureText(r));

	expect(n8n.nodeOutput(r.data, 'TimePay: Call Logs of the Last Day')).toHaveLength(23);
	const summary = (n8n.nodeOutput(r.data, 'One Summary per Disposition') as Json[]).map((j) => [
		j.disposition,
		j.count_call_id,
		j.sum_duration,
		j.unique_count_campaign_id,
	]);
	expect(summary.sort()).toEqual([
		['Already Paid', 3, 180, 2],
		['No Answer', 8, 240, 2],
		['Promise to Pay', 12, 1200, 2],
	]);
	const pages = (sb.state().requests as Json[]).filter((q) => String(q.path).endsWith('/logs'));
	expect(pages).toHaveLength(3);
});
