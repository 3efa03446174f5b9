/**
 * What every vendor client builds the same way on the shared transport: one retry policy from the
 * node's options, a request function that fills in the credential, service, timeout, retry and
 * secrets of each call, and the plain apiError for an answer that is not a success. URLs, auth
 * details and the reading of answers stay with each vendor.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestMethods, NodeApiError } from 'n8n-workflow';

import type { CommonOptionValues } from './descriptions';
import type { ApiResponse, RequestContext } from './transport';
import { apiError, apiRequest, DEFAULT_RETRY, readCredential } from './transport';

export interface ClientSettings {
	/** A credential type name of this package. */
	credentialType: string;
	/** That credential as `ctx.getCredentials` returned it, read once for the whole execution. */
	credentials: ICredentialDataDecryptedObject;
	/** Shown in errors: "TimePay", "Kapture CRM", ... */
	service: string;
	/** Values to scrub from anything the calls report (tokens, passwords). */
	secrets: readonly string[];
	options: Pick<CommonOptionValues, 'maxAttempts' | 'timeoutSeconds'>;
	/** Whether a repeat of these requests can never create a duplicate (see RetryPolicy). */
	idempotent: boolean;
}

export interface BaseClient {
	/** One request to an absolute URL, retried as the options and `idempotent` allow. */
	request(
		method: IHttpRequestMethods,
		url: string,
		body?: IDataObject | IDataObject[],
		itemIndex?: number,
	): Promise<ApiResponse>;
	/** apiError for this service, its secrets scrubbed. */
	error(response: Pick<ApiResponse, 'statusCode' | 'body'>, itemIndex?: number, hint?: string): NodeApiError;
}

export function baseClient(ctx: RequestContext, settings: ClientSettings): BaseClient {
	const { credentialType, credentials, service, secrets, options, idempotent } = settings;
	const retry = { ...DEFAULT_RETRY, maxAttempts: options.maxAttempts, idempotent };
	const credential = readCredential(ctx, credentialType, credentials);
	return {
		request: async (method, url, body, itemIndex) =>
			await apiRequest(ctx, {
				credentialType,
				credentials: credential,
				service,
				method,
				url,
				body,
				timeoutMs: options.timeoutSeconds * 1000,
				retry,
				secrets,
				itemIndex,
			}),
		error: (response, itemIndex, hint) => apiError(ctx, { service, secrets }, response, itemIndex, hint),
	};
}
