/**
 * The lists behind the Campaign ID and Disposition ID pickers (resource locators, "From List").
 * The editor's search box is sent as TimePay's `search`; scrolling asks for the next page
 * (paginationToken = the next page number). A list that cannot be loaded throws the API's own
 * message, which the editor shows in the picker — never an empty list that hides the cause.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { timePayClient } from '../api';
import { getPage } from '../lists';

/** Campaigns per picker page (TimePay's default is 10; more means fewer requests while scrolling). */
export const CAMPAIGNS_PER_PAGE = 50;
/** The editor waits for a picker: fewer attempts and a shorter timeout than an execution. */
const PICKER = { maxAttempts: 2, timeoutSeconds: 20 };

function pageNumber(token: string | undefined): number {
	const n = Number(token);
	return Number.isInteger(n) && n >= 1 ? n : 1;
}

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

async function search(
	ctx: ILoadOptionsFunctions,
	path: string,
	query: IDataObject,
	describe: (record: IDataObject) => string,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const client = await timePayClient(ctx, PICKER, true);
	const page = pageNumber(paginationToken);
	const answer = await getPage(client, path, { ...(query as Record<string, number>), search: filter?.trim() || undefined }, page);
	return {
		results: answer.items
			.filter((r) => text(r.id))
			.map((r) => ({ name: text(r.name) || text(r.id), value: text(r.id), description: describe(r) })),
		paginationToken: answer.hasNext && answer.items.length ? String(page + 1) : undefined,
	};
}

export async function searchCampaigns(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await search(
		this,
		'/campaigns',
		{ limit: CAMPAIGNS_PER_PAGE },
		(c) => [text(c.id), text(c.status), text(c.campaign_type)].filter(Boolean).join(' · '),
		filter,
		paginationToken,
	);
}

export async function searchDispositions(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await search(this, '/dispositions', {}, (d) => [text(d.id), text(d.description)].filter(Boolean).join(' · '), filter, paginationToken);
}
