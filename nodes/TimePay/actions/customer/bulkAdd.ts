/**
 * Customer → Bulk Add: every input item of the run is a record. Records are validated, split into
 * requests of at most 10,000 per campaign, sent with bounded concurrency, and each answer
 * (201 / 207 / 400, `errors[]` by id, `invalidRecords[].index` by position) is mapped back to
 * the input item it came from: added, already present, or rejected with the API's reasons.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { commonOptions, readCommonOptions, optionsField } from '../../../shared/descriptions';
import type { Problem } from '../../../shared/validation';
import { exactChecker } from '../../../shared/fastCheck';
import { describeProblems, problemsOf, thrownProblem } from '../../../shared/validation';
import { timePayClient } from '../../api';
import type { Checked } from '../../bulk';
import { NO_PROBLEMS, runBulk } from '../../bulk';
import type { CallOptions, CampaignKind } from '../../schemas';
import { campaignIdSchema, idFieldFor, recordSchemaFor } from '../../schemas';
import { stableLeadId } from '../../fields';
import { customerFields, includeOtherFieldsOption, readBatchSize, recordsPerRequestOption, readCallOptions, readCampaignKind, recordReader } from './common';
import { textOf } from '../../../shared/normalize';
import { optionChoice, perItemParameter } from '../../../shared/params';

const DEFAULTS = { concurrency: 2, timeoutSeconds: 120 };

const outputModeOption: INodeProperties = {
	displayName: 'Output',
	name: 'outputMode',
	type: 'options',
	options: [
		{ name: 'One Item per Record', value: 'perRecord', description: 'Each input item comes out with its own outcome' },
		{ name: 'One Summary per Request', value: 'perRequest', description: "Each request's counts, message and rejected records" },
	],
	default: 'perRecord',
};

export const description: INodeProperties[] = [
	...customerFields('bulkAdd'),
	optionsField({ resource: ['customer'], operation: ['bulkAdd'] }, [
		recordsPerRequestOption,
		outputModeOption,
		...commonOptions(DEFAULTS),
		includeOtherFieldsOption,
	]),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const raw = this.getNodeParameter('options', 0, {}) as IDataObject;
	const options = readCommonOptions(raw, DEFAULTS, this);
	const kind = readCampaignKind(this);

	// Request-level settings: one call configuration for the whole run.
	const call = readCallOptions(this, 0);
	if ('problems' in call) {
		throw new NodeOperationError(this.getNode(), describeProblems(0, call.problems), { itemIndex: 0, description: 'Nothing was sent.' });
	}
	const callOptions: CallOptions = call.options;
	const validate = recordValidator(this, items, kind, optionChoice<boolean>(this, raw, includeOtherFieldsOption));

	const client = options.validateOnly ? undefined : await timePayClient(this, options, true);
	return await runBulk<Record<string, unknown>>(
		this,
		items,
		{
			name: 'Bulk Add',
			method: 'POST',
			path: '/customers/add/bulk',
			success: 'added',
			uniqueId: idFieldFor(kind),
			validate,
			body: (req) => ({ campaignId: req.campaignId, records: req.records as IDataObject[], ...callOptions }),
			preview: (c) => ({ campaignId: c.campaignId, record: c.record as IDataObject }),
			callOptions,
		},
		{ options, batchSize: readBatchSize(raw), summary: optionChoice(this, raw, outputModeOption) === 'perRequest', continueOnFail: this.continueOnFail() },
		client,
	);
}

/**
 * Stage 1 of Bulk Add: one item's Campaign ID and record, read and checked against the record
 * schema. Anything an item's own parameters throw (an expression error, n8n refusing a mapped
 * value) is that item's problem alone: earlier requests may already be on their way.
 */
function recordValidator(ctx: IExecuteFunctions, items: INodeExecutionData[], kind: CampaignKind, includeOthers: boolean) {
	const idField = idFieldFor(kind);
	// zod explains only the records that fail: a check derived from the same schema passes the rest.
	const check = exactChecker<Record<string, unknown>>(recordSchemaFor(kind));
	const readRecord = recordReader(ctx, items, kind, includeOthers);
	const campaignIdOf = perItemParameter<unknown>(ctx, 'campaignId', '', items);
	const checkedCampaigns = new Map<string, Problem[]>();
	return (i: number): Checked<Record<string, unknown>> => {
		let campaignId = '';
		let record: Record<string, unknown> = {};
		let problems: Problem[] | undefined; // made only for a record that has problems
		try {
			campaignId = textOf(campaignIdOf(i));
			let campaignProblems = checkedCampaigns.get(campaignId);
			if (!campaignProblems) {
				const c = campaignIdSchema.safeParse(campaignId);
				checkedCampaigns.set(campaignId, (campaignProblems = c.success ? [] : problemsOf(c.error, campaignId, 'campaignId')));
			}
			if (campaignProblems.length) problems = [...campaignProblems];
		} catch (error) {
			problems = [thrownProblem('Campaign ID', error)];
		}
		let mapped = true;
		try {
			record = readRecord(i);
		} catch (error) {
			mapped = false;
			(problems ??= []).push(thrownProblem('Customer Fields', error));
		}
		if (kind === 'leadGeneration' && record.lead_id === undefined) record.lead_id = stableLeadId(campaignId, record);
		const r = mapped ? check(record) : undefined;
		if (r && !r.ok) (problems ??= []).push(...r.problems);
		const id = record[idField];
		return { item: i, campaignId, id: typeof id === 'string' || typeof id === 'number' ? String(id) : '', record, problems: problems ?? NO_PROBLEMS };
	};
}
