/**
 * A per-record check derived from a payload's zod schema, for the 100,000-record paths: it says,
 * without building anything, whether a value passes the schema; zod itself then explains only the
 * values that do not (and stays the judge: a value the fast check does not pass goes to zod).
 *
 * zod's `safeParse` builds a copy of every object and a `{ value, issues: [] }` pair per field,
 * which for a bulk run of 100,000 records is most of the node's own CPU and garbage. Here every
 * field is still checked by zod's own code — the field schema's `_zod.run` (its type, and its
 * checks: lengths, ranges, integers, enums, refinements) — on one reused payload, and the
 * object's own refinements run on the value itself. A value passes only when no field reported an
 * issue and none was changed (no coercion, default or transform). Anything this does not know
 * (strict or typed catchall, arrays, unions, records, pipes...) is handed to zod whole.
 */
import type { Problem } from './validation';
import { checkExactly } from './validation';

/** zod v4's internals this reads (zod/v4/core: `_zod.def`, `_zod.values`, `_zod.run`, `_zod.check`). */
interface ZodInternals {
	_zod: {
		def: {
			type: string;
			coerce?: boolean;
			shape?: Record<string, ZodInternals>;
			catchall?: ZodInternals;
			innerType?: ZodInternals;
			checks?: CheckInternals[];
		};
		values?: Set<unknown>;
		run: (payload: Payload, ctx: { async: false }) => unknown;
		/** Set when the schema is itself a check too (z.int32(), z.email(), ...). */
		check?: unknown;
	};
}
interface CheckInternals {
	_zod: {
		def: {
			check: string;
			when?: (payload: Payload) => boolean;
			minimum?: number;
			maximum?: number;
			length?: number;
			value?: number;
			inclusive?: boolean;
			format?: string;
			fn?: (value: unknown) => unknown;
		};
		check: (payload: Payload) => unknown;
	};
}
interface Payload {
	value: unknown;
	issues: unknown[];
}

type Check = (value: unknown) => boolean;

const LOOSE_CATCHALL = new Set(['unknown', 'any']);

/**
 * The fast check of `schema`, or undefined when zod's internals are not what this expects. It never
 * passes a value zod refuses — for values without own `__proto__` keys (zod's copy of such an
 * object has another prototype instead; exactChecker refuses them first).
 * Types and checks zod documents are read from the schema's definition (string, number, boolean,
 * enum, literal, optional, nullable, unknown, objects; lengths, ranges, safe integers,
 * refinements); any other kind is run by zod's own code, on one reused payload.
 */
export function fastCheckOf(schema: unknown): Check | undefined {
	const payload: Payload = { value: undefined, issues: [] };
	const ctx = { async: false } as const;
	// A payload that took issues gets a new list (rare: the value then goes to zod anyway).
	const clean = (): boolean => {
		if (payload.issues.length === 0) return true;
		payload.issues = [];
		return false;
	};

	// zod's own parse and checks of one value.
	const zodRun = (s: ZodInternals): Check => (value) => {
		payload.value = value;
		const same = s._zod.run(payload, ctx) === payload && payload.value === value;
		return clean() && same;
	};
	// zod's own code for one check. A check that changes the value (trim, toLowerCase, ...) makes
	// the later checks see another value than this one: zod decides then.
	const zodCheck = (ch: CheckInternals): Check => (value) => {
		payload.value = value;
		const settled = !(ch._zod.check(payload) instanceof Promise);
		const same = payload.value === value;
		return clean() && settled && same;
	};

	const check = (ch: CheckInternals): Check => {
		const d = ch._zod.def;
		let test: Check;
		if (d.check === 'min_length' && typeof d.minimum === 'number') test = (v) => (v as string).length >= d.minimum!;
		else if (d.check === 'max_length' && typeof d.maximum === 'number') test = (v) => (v as string).length <= d.maximum!;
		else if (d.check === 'length_equals' && typeof d.length === 'number') test = (v) => (v as string).length === d.length;
		else if (d.check === 'greater_than' && typeof d.value === 'number') test = d.inclusive ? (v) => (v as number) >= d.value! : (v) => (v as number) > d.value!;
		else if (d.check === 'less_than' && typeof d.value === 'number') test = d.inclusive ? (v) => (v as number) <= d.value! : (v) => (v as number) < d.value!;
		else if (d.check === 'number_format' && d.format === 'safeint') test = (v) => Number.isSafeInteger(v);
		else if (d.check === 'custom' && typeof d.fn === 'function') {
			const fn = d.fn;
			test = (v) => {
				const r = fn(v);
				return !(r instanceof Promise) && Boolean(r);
			};
		} else test = zodCheck(ch);
		const when = d.when;
		if (!when) return test;
		return (v) => {
			payload.value = v;
			return !when(payload) || test(v);
		};
	};

	const withChecks = (s: ZodInternals, type: Check): Check => {
		const checks = (s._zod.def.checks ?? []).map(check);
		if (!checks.length) return type;
		return (v) => {
			if (!type(v)) return false;
			for (const c of checks) if (!c(v)) return false;
			return true;
		};
	};

	const compile = (s: ZodInternals): Check => {
		const def = s._zod.def;
		// Coercion, and schemas that are themselves checks (formats: z.int32(), z.email()...): zod's own run.
		if (def.coerce || s._zod.check !== undefined) return zodRun(s);
		switch (def.type) {
			case 'string':
				return withChecks(s, (v) => typeof v === 'string');
			case 'number':
				return withChecks(s, (v) => Number.isFinite(v));
			case 'boolean':
				return withChecks(s, (v) => typeof v === 'boolean');
			case 'enum':
			case 'literal': {
				const values = s._zod.values;
				return values instanceof Set ? withChecks(s, (v) => values.has(v)) : zodRun(s);
			}
			case 'unknown':
			case 'any':
				return withChecks(s, () => true);
			case 'optional':
			case 'nullable': {
				const inner = def.innerType;
				if (!inner || def.checks?.length || inner._zod.def.type === 'optional') return zodRun(s);
				const innerCheck = compile(inner);
				const empty = def.type === 'optional' ? undefined : null;
				return (v) => v === empty || innerCheck(v);
			}
			case 'object':
				return compileObject(s);
			default:
				return zodRun(s);
		}
	};

	const compileObject = (s: ZodInternals): Check => {
		const def = s._zod.def;
		const checks = def.checks ?? [];
		const catchall = def.catchall?._zod.def.type;
		// A strict or typed catchall checks the other keys; a stripping object runs its refinements
		// on a copy without them: zod's own parse for those.
		if (!def.shape || (catchall ? !LOOSE_CATCHALL.has(catchall) : checks.length > 0)) return zodRun(s);
		const fields = Object.entries(def.shape).map(([key, field]) => ({ key, check: compile(field) }));
		// The object's own refinements (refine, superRefine), run as zod runs them once its fields passed.
		const refinements = checks.map(check);
		return (value) => {
			if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
			for (const f of fields) if (!f.check((value as Record<string, unknown>)[f.key])) return false;
			for (const r of refinements) if (!r(value)) return false;
			return true;
		};
	};

	try {
		if (typeof (schema as ZodInternals)?._zod?.run !== 'function') return undefined;
		const compiled = compile(schema as ZodInternals);
		return (value) => {
			try {
				return compiled(value);
			} catch {
				return false; // zod will say what it is
			}
		};
	} catch {
		return undefined;
	}
}

/**
 * Whether a JSON-like value is free of `__proto__` keys and of numbers JSON cannot carry (see
 * userKeyProblems), read without allocating (nested up to a depth).
 */
function freeOfProtoKeys(value: unknown, depth = 0): boolean {
	if (typeof value === 'number') return Number.isFinite(value);
	if (value === null || typeof value !== 'object') return true;
	if (depth > 16) return false; // deep or circular: the full walk decides
	if (Array.isArray(value)) {
		for (const v of value) if (!freeOfProtoKeys(v, depth + 1)) return false;
		return true;
	}
	for (const key in value) {
		if (key === '__proto__') return false;
		const v = (value as Record<string, unknown>)[key];
		if (typeof v === 'number' ? !Number.isFinite(v) : v !== null && typeof v === 'object' && !freeOfProtoKeys(v, depth + 1)) return false;
	}
	return true;
}

type SafeParsing<T> = Parameters<typeof checkExactly<T>>[0];

/**
 * checkExactly (the value itself checked, `__proto__` keys refused), with the fast check first:
 * zod parses only the values that do not pass, to name their problems.
 */
export function exactChecker<T>(schema: SafeParsing<T>, prefix = ''): (value: T | Record<string, unknown>) => { ok: true; value: T } | { ok: false; problems: Problem[] } {
	const fast = fastCheckOf(schema);
	return (value) => (fast && freeOfProtoKeys(value) && fast(value) ? { ok: true, value: value as T } : checkExactly<T>(schema, value, prefix));
}
