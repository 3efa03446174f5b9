/**
 * Cuoral Create Customer payload (shared/api-docs/cuoral-create-customer.md), one zod schema;
 * types from z.infer. Required fields and the email are checked here, before anything is sent.
 */
import { z } from 'zod/v4';

import { rule } from '../shared/validation';

const text = (what = 'must be text') => z.string(rule(what)).min(1, 'must not be empty');
const optionalText = z.string('must be text').min(1, 'must not be empty').optional();
const coordinate = (max: number) =>
	z
		.string('must be a number in decimal degrees')
		.refine((s) => /^[-+]?(\d+\.?\d*|\.\d+)$/.test(s) && Math.abs(Number(s)) <= max, `must be a number in decimal degrees between -${max} and ${max}`);

const ipv4 = z.ipv4();
const ipv6 = z.ipv6();
/**
 * An IPv4 address in dotted-decimal form or an IPv6 address (zod's own checks, no node:net, which
 * n8n does not allow a community node to import). They accept exactly what node:net's isIP accepts,
 * except an IPv6 zone index such as `fe80::1%eth0`, which names a network interface of the machine
 * that wrote it and means nothing as a customer's address (test/cuoral/ip.test.ts compares the two).
 */
export const isIpAddress = (s: string): boolean => ipv4.safeParse(s).success || ipv6.safeParse(s).success;

export const SOURCES = ['web', 'api', 'whatsapp'] as const;

/** POST /external/v1/customers */
export const createCustomerBodySchema = z.object({
	name: text('must be the customer name'),
	email: z.email(rule('must be a valid email address')),
	source: text("must be the acquisition source, e.g. 'web', 'api', 'whatsapp'"),
	whatsapp_number: z
		.string('must be a phone number')
		.regex(/^\+?\d{6,15}$/, 'must be a phone number: 6 to 15 digits, optionally starting with + (spaces and dashes are removed)')
		.optional(),
	ip: z
		.string('must be an IP address')
		.refine(isIpAddress, 'must be an IPv4 or IPv6 address')
		.optional(),
	city: optionalText,
	country: optionalText,
	location: optionalText,
	latitude: coordinate(90).optional(),
	longitude: coordinate(180).optional(),
	is_active: z.boolean('must be true or false').optional(),
	company_id: optionalText,
});
export type CreateCustomerBody = z.infer<typeof createCustomerBodySchema>;

/** The 201 answer: the customer with its generated ids and timestamps. */
export const createdCustomerSchema = z.looseObject({
	id: z.union([z.number(), z.string()]),
	customer_id: z.union([z.string(), z.number()]).optional(),
	time_created: z.string().optional(),
	time_updated: z.string().optional(),
	organization_id: z.union([z.number(), z.string()]).nullable().optional(),
	company_id: z.union([z.number(), z.string()]).nullable().optional(),
});
export type CreatedCustomer = z.infer<typeof createdCustomerSchema>;
