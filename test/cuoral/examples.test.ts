/**
 * The examples/ workflows, executed through the engine against the sandbox
 * (test/harness/examples.ts reads them).
 */
import type { IDataObject } from 'n8n-workflow';

import { CuoralApi } from '../../credentials/CuoralApi.credentials';
import { KaptureCrmApi } from '../../credentials/KaptureCrmApi.credentials';
import { Cuoral } from '../../nodes/Cuoral/Cuoral.node';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import { registerNode, runNode } from '../harness/engine';
import { loadExample } from '../harness/examples';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';

registerNode('cuoral', new Cuoral(), { cuoralApi: new CuoralApi() });
registerNode('kaptureCrm', new KaptureCrm(), { kaptureCrmApi: new KaptureCrmApi() });

const sb = useSandbox();

const load = loadExample;

const credentials = () => ({
	cuoralApi: { apiKey: sandboxCredentials.cuoral.apiKey, baseUrl: `${sb.current.url}/cuoral` },
	kaptureCrmApi: { subdomain: 'sandbox', token: sandboxCredentials.kapture.token, baseUrl: `${sb.current.url}/kapture` },
	timePayApi: { token: sandboxCredentials.timePay.token, baseUrl: `${sb.current.url}/timepay/api/v1` },
});

describe('examples/', () => {
	test.each([['kapture-add-customer.json'], ['cuoral-create-customer.json'], ['cuoral-kapture-timepay.json']])(
		'%s uses the package type names, a manual trigger and named credentials',
		(file) => {
			const { wf } = load(file);
			expect(wf.nodes[0].type).toBe('n8n-nodes-base.manualTrigger');
			for (const n of wf.nodes.filter((x) => x.type.startsWith('n8n-nodes-crm-dialer.'))) {
				expect(['n8n-nodes-crm-dialer.kaptureCrm', 'n8n-nodes-crm-dialer.cuoral', 'n8n-nodes-crm-dialer.timePay']).toContain(n.type);
				expect(Object.values(n.credentials ?? {})[0].name).toMatch(/\(sandbox\)$/);
			}
			for (const [from, c] of Object.entries(wf.connections)) {
				expect(wf.nodes.map((n) => n.name)).toContain(from);
				expect(wf.nodes.map((n) => n.name)).toContain(((c as IDataObject).main as Array<Array<{ node: string }>>)[0][0].node);
			}
		},
	);

	test('kapture-add-customer.json adds its three samples', async () => {
		const { samples, ours } = load('kapture-add-customer.json');
		const res = await runNode({ type: 'kaptureCrm', parameters: ours[0].parameters, input: samples, credentials: credentials(), onError: 'continueErrorOutput' });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(['added', 'added', 'added']);
		expect(sb.current.state().kapture.customerCount).toBe(3);
	});

	test('cuoral-create-customer.json creates its samples', async () => {
		const { samples, ours } = load('cuoral-create-customer.json');
		const res = await runNode({ type: 'cuoral', parameters: ours[0].parameters, input: samples, credentials: credentials() });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => [o.json.outcome, o.json.source])).toEqual([
			['created', 'web'],
			['created', 'whatsapp'],
		]);
	});

	test('cuoral-kapture-timepay.json: Cuoral → Kapture CRM → TimePay with plain expressions', async () => {
		const { samples, ours } = load('cuoral-kapture-timepay.json');
		const [cuoral, kapture, timePay] = ours;
		const res = await runNode({
			type: 'cuoral',
			parameters: cuoral.parameters,
			input: samples,
			credentials: credentials(),
			next: [
				{ type: 'kaptureCrm', name: kapture.name, parameters: kapture.parameters, credentials: ['kaptureCrmApi'] },
				{ type: 'timePay', name: timePay.name, parameters: timePay.parameters, credentials: ['timePayApi'] },
			],
		});
		expect(res.error).toBeUndefined();
		const cuoralOut = res.outputs[0];
		const kaptureOut = res.byNode[kapture.name][0];
		const timePayOut = res.byNode[timePay.name][0];
		expect(cuoralOut.map((o) => o.json.outcome)).toEqual(['created', 'created']);
		expect(kaptureOut.map((o) => o.json.outcome)).toEqual(['added', 'added']);
		expect(timePayOut.map((o) => o.json.outcome)).toEqual(['added', 'added']);
		expect(timePayOut.map((o) => o.json.id)).toEqual(kaptureOut.map((o) => o.json.customer_id));
		const state = sb.current.state();
		expect(state.kapture.customers[0].info.customer_code).toBe(cuoralOut[0].json.customer_id);
		const leads = state.timePay.campaigns.camp_lead_demo.customers;
		expect(leads[String(kaptureOut[0].json.customer_id)]).toMatchObject({ first_name: 'Asha', last_name: 'Verma', phone_number: '919380491301' });
	});
});
