/**
 * Kapture CRM on the shared transport. The host is built from a subdomain that must be one DNS
 * label, so no credential value can send the token anywhere but <label>.kapturecrm.com (or the
 * explicit Base URL Override: https, or http on loopback).
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { baseClient } from '../shared/client';
import type { CommonOptionValues } from '../shared/descriptions';
import { redactValue } from '../shared/redact';
import type { ApiResponse } from '../shared/transport';
import { vendorMessage } from '../shared/transport';
import { checkBaseUrl } from '../shared/url';

export const SERVICE = 'Kapture CRM';
export const CREDENTIAL = 'kaptureCrmApi';
export const ADD_UPDATE_PATH = '/ms/customer/customer/api/v1/add-update';

/** One DNS label: letters, digits, hyphens; 1–63 characters; no hyphen first or last. */
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function checkSubdomain(raw: unknown): { subdomain: string } | { problem: string } {
	if (typeof raw !== 'string' || raw.trim() === '') return { problem: 'Subdomain is empty' };
	const s = raw.trim();
	if (s.length > 63) return { problem: `Subdomain is ${s.length} characters long; a DNS label has at most 63` };
	if (!DNS_LABEL.test(s)) {
		const shown = JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
		return {
			problem: `Subdomain ${shown} is not a single DNS label: use only letters, digits and hyphens (not first or last), e.g. "mycompany" for https://mycompany.kapturecrm.com`,
		};
	}
	return { subdomain: s.toLowerCase() };
}

/**
 * The API root from the credential: the Base URL Override when set (checked), else
 * https://<subdomain>.kapturecrm.com. The subdomain is checked in both cases: it is a required
 * field, and a bad one is refused rather than silently ignored.
 */
export function kaptureBaseUrl(credentials: ICredentialDataDecryptedObject): { url: string } | { problem: string } {
	const sub = checkSubdomain(credentials.subdomain);
	if ('problem' in sub) return sub;
	const override = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	if (override) {
		const checked = checkBaseUrl(override);
		return 'problem' in checked ? { problem: `Base URL Override ${checked.problem}` } : checked;
	}
	return { url: `https://${sub.subdomain}.kapturecrm.com` };
}

/** Kapture's own "failed" answers that mean the token is wrong. */
export const INVALID_AUTH = /invalid auth key/i;

export const AUTH_HINT =
	"The API token in the Kapture CRM credential is wrong, expired or disabled. Copy the token from Kapture again (it is sent as 'Authorization: Basic <token>', exactly as issued) and test the credential.";

export interface KaptureClient {
	addOrUpdate(body: IDataObject, itemIndex: number): Promise<ApiResponse>;
	/** The error for an answer that is not a success, HTTP 200 with status "failed" included. */
	error(response: Pick<ApiResponse, 'statusCode' | 'body'>, itemIndex: number): NodeApiError;
	secrets: readonly string[];
}

const STATUS_HINTS: Record<number, string> = {
	400: 'Kapture found the request invalid (bad parameters or missing data).',
	401: AUTH_HINT,
	403: 'The token is valid but lacks the permission to add or update customers. Ask your Kapture admin.',
	404: "The endpoint was not found: check the credential's Subdomain (or Base URL Override).",
	500: 'Kapture had an internal error. The customer may or may not have been saved; check Kapture before running this item again.',
};

/**
 * Add/update is not idempotent: a repeat of an add creates a second customer, and an update
 * that matches nothing adds one. Only failures that prove nothing was applied are retried.
 */
export async function kaptureClient(ctx: IExecuteFunctions, options: CommonOptionValues): Promise<KaptureClient> {
	const credentials = await ctx.getCredentials(CREDENTIAL);
	const secrets = [String(credentials.token ?? '')].filter(Boolean);
	const base = kaptureBaseUrl(credentials);
	if ('problem' in base) {
		throw new NodeOperationError(ctx.getNode(), `The Kapture CRM credential is not usable: ${base.problem}`, {
			description: 'Nothing was sent. Open the credential and correct it.',
		});
	}
	const client = baseClient(ctx, { credentialType: CREDENTIAL, credentials, service: SERVICE, secrets, options, idempotent: false });
	return {
		secrets,
		addOrUpdate: async (body, itemIndex) => await client.request('POST', base.url + ADD_UPDATE_PATH, body, itemIndex),
		error: (response, itemIndex) => {
			const own = vendorMessage(redactValue(response.body, secrets));
			const ok = response.statusCode >= 200 && response.statusCode < 300;
			if (own && INVALID_AUTH.test(own)) {
				return new NodeApiError(ctx.getNode(), redactValue(response.body, secrets) as JsonObject, {
					message: `Kapture CRM rejected the credential's API token (${own})`,
					description: AUTH_HINT,
					httpCode: String(response.statusCode),
					itemIndex,
				});
			}
			if (ok) {
				return new NodeApiError(ctx.getNode(), redactValue(response.body ?? {}, secrets) as JsonObject, {
					message: `Kapture CRM refused the customer: ${own ?? 'status "failed" without a message'}`,
					description: 'Kapture answered HTTP 200 with status "failed"; nothing was saved for this item.',
					httpCode: String(response.statusCode),
					itemIndex,
				});
			}
			return client.error(response, itemIndex, STATUS_HINTS[response.statusCode]);
		},
	};
}
