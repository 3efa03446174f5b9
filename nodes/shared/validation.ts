import { userKeyProblems } from './fieldValues';

interface SchemaIssue {
	path: PropertyKey[];
	message: string;
}

export interface Problem {
	field: string;
	value: unknown;
	rule: string;
	/** A node parameter (named by its label) rather than a field of the payload. */
	parameter?: boolean;
}

/** JSON would print NaN and Infinity as null, and cannot print a bigint: these stay readable. */
function readable(_key: string, v: unknown): unknown {
	if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
	if (typeof v === 'bigint') return `${v}n`;
	return v;
}

/** A value as a problem shows it: JSON, at most 60 characters. */
export function show(value: unknown): string {
	if (value === undefined) return 'missing';
	if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
	if (typeof value === 'number' || typeof value === 'bigint') return String(readable('', value));
	try {
		const s = JSON.stringify(value, readable);
		return s && s.length > 60 ? `${s.slice(0, 57)}...` : String(s);
	} catch {
		return String(value);
	}
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
	let v: unknown = input;
	for (const key of path) {
		if (v === null || typeof v !== 'object') return undefined;
		v = (v as Record<string | number, unknown>)[key];
	}
	return v;
}

/** Each zod issue as field, value and rule, in words a user can act on. */
export function problemsOf(error: { issues: readonly SchemaIssue[] }, input: unknown, prefix = ''): Problem[] {
	return error.issues.map((issue) => {
		const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
		const field = path.length ? prefix + path.join('.') : prefix || '(record)';
		return { field, value: valueAt(input, path), rule: issue.message };
	});
}

/**
 * Checks `value` with `schema` and hands back that very value, never the schema's copy: zod's
 * copy of an object drops a `__proto__` key, re-reads inherited values as own ones, and refuses a
 * record with a `constructor` key, so sending it would send something other than what was checked.
 * Keys named `__proto__` (at any depth) are problems too: see userKeyProblems.
 */
export function checkExactly<T>(
	schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: readonly SchemaIssue[] } } },
	value: T | Record<string, unknown>,
	prefix = '',
): { ok: true; value: T } | { ok: false; problems: Problem[] } {
	const problems = userKeyProblems(value, prefix.replace(/\.$/, ''));
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		// A field the schema names already (e.g. a non-finite loan_amount) is named once, in its words.
		const named = problemsOf(parsed.error, value, prefix);
		const fields = new Set(named.map((p) => p.field));
		return { ok: false, problems: [...problems.filter((p) => !fields.has(p.field)), ...named] };
	}
	return problems.length ? { ok: false, problems } : { ok: true, value: value as T };
}

/** What a node parameter's expression threw for one item, as that item's problem naming the parameter. */
export function thrownProblem(field: string, error: unknown): Problem {
	return { field, value: undefined, rule: error instanceof Error ? error.message : String(error) };
}

export function describeProblem(p: Problem): string {
	const what = `${p.parameter ? 'parameter' : 'field'} "${p.field}"`;
	if (p.value === undefined) return p.rule === 'is required' ? `${what} is required` : `${what}: ${p.rule}`;
	return `${what} = ${show(p.value)}: ${p.rule}`;
}

/** "Item 3: field "emi_due_date" = "2025/1/5": must be a date in YYYY-MM-DD format; ..." */
export function describeProblems(itemIndex: number, problems: readonly Problem[]): string {
	return `Item ${itemIndex}: ${problems.map(describeProblem).join('; ')}`;
}

const NUMERIC_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * A zod error map for one field: "is required" when the value is missing, else `what` — except
 * for a number JavaScript cannot hold (Infinity, NaN, or a numeric text of 400 digits), which is
 * named as such rather than as "not a number".
 */
export const rule = (what: string) => ({
	error: (issue: { input?: unknown }) => {
		const v = issue.input;
		if (v === undefined) return 'is required';
		if (typeof v === 'number' && !Number.isFinite(v)) return 'must be a finite number';
		if (typeof v === 'string' && NUMERIC_TEXT.test(v) && !Number.isFinite(Number(v))) return 'is too large a number to send';
		return what;
	},
});
