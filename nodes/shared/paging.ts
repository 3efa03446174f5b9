/**
 * Reading page-numbered lists: one Return All / Limit loop for every "Get Many", and the per-item
 * runner of read operations. The loop stops on the API's own page counts; a page that fails
 * part-way fails the item (or, with continue-on-fail, becomes its error item) — never a partial
 * list that looks complete.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError, failedItem, namedForItem, okItem } from './outcomes';
import { isCanceled } from './cancel';
import { readChoice } from './params';
import { describeProblems } from './validation';

/** One page of a list, as the API counts it. */
export interface Page<T> {
	items: T[];
	/** Whether the API says another page follows (its `has_next`, or page < its page count). */
	hasNext: boolean;
	/** The API's count of all matching records, when it gives one. */
	total?: number;
}

export interface HowMany {
	returnAll: boolean;
	/** Applies when returnAll is off. */
	limit: number;
}

const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

/** Return All and Limit, named and shown as in n8n's own nodes. */
export function returnAllOrLimit(): INodeProperties[] {
	return [
		{ ...returnAllField },
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

export function readHowMany(ctx: IExecuteFunctions, itemIndex: number, defaultLimit = 50): HowMany {
	// An expression may give anything: "true"/"false" text is the switch, other values an error.
	const returnAll = readChoice<boolean>(ctx, returnAllField, itemIndex);
	if (returnAll) return { returnAll, limit: Infinity };
	// A Limit an expression made no number (or less than 1) would silently read the default.
	const raw = ctx.getNodeParameter('limit', itemIndex, defaultLimit) as unknown;
	const n = Math.floor(typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN);
	if (!Number.isFinite(n) || n < 1) {
		const problem = { field: 'Limit', value: raw, rule: 'must be a whole number of at least 1', parameter: true };
		throw new NodeOperationError(ctx.getNode(), describeProblems(itemIndex, [problem]), { itemIndex, description: 'Nothing was read.' });
	}
	return { returnAll, limit: n };
}

/**
 * Reads pages 1, 2, ... until the API says there is no next page, a page is empty, the API's
 * total is reached, or `howMany.limit` records are in hand. A failed page throws: its error says
 * which page failed and how much had been read, and nothing read before it is returned.
 *
 * `keyOf` names a record: one that comes again on a later page (records added while the pages
 * are read push the others down a page) is output once.
 */
export async function readPages<T>(
	fetchPage: (page: number) => Promise<Page<T>>,
	howMany: HowMany,
	keyOf?: (item: T) => string | undefined,
): Promise<T[]> {
	const out: T[] = [];
	const keys = new Set<string>();
	for (let page = 1; ; page++) {
		let answer: Page<T>;
		try {
			answer = await fetchPage(page);
		} catch (error) {
			throw withPageNote(error, page, out.length);
		}
		for (const item of answer.items) {
			if (out.length >= howMany.limit) break;
			const key = keyOf?.(item);
			if (key !== undefined) {
				if (keys.has(key)) continue;
				keys.add(key);
			}
			out.push(item);
		}
		const reachedTotal = answer.total !== undefined && out.length >= answer.total;
		if (!answer.hasNext || answer.items.length === 0 || out.length >= howMany.limit || reachedTotal) return out;
	}
}

/** A failed page's error, saying which page failed and what had been read before it. */
function withPageNote(error: unknown, page: number, read: number): unknown {
	if (page === 1 || !(error instanceof NodeApiError || error instanceof NodeOperationError)) return error;
	const note = `Page ${page} failed after ${page - 1} page${page === 2 ? '' : 's'} (${read} record${read === 1 ? '' : 's'}) had been read; no partial list is output.`;
	error.description = error.description ? `${error.description} ${note}` : note;
	return error;
}

/**
 * Runs a read for each input item: each record it returns becomes an output item paired to that
 * input item. A failed read fails the node, or under continue-on-fail becomes that item's error
 * item (and the other items still run). A stop by the user ends the node, whatever On Error says.
 */
export async function readEach(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	read: (itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			for (const json of await read(i)) out.push(okItem(json, i));
		} catch (error) {
			// Stopped by the user: the node's outcome, whatever On Error says (no later item is read).
			if (isCanceled(error)) throw asNodeError(ctx, error, i);
			// Named after its item once, as the per-item operations' errors are (runPerItem).
			const e = namedForItem(asNodeError(ctx, error, i), i);
			if (!continueOnFail) throw e;
			out.push(failedItem({}, i, e));
		}
	}
	return out;
}
