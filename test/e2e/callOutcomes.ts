/**
 * Shared by the call-outcome e2e tests: the follow-up example as n8n gets it, calls placed in the
 * sandbox over TimePay's API, and what n8n's REST API says about executions.
 */
import * as path from 'node:path';

import { examples, n8n, sandboxPost } from './helpers';
import type { Json, Sandbox } from './helpers';

const sandboxSecrets: any = require('../sandbox/credentials');

export const WEBHOOK_SECRET: string = sandboxSecrets.timePay.webhookSecret;
export const FOLLOW_UP_ID = 'exCallOutcomes01';

export function followUpExample(): Json {
	const ex = examples().find((e) => e.file === 'call-outcomes-follow-up.json');
	if (!ex) throw new Error('examples/call-outcomes-follow-up.json is missing');
	return { ...ex.workflow, id: FOLLOW_UP_ID };
}

/** The production URL of the example's TimePay Trigger on an n8n at `base`. */
export function productionUrl(base: string, workflow: Json = followUpExample()): string {
	const trigger = (workflow.nodes as Json[]).find((n) => n.type === 'n8n-nodes-crm-dialer.timePayTrigger')!;
	return `${base}/webhook/${trigger.webhookId}/timepay`;
}

/** Waits until n8n has registered the webhook (a delivery without the secret gets the node's 401, not n8n's 404). */
export async function waitRegistered(url: string, timeoutMs = 60000): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		await res.text();
		if (res.status === 401) return;
		if (Date.now() > until) throw new Error(`webhook ${url} not registered: HTTP ${res.status}`);
		await n8n.sleep(250);
	}
}

export async function deliver(url: string, body: unknown, secret = WEBHOOK_SECRET): Promise<{ status: number; text: string }> {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	return { status: res.status, text: await res.text() };
}

export interface Outcome {
	status: string;
	disposition: string;
	dispositionId?: string;
	summary?: string;
	extracted_data?: Json;
}

export const OUTCOMES: Record<string, Outcome> = {
	promise: { status: 'Contacted', disposition: 'Promise to Pay', dispositionId: 'disp_ptp', summary: 'Will pay on the 10th.', extracted_data: { promise_to_pay_date: '2031-01-10' } },
	paid: { status: 'Contacted', disposition: 'Already Paid', dispositionId: 'disp_paid', summary: 'Paid yesterday.' },
	noAnswer: { status: 'No Contact', disposition: 'No Answer', dispositionId: 'disp_no_answer', summary: 'Not answered.' },
	failed: { status: 'Failed', disposition: 'Call Failed', dispositionId: 'disp_failed', summary: 'Could not connect.' },
	refused: { status: 'Contacted', disposition: 'Refused to Pay', dispositionId: 'disp_refused', summary: 'Refused.' },
};

/**
 * Adds one debt customer per outcome to camp_debt_demo with "initiate call", as TimePay's API is
 * called by any client; the sandbox ends each call with the outcome given, in order.
 */
export async function placeCalls(sb: Sandbox, outcomes: Outcome[], prefix: string): Promise<Json[]> {
	await sandboxPost(sb, '/__sandbox/calls', { delayMs: 50, spacingMs: 50, outcomes });
	const records = outcomes.map((_, i) => ({
		loan_id: `${prefix}-${i}`,
		first_name: 'Asha',
		last_name: `${prefix} ${i}`,
		phone_number: `98765${String(Math.floor(Math.random() * 90000) + 10000)}`,
		loan_amount: 50000,
		emi_amount: 2500,
		loan_period: 24,
		current_emi: 3,
		emi_due_date: '2031-01-05',
		payment_status: 'pending',
	}));
	const res = await fetch(`${sb.url}/timepay/api/v1/customers/add/bulk`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${sandboxSecrets.timePay.token}` },
		body: JSON.stringify({ campaignId: 'camp_debt_demo', records, initiateCall: true, callConfig: { agentId: 'agent_demo', dispositionId: 'disp_demo' } }),
	});
	if (res.status !== 201) throw new Error(`bulk add: HTTP ${res.status} ${await res.text()}`);
	return records;
}

/** Before each test: the sandbox reset, TimePay's webhook set to `url` with the secret (short retry delays). */
export async function freshSandbox(sb: Sandbox, url: string): Promise<void> {
	await sandboxPost(sb, '/__sandbox/reset');
	await sandboxPost(sb, '/__sandbox/webhook', { url, secret: WEBHOOK_SECRET, retryDelaysMs: [200, 500] });
}

export async function sandboxIdle(sb: Sandbox, timeoutMs = 60000): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const idle = (await (await fetch(`${sb.url}/__sandbox/calls/idle`)).json()) as Json;
		if (idle.idle) return;
		if (Date.now() > until) throw new Error(`sandbox not idle: ${JSON.stringify(idle)}`);
		await n8n.sleep(100);
	}
}

type Api = Json;

/** The workflow's executions as n8n lists them: how many in all, and the newest 100. */
export async function executionsOf(api: Api, workflowId: string): Promise<Json[] & { total: number }> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const out = await api.get(`/rest/executions?filter=${filter}&limit=100`);
	const list = (out.results ?? []) as Json[];
	return Object.assign(list, { total: typeof out.count === 'number' ? out.count : list.length });
}

/** Waits until the workflow has at least `n` executions in all and none is still running; the newest first. */
export async function settledExecutions(api: Api, workflowId: string, n: number, timeoutMs = 60000): Promise<Json[] & { total: number }> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const list = await executionsOf(api, workflowId);
		const busy = list.some((e) => ['new', 'running', 'waiting'].includes(String(e.status)));
		if (list.total >= n && !busy) return list;
		if (Date.now() > until) throw new Error(`expected ${n} finished executions of ${workflowId}, have ${list.total}: ${list.map((e) => e.status).join(', ')}`);
		await n8n.sleep(250);
	}
}

/** One execution's run data, as the editor reads it (n8n stores it with `flatted`). */
export async function executionData(api: Api, id: string): Promise<Json> {
	const e = await api.get(`/rest/executions/${id}`);
	const flatted = require(path.join(n8n.N8N_HOME, 'node_modules', 'flatted'));
	return typeof e.data === 'string' ? flatted.parse(e.data) : e.data;
}

/** The items a node put on its first output in one execution. */
export function itemsOf(data: Json, node: string): Json[] {
	const runs = data?.resultData?.runData?.[node] ?? [];
	return runs.flatMap((r: Json) => ((r.data?.main?.[0] ?? []) as Json[]).map((i) => i.json));
}
