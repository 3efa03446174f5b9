/**
 * With n8n's SSRF protection on (N8N_SSRF_PROTECTION_ENABLED, read when n8n's request service is
 * first used — hence a file of its own), the node's requests are checked by it like any other
 * node's: loopback is blocked by default, so nothing reaches the sandbox.
 */
import { runNode } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import { autoMap, debtRecord, timePayCredentials } from '../timepay/fixtures';

process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';

const sb = useSandbox();

test('n8n’s SSRF protection blocks the request; the item fails and names it', async () => {
	const res = await runNode({
		type: 'timePay',
		parameters: { resource: 'customer', operation: 'add', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap },
		input: [debtRecord(1)],
		credentials: timePayCredentials(sb.current.url),
		continueOnFail: true,
	});
	expect(res.error).toBeUndefined();
	const out = res.outputs[0][0].json as { message: string; details: { outcome: string } };
	expect(out.details.outcome).toBe('rejected');
	expect(out.message).toMatch(/blocked|SSRF|not allowed/i);
	expect(sb.current.state().requests).toHaveLength(0);
});
