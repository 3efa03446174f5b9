/**
 * Customer → Add or Update: POST /ms/customer/customer/api/v1/add-update, one request per item,
 * bounded concurrency. Kapture answers HTTP 200 with status "failed" for a bad token or missing
 * data: that is the item's error, never a success.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { commonOptions, readCommonOptions, optionsField } from '../../../shared/descriptions';
import { keyValuesToObject, pickGiven } from '../../../shared/fieldValues';
import type { KeyValuePair } from '../../../shared/fieldValues';
import { dateText, isBlank, phoneDigits } from '../../../shared/normalize';
import { checkChoice, readChoice } from '../../../shared/params';
import { runPerItem } from '../../../shared/outcomes';
import type { Problem } from '../../../shared/validation';
import { checkExactly } from '../../../shared/validation';
import { kaptureClient } from '../../api';
import type { AddUpdateBody } from '../../schemas';
import { addUpdateBodySchema, addUpdateResponseSchema } from '../../schemas';

const DEFAULTS = { concurrency: 5, timeoutSeconds: 30 };
const show = { resource: ['customer'], operation: ['addOrUpdate'] };

const keyValueList = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Field',
	default: {},
	description,
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{ displayName: 'Key', name: 'key', type: 'string', default: '', description: 'The field name as configured in Kapture' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
});

/** Parameter name → customer_info field. */
const CUSTOMER_FIELDS: Record<string, string> = {
	address: 'address',
	assignEmployeeCode: 'customer_assign_emp_code',
	assignEmployeeEmail: 'customer_assign_emp_email',
	assignEmployeeName: 'customer_assign_emp_name',
	city: 'city',
	classification: 'classification',
	country: 'country',
	customerCode: 'customer_code',
	customerRemarks: 'customer_remarks',
	locality: 'locality',
	pincode: 'pincode',
	primarySource: 'primary_source',
	remarks: 'remarks',
	secondarySource: 'secondary_source',
	state: 'state',
	tertiarySource: 'tertiary_source',
	type: 'type',
	zone: 'zone',
};

const CONTACT_FIELDS: Record<string, string> = {
	additionalPhone: 'additional_contact_phone',
	contactId: 'contact_id',
	contactPersonName: 'contact_person_name',
	countryCode: 'country_code',
	dateOfBirth: 'dob',
	email: 'contact_person_email',
	firstName: 'first_name',
	gender: 'gender',
	lastName: 'last_name',
	phone: 'contact_person_phone',
	title: 'title',
};

const ENQUIRY_FIELDS: Record<string, string> = {
	action: 'action',
	assignEmployeeCode: 'assign_emp_code',
	assignEmployeeEmail: 'assign_emp_email',
	assignEmployeeName: 'assign_emp_name',
	enquiryId: 'enquiry_id',
	nextFollowUpDate: 'next_follow_up_date',
	remarks: 'remarks',
	roundRobinKey: 'round_robin_key',
	subStatus: 'subStatus',
};

const PHONE_FIELDS = new Set(['phone', 'contact_person_phone', 'additional_contact_phone']);

const customerKindField: INodeProperties = {
	displayName: 'Customer Is',
	name: 'customerKind',
	type: 'options',
	default: 'organization',
	description: 'Sets the individual, organization and channel_partner flags (exactly one of them true)',
	options: [
		{ name: 'Channel Partner', value: 'channelPartner' },
		{ name: 'Individual', value: 'individual' },
		{ name: 'Organization', value: 'organization' },
	],
};

const genderField: INodeProperties = {
	displayName: 'Gender',
	name: 'gender',
	type: 'options',
	default: '',
	options: [
		{ name: 'Female', value: 'Female' },
		{ name: 'Male', value: 'Male' },
		{ name: 'Not Set', value: '' },
		{ name: 'Other', value: 'Other' },
	],
};

const MATCH_EMAIL_PHONE =
	"Whether Kapture should look for this contact among the customer's contacts by its phone or email and update it, instead of adding a contact (the API's matchEmailPhone flag)";
const matchEmailPhoneV1: INodeProperties = { displayName: 'Match Email/Phone', name: 'matchEmailPhone', type: 'boolean', default: false, description: MATCH_EMAIL_PHONE };
const matchEmailPhoneV2: INodeProperties = { displayName: 'Match Email/Phone', name: 'matchEmailPhone', type: 'boolean', default: true, description: MATCH_EMAIL_PHONE };

/** The contact list; only the default of Match Email/Phone differs between the versions. */
function contactsField(matchField: INodeProperties, version: VersionShow): INodeProperties {
	return {
		displayName: 'Contacts',
		name: 'contacts',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Contact',
		default: {},
		description: 'Contact persons of the customer (contact_info). Each needs a phone or an email.',
		displayOptions: { show: version },
		options: [
			{
				displayName: 'Contact',
				name: 'contact',
				values: [
					{ displayName: 'Additional Phone', name: 'additionalPhone', type: 'string', default: '' },
					{ displayName: 'Contact ID', name: 'contactId', type: 'string', default: '', description: "Kapture's ID of the contact, to update it" },
					{ displayName: 'Contact Person Name', name: 'contactPersonName', type: 'string', default: '' },
					{ displayName: 'Country Code', name: 'countryCode', type: 'string', default: '', placeholder: '+91' },
					{ displayName: 'Date of Birth', name: 'dateOfBirth', type: 'string', default: '', placeholder: 'YYYY-MM-DD', description: 'Sent as given; n8n dates are sent as YYYY-MM-DD' },
					{ displayName: 'Email', name: 'email', type: 'string', default: '', placeholder: 'name@email.com' },
					{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
					genderField,
					{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
					matchField,
					{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
					{ displayName: 'Title', name: 'title', type: 'string', default: '', placeholder: 'Mr' },
				],
			},
		],
	};
}

/**
 * Version 1 of the node added a new customer unless told otherwise, so a re-run created every
 * customer again. Version 2 (the one new nodes get) adds or updates by default: Kapture matches the
 * customer by Customer ID, else phone, else email, and each contact by its phone or email. A saved
 * workflow stores only the parameters that differ from their defaults, so a version 1 node that never
 * set Mode or Match Email/Phone keeps version 1's defaults (add; no contact matching): changing them
 * in place would have switched existing workflows from adding to updating without a word.
 */
type VersionShow = NonNullable<IDisplayOptions['show']>;
const V1: VersionShow = { '@version': [1] };
const V2_ON: VersionShow = { '@version': [{ _cnd: { gte: 2 } }] };

const ALWAYS_ADDS = 'Every "update" flag false: Kapture creates the customer and its contacts, even when it already has them';

const modeV1: INodeProperties = {
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Add a New Customer', value: 'add', description: ALWAYS_ADDS },
		{
			name: 'Update an Existing Customer',
			value: 'update',
			description: 'Every "update" flag true: Kapture updates the customer (by Customer ID, or by phone/email) and the contacts given',
		},
	],
	default: 'add',
	description: 'Sets the "update" flag of the customer, of every contact and of the enquiry, all the same way',
	displayOptions: { show: V1 },
};

const modeV2: INodeProperties = {
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Add or Update',
			value: 'update',
			description:
				'Every "update" flag true: Kapture updates the customer it finds by Customer ID, else phone, else email, and adds one when it finds none. Running the same input again updates instead of duplicating.',
		},
		{ name: 'Always Add a New Customer', value: 'add', description: ALWAYS_ADDS },
	],
	default: 'update',
	description: 'Sets the "update" flag of the customer, of every contact and of the enquiry, all the same way',
	displayOptions: { show: V2_ON },
};

/** Every field of the operation, shown only for it (n8n-workflow's updateDisplayOptions). */
export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	modeV1,
	modeV2,
	{
		displayName:
			'Every run adds new customers: running this node again with the same input creates each customer (and its contacts) a second time. Choose "Add or Update" to let Kapture find the existing customer by Customer ID, phone or email.',
		name: 'addNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { mode: ['add'] } },
	},
	{
		displayName: 'Customer Name',
		name: 'customerName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Asha Verma',
		description: 'Name of the customer. Kapture needs it with a phone or an email.',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: '9380491387',
		description: 'Phone number of the customer. Phone or Email is required; spaces and dashes are removed.',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'name@email.com',
		description: 'Email address of the customer. Phone or Email is required.',
	},
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '',
		description: "Kapture's ID of the customer to update (customer_id). Leave empty to let Kapture match the customer by phone or email.",
		displayOptions: { show: { mode: ['update'] } },
	},
	{
		displayName: 'Customer Fields',
		name: 'customerFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Address', name: 'address', type: 'string', default: '' },
			{ displayName: 'Assignee Employee Code', name: 'assignEmployeeCode', type: 'string', default: '', description: 'Code of the employee the customer is assigned to' },
			{ displayName: 'Assignee Employee Email', name: 'assignEmployeeEmail', type: 'string', placeholder: 'name@email.com', default: '', description: 'Email of the employee the customer is assigned to' },
			{ displayName: 'Assignee Employee Name', name: 'assignEmployeeName', type: 'string', default: '', description: 'Name of the employee the customer is assigned to' },
			{ displayName: 'City', name: 'city', type: 'string', default: '' },
			{ displayName: 'Classification', name: 'classification', type: 'string', default: '' },
			{ displayName: 'Country', name: 'country', type: 'string', default: '', placeholder: 'India' },
			{ displayName: 'Customer Code', name: 'customerCode', type: 'string', default: '', description: 'Your own code for the customer' },
			customerKindField,
			{ displayName: 'Customer Remarks', name: 'customerRemarks', type: 'string', default: '' },
			{ displayName: 'Locality', name: 'locality', type: 'string', default: '' },
			{ displayName: 'Pincode', name: 'pincode', type: 'string', default: '' },
			{ displayName: 'Primary Source', name: 'primarySource', type: 'string', default: '' },
			{ displayName: 'Remarks', name: 'remarks', type: 'string', default: '' },
			{ displayName: 'Secondary Source', name: 'secondarySource', type: 'string', default: '' },
			{ displayName: 'State', name: 'state', type: 'string', default: '' },
			{ displayName: 'Tertiary Source', name: 'tertiarySource', type: 'string', default: '' },
			{ displayName: 'Type', name: 'type', type: 'string', default: '' },
			{ displayName: 'Zone', name: 'zone', type: 'string', default: '' },
		],
	},
	{
		...keyValueList('Customer Additional Fields', 'customerAdditionalFields', "Your Kapture account's additional customer fields (additional_fields), as key/value pairs"),
	},
	{
		...keyValueList('Customer Associate Fields', 'customerAssociateFields', "Your Kapture account's associate customer fields (associate_fields), as key/value pairs"),
	},
	contactsField(matchEmailPhoneV1, V1),
	contactsField(matchEmailPhoneV2, V2_ON),
	{
		displayName: 'Enquiry',
		name: 'enquiry',
		type: 'collection',
		placeholder: 'Add Enquiry Field',
		default: {},
		description: 'An enquiry (lead/ticket) to create or update with the customer (enquiry_info). Sent only when a field is set.',
		options: [
			{ displayName: 'Action', name: 'action', type: 'string', default: '' },
			{
				...keyValueList('Additional Fields', 'additionalFields', 'Additional enquiry fields (additional_fields), as key/value pairs'),
			},
			{ displayName: 'Assignee Employee Code', name: 'assignEmployeeCode', type: 'string', default: '' },
			{ displayName: 'Assignee Employee Email', name: 'assignEmployeeEmail', type: 'string', placeholder: 'name@email.com', default: '' },
			{ displayName: 'Assignee Employee Name', name: 'assignEmployeeName', type: 'string', default: '' },
			{
				...keyValueList('Associate Fields', 'associateFields', 'Associate enquiry fields (associate_fields), as key/value pairs'),
			},
			{ displayName: 'Enquiry ID', name: 'enquiryId', type: 'string', default: '', description: "Kapture's ID of the enquiry, to update it" },
			{ displayName: 'Next Follow-Up Date', name: 'nextFollowUpDate', type: 'string', default: '', description: 'Sent as given; n8n dates are sent as ISO date-times' },
			{ displayName: 'Remarks', name: 'remarks', type: 'string', default: '' },
			{ displayName: 'Round Robin Key', name: 'roundRobinKey', type: 'string', default: '', description: 'Key of the round-robin assignment rule' },
			{ displayName: 'Sub-Status', name: 'subStatus', type: 'string', default: '' },
		],
	},
	optionsField({}, commonOptions(DEFAULTS)),
]);

function cleanPhones(record: Record<string, unknown>): Record<string, unknown> {
	for (const k of Object.keys(record)) if (PHONE_FIELDS.has(k)) record[k] = phoneDigits(record[k]);
	return record;
}

const KIND_FLAGS: Record<string, { individual: boolean; organization: boolean; channel_partner: boolean }> = {
	individual: { individual: true, organization: false, channel_partner: false },
	organization: { individual: false, organization: true, channel_partner: false },
	channelPartner: { individual: false, organization: false, channel_partner: true },
};

/** The request body of one item, as the user set it (not yet checked), and the problems found on the way. */
export function buildBody(ctx: IExecuteFunctions, i: number): { body: Record<string, unknown>; problems: Problem[] } {
	const problems: Problem[] = [];
	// Add or update: an expression may give anything, and anything but "update" would add.
	const update = readChoice<string>(ctx, ctx.getNode().typeVersion >= 2 ? modeV2 : modeV1, i) === 'update';
	const customerFields = ctx.getNodeParameter('customerFields', i, {}) as IDataObject;
	const list = (name: string) => (ctx.getNodeParameter(name, i, []) as KeyValuePair[] | null) ?? [];
	const kv = (pairs: KeyValuePair[], field: string) => {
		const r = keyValuesToObject(pairs, field);
		problems.push(...r.problems);
		return r.value;
	};

	const customerInfo: Record<string, unknown> = cleanPhones({
		...pickGiven(
			{
				customerName: ctx.getNodeParameter('customerName', i, ''),
				phone: ctx.getNodeParameter('phone', i, ''),
				email: ctx.getNodeParameter('email', i, ''),
				customerId: update ? ctx.getNodeParameter('customerId', i, '') : undefined,
			},
			{ customerName: 'customer_name', phone: 'phone', email: 'email_id', customerId: 'customer_id' },
		),
		...pickGiven(customerFields, CUSTOMER_FIELDS),
	});
	if (!isBlank(customerFields.customerKind)) {
		const kind = checkChoice<string>(customerKindField, customerFields.customerKind);
		if (kind.ok) Object.assign(customerInfo, KIND_FLAGS[kind.value]);
		else problems.push(kind.problem);
	}
	customerInfo.additional_fields = kv(list('customerAdditionalFields.field'), 'customer_info.additional_fields');
	customerInfo.associate_fields = kv(list('customerAssociateFields.field'), 'customer_info.associate_fields');
	customerInfo.update = update;

	const body: Record<string, unknown> = { customer_info: customerInfo };

	const contacts = list('contacts.contact') as IDataObject[];
	if (contacts.length) {
		body.contact_info = contacts.map((c, index) => {
			// Options and switches an expression may have set: the listed values only.
			const choice = (property: INodeProperties) => {
				const checked = checkChoice(property, c[property.name] ?? property.default);
				if (checked.ok) return checked.value;
				problems.push({ ...checked.problem, field: `${property.displayName} (contact ${index + 1})` });
				return property.default; // never sent: the item has a problem (and the schema says nothing twice)
			};
			const contact = cleanPhones(pickGiven({ ...c, gender: choice(genderField), dateOfBirth: dateText(c.dateOfBirth, true) }, CONTACT_FIELDS));
			contact.update = update;
			// Absent only where the version 1 default applies: no matching.
			contact.matchEmailPhone = choice(matchEmailPhoneV1);
			return contact;
		});
	}

	const enquiry = (ctx.getNodeParameter('enquiry', i, {}) as IDataObject | null) ?? {};
	if (Object.keys(enquiry).length) {
		const e: Record<string, unknown> = pickGiven({ ...enquiry, nextFollowUpDate: dateText(enquiry.nextFollowUpDate, false) }, ENQUIRY_FIELDS);
		e.additional_fields = kv(((enquiry.additionalFields as IDataObject | undefined)?.field as KeyValuePair[]) ?? [], 'enquiry_info.additional_fields');
		e.associate_fields = kv(((enquiry.associateFields as IDataObject | undefined)?.field as KeyValuePair[]) ?? [], 'enquiry_info.associate_fields');
		e.update = update;
		body.enquiry_info = e;
	}
	return { body, problems };
}

const idText = (v: unknown) => (v === undefined || v === null ? null : String(v));

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readCommonOptions(this.getNodeParameter('options', 0, {}) as IDataObject, DEFAULTS, this);
	// An unusable credential fails the node before any request; under continue-on-fail the router
	// (nodes/shared/router.ts) turns that into one paired error item per input item.
	const client = options.validateOnly ? undefined : await kaptureClient(this, options);

	return await runPerItem<AddUpdateBody>(this, {
		items,
		concurrency: options.concurrency,
		validateOnly: options.validateOnly,
		prepare: (i) => {
			const { body, problems } = buildBody(this, i);
			// What is checked is what is sent: the body itself, not the schema's copy of it.
			const checked = checkExactly<AddUpdateBody>(addUpdateBodySchema, body);
			if (!checked.ok) problems.push(...checked.problems);
			if (problems.length || !checked.ok) return { ok: false, problems, preview: body as IDataObject };
			return { ok: true, payload: checked.value, preview: body as IDataObject };
		},
		send: async (body, i) => {
			// Errors are named after their item in one place: runPerItem (shared/outcomes.ts).
			const res = await client!.addOrUpdate(body as unknown as IDataObject, i);
			const ok = addUpdateResponseSchema.safeParse(res.body);
			if (res.statusCode < 200 || res.statusCode >= 300 || !ok.success || ok.data.customer?.result === false) {
				throw client!.error(res, i);
			}
			const customer = ok.data.customer ?? {};
			const event = customer.action_event ?? '';
			const outcome = /UPDATE/i.test(event) ? 'updated' : /ADD|CREATE/i.test(event) ? 'added' : body.customer_info.update ? 'updated' : 'added';
			return {
				customer_id: idText(customer.customer_id),
				contact_id: idText(customer.contact_id),
				action: customer.action ?? null,
				action_event: event || null,
				message: ok.data.message ?? '',
				outcome,
				name: body.customer_info.customer_name,
				phone: body.customer_info.phone ?? null,
				email: body.customer_info.email_id ?? null,
			};
		},
	});
}
