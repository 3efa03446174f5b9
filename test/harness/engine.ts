/**
 * Executes this package's nodes through n8n's own execution engine (n8n-core WorkflowExecute),
 * with a manual trigger whose pinned data is the input, and credentials resolved and applied
 * the way the n8n server does. Requests go over real HTTP to the sandbox.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchResult,
	INodeType,
	INodeTypes,
	IRun,
	ITriggerFunctions,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import { TimePayApi } from '../../credentials/TimePayApi.credentials';
import { TimePay } from '../../nodes/TimePay/TimePay.node';

class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Test trigger',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async trigger(this: ITriggerFunctions) {
		return {};
	}
}

export const NODE_TYPES: Record<string, INodeType> = {
	manualTrigger: new ManualTrigger(),
	timePay: new TimePay(),
};
export const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	timePayApi: new TimePayApi(),
};

/** Registers another node and its credential types (used as the other vendors arrive). */
export function registerNode(name: string, node: INodeType, credentials: Record<string, ICredentialType> = {}) {
	NODE_TYPES[name] = node;
	Object.assign(CREDENTIAL_TYPES, credentials);
}

export class NodeTypes implements INodeTypes {
	getByName(name: string): INodeType | IVersionedNodeType {
		const type = NODE_TYPES[name.replace(/^.*\./, '')];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}

	getKnownTypes() {
		return {};
	}
}

/**
 * How often n8n asked the credentials helper for a credential (fetch + decrypt on a real server)
 * and to apply one to a request, since the last reset: tests of the request path read it.
 */
export const credentialUse = { decrypted: 0, authenticated: 0 };

/** Resolves `={{$credentials.x}}` and applies a credential's declarative auth, as n8n's server does. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		credentialUse.authenticated++;
		const type = CREDENTIAL_TYPES[typeName];
		const auth = type?.authenticate;
		if (!auth) return requestOptions;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		const resolve = (value: string): string => {
			if (!workflow || !node) throw new Error('authenticate needs the workflow and node');
			return String(
				workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, ''),
			);
		};
		const out = { ...requestOptions };
		const props = auth.properties;
		if (props.headers) {
			out.headers = { ...(out.headers ?? {}) };
			for (const [k, v] of Object.entries(props.headers)) out.headers[k] = resolve(String(v));
		}
		if (props.qs) {
			out.qs = { ...(out.qs ?? {}) };
			for (const [k, v] of Object.entries(props.qs)) (out.qs as IDataObject)[k] = resolve(String(v));
		}
		if (props.auth) {
			out.auth = { username: resolve(String(props.auth.username)), password: resolve(String(props.auth.password)) };
		}
		return out;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}

	async getDecrypted(_a: IWorkflowExecuteAdditionalData, nodeCredentials: { name: string | null; id: string | null }, type: string) {
		credentialUse.decrypted++;
		const data = this.store[type];
		if (!data) throw new Error(`No test credentials of type ${type} (${nodeCredentials.name})`);
		return { ...data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string) {
		return CREDENTIAL_TYPES[type]?.properties ?? [];
	}
}

export interface RunOptions {
	/** Node type name without package prefix, e.g. 'timePay'. */
	type: string;
	parameters: IDataObject;
	/** The node's typeVersion as a saved workflow carries it (default 1). */
	typeVersion?: number;
	input: IDataObject[] | INodeExecutionData[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	onError?: INode['onError'];
	continueOnFail?: boolean;
	/** Extra downstream nodes (name → node) and connections, for chaining tests. */
	next?: Array<{ type: string; name: string; parameters: IDataObject; credentials?: string[]; typeVersion?: number }>;
	mode?: WorkflowExecuteMode;
	/** Called once the run has started, with what n8n calls when a user stops the execution. */
	onStarted?: (stop: () => void) => void;
}

export interface RunResult {
	run: IRun;
	/** Main outputs of the node under test: [0] regular, [1] error output when it has one. */
	outputs: INodeExecutionData[][];
	/** Output of each node by name. */
	byNode: Record<string, INodeExecutionData[][]>;
	error?: { message: string; description?: string; httpCode?: string; context?: IDataObject; [k: string]: unknown };
}

let executionCounter = 0;

/** What n8n's server passes to every node context; the URLs must be valid, their values do not matter. */
function baseAdditionalData(credentials: Record<string, ICredentialDataDecryptedObject>) {
	return {
		credentialsHelper: new CredentialsHelper(credentials),
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		executeWorkflow: async () => {
			throw new Error('not supported in tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not supported in tests');
		},
	};
}

/** A node's credential references, as a saved workflow holds them (the helper serves the data by type). */
const credentialRefs = (names: string[]) => Object.fromEntries(names.map((n) => [n, { id: `cred-${n}`, name: `${n} (test)` }]));

/**
 * What n8n hands the engine for one execution: lifecycle hooks, the credentials helper and the
 * instance URLs. Shared by runNode and the trigger harness (test/harness/triggers.ts).
 */
export function createAdditionalData(
	mode: WorkflowExecuteMode,
	shape: { nodes: INode[]; connections: Workflow['connectionsBySourceNode'] },
	credentials: Record<string, ICredentialDataDecryptedObject>,
): { additionalData: IWorkflowExecuteAdditionalData; executionId: string } {
	const executionId = `exec-${++executionCounter}`;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: 'test-workflow',
		name: 'test',
		nodes: shape.nodes,
		connections: shape.connections,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const additionalData = { ...baseAdditionalData(credentials), hooks, executionId } as unknown as IWorkflowExecuteAdditionalData;
	return { additionalData, executionId };
}

export async function runNode(opts: RunOptions): Promise<RunResult> {
	const mode = opts.mode ?? 'manual';
	const nodeUnderTest: INode = {
		id: 'node-under-test',
		name: 'Under Test',
		type: `n8n-nodes-crm-dialer.${opts.type}`,
		typeVersion: opts.typeVersion ?? 1,
		position: [200, 0],
		parameters: opts.parameters as INode['parameters'],
		credentials: credentialRefs(Object.keys(opts.credentials)),
		...(opts.onError ? { onError: opts.onError } : {}),
		...(opts.continueOnFail ? { continueOnFail: true } : {}),
	};
	const nodes: INode[] = [
		{ id: 'start', name: 'Start', type: 'manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		nodeUnderTest,
	];
	const connections: Workflow['connectionsBySourceNode'] = {
		Start: { main: [[{ node: 'Under Test', type: 'main', index: 0 }]] },
	};
	let previous = 'Under Test';
	for (const [k, n] of (opts.next ?? []).entries()) {
		nodes.push({
			id: `next-${k}`,
			name: n.name,
			type: `n8n-nodes-crm-dialer.${n.type}`,
			typeVersion: n.typeVersion ?? 1,
			position: [400 + 200 * k, 0],
			parameters: n.parameters as INode['parameters'],
			credentials: credentialRefs(n.credentials ?? Object.keys(opts.credentials)),
		});
		connections[previous] = { main: [[{ node: n.name, type: 'main', index: 0 }]] };
		previous = n.name;
	}
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes,
		connections,
		active: false,
		nodeTypes: new NodeTypes(),
		settings: { executionOrder: 'v1' },
	});
	const { additionalData } = createAdditionalData(mode, { nodes, connections }, opts.credentials);

	const input: INodeExecutionData[] = (opts.input as Array<IDataObject | INodeExecutionData>).map((x) =>
		x && typeof x === 'object' && 'json' in x && typeof (x as INodeExecutionData).json === 'object'
			? (x as INodeExecutionData)
			: { json: x as IDataObject },
	);
	const running = new WorkflowExecute(additionalData, mode).run({
		workflow,
		startNode: workflow.getNode('Start')!,
		pinData: { Start: input },
	} as never);
	// "Stop execution": n8n cancels the run's promise, which aborts the cancel signal nodes read.
	opts.onStarted?.(() => running.cancel());
	const run = await running;
	const byNode: Record<string, INodeExecutionData[][]> = {};
	for (const [name, runs] of Object.entries(run.data.resultData.runData)) {
		byNode[name] = (runs[0]?.data?.main ?? []).map((x) => x ?? []);
	}
	return {
		run,
		outputs: byNode['Under Test'] ?? [],
		byNode,
		error: run.data.resultData.error as RunResult['error'],
	};
}

/** Runs a node's credential test the way the editor's "Test" button does. */
export async function testCredential(
	type: string,
	credentialType: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const node = NODE_TYPES[type];
	const testedBy = node.description.credentials?.find((c) => c.name === credentialType)?.testedBy;
	if (typeof testedBy !== 'string') throw new Error(`${type} has no credential test for ${credentialType}`);
	const fn = node.methods?.credentialTest?.[testedBy];
	if (!fn) throw new Error(`${type}.methods.credentialTest.${testedBy} is missing`);
	const { CredentialTestContext } = await import('n8n-core');
	const context = new (CredentialTestContext as unknown as new () => ICredentialTestFunctions)();
	const credential: ICredentialsDecrypted = { id: 'c1', name: 'test', type: credentialType, data };
	return await fn.call(context, credential);
}

export interface SearchListOptions {
	type: string;
	/** The listSearch method a resource locator names (typeOptions.searchListMethod). */
	method: string;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The node's parameters as the editor holds them while the picker is open. */
	parameters?: IDataObject;
	typeVersion?: number;
	filter?: string;
	paginationToken?: string;
}

/**
 * Loads one page of a resource locator's list the way n8n's server does for the editor
 * (DynamicNodeParametersService.getResourceLocatorResults): a LoadOptionsContext on a workflow
 * holding the node, the method called with the search text and the pagination token.
 */
export async function searchList(opts: SearchListOptions): Promise<INodeListSearchResult> {
	const { LoadOptionsContext } = await import('n8n-core');
	const node: INode = {
		id: 'node-under-test',
		name: 'Under Test',
		type: `n8n-nodes-crm-dialer.${opts.type}`,
		typeVersion: opts.typeVersion ?? 1,
		position: [0, 0],
		parameters: (opts.parameters ?? {}) as INode['parameters'],
		credentials: credentialRefs(Object.keys(opts.credentials)),
	};
	const workflow = new Workflow({ id: 'picker', nodes: [node], connections: {}, active: false, nodeTypes: new NodeTypes() });
	const additionalData = {
		...baseAdditionalData(opts.credentials),
		currentNodeParameters: node.parameters,
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	const nodeType = new NodeTypes().getByNameAndVersion(node.type, node.typeVersion);
	const fn = nodeType.methods?.listSearch?.[opts.method];
	if (!fn) throw new Error(`${opts.type}.methods.listSearch.${opts.method} is missing`);
	return await fn.call(context as unknown as ILoadOptionsFunctions, opts.filter, opts.paginationToken);
}
