/**
 * The loose-value helpers, all in one place. Input from sheets, webhooks and databases arrives
 * loosely typed: numbers as strings, booleans as "true", dates as ISO strings, JS Dates or Luxon
 * DateTimes, lists as comma-separated text. These helpers turn such values into what the vendor
 * documents, and leave anything they do not recognise untouched for the schema to reject clearly.
 */

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Printable ASCII other than space: never white space to String.prototype.trim. */
const solid = (code: number) => code > 32 && code < 127;

/**
 * `s.trim()`, without making a new string when there is nothing to trim (the usual case, and
 * bulk runs trim a million values): the same value either way.
 */
export function trimmed(s: string): string {
	return s.length > 0 && solid(s.charCodeAt(0)) && solid(s.charCodeAt(s.length - 1)) ? s : s.trim();
}

/**
 * "5000" → 5000. A numeric text too large for a number (400 digits) stays text, so that the
 * problem shows what was given rather than Infinity.
 */
export function toNumberLoose(v: unknown): unknown {
	if (typeof v !== 'string') return v;
	const s = v.trim();
	if (!NUMERIC.test(s)) return v;
	const n = Number(s);
	return Number.isFinite(n) ? n : v;
}

/** "true" / "false" (any case, spaces around) → the boolean; anything else unchanged. */
export function toBooleanLoose(v: unknown): unknown {
	if (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v)) return v.trim().toLowerCase() === 'true';
	return v;
}

export function toStringLoose(v: unknown): unknown {
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	if (typeof v === 'bigint') return v.toString();
	if (typeof v === 'string') return trimmed(v);
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
		const s = trimmed(v);
		if (s.length <= 10) return s; // a date alone, or too short to hold one: as it is
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
	return v === undefined || v === null || (typeof v === 'string' && (v.length === 0 || (!solid(v.charCodeAt(0)) && v.trim() === '')));
}

/**
 * Any value as text, as given: '' for nothing (never "undefined"), dates as ISO date-times,
 * other objects as JSON.
 */
export function toText(v: unknown): string {
	if (typeof v === 'string') return v;
	if (v === undefined || v === null) return '';
	if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
	if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
	const iso = (v as DateTimeLike).toISO;
	if (typeof iso === 'function') return String(iso.call(v) ?? '');
	return JSON.stringify(v) ?? '';
}

/** A text parameter's value, trimmed (see toText). */
export function textOf(v: unknown): string {
	return toText(v).trim();
}

/**
 * A list given as an array or as comma-separated text: strings trimmed, numbers as text, blanks
 * left out. Other entries are kept for the schema to name.
 */
export function listOf(v: unknown): unknown[] {
	const arr = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : v === undefined || v === null ? [] : [v];
	return arr.map((x) => (typeof x === 'number' ? String(x) : typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '');
}

/** A phone number with the spaces, dashes, dots and brackets people type removed. */
export function phoneDigits(v: unknown): unknown {
	const s = toStringLoose(v);
	return typeof s === 'string' ? s.replace(/[\s\-.()]/g, '') : s;
}

/** An n8n/Luxon date or JS Date as text: YYYY-MM-DD, or an ISO date-time; anything else unchanged. */
export function dateText(v: unknown, dateOnly: boolean): unknown {
	if (v instanceof Date && !Number.isNaN(v.getTime())) return dateOnly ? v.toISOString().slice(0, 10) : v.toISOString();
	if (v && typeof v === 'object') {
		const d = v as DateTimeLike;
		const s = dateOnly ? d.toISODate?.() : d.toISO?.();
		if (typeof s === 'string') return s;
	}
	return v;
}
