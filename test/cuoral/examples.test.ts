/**
 * The examples/ workflows, executed through the engine against the sandbox: the Code node's
 * sample items become the trigger's pinned input, and each package node runs with its
 * parameters exactly as saved in the example.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { CuoralApi } from '../../credentials/CuoralApi.credentials';
import { KaptureCrmApi } from '../../credentials/KaptureCrmApi.credentials';
import { Cuoral } from '../../nodes/Cuoral/Cuoral.node';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import { registerNode, runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';

registerNode('cuoral', new Cuoral(), { cuoralApi: new CuoralApi() });
registerNode('kaptureCrm', new KaptureCrm(), { kaptureCrmApi: new KaptureCrmApi() });

const sb = useSandbox();

interface ExampleNode {
	name: string;
	type: string;
	parameters: IDataObject;
	credentials?: Record<string, { id: string; name: string }>;
}

function load(file: string) {
	const wf = JSON.parse(readFileSync(join(__dirname, '../../examples', file), 'utf8')) as { nodes: ExampleNode[]; connections: IDataObject };
	const code = wf.nodes.find((n) => n.type === 'n8n-nodes-base.code')!;
	const samples = (new Function(String(code.parameters.jsCode)) as () => Array<{ json: IDataObject }>)().map((x) => x.json);
	// The harness names the trigger "Start": point references to the sample node at it.
	const ours = wf.nodes
		.filter((n) => n.type.startsWith('n8n-nodes-crm-dialer.'))
		.map((n) => ({ ...n, parameters: JSON.parse(JSON.stringify(n.parameters).split(code.name).join('Start')) as IDataObject }));
	return { wf, samples, ours };
}

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
