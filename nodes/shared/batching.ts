/** Chunking and a bounded-concurrency pool: a real bound on requests in flight, not staggered starts. */
import { sleep } from 'n8n-workflow';
import pLimit from 'p-limit';

export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown } | { ok: false; skipped: true };

export interface TaskQueue<T, R> {
	/** Adds work; it starts as soon as fewer than `concurrency` tasks are running (at the caller's next await). */
	push(input: T): void;
	/** Whether a task failed and `stopOnError` holds new work back. */
	readonly stopped: boolean;
	/** Waits for everything pushed before the call; results in push order. */
	done(): Promise<Array<Settled<R>>>;
}

/**
 * A queue with at most `concurrency` tasks running, on p-limit (which n8n provides at run time:
 * 3.1.0 in n8n 2.41.1, CommonJS; its ESM-only successors load through Node's require(esm) the same
 * way). Work can be pushed while earlier work is in flight, so a bulk run sends its first request
 * while it is still validating the later records; a pushed task starts as soon as a slot is free
 * and the pushing code next awaits. With `stopOnError`, nothing new starts after a task fails
 * (running ones finish), and work never started is reported as skipped.
 */
export function taskQueue<T, R>(
	concurrency: number,
	task: (input: T, index: number) => Promise<R>,
	stopOnError = false,
): TaskQueue<T, R> {
	const limit = pLimit(Math.max(1, Math.floor(concurrency) || 1));
	const results: Array<Promise<Settled<R>>> = [];
	let stopped = false;
	const run = async (input: T, index: number): Promise<Settled<R>> => {
		if (stopped) return { ok: false, skipped: true };
		try {
			return { ok: true, value: await task(input, index) };
		} catch (error) {
			if (stopOnError) stopped = true;
			return { ok: false, error };
		}
	};
	return {
		push(input) {
			results.push(limit(run, input, results.length));
		},
		get stopped() {
			return stopped;
		},
		async done() {
			return await Promise.all(results);
		},
	};
}

/** Runs `task` over `inputs` with at most `concurrency` running at once (see taskQueue). */
export async function runPool<T, R>(
	inputs: readonly T[],
	concurrency: number,
	task: (input: T, index: number) => Promise<R>,
	stopOnError = false,
): Promise<Array<Settled<R>>> {
	const queue = taskQueue(concurrency, task, stopOnError);
	for (const input of inputs) queue.push(input);
	return await queue.done();
}

/** At most one real yield per this many milliseconds: each costs a timer tick (about 1 ms). */
const YIELD_AFTER_MS = 50;
let lastYield = 0;

/**
 * Lets timers and sockets run during a long synchronous loop (e.g. every few thousand records):
 * answers of requests in flight are read, and a pushed task gets its slot. n8n-workflow's sleep,
 * since n8n refuses a community node that uses the timer globals itself. sleep(0) waits for the
 * next timer tick (about 1 ms, where setImmediate waited for nothing), so a call within 50 ms of
 * the last yield returns at once: the loop is still never blocked for much more than 50 ms, and
 * 100,000 records validated in about 0.75 s pay about 15 ticks instead of 50.
 */
export async function yieldToEventLoop(now = false): Promise<void> {
	// `now`: a tick whatever the time, e.g. for a request just queued to leave before more work.
	if (!now && Date.now() - lastYield < YIELD_AFTER_MS) return;
	await sleep(0);
	lastYield = Date.now();
}
