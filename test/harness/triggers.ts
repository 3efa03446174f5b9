/**
 * Trigger nodes run the way n8n runs them, through n8n-core:
 *
 * - webhook(): a local HTTP server receives the delivery; the request goes to n8n-core's own
 *   WebhookContext (built as n8n's WebhookService builds it), with n8n's body handling in front
 *   (for a version-1 node the body is parsed first unless `$parameter.options.binaryData` is set,
 *   as n8n's webhook-helpers does). A returned workflowData starts an execution with
 *   WorkflowExecute in 'webhook' mode, the trigger's items on the execution stack; the answer is
 *   n8n's ("Workflow was started", onReceived), a node's own answer, or webhookResponse.
 * - poll(): n8n-core's PollContext and TriggersAndPollers.runPollFunction; items it returns are
 *   emitted as n8n does it (static data saved on emit and after activation, then an execution
 *   in 'trigger' mode). "Restart" builds a new Workflow from the saved static data only.
 *   Manual mode ("Fetch Test Event") runs the workflow with WorkflowExecute in 'manual' mode,
 *   where n8n-core itself creates the PollContext.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, PollContext, TriggersAndPollers, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWebhookDescription,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, jsonParse, Workflow } from 'n8n-workflow';

import { createAdditionalData, NODE_TYPES, NodeTypes } from './engine';

export interface TriggerWorkflowOptions {
	/** The trigger's type name without package prefix. */
	type: string;
	parameters: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Downstream nodes, chained after the trigger in order. */
	next?: Array<{ type: string; name: string; parameters: IDataObject; credentials?: string[]; typeVersion?: number }>;
}

const TRIGGER = 'Trigger';

function buildShape(opts: TriggerWorkflowOptions) {
	const refs = (names: string[]) => Object.fromEntries(names.map((n) => [n, { id: `cred-${n}`, name: `${n} (test)` }]));
	const trigger: INode = {
		id: 'trigger',
		name: TRIGGER,
		type: `n8n-nodes-crm-dialer.${opts.type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: opts.parameters as INode['parameters'],
		credentials: refs(Object.keys(opts.credentials)),
		webhookId: 'f0e1d2c3-0000-4000-8000-00000000abcd',
	};
	const nodes: INode[] = [trigger];
	const connections: Workflow['connectionsBySourceNode'] = {};
	let previous = TRIGGER;
	for (const [k, n] of (opts.next ?? []).entries()) {
		nodes.push({
			id: `next-${k}`,
			name: n.name,
			type: n.type.includes('.') ? n.type : `n8n-nodes-crm-dialer.${n.type}`,
			typeVersion: n.typeVersion ?? 1,
			position: [200 * (k + 1), 0],
			parameters: n.parameters as INode['parameters'],
			credentials: refs(n.credentials ?? []),
		});
		connections[previous] = { main: [[{ node: n.name, type: 'main', index: 0 }]] };
		previous = n.name;
	}
	return { nodes, connections, trigger };
}

function newWorkflow(shape: ReturnType<typeof buildShape>, staticData: IDataObject = {}) {
	return new Workflow({
		id: 'trigger-workflow',
		name: 'trigger test',
		nodes: shape.nodes,
		connections: shape.connections,
		active: true,
		nodeTypes: new NodeTypes(),
		staticData: JSON.parse(JSON.stringify(staticData)),
		settings: { executionOrder: 'v1' },
	});
}

/** The trigger's webhook, as n8n's WebhookService describes it to the node contexts. */
function webhookDataOf(
	workflow: Workflow,
	description: IWebhookDescription,
	additionalData: IWebhookData['workflowExecuteAdditionalData'],
	isTest: boolean,
): IWebhookData {
	const node = workflow.getNode(TRIGGER)!;
	return {
		httpMethod: 'POST',
		node: node.name,
		path: description.path,
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		isTest,
	};
}

/** Runs a workflow from the trigger's items, as n8n does after webhook() or an emitting poll(). */
async function runFromTrigger(
	workflow: Workflow,
	shape: ReturnType<typeof buildShape>,
	mode: WorkflowExecuteMode,
	items: INodeExecutionData[][],
	credentials: TriggerWorkflowOptions['credentials'],
): Promise<IRun> {
	const { additionalData } = createAdditionalData(mode, shape, credentials);
	const trigger = workflow.getNode(TRIGGER)!;
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: trigger, data: { main: items }, source: null }] },
	});
	return await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
}

/** The main outputs of each node of a run, by node name. */
export function outputsOf(run: IRun): Record<string, INodeExecutionData[][]> {
	const out: Record<string, INodeExecutionData[][]> = {};
	for (const [name, runs] of Object.entries(run.data.resultData.runData)) out[name] = (runs[0]?.data?.main ?? []).map((x) => x ?? []);
	return out;
}

export interface WebhookTrigger {
	/** The production URL of the trigger, as n8n would give it to TimePay. */
	url: string;
	/** Executions started, in order of arrival. */
	executions: IRun[];
	/** Waits until every started execution has finished. */
	settled: () => Promise<void>;
	close: () => Promise<void>;
}

/** Serves a webhook trigger over HTTP, each delivery through n8n-core's WebhookContext. */
export async function serveWebhookTrigger(opts: TriggerWorkflowOptions & { mode?: WorkflowExecuteMode }): Promise<WebhookTrigger> {
	const mode = opts.mode ?? 'webhook';
	const shape = buildShape(opts);
	const workflow = newWorkflow(shape);
	const node = workflow.getNode(TRIGGER)!;
	const nodeType = NODE_TYPES[opts.type] as INodeType;
	const description = nodeType.description.webhooks![0] as IWebhookDescription;
	const path = `/webhook/${node.webhookId}/${description.path}`;
	const executions: IRun[] = [];
	const running = new Set<Promise<unknown>>();

	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (url.pathname !== path || req.method !== description.httpMethod) {
			res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'webhook not registered' }));
			return;
		}
		const task = handle(req, res, url).catch((error: Error) => {
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: `harness error: ${error.message}` }));
		});
		running.add(task);
		void task.finally(() => running.delete(task));
	});

	async function handle(incoming: http.IncomingMessage, res: http.ServerResponse, url: URL) {
		// n8n's request: the IncomingMessage with its raw-body reader and the parsed content type.
		const req = incoming as http.IncomingMessage & IDataObject;
		req.contentType = String(incoming.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		req.query = Object.fromEntries(url.searchParams);
		req.params = {};
		req.readRawBody = async () => {
			if (req.rawBody) return;
			const chunks: Buffer[] = [];
			for await (const c of incoming) chunks.push(c as Buffer);
			req.rawBody = Buffer.concat(chunks);
		};
		// n8n's parseRequestBody for a version-1 webhook node.
		const binaryData = workflow.expression.getSimpleParameterValue(node, '={{$parameter["options"]["binaryData"]}}', mode, {}, undefined, false);
		if (!binaryData) {
			await (req.readRawBody as () => Promise<void>)();
			const raw = (req.rawBody as Buffer).toString('utf8');
			if (raw.length) {
				try {
					if (req.contentType === 'application/json') req.body = jsonParse(raw);
					else if (req.contentType === 'text/plain') req.body = raw;
				} catch {
					res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 422, message: 'Failed to parse request body' }));
					return;
				}
			}
		}
		const { additionalData } = createAdditionalData(mode, shape, opts.credentials);
		additionalData.httpRequest = req as never;
		additionalData.httpResponse = res as never;
		const webhookData = webhookDataOf(workflow, description, additionalData, mode === 'manual');
		const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
		let result;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			// n8n answers 500 and records a failed execution when webhook() throws.
			executions.push({ data: { resultData: { error: error as never, runData: {} } } } as unknown as IRun);
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: 'Error in workflow' }));
			return;
		}
		if (result.noWebhookResponse) {
			if (!res.writableEnded) res.end();
		} else if (result.workflowData === undefined) {
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result.webhookResponse ?? { message: 'Webhook call received' }));
			return;
		} else {
			// responseMode onReceived: the sender gets its 200 as soon as the execution is started,
			// with what n8n's extractWebhookOnReceivedResponse makes of `responseData`.
			const responseData = description.responseData ?? 'firstEntryJson';
			const body = responseData === 'noData' ? undefined : responseData || (result.webhookResponse ?? { message: 'Workflow was started' });
			res.writeHead(200, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
		}
		if (result.workflowData) {
			const run = runFromTrigger(workflow, shape, mode, result.workflowData, opts.credentials);
			const slot = executions.length;
			executions.push(undefined as never);
			executions[slot] = await run;
		}
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}${path}`,
		executions,
		settled: async () => {
			while (running.size) await Promise.all([...running]);
		},
		close: async () => {
			await Promise.all([...running]);
			await new Promise((r) => server.close(r));
		},
	};
}

/**
 * Publishing a workflow with a webhook trigger: n8n runs the node's webhookMethods through
 * n8n-core's HookContext, checkExists first and create when it answers false. Throws what
 * activation would report.
 */
export async function activateWebhookTrigger(opts: TriggerWorkflowOptions): Promise<{ created: boolean }> {
	const shape = buildShape(opts);
	const workflow = newWorkflow(shape);
	const node = workflow.getNode(TRIGGER)!;
	const nodeType = NODE_TYPES[opts.type] as INodeType;
	const description = nodeType.description.webhooks![0] as IWebhookDescription;
	const methods = nodeType.webhookMethods?.[description.name];
	if (!methods) return { created: false };
	const { additionalData } = createAdditionalData('trigger', shape, opts.credentials);
	const webhookData = webhookDataOf(workflow, description, additionalData, false);
	const context = new HookContext(workflow, node, additionalData, 'trigger', 'activate', webhookData);
	if (await methods.checkExists.call(context)) return { created: false };
	return { created: await methods.create.call(context) };
}

export interface PollTrigger {
	/** One scheduled poll (mode 'trigger'): the items emitted (null: none) and the execution they started. */
	poll: () => Promise<{ items: INodeExecutionData[] | null; run?: IRun }>;
	/** Activation: n8n polls once right away, then saves the static data. */
	activate: () => Promise<{ items: INodeExecutionData[] | null; run?: IRun }>;
	/** n8n restarts: a new Workflow from the static data as saved, then activation. */
	restart: () => Promise<{ items: INodeExecutionData[] | null; run?: IRun }>;
	/** The static data as n8n would have saved it (JSON). */
	saved: () => IDataObject;
	/** "Fetch Test Event": the workflow run in manual mode from the trigger. */
	fetchTestEvent: () => Promise<IRun>;
}

/** A polling trigger, activated as n8n activates it; static data saved when n8n saves it. */
export function pollTrigger(opts: TriggerWorkflowOptions & { pollBudgetMs?: number; staticData?: IDataObject }): PollTrigger {
	const shape = buildShape(opts);
	let saved: IDataObject = opts.staticData ?? {};
	let workflow = newWorkflow(shape, saved);
	const pollers = new TriggersAndPollers();

	const save = () => {
		if (workflow.staticData.__dataChanged === true) {
			const copy = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			delete copy.__dataChanged;
			saved = copy;
			workflow.staticData.__dataChanged = false;
		}
	};

	async function pollOnce(activation: 'activate' | 'update') {
		const { additionalData } = createAdditionalData('trigger', shape, opts.credentials);
		let emitted: INodeExecutionData[][] | undefined;
		const node = workflow.getNode(TRIGGER)!;
		const context = new PollContext(
			workflow,
			node,
			additionalData,
			'trigger',
			activation,
			(data) => {
				emitted = data;
			},
			(error) => {
				throw error;
			},
			undefined,
			undefined,
			undefined,
			opts.pollBudgetMs === undefined ? undefined : () => opts.pollBudgetMs!,
		);
		const result = await pollers.runPollFunction(workflow, node, context);
		if (result !== null) context.__emit(result);
		if (!emitted) return { items: null };
		// n8n saves the static data when a poll emits, then starts the execution.
		save();
		const run = await runFromTrigger(workflow, shape, 'trigger', emitted, opts.credentials);
		return { items: emitted[0] ?? [], run };
	}

	const activate = async () => {
		const out = await pollOnce('activate');
		save();
		return out;
	};

	return {
		poll: async () => await pollOnce('update'),
		activate,
		restart: async () => {
			workflow = newWorkflow(shape, saved);
			return await activate();
		},
		saved: () => JSON.parse(JSON.stringify(saved)) as IDataObject,
		fetchTestEvent: async () => {
			const manual = newWorkflow(shape, saved);
			const { additionalData } = createAdditionalData('manual', shape, opts.credentials);
			return await new WorkflowExecute(additionalData, 'manual').run({
				workflow: manual,
				startNode: manual.getNode(TRIGGER)!,
			} as never);
		},
	};
}
