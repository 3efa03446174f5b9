/**
 * Customer → Bulk Update: PUT /customer-data/bulk (e.g. mark customers paid so the next call run
 * skips them). Same chunking and per-record outcomes as Bulk Add: updated, or rejected with
 * the API's reason (e.g. not found).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { commonOptions, readCommonOptions, optionsField } from '../../../shared/descriptions';
import { textOf, isBlank, toIsoDateLoose, toNumberLoose, toStringLoose } from '../../../shared/normalize';
import { perItemParameter } from '../../../shared/params';
import type { Problem } from '../../../shared/validation';
import { exactChecker } from '../../../shared/fastCheck';
import { problemsOf, thrownProblem } from '../../../shared/validation';
import { keyValuesToObject, setOwn } from '../../../shared/fieldValues';
import { timePayClient } from '../../api';
import type { Checked } from '../../bulk';
import { runBulk } from '../../bulk';
import { readBatchSize, recordsPerRequestOption } from './common';
import { campaignIdField } from '../ids';
import type { UpdateRecord } from '../../schemas';
import { campaignIdSchema, PAYMENT_STATUSES, updateRecordSchema } from '../../schemas';

const DEFAULTS = { concurrency: 2, timeoutSeconds: 120 };
const show = { resource: ['customer'], operation: ['bulkUpdate'] };

export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	...campaignIdField('The campaign whose customers are updated'),
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '={{ $json.id }}',
		description: "The customer's loan_id or lead_id",
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{ displayName: 'Current EMI', name: 'current_emi', type: 'number', default: 1 },
			{ displayName: 'EMI Amount', name: 'emi_amount', type: 'number', default: 0 },
			{ displayName: 'EMI Due Date', name: 'emi_due_date', type: 'dateTime', default: '' },
			{ displayName: 'Language', name: 'language', type: 'string', default: '' },
			{ displayName: 'Loan Amount', name: 'loan_amount', type: 'number', default: 0 },
			{
				displayName: 'Payment Status',
				name: 'payment_status',
				type: 'options',
				options: PAYMENT_STATUSES.map((s) => ({ name: s[0].toUpperCase() + s.slice(1), value: s })),
				default: 'paid',
			},
			{ displayName: 'Phone Number', name: 'phone_number', type: 'string', default: '' },
		],
	},
	{
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add custom field',
		default: {},
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	optionsField(show, [
		recordsPerRequestOption,
		...commonOptions(DEFAULTS),
	]),
]);

const NUMBERS = new Set(['current_emi', 'emi_amount', 'loan_amount']);
const DATES = new Set(['emi_due_date']);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const raw = this.getNodeParameter('options', 0, {}) as IDataObject;
	const options = readCommonOptions(raw, DEFAULTS, this);
	// PUT sets values: repeating it changes nothing, so every transient failure may be retried.
	const client = options.validateOnly ? undefined : await timePayClient(this, options, true);
	return await runBulk<UpdateRecord>(
		this,
		items,
		{
			name: 'Bulk Update',
			method: 'PUT',
			path: '/customer-data/bulk',
			success: 'updated',
			validate: updateValidator(this, items),
			body: (req) => ({ campaignId: req.campaignId, records: req.records as IDataObject[] }),
			preview: (c) => ({ campaignId: c.campaignId, ...c.record }) as IDataObject,
		},
		{ options, batchSize: readBatchSize(raw), summary: false, continueOnFail: this.continueOnFail() },
		client,
	);
}

/**
 * Stage 1 of Bulk Update: one item's Campaign ID, customer id and fields, checked against the
 * update schema. What a parameter's expression throws for the item is its problem, naming that
 * parameter; the record is then not checked further (it was never read whole).
 */
function updateValidator(ctx: IExecuteFunctions, items: INodeExecutionData[]) {
	const check = exactChecker<UpdateRecord>(updateRecordSchema);
	const campaignIdOf = perItemParameter<unknown>(ctx, 'campaignId', '', items);
	const customerIdOf = perItemParameter<unknown>(ctx, 'customerId', '', items);
	// Usually fixed (e.g. payment status "paid" for everyone): then read once, not per item.
	const updateFieldsOf = perItemParameter<IDataObject>(ctx, 'updateFields', {}, items);
	const customFieldsOf = perItemParameter<IDataObject>(ctx, 'customFields', {}, items);
	return (i: number): Checked<UpdateRecord> => {
		const problems: Problem[] = [];
		let unread = false;
		const read = <T>(label: string, of: (i: number) => T): T | undefined => {
			try {
				return of(i);
			} catch (error) {
				unread = true;
				problems.push(thrownProblem(label, error));
				return undefined;
			}
		};
		const campaignId = textOf(read('Campaign ID', campaignIdOf) ?? '');
		if (!unread) {
			const c = campaignIdSchema.safeParse(campaignId);
			if (!c.success) problems.push(...problemsOf(c.error, campaignId, 'campaignId'));
		}
		const fields = read('Update Fields', updateFieldsOf) ?? {};
		const data: IDataObject = {};
		for (const [k, v] of Object.entries(fields)) {
			if (isBlank(v)) continue;
			data[k] = (NUMBERS.has(k) ? toNumberLoose(v) : DATES.has(k) ? toIsoDateLoose(v) : toStringLoose(v)) as IDataObject[string];
		}
		const custom = ((read('Custom Fields', customFieldsOf)?.field ?? []) as Array<{ name?: unknown; value?: unknown }> | null) ?? [];
		const customData = keyValuesToObject(custom.map((f) => ({ key: f.name, value: f.value })), 'customFields', 'name');
		problems.push(...customData.problems);
		for (const [k, v] of Object.entries(customData.value)) {
			if (Object.prototype.hasOwnProperty.call(data, k)) problems.push({ field: 'customFields', value: k, rule: 'is also set in Update Fields; give it once' });
			else setOwn(data, k, v);
		}
		const rawId = read('Customer ID', customerIdOf);
		const record = { id: isBlank(rawId) ? undefined : toStringLoose(rawId), data };
		// What is checked is what is sent: the record itself, not the schema's copy of it.
		const checked = unread ? undefined : check(record);
		if (checked && !checked.ok) problems.push(...checked.problems);
		return { item: i, campaignId, id: String(record.id ?? ''), record: record as UpdateRecord, problems };
	};
}
