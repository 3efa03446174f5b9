/**
 * Node versions: version 2 makes Campaign ID and Disposition ID resource locators; a workflow
 * saved with version 1 (plain strings) loads without issues and runs unchanged. Both through
 * n8n's own parameter handling and engine, against the sandbox.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INode, INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { TimePay } from '../../nodes/TimePay/TimePay.node';
import { runNode } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import { autoMap, debtRecord, timePayCredentials } from './fixtures';

const sb = useSandbox();
const creds = () => timePayCredentials(sb.current.url);
const description = new TimePay().description;
const campaign = (id: string) => sb.current.state().timePay.campaigns[id];
const rl = (value: string, mode = 'list') => ({ __rl: true, mode, value });

/** A node as the editor holds it after loading: n8n fills in the defaults of its version. */
function loaded(typeVersion: number, parameters: INodeParameters): INode {
	const node: INode = { id: 'n', name: 'TimePay', type: 'n8n-nodes-crm-dialer.timePay', typeVersion, position: [0, 0], parameters };
	node.parameters = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	return node;
}
const issues = (node: INode) => NodeHelpers.getNodeParametersIssues(description.properties, node, description)?.parameters ?? {};
const shown = (node: INode, name: string): INodeProperties[] =>
	description.properties.filter((p) => p.name === name && NodeHelpers.displayParameter(node.parameters, p, node, description));

const OPERATIONS_WITH_CAMPAIGN: Array<[string, string]> = [
	['customer', 'add'],
	['customer', 'bulkAdd'],
	['customer', 'bulkUpdate'],
	['call', 'initiate'],
	['campaign', 'get'],
];

describe('TimePay node versions', () => {
	test('new nodes are version 2; version 1 stays loadable', () => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});

	test.each(OPERATIONS_WITH_CAMPAIGN)('%s → %s: Campaign ID is text in version 1, a picker (From List / By ID) in version 2', (resource, operation) => {
		const v1 = shown(loaded(1, { resource, operation }), 'campaignId');
		expect(v1.map((p) => p.type)).toEqual(['string']);
		const v2node = loaded(2, { resource, operation });
		const v2 = shown(v2node, 'campaignId');
		expect(v2.map((p) => p.type)).toEqual(['resourceLocator']);
		expect(v2[0].modes?.map((m) => [m.name, m.typeOptions?.searchListMethod, m.typeOptions?.searchable])).toEqual([
			['list', 'searchCampaigns', true],
			['id', undefined, undefined],
		]);
		// A new node starts on "From List", empty, and says so.
		expect(v2node.parameters.campaignId).toEqual({ __rl: true, mode: 'list', value: '' });
		expect(issues(v2node).campaignId).toEqual(['Parameter "Campaign ID" is required.']);
	});

	test('Call Log → Get Many: the campaign filter is an optional picker (text in version 1)', () => {
		expect(shown(loaded(1, { resource: 'callLog', operation: 'getMany' }), 'campaignId').map((p) => p.type)).toEqual(['string']);
		const v2 = loaded(2, { resource: 'callLog', operation: 'getMany' });
		expect(shown(v2, 'campaignId').map((p) => [p.type, p.required])).toEqual([['resourceLocator', false]]);
		expect(issues(v2)).toEqual({});
	});

	test.each([
		[{ resource: 'call', operation: 'initiate' }],
		[{ resource: 'customer', operation: 'add', afterAdding: 'initiateCall' }],
		[{ resource: 'customer', operation: 'bulkAdd', afterAdding: 'initiateCall' }],
	])('Disposition ID is text in version 1, a picker in version 2, and Agent ID stays text (%j)', (parameters) => {
		expect(shown(loaded(1, parameters), 'dispositionId').map((p) => p.type)).toEqual(['string']);
		const v2 = shown(loaded(2, parameters), 'dispositionId');
		expect(v2.map((p) => p.type)).toEqual(['resourceLocator']);
		expect(v2[0].modes?.[0].typeOptions?.searchListMethod).toBe('searchDispositions');
		expect(shown(loaded(2, parameters), 'agentId').map((p) => p.type)).toEqual(['string']);
	});

	test('a version-1 node with plain strings loads without issues, as a version-2 node with picked values does', () => {
		const saved = { resource: 'call', operation: 'initiate', campaignId: 'camp_debt_demo', agentId: 'agent_demo', dispositionId: 'disp_demo' };
		expect(issues(loaded(1, saved))).toEqual({});
		expect(loaded(1, saved).parameters).toMatchObject({ campaignId: 'camp_debt_demo', dispositionId: 'disp_demo' });
		expect(issues(loaded(2, { ...saved, campaignId: rl('camp_debt_demo'), dispositionId: rl('disp_demo', 'id') }))).toEqual({});
	});
});

describe('A workflow saved with version 1 runs unchanged', () => {
	const saved = JSON.parse(readFileSync(join(__dirname, 'saved/v1-add-update-call.json'), 'utf8')) as { nodes: INode[] };
	const [, add, update, call] = saved.nodes;

	test('its nodes load without parameter issues', () => {
		for (const node of [add, update, call]) expect(issues(loaded(node.typeVersion, node.parameters))).toEqual({});
	});

	test('Add (calling each customer) → Bulk Update (mark paid) → Initiate Calls, through the engine', async () => {
		const res = await runNode({
			type: 'timePay',
			typeVersion: add.typeVersion,
			parameters: add.parameters as IDataObject,
			input: [
				{ loan: 'LOAN-9001', first: 'Asha', last: 'Verma', phone: '9876543210' },
				{ loan: 'LOAN-9002', first: 'Ravi', last: 'Kumar', phone: '9876543211' },
			],
			credentials: creds(),
			next: [update, call].map((n) => ({ type: 'timePay', name: n.name, parameters: n.parameters as IDataObject, typeVersion: n.typeVersion })),
		});
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => [o.json.id, o.json.outcome, o.json.callInitiated])).toEqual([
			['LOAN-9001', 'added', true],
			['LOAN-9002', 'added', true],
		]);
		expect(res.byNode['TimePay: Mark Paid'][0].map((o) => [o.json.id, o.json.outcome])).toEqual([
			['LOAN-9001', 'updated'],
			['LOAN-9002', 'updated'],
		]);
		expect(res.byNode['TimePay: Call Again'][0][0].json).toMatchObject({ campaignId: 'camp_debt_demo', outcome: 'initiated', initiated: 2 });
		const c = campaign('camp_debt_demo');
		expect(c.customers['LOAN-9001'].payment_status).toBe('paid');
		expect(c.calls).toEqual(['LOAN-9001', 'LOAN-9002', 'LOAN-9001', 'LOAN-9002']);
	});
});

describe('Version 2: the pickers\' values are read as plain IDs everywhere', () => {
	const run = (parameters: object, input: object[], more: Partial<Parameters<typeof runNode>[0]> = {}) =>
		runNode({ type: 'timePay', typeVersion: 2, parameters: parameters as never, input: input as never, credentials: creds(), ...more });

	test('Add: Campaign ID from the list, Disposition ID by ID', async () => {
		const res = await run(
			{ resource: 'customer', operation: 'add', campaignId: rl('camp_debt_demo'), campaignType: 'debtCollection', columns: autoMap, afterAdding: 'initiateCall', agentId: 'agent_demo', dispositionId: rl('disp_demo', 'id') },
			[debtRecord(1)],
		);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json).toMatchObject({ id: 'LOAN-000001', campaignId: 'camp_debt_demo', outcome: 'added', callInitiated: true });
		expect(campaign('camp_debt_demo').calls).toEqual(['LOAN-000001']);
	});

	test('Bulk Add: a fixed picked campaign, and a campaign per item from an expression in By ID', async () => {
		const fixed = await run({ resource: 'customer', operation: 'bulkAdd', campaignId: rl('camp_emi_pune'), campaignType: 'debtCollection', columns: autoMap }, [debtRecord(1), debtRecord(2)]);
		expect(fixed.outputs[0].map((o) => [o.json.campaignId, o.json.outcome])).toEqual([
			['camp_emi_pune', 'added'],
			['camp_emi_pune', 'added'],
		]);
		const perItem = await run(
			{ resource: 'customer', operation: 'bulkAdd', campaignId: rl('={{ $json.campaign }}', 'id'), campaignType: 'debtCollection', columns: autoMap },
			[debtRecord(3, { campaign: 'camp_bounced' }), debtRecord(4, { campaign: 'camp_hindi_emi' })],
		);
		expect(perItem.outputs[0].map((o) => [o.json.id, o.json.campaignId, o.json.outcome])).toEqual([
			['LOAN-000003', 'camp_bounced', 'added'],
			['LOAN-000004', 'camp_hindi_emi', 'added'],
		]);
		expect(Object.keys(campaign('camp_hindi_emi').customers)).toEqual(['LOAN-000004']);
	});

	test('Bulk Update and Initiate Calls with picked campaign and disposition', async () => {
		await run({ resource: 'customer', operation: 'bulkAdd', campaignId: rl('camp_debt_demo'), campaignType: 'debtCollection', columns: autoMap }, [debtRecord(1), debtRecord(2)]);
		const res = await run(
			{ resource: 'customer', operation: 'bulkUpdate', campaignId: rl('camp_debt_demo'), customerId: '={{ $json.loan_id }}', updateFields: { payment_status: 'bounced' } },
			[debtRecord(1), debtRecord(2)],
			{ next: [{ type: 'timePay', name: 'Call', typeVersion: 2, parameters: { resource: 'call', operation: 'initiate', campaignId: rl('camp_debt_demo'), agentId: 'agent_demo', dispositionId: rl('disp_callback') } }] },
		);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(['updated', 'updated']);
		expect(res.byNode.Call[0][0].json).toMatchObject({ campaignId: 'camp_debt_demo', outcome: 'initiated', initiated: 2 });
		expect(campaign('camp_debt_demo').customers['LOAN-000002'].payment_status).toBe('bounced');
	});

	test('an empty picker stops the run (n8n\'s own check); an expression that gives nothing is named before sending', async () => {
		const empty = await run({ resource: 'call', operation: 'initiate', requestMode: 'perItem', agentId: 'agent_demo', dispositionId: rl('disp_demo') }, [{}]).catch((e: Error) => e);
		expect((empty as Error).message).toContain('Parameter "Campaign ID" is required.');
		const res = await run({ resource: 'call', operation: 'initiate', requestMode: 'perItem', campaignId: rl('={{ $json.none }}', 'id'), agentId: 'agent_demo', dispositionId: rl('disp_demo') }, [{}]);
		expect(res.error?.message).toBe('Item 0: field "campaignId" = "": must not be empty');
		expect(sb.current.state().requests).toHaveLength(0);
	});
});
