/** The resource/operation router every node uses: one file per operation behind it. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isCanceled } from './cancel';
import { asNodeError, failedItem } from './outcomes';

export interface Operation {
	description: INodeProperties[];
	execute: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;
}

export type Operations = Record<string, Record<string, Operation>>;

/** Every operation's fields, for the node's description. */
export function operationFields(operations: Operations): INodeProperties[] {
	return Object.values(operations).flatMap((ops) => Object.values(ops).flatMap((op) => op.description));
}

/**
 * Runs the chosen operation. If it fails as a whole (an unusable credential, a bad request-level
 * setting) under continue-on-fail, every input item gets its own paired error item: n8n would
 * otherwise pass the input items through unchanged, looking like successes downstream.
 */
export async function routeOperation(ctx: IExecuteFunctions, operations: Operations): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const op = operations[resource]?.[operation];
	if (!op) throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	try {
		return [await op.execute.call(ctx, items)];
	} catch (error) {
		// A stop by the user ends the node whatever On Error says.
		if (!ctx.continueOnFail() || isCanceled(error)) {
			const nodeError =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error));
			throw nodeError;
		}
		return [
			items.map((_, i) => {
				const e = asNodeError(ctx, error, i);
				return failedItem({}, i, e);
			}),
		];
	}
}
