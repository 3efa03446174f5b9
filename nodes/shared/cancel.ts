/**
 * When a user stops an execution, n8n aborts the execution's cancel signal
 * (`getExecutionCancelSignal`). Everything that waits — a request in flight, a backoff, a
 * Retry-After of up to two minutes — ends at once with an ExecutionCanceledError, and nothing
 * new is sent. Its message says "canceled", which n8n reads as a canceled execution.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

export class ExecutionCanceledError extends NodeOperationError {
	/** Whether a request had left when the stop came (it may have been applied). */
	requestSent = false;
}

/** The execution's cancel signal, if the context has one (an editor's list load has none). */
export function cancelSignal(ctx: object): AbortSignal | undefined {
	const { getExecutionCancelSignal } = ctx as Partial<Pick<IExecuteFunctions, 'getExecutionCancelSignal'>>;
	return typeof getExecutionCancelSignal === 'function' ? getExecutionCancelSignal.call(ctx) : undefined;
}

export function isCanceled(error: unknown): error is ExecutionCanceledError {
	return error instanceof ExecutionCanceledError;
}

export function canceledError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	message: string,
	options: { itemIndex?: number; description?: string; requestSent?: boolean } = {},
): ExecutionCanceledError {
	const { requestSent, ...rest } = options;
	const error = new ExecutionCanceledError(ctx.getNode(), message, rest);
	error.requestSent = requestSent === true;
	return error;
}

/**
 * Waits `ms`, or until the signal aborts (then rejects with `onAbort()`). Races the signal itself
 * as well, so a stop ends the wait even where n8n's sleep does not take a signal.
 */
export async function pause(ms: number, signal: AbortSignal | undefined, onAbort: () => Error): Promise<void> {
	if (!signal) return await sleep(ms);
	if (signal.aborted) throw onAbort();
	let stop: (() => void) | undefined;
	const aborted = new Promise<never>((_, reject) => {
		stop = () => reject(onAbort());
		signal.addEventListener('abort', stop, { once: true });
	});
	try {
		await Promise.race([sleep(ms, signal).catch(() => aborted), aborted]);
	} finally {
		signal.removeEventListener('abort', stop!);
	}
}
