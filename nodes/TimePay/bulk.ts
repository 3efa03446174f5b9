/**
 * The bulk run shared by Customer → Bulk Add and Customer → Bulk Update, in four stages, each a
 * function with one job:
 *
 *   validate  (the operation's own) one input item → its record, campaign and id, or its problems
 *   group     valid records → requests of at most `batchSize` records per campaign, ids unique
 *   dispatch  requests → the API with at most `concurrency` in flight; the first request leaves
 *             while later records are still being validated; a failure sends no new request
 *   settle    one answer → the output items of its records (or its summary), as soon as it arrives
 *
 * and `assemble` puts the output together in input order once every request has been answered.
 * While requests are in flight, the only thing written is each request's own settlement.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Settled } from '../shared/batching';
import { taskQueue, yieldToEventLoop } from '../shared/batching';
import type { CommonOptionValues } from '../shared/descriptions';
import { cancelSignal, canceledError, isCanceled } from '../shared/cancel';
import { asNodeError, failedItem, itemList, okItem, requestFailedItems, verdictItem } from '../shared/outcomes';
import type { ApiResponse } from '../shared/transport';
import type { Problem } from '../shared/validation';
import { describeProblems } from '../shared/validation';
import type { TimePayClient } from './api';
import { mapBulkAnswer } from './bulkAnswers';
import type { BulkResults, CallOptions } from './schemas';
import { bulkResultsSchema } from './schemas';

/** What the validate stage makes of one input item. */
export interface Checked<R> {
	item: number;
	campaignId: string;
	/** The record's id (loan_id, lead_id, the customer id); '' when it has none. */
	id: string;
	/** What would be sent (when `problems` is empty, a record that passed its schema). */
	record: R;
	/** Empty (NO_PROBLEMS) when the record may be sent. */
	problems: readonly Problem[];
}

/** The problems of a valid record: one shared empty list, not one per record of a 100,000-record run. */
export const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

/**
 * The records of one request, side by side: what stays in memory per record while requests are
 * in flight is the record itself and two array slots, nothing more (100,000 of anything more are
 * work for the garbage collector).
 */
export interface Batch<R> {
	/** Input item of each record. */
	items: number[];
	/** Each record's id (loan_id, lead_id, customer id). */
	ids: string[];
	records: R[];
}

export interface BulkRequest<R> extends Batch<R> {
	/** Position among the run's requests, from 0 ("request k + 1" to a user). */
	index: number;
	campaignId: string;
}

export interface BulkOperation<R> {
	/** "Bulk Add": in errors and progress logs. */
	name: string;
	method: 'POST' | 'PUT';
	path: string;
	/** The outcome of a record the API applied. */
	success: 'added' | 'updated';
	/** The id field a record must not repeat within one campaign of a run; none: repeats go as they are. */
	uniqueId?: string;
	/** Stage 1. May throw for an item only when its parameters cannot be read at all. */
	validate: (itemIndex: number) => Checked<R>;
	body: (request: BulkRequest<R>) => IDataObject;
	/** What Validate Only shows as `wouldSend` for an item. */
	preview: (checked: Checked<R>) => IDataObject;
	/** Bulk Add's After Adding settings (call results per record). */
	callOptions?: CallOptions;
}

export interface BulkSettings {
	options: CommonOptionValues;
	batchSize: number;
	/** One summary item per request instead of one item per record. */
	summary: boolean;
	continueOnFail: boolean;
}

type NodeError = NodeApiError | NodeOperationError;

/** One request's answer, as output. */
export interface Settlement {
	/** Per-record output: the item of each entry of the request, in entry order. */
	items?: INodeExecutionData[];
	/** Summary output: the request's summary item. */
	summary?: INodeExecutionData;
	/** The error that fails the node (a request-level failure without continue-on-fail). */
	failure?: NodeError;
	/** Input items whose records the API applied (added, already present, updated). */
	applied: number[];
	counts: Counts;
}

interface Counts {
	applied: number;
	alreadyPresent: number;
	rejected: number;
	failed: number;
}

/** The validation loop looks at the clock every 256 records; how long it may run without a turn of the event loop. */
const CHECK_CLOCK_EVERY = 255;
const TURN_IN_FLIGHT_MS = 10;
const TURN_IDLE_MS = 50;

/** Runs a bulk operation over all input items: validate, group, dispatch, settle, assemble. */
export async function runBulk<R>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	op: BulkOperation<R>,
	settings: BulkSettings,
	client: TimePayClient | undefined,
): Promise<INodeExecutionData[]> {
	const { options, batchSize } = settings;
	const signal = cancelSignal(ctx);
	const rejected = new Map<number, Checked<R>>();
	const previews: IDataObject[] = options.validateOnly ? new Array(items.length) : [];
	const groups = grouper<R>(batchSize, op.uniqueId);
	const requests: Array<BulkRequest<R>> = [];
	const settlements: Settlement[] = [];
	const progress = progressLog(ctx, op, items.length);
	let settled = 0;
	const queue = dispatcher(ctx, op, settings, client, signal, (req, s) => {
		settlements[req.index] = s;
		settled++;
		progress.answered(req, s);
	});
	const send = (campaignId: string, batch: Batch<R>) => {
		const req = { index: requests.length, campaignId, ...batch };
		requests.push(req);
		if (!options.validateOnly) queue.push(req);
	};

	// The event loop gets its turn at once after a request is queued (so that it leaves before the
	// next records), every few milliseconds while requests are in flight (so that their bytes go
	// out and their answers are read as they come), and now and then otherwise.
	let lastTurn = Date.now();
	let queued = false;
	for (let i = 0; i < items.length; i++) {
		if (queued || (i & CHECK_CLOCK_EVERY) === CHECK_CLOCK_EVERY) {
			const waited = Date.now() - lastTurn;
			if (queued || waited >= (requests.length > settled ? TURN_IN_FLIGHT_MS : TURN_IDLE_MS)) {
				if (queue.stopped || signal?.aborted) break; // the node fails (or stops) without the rest
				await yieldToEventLoop(true);
				lastTurn = Date.now();
				queued = false;
			}
		}
		const checked = validateItem(op, i);
		if (!checked.problems.length) {
			const repeat = groups.repeatOf(checked.campaignId, checked.id, i);
			if (repeat) checked.problems = [repeat];
		}
		if (options.validateOnly) previews[i] = op.preview(checked);
		if (checked.problems.length) {
			rejected.set(i, checked);
			continue;
		}
		const full = groups.add(checked);
		if (full) {
			send(checked.campaignId, full);
			queued = true;
		}
	}
	if (!signal?.aborted) for (const [campaignId, batch] of groups.rest()) send(campaignId, batch);
	progress.planned(requests.length);

	if (options.validateOnly) return dryRun(items.length, rejected, previews, requests.length, op.callOptions);
	await queue.done();
	progress.finished();
	if (signal?.aborted || settlements.some((s) => isCanceled(s?.failure))) throw canceledRun(ctx, op, items.length, requests, settlements);
	return assemble(ctx, items.length, rejected, settlements, settings);
}

/** Stage 1, guarded: an item whose parameters throw is that item's problem, not the run's. */
function validateItem<R>(op: BulkOperation<R>, i: number): Checked<R> {
	try {
		return op.validate(i);
	} catch (error) {
		const rule = error instanceof Error ? error.message : String(error);
		return { item: i, campaignId: '', id: '', record: {} as R, problems: [{ field: '(parameters)', value: undefined, rule }] };
	}
}

/** Stage 2: records into per-campaign requests of at most `batchSize`; ids repeated within a campaign refused. */
export function grouper<R>(batchSize: number, uniqueId: string | undefined) {
	const open = new Map<string, Batch<R>>();
	const seen = new Map<string, Map<string, number>>(); // campaign → id → first item
	return {
		/** The problem of a record whose id an earlier item of the same campaign already has. */
		repeatOf(campaignId: string, id: string, item: number): Problem | undefined {
			if (!uniqueId) return undefined;
			let ids = seen.get(campaignId);
			if (!ids) seen.set(campaignId, (ids = new Map()));
			const first = ids.get(id);
			if (first === undefined) {
				ids.set(id, item);
				return undefined;
			}
			return { field: uniqueId, value: id, rule: `repeats item ${first} of this run (same campaign); sent once` };
		},
		/** Adds a valid record; returns its campaign's batch when that is full. */
		add(c: Checked<R>): Batch<R> | undefined {
			let batch = open.get(c.campaignId);
			if (!batch) open.set(c.campaignId, (batch = { items: [], ids: [], records: [] }));
			batch.items.push(c.item);
			batch.ids.push(c.id);
			batch.records.push(c.record);
			if (batch.records.length < batchSize) return undefined;
			open.delete(c.campaignId);
			return batch;
		},
		/** The batches not yet full, once every record has been added. */
		rest(): Array<[string, Batch<R>]> {
			return [...open].filter(([, batch]) => batch.records.length > 0);
		},
	};
}

/**
 * Stage 3: at most `concurrency` requests in flight. Each answer is settled the moment it
 * arrives (so a 10,000-record answer body does not outlive its request); a failure that fails
 * the node, or a stop by the user, sends no new request.
 */
function dispatcher<R>(
	ctx: IExecuteFunctions,
	op: BulkOperation<R>,
	settings: BulkSettings,
	client: TimePayClient | undefined,
	signal: AbortSignal | undefined,
	settled: (req: BulkRequest<R>, s: Settlement) => void,
) {
	return taskQueue<BulkRequest<R>, void>(
		settings.options.concurrency,
		async (req) => {
			if (signal?.aborted) throw canceledError(ctx, `${op.name} canceled: the execution was stopped`); // never sent
			let answer: Settled<ApiResponse>;
			try {
				answer = { ok: true, value: await client!.request(op.method, op.path, op.body(req)) };
			} catch (error) {
				answer = { ok: false, error };
			}
			const s = settle(ctx, req, answer, op, settings, client!);
			settled(req, s);
			if (s.failure) throw s.failure;
		},
		!settings.continueOnFail,
	);
}

/** Stage 4: one request's answer as output items (or its summary). Never throws. */
export function settle<R>(
	ctx: IExecuteFunctions,
	req: BulkRequest<R>,
	answer: Settled<ApiResponse>,
	op: Pick<BulkOperation<R>, 'success' | 'callOptions'>,
	settings: Pick<BulkSettings, 'continueOnFail' | 'summary'>,
	client: Pick<TimePayClient, 'error'>,
): Settlement {
	const counts: Counts = { applied: 0, alreadyPresent: 0, rejected: 0, failed: 0 };
	const first = req.items[0];
	let failure: NodeError | undefined;
	let body: BulkResults | undefined;
	let statusCode = 0;
	if (answer.ok) {
		statusCode = answer.value.statusCode;
		const parsed = bulkResultsSchema.safeParse(answer.value.body);
		const perRecord = parsed.success && (parsed.data.results !== undefined || parsed.data.invalidRecords !== undefined);
		if ([200, 201, 207, 400].includes(statusCode) && perRecord) body = parsed.data;
		else failure = client.error(answer.value, first) as NodeApiError;
	} else if ('error' in answer) {
		failure = asNodeError(ctx, answer.error, first);
	}
	if (failure || !body) {
		counts.failed = req.items.length;
		if (!settings.continueOnFail || !failure || isCanceled(failure)) return { failure, applied: [], counts };
		const request = req.index + 1;
		const failed = requestFailedItems(req.items.map((item, j) => ({ item, json: { id: req.ids[j], campaignId: req.campaignId, request } })), failure);
		return settings.summary
			? { summary: failedItem({ request, campaignId: req.campaignId, records: req.items.length, message: failure.message }, req.items, failure), applied: [], counts }
			: { items: failed, applied: [], counts };
	}

	const verdicts = mapBulkAnswer(req.ids, statusCode, body, { success: op.success, callOptions: op.callOptions });
	const applied: number[] = [];
	const rejectedRecords: IDataObject[] = [];
	const items: INodeExecutionData[] | undefined = settings.summary ? undefined : new Array(req.items.length);
	for (let j = 0; j < req.items.length; j++) {
		const item = req.items[j];
		const id = req.ids[j];
		const v = verdicts[j];
		if (v.outcome === 'rejected') {
			counts.rejected++;
			rejectedRecords.push({ item, id, errors: v.errors ?? [v.message] });
		} else {
			if (v.outcome === 'already present') counts.alreadyPresent++;
			else counts.applied++;
			applied.push(item);
		}
		// All four fields in one literal: 100,000 output items that do not grow field by field.
		if (items) items[j] = verdictItem(ctx, item, { id, campaignId: req.campaignId, outcome: v.outcome, message: v.message }, v, settings.continueOnFail);
	}
	if (items) return { items, applied, counts };
	const summary = okItem(
		{
			request: req.index + 1,
			campaignId: req.campaignId,
			statusCode,
			success: body.success ?? (statusCode === 200 || statusCode === 201),
			message: body.message ?? '',
			records: req.items.length,
			[op.success]: counts.applied,
			alreadyPresent: counts.alreadyPresent,
			rejected: counts.rejected,
			rejectedRecords,
			results: (body.results ?? null) as IDataObject | null,
			...(body.callResults ? { callResults: body.callResults as IDataObject } : {}),
			...(body.workflowTriggered !== undefined ? { workflowTriggered: body.workflowTriggered } : {}),
		},
		req.items,
	);
	return { summary, applied, counts };
}

/** Output in input order: every request's settlement and the records that never left. */
function assemble<R>(
	ctx: IExecuteFunctions,
	itemCount: number,
	rejected: Map<number, Checked<R>>,
	settlements: Settlement[],
	settings: BulkSettings,
): INodeExecutionData[] {
	const failed = settlements.find((s) => s?.failure)?.failure;
	if (failed) {
		// The first failed request fails the node; the error also names what was applied.
		const applied = appliedItems(settlements);
		if (applied.length) {
			const note = `Already applied in this run: ${itemList(applied)}. Running the same input again is safe: those come back as already present.`;
			failed.description = failed.description ? `${failed.description} ${note}` : note;
		}
		throw failed;
	}

	const notSent = (i: number, c: Checked<R>) => {
		const message = `${describeProblems(i, c.problems)} (not sent)`;
		const errors = c.problems.map((p) => describeProblems(i, [p]));
		return { message, errors };
	};
	if (settings.summary) {
		const out: INodeExecutionData[] = [];
		if (rejected.size) {
			const idx = [...rejected.keys()];
			out.push(
				okItem(
					{
						request: null,
						sent: false,
						records: idx.length,
						rejected: idx.length,
						message: 'Not sent: these records failed validation',
						rejectedRecords: idx.map((i) => ({ item: i, errors: notSent(i, rejected.get(i)!).errors })),
					},
					idx,
				),
			);
		}
		for (const s of settlements) if (s?.summary) out.push(s.summary);
		return out;
	}

	const out: INodeExecutionData[] = new Array(itemCount);
	for (const [i, c] of rejected) {
		const { message, errors } = notSent(i, c);
		out[i] = verdictItem(ctx, i, { id: c.id, campaignId: c.campaignId }, { outcome: 'rejected', message, errors }, settings.continueOnFail);
	}
	for (const s of settlements) if (s?.items) for (const item of s.items) out[(item.pairedItem as { item: number }).item] = item;
	return out.filter((x): x is INodeExecutionData => x !== undefined);
}

/** Validate Only: what each item would send, or every problem found; nothing is sent. */
function dryRun<R>(
	itemCount: number,
	rejected: Map<number, Checked<R>>,
	previews: IDataObject[],
	requests: number,
	callOptions: CallOptions | undefined,
): INodeExecutionData[] {
	const out: INodeExecutionData[] = new Array(itemCount);
	for (let i = 0; i < itemCount; i++) {
		const c = rejected.get(i);
		out[i] = okItem(
			c
				? { outcome: 'invalid', problems: c.problems.map((p) => describeProblems(i, [p])), wouldSend: previews[i] }
				: { outcome: 'valid', wouldSend: previews[i], requests, ...(callOptions ?? {}) },
			i,
		);
	}
	return out;
}

/** Input items whose records the API applied, in input order. */
function appliedItems(settlements: Settlement[]): number[] {
	const applied: number[] = [];
	for (const s of settlements) if (s) applied.push(...s.applied);
	return applied.sort((x, y) => x - y);
}

/**
 * A stop by the user ends the node whatever On Error says. The error says what the API had
 * applied, what was in flight (it may have been applied) and how much was never sent.
 */
function canceledRun<R>(
	ctx: IExecuteFunctions,
	op: BulkOperation<R>,
	itemCount: number,
	requests: Array<BulkRequest<R>>,
	settlements: Settlement[],
): NodeOperationError {
	const applied = appliedItems(settlements);
	const answered = settlements.filter((s) => s && !isCanceled(s.failure)).length;
	const inFlight = requests
		.filter((r) => {
			const failure = settlements[r.index]?.failure;
			return isCanceled(failure) && failure.requestSent;
		})
		.flatMap((r) => r.items)
		.sort((x, y) => x - y);
	const what = op.success === 'added' ? 'added or already present' : op.success;
	const notes = [applied.length ? `Already applied (${what}): ${itemList(applied)}.` : 'No record had been applied.'];
	if (inFlight.length) notes.push(`In flight when it stopped (they may have been applied): ${itemList(inFlight)}.`);
	const notSent = itemCount - applied.length - inFlight.length;
	if (notSent > 0) notes.push(`The other ${notSent} of ${itemCount} items were not applied (not sent, rejected, or not yet checked).`);
	notes.push('Running the same input again is safe: records already stored come back as already present.');
	return canceledError(
		ctx,
		`${op.name} canceled: the execution was stopped after ${answered} of ${requests.length} requests were answered; ${applied.length} records applied`,
		{ description: notes.join(' ') },
	);
}

/** Progress of a long run through n8n's logger: request k of n, counts so far. No record data. */
function progressLog<R>(ctx: IExecuteFunctions, op: BulkOperation<R>, itemCount: number) {
	const started = Date.now();
	const node = ctx.getNode().name;
	const totals = { answered: 0, records: 0, [op.success]: 0, alreadyPresent: 0, rejected: 0, failed: 0 };
	let planned: number | undefined;
	const counts = () =>
		`${totals[op.success]} ${op.success}, ${op.success === 'added' ? `${totals.alreadyPresent} already present, ` : ''}${totals.rejected} rejected, ${totals.failed} failed`;
	return {
		planned(n: number) {
			planned = n;
		},
		answered(req: BulkRequest<R>, s: Settlement) {
			if (isCanceled(s.failure)) return;
			totals.answered++;
			totals.records += req.items.length;
			totals[op.success] += s.counts.applied;
			totals.alreadyPresent += s.counts.alreadyPresent;
			totals.rejected += s.counts.rejected;
			totals.failed += s.counts.failed;
			const of = planned === undefined ? `${req.index + 1}+ (still checking records)` : String(planned);
			ctx.logger.info(
				`${node} (${op.name}): request ${req.index + 1} of ${of} answered (${req.items.length} records); so far ${totals.records} of ${itemCount} records: ${counts()}`,
				{ node, operation: op.name, request: req.index + 1, requests: planned, ...totals },
			);
		},
		finished() {
			ctx.logger.info(`${node} (${op.name}): ${totals.answered} requests answered in ${((Date.now() - started) / 1000).toFixed(1)} s: ${counts()}`, {
				node,
				operation: op.name,
				...totals,
			});
		},
	};
}
