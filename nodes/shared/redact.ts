/**
 * Secrets never leave the node: every message, description and response body that goes into
 * an output item, an error or a log passes through here first.
 */
// A scheme followed by something token-like (12+ characters, or 8+ with a digit or symbol): a
// token is scrubbed, while "Basic plan" or "Bearer of bad news" stays readable. Known secrets
// are scrubbed by value whatever their shape.
const AUTH_VALUE = /\b(Bearer|Basic)\s+(?:(?=[A-Za-z0-9\-._~+/=:]*[0-9\-._~+/=:])[A-Za-z0-9\-._~+/=:]{8,}|[A-Za-z0-9\-._~+/=:]{12,})/gi;
const AUTH_FIELD = /("?(?:authorization|x-api-key|api[_-]?key|token|password)"?\s*[:=]\s*"?)(?!(?:Bearer|Basic)\s)[^",\s}]+/gi;
/** Keys whose values are secrets whatever they look like (the same names as AUTH_FIELD). */
const AUTH_KEY = /^(?:authorization|x-api-key|api[_-]?key|token|password)$/i;

export function redactText(text: string, secrets: readonly string[] = []): string {
	let out = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) out = out.split(secret).join('***');
	}
	return out.replace(AUTH_VALUE, '$1 ***').replace(AUTH_FIELD, '$1***');
}

/** Deep copy of a JSON value with every string redacted and auth-like keys masked. */
export function redactValue<T>(value: T, secrets: readonly string[] = []): T {
	const seen = new WeakSet<object>();
	const walk = (v: unknown, key?: string): unknown => {
		if (typeof v === 'string') {
			if (key && AUTH_KEY.test(key)) return '***';
			return redactText(v, secrets);
		}
		if (v === null || typeof v !== 'object') return v;
		if (seen.has(v)) return '[circular]';
		seen.add(v);
		if (Array.isArray(v)) return v.map((x) => walk(x));
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
		return out;
	};
	return walk(value) as T;
}
