/** Chunking and a bounded-concurrency pool: a real bound on requests in flight, not staggered starts. */

export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown } | { ok: false; skipped: true };

export interface TaskQueue<T, R> {
	/** Adds work; it starts at once if fewer than `concurrency` tasks are running. */
	push(input: T): void;
	/** Whether a task failed and `stopOnError` holds new work back. */
	readonly stopped: boolean;
	/** Waits for everything pushed; results in push order. */
	done(): Promise<Array<Settled<R>>>;
}

/**
 * A queue with at most `concurrency` tasks running. Work can be pushed while earlier work is in
 * flight, so a bulk run sends its first request while it is still validating the later records.
 * With `stopOnError`, nothing new starts after a task fails (running ones finish), and work never
 * started is reported as skipped.
 */
export function taskQueue<T, R>(
	concurrency: number,
	task: (input: T, index: number) => Promise<R>,
	stopOnError = false,
): TaskQueue<T, R> {
	const limit = Math.max(1, Math.floor(concurrency) || 1);
	const inputs: T[] = [];
	const results: Array<Settled<R>> = [];
	let next = 0;
	let running = 0;
	let stopped = false;
	let closed = false;
	let resolveDone: (() => void) | undefined;
	const pump = () => {
		while (!stopped && running < limit && next < inputs.length) {
			const index = next++;
			running++;
			task(inputs[index], index).then(
				(value) => {
					results[index] = { ok: true, value };
				},
				(error: unknown) => {
					results[index] = { ok: false, error };
					if (stopOnError) stopped = true;
				},
			).finally(() => {
				running--;
				pump();
			});
		}
		if (closed && running === 0 && (stopped || next >= inputs.length)) resolveDone?.();
	};
	return {
		push(input) {
			inputs.push(input);
			pump();
		},
		get stopped() {
			return stopped;
		},
		async done() {
			closed = true;
			await new Promise<void>((resolve) => {
				resolveDone = resolve;
				pump();
			});
			for (let i = 0; i < inputs.length; i++) if (!results[i]) results[i] = { ok: false, skipped: true };
			return results;
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

/** Lets timers and sockets run during a long synchronous loop (e.g. every few thousand records). */
export async function yieldToEventLoop(): Promise<void> {
	await new Promise<void>((resolve) => setImmediate(resolve));
}
