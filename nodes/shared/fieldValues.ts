/**
 * Turning n8n parameters into vendor payload parts: key/value lists (fixedCollection
 * `multipleValues`) into objects, and "only what the user gave" objects without blanks.
 *
 * Keys a user supplies (custom fields, additional fields, input fields passed through) are set
 * with `setOwn`: every key becomes an own data property, so no key — `__proto__` included — can
 * reach an object's prototype, and what is validated is what JSON serialisation sends. A key
 * named `__proto__` is then refused by `userKeyProblems` (see checkExactly in validation.ts).
 */
import type { Problem } from './validation';
import { isBlank, toStringLoose } from './normalize';

/** The one key refused everywhere: JavaScript servers read it as an object's prototype, not as data. */
export const PROTO_KEY = '__proto__';

export const PROTO_KEY_RULE =
	'cannot be sent as a field name: servers written in JavaScript take "__proto__" for an object\'s prototype, not for data. Rename the field';

/** Sets `key` as an own, enumerable data property, whatever its name (no setter runs). */
export function setOwn(target: object, key: string, value: unknown): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export const NON_FINITE_RULE = 'must be a finite number: JSON would send it as null';

/**
 * Every own key named `__proto__` in a JSON-like value, at any depth, as a problem naming its
 * path (e.g. `customer_info.additional_fields.__proto__`); and every number JSON cannot carry
 * (NaN, Infinity — e.g. a 400-digit number in a webhook's body), which would go out as null.
 */
export function userKeyProblems(value: unknown, prefix = ''): Problem[] {
	const problems: Problem[] = [];
	const seen = new Set<object>();
	const walk = (v: unknown, path: string) => {
		if (typeof v === 'number' && !Number.isFinite(v)) problems.push({ field: path || '(record)', value: v, rule: NON_FINITE_RULE });
		if (v === null || typeof v !== 'object' || seen.has(v)) return;
		seen.add(v);
		if (Array.isArray(v)) {
			v.forEach((x, i) => walk(x, `${path}[${i}]`));
			return;
		}
		for (const key of Object.keys(v)) {
			const at = path ? `${path}.${key}` : key;
			if (key === PROTO_KEY) problems.push({ field: at, value: undefined, rule: PROTO_KEY_RULE });
			else walk((v as Record<string, unknown>)[key], at);
		}
	};
	walk(value, prefix);
	return problems;
}

export interface KeyValuePair {
	key?: unknown;
	value?: unknown;
}

/**
 * A key/value list as an object. Blank rows (no key and no value) are skipped; a value without
 * a key, an empty key after trimming, a key given twice and the key `__proto__` are problems,
 * named by `field`. Values keep their type (an expression may give a number or a boolean);
 * strings are trimmed.
 */
export function keyValuesToObject(
	pairs: readonly KeyValuePair[] | undefined,
	field: string,
	keyName = 'key',
): { value: Record<string, unknown>; problems: Problem[] } {
	const value: Record<string, unknown> = {};
	const problems: Problem[] = [];
	(pairs ?? []).forEach((pair, index) => {
		const key = typeof pair.key === 'string' ? pair.key.trim() : pair.key === undefined || pair.key === null ? '' : String(pair.key);
		const v = typeof pair.value === 'string' ? pair.value.trim() : pair.value;
		if (key === '') {
			if (!isBlank(v)) problems.push({ field: `${field}[${index}].${keyName}`, value: pair.key ?? undefined, rule: 'a value needs a key (field name)' });
			return;
		}
		if (key === PROTO_KEY) {
			problems.push({ field: `${field}[${index}].${keyName}`, value: key, rule: PROTO_KEY_RULE });
			return;
		}
		if (Object.prototype.hasOwnProperty.call(value, key)) {
			problems.push({ field: `${field}[${index}].${keyName}`, value: key, rule: 'is given twice' });
			return;
		}
		setOwn(value, key, v === undefined || v === null ? '' : v);
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
		if (!Object.prototype.hasOwnProperty.call(source, param)) continue;
		const raw = source[param];
		if (isBlank(raw)) continue;
		out[apiName] = asText.has(param) ? toStringLoose(raw) : raw;
	}
	return out;
}
