/**
 * Input from sheets, webhooks and databases arrives loosely typed: numbers as strings, dates as
 * ISO strings, JS Dates or Luxon DateTimes. These helpers turn such values into what the vendor
 * documents, and leave anything they do not recognise untouched for the schema to reject clearly.
 */

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function toNumberLoose(v: unknown): unknown {
	if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v.trim());
	return v;
}

export function toStringLoose(v: unknown): unknown {
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	if (typeof v === 'bigint') return v.toString();
	if (typeof v === 'string') return v.trim();
	return v;
}

interface DateTimeLike {
	toISODate?: () => string | null;
	toISO?: () => string | null;
	isLuxonDateTime?: boolean;
}

/**
 * A calendar date as YYYY-MM-DD. ISO date-times keep the date they were written with (no shift
 * to UTC): "2025-03-05T23:30:00+05:30" is 2025-03-05, as the sender meant it.
 */
export function toIsoDateLoose(v: unknown): unknown {
	if (v instanceof Date) return Number.isNaN(v.getTime()) ? v : v.toISOString().slice(0, 10);
	if (v && typeof v === 'object') {
		const dt = v as DateTimeLike;
		if (typeof dt.toISODate === 'function') return dt.toISODate() ?? v;
	}
	if (typeof v === 'string') {
		const s = v.trim();
		const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
		if (m) return m[1];
		return s;
	}
	return v;
}

const realDates = new Map<string, boolean>();

/** Whether a YYYY-MM-DD string names a real day (no 2025-02-30). Remembered: bulk records share few dates. */
export function isRealDate(s: string): boolean {
	const known = realDates.get(s);
	if (known !== undefined) return known;
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (!m) return false; // only YYYY-MM-DD strings are remembered
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	const real = d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
	if (realDates.size >= 20_000) realDates.clear();
	realDates.set(s, real);
	return real;
}

/** Empty strings and nulls from sheets mean "not given". */
export function isBlank(v: unknown): boolean {
	return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** A text parameter's value: an expression that resolves to nothing is '', never "undefined". */
export function textOf(v: unknown): string {
	if (v === undefined || v === null) return '';
	if (typeof v === 'string') return v.trim();
	if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
	return JSON.stringify(v);
}
