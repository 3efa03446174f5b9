/**
 * Call Log → Get Many: GET /logs (10 logs per page, TimePay's size) with every documented filter,
 * Return All or up to Limit — or Count Only, TimePay's `count_only`, which returns the total alone.
 */
import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsField } from '../../../shared/descriptions';
import { textOf } from '../../../shared/normalize';
import { validationError } from '../../../shared/outcomes';
import { readEach, readHowMany, readPages, returnAllOrLimit } from '../../../shared/paging';
import { checkChoice, readChoice } from '../../../shared/params';
import type { Problem } from '../../../shared/validation';
import type { Query } from '../../api';
import { getPage, recordKey } from '../../lists';
import { campaignIdField, readId } from '../ids';
import { readClient, readOptions } from '../reads';

const show = { resource: ['callLog'], operation: ['getMany'] };

/** TimePay's logs are of these two types only (it answers 400 to any other). */
const typeFilterField: INodeProperties = {
	displayName: 'Type',
	name: 'type',
	type: 'options',
	options: [
		{ name: 'Call', value: 'call' },
		{ name: 'WhatsApp', value: 'whatsapp' },
	],
	default: 'call',
	description: 'Only calls, or only WhatsApp messages',
};

const countOnlyField: INodeProperties = {
	displayName: 'Count Only',
	name: 'countOnly',
	type: 'boolean',
	default: false,
	description: 'Whether to return only the number of matching logs (one item with "total") instead of the logs',
};

export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	countOnlyField,
	...updateDisplayOptions({ show: { countOnly: [false] } }, returnAllOrLimit()),
	...campaignIdField('Only the logs of this campaign. Leave empty for every campaign.', false),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{ displayName: 'Agent ID', name: 'agent_id', type: 'string', default: '', description: 'Only calls handled by this AI agent' },
			{
				displayName: 'Caller Number',
				name: 'from_phone',
				type: 'string',
				default: '',
				description: 'Only calls made from this number (TimePay\'s from_phone)',
			},
			{
				displayName: 'Customer Phone',
				name: 'phone',
				type: 'string',
				default: '',
				description: 'Only calls and messages to this number',
			},
			{
				displayName: 'Disposition',
				name: 'disposition',
				type: 'string',
				default: '',
				placeholder: 'Promise to Pay',
				description: 'Only logs with this disposition, by its name as TimePay shows it',
			},
			{
				displayName: 'End Time',
				name: 'end_time',
				type: 'dateTime',
				default: '',
				description: "Only logs up to this date and time (inclusive). Without an offset it is read in the workflow's timezone.",
			},
			{
				displayName: 'Start Time',
				name: 'start_time',
				type: 'dateTime',
				default: '',
				description: "Only logs from this date and time on (inclusive). Without an offset it is read in the workflow's timezone.",
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Completed', value: 'Completed' },
					{ name: 'Contacted', value: 'Contacted' },
					{ name: 'Failed', value: 'Failed' },
					{ name: 'No Contact', value: 'No Contact' },
				],
				default: 'Contacted',
				description: 'Only logs with this status. Choose "Expression" for another status TimePay reports.',
			},
			typeFilterField,
		],
	},
	optionsField(show, readOptions),
]);

const TIME_FIELDS = [
	['start_time', 'Start Time'],
	['end_time', 'End Time'],
] as const;

/**
 * An n8n date-time as ISO 8601 with its offset: a value without one (the date picker's) is a
 * wall-clock time in `zone`; a Luxon DateTime, a JS Date or a value with an offset is an instant.
 */
export function isoInstant(value: unknown, zone: string): string | undefined {
	let dt: DateTime | undefined;
	if (DateTime.isDateTime(value)) dt = value;
	else if (value instanceof Date) dt = DateTime.fromJSDate(value, { zone });
	else if (typeof value === 'string') dt = DateTime.fromISO(value.trim(), { zone, setZone: true });
	return dt?.isValid ? (dt.toISO() ?? undefined) : undefined;
}

function readQuery(ctx: IExecuteFunctions, i: number): Query {
	const f = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const query: Query = { campaign_id: readId(ctx, 'campaignId', i) || undefined };
	for (const k of ['type', 'status', 'disposition', 'from_phone', 'phone', 'agent_id']) query[k] = textOf(f[k]) || undefined;
	const problems: Problem[] = [];
	if (query.type !== undefined) {
		const type = checkChoice<string>(typeFilterField, query.type);
		if (type.ok) query.type = type.value;
		else problems.push(type.problem);
	}
	for (const [k, label] of TIME_FIELDS) {
		const v = f[k];
		if (v === undefined || v === null || v === '') continue;
		const iso = isoInstant(v, ctx.getTimezone());
		if (iso) query[k] = iso;
		else problems.push({ field: label, value: v, rule: 'must be a date-time (ISO 8601)', parameter: true });
	}
	if (problems.length) throw validationError(ctx, i, problems);
	return query;
}

/** The total of a count_only answer (`total`, or within `data` or `pagination`). */
function totalOf(body: unknown): number | undefined {
	const b = (body ?? {}) as { total?: unknown; data?: { total?: unknown }; pagination?: { total?: unknown } };
	const total = b.total ?? b.data?.total ?? b.pagination?.total;
	return typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined;
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const client = await readClient(this);
	return await readEach(this, items, async (i) => {
		const query = readQuery(this, i);
		if (readChoice<boolean>(this, countOnlyField, i)) {
			const res = await client.get('/logs', { ...query, count_only: true }, i);
			const total = totalOf(res.body);
			if (res.statusCode < 200 || res.statusCode >= 300 || (res.body as IDataObject | undefined)?.success === false) throw client.error(res, i);
			if (total === undefined) {
				throw client.error({ statusCode: res.statusCode, body: { message: 'the answer to a count_only request carries no total' } }, i);
			}
			return [{ total }];
		}
		const howMany = readHowMany(this, i);
		return await readPages((page) => getPage(client, '/logs', query, page, i), howMany, recordKey('call_id'));
	});
}
