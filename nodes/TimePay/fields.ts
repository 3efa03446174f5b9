/** TimePay customer fields per campaign type, for the resource mapper and for normalising input. */
import type { ResourceMapperField } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { setOwn } from '../shared/fieldValues';
import { isBlank, toIsoDateLoose, toNumberLoose, toStringLoose } from '../shared/normalize';
import type { CampaignKind } from './schemas';
import { PAYMENT_STATUSES } from './schemas';

type Kind = 'string' | 'number' | 'date' | 'status';
interface FieldSpec {
	id: string;
	name: string;
	kind: Kind;
	required: boolean;
	description: string;
}

const common = {
	first_name: { id: 'first_name', name: 'First Name', kind: 'string', required: true, description: "Customer's first name" },
	last_name: { id: 'last_name', name: 'Last Name', kind: 'string', required: true, description: "Customer's last name" },
	phone_number: { id: 'phone_number', name: 'Phone Number', kind: 'string', required: true, description: "Customer's primary contact number" },
	language: { id: 'language', name: 'Language', kind: 'string', required: false, description: 'Preferred language for the AI agent, e.g. english, hindi, tamil' },
} satisfies Record<string, FieldSpec>;

export const FIELDS: Record<CampaignKind, FieldSpec[]> = {
	debtCollection: [
		{ id: 'loan_id', name: 'Loan ID', kind: 'string', required: true, description: 'Unique identifier for the loan record' },
		common.first_name,
		common.last_name,
		common.phone_number,
		{ id: 'loan_amount', name: 'Loan Amount', kind: 'number', required: true, description: 'Total principal amount of the loan' },
		{ id: 'emi_amount', name: 'EMI Amount', kind: 'number', required: true, description: 'EMI amount due for the current billing cycle' },
		{ id: 'loan_period', name: 'Loan Period', kind: 'number', required: true, description: 'Total loan tenure in monthly installments' },
		{ id: 'current_emi', name: 'Current EMI', kind: 'number', required: true, description: 'Current installment number, e.g. 5 of 12' },
		{ id: 'emi_due_date', name: 'EMI Due Date', kind: 'date', required: true, description: 'Due date of the current EMI (YYYY-MM-DD; n8n dates are converted)' },
		{ id: 'payment_status', name: 'Payment Status', kind: 'status', required: true, description: 'bounced, pending, partial, paid or received' },
		common.language,
	],
	leadGeneration: [
		{ id: 'lead_id', name: 'Lead ID', kind: 'string', required: false, description: 'Unique identifier for the lead. When empty, the node derives one from the campaign, phone number, lead date and name, so that a retry or a re-run finds the lead instead of adding it twice.' },
		common.first_name,
		common.last_name,
		common.phone_number,
		{ id: 'lead_date', name: 'Lead Date', kind: 'date', required: true, description: 'Date the lead was captured (YYYY-MM-DD; n8n dates are converted)' },
		common.language,
	],
};

const FIELD_INDEX: Record<CampaignKind, Map<string, FieldSpec>> = {
	debtCollection: new Map(FIELDS.debtCollection.map((f) => [f.id, f])),
	leadGeneration: new Map(FIELDS.leadGeneration.map((f) => [f.id, f])),
};

export function resourceMapperFields(kind: CampaignKind): ResourceMapperField[] {
	return FIELDS[kind].map((f) => ({
		id: f.id,
		displayName: f.name,
		required: f.required,
		defaultMatch: f.id === 'loan_id' || f.id === 'lead_id',
		display: true,
		canBeUsedToMatch: f.id === 'loan_id' || f.id === 'lead_id',
		type: f.kind === 'number' ? 'number' : f.kind === 'status' ? 'options' : f.kind === 'date' ? 'string' : 'string',
		...(f.kind === 'status' ? { options: PAYMENT_STATUSES.map((s) => ({ name: s, value: s })) } : {}),
	}));
}

const STATUSES = new Set<unknown>(PAYMENT_STATUSES);

// One normaliser per field kind; a blank value (empty text, null) is undefined: not given.
const given = (v: unknown, normalize: (v: unknown) => unknown) => (isBlank(v) ? undefined : normalize(v));
const text = (v: unknown) => given(v, toStringLoose);
const number = (v: unknown) => given(v, toNumberLoose);
const date = (v: unknown) => given(v, toIsoDateLoose);
const status = (v: unknown) => given(v, (s) => (typeof s !== 'string' || STATUSES.has(s) ? s : s.trim().toLowerCase()));

/**
 * Each campaign type's record made in one go, its fields in FIELDS' order (a test holds them to
 * it): every record of a run has the same shape and none grows field by field, which a
 * 100,000-record run feels. A field not given is `undefined`, which JSON leaves out of the request
 * and the schema reads as missing.
 */
const RECORD: Record<CampaignKind, (v: Record<string, unknown>) => Record<string, unknown>> = {
	debtCollection: (v) => ({
		loan_id: text(v.loan_id),
		first_name: text(v.first_name),
		last_name: text(v.last_name),
		phone_number: text(v.phone_number),
		loan_amount: number(v.loan_amount),
		emi_amount: number(v.emi_amount),
		loan_period: number(v.loan_period),
		current_emi: number(v.current_emi),
		emi_due_date: date(v.emi_due_date),
		payment_status: status(v.payment_status),
		language: text(v.language),
	}),
	leadGeneration: (v) => ({
		lead_id: text(v.lead_id),
		first_name: text(v.first_name),
		last_name: text(v.last_name),
		phone_number: text(v.phone_number),
		lead_date: date(v.lead_date),
		language: text(v.language),
	}),
};

/**
 * The record to send, from mapped values: documented fields normalised, blanks left out (so the
 * schema says "is required" rather than "must not be empty" for an empty sheet cell), and, when
 * `includeOthers`, every other field passed through as a custom field — each as an own property,
 * whatever its name, so that a `__proto__` field is kept to be refused, never lost on the way.
 */
export function buildRecord(kind: CampaignKind, values: Record<string, unknown>, includeOthers: boolean): Record<string, unknown> {
	const record = RECORD[kind](values);
	if (includeOthers) {
		const index = FIELD_INDEX[kind];
		for (const key of Object.keys(values)) {
			if (!index.has(key) && !isBlank(values[key])) setOwn(record, key, values[key]);
		}
	}
	return record;
}

/**
 * A lead id for a record that has none: a UUID (version 5 layout) derived from the campaign and
 * the lead's phone number, date and name. TimePay would generate a random one, and then any retry
 * or re-run of the workflow would add the same lead again; this one is the same every time.
 */
export function stableLeadId(campaignId: string, record: Record<string, unknown>): string {
	const basis = JSON.stringify([campaignId, record.phone_number, record.lead_date, record.first_name, record.last_name]);
	const h = createHash('sha1').update(basis).digest();
	h[6] = (h[6] & 0x0f) | 0x50;
	h[8] = (h[8] & 0x3f) | 0x80;
	const hex = h.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
