/**
 * Call → Initiate (the call trigger): POST /initiate/{campaignId}/calls. One request per item,
 * or one request for all items with `ids` gathered from a field, so that it chains straight after
 * Add / Bulk Add without a Code node.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { commonOptions, readCommonOptions, optionsField } from '../../../shared/descriptions';
import { isCanceled } from '../../../shared/cancel';
import { asNodeError, failedItem, okItem, runPerItem, validationError } from '../../../shared/outcomes';
import type { Problem } from '../../../shared/validation';
import { checkExactly, problemsOf } from '../../../shared/validation';
import { timePayClient } from '../../api';
import type { InitiateCallsBody } from '../../schemas';
import { campaignIdSchema, initiateCallsBodySchema, PAYMENT_STATUSES } from '../../schemas';
import { listOf, textOf } from '../../../shared/normalize';
import { checkChoice, readChoice } from '../../../shared/params';
import { callConfigFields, campaignIdField, readCallConfig, readId } from '../ids';

const DEFAULTS = { concurrency: 2, timeoutSeconds: 120 };
const show = { resource: ['call'], operation: ['initiate'] };

const requestModeField: INodeProperties = {
	displayName: 'Send',
	name: 'requestMode',
	type: 'options',
	options: [
		{
			name: 'One Request for All Items',
			value: 'allItems',
			description: 'Call the customers whose IDs the input items carry (e.g. the output of Add or Bulk Add), in one request',
		},
		{ name: 'One Request per Item', value: 'perItem', description: 'Each input item triggers its own call run, with its own filters' },
	],
	default: 'allItems',
};

const skipRejectedField: INodeProperties = {
	displayName: 'Skip Rejected Items',
	name: 'skipRejected',
	type: 'boolean',
	default: true,
	description: 'Whether input items whose "outcome" is "rejected" are left out of the IDs (they were never added)',
};

const paymentStatusFilter: INodeProperties = {
	displayName: 'Payment Status',
	name: 'payment_status',
	type: 'multiOptions',
	options: PAYMENT_STATUSES.map((s) => ({ name: s[0].toUpperCase() + s.slice(1), value: s })),
	default: [],
	description: 'Only customers with one of these payment statuses',
};

export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	...campaignIdField('The campaign whose customers are called'),
	...callConfigFields,
	requestModeField,
	{
		displayName: 'Customer ID Field',
		name: 'idField',
		type: 'string',
		default: 'id',
		description: 'The input field holding each customer\'s loan_id or lead_id. Add and Bulk Add output it as "ID".',
		displayOptions: { show: { requestMode: ['allItems'] } },
	},
	{ ...skipRejectedField, displayOptions: { show: { requestMode: ['allItems'] } } },
	{
		displayName: 'Max Customers to Call',
		name: 'callLimit',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Call at most this many customers (sent as "limit"); 0 calls all that match',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		description: 'Filters are combined with AND. Without any, every customer of the campaign is called.',
		options: [
			{
				displayName: 'Custom Fields (JSON)',
				name: 'custom',
				type: 'json',
				default: '{}',
				description: 'Match on custom fields of the customer record, e.g. {"branch": "Pune"}',
			},
			{
				displayName: 'Exclude IDs',
				name: 'exclude_ids',
				type: 'string',
				default: '',
				description: 'Never call these customers: comma-separated, or an expression returning an array',
			},
			{
				displayName: 'IDs',
				name: 'ids',
				type: 'string',
				default: '',
				description:
					'Call only these customers (loan_id or lead_id): comma-separated, or an expression returning an array. With "One Request for All Items", they are added to the IDs from the input.',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				description: 'Only customers with one of these languages: comma-separated, e.g. hindi, tamil',
			},
			paymentStatusFilter,
		],
	},
	optionsField(show, commonOptions(DEFAULTS)),
]);

/** A filter list, or undefined when it lists nothing. */
function list(v: unknown): string[] | undefined {
	const out = listOf(v);
	return out.length ? (out as string[]) : undefined;
}

interface Prepared {
	campaignId: string;
	body: InitiateCallsBody;
}

function prepare(ctx: IExecuteFunctions, i: number, extraIds?: string[]): { ok: true; value: Prepared } | { ok: false; problems: Problem[]; preview: IDataObject } {
	const problems: Problem[] = [];
	const campaignId = readId(ctx, 'campaignId', i);
	const c = campaignIdSchema.safeParse(campaignId);
	if (!c.success) problems.push(...problemsOf(c.error, campaignId, 'campaignId'));
	const f = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const filters: IDataObject = {};
	const ids = [...(list(f.ids) ?? []), ...(extraIds ?? [])];
	if (ids.length) filters.ids = [...new Set(ids)];
	const exclude = list(f.exclude_ids);
	if (exclude) filters.exclude_ids = exclude;
	const statuses = list(f.payment_status);
	if (statuses) {
		const checked = checkChoice<string[]>(paymentStatusFilter, statuses);
		if (checked.ok) filters.payment_status = checked.value;
		else problems.push(checked.problem);
	}
	const languages = list(f.language);
	if (languages) filters.language = languages.length === 1 ? languages[0] : languages;
	if (f.custom !== undefined && f.custom !== '' && f.custom !== '{}') {
		let custom: unknown = f.custom;
		if (typeof custom === 'string') {
			try {
				custom = JSON.parse(custom);
			} catch {
				problems.push({ field: 'filters.custom', value: f.custom, rule: 'must be a JSON object' });
			}
		}
		// Anything but an object of fields would be dropped, and every customer called: refused instead.
		if (custom !== null && (typeof custom !== 'object' || Array.isArray(custom)) && !problems.length) {
			problems.push({ field: 'filters.custom', value: f.custom, rule: 'must be a JSON object' });
		} else if (custom && typeof custom === 'object' && Object.keys(custom).length) filters.custom = custom as IDataObject;
	}
	// 0 (or empty) calls all that match; anything else is sent for the schema to judge, so that a
	// value that is no whole number is an error rather than no limit at all.
	const rawLimit = ctx.getNodeParameter('callLimit', i, 0);
	const numeric = typeof rawLimit === 'string' && rawLimit.trim() !== '' && Number.isFinite(Number(rawLimit));
	const limit = rawLimit === '' || rawLimit === null || rawLimit === undefined ? 0 : numeric ? Number(rawLimit) : rawLimit;
	const body: IDataObject = {
		...readCallConfig(ctx, i),
		...(limit !== 0 ? { limit: limit as number } : {}),
		...(Object.keys(filters).length ? { filters } : {}),
	};
	// What is checked is what is sent: the body itself, not the schema's copy of it.
	const checked = checkExactly<InitiateCallsBody>(initiateCallsBodySchema, body);
	if (!checked.ok) problems.push(...checked.problems);
	if (problems.length || !checked.ok) return { ok: false, problems, preview: { campaignId, ...body } };
	return { ok: true, value: { campaignId, body: checked.value } };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readCommonOptions(this.getNodeParameter('options', 0, {}) as IDataObject, DEFAULTS, this);
	const mode = readChoice(this, requestModeField, 0);
	// Not idempotent: a repeat could place the calls twice, so only never-applied failures are retried.
	const client = options.validateOnly ? undefined : await timePayClient(this, options, false);

	const send = async ({ campaignId, body }: Prepared, i: number): Promise<IDataObject> => {
		const res = await client!.request('POST', `/initiate/${encodeURIComponent(campaignId)}/calls`, body as IDataObject, i);
		const b = (res.body ?? {}) as IDataObject;
		if (res.statusCode !== 200 && res.statusCode !== 207) throw client!.error(res, i);
		return {
			campaignId,
			outcome: res.statusCode === 207 ? 'partially initiated' : 'initiated',
			message: String(b.message ?? ''),
			...((b.results as IDataObject | undefined) ?? {}),
		};
	};

	if (mode === 'perItem') {
		return await runPerItem<Prepared>(this, {
			items,
			concurrency: options.concurrency,
			validateOnly: options.validateOnly,
			prepare: (i) => {
				const p = prepare(this, i);
				return p.ok ? { ok: true, payload: p.value, preview: { campaignId: p.value.campaignId, ...p.value.body } } : p;
			},
			send,
		});
	}

	// One request for all items.
	const idField = textOf(this.getNodeParameter('idField', 0, 'id')) || 'id';
	const skipRejected = readChoice<boolean>(this, skipRejectedField, 0);
	const ids: string[] = [];
	const used: number[] = [];
	// Input items left out of the request still get an item each, saying why.
	const skipped: INodeExecutionData[] = [];
	let rejectedUpstream = 0;
	items.forEach((item, i) => {
		const v = item.json[idField];
		const id = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
		if (skipRejected && (item.json.outcome === 'rejected' || (item.json.details as IDataObject | undefined)?.outcome === 'rejected')) {
			rejectedUpstream++;
			skipped.push(okItem({ id: id || null, outcome: 'skipped', message: 'Not called: the record was rejected upstream' }, i));
		} else if (!id) {
			skipped.push(okItem({ id: null, outcome: 'skipped', message: `Not called: no customer ID in field "${idField}"` }, i));
		} else {
			ids.push(id);
			used.push(i);
		}
	});
	const all = items.map((_, i) => i);
	// Every record was rejected upstream: nothing to call, and each item already says why.
	if (ids.length === 0 && rejectedUpstream > 0) return skipped;
	if (ids.length === 0) {
		const error = new NodeOperationError(this.getNode(), `No customer IDs found in field "${idField}" of the ${items.length} input item(s)`, {
			itemIndex: 0,
			description: 'Nothing was sent. Set "Customer ID Field" to the field that holds loan_id / lead_id, or use "One Request per Item" with filters.',
		});
		if (!this.continueOnFail() || options.validateOnly) {
			if (options.validateOnly) return [okItem({ outcome: 'invalid', problems: [error.message] }, all)];
			throw error;
		}
		return [failedItem({ message: error.message }, all, error)];
	}
	const p = prepare(this, 0, ids);
	if (options.validateOnly) {
		return [
			okItem(
				p.ok
					? { outcome: 'valid', wouldSend: { campaignId: p.value.campaignId, ...p.value.body } }
					: { outcome: 'invalid', problems: p.problems.map((x) => `${x.field}: ${x.rule}`), wouldSend: p.preview },
				used,
			),
			...skipped,
		];
	}
	try {
		if (!p.ok) throw validationError(this, 0, p.problems);
		return [okItem({ ...(await send(p.value, 0)), ids: ids.length }, used), ...skipped];
	} catch (error) {
		const e = asNodeError(this, error, 0);
		if (!this.continueOnFail() || isCanceled(e)) throw e;
		return [failedItem({ message: e.message }, used, e), ...skipped];
	}
}
