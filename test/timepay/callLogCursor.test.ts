/** The call-log cursor's rules, as pure functions (the engine tests drive it over HTTP). */
import type { CursorState } from '../../nodes/TimePay/callLogCursor';
import { advance, baseline, isCursor, logKey, queryFrom, seenSince } from '../../nodes/TimePay/callLogCursor';

const MIN = 60_000;
const T0 = Date.parse('2030-01-01T12:00:00Z');
const log = (id: string, minutesAfterT0: number) => ({ call_id: id, start_time: new Date(T0 + minutesAfterT0 * MIN).toISOString() });
const W = 30 * MIN;

test('the window starts at the earlier of the previous poll and the newest log, minus the lateness window', () => {
	expect(queryFrom({ since: T0, newest: null }, W)).toBe(T0 - W);
	expect(queryFrom({ since: T0, newest: T0 - 90 * MIN }, W)).toBe(T0 - 120 * MIN);
	expect(queryFrom({ since: T0, newest: T0 + 5 * MIN }, W)).toBe(T0 - W);
});

test('keys: call_id, else a hash of the log (the same log, the same key)', () => {
	expect(logKey({ call_id: 'c1' })).toBe('call:c1');
	expect(logKey({ status: 'x', to: '1' })).toBe(logKey({ status: 'x', to: '1' }));
	expect(logKey({ status: 'x', to: '1' })).not.toBe(logKey({ status: 'x', to: '2' }));
});

test('seen keys are kept exactly as long as a later answer can contain their log', () => {
	const s0 = baseline('f', [log('a', -20), log('b', -1)], T0, W);
	expect(Object.keys(s0.seen).sort()).toEqual(['call:a', 'call:b']);
	// An hour later, one new log: the next window starts at min(since, newest) - W = T0+59-30.
	const r = advance(s0, [log('a', -20), log('b', -1), log('c', 59)], { pollStart: T0 + 60 * MIN, windowMs: W, complete: true });
	expect(r.fresh).toEqual([log('c', 59)]);
	expect(Object.keys(r.next.seen)).toEqual(['call:c']);
	expect(queryFrom(r.next, W)).toBe(T0 + 29 * MIN);
	// A log before the window asked for is never emitted, even if its key is forgotten.
	const late = advance(r.next, [log('a', -20)], { pollStart: T0 + 61 * MIN, windowMs: W, complete: true });
	expect(late.fresh).toEqual([]);
});

test('a poll cut short keeps its window and notes where its scan goes on; the scan, once complete, counts from its first poll', () => {
	const s0: CursorState = { v: 2, filterKey: 'f', since: T0, newest: T0 - 90 * MIN, seen: {}, scan: null };
	const from = queryFrom(s0, W);
	expect(from).toBe(T0 - 120 * MIN);
	const r = advance(s0, [log('x', 0)], { pollStart: T0 + 10 * MIN, windowMs: W, complete: false, nextPage: 3 });
	expect([r.next.since, r.next.scan]).toEqual([T0, { startedAt: T0 + 10 * MIN, nextPage: 3, from }]);
	expect(queryFrom(r.next, W)).toBe(from);
	expect(r.next.seen).toEqual({ 'call:x': T0 });
	const r2 = advance(r.next, [log('y', 1)], { pollStart: T0 + 11 * MIN, windowMs: W, complete: false, nextPage: 4 });
	expect(r2.next.scan).toEqual({ startedAt: T0 + 10 * MIN, nextPage: 4, from });
	expect(seenSince(r2.next, queryFrom(r2.next, W))).toBe(2);
	const done = advance(r2.next, [], { pollStart: r2.next.scan!.startedAt, windowMs: W, complete: true });
	expect([done.next.since, done.next.newest, done.next.scan]).toEqual([T0 + 10 * MIN, T0 + MIN, null]);
	expect(queryFrom(done.next, W)).toBe(T0 - 29 * MIN);
});

test('a cursor of other filters or another version is not used', () => {
	const s = baseline('f', [], T0, W);
	expect(isCursor(s, 'f')).toBe(true);
	expect(isCursor(s, 'g')).toBe(false);
	expect(isCursor({ ...s, v: 0 }, 'f')).toBe(false);
	expect(isCursor(undefined, 'f')).toBe(false);
});
