/**
 * The credential tests (the editor's "Test" button) of the four nodes: one probe request each,
 * which cannot create anything, and one table per vendor that reads its answer. The first row
 * that matches the answer's status (and, when given, its text) decides; an answer no row
 * matches is reported as unexpected, with the vendor's own words.
 */
import type { ICredentialTestFunctions, IDataObject, INodeCredentialTestResult } from 'n8n-workflow';

import { redactText } from './redact';

export interface ProbeRequest {
	method: 'GET' | 'POST';
	uri: string;
	authorization: string;
	body?: IDataObject;
	qs?: IDataObject;
}

/** The answer whatever its status, or why there was none, with the secrets scrubbed from it. */
export type ProbeResult = { statusCode: number; body: unknown } | { unreachable: string };

/** n8n gives a credential test only the older `request` helper, so it is used here and nowhere else. */
export async function probe(ctx: ICredentialTestFunctions, req: ProbeRequest, secrets: readonly string[]): Promise<ProbeResult> {
	try {
		// ICredentialTestFunctions offers only `request` (n8n-workflow 2.x has no httpRequest there).
		const res = (await ctx.helpers.request({
			method: req.method,
			uri: req.uri,
			...(req.body !== undefined ? { body: req.body } : {}),
			...(req.qs !== undefined ? { qs: req.qs } : {}),
			json: true,
			headers: { Authorization: req.authorization },
			resolveWithFullResponse: true,
			simple: false,
			timeout: 15_000,
		})) as { statusCode: number; body?: unknown };
		return { statusCode: res.statusCode, body: res.body };
	} catch (error) {
		return { unreachable: redactText(error instanceof Error ? error.message : String(error), secrets) };
	}
}

/** An answer as the table reads it: status, and the vendor's own words (secrets removed). */
export interface Answer {
	status: number;
	said: string;
	body: unknown;
}

/** One row of a vendor's table: which answers it matches, and the verdict. */
export interface AnswerRow {
	/** Status codes this row matches; '2xx' for any success. */
	status: number[] | '2xx';
	/** Matches only when the vendor's words (or body) also fit, e.g. Kapture's "Invalid Auth Key". */
	when?: (answer: Answer) => boolean;
	ok: boolean;
	message: string | ((answer: Answer) => string);
}

export interface CredentialCheck {
	/** Shown in messages: "TimePay", "Kapture CRM", ... */
	service: string;
	request: ProbeRequest;
	secrets: readonly string[];
	/** The vendor's own words from an answer's body. */
	said: (body: unknown) => string | undefined;
	answers: AnswerRow[];
}

/** ": <said>" when the vendor said something, else "". */
export const saying = (a: Answer, fallback = '') => (a.said || fallback ? `: ${a.said || fallback}` : '');

function matches(row: AnswerRow, a: Answer): boolean {
	const status = row.status === '2xx' ? a.status >= 200 && a.status < 300 : row.status.includes(a.status);
	return status && (!row.when || row.when(a));
}

/** Sends the probe and reads its answer with the vendor's table. */
export async function checkCredential(ctx: ICredentialTestFunctions, check: CredentialCheck): Promise<INodeCredentialTestResult> {
	const res = await probe(ctx, check.request, check.secrets);
	if ('unreachable' in res) return { status: 'Error', message: `Could not reach ${check.service}: ${res.unreachable}` };
	return readAnswer(check, { status: res.statusCode, body: res.body, said: redactText(check.said(res.body) ?? '', check.secrets) });
}

export function readAnswer(check: Pick<CredentialCheck, 'service' | 'answers'>, a: Answer): INodeCredentialTestResult {
	const row = check.answers.find((r) => matches(r, a));
	if (!row) return { status: 'Error', message: `Unexpected answer from ${check.service}: HTTP ${a.status}${a.said ? ` ${a.said}` : ''}` };
	return { status: row.ok ? 'OK' : 'Error', message: typeof row.message === 'function' ? row.message(a) : row.message };
}
