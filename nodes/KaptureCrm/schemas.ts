/**
 * Kapture CRM Add/Update Customer payload (shared/api-docs/kapture-crm-add-update-customer.md),
 * one zod schema; types from z.infer. The documented rule — a name, and a phone or an email —
 * is checked here, so a customer Kapture would refuse is never sent.
 */
import { z } from 'zod/v4';

import { fieldMap } from '../shared/schemas';
import { rule } from '../shared/validation';

const text = (what = 'must be text') => z.string(rule(what)).min(1, 'must not be empty');
const optionalText = z.string('must be text').optional();
/** Digits, optionally led by "+": the node strips spaces, dashes, dots and brackets first. */
const phone = z
	.string('must be a phone number')
	.regex(/^\+?\d{6,15}$/, 'must be a phone number: 6 to 15 digits, optionally starting with +');
const email = z.email('must be a valid email address');

export const customerInfoSchema = z
	.object({
		customer_name: text('must be the customer name'),
		phone: phone.optional(),
		email_id: email.optional(),
		locality: optionalText,
		city: optionalText,
		state: optionalText,
		country: optionalText,
		address: optionalText,
		type: optionalText,
		classification: optionalText,
		pincode: optionalText,
		customer_code: optionalText,
		customer_id: optionalText,
		customer_assign_emp_name: optionalText,
		customer_assign_emp_code: optionalText,
		customer_assign_emp_email: email.optional(),
		zone: optionalText,
		customer_remarks: optionalText,
		individual: z.boolean().optional(),
		organization: z.boolean().optional(),
		channel_partner: z.boolean().optional(),
		remarks: optionalText,
		primary_source: optionalText,
		secondary_source: optionalText,
		tertiary_source: optionalText,
		additional_fields: fieldMap,
		associate_fields: fieldMap,
		update: z.boolean(),
	})
	.superRefine((c, ctx) => {
		if (c.phone === undefined && c.email_id === undefined) {
			ctx.addIssue({
				code: 'custom',
				path: ['phone'],
				message: 'Kapture needs a phone or an email with the name: give at least one of Phone and Email',
			});
		}
	});

export const contactSchema = z
	.object({
		contact_id: optionalText,
		title: optionalText,
		first_name: optionalText,
		last_name: optionalText,
		contact_person_name: optionalText,
		country_code: optionalText,
		contact_person_phone: phone.optional(),
		contact_person_email: email.optional(),
		additional_contact_phone: phone.optional(),
		dob: optionalText,
		gender: optionalText,
		update: z.boolean(),
		matchEmailPhone: z.boolean(),
	})
	.superRefine((c, ctx) => {
		if (c.contact_person_phone === undefined && c.contact_person_email === undefined) {
			ctx.addIssue({
				code: 'custom',
				path: ['contact_person_phone'],
				message: 'each contact needs a phone or an email (Kapture requires one of them)',
			});
		}
	});

export const enquiryInfoSchema = z.object({
	enquiry_id: optionalText,
	assign_emp_name: optionalText,
	assign_emp_code: optionalText,
	assign_emp_email: email.optional(),
	round_robin_key: optionalText,
	next_follow_up_date: optionalText,
	action: optionalText,
	subStatus: optionalText,
	remarks: optionalText,
	additional_fields: fieldMap,
	associate_fields: fieldMap,
	update: z.boolean(),
});

/** POST /ms/customer/customer/api/v1/add-update. Every `update` flag says the same thing. */
export const addUpdateBodySchema = z
	.object({
		customer_info: customerInfoSchema,
		contact_info: z.array(contactSchema).optional(),
		enquiry_info: enquiryInfoSchema.optional(),
	})
	.superRefine((b, ctx) => {
		const update = b.customer_info.update;
		(b.contact_info ?? []).forEach((c, i) => {
			if (c.update !== update) ctx.addIssue({ code: 'custom', path: ['contact_info', i, 'update'], message: `must be ${update} like customer_info.update` });
		});
		if (b.enquiry_info && b.enquiry_info.update !== update) {
			ctx.addIssue({ code: 'custom', path: ['enquiry_info', 'update'], message: `must be ${update} like customer_info.update` });
		}
	});

export type AddUpdateBody = z.infer<typeof addUpdateBodySchema>;
export type CustomerInfo = z.infer<typeof customerInfoSchema>;
export type Contact = z.infer<typeof contactSchema>;
export type EnquiryInfo = z.infer<typeof enquiryInfoSchema>;

/** The success answer: `{status: "success", customer: {customer_id, contact_id, action, action_event}, message}`. */
export const addUpdateResponseSchema = z.looseObject({
	status: z.literal('success'),
	message: z.string().optional(),
	customer: z
		.looseObject({
			result: z.boolean().optional(),
			customer_id: z.union([z.number(), z.string()]).optional(),
			contact_id: z.union([z.number(), z.string()]).optional(),
			action: z.string().optional(),
			action_event: z.string().optional(),
		})
		.optional(),
});
export type AddUpdateResponse = z.infer<typeof addUpdateResponseSchema>;
