/**
 * Shared by the e2e tests: the scripts in scripts/n8n (plain CommonJS, loaded with require so
 * that the type checker leaves them alone), the sandbox, and workflow builders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const n8n: any = require('../../scripts/n8n/lib');
export const queue: any = require('../../scripts/n8n/queue');
export const creds: any = require('../../scripts/n8n/credentials');
const sandboxModule: any = require('../sandbox');

export type Json = Record<string, any>;
export interface Sandbox {
	url: string;
	close(): Promise<void>;
	state(): Json;
}

export const REPO = path.resolve(__dirname, '..', '..');
export const EXPECTED_NODES = ['timePay', 'kaptureCrm', 'cuoral', 'acqueonLcm', 'timePayTrigger', 'timePayCallLogTrigger'];
export const EXPECTED_CREDENTIALS = ['timePayApi', 'kaptureCrmApi', 'cuoralApi', 'acqueonLcmApi', 'timePayWebhookApi'];

export async function startSandbox(): Promise<Sandbox> {
	return (await sandboxModule.startSandbox({ port: 0, quiet: true })) as Sandbox;
}

export async function sandboxPost(sb: Sandbox, p: string, body: Json = {}): Promise<Json> {
	const res = await fetch(`${sb.url}${p}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return (await res.json()) as Json;
}

/** A user folder with the packed package installed and a migrated database (see global-setup). */
export function userFolder(): string {
	const template = process.env.N8N_E2E_TEMPLATE;
	if (!template) throw new Error('N8N_E2E_TEMPLATE is not set: run with -c jest.e2e.config.js');
	return n8n.cloneUserFolder(template) as string;
}

export function examples(): { file: string; workflow: Json }[] {
	const dir = path.join(REPO, 'examples');
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ file: f, workflow: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Json }));
}

/** The names of the nodes of this package in a workflow. */
export function packageNodes(workflow: Json): Json[] {
	return (workflow.nodes as Json[]).filter((n) => String(n.type).startsWith('n8n-nodes-crm-dialer.'));
}

/** The workflow id n8n import keeps: a fixed one per example file. */
export function idFor(file: string): string {
	return `ex${file.replace(/[^a-zA-Z0-9]/g, '').slice(0, 14)}`.padEnd(16, '0').slice(0, 16);
}

export function debtRecordsCode(n: number, prefix = 'L'): string {
	return `return Array.from({ length: ${n} }, (_, i) => ({ json: {
  loan_id: '${prefix}' + String(i).padStart(6, '0'), first_name: 'Asha', last_name: 'Verma ' + i,
  phone_number: '+9198' + String(i).padStart(8, '0'), loan_amount: 50000, emi_amount: 4500,
  loan_period: 12, current_emi: 3, emi_due_date: '2026-12-05', payment_status: 'pending', language: 'english' } }));`;
}

/** Manual trigger (or webhook) → Code (n records) → TimePay Customer → Bulk Add. */
export function timePayBulkWorkflow(
	id: string,
	n: number,
	{ webhookPath, options = {}, prefix = 'L' }: { webhookPath?: string; options?: Json; prefix?: string } = {},
): Json {
	const trigger = webhookPath
		? {
				id: 'n1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `0f3d6a52-5c1e-4d7a-9b7e-${id.slice(-12).toLowerCase().replace(/[^0-9a-f]/g, '0').padStart(12, '0')}`,
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			}
		: { id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	return {
		id,
		name: `e2e TimePay bulk add ${n}`,
		nodes: [
			trigger,
			{ id: 'n2', name: 'Records', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: debtRecordsCode(n, prefix) } },
			{
				id: 'n3',
				name: 'TimePay Bulk Add',
				type: 'n8n-nodes-crm-dialer.timePay',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'customer',
					operation: 'bulkAdd',
					campaignId: 'camp_debt_demo',
					campaignType: 'debtCollection',
					columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
					options,
				},
				credentials: { timePayApi: creds.IDS.timePayApi },
			},
		],
		connections: {
			[trigger.name]: { main: [[{ node: 'Records', type: 'main', index: 0 }]] },
			Records: { main: [[{ node: 'TimePay Bulk Add', type: 'main', index: 0 }]] },
		},
	};
}

/** The same workflow, started by a production webhook that answers with the last node's items. */
export function withWebhookTrigger(workflow: Json, webhookPath: string, id: string): Json {
	const wf = JSON.parse(JSON.stringify(workflow)) as Json;
	const trigger = (wf.nodes as Json[]).find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) return { ...wf, id };
	const oldName = trigger.name as string;
	Object.assign(trigger, {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: '7b0c2f4e-1d2a-4c3b-8e5f-6a7b8c9d0e1f',
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	});
	if (wf.connections[oldName]) {
		wf.connections.Webhook = wf.connections[oldName];
		delete wf.connections[oldName];
	}
	return { ...wf, id, active: false };
}

/** The node that ends the main chain (no outgoing connection). */
export function lastNodeName(workflow: Json): string {
	const from = new Set(Object.keys(workflow.connections ?? {}));
	const nodes = (workflow.nodes as Json[]).filter((n) => !String(n.type).includes('stickyNote'));
	return (nodes.filter((n) => !from.has(n.name)).pop() ?? nodes[nodes.length - 1]).name as string;
}

/** Outcome per item, stable across runs (no generated ids or timestamps). */
export function outcomes(items: Json[]): string[] {
	// An error-output item is n8n's error shape merged over the input item: its own outcome is in details.
	return items.map((j) => String(j.details?.outcome ?? j.outcome ?? (j.error ? 'error' : 'ok'))).sort();
}
