/** Customer → Create: POST /external/v1/customers, one request per item, bounded concurrency. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { commonOptions, readCommonOptions, optionsField } from '../../../shared/descriptions';
import { pickGiven } from '../../../shared/fieldValues';
import { isBlank, phoneDigits, toStringLoose } from '../../../shared/normalize';
import { checkChoice } from '../../../shared/params';
import type { Problem } from '../../../shared/validation';
import { runPerItem } from '../../../shared/outcomes';
import { problemsOf } from '../../../shared/validation';
import { cuoralClient } from '../../api';
import type { CreateCustomerBody } from '../../schemas';
import { createCustomerBodySchema, createdCustomerSchema } from '../../schemas';

const DEFAULTS = { concurrency: 5, timeoutSeconds: 30 };
const show = { resource: ['customer'], operation: ['create'] };

const OPTIONAL_FIELDS: Record<string, string> = {
	city: 'city',
	companyId: 'company_id',
	country: 'country',
	ip: 'ip',
	latitude: 'latitude',
	location: 'location',
	longitude: 'longitude',
	whatsappNumber: 'whatsapp_number',
};

const isActiveField: INodeProperties = {
	displayName: 'Active',
	name: 'isActive',
	type: 'boolean',
	default: true,
	description: 'Whether the customer account is active',
};

/** Every field of the operation, shown only for it (n8n-workflow's updateDisplayOptions). */
export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	{
		displayName:
			"Cuoral's API can create a customer but cannot find or update one: running this node again with the same input creates each customer a second time, with a new customer ID. When you re-run, leave out the items that were created (the error output holds exactly the ones that failed).",
		name: 'rerunNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Alice Johnson',
		description: "The customer's full name",
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'name@email.com',
		description: "The customer's email address",
	},
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		required: true,
		options: [
			{ name: 'API', value: 'api' },
			{ name: 'Other (Enter Below)', value: 'other' },
			{ name: 'Web', value: 'web' },
			{ name: 'WhatsApp', value: 'whatsapp' },
		],
		default: 'api',
		description: 'How the customer was acquired. An expression may give any text.',
	},
	{
		displayName: 'Other Source',
		name: 'sourceOther',
		type: 'string',
		// Not `required`: n8n would then demand it whenever Source is an expression. The node checks it.
		default: '',
		placeholder: 'instagram',
		description: 'The acquisition source, as text (required when Source is Other)',
		displayOptions: { show: { source: ['other'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			isActiveField,
			{ displayName: 'City', name: 'city', type: 'string', default: '', placeholder: 'Accra' },
			{ displayName: 'Company ID', name: 'companyId', type: 'string', default: '', placeholder: 'CMP-A9B8', description: 'The company the customer is associated with' },
			{ displayName: 'Country', name: 'country', type: 'string', default: '', placeholder: 'Ghana' },
			{ displayName: 'IP Address', name: 'ip', type: 'string', default: '', placeholder: '192.168.1.1' },
			{ displayName: 'Latitude', name: 'latitude', type: 'string', default: '', placeholder: '5.6037', description: 'Decimal degrees, -90 to 90' },
			{ displayName: 'Location', name: 'location', type: 'string', default: '', placeholder: 'Spintex Road', description: 'A general location description' },
			{ displayName: 'Longitude', name: 'longitude', type: 'string', default: '', placeholder: '0.1870', description: 'Decimal degrees, -180 to 180' },
			{
				displayName: 'WhatsApp Number',
				name: 'whatsappNumber',
				type: 'string',
				default: '',
				placeholder: '2348000000000',
				description: 'International format, digits only (spaces and dashes are removed)',
			},
		],
	},
	optionsField({}, commonOptions(DEFAULTS)),
]);

/** The request body of one item, as the user set it (checked by the schema next), and the problems found on the way. */
export function buildBody(ctx: IExecuteFunctions, i: number): { body: Record<string, unknown>; problems: Problem[] } {
	const problems: Problem[] = [];
	const source = toStringLoose(ctx.getNodeParameter('source', i, ''));
	const extra = (ctx.getNodeParameter('additionalFields', i, {}) as IDataObject | null) ?? {};
	const body: Record<string, unknown> = pickGiven(
		{
			name: ctx.getNodeParameter('name', i, ''),
			email: ctx.getNodeParameter('email', i, ''),
			source: source === 'other' ? ctx.getNodeParameter('sourceOther', i, '') : source,
		},
		{ name: 'name', email: 'email', source: 'source' },
	);
	Object.assign(body, pickGiven(extra, OPTIONAL_FIELDS));
	if (body.whatsapp_number !== undefined) body.whatsapp_number = phoneDigits(body.whatsapp_number);
	if (!isBlank(extra.isActive)) {
		const active = checkChoice<boolean>(isActiveField, extra.isActive);
		if (active.ok) body.is_active = active.value;
		else problems.push(active.problem);
	}
	return { body, problems };
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = readCommonOptions(this.getNodeParameter('options', 0, {}) as IDataObject, DEFAULTS, this);
	// An unusable credential fails the node before any request; under continue-on-fail the router
	// (nodes/shared/router.ts) turns that into one paired error item per input item.
	const client = options.validateOnly ? undefined : await cuoralClient(this, options);

	return await runPerItem<CreateCustomerBody>(this, {
		items,
		concurrency: options.concurrency,
		validateOnly: options.validateOnly,
		prepare: (i) => {
			const { body, problems } = buildBody(this, i);
			const parsed = createCustomerBodySchema.safeParse(body);
			if (!parsed.success) problems.push(...problemsOf(parsed.error, body));
			if (problems.length || !parsed.success) return { ok: false, problems, preview: body as IDataObject };
			return { ok: true, payload: parsed.data, preview: parsed.data as IDataObject };
		},
		send: async (body, i) => {
			// Errors are named after their item in one place: runPerItem (shared/outcomes.ts).
			const res = await client!.createCustomer(body as IDataObject, i);
			const created = createdCustomerSchema.safeParse(res.body);
			if (res.statusCode < 200 || res.statusCode >= 300 || !created.success) {
				throw client!.error(res, i);
			}
			return { ...(created.data as IDataObject), outcome: 'created', message: 'Customer created' };
		},
	});
}
