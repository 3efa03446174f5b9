/**
 * The per-record check derived from a payload's zod schema must agree with zod on every value:
 * it passes exactly what zod passes (and then zod is not asked), and what it does not pass goes to
 * zod, whose problems the item gets. Pure-function tests over awkward values; the bulk operations
 * that use it are tested through n8n's engine in test/timepay.
 */
import { DateTime } from 'luxon';
import { z } from 'zod/v4';

import { exactChecker, fastCheckOf } from '../../nodes/shared/fastCheck';
import { checkExactly } from '../../nodes/shared/validation';
import * as timePay from '../../nodes/TimePay/schemas';
import { debtRecord } from '../timepay/fixtures';

const AWKWARD: unknown[] = [
	undefined,
	null,
	'',
	' ',
	'x',
	'LOAN-1',
	'5',
	'2025-03-05',
	'2025-02-30',
	'pending',
	'PAID',
	0,
	-0,
	-1,
	1,
	1.5,
	24,
	2 ** 53,
	Number.NaN,
	Number.POSITIVE_INFINITY,
	true,
	false,
	{},
	[],
	['a'],
	new Date('2025-03-05'),
	DateTime.fromISO('2025-03-05'),
	10n,
];

/** Each record with one field replaced by each awkward value, removed, and a few extra keys. */
function variants(base: Record<string, unknown>): unknown[] {
	const out: unknown[] = [base, { ...base, custom_field: 'x' }, { ...base, nested: { a: [1, { b: 2 }] } }];
	for (const key of Object.keys(base)) {
		const without = { ...base };
		delete without[key];
		out.push(without);
		for (const v of AWKWARD) out.push({ ...base, [key]: v });
	}
	out.push(...AWKWARD, JSON.parse('{"__proto__":{"x":1}}'), Object.assign(Object.create(null), base), Object.assign(Object.create({ inherited: 1 }), base));
	return out;
}

const debt = () => {
	const r = debtRecord(1);
	return { ...r, loan_amount: r.loan_amount, current_emi: 5, loan_period: 24 } as Record<string, unknown>;
};
const lead = () => ({ lead_id: 'L-1', first_name: 'A', last_name: 'B', phone_number: '9810000001', lead_date: '2025-06-01', language: 'hindi' });
const update = () => ({ id: 'LOAN-1', data: { payment_status: 'paid', emi_amount: 10, current_emi: 2, emi_due_date: '2025-07-05' } });

/** Own `__proto__` keys are screened before the fast check (see exactChecker). */
const hasProtoKey = (v: unknown): boolean =>
	v !== null && typeof v === 'object' && (Object.prototype.hasOwnProperty.call(v, '__proto__') || Object.values(v).some(hasProtoKey));

/**
 * `exact`: the bulk paths' schemas, where every record zod passes must pass fast (zod asked only for
 * failures). `wholeToZod`: schemas the fast check hands to zod whole (it passes nothing itself).
 */
const cases: Array<{ name: string; schema: unknown; values: unknown[]; exact?: boolean; wholeToZod?: boolean }> = [
	{ name: 'debt collection record', schema: timePay.debtRecordSchema, values: [...variants(debt()), { ...debt(), current_emi: 30 }, { ...debt(), current_emi: 24 }], exact: true },
	{ name: 'lead generation record', schema: timePay.leadRecordSchema, values: variants(lead()), exact: true },
	{
		name: 'update record',
		schema: timePay.updateRecordSchema,
		values: [...variants(update()), ...variants(update().data).map((data) => ({ id: 'LOAN-1', data })), { id: 'LOAN-1', data: {} }],
		exact: true,
	},
	{ name: 'initiate calls body (unions, arrays, records)', schema: timePay.initiateCallsBodySchema, values: variants({ agentId: 'a', dispositionId: 'd', limit: 5, filters: { ids: ['x'], payment_status: ['paid'] } }) },
	{ name: 'create campaign body (refinements on a stripping object)', wholeToZod: true, schema: timePay.createCampaignBodySchema, values: variants({ name: 'n', description: 'd', campaignType: 'emi', startDate: '2025-07-01', endDate: '2025-07-31', startTime: '09:00', endTime: '18:00', languages: ['en'], region: 'IN' }) },
	{
		name: 'a loose object of every other kind of field: coerced, defaulted, transformed, unions, arrays, formats',
		schema: z.looseObject({
			a: z.coerce.number(),
			b: z.string().default('x'),
			c: z.string().transform((t) => t.trim()).optional(),
			d: z.union([z.string(), z.number().int()]).optional(),
			e: z.number().lt(5).multipleOf(2).nullable(),
			s: z.string().min(2).max(4).length(3).regex(/^a/),
			n: z.number().gte(1).lte(3),
			i: z.int32(),
			arr: z.array(z.string()).min(1).optional(),
			lit: z.literal('x'),
			en: z.enum(['p', 'q']),
			email: z.email().optional(),
			o: z.strictObject({ k: z.boolean() }).optional(),
			// Checks that change the value before the next check sees it (Acqueon's text fields).
			t: z.string().trim().min(1),
			lc: z.string().toLowerCase().regex(/^[a-z-]+$/),
		}),
		values: [
			...variants({ a: 1, b: 'b', e: 2, s: 'abc', n: 2, i: 3, lit: 'x', en: 'p', t: 'x', lc: 'loan' }),
			{ a: 1, b: 'b', c: ' c ', d: 4, e: 2, s: 'abc', n: 2, i: 3, lit: 'x', en: 'p', t: 'x', lc: 'loan', arr: ['x'], email: 'a@b.co', o: { k: true } },
			...['x', 'a@', 5].map((email) => ({ a: 1, b: 'b', e: 2, s: 'abc', n: 2, i: 3, lit: 'x', en: 'p', t: 'x', lc: 'loan', email })),
			...[' \t ', ' x ', 'x'].map((t) => ({ a: 1, b: 'b', e: 2, s: 'abc', n: 2, i: 3, lit: 'x', en: 'p', t, lc: 'loan' })),
			...['LOAN', 'Loan-1', 'loan-x'].map((lc) => ({ a: 1, b: 'b', e: 2, s: 'abc', n: 2, i: 3, lit: 'x', en: 'p', t: 'x', lc })),
		],
	},
	{ name: 'a strict object with a typed catchall', schema: z.object({ s: z.string() }).catchall(z.number()), values: variants({ s: 'abc', n: 2 }), wholeToZod: true },
];

describe('A check derived from the schema agrees with zod', () => {
	for (const c of cases) {
		test(`${c.name}: never passes what zod refuses${c.exact ? ', and passes all that zod passes' : ''}`, () => {
			const fast = fastCheckOf(c.schema)!;
			expect(fast).toBeDefined();
			const schema = c.schema as { safeParse: (v: unknown) => { success: boolean } };
			const values = c.values.filter((v) => !hasProtoKey(v));
			expect(values.filter((v) => fast(v) && !schema.safeParse(v).success)).toEqual([]);
			if (c.exact) expect(values.filter((v) => !fast(v) && schema.safeParse(v).success)).toEqual([]);
			// Not vacuous: both outcomes occur (where the fast check knows the fields).
			if (!c.wholeToZod) expect(values.some((v) => fast(v))).toBe(true);
			expect(values.some((v) => !fast(v))).toBe(true);
		});
	}

	test('the records of a bulk run: the same verdict and problems as checkExactly, zod asked only for the failures', () => {
		const schema = timePay.debtRecordSchema;
		const values = variants(debt()).filter((v) => v && typeof v === 'object') as Array<Record<string, unknown>>;
		const expected = values.map((v) => checkExactly<Record<string, unknown>>(schema, v));
		const parse = jest.spyOn(schema, 'safeParse');
		try {
			const check = exactChecker<Record<string, unknown>>(schema);
			const got = values.map((v) => check(v));
			expect(got).toEqual(expected);
			for (const [i, r] of got.entries()) if (r.ok) expect(r.value).toBe(values[i]); // the value itself, never a copy
			const failures = expected.filter((r) => !r.ok).length;
			expect(failures).toBeGreaterThan(50);
			expect(parse).toHaveBeenCalledTimes(failures + 0);
		} finally {
			parse.mockRestore();
		}
	});

	test('a __proto__ key, at any depth, goes to the full check and is refused by name', () => {
		const check = exactChecker<timePay.UpdateRecord>(timePay.updateRecordSchema);
		const nested = JSON.parse('{"id":"LOAN-1","data":{"payment_status":"paid","x":{"__proto__":{"polluted":true}}}}');
		expect(check(nested)).toEqual(checkExactly(timePay.updateRecordSchema, nested));
		expect(check(nested).ok).toBe(false);
	});

	test('something that is not a zod schema has no fast check', () => {
		expect(fastCheckOf({ safeParse: () => ({ success: true }) })).toBeUndefined();
		expect(fastCheckOf(undefined)).toBeUndefined();
	});
});
