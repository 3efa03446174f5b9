/** TimePay on the shared transport: base URL and secrets from the credential, retry policy per operation. */
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';

import { baseClient } from '../shared/client';
import type { CommonOptionValues } from '../shared/descriptions';
import type { ApiResponse } from '../shared/transport';
import { resolveBaseUrl } from '../shared/transport';

export const SERVICE = 'TimePay';
export const CREDENTIAL = 'timePayApi';

export interface TimePayClient {
	request(
		method: IHttpRequestMethods,
		path: string,
		body: IDataObject | IDataObject[],
		itemIndex?: number,
	): Promise<ApiResponse>;
	error(response: Pick<ApiResponse, 'statusCode' | 'body'>, itemIndex?: number): Error;
	secrets: readonly string[];
}

/**
 * `idempotent`: whether the operation's requests can be repeated without a duplicate (records
 * keyed by loan_id/lead_id, PUT updates). Initiate Calls and Create Campaign are not: a repeat
 * could place a call twice or make two campaigns, so they retry only what was never applied.
 */
export async function timePayClient(
	ctx: IExecuteFunctions,
	options: CommonOptionValues,
	idempotent: boolean,
): Promise<TimePayClient> {
	const credentials = await ctx.getCredentials(CREDENTIAL);
	const baseUrl = resolveBaseUrl(ctx, SERVICE, credentials.baseUrl);
	const secrets = [String(credentials.token ?? '')].filter(Boolean);
	const client = baseClient(ctx, { credentialType: CREDENTIAL, credentials, service: SERVICE, secrets, options, idempotent });
	return {
		secrets,
		request: async (method, path, body, itemIndex) => await client.request(method, baseUrl + path, body, itemIndex),
		error: (response, itemIndex) =>
			client.error(
				response,
				itemIndex,
				response.statusCode === 401 ? 'Check the API token in the TimePay credential.' : undefined,
			),
	};
}
