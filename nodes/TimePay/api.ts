/** TimePay on the shared transport: base URL and secrets from the credential, retry policy per operation. */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { baseClient } from '../shared/client';
import type { CommonOptionValues } from '../shared/descriptions';
import type { ApiResponse, RequestContext } from '../shared/transport';
import { resolveBaseUrl } from '../shared/transport';

export const SERVICE = 'TimePay';
export const CREDENTIAL = 'timePayApi';

/** Query parameters of a GET; empty values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

export interface TimePayClient {
	request(
		method: IHttpRequestMethods,
		path: string,
		body: IDataObject | IDataObject[],
		itemIndex?: number,
	): Promise<ApiResponse>;
	/** A GET with a query string (reads: retried on any transient failure, as a GET changes nothing). */
	get(path: string, query?: Query, itemIndex?: number): Promise<ApiResponse>;
	error(response: Pick<ApiResponse, 'statusCode' | 'body'>, itemIndex?: number): Error;
	secrets: readonly string[];
}

export function withQuery(path: string, query: Query = {}): string {
	const qs = new URLSearchParams();
	for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, String(v));
	const s = qs.toString();
	return s ? `${path}?${s}` : path;
}

/**
 * `idempotent`: whether the operation's requests can be repeated without a duplicate (records
 * keyed by loan_id/lead_id, PUT updates, reads). Initiate Calls and Create Campaign are not: a
 * repeat could place a call twice or make two campaigns, so they retry only what was never applied.
 */
export async function timePayClient(
	ctx: RequestContext,
	options: Pick<CommonOptionValues, 'maxAttempts' | 'timeoutSeconds'>,
	idempotent: boolean,
): Promise<TimePayClient> {
	const credentials = await ctx.getCredentials(CREDENTIAL);
	const baseUrl = resolveBaseUrl(ctx, SERVICE, credentials.baseUrl);
	const secrets = [String(credentials.token ?? '')].filter(Boolean);
	const client = baseClient(ctx, { credentialType: CREDENTIAL, credentials, service: SERVICE, secrets, options, idempotent });
	return {
		secrets,
		request: async (method, path, body, itemIndex) => await client.request(method, baseUrl + path, body, itemIndex),
		get: async (path, query, itemIndex) => await client.request('GET', baseUrl + withQuery(path, query), undefined, itemIndex),
		error: (response, itemIndex) =>
			client.error(
				response,
				itemIndex,
				response.statusCode === 401 ? 'Check the API token in the TimePay credential.' : undefined,
			),
	};
}
