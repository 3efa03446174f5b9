/**
 * The cursor of the call-log trigger: which logs it has emitted, kept in the workflow's static
 * data. Pure functions; the node does the requests.
 *
 * TimePay's GET /logs has no "created after" filter and its order is not documented, and a log
 * appears only when its call has ended (so after its start_time). Each poll therefore asks for
 * every log that started at or after
 *
 *     from = min(previous poll's start, newest start_time seen) - lateness window
 *
 * reads all its pages, and emits the logs whose key it has not seen. The keys of the logs that
 * started at or after `from` are kept (older ones can never come back in a later answer, whose
 * `from` is never earlier), so nothing is emitted twice, and a log that shows up late is still
 * emitted as long as it started within the window. A log that appears later than that is missed:
 * the window is the stated bound (README). `from` never goes back before the start from which the
 * kept keys are complete (`keptFrom`), so a window made longer grows from then on instead of
 * emitting forgotten logs again.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

export interface CursorState extends IDataObject {
	/** Version of this shape. */
	v: number;
	/** The filters the cursor was built with: other filters start a new baseline. */
	filterKey: string;
	/** Start (ms) of the last poll that read everything it asked for. */
	since: number;
	/** The newest start_time (ms) seen, or null before the first log. */
	newest: number | null;
	/** Log key → start_time (ms) of the logs that can still come back in an answer. */
	seen: IDataObject;
	/**
	 * A read of the window that a poll's time budget cut short: the next poll goes on from this
	 * page (pages only ever shift towards later pages as logs are added, so none is skipped) and
	 * the scan counts as started when its first poll started.
	 */
	scan: { startedAt: number; nextPage: number; from: number } | null;
	/**
	 * The start (ms) from which `seen` is complete: keys of logs that started earlier were
	 * dropped. A later window never reaches back before it (a longer Late Log Window applies from
	 * then on), or those logs would be emitted again. Absent in cursors saved before it existed.
	 */
	keptFrom?: number;
}

export const CURSOR_VERSION = 2;

export function isCursor(v: unknown, filterKey: string): v is CursorState {
	const c = v as CursorState | undefined;
	return (
		!!c &&
		c.v === CURSOR_VERSION &&
		c.filterKey === filterKey &&
		typeof c.since === 'number' &&
		!!c.seen &&
		typeof c.seen === 'object' &&
		(c.scan === null || (typeof c.scan === 'object' && [c.scan.nextPage, c.scan.startedAt, c.scan.from].every((n) => typeof n === 'number'))) &&
		(c.keptFrom === undefined || typeof c.keptFrom === 'number')
	);
}

/**
 * Where the next query starts (ms): a scan in progress keeps the start it began with; otherwise
 * never before `keptFrom`, the earliest start whose keys are all still known.
 */
export function queryFrom(
	state: Pick<CursorState, 'since' | 'newest'> & { scan?: CursorState['scan']; keptFrom?: number },
	windowMs: number,
): number {
	if (state.scan) return state.scan.from;
	const from = Math.min(state.since, state.newest ?? state.since) - windowMs;
	return state.keptFrom === undefined ? from : Math.max(from, state.keptFrom);
}

const idOf = (v: unknown) => (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';

/** A log's identity: its call_id, else a WhatsApp log's message_id, else a hash of the whole log. */
export function logKey(log: IDataObject): string {
	if (idOf(log.call_id)) return `call:${String(log.call_id)}`;
	if (idOf(log.message_id)) return `message:${String(log.message_id)}`;
	return `hash:${createHash('sha256').update(JSON.stringify(log)).digest('hex').slice(0, 32)}`;
}

export function startMs(log: IDataObject, fallback: number): number {
	const t = typeof log.start_time === 'string' ? Date.parse(log.start_time) : NaN;
	return Number.isNaN(t) ? fallback : t;
}

/** How many seen logs started at or after `from`: what an unchanged window counts. */
export function seenSince(state: Pick<CursorState, 'seen'>, from: number): number {
	let n = 0;
	for (const t of Object.values(state.seen)) if (typeof t === 'number' && t >= from) n++;
	return n;
}

export interface PollResult {
	/** Logs not seen before, oldest first. */
	fresh: IDataObject[];
	next: CursorState;
}

/**
 * Merges the logs one poll read into the cursor. `complete`: the scan of the window reached its
 * last page, and `pollStart` is when that scan started; otherwise `nextPage` is where it goes on.
 */
export function advance(
	state: CursorState,
	logs: IDataObject[],
	opts: { pollStart: number; windowMs: number; complete: true } | { pollStart: number; windowMs: number; complete: false; nextPage: number },
): PollResult {
	const seen: IDataObject = { ...state.seen };
	let newest = state.newest;
	const fresh: Array<{ log: IDataObject; t: number }> = [];
	const from = queryFrom(state, opts.windowMs);
	for (const log of logs) {
		const key = logKey(log);
		const t = startMs(log, opts.pollStart);
		// Outside the window asked for (an API that bounds another time field would send it): its
		// key may already be forgotten, so it is never emitted — it is later than the window allows.
		if (t < from) continue;
		newest = newest === null ? t : Math.max(newest, t);
		if (key in seen) continue;
		seen[key] = t;
		fresh.push({ log, t });
	}
	// A poll that stopped part-way keeps its window (`scan.from`): the next poll reads the pages it
	// did not. `since` moves only when a scan is complete, to when that scan started.
	const kept = state.keptFrom === undefined ? {} : { keptFrom: state.keptFrom };
	const next: CursorState = opts.complete
		? { v: CURSOR_VERSION, filterKey: state.filterKey, since: Math.max(state.since, opts.pollStart), newest, seen, scan: null, ...kept }
		: {
				v: CURSOR_VERSION,
				filterKey: state.filterKey,
				since: state.since,
				newest,
				seen,
				scan: { startedAt: state.scan?.startedAt ?? opts.pollStart, nextPage: opts.nextPage, from },
				...kept,
			};
	// Entries older than the next poll's `from` can never come back in an answer; from now on the
	// cursor knows only the logs that started at or after it.
	const keepFrom = queryFrom(next, opts.windowMs);
	for (const [k, t] of Object.entries(seen)) if (typeof t === 'number' && t < keepFrom) delete seen[k];
	next.keptFrom = keepFrom;
	fresh.sort((a, b) => a.t - b.t);
	return { fresh: fresh.map((f) => f.log), next };
}

/**
 * The state after the first poll, which asked for the logs since `pollStart - windowMs`:
 * everything already there counts as seen, nothing is emitted.
 */
export function baseline(filterKey: string, logs: IDataObject[], pollStart: number, windowMs: number): CursorState {
	const empty: CursorState = { v: CURSOR_VERSION, filterKey, since: pollStart, newest: null, seen: {}, scan: null };
	return advance(empty, logs, { pollStart, windowMs, complete: true }).next;
}
