import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { probe } from '../shared/credentialTest';
import { redactText } from '../shared/redact';
import { checkBaseUrl } from '../shared/url';
import { checkChoice } from '../shared/params';
import { describeProblem } from '../shared/validation';
import { campaignTypeField } from './actions/customer/common';
import { operationFields } from '../shared/router';
import { operations, route } from './actions/router';
import { resourceMapperFields } from './fields';
import type { CampaignKind } from './schemas';

export class TimePay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TimePay',
		name: 'timePay',
		icon: { light: 'file:../../icons/timepay.svg', dark: 'file:../../icons/timepay.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Add customers to TimePay AI voice-agent campaigns, one by one or in bulk, and trigger AI calls',
		defaults: { name: 'TimePay' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'timePayApi', required: true, testedBy: 'timePayApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Call', value: 'call' },
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Customer', value: 'customer' },
				],
				default: 'customer',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['customer'] } },
				options: [
					{ name: 'Add', value: 'add', action: 'Add a customer to a campaign', description: 'One request per input item' },
					{
						name: 'Bulk Add',
						value: 'bulkAdd',
						action: 'Bulk add customers to a campaign',
						description: 'All input items as records, up to 10,000 per request',
					},
					{
						name: 'Bulk Update',
						value: 'bulkUpdate',
						action: 'Bulk update customer data',
						description: 'Change fields of many customers, e.g. mark them paid',
					},
				],
				default: 'add',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['call'] } },
				options: [{ name: 'Initiate', value: 'initiate', action: 'Initiate AI calls', description: "Trigger AI calls for a campaign's customers" }],
				default: 'initiate',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['campaign'] } },
				options: [{ name: 'Create', value: 'create', action: 'Create a campaign' }],
				default: 'create',
			},
			...operationFields(operations),
		],
	};

	methods = {
		resourceMapping: {
			async getCustomerFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
				// A load-options method has no item: the second argument is the fallback value.
				const kind = checkChoice<CampaignKind>(campaignTypeField, this.getNodeParameter('campaignType', campaignTypeField.default));
				if (!kind.ok) {
					throw new NodeOperationError(this.getNode(), describeProblem(kind.problem), {
						description: 'The fields depend on the campaign type: pick one from the list to map them, or use "Map Automatically".',
					});
				}
				return { fields: resourceMapperFields(kind.value) };
			},
		},
		credentialTest: {
			/**
			 * TimePay documents no read-only endpoint. An Add Customer request with an empty body
			 * is refused by validation (400) for a valid token, and creates nothing; a bad token
			 * gets 401/403.
			 */
			async timePayApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const base = checkBaseUrl(data.baseUrl);
				if ('problem' in base) return { status: 'Error', message: `Base URL ${base.problem}` };
				const token = String(data.token ?? '');
				const res = await probe(this, { method: 'POST', uri: `${base.url}/customers/add`, body: {}, authorization: `Bearer ${token}` }, [token]);
				if ('unreachable' in res) return { status: 'Error', message: `Could not reach TimePay: ${res.unreachable}` };
				const body = (res.body ?? {}) as { message?: unknown; errors?: unknown };
				const said = redactText(String(body.message ?? ''), [token]);
				// Only the documented validation answer proves the token was accepted.
				const validation = /validation/i.test(said) || Array.isArray(body.errors);
				if (res.statusCode === 400 && validation) return { status: 'OK', message: 'Connection successful: the token was accepted' };
				if (res.statusCode === 401 || res.statusCode === 403) {
					return { status: 'Error', message: `TimePay refused the token (HTTP ${res.statusCode}): ${said || 'unauthorized'}` };
				}
				return { status: 'Error', message: `Unexpected answer from TimePay: HTTP ${res.statusCode} ${said}`.trim() };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
