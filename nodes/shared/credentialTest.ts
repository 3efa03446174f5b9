/**
 * The one request path of the credential tests (the editor's "Test" button). n8n gives a
 * credential test only the older `request` helper, so it is used here and nowhere else.
 */
import type { ICredentialTestFunctions, IDataObject } from 'n8n-workflow';

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
