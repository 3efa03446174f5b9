import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { redactText } from '../shared/redact';
import { probe } from '../shared/credentialTest';
import { operationFields } from '../shared/router';
import { operations, route } from './actions/router';
import { checkCuoralBaseUrl, CUSTOMERS_PATH, describeDetail } from './api';

export class Cuoral implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cuoral',
		name: 'cuoral',
		icon: { light: 'file:../../icons/cuoral.svg', dark: 'file:../../icons/cuoral.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create customers in Cuoral, the customer-engagement and WhatsApp support platform',
		defaults: { name: 'Cuoral' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cuoralApi', required: true, testedBy: 'cuoralApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Customer', value: 'customer' }],
				default: 'customer',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['customer'] } },
				options: [{ name: 'Create', value: 'create', action: 'Create a customer', description: 'One request per input item' }],
				default: 'create',
			},
			...operationFields(operations),
		],
	};

	methods = {
		credentialTest: {
			/** The list endpoint, GET /external/v1/customers: read-only, 200 for a good key, 401/403 for a bad one. */
			async cuoralApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const key = String(data.apiKey ?? '');
				const base = checkCuoralBaseUrl(data.baseUrl);
				if ('problem' in base) return { status: 'Error', message: base.problem };
				if (!key) return { status: 'Error', message: 'API Key is empty' };
				const res = await probe(
					this,
					{ method: 'GET', uri: `${base.url}${CUSTOMERS_PATH}`, qs: { limit: 1 }, authorization: `Bearer ${key}` },
					[key],
				);
				if ('unreachable' in res) return { status: 'Error', message: `Could not reach Cuoral: ${res.unreachable}` };
				const detail = redactText((describeDetail(res.body) ?? []).join('; '), [key]);
				if (res.statusCode >= 200 && res.statusCode < 300) return { status: 'OK', message: 'Connection successful: the API key was accepted' };
				if (res.statusCode === 401 || res.statusCode === 403) {
					return { status: 'Error', message: `Cuoral refused the API key (HTTP ${res.statusCode})${detail ? `: ${detail}` : ''}` };
				}
				if (res.statusCode === 404) return { status: 'Error', message: 'Cuoral answered 404: check the Base URL' };
				return { status: 'Error', message: `Unexpected answer from Cuoral: HTTP ${res.statusCode} ${detail}`.trim() };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
