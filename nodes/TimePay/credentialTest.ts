/** The TimePay API credential's test, shared by the TimePay node and the TimePay Call Log Trigger. */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { checkCredential, saying } from '../shared/credentialTest';
import { vendorMessage } from '../shared/transport';
import { checkBaseUrl } from '../shared/url';

/**
 * Reads the campaign list (`GET /campaigns?page=1&limit=1`): a read creates nothing.
 * 200 for a good token, 401/403 for a bad one.
 */
export async function timePayApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const base = checkBaseUrl(data.baseUrl);
	if ('problem' in base) return { status: 'Error', message: `Base URL ${base.problem}` };
	const token = String(data.token ?? '');
	if (!token) return { status: 'Error', message: 'API Token is empty' };
	return await checkCredential(this, {
		service: 'TimePay',
		request: { method: 'GET', uri: `${base.url}/campaigns`, qs: { page: 1, limit: 1 }, authorization: `Bearer ${token}` },
		secrets: [token],
		said: vendorMessage,
		answers: [
			{
				status: '2xx',
				when: (a) => (a.body as { success?: unknown } | undefined)?.success !== false,
				ok: true,
				message: 'Connection successful: the token was accepted',
			},
			{ status: [401, 403], ok: false, message: (a) => `TimePay refused the token (HTTP ${a.status})${saying(a, 'unauthorized')}` },
			{ status: [404], ok: false, message: (a) => `TimePay answered 404${saying(a)}: check the Base URL (it ends in /api/v1)` },
		],
	});
}
