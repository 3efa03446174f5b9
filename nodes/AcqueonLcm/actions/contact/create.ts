/**
 * Contact → Create: one CreateContact message per input item, POSTed to the customer's LCM
 * gateway with bounded concurrency. Every item is validated (dates, XML names and values, the
 * schema) before anything is sent; the output is the LCM key the gateway answers.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { commonOptions, readCommonOptions, optionsField } from '../../../shared/descriptions';
import { isBlank, toNumberLoose, toText } from '../../../shared/normalize';
import { checkChoice } from '../../../shared/params';
import { runPerItem } from '../../../shared/outcomes';
import type { Problem } from '../../../shared/validation';
import { problemsOf } from '../../../shared/validation';
import { acqueonClient, readGateway, splitLcmKey } from '../../api';
import { isTimeZone, LCM_DATE_FORMAT, toLcmDate } from '../../dates';
import type { CreateContactMessage } from '../../schemas';
import { createContactDataSchema, STATUS_DELIVERED, STATUS_OPEN } from '../../schemas';
import type { ContactMode, XmlField } from '../../xml';
import { buildFieldsXml, buildModesXml, XmlInputError, xmlNameProblem } from '../../xml';
import { OTHER, TIMEZONES, TZ_LABELS, WORKFLOW_TIMEZONE } from './fields';

const DEFAULTS = { concurrency: 3, timeoutSeconds: 30 };
const show = { resource: ['contact'], operation: ['create'] };

const keyValue = (what: string): INodeProperties[] => [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'first_name',
		description: `The ${what} name, sent as an XML element name: letters, digits, "_", "-" and ".", starting with a letter or "_"`,
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		description: 'Sent as text; the characters XML reserves are escaped',
	},
];

const includeInputFieldsField: INodeProperties = {
	displayName: 'Send Input Fields as Business Fields',
	name: 'includeInputFields',
	type: 'boolean',
	default: false,
	description:
		'Whether every field of the input item is sent as a business field too (a field listed above with the same name wins). Field names must be valid XML names.',
};

const isAccountNumberField: INodeProperties = {
	displayName: 'Is Account Number',
	name: 'isAccountNumber',
	type: 'boolean',
	default: true,
	description: 'Whether LCM generates the LCM key as stored in the contact table (IsAccountNumber)',
};

/** Every field of the operation, shown only for it (n8n-workflow's updateDisplayOptions). */
export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	{
		displayName:
			'Create Contact always creates: running this node again with the same input creates each contact in the campaign a second time, with a new LCM key. When you re-run, leave out the items that were created (the error output holds exactly the ones that failed).',
		name: 'rerunNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Campaign ID',
		name: 'campaignId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Collections_Q4',
		description: 'The LCM campaign the contact is created under',
	},
	{
		displayName: 'Call Type',
		name: 'callType',
		type: 'string',
		default: '0',
		description: 'LCM call type; 0 is a fresh contact',
	},
	{
		displayName: 'Callback Start',
		name: 'callStartDateTime',
		type: 'dateTime',
		required: true,
		default: '',
		description: `Start of the callback window. Sent as ${LCM_DATE_FORMAT} in the timezone below: a date-time without an offset is taken as a time in that timezone; one with an offset (or from an expression such as $now) is converted to it.`,
	},
	{
		displayName: 'Callback End',
		name: 'callEndDateTime',
		type: 'dateTime',
		required: true,
		default: '',
		description: `End of the callback window, not before its start. Sent as ${LCM_DATE_FORMAT} in the timezone below.`,
	},
	{
		displayName: 'Timezone',
		name: 'timezone',
		type: 'options',
		options: TIMEZONES,
		default: WORKFLOW_TIMEZONE,
		description:
			'The timezone the callback dates are written in. Any IANA timezone (e.g. Asia/Kolkata) can be given with an expression.',
	},
	{
		displayName: 'Business Fields',
		name: 'businessFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Business Field',
		default: {},
		description: 'The contact\'s business fields, sent as BussinessFields: &lt;Data&gt;&lt;first_name&gt;…&lt;/first_name&gt;…&lt;/Data&gt;',
		options: [{ displayName: 'Field', name: 'field', values: keyValue('business field') }],
	},
	{ ...includeInputFieldsField },
	{
		displayName: 'Input Fields to Leave Out',
		name: 'excludeInputFields',
		type: 'string',
		default: '',
		placeholder: 'phone, internal_id',
		description: 'Comma-separated names of input fields not to send',
		displayOptions: { show: { includeInputFields: [true] } },
	},
	{
		displayName: 'Contact Modes',
		name: 'modes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Contact Mode',
		default: {},
		required: true,
		description: 'How the contact is reached, sent as Modes: &lt;Data&gt;&lt;Home&gt;&lt;Cvalue&gt;…&lt;/Cvalue&gt;&lt;TZ&gt;…&lt;/TZ&gt;&lt;/Home&gt;&lt;/Data&gt;. At least one.',
		options: [
			{
				displayName: 'Mode',
				name: 'mode',
				values: [
					{
						displayName: 'Mode',
						name: 'name',
						type: 'options',
						options: [
							{ name: 'Email', value: 'Email' },
							{ name: 'Home', value: 'Home' },
							{ name: 'Mobile', value: 'Mobile' },
							{ name: 'Office', value: 'Office' },
							{ name: 'Other (Type a Name)', value: OTHER },
							{ name: 'SMS', value: 'SMS' },
							{ name: 'Work', value: 'Work' },
						],
						default: 'Home',
						description: 'The mode as LCM names it (an XML element name)',
					},
					{
						displayName: 'Mode Name',
						name: 'customName',
						type: 'string',
						default: '',
						placeholder: 'Pager',
						description: 'Any mode name LCM knows: letters, digits, "_", "-" and ".", starting with a letter or "_"',
						displayOptions: { show: { name: [OTHER] } },
					},
					{
						displayName: 'Number',
						name: 'number',
						type: 'string',
						default: '',
						placeholder: '609309034',
						description: 'The phone number (or address) for this mode, sent as Cvalue',
					},
					{
						displayName: 'Timezone Label',
						name: 'timezone',
						type: 'options',
						options: [
							{ name: 'None (Leave Out TZ)', value: '' },
							...TZ_LABELS.map((l) => ({ name: l, value: l })),
							{ name: 'Other (Type a Label)', value: OTHER },
						],
						default: '',
						description: "The mode's timezone as LCM labels it, sent as TZ",
					},
					{
						displayName: 'Timezone Label Text',
						name: 'customTimezone',
						type: 'string',
						default: '',
						placeholder: '(UTC+04:00) Abu Dhabi, Muscat',
						displayOptions: { show: { timezone: [OTHER] } },
					},
				],
			},
		],
	},
	{ ...isAccountNumberField },
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Delivered (4)', value: STATUS_DELIVERED, description: 'Created but kept away from the dialer' },
			{ name: 'Open (0)', value: STATUS_OPEN, description: 'Ready to be delivered to the dialer' },
		],
		default: STATUS_DELIVERED,
		description:
			"The contact's initial status. 4 (Delivered, LCM's default) keeps the new contact away from the dialer; 0 (Open) lets the dialer call it. Other LCM status codes can be given with an expression.",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Agent ID', name: 'agentId', type: 'string', default: '', description: 'AgentID' },
			{
				displayName: 'Contact Detail (Screen Pop)',
				name: 'contactDetail',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Screen-Pop Field',
				default: {},
				description: 'Optional business fields shown as screen-pop data, sent as ContactDetail XML',
				options: [{ displayName: 'Field', name: 'field', values: keyValue('screen-pop field') }],
			},
			{ displayName: 'List ID', name: 'listId', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'ListID' },
			{
				displayName: 'Mail Attachment Path',
				name: 'mailAttachment',
				type: 'string',
				default: '',
				description: 'Path of the email attachment (email channel only)',
			},
			{
				displayName: 'Mail Body',
				name: 'mailMsg',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: 'Email body (email channel only)',
			},
			{ displayName: 'Mail Subject', name: 'mailSubject', type: 'string', default: '', description: 'Email subject (email channel only)' },
			{
				displayName: 'Priority',
				name: 'priority',
				type: 'number',
				default: 0,
				description: 'Priority of the contact at dial-out',
			},
			{
				displayName: 'SMS Text',
				name: 'smsData',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Predefined SMS text (SMS channel only)',
			},
			{ displayName: 'Zip Code', name: 'zipCode', type: 'string', default: '', description: 'Zip code of the contact' },
		],
	},
	optionsField({}, commonOptions(DEFAULTS)),
]);

function keyValues(raw: unknown): XmlField[] {
	const list = ((raw as IDataObject | undefined)?.field ?? []) as IDataObject[];
	return list.map((f) => ({ name: toText(f.name).trim(), value: toText(f.value) }));
}

function readModes(raw: unknown): ContactMode[] {
	const list = ((raw as IDataObject | undefined)?.mode ?? []) as IDataObject[];
	return list.map((m) => ({
		mode: (m.name === OTHER ? toText(m.customName) : toText(m.name ?? 'Home')).trim(),
		number: toText(m.number).trim(),
		timezone: (m.timezone === OTHER ? toText(m.customTimezone) : toText(m.timezone)).trim(),
	}));
}

/** Runs an XML build; a bad name or value becomes a problem of the item. */
function xmlOrProblem(ctx: IExecuteFunctions, itemIndex: number, build: () => string, problems: Problem[]): string {
	try {
		return build();
	} catch (error) {
		if (!(error instanceof XmlInputError)) throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		problems.push({ field: error.field, value: error.value, rule: error.rule });
		return '';
	}
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readCommonOptions(this.getNodeParameter('options', 0, {}) as IDataObject, DEFAULTS, this);
	const client = options.validateOnly ? undefined : await acqueonClient(this, options);
	const source = client ? client.source : (await readGateway(this)).source;

	return await runPerItem<CreateContactMessage>(this, {
		items,
		concurrency: options.concurrency,
		validateOnly: options.validateOnly,
		prepare: (i) => {
			const problems: Problem[] = [];
			const param = (name: string, fallback: unknown) => this.getNodeParameter(name, i, fallback) as unknown;
			const extra = param('additionalFields', {}) as IDataObject;

			const zoneParam = toText(param('timezone', WORKFLOW_TIMEZONE)).trim();
			const zone = zoneParam === WORKFLOW_TIMEZONE || zoneParam === '' ? this.getTimezone() : zoneParam;
			const zoneOk = isTimeZone(zone);
			if (!zoneOk) problems.push({ field: 'timezone', value: zone, rule: 'must be an IANA timezone such as Asia/Kolkata or America/New_York' });
			const date = (name: string) => {
				const raw = param(name, '');
				if (isBlank(raw)) {
					problems.push({ field: name, value: undefined, rule: 'is required' });
					return '';
				}
				if (!zoneOk) return '';
				const d = toLcmDate(raw, zone);
				if (!d) {
					problems.push({
						field: name,
						value: toText(raw),
						rule: `must be a date-time (ISO 8601 such as 2025-01-31T09:30, or ${LCM_DATE_FORMAT})`,
					});
					return '';
				}
				return d.text;
			};
			const callStartDateTime = date('callStartDateTime');
			const callEndDateTime = date('callEndDateTime');

			const explicit = keyValues(param('businessFields', {}));
			const business: XmlField[] = [];
			// Switches an expression may have set: true or false only.
			const flag = (property: INodeProperties) => {
				const checked = checkChoice<boolean>(property, param(property.name, property.default));
				if (checked.ok) return checked.value;
				problems.push(checked.problem);
				return undefined;
			};
			if (flag(includeInputFieldsField) === true) {
				const leaveOut = new Set(
					toText(param('excludeInputFields', ''))
						.split(',')
						.map((s) => s.trim())
						.filter(Boolean),
				);
				const named = new Set(explicit.map((f) => f.name));
				for (const [name, value] of Object.entries(items[i].json)) {
					if (leaveOut.has(name) || named.has(name)) continue;
					const nameProblem = xmlNameProblem(name);
					if (nameProblem) {
						problems.push({ field: 'input field name', value: name, rule: `${nameProblem} (or list it in Input Fields to Leave Out)` });
						continue;
					}
					business.push({ name, value: toText(value) });
				}
			}
			business.push(...explicit);
			const BussinessFields = xmlOrProblem(this, i, () => buildFieldsXml('BussinessFields', business), problems);

			const modes = readModes(param('modes', {}));
			for (const m of modes) {
				if (m.number === '') problems.push({ field: `Modes.${m.mode || '(unnamed)'}.Cvalue`, value: undefined, rule: 'is required (the number to reach the contact on)' });
			}
			const Modes = xmlOrProblem(this, i, () => buildModesXml('Modes', modes), problems);

			const detail = keyValues(extra.contactDetail);
			const ContactDetail = detail.length ? xmlOrProblem(this, i, () => buildFieldsXml('ContactDetail', detail), problems) : '';

			const data = {
				CampaignID: toText(param('campaignId', '')).trim(),
				Calltype: toText(param('callType', '0')).trim(),
				callStartDateTime,
				callEndDateTime,
				BussinessFields,
				priority: toNumberLoose(extra.priority ?? 0),
				Modes,
				AgentID: toText(extra.agentId),
				SMSData: toText(extra.smsData),
				MailSubject: toText(extra.mailSubject),
				MailMsg: toText(extra.mailMsg),
				MailAttachment: toText(extra.mailAttachment),
				ZipCode: toText(extra.zipCode),
				ContactDetail,
				ListID: toNumberLoose(extra.listId ?? 0),
				IsAccountNumber: flag(isAccountNumberField),
				Status: toNumberLoose(param('status', STATUS_DELIVERED)),
			};
			const message = { channel: 'LCM', topic: 'WebService', subtopic: 'CreateContact', source, data };
			if (problems.length) {
				// Only the schema's findings about fields not already named.
				const parsed = createContactDataSchema.safeParse(data);
				if (!parsed.success) {
					const named = new Set(problems.map((p) => p.field.split(/[ .]/)[0]));
					if (!zoneOk) ['callStartDateTime', 'callEndDateTime'].forEach((f) => named.add(f));
					if (data.IsAccountNumber === undefined) named.add('IsAccountNumber'); // named as the parameter above
					for (const p of problemsOf(parsed.error, data)) if (!named.has(p.field.split('.')[0])) problems.push(p);
				}
				return { ok: false, problems, preview: message as IDataObject };
			}
			const parsed = createContactDataSchema.safeParse(data);
			if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error, data), preview: message as IDataObject };
			const payload: CreateContactMessage = { channel: 'LCM', topic: 'WebService', subtopic: 'CreateContact', source, data: parsed.data };
			return { ok: true, payload, preview: payload as unknown as IDataObject };
		},
		send: async (message, i) => {
			const response = await client!.send(message, i);
			const lcmKey = client!.lcmKeyOf(response, i);
			return { outcome: 'created', message: `Contact created in campaign ${message.data.CampaignID}, LCM key ${lcmKey}`, lcmKey, lcmKeyParts: splitLcmKey(lcmKey), campaignId: message.data.CampaignID };
		},
	});
}
