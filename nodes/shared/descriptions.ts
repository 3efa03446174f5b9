import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { optionChoice } from './params';

const validateOnlyOption: INodeProperties = {
	displayName: 'Validate Only (Dry Run)',
	name: 'validateOnly',
	type: 'boolean',
	default: false,
	description:
		'Whether to only check the input and show what would be sent, with every problem found, without sending anything',
};

/** Options every operation offers; each vendor adds its own next to them. */
export function commonOptions({ concurrency, timeoutSeconds }: { concurrency: number; timeoutSeconds: number }): INodeProperties[] {
	// The defaults differ per operation (per-item vs bulk), hence variables, not literals.
	return [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: concurrency,
			description:
				'How many requests may be in flight at once. A real bound: the next request starts only when one finishes.',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 4,
			description:
				'Attempts per request, the first included. Retries wait with exponential backoff and jitter, honour Retry-After, and happen only where a repeat cannot create a duplicate.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600 },
			default: timeoutSeconds,
			description: 'How long one request may take before it counts as failed',
		},
		validateOnlyOption,
	];
}

export interface CommonOptionValues {
	concurrency: number;
	maxAttempts: number;
	timeoutSeconds: number;
	validateOnly: boolean;
}

/** The common options from an Options collection's value; Validate Only set by an expression must be true or false. */
export function readCommonOptions(
	options: IDataObject,
	defaults: { concurrency: number; timeoutSeconds: number },
	ctx: IExecuteFunctions,
): CommonOptionValues {
	const int = (v: unknown, d: number, min: number, max: number) => {
		const n = typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : d;
		return Math.min(max, Math.max(min, n));
	};
	return {
		concurrency: int(options.concurrency, defaults.concurrency, 1, 50),
		maxAttempts: int(options.maxAttempts, 4, 1, 10),
		timeoutSeconds: int(options.timeoutSeconds, defaults.timeoutSeconds, 1, 600),
		validateOnly: optionChoice<boolean>(ctx, options, validateOnlyOption),
	};
}

/** The "Options" collection of an operation, shown only for it. */
export function optionsField(show: IDisplayOptions['show'], options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, displayOptions: { show }, options };
}

/**
 * The canvas subtitle in the words the editor shows ("Customer → Bulk Add"), not the internal
 * values ("bulkAdd: customer"): an expression looking up the chosen resource and operation in the
 * labels of the node's own Resource and Operation options.
 */
export function operationSubtitle(properties: readonly INodeProperties[]): string {
	const resources = (properties.find((p) => p.name === 'resource')?.options ?? []) as INodePropertyOptions[];
	const labels: Record<string, string> = {};
	for (const op of properties.filter((p) => p.name === 'operation')) {
		for (const resource of (op.displayOptions?.show?.resource ?? []) as string[]) {
			const resourceName = resources.find((r) => r.value === resource)?.name ?? resource;
			for (const o of (op.options ?? []) as INodePropertyOptions[]) labels[`${resource}:${String(o.value)}`] = `${resourceName} → ${o.name}`;
		}
	}
	// A flat object literal: no "}}" inside, which would end n8n's expression early.
	return `={{ (${JSON.stringify(labels)})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}`;
}
