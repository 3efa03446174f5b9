/** Fields shared by Customer → Add and Customer → Bulk Add, and reading them per item. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, ResourceMapperValue } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { buildRecord } from '../../fields';
import type { CampaignKind, CallOptions } from '../../schemas';
import { callOptionsSchema, MAX_BULK_RECORDS } from '../../schemas';
import type { Problem } from '../../../shared/validation';
import { problemsOf } from '../../../shared/validation';
import { mappedValues, readChoice } from '../../../shared/params';
import { callConfigFields, campaignIdField, readCallConfig } from '../ids';

const customerFieldsMapper = {
	resourceMapperMethod: 'getCustomerFields',
	mode: 'add',
	fieldWords: { singular: 'field', plural: 'fields' },
	addAllFields: true,
	multiKeyMatch: false,
	supportAutoMap: true,
} as const;

export const campaignTypeField: INodeProperties = {
	displayName: 'Campaign Type',
	name: 'campaignType',
	type: 'options',
	options: [
		{ name: 'Debt Collection', value: 'debtCollection', description: 'Existing loans: loan_id, amounts, EMI due date, payment status' },
		{ name: 'Lead Generation', value: 'leadGeneration', description: 'New sales leads: lead_id, lead date' },
	],
	default: 'debtCollection',
	description: "The campaign's service type; it decides which fields a customer record has",
};

const afterAddingField: INodeProperties = {
	displayName: 'After Adding',
	name: 'afterAdding',
	type: 'options',
	options: [
		{ name: 'Do Nothing', value: 'nothing' },
		{ name: 'Initiate Call', value: 'initiateCall', description: 'Start an AI call for each customer added' },
		{ name: 'Run Workflow', value: 'useWorkflow', description: "Trigger the campaign's TimePay workflow asynchronously" },
	],
	default: 'nothing',
	description: 'TimePay can call the customer right away or run its workflow, never both',
};

export function customerFields(operation: string): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['customer'], operation: [operation] } }, [
		...campaignIdField('The campaign to add the customers to. It must already exist.'),
		campaignTypeField,
		{
			displayName: 'Customer Fields',
			name: 'columns',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			typeOptions: {
				loadOptionsDependsOn: ['campaignType'],
				resourceMapper: customerFieldsMapper,
			},
			description: 'Map each field with an expression, or let input fields with the same names map themselves',
		},
		afterAddingField,
		...updateDisplayOptions({ show: { afterAdding: ['initiateCall'] } }, callConfigFields),
	]);
}

export const includeOtherFieldsOption: INodeProperties = {
	displayName: 'Send Other Input Fields as Custom Fields',
	name: 'includeOtherFields',
	type: 'boolean',
	default: false,
	description:
		'Whether, with "Map Automatically", input fields that are not TimePay fields are sent too, as custom fields of the record (Initiate Calls can filter on them)',
};

/** Campaign Type, read once for the run; a value an expression made up is an error naming it. */
export function readCampaignKind(ctx: IExecuteFunctions): CampaignKind {
	return readChoice<CampaignKind>(ctx, campaignTypeField, 0);
}


/**
 * Reads the mapped values of one item. With "Map Automatically" the item's own fields are
 * used and no expression is evaluated (fast for 100,000 items).
 */
export function recordReader(ctx: IExecuteFunctions, items: INodeExecutionData[], kind: CampaignKind, includeOthers: boolean) {
	const mode = ctx.getNodeParameter('columns.mappingMode', 0, 'defineBelow') as ResourceMapperValue['mappingMode'];
	if (mode === 'autoMapInputData') return (itemIndex: number) => buildRecord(kind, items[itemIndex].json, includeOthers);
	// Mapped one by one: plain {{ $json.x }} references are read from the item (see mappedValues).
	const mapped = mappedValues(ctx, items, 'columns', customerFieldsMapper);
	return (itemIndex: number) => buildRecord(kind, mapped(itemIndex) ?? {}, false);
}

/** After Adding, as the API's initiateCall / callConfig / useWorkflow, checked by its schema. */
export function readCallOptions(ctx: IExecuteFunctions, itemIndex: number): { options: CallOptions } | { problems: Problem[] } {
	const after = readChoice(ctx, afterAddingField, itemIndex);
	const raw: IDataObject = {};
	if (after === 'initiateCall') {
		raw.initiateCall = true;
		raw.callConfig = readCallConfig(ctx, itemIndex);
	} else if (after === 'useWorkflow') {
		raw.useWorkflow = true;
	}
	const parsed = callOptionsSchema.safeParse(raw);
	return parsed.success ? { options: parsed.data } : { problems: problemsOf(parsed.error, raw) };
}

/** Bulk Add and Bulk Update: how many records go in one request. */
export const recordsPerRequestOption: INodeProperties = {
	displayName: 'Records per Request',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_BULK_RECORDS },
	default: MAX_BULK_RECORDS,
	description: 'Input items are sent in requests of at most this many records (TimePay accepts up to 10,000)',
};

export function readBatchSize(options: IDataObject): number {
	const n = Math.floor(Number(options.batchSize ?? MAX_BULK_RECORDS));
	return Math.min(MAX_BULK_RECORDS, Math.max(1, n || MAX_BULK_RECORDS));
}
