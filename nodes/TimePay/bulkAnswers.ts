/**
 * Reading TimePay's bulk answers (Bulk Add, Bulk Update) record by record: 201/200 all applied,
 * 207 partial, 400 none applied; `invalidRecords[].index` is a position within the request,
 * `results.errors[].id` a record id.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Verdict } from '../shared/outcomes';
import type { BulkResults, CallOptions } from './schemas';

const DUPLICATE = /duplicate|already exist/i;

/**
 * TimePay starts a record's reasons with its position in the request ("Record 2: Invalid
 * phone_number"); each item's outcome already names the item, and the position would name it a
 * second time with another number. The rest is the API's own words.
 */
export function withoutRecordPosition(reason: string): string {
	return reason.replace(/^Record \d+:\s*/, '');
}

export interface BulkAnswerOptions {
	/** The outcome of a record the answer does not list as failed. */
	success: 'added' | 'updated';
	/** Bulk Add's call / workflow settings, to report callInitiated / callError per record. */
	callOptions?: CallOptions;
}

/** The outcome of each record of one request (`ids` in the order they were sent). */
export function mapBulkAnswer(ids: readonly string[], statusCode: number, body: BulkResults, opts: BulkAnswerOptions): Verdict[] {
	const message = body.message ?? `HTTP ${statusCode}`;
	const invalid = new Map<number, string[]>();
	for (const r of body.results?.invalidRecords ?? body.invalidRecords ?? []) invalid.set(r.index, r.errors?.length ? r.errors.map(withoutRecordPosition) : ['Invalid record']);
	const failed = new Map<string, { error?: string; reason?: string }>();
	for (const e of body.results?.errors ?? []) if (e.id !== undefined && e.id !== null) failed.set(String(e.id), e);
	const callErrors = new Map<string, string>();
	const callResults = body.callResults as { errors?: Array<{ id?: unknown; error?: unknown; reason?: unknown }> } | undefined;
	for (const e of callResults?.errors ?? []) {
		if (e && e.id !== undefined) callErrors.set(String(e.id), String(e.error ?? e.reason ?? 'Call could not be initiated'));
	}
	// "400 — All records failed": a record the answer does not list was not applied either.
	const restApplied = statusCode !== 400;
	const { callOptions } = opts;
	const notApplied: Verdict = { outcome: 'rejected', message, errors: [message] };
	const withCalls = Boolean((callOptions?.initiateCall && callResults) || (callOptions?.useWorkflow && body.workflowTriggered !== undefined));
	// Most records of a request share one verdict: one object for them all, not one each.
	const applied: Verdict = { outcome: opts.success, message };

	return ids.map((id, j): Verdict => {
		const problems = invalid.get(j);
		if (problems) return { outcome: 'rejected', message: problems.join('; '), errors: problems };
		const f = failed.get(id);
		if (f) {
			const reason = withoutRecordPosition(f.reason ?? f.error ?? `Failed (${opts.success === 'added' ? 'not added' : 'not updated'})`);
			if (opts.success === 'added' && DUPLICATE.test(`${f.error ?? ''} ${reason}`)) return { outcome: 'already present', message: reason };
			return { outcome: 'rejected', message: reason, errors: [reason] };
		}
		if (!restApplied) return notApplied;
		if (!withCalls) return applied;
		const extra: IDataObject = {};
		if (callOptions?.initiateCall && callResults) {
			const err = callErrors.get(id);
			extra.callInitiated = err === undefined;
			if (err !== undefined) extra.callError = err;
		}
		if (callOptions?.useWorkflow && body.workflowTriggered !== undefined) extra.workflowTriggered = body.workflowTriggered;
		return { outcome: opts.success, message, extra };
	});
}
