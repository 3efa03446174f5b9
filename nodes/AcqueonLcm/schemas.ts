/**
 * Acqueon LCM Create Contact, from shared/api-docs/acqueon-lcm-create-contact.md: the message
 * envelope, its `data` and the answer. One zod schema each; types come from z.infer.
 */
import { z } from 'zod/v4';

import { rule } from '../shared/validation';


const text = (what = 'must be a non-empty string') => z.string(rule(what)).trim().min(1, 'must not be empty');
const optionalText = z.string(rule('must be a string'));
const lcmDate = z
	.string(rule('must be a date-time in dd/MM/yyyy HH:mm format'))
	.regex(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/, 'must be a date-time in dd/MM/yyyy HH:mm format');
const wholeNumber = z.number(rule('must be a whole number')).int('must be a whole number').nonnegative('must not be negative');
const xmlData = z.string(rule('must be an XML string')).startsWith('<Data>', 'must be an XML string with a <Data> root');

/** dd/MM/yyyy HH:mm → yyyyMMddHHmm, to compare two dates. */
const sortable = (d: string) => `${d.slice(6, 10)}${d.slice(3, 5)}${d.slice(0, 2)}${d.slice(11, 13)}${d.slice(14, 16)}`;

/** `data` of a CreateContact message. Every documented key is sent, as in the vendor's sample. */
export const createContactDataSchema = z
	.object({
		CampaignID: text('must be a campaign ID (text)'),
		Calltype: text('must be a call type (text, 0 = fresh contact)'),
		callStartDateTime: lcmDate,
		callEndDateTime: lcmDate,
		BussinessFields: xmlData.refine((x) => x !== '<Data></Data>', 'needs at least one business field'),
		priority: z.number(rule('must be a whole number')).int('must be a whole number'),
		Modes: xmlData.refine((x) => x !== '<Data></Data>', 'needs at least one contact mode'),
		AgentID: optionalText,
		SMSData: optionalText,
		MailSubject: optionalText,
		MailMsg: optionalText,
		MailAttachment: optionalText,
		ZipCode: optionalText,
		ContactDetail: z.union([z.literal(''), xmlData]),
		ListID: wholeNumber,
		IsAccountNumber: z.boolean(rule('must be true or false')),
		Status: wholeNumber,
	})
	.strict()
	.superRefine((d, ctx) => {
		if (sortable(d.callStartDateTime) > sortable(d.callEndDateTime)) {
			ctx.addIssue({
				code: 'custom',
				path: ['callEndDateTime'],
				message: `must not be before the callback start (${d.callStartDateTime})`,
			});
		}
	});
export type CreateContactData = z.infer<typeof createContactDataSchema>;

/** The message POSTed to the gateway. */
export const createContactMessageSchema = z.object({
	channel: z.literal('LCM'),
	topic: z.literal('WebService'),
	subtopic: z.literal('CreateContact'),
	source: text('must be the source application name'),
	data: createContactDataSchema,
});
export type CreateContactMessage = z.infer<typeof createContactMessageSchema>;

/** The answer: only what the node reads; `subtopic` is compared after trimming (the doc's sample pads it). */
export const createContactResponseSchema = z.looseObject({
	channel: z.string().optional(),
	topic: z.string().optional(),
	subtopic: z.string(),
	message: z.looseObject({
		response: z.union([z.string(), z.number()]).optional(),
		error: z.unknown().optional(),
	}),
});
export type CreateContactResponse = z.infer<typeof createContactResponseSchema>;

export const STATUS_OPEN = 0;
export const STATUS_DELIVERED = 4;
