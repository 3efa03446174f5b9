import { runNode } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import { autoMap, debtRecord, timePayCredentials } from './fixtures';

const sb = useSandbox();

describe('TimePay Customer → Add', () => {
	test('adds each item and pairs every output with its input', async () => {
		const res = await runNode({
			type: 'timePay',
			parameters: { resource: 'customer', operation: 'add', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap },
			input: [debtRecord(1), debtRecord(2), debtRecord(3)],
			credentials: timePayCredentials(sb.current.url),
		});
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => o.json.outcome)).toEqual(['added', 'added', 'added']);
		expect(out.map((o) => o.json.id)).toEqual(['LOAN-000001', 'LOAN-000002', 'LOAN-000003']);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.message).toBe('Customer added to campaign successfully');
		expect(sb.current.state().timePay.campaigns.camp_debt_demo.customerCount).toBe(3);
	});
});
