import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { checkCredential, saying } from '../shared/credentialTest';
import { operationSubtitle } from '../shared/descriptions';
import { operationFields } from '../shared/router';
import { operations, route } from './actions/router';
import { checkCuoralBaseUrl, CUSTOMERS_PATH, describeDetail } from './api';

const properties: INodeProperties[] = [
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
];

export class Cuoral implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cuoral',
		name: 'cuoral',
		icon: { light: 'file:../../icons/cuoral.svg', dark: 'file:../../icons/cuoral.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(properties),
		description: 'Create customers in Cuoral, the customer-engagement and WhatsApp support platform',
		defaults: { name: 'Cuoral' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'cuoralApi', required: true, testedBy: 'cuoralApiTest' }],
		properties,
	};

	methods = {
		credentialTest: {
			/**
			 * Posts an empty customer to POST /external/v1/customers. Cuoral requires name, email
			 * and source, so it cannot create anything from it: a good key gets the documented 422
			 * validation error; a bad key 401, a key without permission to create 403.
			 */
			async cuoralApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const key = String(data.apiKey ?? '');
				const base = checkCuoralBaseUrl(data.baseUrl);
				if ('problem' in base) return { status: 'Error', message: base.problem };
				if (!key) return { status: 'Error', message: 'API Key is empty' };
				return await checkCredential(this, {
					service: 'Cuoral',
					request: { method: 'POST', uri: `${base.url}${CUSTOMERS_PATH}`, body: {}, authorization: `Bearer ${key}` },
					secrets: [key],
					said: (body) => (describeDetail(body) ?? []).join('; ') || undefined,
					answers: [
						{ status: [422], ok: true, message: 'Connection successful: the API key was accepted' },
						{ status: [401], ok: false, message: (a) => `Cuoral refused the API key (HTTP 401)${saying(a)}` },
						{
							status: [403],
							ok: false,
							message: (a) => `Cuoral accepted the API key but does not let it create customers (HTTP 403)${saying(a)}`,
						},
						{ status: [404], ok: false, message: 'Cuoral answered 404: check the Base URL' },
						{
							status: '2xx',
							ok: true,
							message: 'The API key was accepted, but Cuoral also accepted an empty test customer: check Cuoral for a customer without a name',
						},
					],
				});
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
