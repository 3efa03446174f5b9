/**
 * Callback window dates: n8n date-times (ISO strings from the date picker, Luxon DateTimes and JS
 * Dates from expressions) turned into LCM's `dd/MM/yyyy HH:mm`, in the timezone the user picked.
 * Luxon does the calendar and timezone work; n8n provides it at run time (as it does for its own
 * expressions), so the package ships no copy.
 * - A value with an offset or Z, a Date or a DateTime is an instant: shown as the wall-clock time
 *   of the chosen timezone.
 * - A value without an offset (what n8n's date picker gives) is already a wall-clock time: it is
 *   sent as written, read as a time in the chosen timezone (even one that a daylight-saving change
 *   skips there: LCM gets the time the user wrote, not a shifted one).
 * - A value already in `dd/MM/yyyy HH:mm` is sent as is.
 * Seconds are dropped (LCM takes minutes).
 */
import { DateTime, IANAZone } from 'luxon';

export interface LcmDate {
	/** dd/MM/yyyy HH:mm */
	text: string;
	/** yyyyMMddHHmm, to compare two dates of the same timezone */
	sortKey: string;
}

export const LCM_DATE_FORMAT = 'dd/MM/yyyy HH:mm';

/**
 * The ISO 8601 forms accepted: a date, optionally a time (T or a space), optionally an offset.
 * Hours go to 23: Luxon reads ISO's 24:00 as the next midnight, which LCM's format cannot show.
 */
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ](?:[01]\d|2[0-3]):\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const LCM = /^\d{2}\/\d{2}\/\d{4} (?:[01]\d|2[0-3]):\d{2}$/;
const OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;
/** Wall-clock times are checked and formatted in UTC, which has no gaps: they keep what was written. */
const AS_WRITTEN = { zone: 'utc' };

/** Whether `zone` is an IANA timezone this runtime knows. */
export function isTimeZone(zone: string): boolean {
	return zone !== '' && IANAZone.isValidZone(zone);
}

function lcm(dt: DateTime): LcmDate | undefined {
	if (!dt.isValid || dt.year < 1000 || dt.year > 9999) return undefined;
	return { text: dt.toFormat(LCM_DATE_FORMAT), sortKey: dt.toFormat('yyyyMMddHHmm') };
}

interface InstantLike {
	toMillis?: () => number;
	toJSDate?: () => Date;
	isValid?: boolean;
}

/** The date in LCM's format, or undefined when `value` is not a date-time. `zone` must be valid. */
export function toLcmDate(value: unknown, zone: string): LcmDate | undefined {
	if (value instanceof Date) return lcm(DateTime.fromJSDate(value, { zone }));
	if (value && typeof value === 'object') {
		// A DateTime from n8n's expressions may come from another copy of Luxon: read its instant.
		const dt = value as InstantLike;
		if (dt.isValid === false) return undefined;
		if (typeof dt.toMillis === 'function') return lcm(DateTime.fromMillis(dt.toMillis(), { zone }));
		if (typeof dt.toJSDate === 'function') return lcm(DateTime.fromJSDate(dt.toJSDate(), { zone }));
		return undefined;
	}
	if (typeof value !== 'string') return undefined;
	const s = value.trim();
	if (LCM.test(s)) return lcm(DateTime.fromFormat(s, LCM_DATE_FORMAT, AS_WRITTEN));
	// With an offset the value is an instant, converted to `zone`; without one it is sent as written.
	if (ISO.test(s)) return lcm(DateTime.fromISO(s.replace(' ', 'T').toUpperCase(), OFFSET.test(s) ? { zone } : AS_WRITTEN));
	return undefined;
}
