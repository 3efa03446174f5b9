import { chunk, runPool } from '../../nodes/shared/batching';
import { isRealDate, listOf, phoneDigits, textOf, toBooleanLoose, toIsoDateLoose, toNumberLoose, toText } from '../../nodes/shared/normalize';
import { describeProblem, show } from '../../nodes/shared/validation';
import { redactText, redactValue } from '../../nodes/shared/redact';
import { backoffMs, DEFAULT_RETRY, retryAfterMs } from '../../nodes/shared/transport';
import { checkBaseUrl } from '../../nodes/shared/url';

describe('batching', () => {
	test('chunk keeps order and sizes', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(() => chunk([1], 0)).toThrow(RangeError);
	});

	test('runPool never has more than the limit in flight and keeps result order', async () => {
		let inFlight = 0;
		let peak = 0;
		const results = await runPool(Array.from({ length: 20 }, (_, i) => i), 4, async (n) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			await new Promise((r) => setTimeout(r, 5 + (n % 3)));
			inFlight--;
			return n * 2;
		});
		expect(peak).toBe(4);
		expect(results.map((r) => (r.ok ? r.value : null))).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
	});

	test('runPool with stopOnError starts nothing new after a failure and reports the rest as skipped', async () => {
		const started: number[] = [];
		const results = await runPool([0, 1, 2, 3, 4], 1, async (n) => {
			started.push(n);
			if (n === 1) throw new Error('boom');
			return n;
		}, true);
		expect(started).toEqual([0, 1]);
		expect(results.map((r) => (r.ok ? 'ok' : 'skipped' in r ? 'skipped' : 'error'))).toEqual(['ok', 'error', 'skipped', 'skipped', 'skipped']);
	});
});

describe('retry timing', () => {
	test('Retry-After in seconds or as an HTTP date', () => {
		expect(retryAfterMs({ 'retry-after': '3' })).toBe(3000);
		expect(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 4_000)).toBe(6000);
		expect(retryAfterMs({})).toBeUndefined();
		expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
	});

	test('exponential backoff with equal jitter, capped', () => {
		const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
		expect(backoffMs(p, 1, () => 0)).toBe(50);
		expect(backoffMs(p, 1, () => 1)).toBe(100);
		expect(backoffMs(p, 3, () => 1)).toBe(400);
		expect(backoffMs(p, 10, () => 1)).toBe(1000);
		expect(backoffMs(p, 10, () => 0)).toBe(500);
	});
});

describe('redaction', () => {
	test('removes secrets and auth header values from text and nested values', () => {
		expect(redactText('failed with Authorization: Bearer abc.def-123 for tok_SECRET_1', ['tok_SECRET_1'])).toBe('failed with Authorization: Bearer *** for ***');
		expect(redactText('Basic dXNlcjpwYXNz rejected')).toBe('Basic *** rejected');
		expect(redactText('Upgrade from the Basic plan')).toBe('Upgrade from the Basic plan');
		expect(redactValue({ headers: { Authorization: 'Bearer x' }, nested: ['key=tok_SECRET_1'], token: 'abc' }, ['tok_SECRET_1'])).toEqual({
			headers: { Authorization: '***' },
			nested: ['key=***'],
			token: '***',
		});
	});

	test('a scheme is scrubbed only before something token-like; short known values are not scrubbed everywhere', () => {
		expect(redactText('Bearer of bad news')).toBe('Bearer of bad news');
		expect(redactText('Bearer abcdefghijkl')).toBe('Bearer ***'); // 12 letters
		expect(redactText('Bearer abcdefghijk')).toBe('Bearer abcdefghijk'); // 11 letters: a word
		expect(redactText('Bearer abc12345')).toBe('Bearer ***'); // 8 with a digit
		expect(redactText('Bearer abc1234')).toBe('Bearer abc1234');
		// A "secret" of fewer than 4 characters would blank out every occurrence of it in the text.
		expect(redactText('a b c', ['a', ''])).toBe('a b c');
		expect(redactText('password: "hunter2", api-key=k9', [])).toBe('password: "***", api-key=***');
		expect(redactText('Authorization: Basic dXNlcjpwYXNzd29yZA==')).toBe('Authorization: Basic ***');
	});

	test('values: arrays, cycles and non-strings', () => {
		const cyclic: Record<string, unknown> = { n: 1, ok: true, none: null };
		cyclic.self = cyclic;
		expect(redactValue(cyclic)).toEqual({ n: 1, ok: true, none: null, self: '[circular]' });
		expect(redactValue(['Bearer abc12345', { password: 'x' }])).toEqual(['Bearer ***', { password: '***' }]);
		expect(redactValue('tok_SECRET_1 here', ['tok_SECRET_1'])).toBe('*** here');
	});
});

describe('base URLs', () => {
	test.each([
		['https://api.agents.timepay.ai/api/v1/', { url: 'https://api.agents.timepay.ai/api/v1' }],
		['http://127.0.0.1:4010/timepay', { url: 'http://127.0.0.1:4010/timepay' }],
		['http://localhost:4010', { url: 'http://localhost:4010' }],
		['http://[::1]:80/x', { url: 'http://[::1]/x' }],
		['http://api.example.com', { problem: 'must use https (plain http is accepted only for localhost/127.0.0.1), got http://api.example.com' }],
		['https://user:pw@example.com', { problem: 'must not contain a user name or password' }],
		['https://api.example.com/v1?org=7', { problem: 'must not contain a query string or fragment' }],
		['https://api.example.com/v1#top', { problem: 'must not contain a query string or fragment' }],
		['ftp://example.com', { problem: 'must use https, got ftp:' }],
		['not a url', { problem: '"not a url" is not a valid URL' }],
		['', { problem: 'is empty' }],
	])('%s', (raw, expected) => {
		expect(checkBaseUrl(raw)).toEqual(expected);
	});
});

describe('normalising loose input', () => {
	test('numbers, dates and text', () => {
		expect(toNumberLoose(' 12.5 ')).toBe(12.5);
		expect(toNumberLoose('12,000')).toBe('12,000');
		expect(toIsoDateLoose('2025-03-05T23:30:00+05:30')).toBe('2025-03-05');
		expect(toIsoDateLoose(new Date(Date.UTC(2025, 0, 2)))).toBe('2025-01-02');
		expect(toIsoDateLoose({ toISODate: () => '2025-02-03' })).toBe('2025-02-03');
		expect(toIsoDateLoose('05/03/2025')).toBe('05/03/2025');
		expect(isRealDate('2024-02-29')).toBe(true);
		expect(isRealDate('2025-02-29')).toBe(false);
		expect(textOf(undefined)).toBe('');
		expect(textOf(42)).toBe('42');
	});
});

describe('loose values', () => {
	test('a numeric text too large for a number stays text; "true"/"false" are booleans', () => {
		const huge = `1${'0'.repeat(400)}`;
		expect(toNumberLoose(huge)).toBe(huge);
		expect(toNumberLoose('1e3')).toBe(1000);
		expect(toBooleanLoose(' TRUE ')).toBe(true);
		expect(toBooleanLoose('False')).toBe(false);
		expect(toBooleanLoose('yes')).toBe('yes');
	});

	test('text, lists and phone numbers', () => {
		expect(toText(new Date(Date.UTC(2025, 0, 2, 3, 4)))).toBe('2025-01-02T03:04:00.000Z');
		expect(toText({ toISO: () => '2025-01-02T08:34:00.000+05:30' })).toBe('2025-01-02T08:34:00.000+05:30');
		expect(toText({ a: 1 })).toBe('{"a":1}');
		expect(toText(' x ')).toBe(' x ');
		expect(textOf(' x ')).toBe('x');
		expect(listOf(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
		expect(listOf([' a ', 7, ''])).toEqual(['a', '7']);
		expect(listOf(undefined)).toEqual([]);
		expect(phoneDigits('+91 (98) 100-000.01')).toBe('+919810000001');
	});
});

describe('problems name the value as given', () => {
	test('non-finite numbers and bigints are shown as themselves, not as null', () => {
		expect(show(Infinity)).toBe('Infinity');
		expect(show(-Infinity)).toBe('-Infinity');
		expect(show(NaN)).toBe('NaN');
		expect(show(10n)).toBe('10n');
		expect(show({ amount: Infinity })).toBe('{"amount":"Infinity"}');
		expect(show(`1${'0'.repeat(400)}`)).toBe(`"1${'0'.repeat(56)}..."`);
		expect(describeProblem({ field: 'loan_amount', value: NaN, rule: 'must be a finite number' })).toBe('field "loan_amount" = NaN: must be a finite number');
	});
});
