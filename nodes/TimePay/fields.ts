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

function normalizeValue(kind: Kind, v: unknown): unknown {
	if (kind === 'number') return toNumberLoose(v);
	if (kind === 'date') return toIsoDateLoose(v);
	if (kind === 'status') return typeof v !== 'string' || STATUSES.has(v) ? v : v.trim().toLowerCase();
	return toStringLoose(v);
}

/**
 * The record to send, from mapped values: documented fields normalised, blanks dropped (so the
 * schema says "is required" rather than "must not be empty" for an empty sheet cell), and, when
 * `includeOthers`, every other field passed through as a custom field — each as an own property,
 * whatever its name, so that a `__proto__` field is kept to be refused, never lost on the way.
 */
export function buildRecord(kind: CampaignKind, values: Record<string, unknown>, includeOthers: boolean): Record<string, unknown> {
	const index = FIELD_INDEX[kind];
	const record: Record<string, unknown> = {};
	for (const f of FIELDS[kind]) {
		const v = values[f.id];
		if (!isBlank(v)) record[f.id] = normalizeValue(f.kind, v);
	}
	if (includeOthers) {
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
