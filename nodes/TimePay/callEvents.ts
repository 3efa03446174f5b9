/**
 * What both TimePay triggers share: reading a call record (a webhook body or a call log) into
 * the same normalised fields, the event names, and the filters. Pure functions.
 *
 * Contract: shared/api-docs/timepay-calls-and-lookups.md. Where the page is silent (the webhook's
 * sample body was not readable) the record is read as the fields of Get Call Details, either at
 * the top level of the body or under `data`, and the event is `event`, else `status`.
 */
import type { IDataObject } from 'n8n-workflow';

export type Channel = 'call' | 'whatsapp';

/** The fields every trigger item carries, whatever the record looked like. */
export interface CallEvent extends IDataObject {
	/** `call_id` (WhatsApp: `message_id` when there is no `call_id`). */
	callId: string;
	/** Contacted, No Contact, Failed, or the WhatsApp event as sent. */
	event: string;
	channel: Channel;
	campaignId: string | null;
	campaignName: string | null;
	/** The `loan_id` (debt collection) or `lead_id` (lead generation). */
	customerId: string | null;
	customerIdField: 'loan_id' | 'lead_id' | null;
	name: string | null;
	phone: string | null;
	disposition: string | null;
	dispositionId: string | null;
	summary: string | null;
	extractedData: IDataObject;
	startTime: string | null;
	endTime: string | null;
	durationSeconds: number | null;
	agentId: string | null;
	recordingId: string | null;
	transcriptId: string | null;
	/** `<callId>:<event>`: the same for every delivery of one event (TimePay may deliver twice). */
	dedupeKey: string;
}

const CALL_EVENTS: Record<string, string> = {
	contacted: 'Contacted',
	nocontact: 'No Contact',
	failed: 'Failed',
};

/** Values of the Events filter. */
export const EVENT_FILTER_OPTIONS = [
	{ name: 'Contacted', value: 'Contacted', description: 'The call reached the customer' },
	{ name: 'No Contact', value: 'No Contact', description: 'Not answered, busy, switched off, …' },
	{ name: 'Failed', value: 'Failed', description: 'The call could not be placed or connected' },
	{ name: 'Any WhatsApp Event', value: 'whatsapp', description: 'Every WhatsApp message event, whatever its name' },
	{ name: 'Any Other Event', value: 'other', description: 'Call events with another name than the three above' },
];

const key = (v: string) => v.toLowerCase().replace(/[\s_-]+/g, '');

/** "no_contact", "NO CONTACT" → "No Contact"; other names are kept as sent (trimmed). */
export function canonicalEvent(raw: unknown): string {
	const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
	return CALL_EVENTS[key(text)] ?? text;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : null);

function isObject(v: unknown): v is IDataObject {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The call record inside a body: the body itself, or its `data` object when the body wraps it. */
export function recordOf(body: unknown): IDataObject | undefined {
	if (!isObject(body)) return undefined;
	if (str(body.call_id) === null && str(body.message_id) === null && isObject(body.data)) return body.data;
	return body;
}

/** The normalised fields of one record; `envelope` is the wrapping body (for its `event`). */
export function normalise(record: IDataObject, envelope: IDataObject = record): CallEvent | { problem: string } {
	const channel: Channel = [record.type, record.channel, envelope.type, envelope.event].some(
		(v) => typeof v === 'string' && /whatsapp/i.test(v),
	)
		? 'whatsapp'
		: 'call';
	const callId = str(record.call_id) ?? (channel === 'whatsapp' ? str(record.message_id) : null);
	if (callId === null) {
		return { problem: 'The body names no call: "call_id" is missing or empty' };
	}
	const event = canonicalEvent(envelope.event ?? record.event ?? record.status);
	const loan = str(record.loan_id);
	const lead = str(record.lead_id);
	const duration = Number(record.duration);
	return {
		callId,
		event,
		channel,
		campaignId: str(record.campaign_id),
		campaignName: str(record.campaign_name),
		customerId: loan ?? lead,
		customerIdField: loan !== null ? 'loan_id' : lead !== null ? 'lead_id' : null,
		name: str(record.name),
		phone: str(record.to) ?? str(record.phone),
		disposition: str(record.disposition),
		dispositionId: str(record.disposition_id),
		summary: str(record.summary),
		extractedData: isObject(record.extracted_data) ? record.extracted_data : {},
		startTime: str(record.start_time),
		endTime: str(record.end_time),
		durationSeconds: record.duration === undefined || record.duration === null || Number.isNaN(duration) ? null : duration,
		agentId: str(record.agent_id),
		recordingId: str(record.recording_id),
		transcriptId: str(record.transcript_id),
		dedupeKey: `${callId}:${event}`,
	};
}

export interface EventFilters {
	/** Values of EVENT_FILTER_OPTIONS; empty: every event. */
	events: string[];
	/** Campaign IDs; empty: every campaign. */
	campaignIds: string[];
	/** Disposition names or IDs, compared without case; empty: every disposition. */
	dispositions: string[];
}

/** A comma- or newline-separated list, or an array from an expression. */
export function listOf(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map((v) => String(v)) : typeof value === 'string' ? value.split(/[,\n]/) : [];
	return parts.map((p) => p.trim()).filter(Boolean);
}

/** Why the event does not pass the filters, or undefined when it does. */
export function filteredOut(e: CallEvent, f: EventFilters): string | undefined {
	if (f.events.length) {
		const known = Object.values(CALL_EVENTS).includes(e.event);
		const pass = f.events.some((want) =>
			want === 'whatsapp'
				? e.channel === 'whatsapp'
				: want === 'other'
					? e.channel === 'call' && !known
					: e.channel === 'call' && canonicalEvent(want) === e.event,
		);
		if (!pass) return `event "${e.event}"${e.channel === 'whatsapp' ? ' (WhatsApp)' : ''} is not selected`;
	}
	if (f.campaignIds.length && !f.campaignIds.includes(e.campaignId ?? '')) {
		return `campaign "${e.campaignId ?? ''}" is not selected`;
	}
	if (f.dispositions.length) {
		const have = [e.disposition, e.dispositionId].filter((x): x is string => x !== null).map(key);
		if (!f.dispositions.some((d) => have.includes(key(d)))) return `disposition "${e.disposition ?? ''}" is not selected`;
	}
	return undefined;
}

/** A deep copy with every occurrence of `secret` in a string replaced (the sender could echo it). */
export function withoutSecret<T>(value: T, secret: string): T {
	if (!secret) return value;
	const walk = (v: unknown): unknown => {
		if (typeof v === 'string') return v.includes(secret) ? v.split(secret).join('***') : v;
		if (Array.isArray(v)) return v.map(walk);
		if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.split(secret).join('***'), walk(x)]));
		return v;
	};
	return walk(value) as T;
}
