/**
 * The Acqueon LCM gateway on the shared transport: one POST of the message envelope to the
 * gateway URL, auth through the credential, and the answer read as a CreateContactResponse.
 * Create Contact is not idempotent (a repeat creates a second contact), so only failures that
 * prove the message was never applied are retried (connection refused, 429, 503 + Retry-After).
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { acqueonSecrets } from '../../credentials/AcqueonLcmApi.credentials';
import { baseClient } from '../shared/client';
import { textOf } from '../shared/normalize';
import type { CommonOptionValues } from '../shared/descriptions';
import type { ApiResponse } from '../shared/transport';
import { checkBaseUrl } from '../shared/url';
import type { CreateContactMessage } from './schemas';
import { createContactResponseSchema } from './schemas';

export const SERVICE = 'Acqueon LCM';
export const CREDENTIAL = 'acqueonLcmApi';
export const RESPONSE_SUBTOPIC = 'CreateContactResponse';

export interface AcqueonClient {
	source: string;
	secrets: readonly string[];
	send(message: CreateContactMessage, itemIndex: number): Promise<ApiResponse>;
	/** The LCM key of a successful answer; throws NodeApiError with the gateway's own text otherwise. */
	lcmKeyOf(response: ApiResponse, itemIndex: number): string;
}

/** Source application name and gateway URL from the credential, checked. */
export async function readGateway(
	ctx: IExecuteFunctions,
): Promise<{ url: string; source: string; secrets: string[]; credentials: ICredentialDataDecryptedObject }> {
	const credentials = await ctx.getCredentials(CREDENTIAL);
	const checked = checkBaseUrl(credentials.gatewayUrl);
	if ('problem' in checked) {
		throw new NodeOperationError(ctx.getNode(), `The ${SERVICE} credential's Gateway URL ${checked.problem}`, {
			description: 'Open the credential and correct its Gateway URL.',
		});
	}
	const source = String(credentials.source ?? '').trim() || 'n8n';
	return { url: checked.url, source, secrets: acqueonSecrets(credentials), credentials };
}

type Verdict = { ok: true; lcmKey: string } | { ok: false; text: string };

function parseMaybeJson(value: unknown): unknown {
	if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return value;
	}
}

/** The gateway's own words in any answer: message.error, message.response, message, error. */
export function gatewayText(body: unknown): string | undefined {
	body = parseMaybeJson(body);
	if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 500) : undefined;
	if (!body || typeof body !== 'object') return undefined;
	const b = body as IDataObject;
	const message = parseMaybeJson(b.message);
	if (message && typeof message === 'object') {
		const m = message as IDataObject;
		for (const k of ['error', 'Error', 'errorMessage', 'response', 'message']) {
			const t = textOf(m[k]);
			if (t) return t;
		}
	}
	for (const v of [message, b.error, b.detail]) {
		const t = textOf(v);
		if (t) return t;
	}
	return undefined;
}

const ERROR_WORDS = /^(error|failed|failure|exception|invalid)\b/i;

/** What an answer means: the LCM key, or the reason it is not one (in the gateway's words). */
export function interpretResponse(response: Pick<ApiResponse, 'statusCode' | 'body'>): Verdict {
	const { statusCode } = response;
	const body = parseMaybeJson(response.body);
	if (statusCode < 200 || statusCode >= 300) return { ok: false, text: gatewayText(body) ?? `HTTP ${statusCode}` };
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		const t = textOf(body);
		return { ok: false, text: `The answer is not a ${RESPONSE_SUBTOPIC} message${t ? `: ${t.slice(0, 300)}` : ' (empty body)'}` };
	}
	const b: IDataObject = { ...(body as IDataObject) };
	b.message = parseMaybeJson(b.message) as IDataObject;
	const parsed = createContactResponseSchema.safeParse(b);
	const subtopic = typeof b.subtopic === 'string' ? b.subtopic.trim() : undefined;
	const own = gatewayText(b);
	if (subtopic !== RESPONSE_SUBTOPIC) {
		const what = subtopic === undefined ? 'has no subtopic' : `has subtopic "${subtopic}"`;
		return { ok: false, text: `The answer ${what}, not ${RESPONSE_SUBTOPIC}${own ? `: ${own}` : ''}` };
	}
	if (!parsed.success) {
		return { ok: false, text: `The ${RESPONSE_SUBTOPIC} has no message object${own ? `: ${own}` : ''}` };
	}
	const { message } = parsed.data;
	const error = textOf(message.error);
	if (error) return { ok: false, text: error };
	const key = textOf(message.response);
	if (!key) return { ok: false, text: `The ${RESPONSE_SUBTOPIC} carries no LCM key (message.response is empty)` };
	if (ERROR_WORDS.test(key)) return { ok: false, text: key };
	return { ok: true, lcmKey: key };
}

export async function acqueonClient(ctx: IExecuteFunctions, options: CommonOptionValues): Promise<AcqueonClient> {
	const gateway = await readGateway(ctx);
	const { secrets, credentials } = gateway;
	const client = baseClient(ctx, { credentialType: CREDENTIAL, credentials, service: SERVICE, secrets, options, idempotent: false });
	return {
		source: gateway.source,
		secrets,
		send: async (message, itemIndex) =>
			await client.request('POST', gateway.url, message as unknown as IDataObject, itemIndex),
		lcmKeyOf: (response, itemIndex) => {
			const verdict = interpretResponse(response);
			if (verdict.ok) return verdict.lcmKey;
			const hint =
				response.statusCode === 401 || response.statusCode === 403
					? 'Check the user name and password (or the token) in the Acqueon LCM credential.'
					: response.statusCode >= 200 && response.statusCode < 300
						? 'The gateway answered, but not with an LCM key: no contact is known to have been created.'
						: undefined;
			throw client.error(
				{ statusCode: response.statusCode, body: { message: verdict.text, answer: response.body ?? null } as IDataObject },
				itemIndex,
				hint,
			);
		},
	};
}

/** "77|1|18|0|0|84|0" → ["77", "1", "18", "0", "0", "84", "0"] */
export function splitLcmKey(key: string): string[] {
	return key.split('|');
}
