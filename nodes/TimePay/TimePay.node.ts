import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	ResourceMapperFields,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { checkChoice } from '../shared/params';
import { describeProblem } from '../shared/validation';
import { campaignTypeField } from './actions/customer/common';
import { timePayApiTest } from './credentialTest';
import { operationSubtitle } from '../shared/descriptions';
import { operationFields } from '../shared/router';
import { operations, route } from './actions/router';
import { resourceMapperFields } from './fields';
import { searchCampaigns, searchDispositions } from './methods/listSearch';
import type { CampaignKind } from './schemas';

const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Call', value: 'call' },
			{ name: 'Call Log', value: 'callLog' },
			{ name: 'Campaign', value: 'campaign' },
			{ name: 'Customer', value: 'customer' },
			{ name: 'Disposition', value: 'disposition' },
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
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a call',
				description:
					'Returns one call: status, disposition, duration, summary, extracted data (e.g. promise-to-pay date), recording and transcript IDs',
			},
			{ name: 'Initiate', value: 'initiate', action: 'Initiate AI calls', description: "Trigger AI calls for a campaign's customers" },
		],
		default: 'initiate',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a campaign' },
			{
				name: 'Get',
				value: 'get',
				action: 'Get a campaign',
				description: 'Returns one campaign: name, description, status, type, dates, daily window, languages, region, tags and its number of customers',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many campaigns',
				description: 'Returns campaigns (ID, name, status, type, dates, customers), filtered by status, type or search text',
			},
		],
		default: 'create',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['callLog'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many call logs',
				description:
					'Returns the communication history (calls and WhatsApp messages: status, disposition, summary, extracted data), filtered, or only their count',
			},
		],
		default: 'getMany',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['disposition'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many dispositions',
				description: 'Returns the call dispositions (ID, name, description, priority), optionally filtered by search text',
			},
		],
		default: 'getMany',
	},
	...operationFields(operations),
];

export class TimePay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TimePay',
		name: 'timePay',
		icon: { light: 'file:../../icons/timepay.svg', dark: 'file:../../icons/timepay.dark.svg' },
		group: ['output'],
		// Version 2: Campaign ID and Disposition ID are resource locators (From List / By ID).
		// Version 1 keeps them as text, so workflows saved with it load and run unchanged.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: operationSubtitle(properties),
		description:
			'Add customers to TimePay AI voice-agent campaigns, one by one or in bulk, trigger AI calls, and read campaigns, dispositions, calls and call logs',
		defaults: { name: 'TimePay' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'timePayApi', required: true, testedBy: 'timePayApiTest' }],
		properties,
	};

	methods = {
		listSearch: { searchCampaigns, searchDispositions },
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
		credentialTest: { timePayApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
