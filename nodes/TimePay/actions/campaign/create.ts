/** Campaign → Create: POST /campaigns/create, one campaign per input item. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { commonOptions, readCommonOptions, optionsField } from '../../../shared/descriptions';
import { listOf, textOf, toIsoDateLoose } from '../../../shared/normalize';
import { runPerItem } from '../../../shared/outcomes';
import { checkExactly } from '../../../shared/validation';
import { timePayClient } from '../../api';
import type { CreateCampaignBody } from '../../schemas';
import { createCampaignBodySchema } from '../../schemas';

const DEFAULTS = { concurrency: 2, timeoutSeconds: 60 };

/** TimePay's campaign types; another by expression. */
export const CAMPAIGN_TYPES = [
	{ name: 'EMI (Debt Collection)', value: 'emi' },
	{ name: 'EDI (Debt Collection)', value: 'edi' },
	{ name: 'Lead (Lead Generation)', value: 'lead' },
];
const show = { resource: ['campaign'], operation: ['create'] };

export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	{ displayName: 'Name', name: 'name', type: 'string', required: true, default: '' },
	{ displayName: 'Description', name: 'description', type: 'string', required: true, default: '' },
	{
		displayName: 'Campaign Type',
		name: 'campaignType',
		type: 'options',
		options: CAMPAIGN_TYPES,
		default: 'emi',
		description: 'TimePay campaign type. Choose "Expression" for another type your account has.',
	},
	{ displayName: 'Start Date', name: 'startDate', type: 'dateTime', required: true, default: '', description: 'First day of calls' },
	{ displayName: 'End Date', name: 'endDate', type: 'dateTime', required: true, default: '', description: 'Last day of calls' },
	{ displayName: 'Start Time', name: 'startTime', type: 'string', required: true, default: '09:00', placeholder: '09:00', description: 'Daily calling window start, HH:MM (24h)' },
	{ displayName: 'End Time', name: 'endTime', type: 'string', required: true, default: '18:00', placeholder: '18:00', description: 'Daily calling window end, HH:MM (24h)' },
	{
		displayName: 'Languages',
		name: 'languages',
		type: 'string',
		required: true,
		default: 'english',
		description: 'Comma-separated, e.g. english, hindi, tamil',
	},
	{ displayName: 'Region', name: 'region', type: 'string', required: true, default: '', placeholder: 'IN' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{ displayName: 'Tags', name: 'tags', type: 'string', default: '', description: 'Comma-separated tags' },
			{ displayName: 'Workflow ID', name: 'workflowId', type: 'string', default: '', description: "The TimePay workflow that runs for the campaign's customers" },
			{
				displayName: 'Customer Records (JSON)',
				name: 'jsonData',
				type: 'json',
				default: '[]',
				description: 'Customers to create the campaign with: an array of records shaped as in Add Customer',
			},
		],
	},
	optionsField(show, commonOptions(DEFAULTS)),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readCommonOptions(this.getNodeParameter('options', 0, {}) as IDataObject, DEFAULTS, this);
	// Not idempotent: a repeat could create the campaign twice.
	const client = options.validateOnly ? undefined : await timePayClient(this, options, false);
	return await runPerItem<CreateCampaignBody>(this, {
		items,
		concurrency: options.concurrency,
		validateOnly: options.validateOnly,
		prepare: (i) => {
			const extra = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
			const body: IDataObject = {
				name: textOf(this.getNodeParameter('name', i, '')),
				description: textOf(this.getNodeParameter('description', i, '')),
				campaignType: textOf(this.getNodeParameter('campaignType', i, '')),
				startDate: toIsoDateLoose(this.getNodeParameter('startDate', i, '')) as string,
				endDate: toIsoDateLoose(this.getNodeParameter('endDate', i, '')) as string,
				startTime: textOf(this.getNodeParameter('startTime', i, '')),
				endTime: textOf(this.getNodeParameter('endTime', i, '')),
				languages: listOf(this.getNodeParameter('languages', i, '')),
				region: textOf(this.getNodeParameter('region', i, '')),
			};
			const tags = listOf(extra.tags);
			if (tags.length) body.tags = tags;
			if (typeof extra.workflowId === 'string' && extra.workflowId.trim()) body.workflowId = extra.workflowId.trim();
			if (extra.jsonData !== undefined && extra.jsonData !== '' && extra.jsonData !== '[]') {
				let data: unknown = extra.jsonData;
				if (typeof data === 'string') {
					try {
						data = JSON.parse(data);
					} catch {
						return { ok: false, problems: [{ field: 'jsonData', value: extra.jsonData, rule: 'must be a JSON array of records' }], preview: body };
					}
				}
				body.jsonData = data as IDataObject[];
			}
			// What is checked is what is sent: the body itself, not the schema's copy of it.
			const checked = checkExactly<CreateCampaignBody>(createCampaignBodySchema, body);
			if (!checked.ok) return { ok: false, problems: checked.problems, preview: body };
			return { ok: true, payload: checked.value, preview: body };
		},
		send: async (body, i) => {
			const res = await client!.request('POST', '/campaigns/create', body as IDataObject, i);
			const b = (res.body ?? {}) as IDataObject;
			if (res.statusCode < 200 || res.statusCode >= 300 || b.success === false) throw client!.error(res, i);
			const data = (b.data ?? {}) as IDataObject;
			return { id: data.id ?? null, name: data.name ?? body.name, outcome: 'created', message: String(b.message ?? '') };
		},
	});
}
