import type { IExecuteFunctions, INodeParameterResourceLocator, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toBooleanLoose } from './normalize';
import type { Problem } from './validation';
import { describeProblems, show } from './validation';

/** A resource locator's stored value (`{ __rl: true, mode, value }`), as saved by the editor. */
export function isResourceLocator(raw: unknown): raw is INodeParameterResourceLocator {
	return typeof raw === 'object' && raw !== null && (raw as { __rl?: unknown }).__rl === true && 'value' in raw;
}

/**
 * A parameter read per item, evaluated once when it holds no expression: reading a fixed value
 * through getNodeParameter for each of 100,000 items costs more than validating the records.
 *
 * A resource locator (e.g. Campaign ID from version 2 of the TimePay node: From List / By ID)
 * reads as its plain value, like a text parameter of version 1 does: `{ __rl, mode, value }`
 * gives `value`, with any expression in it resolved per item.
 */
export function perItemParameter<T>(ctx: IExecuteFunctions, name: string, fallback: T): (itemIndex: number) => T {
	const raw = ctx.getNode().parameters[name];
	const locator = isResourceLocator(raw);
	const inner = locator ? raw.value : raw;
	const isExpression = typeof inner === 'string' && inner.startsWith('=');
	const options = locator ? { extractValue: true } : undefined;
	if (!isExpression) {
		const value = ctx.getNodeParameter(name, 0, fallback, options) as T;
		return () => value;
	}
	return (itemIndex) => ctx.getNodeParameter(name, itemIndex, fallback, options) as T;
}

/** A parameter whose value the editor picks from a list (or a switch), but an expression can set freely. */
export type ChoiceProperty = Pick<INodeProperties, 'displayName' | 'name' | 'type' | 'options'>;

function choicesOf(property: ChoiceProperty): INodePropertyOptions[] {
	return ((property.options ?? []) as INodePropertyOptions[]).filter((o) => o && 'value' in o);
}

/** "Debt Collection ("debtCollection"), Lead Generation ("leadGeneration")" */
function allowedWords(property: ChoiceProperty): string {
	if (property.type === 'boolean') return 'true or false';
	return choicesOf(property)
		.map((o) => (o.name === String(o.value) ? show(o.value) : `${o.name} (${show(o.value)})`))
		.join(', ');
}

/**
 * The value of an options, multiOptions or boolean parameter checked against its description:
 * the value itself (a boolean from "true"/"false" text), or the problem naming the parameter, the
 * value and the allowed values. An expression can give such a parameter anything.
 */
export function checkChoice<T = unknown>(property: ChoiceProperty, value: unknown): { ok: true; value: T } | { ok: false; problem: Problem } {
	const problem = (rule: string): { ok: false; problem: Problem } => ({
		ok: false,
		problem: { field: property.displayName, value, rule, parameter: true },
	});
	if (property.type === 'boolean') {
		const b = toBooleanLoose(value);
		return typeof b === 'boolean' ? { ok: true, value: b as T } : problem('must be true or false');
	}
	const values = choicesOf(property).map((o) => o.value);
	// The listed value itself, or the one it names in other letter case ("male" for "Male").
	const match = (v: unknown) => {
		if (values.includes(v as string)) return { found: true, value: v };
		const folded = typeof v === 'string' ? values.filter((x) => typeof x === 'string' && x.toLowerCase() === v.trim().toLowerCase()) : [];
		return folded.length === 1 ? { found: true, value: folded[0] } : { found: false, value: v };
	};
	if (property.type === 'multiOptions') {
		const list = (Array.isArray(value) ? value : [value]).map(match);
		return list.every((m) => m.found)
			? { ok: true, value: list.map((m) => m.value) as T }
			: problem(`may only hold ${allowedWords(property)}`);
	}
	const m = match(value);
	return m.found ? { ok: true, value: m.value as T } : problem(`must be one of ${allowedWords(property)}`);
}

/** The error for a parameter whose value is not allowed, in the style of every other item error. */
export function choiceError(ctx: { getNode: IExecuteFunctions['getNode'] }, itemIndex: number, problem: Problem): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), describeProblems(itemIndex, [problem]), {
		itemIndex,
		description: 'Nothing was sent. Pick a value from the list, or make the expression give one of the values named.',
	});
}

/**
 * Reads an options, multiOptions or boolean parameter and checks it (see checkChoice); throws
 * the error naming the item, the parameter, the value and the allowed values. `path` is where the
 * value sits when it is not a top-level parameter, e.g. `options.outputMode`.
 */
export function readChoice<T = string>(
	ctx: IExecuteFunctions,
	property: ChoiceProperty & { default?: unknown },
	itemIndex: number,
	path = property.name,
): T {
	const checked = checkChoice<T>(property, ctx.getNodeParameter(path, itemIndex, property.default));
	if (!checked.ok) throw choiceError(ctx, itemIndex, checked.problem);
	return checked.value;
}

/** An options or boolean setting of an Options collection (`raw` is the collection's value), checked. */
export function optionChoice<T = string>(
	ctx: IExecuteFunctions,
	raw: Record<string, unknown>,
	property: ChoiceProperty & { default?: unknown },
): T {
	const value = raw[property.name] === undefined ? property.default : raw[property.name];
	const checked = checkChoice<T>(property, value);
	if (!checked.ok) throw choiceError(ctx, 0, checked.problem);
	return checked.value;
}
