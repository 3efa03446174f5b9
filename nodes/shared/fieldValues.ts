/**
 * Turning n8n parameters into vendor payload parts: key/value lists (fixedCollection
 * `multipleValues`) into objects, and "only what the user gave" objects without blanks.
 */
import type { Problem } from './validation';
import { isBlank, toStringLoose } from './normalize';

export interface KeyValuePair {
	key?: unknown;
	value?: unknown;
}

/**
 * A key/value list as an object. Blank rows (no key and no value) are skipped; a value without
 * a key, an empty key after trimming and a key given twice are problems, named by `field`.
 * Values keep their type (an expression may give a number or a boolean); strings are trimmed.
 */
export function keyValuesToObject(
	pairs: readonly KeyValuePair[] | undefined,
	field: string,
): { value: Record<string, unknown>; problems: Problem[] } {
	const value: Record<string, unknown> = {};
	const problems: Problem[] = [];
	(pairs ?? []).forEach((pair, index) => {
		const key = typeof pair.key === 'string' ? pair.key.trim() : pair.key === undefined || pair.key === null ? '' : String(pair.key);
		const v = typeof pair.value === 'string' ? pair.value.trim() : pair.value;
		if (key === '') {
			if (!isBlank(v)) problems.push({ field: `${field}[${index}].key`, value: pair.key ?? undefined, rule: 'a value needs a key (field name)' });
			return;
		}
		if (Object.prototype.hasOwnProperty.call(value, key)) {
			problems.push({ field: `${field}[${index}].key`, value: key, rule: 'is given twice' });
			return;
		}
		value[key] = v === undefined || v === null ? '' : v;
	});
	return { value, problems };
}

/**
 * The entries of `source` that are not blank, renamed by `names` (parameter name → API name);
 * strings trimmed and numbers made strings when `asText` lists the parameter.
 */
export function pickGiven(
	source: Record<string, unknown> | undefined,
	names: Readonly<Record<string, string>>,
	asText: ReadonlySet<string> = new Set(Object.keys(names)),
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	if (!source) return out;
	for (const [param, apiName] of Object.entries(names)) {
		const raw = source[param];
		if (isBlank(raw)) continue;
		out[apiName] = asText.has(param) ? toStringLoose(raw) : raw;
	}
	return out;
}
