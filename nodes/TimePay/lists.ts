/**
 * TimePay's page-numbered lists (campaigns, dispositions, call logs): one GET per page, the
 * answer `{ success, data: [...], pagination }` read into a Page. Campaigns and dispositions count
 * pages as `{ page, limit, total, totalPages }`, logs as `{ page, per_page, total, total_pages,
 * has_next }`; both are understood.
 */
import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod/v4';

import type { Page } from '../shared/paging';
import type { Query, TimePayClient } from './api';

const count = z.number().int().nonnegative();
const listAnswerSchema = z.object({
	data: z.array(z.record(z.string(), z.unknown())),
	pagination: z
		.object({
			page: count.optional(),
			total: count.optional(),
			totalPages: count.optional(),
			total_pages: count.optional(),
			has_next: z.boolean().optional(),
		})
		.passthrough(),
});

/** A listed record's identity (`id`, a log's `call_id`), or undefined when it has none. */
export function recordKey(field: 'id' | 'call_id'): (record: IDataObject) => string | undefined {
	return (record) => {
		const v = record[field];
		return (typeof v === 'string' && v !== '') || typeof v === 'number' ? String(v) : undefined;
	};
}

/** A record of a TimePay answer, or the data of a single-record answer (`{ success, data }`). */
export function dataOf(body: unknown): IDataObject | undefined {
	const data = (body as { data?: unknown } | undefined)?.data;
	return data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : undefined;
}

/** GET one record (`{ success, data: {...} }`); anything else throws the API's own message. */
export async function getOne(client: TimePayClient, path: string, itemIndex: number): Promise<IDataObject> {
	const res = await client.get(path, {}, itemIndex);
	const data = dataOf(res.body);
	if (res.statusCode < 200 || res.statusCode >= 300 || (res.body as { success?: unknown } | undefined)?.success === false || !data) {
		throw client.error(res, itemIndex);
	}
	return data;
}

/**
 * GET one page. A non-2xx answer, `success: false`, or an answer without the documented list and
 * page counts throws the API's own message (a list whose end cannot be told is never returned
 * as if it were complete).
 */
export async function getPage(client: TimePayClient, path: string, query: Query, page: number, itemIndex?: number): Promise<Page<IDataObject>> {
	const res = await client.get(path, { ...query, page }, itemIndex);
	const body = res.body as { success?: unknown } | undefined;
	if (res.statusCode < 200 || res.statusCode >= 300 || body?.success === false) throw client.error(res, itemIndex);
	const parsed = listAnswerSchema.safeParse(res.body);
	if (!parsed.success) {
		throw client.error(
			{ statusCode: res.statusCode, body: { message: `the answer to GET ${path} is not a list with page counts (data and pagination)` } },
			itemIndex,
		);
	}
	const { data, pagination: p } = parsed.data;
	// An answer for another page than the one asked for (a page number ignored or clamped) would
	// repeat records, and page counts read from it could loop: it is an error, not a page.
	if (p.page !== undefined && p.page !== page) {
		throw client.error({ statusCode: res.statusCode, body: { message: `asked for page ${page} of GET ${path}, the answer is page ${p.page}` } }, itemIndex);
	}
	const pages = p.totalPages ?? p.total_pages;
	const hasNext = p.has_next ?? (pages !== undefined ? page < pages : undefined);
	if (hasNext === undefined) {
		throw client.error({ statusCode: res.statusCode, body: { message: `the answer to GET ${path} does not say how many pages there are` } }, itemIndex);
	}
	return { items: data as IDataObject[], hasNext, total: p.total };
}
