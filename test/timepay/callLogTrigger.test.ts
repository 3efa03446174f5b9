/**
 * TimePay Call Log Trigger (polling): poll() runs in n8n-core's PollContext through
 * TriggersAndPollers, static data is saved when n8n saves it, and a restart rebuilds the workflow
 * from the saved static data only (test/harness/triggers.ts). The logs come from the sandbox over
 * HTTP: calls placed by the TimePay node, or events recorded as given (late logs, WhatsApp).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { TimePayCallLogTrigger } from '../../nodes/TimePay/TimePayCallLogTrigger.node';
import { baseline } from '../../nodes/TimePay/callLogCursor';
import { registerNode, runNode, searchList } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { outputsOf, pollTrigger } from '../harness/triggers';
import { autoMap, debtRecord, timePayCredentials } from './fixtures';

registerNode('timePayCallLogTrigger', new TimePayCallLogTrigger());

const sb = useSandbox();
const MIN = 60_000;
const creds = (token?: string) => timePayCredentials(sb.current.url, token);
const trigger = (parameters: object = {}, more: object = {}) =>
	pollTrigger({ type: 'timePayCallLogTrigger', parameters: parameters as never, credentials: creds(), ...more });

async function control(path: string, body: unknown) {
	const res = await fetch(`${sb.current.url}/__sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	expect(res.status).toBe(200);
	return (await res.json()) as IDataObject;
}
/** Logs recorded as given; start_time `agoMs` before now (default: just now). */
async function addLogs(n: number, make: (i: number) => IDataObject = () => ({}), prefix = 'c') {
	const events = Array.from({ length: n }, (_, i) => ({
		call_id: `${prefix}${String(i).padStart(4, '0')}`,
		status: 'Contacted',
		disposition: 'Promise to Pay',
		loan_id: `LOAN-${prefix}-${i}`,
		start_time: new Date(Date.now() - 60_000 + i).toISOString(),
		...make(i),
	}));
	await control('/events', { events, deliver: false });
	return events.map((e) => e.call_id);
}
const ids = (items: INodeExecutionData[] | null) => (items ?? []).map((i) => i.json.callId as string);
const logRequests = () => (sb.current.state().requests as Array<{ method: string; path: string }>).filter((r) => r.path.endsWith('/logs'));

describe('TimePay Call Log Trigger: each new log once', () => {
	test('activation notes what is there; the next polls emit each new log once, oldest first, with the normalised fields', async () => {
		await addLogs(3, () => ({}), 'old');
		const t = trigger();
		expect((await t.activate()).items).toBeNull();
		expect(await t.poll()).toEqual({ items: null });

		// Calls placed by the TimePay node end in the sandbox and appear in the logs.
		await control('/calls', { delayMs: 0, spacingMs: 0 });
		const placed = await runNode({
			type: 'timePay',
			parameters: { resource: 'customer', operation: 'bulkAdd', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap, afterAdding: 'initiateCall', agentId: 'agent_demo', dispositionId: 'disp_demo' },
			input: [debtRecord(1), debtRecord(2)],
			credentials: creds(),
		});
		expect(placed.error).toBeUndefined();
		await new Promise((r) => setTimeout(r, 100));
		const logs = (sb.current.state().timePay.calls.logs as IDataObject[]).filter((l) => String(l.call_id).startsWith('call_'));
		expect(logs).toHaveLength(2);

		const { items, run } = await t.poll();
		expect(ids(items).sort()).toEqual(logs.map((l) => l.call_id).sort());
		const byStart = [...logs].sort((a, b) => Date.parse(String(a.start_time)) - Date.parse(String(b.start_time)));
		expect(ids(items)).toEqual(byStart.map((l) => l.call_id));
		const first = items![0].json;
		const log = logs.find((l) => l.call_id === first.callId)!;
		expect(first).toMatchObject({
			event: log.status,
			channel: 'call',
			campaignId: 'camp_debt_demo',
			customerId: log.loan_id,
			customerIdField: 'loan_id',
			disposition: log.disposition,
			summary: log.summary,
			extractedData: log.extracted_data,
			startTime: log.start_time,
			endTime: log.end_time,
			dedupeKey: `${log.call_id}:${log.status}`,
			log,
		});
		// The emitted items started one execution through the engine.
		expect(outputsOf(run!).Trigger[0]).toHaveLength(2);
		expect(await t.poll()).toEqual({ items: null });
	});

	test('everything new is paged through, 10 logs per page, in one poll', async () => {
		const t = trigger();
		await t.activate();
		const added = await addLogs(25);
		const before = logRequests().length;
		const { items } = await t.poll();
		expect(ids(items).sort()).toEqual(added.sort());
		// count_only, then pages 1, 2 and 3.
		expect(logRequests().length - before).toBe(4);
	});

	test('a poll with nothing new costs one request (the window counts the same)', async () => {
		await addLogs(15, () => ({}), 'old');
		const t = trigger();
		await t.activate();
		const before = logRequests().length;
		expect((await t.poll()).items).toBeNull();
		expect((await t.poll()).items).toBeNull();
		expect(logRequests().length - before).toBe(2);
	});

	test('over many polls with logs arriving in between, every log is emitted exactly once', async () => {
		const t = trigger();
		await t.activate();
		const all: string[] = [];
		const emitted: string[] = [];
		for (let round = 0; round < 6; round++) {
			all.push(...(await addLogs(round * 4, (i) => ({ start_time: new Date(Date.now() - (i % 5) * MIN).toISOString() }), `r${round}-`)));
			emitted.push(...ids((await t.poll()).items));
		}
		expect(emitted.sort()).toEqual(all.sort());
		expect(new Set(emitted).size).toBe(emitted.length);
	});

	test('a log that appears late is emitted while it is inside the late-log window; one older than the window is not', async () => {
		const t = trigger({ options: { lateWindowMinutes: 30 } });
		await t.activate();
		await addLogs(1, () => ({}), 'now');
		expect(ids((await t.poll()).items)).toEqual(['now0000']);
		// Appears now, started 20 minutes ago (a long call, or TimePay writing the log late).
		await addLogs(1, () => ({ start_time: new Date(Date.now() - 20 * MIN).toISOString() }), 'late');
		// Appears now, started 45 minutes ago: later than the window allows.
		await addLogs(1, () => ({ start_time: new Date(Date.now() - 45 * MIN).toISOString() }), 'toolate');
		expect(ids((await t.poll()).items)).toEqual(['late0000']);
		expect((await t.poll()).items).toBeNull();
	});

	test('a longer late-log window, set on a running trigger, emits no log a second time', async () => {
		// The last poll was 10 minutes ago (n8n was stopped), with a 1-minute window.
		const cursor = baseline(JSON.stringify({ type: 'call' }), [], Date.now() - 10 * MIN, MIN);
		const withWindow = (minutes: number, staticData: IDataObject) =>
			trigger({ options: { lateWindowMinutes: minutes } }, { staticData });
		const t = withWindow(1, { 'node:Trigger': { cursor } });
		await addLogs(1, () => ({ start_time: new Date(Date.now() - 9 * MIN).toISOString() }), 'early');
		expect(ids((await t.restart()).items)).toEqual(['early0000']);
		await addLogs(1, () => ({}), 'now');
		// The window now starts a minute before the newest log: "early" is out of it and forgotten.
		expect(ids((await t.poll()).items)).toEqual(['now0000']);
		// The user makes the window 30 minutes, which reaches back past "early": the longer window
		// applies to logs from then on, and new logs still come.
		const longer = withWindow(30, t.saved());
		expect((await longer.restart()).items).toBeNull();
		await addLogs(1, () => ({}), 'next');
		expect(ids((await longer.poll()).items)).toEqual(['next0000']);
	});

	test('the cursor lives in the static data and survives an n8n restart: none twice, none missed', async () => {
		const t = trigger();
		await t.activate();
		await addLogs(12, () => ({}), 'a');
		expect(ids((await t.poll()).items)).toHaveLength(12);
		expect(t.saved()).toMatchObject({ 'node:Trigger': { cursor: { v: 2, seen: expect.any(Object), scan: null } } });
		// Logs arrive while n8n is down; the activation poll after the restart emits exactly them.
		await addLogs(7, () => ({}), 'b');
		const { items } = await t.restart();
		expect(ids(items).sort()).toEqual(['b0000', 'b0001', 'b0002', 'b0003', 'b0004', 'b0005', 'b0006']);
		await addLogs(2, () => ({}), 'c');
		expect(ids((await t.poll()).items)).toEqual(['c0000', 'c0001']);
		// A restart after polls that emitted nothing (their state never saved) repeats nothing.
		expect((await t.poll()).items).toBeNull();
		expect((await t.restart()).items).toBeNull();
	});

	test('a poll that starts while the previous one is still reading (n8n does not wait) emits nothing twice', async () => {
		const t = trigger();
		await t.activate();
		const added = await addLogs(25);
		// TimePay answers slowly: the second poll time comes while the first poll is on its pages.
		sb.current.setFaults({ latencyMs: 100 });
		const first = t.poll();
		await new Promise((r) => setTimeout(r, 60));
		const second = await t.poll();
		expect(second.items).toBeNull();
		expect(ids((await first).items).sort()).toEqual(added.sort());
		// Once the first has finished, polls run again.
		sb.current.setFaults({ latencyMs: 0 });
		await addLogs(1, () => ({}), 'after');
		expect(ids((await t.poll()).items)).toEqual(['after0000']);
	});

	test('a poll stopped by its time budget leaves the rest to the next poll, none twice', async () => {
		const t = trigger({}, { pollBudgetMs: 0 });
		await t.activate();
		const added = await addLogs(23);
		const first = ids((await t.poll()).items);
		expect(first.length).toBeLessThan(23);
		const rest: string[] = [];
		for (let i = 0; i < 5; i++) rest.push(...ids((await t.poll()).items));
		expect([...first, ...rest].sort()).toEqual(added.sort());
	});
});

describe('TimePay Call Log Trigger: filters', () => {
	const cases: Array<[string, IDataObject, IDataObject, IDataObject]> = [
		['log type WhatsApp', { type: 'whatsapp' }, { type: 'whatsapp', status: 'Delivered' }, {}],
		['log type Calls (default) leaves WhatsApp out', {}, {}, { type: 'whatsapp', status: 'Delivered' }],
		['status', { filters: { status: 'No Contact' } }, { status: 'No Contact' }, {}],
		['disposition', { filters: { disposition: 'Already Paid' } }, { disposition: 'Already Paid' }, {}],
		['campaign (a plain ID)', { filters: { campaign_id: 'camp_lead_demo' } }, { campaign_id: 'camp_lead_demo' }, {}],
		['campaign picked from the list', { filters: { campaign_id: { __rl: true, mode: 'list', value: 'camp_lead_demo' } } }, { campaign_id: 'camp_lead_demo' }, {}],
		['campaign by ID in the picker, from an expression', { filters: { campaign_id: { __rl: true, mode: 'id', value: '={{ "camp_lead" + "_demo" }}' } } }, { campaign_id: 'camp_lead_demo' }, {}],
		['agent', { filters: { agent_id: 'agent_collections' } }, { agent_id: 'agent_collections' }, { agent_id: 'agent_demo' }],
		['customer phone', { filters: { phone: '+919800000001' } }, { to: '+919800000001' }, { to: '+919800000002' }],
		['caller number', { filters: { from_phone: '+911100000001' } }, { from: '+911100000001' }, { from: '+911100000002' }],
	];
	test.each(cases)('%s: only matching logs are emitted', async (_name, parameters, match, other) => {
		const t = trigger(parameters);
		await t.activate();
		await addLogs(2, () => match, 'yes');
		await addLogs(2, () => other, 'no');
		expect(ids((await t.poll()).items).sort()).toEqual(['yes0000', 'yes0001']);
	});

	test('the Campaign ID picker lists TimePay\'s campaigns, searchable', async () => {
		const load = (filter?: string) => searchList({ type: 'timePayCallLogTrigger', method: 'searchCampaigns', credentials: creds(), parameters: {}, filter });
		const all = await load();
		expect(all.results).toContainEqual(expect.objectContaining({ name: 'EMI reminders (sandbox)', value: 'camp_debt_demo' }));
		const found = await load('EMI reminders');
		expect(found.results.map((r) => r.value)).toContain('camp_debt_demo');
		expect(found.results.length).toBeLessThan(all.results.length);
	});

	test('a WhatsApp log without call_id is named by its message_id, as the webhook trigger names it, and emitted once', async () => {
		const t = trigger({ type: 'whatsapp' });
		await t.activate();
		await addLogs(1, () => ({ call_id: null, message_id: 'wamid.42', type: 'whatsapp', status: 'Delivered' }), 'w');
		const items = (await t.poll()).items!;
		expect(items.map((i) => [i.json.callId, i.json.dedupeKey, i.json.channel])).toEqual([['wamid.42', 'wamid.42:Delivered', 'whatsapp']]);
		expect((await t.poll()).items).toBeNull();
	});

	test('all log types with "All"', async () => {
		const t = trigger({ type: '' });
		await t.activate();
		await addLogs(1, () => ({ type: 'whatsapp', status: 'Read' }), 'w');
		await addLogs(1, () => ({}), 'k');
		const items = (await t.poll()).items!;
		expect(items.map((i) => [i.json.callId, i.json.channel])).toEqual([['w0000', 'whatsapp'], ['k0000', 'call']]);
	});

	test('changed filters start a new baseline instead of emitting old logs', async () => {
		await addLogs(3, () => ({ status: 'No Contact' }), 'old');
		const before = trigger({ filters: { status: 'Contacted' } });
		await before.activate();
		// The same workflow, its filter edited: its static data is the old cursor.
		const t = trigger({ filters: { status: 'No Contact' } }, { staticData: before.saved() });
		expect((await t.activate()).items).toBeNull();
		await addLogs(1, () => ({ status: 'No Contact' }), 'new');
		expect(ids((await t.poll()).items)).toEqual(['new0000']);
	});
});

describe('TimePay Call Log Trigger: editor and errors', () => {
	test('"Fetch Test Event" shows the latest logs (up to 10, newest first) and leaves the cursor alone', async () => {
		await addLogs(14, (i) => ({ start_time: new Date(Date.parse('2030-01-01T00:00:00Z') + i * MIN).toISOString() }));
		const t = trigger();
		await t.activate();
		const saved = t.saved();
		const run = await t.fetchTestEvent();
		expect(run.data.resultData.error).toBeUndefined();
		const items = outputsOf(run).Trigger[0];
		expect(items.map((i) => i.json.callId)).toEqual(['c0013', 'c0012', 'c0011', 'c0010', 'c0009', 'c0008', 'c0007', 'c0006', 'c0005', 'c0004']);
		expect(t.saved()).toEqual(saved);
		await addLogs(1, () => ({}), 'n');
		expect(ids((await t.poll()).items)).toEqual(['n0000']);
	});

	test.each(['newestFirst', 'oldestFirst'])('whatever the order of the pages (%s), polls emit each log once and "Fetch Test Event" shows the newest', async (logOrder) => {
		await control('/calls', { logOrder });
		const t = trigger();
		await t.activate();
		const added = await addLogs(24, (i) => ({ start_time: new Date(Date.now() - 10 * MIN + i * 1000).toISOString() }));
		const late = await addLogs(3, (i) => ({ start_time: new Date(Date.now() - 20 * MIN + i * 1000).toISOString() }), 'late');
		expect(ids((await t.poll()).items)).toEqual([...late, ...added]);
		expect((await t.poll()).items).toBeNull();
		const shown = outputsOf(await t.fetchTestEvent()).Trigger[0].map((i) => i.json.callId);
		expect(shown).toEqual([...added].reverse().slice(0, 10));
	});

	test('a refused token fails the poll with TimePay\'s answer, without the token, and moves no cursor', async () => {
		const t = trigger();
		await t.activate();
		await addLogs(2);
		const bad = pollTrigger({ type: 'timePayCallLogTrigger', parameters: {}, credentials: creds('tp_wrong_token_123456') });
		const error = await bad.activate().catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toBe('TimePay answered 401: Unauthorized: missing or invalid token');
		expect(JSON.stringify(error)).not.toContain('tp_wrong_token_123456');
		expect(bad.saved()).toEqual({});
		expect(ids((await t.poll()).items).sort()).toEqual(['c0000', 'c0001']);
		expect(sandboxCredentials.timePay.token).not.toBe('tp_wrong_token_123456');
	});

	test('a page that fails part-way fails the poll with TimePay\'s answer and moves no cursor: the next poll emits every log', async () => {
		const t = trigger({ options: { maxAttempts: 1 } });
		await t.activate();
		const added = await addLogs(25);
		const saved = t.saved();
		// The count and page 1 are answered; page 2 fails.
		sb.current.setFaults({ faults: [{ type: '500', path: '/timepay/api/v1/logs', skip: 2, body: { success: false, message: 'Database timeout' } }] });
		await expect(t.poll()).rejects.toThrow('TimePay answered 500: Database timeout');
		expect(t.saved()).toEqual(saved);
		expect(ids((await t.poll()).items).sort()).toEqual(added.sort());
		expect((await t.poll()).items).toBeNull();
	});

	test('a transient 503 is retried (a read is safe to repeat)', async () => {
		const t = trigger({ options: { maxAttempts: 3 } });
		await t.activate();
		await addLogs(1);
		sb.current.setFaults({ faults: [{ type: '503', path: '/timepay/api/v1/logs', times: 2 }] });
		expect(ids((await t.poll()).items)).toEqual(['c0000']);
	});
});
