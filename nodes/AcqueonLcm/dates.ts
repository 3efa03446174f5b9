/**
 * Callback window dates: n8n date-times (ISO strings from the date picker, Luxon DateTimes and JS
 * Dates from expressions) turned into LCM's `dd/MM/yyyy HH:mm`, in the timezone the user picked.
 * Plain Intl (no Luxon import): the package declares no runtime dependency for it.
 * - A value with an offset or Z, a Date or a DateTime is an instant: shown as the wall-clock time
 *   of the chosen timezone.
 * - A value without an offset (what n8n's date picker gives) is already a wall-clock time: it is
 *   sent as written, read as a time in the chosen timezone.
 * - A value already in `dd/MM/yyyy HH:mm` is sent as is.
 * Seconds are dropped (LCM takes minutes).
 */

export interface LcmDate {
	/** dd/MM/yyyy HH:mm */
	text: string;
	/** yyyyMMddHHmm, to compare two dates of the same timezone */
	sortKey: string;
}

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const LCM = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/;

export const LCM_DATE_FORMAT = 'dd/MM/yyyy HH:mm';

/** Whether `zone` is an IANA timezone this runtime knows. */
export function isTimeZone(zone: string): boolean {
	if (!zone) return false;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function wallClock(y: number, mo: number, d: number, h: number, mi: number): LcmDate | undefined {
	const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
	if (
		date.getUTCFullYear() !== y ||
		date.getUTCMonth() !== mo - 1 ||
		date.getUTCDate() !== d ||
		h > 23 ||
		mi > 59 ||
		y < 1000
	) {
		return undefined;
	}
	return { text: `${pad(d)}/${pad(mo)}/${y} ${pad(h)}:${pad(mi)}`, sortKey: `${y}${pad(mo)}${pad(d)}${pad(h)}${pad(mi)}` };
}

function fromInstant(ms: number, zone: string): LcmDate | undefined {
	if (!Number.isFinite(ms)) return undefined;
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23',
	}).formatToParts(new Date(ms));
	const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
	return wallClock(get('year'), get('month'), get('day'), get('hour'), get('minute'));
}

interface InstantLike {
	toMillis?: () => number;
	toJSDate?: () => Date;
	isValid?: boolean;
}

/** The date in LCM's format, or undefined when `value` is not a date-time. `zone` must be valid. */
export function toLcmDate(value: unknown, zone: string): LcmDate | undefined {
	if (value instanceof Date) return fromInstant(value.getTime(), zone);
	if (value && typeof value === 'object') {
		const dt = value as InstantLike;
		if (dt.isValid === false) return undefined;
		if (typeof dt.toMillis === 'function') return fromInstant(dt.toMillis(), zone);
		if (typeof dt.toJSDate === 'function') return fromInstant(dt.toJSDate().getTime(), zone);
		return undefined;
	}
	if (typeof value !== 'string') return undefined;
	const s = value.trim();
	const lcm = LCM.exec(s);
	if (lcm) return wallClock(Number(lcm[3]), Number(lcm[2]), Number(lcm[1]), Number(lcm[4]), Number(lcm[5]));
	const local = ISO_LOCAL.exec(s);
	if (local) {
		return wallClock(Number(local[1]), Number(local[2]), Number(local[3]), Number(local[4] ?? 0), Number(local[5] ?? 0));
	}
	if (ISO_INSTANT.test(s)) {
		const iso = s.replace(' ', 'T').replace(/z$/, 'Z').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
		// Date.parse accepts impossible days such as 2025-02-30: check the written date first.
		const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
		if (!m || !wallClock(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]))) return undefined;
		return fromInstant(Date.parse(iso), zone);
	}
	return undefined;
}
