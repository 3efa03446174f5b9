const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/**
 * Checks a base URL from a credential: https anywhere, plain http only for loopback
 * (the sandbox, a local proxy). Returns the URL without a trailing slash, or a reason.
 */
export function checkBaseUrl(raw: unknown): { url: string } | { problem: string } {
	if (typeof raw !== 'string' || raw.trim() === '') return { problem: 'is empty' };
	let parsed: URL;
	try {
		parsed = new URL(raw.trim());
	} catch {
		return { problem: `"${raw}" is not a valid URL` };
	}
	if (parsed.username || parsed.password) return { problem: 'must not contain a user name or password' };
	if (parsed.search || parsed.hash) return { problem: 'must not contain a query string or fragment' };
	if (parsed.protocol === 'http:' && !LOOPBACK.test(parsed.hostname)) {
		return { problem: `must use https (plain http is accepted only for localhost/127.0.0.1), got ${parsed.origin}` };
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		return { problem: `must use https, got ${parsed.protocol}` };
	}
	return { url: parsed.toString().replace(/\/+$/, '') };
}
