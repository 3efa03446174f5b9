import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
	INodeProperties,
	INodePropertyOptions,
	ResourceMapperField,
} from 'n8n-workflow';
import { ExpressionError, isResourceMapperValue, isSafeObjectProperty, NodeOperationError, validateFieldType } from 'n8n-workflow';

import { toBooleanLoose } from './normalize';
import type { Problem } from './validation';
import { describeProblems, show } from './validation';

/*
 * Reading per-item parameters cheaply. Through n8n's engine one `{{ $json.x }}` costs ~50 µs per
 * item (and more in a real n8n's isolated expression engine): 100,000 records with ten fields
 * mapped one by one spend a minute there. A plain reference to the current item is therefore read
 * from the item directly — giving exactly what n8n's evaluation gives, in both of its expression
 * engines — and anything else goes through n8n as before:
 *
 * - plain: `={{ $json.a }}`, `={{ $json["a b"] }}`, `={{ $json.a.b }}`, `={{ $json.list[0] }}`,
 *   spaces allowed inside the braces; no key n8n's sandbox refuses (__proto__, constructor, ...);
 * - read directly only when the path runs through plain objects and arrays (by index or length) and ends in a string,
 *   number, boolean, null, or nothing (a missing key, or a path through null: n8n gives
 *   undefined); a property of a string, a Date, a nested object as the result, a key inherited
 *   from Object.prototype: n8n evaluates that item, so its own rules apply.
 */

/** The item needs n8n's own evaluation. */
export const EVALUATE = Symbol('evaluate with n8n');

const IDENTIFIER = '[\\p{ID_Start}_][\\p{ID_Continue}\\u200C\\u200D]*';
// An index as JavaScript reads it back: no leading zero (`[01]` is octal), no digits past 2^53.
const SEGMENT = `\\s*(?:\\.\\s*(${IDENTIFIER})|\\[\\s*(?:"([^"\\\\]*)"|'([^'\\\\]*)'|(0|[1-9]\\d{0,14}))\\s*\\])`;
const PLAIN = new RegExp(`^=\\{\\{\\s*\\$json((?:${SEGMENT})+)\\s*\\}\\}$`, 'u');
const SEGMENTS = new RegExp(SEGMENT, 'gu');
// n8n refuses any expression with ".constructor" in it, even inside a key.
const CONSTRUCTOR = /\.\s*constructor/;

/** The path of a plain reference to the current item's json, or undefined for anything else. */
export function plainReference(value: unknown): string[] | undefined {
	if (typeof value !== 'string' || !value.startsWith('={{')) return undefined;
	const m = PLAIN.exec(value);
	// n8n ends the expression at the first `}}`, even inside a quoted key.
	if (!m || CONSTRUCTOR.test(value) || value.indexOf('}}') !== value.length - 2) return undefined;
	const path: string[] = [];
	for (const s of m[1].matchAll(SEGMENTS)) path.push(s[1] ?? s[2] ?? s[3] ?? s[4]);
	return path.every(isSafeObjectProperty) ? path : undefined;
}

function isPlainContainer(v: object): boolean {
	if (Array.isArray(v)) return true;
	const proto = Object.getPrototypeOf(v) as unknown;
	return proto === Object.prototype || proto === null;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,14})$/;

/** What n8n's evaluation of the plain reference `path` gives for this item, or EVALUATE. */
export function readReference(json: unknown, path: readonly string[]): unknown {
	let v: unknown = json;
	for (const key of path) {
		if (v === null || v === undefined) return undefined;
		if (typeof v !== 'object' || !isPlainContainer(v)) return EVALUATE;
		// An array's other own properties: n8n's vm engine copies an array without them.
		if (Array.isArray(v) && key !== 'length' && !ARRAY_INDEX.test(key)) return EVALUATE;
		if (Object.prototype.hasOwnProperty.call(v, key)) v = (v as Record<string, unknown>)[key];
		else if (key in v) return EVALUATE; // inherited: a function, which n8n refuses in its own words
		else v = undefined;
	}
	if (v === null || v === undefined) return v;
	const t = typeof v;
	return t === 'string' || t === 'number' || t === 'boolean' ? v : EVALUATE;
}

/** A resource locator's stored value (`{ __rl: true, mode, value }`), as saved by the editor. */
export function isResourceLocator(raw: unknown): raw is INodeParameterResourceLocator {
	return typeof raw === 'object' && raw !== null && (raw as { __rl?: unknown }).__rl === true && 'value' in raw;
}

/**
 * A parameter read per item. Evaluated once when it holds no expression (reading a fixed value
 * through getNodeParameter for each of 100,000 items costs more than validating the records); read
 * from the item when it is a plain reference (see above); evaluated by n8n otherwise. For
 * parameters without `validateType` (n8n checks nothing else on a top-level value).
 *
 * A resource locator (e.g. Campaign ID from version 2 of the TimePay node: From List / By ID)
 * reads as its plain value, like a text parameter of version 1 does: `{ __rl, mode, value }`
 * gives `value` (getNodeParameter's `extractValue`), a plain reference in it read from the item
 * when its mode is one of `plainModes` — modes without an extractValue pattern, whose value n8n
 * hands over as it is.
 */
export function perItemParameter<T>(
	ctx: IExecuteFunctions,
	name: string,
	fallback: T,
	items?: readonly INodeExecutionData[],
	plainModes: readonly string[] = ['list', 'id'],
): (itemIndex: number) => T {
	const raw = ctx.getNode().parameters[name];
	const locator = isResourceLocator(raw) ? raw : undefined;
	const options = locator ? { extractValue: true } : undefined;
	const evaluate = (itemIndex: number) => ctx.getNodeParameter(name, itemIndex, fallback, options) as T;
	if (!hasExpression(raw)) {
		const value = evaluate(0);
		return () => value;
	}
	const path = items && plainReference(locator ? locator.value : raw);
	if (!items || !path) return evaluate;
	if (locator && (typeof locator.mode !== 'string' || !plainModes.includes(locator.mode))) return evaluate;
	return (itemIndex) => {
		const v = readReference(items[itemIndex]?.json, path);
		return v === EVALUATE ? evaluate(itemIndex) : (v as T);
	};
}

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

type ResourceMapperOptions = NonNullable<NonNullable<INodeProperties['typeOptions']>['resourceMapper']>;

/**
 * The values of a resource mapper's "Map Each Field Below" for one item, as
 * `getNodeParameter('<name>.value', i)` gives them: each field read directly when it is fixed or a
 * plain reference, then n8n's checks of the mapped columns applied as n8n applies them (a required
 * column left empty, each value checked and converted by n8n-workflow's validateFieldType against
 * the column types saved with the node); a field that is any other expression makes n8n evaluate
 * the item. `options` are the property's typeOptions.resourceMapper.
 */
export function mappedValues(
	ctx: IExecuteFunctions,
	items: readonly INodeExecutionData[],
	name: string,
	options: Pick<ResourceMapperOptions, 'mode' | 'showTypeConversionOptions' | 'alwaysConvertFieldsToString'>,
): (itemIndex: number) => IDataObject | null {
	const evaluate = (itemIndex: number) => ctx.getNodeParameter(`${name}.value`, itemIndex, {}) as IDataObject | null;
	const mapper = ctx.getNode().parameters[name] as unknown;
	const raw = (mapper as { value?: unknown } | undefined)?.value;
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return evaluate;
	const fields = Object.entries(raw as Record<string, unknown>).map(([key, value]) => {
		const path = plainReference(value);
		const fixed = !path && !(typeof value === 'string' && value.startsWith('=')) && (value === null || typeof value !== 'object');
		return { key, value, path, fixed };
	});
	if (fields.some((f) => !f.path && !f.fixed)) return evaluate;
	const check = columnChecks(
		ctx,
		mapper,
		options,
		fields.map((f) => f.key),
	);
	return (itemIndex) => {
		const json = items[itemIndex]?.json;
		const out: IDataObject = {};
		for (const f of fields) {
			const v = f.path ? readReference(json, f.path) : f.value;
			if (v === EVALUATE) return evaluate(itemIndex);
			out[f.key] = v as IDataObject[string];
		}
		return check(out, itemIndex);
	};
}

/**
 * n8n-core's checks of a resource mapper's values (validateResourceMapperValue), for one item:
 * per column in the values' order, a required column left empty fails; a column with a type gets
 * n8n-workflow's validateFieldType — called as n8n calls it, except where that function hands the
 * value back unchanged (a string column without conversion, a number that is a number, an option
 * that is one of the options), and empty values, which it makes `undefined`.
 */
function columnChecks(
	ctx: IExecuteFunctions,
	mapper: unknown,
	options: Pick<ResourceMapperOptions, 'mode' | 'showTypeConversionOptions' | 'alwaysConvertFieldsToString'>,
	keys: readonly string[],
): (values: IDataObject, itemIndex: number) => IDataObject {
	if (!isResourceMapperValue(mapper)) return (values) => values;
	const schema = new Map<string, ResourceMapperField>();
	for (const entry of mapper.schema ?? []) if (!schema.has(entry.id)) schema.set(entry.id, entry);
	const checkRequired = options.mode === 'add';
	const conversions = Boolean(options.showTypeConversionOptions);
	const strict = conversions && !mapper.attemptToConvertTypes;
	const parseStrings = conversions && (Boolean(options.alwaysConvertFieldsToString) || Boolean(mapper.convertFieldsToString));
	const columns = keys.map((key) => {
		const entry = schema.get(key);
		const type = entry?.type;
		const lower = type?.toLowerCase();
		const choices = new Set((entry?.options ?? []).map((o) => o.value));
		// Where validateFieldType gives the value back as it is (see its cases).
		const unchanged = (v: unknown): boolean =>
			(lower === 'string' && !parseStrings) ||
			(lower === 'number' && typeof v === 'number' && !Number.isNaN(v)) ||
			(lower === 'options' && typeof v === 'string' && choices.has(v));
		return {
			key,
			type,
			required: checkRequired && entry?.required === true && type !== 'boolean',
			unchanged,
			options: { valueOptions: entry?.options, strict, parseStrings },
		};
	});
	const node = ctx.getNode();
	const fail = (field: string, itemIndex: number, description?: string) =>
		new ExpressionError(`Invalid input for '${field}' [item ${itemIndex}]`, { description, itemIndex, nodeCause: node.name });
	return (values, itemIndex) => {
		for (const c of columns) {
			const value = values[c.key];
			const empty = value === undefined || value === null;
			if (c.required && empty) throw fail(c.key, itemIndex, `The value "${c.key}" is required but not set`);
			if (!c.type) continue;
			if (empty) values[c.key] = undefined;
			else if (!c.unchanged(value)) {
				const result = validateFieldType(c.key, value, c.type, c.options);
				if (!result.valid) throw fail(c.key, itemIndex, result.errorMessage);
				values[c.key] = result.newValue as IDataObject[string];
			}
		}
		return values;
	};
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
		.map((o) => (o.name === String(o.value) ? show(o.value) : o.name.endsWith(`(${String(o.value)})`) ? o.name : `${o.name} (${show(o.value)})`))
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
