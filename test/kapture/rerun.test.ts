/**
 * Re-runs: the same input executed twice through n8n's engine against the sandbox. Kapture CRM
 * version 2 adds or updates by default (customer matched by Customer ID, phone or email; contacts
 * by phone or email), so a re-run leaves one customer per input item; version 1 nodes keep adding,
 * as they did when they were saved. Cuoral can only create, so the cross-system example's re-run
 * creates its Cuoral customers again, as the README and the node's notice say.
 */
import type { IDataObject } from 'n8n-workflow';

import { CuoralApi } from '../../credentials/CuoralApi.credentials';
import { KaptureCrmApi } from '../../credentials/KaptureCrmApi.credentials';
import { Cuoral } from '../../nodes/Cuoral/Cuoral.node';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import { registerNode, runNode } from '../harness/engine';
import { loadExample } from '../harness/examples';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';

registerNode('kaptureCrm', new KaptureCrm(), { kaptureCrmApi: new KaptureCrmApi() });
registerNode('cuoral', new Cuoral(), { cuoralApi: new CuoralApi() });

const sb = useSandbox();

const credentials = () => ({
	kaptureCrmApi: { subdomain: 'acme', token: sandboxCredentials.kapture.token, baseUrl: `${sb.current.url}/kapture` },
	cuoralApi: { apiKey: sandboxCredentials.cuoral.apiKey, baseUrl: `${sb.current.url}/cuoral` },
	timePayApi: { token: sandboxCredentials.timePay.token, baseUrl: `${sb.current.url}/timepay/api/v1` },
});

/** What a user maps and nothing more: Mode and Match Email/Phone are left at their defaults. */
const params: IDataObject = {
	resource: 'customer',
	operation: 'addOrUpdate',
	customerName: '={{ $json.name }}',
	phone: '={{ $json.phone }}',
	email: '={{ $json.email }}',
	contacts: { contact: [{ phone: '={{ $json.phone }}', email: '={{ $json.email }}' }] },
};

const people: IDataObject[] = [
	{ name: 'Asha Verma', phone: '9380491301', email: 'asha@example.com' },
	{ name: 'Ravi Kumar', phone: '9380491302', email: 'ravi@example.com' },
	{ name: 'Meera Nair', email: 'meera@example.com' },
];

const kapture = () => sb.current.state().kapture as { customerCount: number; customers: Array<{ customer_id: number; contacts: unknown[]; info: IDataObject }>; bodies: IDataObject[] };
const run = async (typeVersion: number, parameters: IDataObject = params, input: IDataObject[] = people) =>
	await runNode({ type: 'kaptureCrm', typeVersion, parameters, input, credentials: credentials() });

describe('Kapture CRM version 2: running the same input twice', () => {
	test('leaves one customer with one contact per input item; the second run updates them', async () => {
		const first = await run(2);
		expect(first.error).toBeUndefined();
		expect(first.outputs[0].map((o) => o.json.outcome)).toEqual(['added', 'added', 'added']);
		const second = await run(2);
		expect(second.error).toBeUndefined();
		expect(second.outputs[0].map((o) => o.json.outcome)).toEqual(['updated', 'updated', 'updated']);
		// The same Kapture ids come back, so downstream mappings (e.g. TimePay lead_id) stay stable.
		expect(second.outputs[0].map((o) => o.json.customer_id)).toEqual(first.outputs[0].map((o) => o.json.customer_id));
		expect(second.outputs[0].map((o) => o.json.contact_id)).toEqual(first.outputs[0].map((o) => o.json.contact_id));
		const state = kapture();
		expect(state.customerCount).toBe(3);
		expect(state.customers.map((c) => c.contacts.length)).toEqual([1, 1, 1]);
	});

	test('sends the update flags and matchEmailPhone that make Kapture match', async () => {
		await run(2, params, people.slice(0, 1));
		const body = kapture().bodies[0] as { customer_info: IDataObject; contact_info: IDataObject[] };
		expect(body.customer_info.update).toBe(true);
		expect(body.contact_info).toEqual([expect.objectContaining({ update: true, matchEmailPhone: true })]);
	});

	test('a changed phone is matched by the email and updated', async () => {
		await run(2);
		const moved = people.map((p, i) => (i === 0 ? { ...p, phone: '9380499999' } : p));
		const again = await run(2, params, moved);
		expect(again.outputs[0].map((o) => o.json.outcome)).toEqual(['updated', 'updated', 'updated']);
		expect(kapture().customerCount).toBe(3);
		expect(kapture().customers[0].info.phone).toBe('9380499999');
	});

	test('"Always Add a New Customer" still adds every run', async () => {
		await run(2, { ...params, mode: 'add' });
		const again = await run(2, { ...params, mode: 'add' });
		expect(again.outputs[0].map((o) => o.json.outcome)).toEqual(['added', 'added', 'added']);
		expect(kapture().customerCount).toBe(6);
	});

	test('a contact with Match Email/Phone off is added again under the same customer', async () => {
		const noMatch = { ...params, contacts: { contact: [{ phone: '={{ $json.phone }}', email: '={{ $json.email }}', matchEmailPhone: false }] } };
		await run(2, noMatch);
		await run(2, noMatch);
		expect(kapture().customerCount).toBe(3);
		expect(kapture().customers.map((c) => c.contacts.length)).toEqual([2, 2, 2]);
	});
});

describe('Kapture CRM version 1 keeps its defaults (saved workflows do not store them)', () => {
	test('a version 1 node without Mode adds again on a re-run, as before', async () => {
		await run(1);
		const again = await run(1);
		expect(again.error).toBeUndefined();
		expect(again.outputs[0].map((o) => o.json.outcome)).toEqual(['added', 'added', 'added']);
		expect(kapture().customerCount).toBe(6);
		const body = kapture().bodies[0] as { customer_info: IDataObject; contact_info: IDataObject[] };
		expect(body.customer_info.update).toBe(false);
		expect(body.contact_info[0].matchEmailPhone).toBe(false);
	});
});

describe('examples/cross-system.json run twice (Cuoral → Kapture CRM → TimePay Bulk Add)', () => {
	test('Kapture and TimePay keep one record per borrower; Cuoral, which can only create, has two', async () => {
		const { samples, ours } = loadExample('cross-system.json');
		const byType = (t: string) => ours.find((n) => n.type.endsWith(`.${t}`) && (t !== 'timePay' || n.parameters.operation === 'bulkAdd'))!;
		const [cuoral, kaptureNode, bulkAdd] = [byType('cuoral'), byType('kaptureCrm'), byType('timePay')];
		const once = async () =>
			await runNode({
				type: 'cuoral',
				typeVersion: cuoral.typeVersion,
				parameters: cuoral.parameters,
				input: samples,
				credentials: credentials(),
				next: [
					{ type: 'kaptureCrm', name: kaptureNode.name, typeVersion: kaptureNode.typeVersion, parameters: kaptureNode.parameters, credentials: ['kaptureCrmApi'] },
					{ type: 'timePay', name: bulkAdd.name, typeVersion: bulkAdd.typeVersion, parameters: bulkAdd.parameters, credentials: ['timePayApi'] },
				],
			});
		const first = await once();
		expect(first.error).toBeUndefined();
		const second = await once();
		expect(second.error).toBeUndefined();
		const outcomes = (r: typeof first, name: string) => r.byNode[name][0].map((o) => o.json.outcome);
		expect(outcomes(first, kaptureNode.name)).toEqual(['added', 'added', 'added']);
		expect(outcomes(second, kaptureNode.name)).toEqual(['updated', 'updated', 'updated']);
		expect(outcomes(second, bulkAdd.name)).toEqual(['already present', 'already present', 'rejected']);
		const state = sb.current.state();
		expect(state.kapture.customerCount).toBe(samples.length);
		expect(state.kapture.customers.map((c: { contacts: unknown[] }) => c.contacts.length)).toEqual(samples.map(() => 1));
		expect(state.timePay.campaigns.camp_debt_demo.customerCount).toBe(2);
		expect(state.cuoral.customerCount).toBe(2 * samples.length);
	});
});
