/** Cuoral on the shared transport: base URL and API key from the credential; FastAPI-style errors made readable. */
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { baseClient } from '../shared/client';
import type { CommonOptionValues } from '../shared/descriptions';
import { redactValue } from '../shared/redact';
import type { ApiResponse } from '../shared/transport';
import { resolveBaseUrl } from '../shared/transport';
import { checkBaseUrl } from '../shared/url';

export const SERVICE = 'Cuoral';
export const CREDENTIAL = 'cuoralApi';
export const CUSTOMERS_PATH = '/external/v1/customers';

/** The credential's base URL, checked, without a trailing /external/v1 (the node adds it). */
export function cuoralRoot(url: string): string {
	return url.replace(/\/external\/v1$/i, '');
}

export function checkCuoralBaseUrl(raw: unknown): { url: string } | { problem: string } {
	const checked = checkBaseUrl(raw);
	return 'problem' in checked ? { problem: `Base URL ${checked.problem}` } : { url: cuoralRoot(checked.url) };
}

interface DetailEntry {
	loc?: unknown;
	msg?: unknown;
	type?: unknown;
}

/**
 * FastAPI's 422 `detail[]` as one line per field: "email: value is not a valid email address".
 * `body` is dropped from `loc`; a string `detail` is returned as is.
 */
export function describeDetail(body: unknown): string[] | undefined {
	const detail = (body as { detail?: unknown } | null)?.detail;
	if (typeof detail === 'string') return detail ? [detail] : undefined;
	if (!Array.isArray(detail)) return undefined;
	return detail.map((d: DetailEntry | unknown) => {
		if (!d || typeof d !== 'object') return String(d);
		const entry = d as DetailEntry;
		const loc = Array.isArray(entry.loc) ? entry.loc.filter((p, i) => !(i === 0 && p === 'body')).map(String) : [];
		const msg = typeof entry.msg === 'string' ? entry.msg : JSON.stringify(entry.msg ?? entry);
		return loc.length ? `${loc.join('.')}: ${msg}` : msg;
	});
}

const STATUS_HINTS: Record<number, string> = {
	401: "Cuoral refused the API key: check the key in the Cuoral credential (it is sent as 'Authorization: Bearer <key>').",
	403: 'The API key is valid but not allowed to create customers. Check its permissions in Cuoral.',
	404: "The endpoint was not found: check the credential's Base URL (the node adds /external/v1/customers).",
	500: 'Cuoral had an internal error. The customer may or may not have been created; check Cuoral before running this item again.',
};

export interface CuoralClient {
	createCustomer(body: IDataObject, itemIndex: number): Promise<ApiResponse>;
	error(response: Pick<ApiResponse, 'statusCode' | 'body'>, itemIndex: number): NodeApiError;
	secrets: readonly string[];
}

/** Create is not idempotent (a repeat makes a second customer): only never-applied failures are retried. */
export async function cuoralClient(ctx: IExecuteFunctions, options: CommonOptionValues): Promise<CuoralClient> {
	const credentials = await ctx.getCredentials(CREDENTIAL);
	const secrets = [String(credentials.apiKey ?? '')].filter(Boolean);
	const root = cuoralRoot(resolveBaseUrl(ctx, SERVICE, credentials.baseUrl));
	const client = baseClient(ctx, { credentialType: CREDENTIAL, credentials, service: SERVICE, secrets, options, idempotent: false });
	return {
		secrets,
		createCustomer: async (body, itemIndex) => await client.request('POST', root + CUSTOMERS_PATH, body, itemIndex),
		error: (response, itemIndex) => {
			const body = redactValue(response.body, secrets);
			const lines = describeDetail(body);
			if (response.statusCode === 422 && lines) {
				return new NodeApiError(ctx.getNode(), (body && typeof body === 'object' ? body : {}) as JsonObject, {
					message: `Cuoral rejected the customer: ${lines.join('; ')}`,
					description: 'Cuoral answered 422 (validation error); nothing was created for this item. Correct the field(s) named and run again.',
					httpCode: '422',
					itemIndex,
				});
			}
			const error = client.error(response, itemIndex, STATUS_HINTS[response.statusCode]);
			// vendorMessage reads a string `detail`; a list is spelled out here.
			if (lines && Array.isArray((body as { detail?: unknown }).detail)) {
				error.message = `${SERVICE} answered ${response.statusCode}: ${lines.join('; ')}`;
			}
			return error;
		},
	};
}
