/**
 * Customer → Bulk Update: PUT /customer-data/bulk (e.g. mark customers paid so the next call run
 * skips them). Same chunking and per-record outcomes as Bulk Add: updated, or rejected with
 * the API's reason (e.g. not found).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';

import { chunk, runPool } from '../../../shared/batching';
import { commonOptions, readCommonOptions, optionsField } from '../../../shared/descriptions';
import { textOf, isBlank, toIsoDateLoose, toNumberLoose, toStringLoose } from '../../../shared/normalize';
import { perItemParameter } from '../../../shared/params';
import { asNodeError, okItem, requestFailedItems, verdictItem } from '../../../shared/outcomes';
import type { Problem } from '../../../shared/validation';
import { describeProblems, problemsOf } from '../../../shared/validation';
import { timePayClient } from '../../api';
import { mapBulkAnswer } from '../../bulkAnswers';
import { readBatchSize, recordsPerRequestOption } from './common';
import type { UpdateRecord } from '../../schemas';
import { bulkResultsSchema, campaignIdSchema, PAYMENT_STATUSES, updateRecordSchema } from '../../schemas';

const DEFAULTS = { concurrency: 2, timeoutSeconds: 120 };
const show = { resource: ['customer'], operation: ['bulkUpdate'] };

export const description: INodeProperties[] = [
	{ displayName: 'Campaign ID', name: 'campaignId', type: 'string', required: true, default: '', placeholder: 'camp_abc123', displayOptions: { show } },
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '={{ $json.id }}',
		description: "The customer's loan_id or lead_id",
		displayOptions: { show },
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show },
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
		displayOptions: { show },
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
];

const NUMBERS = new Set(['current_emi', 'emi_amount', 'loan_amount']);
const DATES = new Set(['emi_due_date']);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const raw = this.getNodeParameter('options', 0, {}) as IDataObject;
	const options = readCommonOptions(raw, DEFAULTS);
	const batchSize = readBatchSize(raw);

	const groups = new Map<string, Array<{ item: number; record: UpdateRecord }>>();
	const out: INodeExecutionData[] = new Array(items.length);
	const previews: IDataObject[] = [];
	const campaignIdOf = perItemParameter<unknown>(this, 'campaignId', '');
	for (let i = 0; i < items.length; i++) {
		const problems: Problem[] = [];
		const campaignId = textOf(campaignIdOf(i));
		const c = campaignIdSchema.safeParse(campaignId);
		if (!c.success) problems.push(...problemsOf(c.error, campaignId, 'campaignId'));
		const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
		const data: IDataObject = {};
		for (const [k, v] of Object.entries(fields)) {
			if (isBlank(v)) continue;
			data[k] = (NUMBERS.has(k) ? toNumberLoose(v) : DATES.has(k) ? toIsoDateLoose(v) : toStringLoose(v)) as IDataObject[string];
		}
		const custom = (this.getNodeParameter('customFields.field', i, []) as Array<{ name: string; value: unknown }>) ?? [];
		for (const f of custom) if (f.name && f.name.trim()) data[f.name.trim()] = f.value as IDataObject[string];
		const rawId = this.getNodeParameter('customerId', i, '');
		const record = { id: isBlank(rawId) ? undefined : toStringLoose(rawId), data };
		const parsed = updateRecordSchema.safeParse(record);
		if (!parsed.success) problems.push(...problemsOf(parsed.error, record));
		previews[i] = { campaignId, ...record } as IDataObject;
		if (problems.length || !parsed.success) {
			const message = `${describeProblems(i, problems)} (not sent)`;
			out[i] = verdictItem(this, i, { id: String(record.id ?? ''), campaignId }, { outcome: options.validateOnly ? 'invalid' : 'rejected', message, errors: problems.map((p) => describeProblems(i, [p])) }, continueOnFail && !options.validateOnly);
			continue;
		}
		let g = groups.get(campaignId);
		if (!g) groups.set(campaignId, (g = []));
		g.push({ item: i, record: parsed.data });
	}
	if (options.validateOnly) {
		for (const g of groups.values()) for (const e of g) out[e.item] = okItem({ outcome: 'valid', wouldSend: previews[e.item] }, e.item);
		return out;
	}

	const requests = [...groups].flatMap(([campaignId, entries]) => chunk(entries, batchSize).map((part) => ({ campaignId, entries: part })));
	// PUT sets values: repeating it changes nothing, so every transient failure may be retried.
	const client = requests.length ? await timePayClient(this, options, true) : undefined;
	const answers = await runPool(
		requests,
		options.concurrency,
		async (req) => await client!.request('PUT', '/customer-data/bulk', { campaignId: req.campaignId, records: req.entries.map((e) => e.record) as IDataObject[] }),
		!continueOnFail,
	);

	requests.forEach((req, k) => {
		const answer = answers[k];
		if (!answer.ok && 'skipped' in answer) return;
		let failure: NodeApiError | undefined;
		const parsed = answer.ok ? bulkResultsSchema.safeParse(answer.value.body) : undefined;
		if (!answer.ok) failure = asNodeError(this, answer.error, req.entries[0].item) as NodeApiError;
		else if (![200, 201, 207, 400].includes(answer.value.statusCode) || !parsed?.success || (!parsed.data.results && !parsed.data.invalidRecords)) {
			failure = client!.error(answer.value, req.entries[0].item) as NodeApiError;
		}
		if (failure) {
			if (!continueOnFail) throw failure;
			const failed = requestFailedItems(req.entries.map((e) => ({ item: e.item, json: { id: e.record.id, campaignId: req.campaignId } })), failure);
			req.entries.forEach((e, j) => (out[e.item] = failed[j]));
			return;
		}
		const body = parsed!.data!;
		const verdicts = mapBulkAnswer(req.entries.map((e) => e.record.id), answer.ok ? answer.value.statusCode : 0, body, { success: 'updated' });
		req.entries.forEach((e, j) => {
			out[e.item] = verdictItem(this, e.item, { id: e.record.id, campaignId: req.campaignId }, verdicts[j], continueOnFail);
		});
	});
	return out.filter((x): x is INodeExecutionData => x !== undefined);
}
