interface SchemaIssue {
	path: PropertyKey[];
	message: string;
}

export interface Problem {
	field: string;
	value: unknown;
	rule: string;
}

function show(value: unknown): string {
	if (value === undefined) return 'missing';
	if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
	try {
		const s = JSON.stringify(value);
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

export function describeProblem(p: Problem): string {
	if (p.value === undefined) return p.rule === 'is required' ? `field "${p.field}" is required` : `field "${p.field}": ${p.rule}`;
	return `field "${p.field}" = ${show(p.value)}: ${p.rule}`;
}

/** "Item 3: field "emi_due_date" = "2025/1/5": must be a date in YYYY-MM-DD format; ..." */
export function describeProblems(itemIndex: number, problems: Problem[]): string {
	return `Item ${itemIndex}: ${problems.map(describeProblem).join('; ')}`;
}
