/**
 * The loose-value helpers skip work on the values bulk runs are made of (text with nothing to
 * trim, a date already YYYY-MM-DD, a payment status already in its words). These tests hold the
 * shortcuts to the plain definitions over awkward text: white space of every kind at either end.
 */
import { buildRecord, FIELDS } from '../../nodes/TimePay/fields';
import { isBlank, toIsoDateLoose, toStringLoose, trimmed } from '../../nodes/shared/normalize';

const SPACES = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const CORES = ['', 'a', 'paid', 'PAID', ' Paid ', '2025-03-05', '2025-03-05T10:00:00Z', '05/03/2025', 'नमस्ते', '\u200b', '~', '!x!', '1e3'];
const texts = CORES.flatMap((core) => [core, ...SPACES.flatMap((s) => [s + core, core + s, s + core + s])]);

describe('Loose values: the shortcuts give what the plain definitions give', () => {
	test('trimmed is String.prototype.trim', () => {
		for (const t of texts) expect([t, trimmed(t)]).toEqual([t, t.trim()]);
	});

	test('isBlank: nothing, or text that trims to nothing', () => {
		for (const t of texts) expect([t, isBlank(t)]).toEqual([t, t.trim() === '']);
		expect([isBlank(undefined), isBlank(null), isBlank(0), isBlank(false)]).toEqual([true, true, false, false]);
	});

	test('toStringLoose and toIsoDateLoose on text', () => {
		const isoDate = (s: string) => /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s)?.[1] ?? s;
		for (const t of texts) {
			expect([t, toStringLoose(t)]).toEqual([t, t.trim()]);
			expect([t, toIsoDateLoose(t)]).toEqual([t, isoDate(t.trim())]);
		}
	});

	test('a payment status is trimmed and lower-cased, whatever its spelling', () => {
		for (const t of texts) {
			const record = buildRecord('debtCollection', { payment_status: t }, false);
			expect([t, record.payment_status]).toEqual([t, t.trim() === '' ? undefined : t.trim().toLowerCase()]);
		}
	});

	test("a record has its campaign type's fields in FIELDS' order; a blank one is left out of the request", () => {
		for (const kind of ['debtCollection', 'leadGeneration'] as const) {
			const ids = FIELDS[kind].map((f) => f.id);
			const full = buildRecord(kind, Object.fromEntries(ids.map((id) => [id, `x ${id}`])), false);
			expect(Object.keys(full)).toEqual(ids);
			expect(Object.values(full).every((v) => v !== undefined)).toBe(true);
			const blank = buildRecord(kind, { ...Object.fromEntries(ids.map((id) => [id, '  '])), [ids[1]]: 'A' }, false);
			expect(JSON.parse(JSON.stringify(blank))).toEqual({ [ids[1]]: 'A' });
		}
	});
});
