import { createHash, timingSafeEqual } from 'crypto';
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { CallEvent } from './callEvents';
import { EVENT_FILTER_OPTIONS, filteredOut, listOf, normalise, recordOf, withoutSecret } from './callEvents';

export const WEBHOOK_CREDENTIAL = 'timePayWebhookApi';

/** The secret as configured, without a "Bearer " someone pasted along with it. */
export function configuredSecret(raw: unknown): string {
	return String(raw ?? '')
		.trim()
		.replace(/^Bearer\s+/i, '');
}

/** Whether an Authorization header carries `Bearer <secret>`. Constant time: both sides are hashed first. */
export function bearerMatches(header: unknown, secret: string): boolean {
	const value = Array.isArray(header) ? header[0] : header;
	const m = typeof value === 'string' ? /^\s*Bearer\s+(.+?)\s*$/i.exec(value) : null;
	const given = createHash('sha256')
		.update(m ? m[1] : '')
		.digest();
	const expected = createHash('sha256').update(secret).digest();
	// Hashing makes the lengths equal, so timingSafeEqual never throws and time does not depend on where they differ.
	return timingSafeEqual(given, expected) && m !== null && secret !== '';
}

/** The request as n8n hands it over: an http.IncomingMessage with n8n's body helpers. */
interface WebhookRequest {
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
}

interface PlainResponse {
	headersSent?: boolean;
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body: string): unknown;
}

function answer(res: PlainResponse, status: number, body: IDataObject): IWebhookResponseData {
	if (!res.headersSent) {
		res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify(body));
	}
	return { noWebhookResponse: true };
}

/**
 * The body as sent. The node reads it itself (see the hidden `options` parameter), so the secret
 * is checked before any of it is read, and a body that is not JSON gets this node's 400.
 */
async function readBody(req: WebhookRequest): Promise<{ value: unknown } | { problem: string }> {
	if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
	let value: unknown = req.body;
	if (Buffer.isBuffer(req.rawBody)) value = req.rawBody.toString('utf8');
	if (typeof value === 'string') {
		const text = value.replace(/^\uFEFF/, '');
		if (text.trim() === '') return { problem: 'The body is empty: TimePay sends each call event as a JSON object' };
		try {
			value = JSON.parse(text);
		} catch (error) {
			return { problem: `The body is not JSON (${(error as Error).message}): TimePay sends each call event as a JSON object` };
		}
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return { problem: 'The body is not a JSON object: TimePay sends each call event as a JSON object' };
	}
	return { value };
}

/** Why a secret cannot protect the webhook, or undefined when it can. */
export function secretProblem(secret: string): string | undefined {
	if (!secret) return 'The webhook secret is empty';
	if (/\s/.test(secret)) return 'The webhook secret contains spaces or line breaks';
	if (secret.length < 16) return `The webhook secret has ${secret.length} characters; use at least 16 (e.g. a random 32-character string)`;
	return undefined;
}

export class TimePayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TimePay Trigger',
		name: 'timePayTrigger',
		icon: { light: 'file:../../icons/timepay.svg', dark: 'file:../../icons/timepay.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).length ? "Events: " + $parameter["events"].join(", ") : "All call events" }}',
		description: 'Starts the workflow when TimePay reports a completed call or a WhatsApp event (webhook)',
		defaults: { name: 'TimePay Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'timePayWebhookApi', required: true, testedBy: 'timePayWebhookSecretTest' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// 200 as soon as the execution is started, with an empty body (TimePay needs only the status).
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'timepay',
			},
		],
		triggerPanel: {
			header: 'Register the Production URL with TimePay',
			executionsHelp: {
				inactive:
					'TimePay posts each completed call to the URL it was given. While you build, click "Listen for test event" and register the Test URL, or send a sample with curl. Then register the <b>Production URL</b> with TimePay and publish the workflow.',
				active:
					'The workflow is published: each call TimePay posts to the Production URL with the right secret starts one execution. Deliveries with a wrong or missing secret are answered 401 and start nothing.',
			},
			activationHint:
				'Give TimePay the Production URL above and the secret of this node\'s credential, then publish the workflow.',
		},
		properties: [
			{
				displayName:
					'Give TimePay this node\'s <b>Production URL</b> (under "Webhook URLs" above) and the secret stored in the credential. TimePay then POSTs every completed call, with "Authorization: Bearer &lt;secret&gt;". A repeat of the same event carries the same <code>dedupeKey</code>: drop repeats with n8n\'s Remove Duplicates node.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENT_FILTER_OPTIONS,
				default: [],
				description:
					'Which events start the workflow; none selected: every event. A delivery filtered out is answered 200 and starts nothing.',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Campaign IDs',
						name: 'campaignIds',
						type: 'string',
						default: '',
						placeholder: 'camp_abc123, camp_def456',
						description: 'Only events of these campaigns (comma-separated IDs)',
					},
					{
						displayName: 'Dispositions',
						name: 'dispositions',
						type: 'string',
						default: '',
						placeholder: 'Promise to Pay, Already Paid',
						description: 'Only events with one of these dispositions: names or IDs, comma-separated, compared without case',
					},
				],
			},
			{
				// n8n parses a version-1 webhook's body before the node runs unless this is set (the
				// Webhook node's "binary data" switch); with it the node reads the body itself, so the
				// secret is checked before the body is read, and a body that is not JSON gets this
				// node's 400 instead of n8n's generic 422.
				displayName: 'Read Body in Node',
				name: 'options',
				type: 'hidden',
				default: { binaryData: true },
			},
		],
	};

	methods = {
		credentialTest: {
			/** Nothing to call: TimePay only sends this secret. Checks that it is usable as one. */
			async timePayWebhookSecretTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const raw = String(credential.data?.secret ?? '');
				const secret = configuredSecret(raw);
				const problem = secretProblem(secret);
				if (problem) return { status: 'Error', message: problem };
				const note = raw.trim() !== secret ? ' ("Bearer " is not part of the secret and is ignored)' : '';
				return { status: 'OK', message: `The secret is usable${note}. Give the same value to TimePay.` };
			},
		},
	};

	/**
	 * TimePay has no API to register, look up or remove a webhook: the user gives TimePay the
	 * Production URL and the secret. What activation can do is refuse a secret that could not
	 * protect the URL (every delivery would be refused, or anyone could guess it), so the
	 * workflow does not go live answering 401 to TimePay unnoticed.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Nothing is registered on TimePay's side by n8n: always run create's check.
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials(WEBHOOK_CREDENTIAL);
				const problem = secretProblem(configuredSecret(credentials.secret));
				if (problem) {
					throw new NodeOperationError(this.getNode(), `${problem}: TimePay deliveries could not be checked`, {
						description: 'Set a secret of at least 16 characters in the TimePay Webhook credential, give the same value to TimePay, and publish again.',
					});
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// Nothing to remove at TimePay through n8n; deliveries to an unpublished workflow get n8n's 404.
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as WebhookRequest;
		const res = this.getResponseObject() as unknown as PlainResponse;
		const credentials = await this.getCredentials(WEBHOOK_CREDENTIAL);
		const secret = configuredSecret(credentials.secret);

		// The secret first: nothing of an unauthenticated delivery is read, answered with detail or kept.
		if (!bearerMatches(req.headers.authorization, secret)) {
			return answer(res, 401, { message: 'Unauthorized: missing or wrong "Authorization: Bearer <secret>"' });
		}

		const body = await readBody(req);
		if ('problem' in body) return answer(res, 400, { message: body.problem });
		const envelope = withoutSecret(body.value as IDataObject, secret);
		const record = recordOf(envelope) ?? envelope;
		const event = normalise(record, envelope);
		if ('problem' in event) return answer(res, 400, { message: event.problem });

		const filters = this.getNodeParameter('filters', {}) as IDataObject;
		const why = filteredOut(event, {
			events: listOf(this.getNodeParameter('events', [])),
			campaignIds: listOf(filters.campaignIds),
			dispositions: listOf(filters.dispositions),
		});
		if (why) return { webhookResponse: { received: true, started: false, reason: `Filtered out: ${why}` } };

		const json: CallEvent & { body: IDataObject } = { ...event, body: envelope };
		return { workflowData: [[{ json }]] };
	}
}
