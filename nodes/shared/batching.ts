/** Chunking and a bounded-concurrency pool: a real bound on requests in flight, not staggered starts. */

export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown } | { ok: false; skipped: true };

/**
 * Runs `task` over `inputs` with at most `concurrency` running at once. Results keep the order
 * of the inputs. With `stopOnError`, no new task starts after one fails (the ones running finish),
 * and the tasks never started are reported as skipped.
 */
export async function runPool<T, R>(
	inputs: readonly T[],
	concurrency: number,
	task: (input: T, index: number) => Promise<R>,
	stopOnError = false,
): Promise<Array<Settled<R>>> {
	const limit = Math.max(1, Math.floor(concurrency) || 1);
	const results: Array<Settled<R>> = new Array(inputs.length);
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < inputs.length) {
			const index = next++;
			try {
				results[index] = { ok: true, value: await task(inputs[index], index) };
			} catch (error) {
				results[index] = { ok: false, error };
				if (stopOnError) stopped = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
	for (let i = 0; i < results.length; i++) if (!results[i]) results[i] = { ok: false, skipped: true };
	return results;
}
