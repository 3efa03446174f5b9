/** How a payload's problems are found and worded: field, value as given, rule. */
import { z } from 'zod/v4';

import { checkExactly, describeProblem, describeProblems, problemsOf, rule } from '../../nodes/shared/validation';

describe('problemsOf', () => {
	const schema = z.object({ a: z.object({ b: z.number(rule('must be a number')) }), c: z.string(rule('must be text')) });

	test('each issue with its path, the value found there and the rule; a prefix goes before the path', () => {
		const input = { a: { b: 'x' } };
		const r = schema.safeParse(input);
		expect(r.success).toBe(false);
		expect(problemsOf(r.error!, input, 'record.')).toEqual([
			{ field: 'record.a.b', value: 'x', rule: 'must be a number' },
			{ field: 'record.c', value: undefined, rule: 'is required' },
		]);
	});

	test('an issue of the whole value is named by the prefix, or "(record)"', () => {
		const r = z.string(rule('must be a campaign ID')).safeParse(5);
		expect(problemsOf(r.error!, 5, 'campaignId')).toEqual([{ field: 'campaignId', value: 5, rule: 'must be a campaign ID' }]);
		expect(problemsOf(r.error!, 5)).toEqual([{ field: '(record)', value: 5, rule: 'must be a campaign ID' }]);
	});

	test('a path through something that is not an object has no value', () => {
		const r = schema.safeParse({ a: 3, c: 'x' });
		expect(problemsOf(r.error!, { a: 3, c: 'x' })).toEqual([{ field: 'a', value: 3, rule: expect.any(String) }]);
		const deep = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: null } });
		expect(problemsOf(deep.error!, { a: null })[0].value).toBeUndefined();
	});
});

describe('rule', () => {
	const amount = z.number(rule('must be a number'));
	const message = (v: unknown) => amount.safeParse(v).error?.issues[0].message;
	test('missing, not a number, not finite, too large', () => {
		expect(message(undefined)).toBe('is required');
		expect(message('12,000')).toBe('must be a number');
		expect(message(Infinity)).toBe('must be a finite number');
		expect(message(`9${'9'.repeat(400)}`)).toBe('is too large a number to send');
		expect(message('1e5')).toBe('must be a number'); // a number as text is the loose readers' job, not the schema's
	});
});

describe('wording', () => {
	test('required, a rule without a value, and a value', () => {
		expect(describeProblem({ field: 'loan_id', value: undefined, rule: 'is required' })).toBe('field "loan_id" is required');
		expect(describeProblem({ field: 'loan_id', value: undefined, rule: 'must not be empty' })).toBe('field "loan_id": must not be empty');
		expect(describeProblem({ field: 'Send', value: 'x', rule: 'must be one of ...', parameter: true })).toBe('parameter "Send" = "x": must be one of ...');
		expect(describeProblems(3, [
			{ field: 'a', value: 1, rule: 'r1' },
			{ field: 'b', value: 'x', rule: 'r2' },
		])).toBe('Item 3: field "a" = 1: r1; field "b" = "x": r2');
	});
});

describe('checkExactly', () => {
	const schema = z.looseObject({ id: z.string(rule('must be text')) });
	test('returns the very object checked, with its own keys, when it is valid', () => {
		const record = JSON.parse('{"id": "A", "constructor": "c"}') as Record<string, unknown>;
		const checked = checkExactly<Record<string, unknown>>(schema, record);
		expect(checked.ok && checked.value).toBe(record);
	});
	test('a "__proto__" key is a problem at its path, with the prefix, beside the schema\'s own', () => {
		const record = JSON.parse('{"custom": {"__proto__": {"id": "A"}}}') as Record<string, unknown>;
		expect(checkExactly(schema, record, 'data.')).toEqual({
			ok: false,
			problems: [
				{ field: 'data.custom.__proto__', value: undefined, rule: expect.stringContaining('cannot be sent as a field name') },
				{ field: 'data.id', value: undefined, rule: 'is required' },
			],
		});
	});
});
