/**
 * Outcomes: every input item ends as exactly one output item, paired to it, saying what became of
 * it (added, updated, already present, rejected, ...) in the API's own words.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Settled } from './batching';
import { runPool } from './batching';
import { cancelSignal, canceledError, isCanceled } from './cancel';
import type { Problem } from './validation';
import { describeProblems } from './validation';

export type Outcome =
	| 'added'
	| 'updated'
	| 'already present'
	| 'created'
	| 'initiated'
	| 'partially initiated'
	| 'rejected'
	| 'valid'
	| 'invalid';

export function okItem(json: IDataObject, itemIndex: number | number[]): INodeExecutionData {
	return {
		json,
		pairedItem: Array.isArray(itemIndex) ? itemIndex.map((item) => ({ item })) : { item: itemIndex },
	};
}

/**
 * An item that failed, under continue-on-fail. Its json holds only `error`, `message` and
 * `details`: that is the shape n8n routes to the error output ("Continue (using error output)"),
 * where it merges the input item's fields back in; `details` keeps the outcome (`rejected`), the
 * record's id and the API's reasons. (`item.error` is not used: n8n replaces such an item's json
 * with the bare message, and the id and reasons would be lost.)
 */
export function failedItem(
	json: IDataObject,
	itemIndex: number | number[],
	error: NodeApiError | NodeOperationError,
): INodeExecutionData {
	const { message, ...rest } = json;
	const details: IDataObject = { outcome: 'rejected', ...rest };
	if (error.description && details.description === undefined) details.description = error.description;
	const httpCode = (error as NodeApiError).httpCode;
	if (httpCode && details.httpCode === undefined) details.httpCode = httpCode;
	return okItem({ error: error.message, message: String(message ?? error.message), details }, itemIndex);
}

export function validationError(ctx: IExecuteFunctions, itemIndex: number, problems: Problem[]): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), describeProblems(itemIndex, problems), {
		itemIndex,
		description: 'Nothing was sent for this item. Correct the field (or its expression) and run again.',
	});
}

/**
 * The error named after its item, once: "Item 3: TimePay answered 400: ...". An error that
 * already names an item (or items) is left as it is.
 */
export function namedForItem<E extends Error>(error: E, itemIndex: number): E {
	if (!/^Items? \d/.test(error.message)) error.message = `Item ${itemIndex}: ${error.message}`;
	return error;
}

export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error.message : String(error), { itemIndex });
}

/** What one item's preparation produced: a request to send, or the problems that stop it. */
export type Prepared<P> = { ok: true; payload: P; preview: IDataObject } | { ok: false; problems: Problem[]; preview?: IDataObject };
type PreparedOrThrown<P> = Prepared<P> | { ok: false; thrown: NodeApiError | NodeOperationError };

export interface PerItemRun<P> {
	items: INodeExecutionData[];
	concurrency: number;
	validateOnly: boolean;
	/** Reads the item's parameters and validates them; never sends anything. */
	prepare: (itemIndex: number) => Prepared<P> | Promise<Prepared<P>>;
	/** Sends one prepared request; returns the output json (with `outcome`) or throws a node error. */
	send: (payload: P, itemIndex: number) => Promise<IDataObject>;
}

/**
 * The per-item operations' loop. Every item is prepared (validated) before anything is sent;
 * requests then run with at most `concurrency` in flight.
 * - continue-on-fail off: an invalid item stops the node before any request; an API failure
 *   stops new requests and fails the node with that item's error.
 * - continue-on-fail on: each failure is that item's error item; the others go on.
 * - validate only: one item per input item saying what would be sent and every problem found.
 */
export async function runPerItem<P>(ctx: IExecuteFunctions, run: PerItemRun<P>): Promise<INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	const prepared: Array<PreparedOrThrown<P>> = [];
	for (let i = 0; i < run.items.length; i++) {
		try {
			prepared.push(await run.prepare(i));
		} catch (error) {
			// A parameter that could not be read (an expression error, a value not allowed): that
			// error, named after its item once.
			const thrown = namedForItem(asNodeError(ctx, error, i), i);
			if (!continueOnFail && !run.validateOnly) throw thrown;
			prepared.push({ ok: false, thrown });
		}
	}
	const failure = (p: PreparedOrThrown<P>, i: number) =>
		'thrown' in p ? p.thrown : validationError(ctx, i, (p as { problems: Problem[] }).problems);

	if (run.validateOnly) {
		return prepared.map((p, i) =>
			okItem(
				p.ok
					? { outcome: 'valid', wouldSend: p.preview }
					: 'thrown' in p
						? { outcome: 'invalid', problems: [p.thrown.message] }
						: { outcome: 'invalid', problems: p.problems.map((x) => describeProblems(i, [x])), ...(p.preview ? { wouldSend: p.preview } : {}) },
				i,
			),
		);
	}

	if (!continueOnFail) {
		const bad = prepared.findIndex((p) => !p.ok);
		if (bad >= 0) throw failure(prepared[bad], bad);
	}

	const indexes = prepared.map((_, i) => i);
	const signal = cancelSignal(ctx);
	const results = await runPool(
		indexes,
		run.concurrency,
		async (i) => {
			const p = prepared[i];
			if (!p.ok) throw failure(p, i);
			// Stopped by the user: no new request, whatever On Error says.
			if (signal?.aborted) throw canceledError(ctx, 'Canceled: the execution was stopped before this item was sent', { itemIndex: i });
			return await run.send(p.payload, i);
		},
		!continueOnFail,
	);
	if (results.some((r) => !r.ok && 'error' in r && isCanceled(r.error))) throw canceledRun(ctx, results);

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < results.length; i++) {
		const r = results[i];
		if (r.ok) {
			out.push(okItem(r.value, i));
			continue;
		}
		if ('skipped' in r) continue;
		// Every vendor's errors in one style: "Item 3: TimePay answered 400: ...".
		const error = namedForItem(asNodeError(ctx, r.error, i), i);
		if (!continueOnFail) throw withAppliedItems(error, results);
		out.push(failedItem({}, i, error));
	}
	return out;
}

/**
 * Without continue-on-fail one failed request fails the node, and n8n shows no output for the
 * items that had already been sent and accepted. The error names them, so that a re-run can
 * leave them out (creates repeated would be duplicates).
 */
function withAppliedItems<E extends NodeApiError | NodeOperationError>(error: E, results: Array<{ ok: boolean }>): E {
	const applied = results.flatMap((r, i) => (r.ok ? [i] : []));
	if (!applied.length) return error;
	const note = `Already sent and accepted in this run: ${itemList(applied)}. Running again sends them again; to keep going past failures, set On Error to "Continue (using error output)".`;
	error.description = error.description ? `${error.description} ${note}` : note;
	return error;
}

/**
 * A stop by the user, whatever On Error says: the error says which items were sent and accepted,
 * and which were in flight (they may have been applied), so that a re-run can leave them out.
 */
function canceledRun(ctx: IExecuteFunctions, results: Array<Settled<IDataObject>>): NodeOperationError {
	const applied = results.flatMap((r, i) => (r.ok ? [i] : []));
	const inFlight = results.flatMap((r, i) => (!r.ok && 'error' in r && isCanceled(r.error) && r.error.requestSent ? [i] : []));
	const notes = [applied.length ? `Already sent and accepted: ${itemList(applied)}.` : 'No item had been sent and accepted.'];
	if (inFlight.length) notes.push(`In flight when it stopped (they may have been applied): ${itemList(inFlight)}.`);
	if (applied.length || inFlight.length) notes.push('Running again sends them again.');
	return canceledError(ctx, `Canceled: the execution was stopped after ${applied.length} of ${results.length} items were sent and accepted`, {
		description: notes.join(' '),
	});
}

/** "item 4", "items 0, 1", "items 0–9999, 20000–29999 and 3 more": runs of three or more as ranges. */
export function itemList(indexes: readonly number[], most = 20): string {
	const parts: string[] = [];
	for (let k = 0; k < indexes.length; ) {
		let end = k;
		while (end + 1 < indexes.length && indexes[end + 1] === indexes[end] + 1) end++;
		if (end - k >= 2) parts.push(`${indexes[k]}–${indexes[end]}`);
		else for (let j = k; j <= end; j++) parts.push(String(indexes[j]));
		k = end + 1;
	}
	const shown = parts.length > most ? `${parts.slice(0, most).join(', ')} and ${parts.length - most} more` : parts.join(', ');
	return `item${indexes.length === 1 ? '' : 's'} ${shown}`;
}

export interface Verdict {
	outcome: Outcome;
	message: string;
	errors?: string[];
	extra?: IDataObject;
}

/**
 * One record's outcome as its output item. A rejected record is not a node failure (a 207 is
 * an answer, not an error); under continue-on-fail it carries `item.error`, so it goes to the
 * error output when the node has one.
 */
export function verdictItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	json: IDataObject,
	verdict: Verdict,
	continueOnFail: boolean,
): INodeExecutionData {
	json.outcome = verdict.outcome;
	json.message = verdict.message;
	if (verdict.errors) json.errors = [...verdict.errors]; // verdicts may be shared by many records
	if (verdict.extra) Object.assign(json, verdict.extra);
	if (verdict.outcome !== 'rejected' || !continueOnFail) return okItem(json, itemIndex);
	const prefix = `Item ${itemIndex}: `;
	const text = verdict.message.startsWith(prefix) ? verdict.message : prefix + verdict.message;
	const error = new NodeOperationError(ctx.getNode(), text, {
		itemIndex,
		description: verdict.errors?.join('; '),
	});
	return failedItem(json, itemIndex, error);
}

/**
 * Every item of a request that failed as a whole (connection, 401/403/404, 5xx): each error item's
 * message names its own item, in the style of every other error ("Item 3: TimePay answered 404: ...").
 */
export function requestFailedItems(
	entries: Array<{ item: number; json: IDataObject }>,
	error: NodeApiError | NodeOperationError,
): INodeExecutionData[] {
	const unnamed = (text: string) => text.replace(/^Items? [\d, –-]+: /, '');
	const said = error.description && !error.message.includes(error.description) ? ` (${error.description})` : '';
	const message = unnamed(error.message + said);
	return entries.map((e) => {
		const out = failedItem({ ...e.json, message: `Item ${e.item}: ${message}` }, e.item, error);
		out.json.error = `Item ${e.item}: ${unnamed(error.message)}`;
		return out;
	});
}
