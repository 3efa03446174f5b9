/**
 * The TimePay Call Log Trigger published in a real n8n (`n8n start`, SQLite): it polls the
 * sandbox's GET /logs on n8n's own schedule (four poll times a minute), across an n8n restart.
 * Every log that appears after publishing is emitted exactly once; none that was there before.
 */
import { executionData, executionsOf, itemsOf } from './callOutcomes';
import { creds, n8n, sandboxPost, startSandbox } from './helpers';
import type { Json, Sandbox } from './helpers';

const ID = 'e2eCallLogPoll01';
const TRIGGER = 'TimePay Call Log Trigger';

const workflow = () => ({
	id: ID,
	name: 'e2e call-log trigger',
	nodes: [
		{
			id: 'p1',
			name: TRIGGER,
			type: 'n8n-nodes-crm-dialer.timePayCallLogTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				// n8n refuses poll times under a minute apart only within one cron: four fixed seconds
				// a minute are four poll times, every 15 s.
				pollTimes: { item: [0, 15, 30, 45].map((s) => ({ mode: 'custom', cronExpression: `${s} * * * * *` })) },
				type: 'call',
				filters: {},
				options: {},
			},
			credentials: { timePayApi: creds.IDS.timePayApi },
		},
		{ id: 'p2', name: 'Logs', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	],
	connections: { [TRIGGER]: { main: [[{ node: 'Logs', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
});

let sb: Sandbox;
let folder: string;
let h: Json;

beforeAll(async () => {
	sb = await startSandbox();
	folder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
	await n8n.importCredentials(folder, creds.sandboxCredentials(sb.url));
	await n8n.importWorkflows(folder, workflow());
	await n8n.n8nCliOk(folder, ['publish:workflow', `--id=${ID}`]);
}, 5 * 60 * 1000);

afterAll(async () => {
	await h?.stop();
	await sb?.close();
});

let serial = 0;
/** Logs that appear now; `startedMinutesAgo` makes one that appears late. */
async function addLogs(n: number, startedMinutesAgo = 0): Promise<string[]> {
	const events = Array.from({ length: n }, () => {
		const id = `call_poll_${String(++serial).padStart(4, '0')}`;
		return { call_id: id, status: 'Contacted', disposition: 'Promise to Pay', loan_id: `L-${id}`, start_time: new Date(Date.now() - startedMinutesAgo * 60000).toISOString() };
	});
	await sandboxPost(sb, '/__sandbox/events', { events, deliver: false });
	return events.map((e) => e.call_id);
}

/** Every callId the trigger emitted, over all executions of the workflow (one entry per emission). */
async function emitted(api: Json): Promise<string[]> {
	const list = await executionsOf(api, ID);
	const ids: string[] = [];
	for (const e of list) ids.push(...itemsOf(await executionData(api, String(e.id)), TRIGGER).map((j) => String(j.callId)));
	return ids;
}

async function until(api: Json, want: string[], timeoutMs = 60000): Promise<string[]> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const got = await emitted(api);
		if (want.every((id) => got.includes(id))) return got;
		if (Date.now() > end) throw new Error(`not emitted after ${timeoutMs} ms: ${want.filter((id) => !got.includes(id)).join(', ')}`);
		await n8n.sleep(1000);
	}
}

test('polls over several minutes and an n8n restart: every new log once, none missed, none from before publishing', async () => {
	const before = await addLogs(3);
	h = await n8n.startN8n(folder, { env: n8n.ownerEnv() });
	let api = await n8n.login(h.url);
	// The activation poll takes note of what is there and starts nothing.
	await n8n.sleep(2000);
	expect((await executionsOf(api, ID)).total).toBe(0);

	const added: string[] = [];
	added.push(...(await addLogs(5)));
	await until(api, added);
	added.push(...(await addLogs(12)), ...(await addLogs(2, 12)));
	await until(api, added);

	// Logs that appear while n8n is down are emitted by the poll n8n runs when it activates the workflow again.
	await h.stop();
	added.push(...(await addLogs(4)), ...(await addLogs(1, 5)));
	h = await n8n.startN8n(folder, { env: n8n.ownerEnv() });
	api = await n8n.login(h.url);
	await until(api, added);
	added.push(...(await addLogs(3)));
	const got = await until(api, added);
	// One more poll with nothing new changes nothing.
	await n8n.sleep(16000);
	const final = await emitted(api);
	expect(final.length).toBe(got.length);

	expect([...final].sort()).toEqual([...added].sort());
	expect(final.filter((id) => before.includes(id))).toEqual([]);
	const runs = await executionsOf(api, ID);
	expect(runs.every((e) => e.status === 'success' && e.mode === 'trigger')).toBe(true);
	expect(h.logs()).not.toMatch(/n8n-nodes-crm-dialer[^\n]*(error|warn)/i);
}, 8 * 60 * 1000);
