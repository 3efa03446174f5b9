/** Callback window dates in LCM's format, computed with Luxon (nodes/AcqueonLcm/dates.ts). */
import { DateTime } from 'luxon';

import { toLcmDate } from '../../nodes/AcqueonLcm/dates';

const text = (v: unknown, zone: string) => toLcmDate(v, zone)?.text;

describe('LCM dates with Luxon', () => {
	test('a wall-clock time is read in the chosen timezone, across daylight-saving changes', () => {
		// New York, 2025-03-09: the clocks skip 02:00 to 02:59. A written time is still sent as written;
		// an instant is shown as New York's clocks show it.
		expect(text('2025-03-09T02:30', 'America/New_York')).toBe('09/03/2025 02:30');
		expect(text('09/03/2025 02:30', 'America/New_York')).toBe('09/03/2025 02:30');
		expect(text('2025-03-09T07:30:00Z', 'America/New_York')).toBe('09/03/2025 03:30');
		expect(text('2025-03-09T06:30:00Z', 'America/New_York')).toBe('09/03/2025 01:30');
		// 2025-11-02: 01:30 happens twice; written, it is sent as written.
		expect(text('2025-11-02T01:30', 'America/New_York')).toBe('02/11/2025 01:30');
	});

	test('ISO forms: a space for the T, a lower-case z, an offset without a colon', () => {
		expect(text('2024-10-24 02:03:00z', 'Asia/Kolkata')).toBe('24/10/2024 07:33');
		expect(text('2024-10-24T02:03-0100', 'UTC')).toBe('24/10/2024 03:03');
		expect(text('  2024-10-24T02:03  ', 'UTC')).toBe('24/10/2024 02:03');
	});

	test('a Luxon DateTime is an instant, whatever zone it carries', () => {
		expect(text(DateTime.fromISO('2024-10-24T07:33', { zone: 'Asia/Kolkata' }), 'UTC')).toBe('24/10/2024 02:03');
		expect(toLcmDate(DateTime.fromISO('2024-10-24T07:33', { zone: 'UTC' }), 'Asia/Kolkata')?.sortKey).toBe('202410241303');
		expect(toLcmDate(DateTime.invalid('no'), 'UTC')).toBeUndefined();
		expect(toLcmDate(new Date(Number.NaN), 'UTC')).toBeUndefined();
	});

	test('what LCM cannot take, or no calendar has, is refused', () => {
		for (const bad of ['2024-10-24T24:00', '24/10/2024 24:00', '2024-10-24T10:60', '2024-10-24T10:59:60', '0999-01-01', '2024-W43-4', '2024-298', '10:30', '2024', '2024-10']) {
			expect([bad, toLcmDate(bad, 'UTC')]).toEqual([bad, undefined]);
		}
	});
});
