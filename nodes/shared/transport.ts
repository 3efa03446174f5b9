/**
 * The one request path of the package. Every vendor call goes through `apiRequest`:
 * auth through n8n's credential helpers (so proxies and credential settings apply), a timeout per
 * attempt, a retry policy with exponential backoff, jitter and Retry-After, and errors turned into
 * NodeApiError with the vendor's own words and no secret in them.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { cancelSignal, canceledError, pause } from './cancel';
import { redactText, redactValue } from './redact';
import { checkBaseUrl } from './url';

/** Where requests are made from: a node's execution, the editor loading a list (resource locators), or a polling trigger. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface RetryPolicy {
	/** Attempts in all, the first one included. */
	maxAttempts: number;
	/** First backoff delay; doubles each attempt, with jitter. */
	baseDelayMs: number;
	/** Backoff delays grow up to this. */
	maxDelayMs: number;
	/** The longest Retry-After honoured; a server asking for more ends the retries. */
	maxRetryAfterMs: number;
	/** No retry starts later than this after the first attempt began (attempts and waits together). */
	maxElapsedMs: number;
	/**
	 * Whether repeating the request can never create a duplicate (TimePay: records keyed by
	 * loan_id/lead_id). If false, only failures that prove the request was not applied are
	 * retried: connection refused, 429, and 503 with Retry-After.
	 */
	idempotent: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = {
	maxAttempts: 4,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
	maxElapsedMs: 300_000,
	idempotent: false,
};

export interface ApiCall {
	/** A credential type name of this package. */
	credentialType: string;
	/** Shown in errors: "TimePay", "Kapture CRM", ... */
	service: string;
	method: IHttpRequestMethods;
	/** Absolute URL (see resolveBaseUrl). */
	url: string;
	body?: IDataObject | IDataObject[];
	timeoutMs: number;
	retry: RetryPolicy;
	/** Values to scrub from anything the call reports (tokens, passwords). */
	secrets: readonly string[];
	/**
	 * The credential as this execution already read it with `getCredentials` (see readCredential).
	 * Handed to n8n's helper, which then applies it (its `authenticate`, proxy and SSRF rules as
	 * always) without fetching, decrypting and resolving it again for every request. Never leaves
	 * the execution.
	 */
	credentials?: ICredentialsDecrypted;
	itemIndex?: number;
}

export interface ApiResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

const CONNECTION_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const CONNECTION_WORDS: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNREFUSED: 'the connection was refused',
	ECONNABORTED: 'no answer',
	ETIMEDOUT: 'no answer',
	ESOCKETTIMEDOUT: 'no answer',
	EPIPE: 'the connection was closed while sending',
	EAI_AGAIN: 'the host name could not be resolved',
	ENOTFOUND: 'the host name was not found',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'the connection timed out',
};
/** Codes that prove the request never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let e: unknown = error;
	while (e && typeof e === 'object' && !seen.has(e)) {
		seen.add(e);
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
		const message = (e as { message?: unknown }).message;
		if (typeof message === 'string') {
			if (/timeout of \d+ms exceeded|timed out/i.test(message)) return 'ETIMEDOUT';
			if (/socket hang up/i.test(message)) return 'ECONNRESET';
		}
		e = (e as { cause?: unknown }).cause;
	}
	return undefined;
}

/** Retry-After in milliseconds (seconds or an HTTP date), if the answer carries one. */
export function retryAfterMs(headers: ApiResponse['headers'], now = Date.now()): number | undefined {
	const raw = headers['retry-after'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (value === undefined || value === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Backoff before attempt `attempt + 1`: base * 2^(attempt-1), "equal jitter", capped. */
export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
	const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(exp / 2 + (random() * exp) / 2);
}

function retryableStatus(status: number, policy: RetryPolicy, retryAfter: number | undefined): boolean {
	if (status === 429) return true;
	if (status === 503) return policy.idempotent || retryAfter !== undefined;
	if (status === 502 || status === 504) return policy.idempotent;
	return false;
}

/** Credential base URL, checked (https, or http on loopback only). */
export function resolveBaseUrl(ctx: RequestContext, service: string, raw: unknown, itemIndex = 0): string {
	const checked = checkBaseUrl(raw);
	if ('problem' in checked) {
		throw new NodeOperationError(ctx.getNode(), `The ${service} credential's Base URL ${checked.problem}`, {
			itemIndex,
			description: 'Open the credential and correct its Base URL.',
		});
	}
	return checked.url;
}

/**
 * Sends one request, with retries as the policy allows. Returns the final answer whatever its
 * status (the caller decides what a 207 or a 409 means); throws NodeApiError only when no
 * answer could be had (connection failures after the last attempt).
 */
export async function apiRequest(ctx: RequestContext, call: ApiCall): Promise<ApiResponse> {
	const { retry } = call;
	const started = Date.now();
	// JSON serialised here once, and sent as bytes: n8n's request helper (axios) deep-copies an
	// object body and drops every key named __proto__, constructor or prototype on the way (a
	// custom field called "constructor" would vanish unseen), and it parses JSON text again
	// before sending it; bytes go as they are.
	const body = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
	// A stop by the user ends a request in flight and any wait before a retry at once.
	const signal = cancelSignal(ctx);
	const canceled = (sent: boolean, waiting: boolean) => () =>
		canceledError(ctx, `${call.service} request canceled: the execution was stopped${waiting ? ' while waiting to retry' : ''}`, {
			itemIndex: call.itemIndex,
			requestSent: sent,
		});
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw canceled(attempt > 1, attempt > 1)();
		const options: IHttpRequestOptions = {
			method: call.method,
			url: call.url,
			headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
			body,
			json: true,
			timeout: call.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// An API answer, not a page: a redirect is reported, never followed. Following would turn
			// a POST into a GET (301/302) or re-send the body and the credential to whatever host the
			// Location names; it also saves the redirect wrapper's work on every request.
			disableFollowRedirect: true,
			abortSignal: signal,
		};
		let response: ApiResponse | undefined;
		let failure: { code: string; error: unknown } | undefined;
		try {
			const full = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				call.credentialType,
				options,
				// A copy per request: the helper may merge pre-authentication data into it.
				call.credentials ? { credentialsDecrypted: { ...call.credentials, data: { ...call.credentials.data } } } : undefined,
			)) as {
				statusCode: number;
				headers: ApiResponse['headers'];
				body: unknown;
			};
			response = { statusCode: full.statusCode, headers: full.headers ?? {}, body: parseBody(full.body) };
		} catch (error) {
			if (signal?.aborted) throw canceled(true, false)();
			const code = errorCode(error);
			if (!code) throw sanitizeError(ctx, error, call);
			failure = { code, error };
		}

		let delay: number | undefined;
		let limit = retry.maxDelayMs;
		if (response) {
			const after = retryAfterMs(response.headers);
			if (!retryableStatus(response.statusCode, retry, after)) return response;
			delay = after ?? backoffMs(retry, attempt);
			if (after !== undefined) limit = retry.maxRetryAfterMs;
		} else if (failure) {
			const safe = retry.idempotent || NOT_SENT_CODES.has(failure.code);
			if (safe) delay = backoffMs(retry, attempt);
		}
		const canRetry =
			delay !== undefined &&
			attempt < retry.maxAttempts &&
			delay <= limit &&
			Date.now() - started + delay <= retry.maxElapsedMs;
		if (!canRetry) {
			if (response) return response;
			throw connectionError(ctx, call, failure!.code, attempt);
		}
		await pause(delay!, signal, canceled(true, true));
	}
}

/**
 * A credential this execution read with `getCredentials`, in the shape n8n's helper takes for one
 * already read (n8n's RoutingNode hands it over the same way).
 */
export function readCredential(ctx: RequestContext, type: string, data: ICredentialDataDecryptedObject): ICredentialsDecrypted {
	const ref = ctx.getNode().credentials?.[type];
	return { id: ref?.id ?? '', name: ref?.name ?? type, type, data };
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string' && /^\s*[[{]/.test(body)) {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	return body;
}

function connectionError(ctx: RequestContext, call: ApiCall, code: string, attempts: number): NodeApiError {
	const host = safeHost(call.url);
	// In words: NodeApiError swaps a message that contains a raw code (ECONNRESET, ...) for its
	// generic text, which would hide the host and the attempts.
	const what = CONNECTION_WORDS[code] ?? 'the connection failed';
	const timing = code === 'ETIMEDOUT' || code === 'ECONNABORTED' ? ` within ${call.timeoutMs} ms` : '';
	const notRetried =
		!call.retry.idempotent && !NOT_SENT_CODES.has(code)
			? ' Not retried: the request may already have been applied, and repeating it could create a duplicate.'
			: '';
	return new NodeApiError(
		ctx.getNode(),
		// Not `code`: NodeApiError would replace our message with its generic text for that code.
		{ connectionError: code, host, attempts } as JsonObject,
		{
			message: `Could not reach ${call.service} at ${host}: ${what}${timing} (${attempts} attempt${attempts === 1 ? '' : 's'})`,
			description: `${code}. Check the network and the credential's Base URL.${notRetried}`,
			itemIndex: call.itemIndex,
		},
	);
}

function safeHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the configured host';
	}
}

/** Any other error from the helpers, with every secret removed from its text. */
function sanitizeError(ctx: RequestContext, error: unknown, call: ApiCall): Error {
	if (error instanceof NodeOperationError && !(error instanceof NodeApiError)) {
		error.message = redactText(error.message, call.secrets);
		if (error.description) error.description = redactText(error.description, call.secrets);
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeApiError(ctx.getNode(), { message: redactText(message, call.secrets) } as JsonObject, {
		message: `${call.service} request failed: ${redactText(message, call.secrets)}`,
		itemIndex: call.itemIndex,
	});
}

/** The vendor's own message from an error body: `message`, `error`, `errors[]`, `detail`. */
export function vendorMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() ? body.slice(0, 500) : undefined;
	if (!body || typeof body !== 'object') return undefined;
	const b = body as Record<string, unknown>;
	if (typeof b.message === 'string' && b.message) return b.message;
	if (typeof b.error === 'string' && b.error) return b.error;
	if (typeof b.detail === 'string' && b.detail) return b.detail;
	return undefined;
}

/** NodeApiError for a non-success answer, carrying the vendor's message, status and details. */
export function apiError(
	ctx: RequestContext,
	call: Pick<ApiCall, 'service' | 'secrets'>,
	response: Pick<ApiResponse, 'statusCode' | 'body'>,
	itemIndex?: number,
	hint?: string,
): NodeApiError {
	const body = redactValue(response.body, call.secrets);
	const own = vendorMessage(body) ?? `HTTP ${response.statusCode}`;
	const details = Array.isArray((body as IDataObject)?.errors)
		? ((body as IDataObject).errors as unknown[]).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ')
		: undefined;
	const redirect =
		response.statusCode >= 300 && response.statusCode < 400
			? "A redirect, which the node does not follow (it would re-send the request and the credential elsewhere): check the credential's Base URL."
			: undefined;
	const error = new NodeApiError(
		ctx.getNode(),
		(body && typeof body === 'object' ? body : { message: own }) as JsonObject,
		{
			message: `${call.service} answered ${response.statusCode}: ${own}`,
			description: [details, hint, redirect].filter(Boolean).join(' — ') || undefined,
			httpCode: String(response.statusCode),
			itemIndex,
		},
	);
	return error;
}
