/**
 * Customer → Bulk Add: every input item of the run is a record. Records are validated, split into
 * requests of at most 10,000 per campaign, sent with bounded concurrency, and each answer
 * (201 / 207 / 400, `errors[]` by id, `invalidRecords[].index` by position) is mapped back to
 * the input item it came from: added, already present, or rejected with the API's reasons.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Settled } from '../../../shared/batching';
import { taskQueue, yieldToEventLoop } from '../../../shared/batching';
import { commonOptions, readCommonOptions, optionsField } from '../../../shared/descriptions';
import { asNodeError, failedItem, okItem, requestFailedItems, verdictItem } from '../../../shared/outcomes';
import type { Problem } from '../../../shared/validation';
import { describeProblems, problemsOf } from '../../../shared/validation';
import type { TimePayClient } from '../../api';
import { timePayClient } from '../../api';
import type { ApiResponse } from '../../../shared/transport';
import type { BulkResults, CallOptions } from '../../schemas';
import { bulkResultsSchema, campaignIdSchema, idFieldFor, recordSchemaFor } from '../../schemas';
import { stableLeadId } from '../../fields';
import { mapBulkAnswer } from '../../bulkAnswers';
import { customerFields, includeOtherFieldsOption, readBatchSize, recordsPerRequestOption, readCallOptions, readCampaignKind, recordReader } from './common';
import { textOf } from '../../../shared/normalize';
import { perItemParameter } from '../../../shared/params';

const DEFAULTS = { concurrency: 2, timeoutSeconds: 120 };

export const description: INodeProperties[] = [
	...customerFields('bulkAdd'),
	optionsField({ resource: ['customer'], operation: ['bulkAdd'] }, [
		recordsPerRequestOption,
		{
			displayName: 'Output',
			name: 'outputMode',
			type: 'options',
			options: [
				{ name: 'One Item per Record', value: 'perRecord', description: 'Each input item comes out with its own outcome' },
				{ name: 'One Summary per Request', value: 'perRequest', description: "Each request's counts, message and rejected records" },
			],
			default: 'perRecord',
		},
		...commonOptions(DEFAULTS),
		includeOtherFieldsOption,
	]),
];

interface Entry {
	item: number;
	id: string;
	record: Record<string, unknown>;
}
interface Request {
	campaignId: string;
	entries: Entry[];
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const raw = this.getNodeParameter('options', 0, {}) as IDataObject;
	const options = readCommonOptions(raw, DEFAULTS);
	const batchSize = readBatchSize(raw);
	const summary = raw.outputMode === 'perRequest';
	const kind = readCampaignKind(this);
	const idField = idFieldFor(kind);
	const schema = recordSchemaFor(kind);
	const readRecord = recordReader(this, items, kind, raw.includeOtherFields === true);

	// Request-level settings: one call configuration for the whole run.
	const call = readCallOptions(this, 0);
	if ('problems' in call) {
		throw new NodeOperationError(node, describeProblems(0, call.problems), { itemIndex: 0, description: 'Nothing was sent.' });
	}
	const callOptions: CallOptions = call.options;

	const campaignIdOf = perItemParameter<unknown>(this, 'campaignId', '');
	// Requests go out while later records are still being validated: a full request starts as
	// soon as it is complete, with at most `concurrency` in flight.
	const client = options.validateOnly ? undefined : await timePayClient(this, options, true);
	const requests: Request[] = [];
	// Each answer is mapped to its items as soon as it arrives, while other requests are in flight.
	const out: INodeExecutionData[] = new Array(items.length);
	const requestSummaries: INodeExecutionData[] = [];
	let stopWith: { k: number; error: NodeApiError | NodeOperationError } | undefined;
	const settled: boolean[] = [];
	const settle = (k: number, answer: Settled<ApiResponse>) => {
		settled[k] = true;
		const failure = settleRequest(this, k, requests[k], answer, { client: client!, continueOnFail, summary, callOptions, out, requestSummaries });
		if (failure && (!stopWith || k < stopWith.k)) stopWith = { k, error: failure };
		return failure;
	};
	const queue = taskQueue<Request, ApiResponse>(
		options.concurrency,
		async (req, k) => {
			const res = await client!.request('POST', '/customers/add/bulk', {
				campaignId: req.campaignId,
				records: req.entries.map((e) => e.record) as IDataObject[],
				...callOptions,
			});
			// A request-level failure (e.g. 404) stops new requests, as a connection failure does.
			const failure = settle(k, { ok: true, value: res });
			if (failure) throw failure;
			return res;
		},
		!continueOnFail,
	);
	const dispatch = (campaignId: string, entries: Entry[]) => {
		const req = { campaignId, entries };
		requests.push(req);
		if (!options.validateOnly) queue.push(req);
	};

	// 1. Validate every record; group the good ones per campaign, refusing repeated ids.
	const rejectedLocally = new Map<number, Problem[]>();
	const groups = new Map<string, Entry[]>();
	const seen = new Map<string, Map<string, number>>(); // campaign → id → first item
	const checkedCampaigns = new Map<string, Problem[]>();
	const previews: IDataObject[] = new Array(items.length);
	for (let i = 0; i < items.length; i++) {
		if (i % 2000 === 1999) {
			if (queue.stopped) break; // a request failed and the node will fail with it
			await yieldToEventLoop();
		}
		// Anything an item's own parameters throw (an expression error, n8n refusing a mapped
		// value) rejects that item alone: earlier requests may already be on their way.
		let campaignId = '';
		let record: Record<string, unknown> = {};
		const problems: Problem[] = [];
		try {
			campaignId = textOf(campaignIdOf(i));
			let campaignProblems = checkedCampaigns.get(campaignId);
			if (!campaignProblems) {
				const c = campaignIdSchema.safeParse(campaignId);
				checkedCampaigns.set(campaignId, (campaignProblems = c.success ? [] : problemsOf(c.error, campaignId, 'campaignId')));
			}
			if (campaignProblems.length) problems.push(...campaignProblems);
		} catch (error) {
			problems.push(thrownProblem('Campaign ID', error));
		}
		let mapped = true;
		try {
			record = readRecord(i);
		} catch (error) {
			mapped = false;
			problems.push(thrownProblem('Customer Fields', error));
		}
		if (kind === 'leadGeneration' && record.lead_id === undefined) record.lead_id = stableLeadId(campaignId, record);
		const r = mapped ? schema.safeParse(record) : undefined;
		if (r && !r.success) problems.push(...problemsOf(r.error, record));
		const id = String(record[idField] ?? '');
		if (!problems.length) {
			let ids = seen.get(campaignId);
			if (!ids) seen.set(campaignId, (ids = new Map()));
			const first = ids.get(id);
			if (first !== undefined) {
				problems.push({ field: idField, value: id, rule: `repeats item ${first} of this run (same campaign); sent once` });
			} else {
				ids.set(id, i);
			}
		}
		if (options.validateOnly) previews[i] = { campaignId, record: record as IDataObject };
		if (problems.length) {
			rejectedLocally.set(i, problems);
			continue;
		}
		let group = groups.get(campaignId);
		if (!group) groups.set(campaignId, (group = []));
		group.push({ item: i, id, record });
		if (group.length === batchSize) {
			dispatch(campaignId, group);
			groups.set(campaignId, []);
		}
	}
	for (const [campaignId, entries] of groups) if (entries.length) dispatch(campaignId, entries);

	if (options.validateOnly) {
		return items.map((_, i) => {
			const problems = rejectedLocally.get(i);
			return okItem(
				problems
					? { outcome: 'invalid', problems: problems.map((p) => describeProblems(i, [p])), wouldSend: previews[i] }
					: { outcome: 'valid', wouldSend: previews[i], requests: requests.length, ...callOptions },
				i,
			);
		});
	}

	// 2. Wait for every request; answers that are errors are settled here.
	const answers = await queue.done();
	answers.forEach((answer, k) => {
		if (!answer.ok && !('skipped' in answer) && !settled[k]) settle(k, answer);
	});
	if (stopWith) throw stopWith.error;

	// 3. The records that never left.
	const summaries: INodeExecutionData[] = [];
	for (const [i, problems] of rejectedLocally) {
		const message = describeProblems(i, problems);
		out[i] = verdictItem(
			this,
			i,
			{ id: String(readIdLoose(items[i].json, idField) ?? ''), campaignId: '' },
			{ outcome: 'rejected', message: `${message} (not sent)`, errors: problems.map((p) => describeProblems(i, [p])) },
			continueOnFail,
		);
	}
	if (summary && rejectedLocally.size) {
		const idx = [...rejectedLocally.keys()];
		summaries.push(
			okItem(
				{
					request: null,
					sent: false,
					records: idx.length,
					rejected: idx.length,
					message: 'Not sent: these records failed validation',
					rejectedRecords: idx.map((i) => ({ item: i, errors: rejectedLocally.get(i)!.map((p) => describeProblems(i, [p])) })),
				},
				idx,
			),
		);
	}
	if (summary) summaries.push(...requestSummaries.filter((x) => x !== undefined));
	if (summary) return summaries;
	return out.filter((x): x is INodeExecutionData => x !== undefined);
}

function readIdLoose(json: IDataObject, idField: string): unknown {
	const v = json[idField];
	return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

function thrownProblem(field: string, error: unknown): Problem {
	return { field, value: undefined, rule: error instanceof Error ? error.message : String(error) };
}

interface SettleContext {
	client: TimePayClient;
	continueOnFail: boolean;
	summary: boolean;
	callOptions: CallOptions;
	out: INodeExecutionData[];
	requestSummaries: INodeExecutionData[];
}

/**
 * One request's answer as output items (or its summary). Returns the error that must fail the
 * node (a request-level failure without continue-on-fail); never throws.
 */
function settleRequest(
	ctx: IExecuteFunctions,
	k: number,
	req: Request,
	answer: Settled<ApiResponse>,
	c: SettleContext,
): NodeApiError | NodeOperationError | undefined {
	let failure: NodeApiError | NodeOperationError | undefined;
	let body: BulkResults | undefined;
	let statusCode = 0;
	if (answer.ok) {
		statusCode = answer.value.statusCode;
		const parsed = bulkResultsSchema.safeParse(answer.value.body);
		const perRecord = parsed.success && (parsed.data.results !== undefined || parsed.data.invalidRecords !== undefined);
		if ([200, 201, 207, 400].includes(statusCode) && perRecord) body = parsed.data;
		else failure = c.client.error(answer.value, req.entries[0].item) as NodeApiError;
	} else if ('error' in answer) {
		failure = asNodeError(ctx, answer.error, req.entries[0].item);
	} else {
		return undefined;
	}
	if (failure) {
		if (!c.continueOnFail) return failure;
		const failed = requestFailedItems(req.entries.map((e) => ({ item: e.item, json: { id: e.id, campaignId: req.campaignId, request: k + 1 } })), failure);
		req.entries.forEach((e, j) => (c.out[e.item] = failed[j]));
		if (c.summary) {
			c.requestSummaries[k] = failedItem({ request: k + 1, campaignId: req.campaignId, records: req.entries.length, message: failure.message }, req.entries.map((e) => e.item), failure);
		}
		return undefined;
	}

	const verdicts = mapBulkAnswer(req.entries.map((e) => e.id), statusCode, body!, { success: 'added', callOptions: c.callOptions });
	const counts: Record<string, number> = { added: 0, 'already present': 0, rejected: 0 };
	const rejectedRecords: IDataObject[] = [];
	req.entries.forEach((e, j) => {
		const v = verdicts[j];
		counts[v.outcome]++;
		if (v.outcome === 'rejected') rejectedRecords.push({ item: e.item, id: e.id, errors: v.errors ?? [v.message] });
		if (!c.summary) c.out[e.item] = verdictItem(ctx, e.item, { id: e.id, campaignId: req.campaignId }, v, c.continueOnFail);
	});
	if (c.summary) {
		c.requestSummaries[k] = okItem(
			{
				request: k + 1,
				campaignId: req.campaignId,
				statusCode,
				success: body!.success ?? statusCode === 201,
				message: body!.message ?? '',
				records: req.entries.length,
				added: counts.added,
				alreadyPresent: counts['already present'],
				rejected: counts.rejected,
				rejectedRecords,
				results: (body!.results ?? null) as IDataObject | null,
				...(body!.callResults ? { callResults: body!.callResults as IDataObject } : {}),
				...(body!.workflowTriggered !== undefined ? { workflowTriggered: body!.workflowTriggered } : {}),
			},
			req.entries.map((e) => e.item),
		);
	}
	return undefined;
}
