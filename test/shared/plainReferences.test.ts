/**
 * Plain references to the current item (`{{ $json.x }}`, `{{ $json["x"] }}`, `{{ $json.x.y }}`)
 * are read from the item directly instead of through n8n's expression engine. These tests run both
 * paths over awkward items — missing, null, numbers as strings, dates, nested objects, arrays,
 * unicode and dotted keys, __proto__ and constructor keys — and require identical results: the
 * same values of the same types, or the same error.
 */
import { inspect } from 'node:util';
import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { Expression, NodeConnectionTypes } from 'n8n-workflow';

import { resourceMapperFields } from '../../nodes/TimePay/fields';
import { mappedValues, perItemParameter } from '../../nodes/shared/params';
import { registerNode, runNode } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import { debtRecord, timePayCredentials } from '../timepay/fixtures';

/** The mapping a user builds in the editor, one field at a time, in many spellings. */
const PLAIN_MAPPING: IDataObject = {
	loan_id: '={{ $json.loan_id }}',
	first_name: '={{ $json["first name"] }}',
	last_name: '={{ $json.name.last }}',
	phone_number: "={{ $json['phones'][0] }}",
	loan_amount: '={{$json.loan_amount}}',
	emi_amount: '={{   $json["emi.amount"]   }}',
	loan_period: '={{ $json.ñ }}',
	current_emi: '={{ $json.emi . current }}',
	emi_due_date: '={{ $json.due }}',
	payment_status: '={{ $json.status }}',
	language: 'hindi',
};

const base = (): IDataObject => ({
	loan_id: 'LOAN-1',
	'first name': 'Asha',
	name: { last: 'Verma' },
	phones: ['9810000001'],
	loan_amount: 50000,
	'emi.amount': 2500,
	ñ: 24,
	emi: { current: 5 },
	due: '2025-03-05',
	status: 'pending',
});

/** Every kind of value a sheet, a webhook or a database hands over, and some nobody should. */
function awkwardItems(): IDataObject[] {
	const withProto = JSON.parse('{"loan_id":"LOAN-P","__proto__":{"loan_id":"polluted"},"name":{"__proto__":"x","last":"P"}}') as IDataObject;
	const variants: IDataObject[] = [
		{},
		{ loan_id: null, 'first name': null, name: null, phones: null, loan_amount: null, 'emi.amount': null, ñ: null, emi: null, due: null, status: null },
		{ loan_amount: '50000', 'emi.amount': ' 2500 ', ñ: '24', emi: { current: '5' } },
		{ loan_amount: '12,000', 'emi.amount': 'abc', ñ: '', emi: { current: 'five' } },
		{ loan_id: 123, 'first name': 0, phones: [9810000001], loan_amount: -1, ñ: 24.5 },
		{ loan_id: true, status: true, loan_amount: true, 'first name': false },
		{ due: new Date('2025-03-05T10:00:00Z') },
		{ due: DateTime.fromISO('2025-03-05T10:00:00+05:30') },
		{ due: '2025-03-05T23:30:00+05:30' },
		{ due: '05/03/2025', status: 'PAID' },
		{ status: 'later' },
		{ loan_id: { id: 'LOAN-1' }, 'first name': ['Asha'], name: { last: { text: 'Verma' } }, phones: [['981']] },
		{ name: 'Asha Verma', phones: '9810000001', emi: 5 },
		{ name: [], phones: [], emi: [] },
		{ name: { first: 'Asha' }, phones: [null], emi: {} },
		{ loan_amount: Number.NaN, 'emi.amount': Number.POSITIVE_INFINITY, ñ: 1e21 },
		{ loan_id: 'नमस्ते-1', 'first name': '  Āsha  ', status: ' paid ' },
		{ loan_id: '', 'first name': '   ', due: '' },
		{ name: { toString: 'shadow', last: 'L' }, emi: { current: 3, valueOf: 1 } },
		{ hasOwnProperty: 'x', constructor: 'c', emi: { current: 2 } },
		{ phones: ['9810000001', '9810000002', '9810000003', '9810000004', '9810000005', '9810000006', '9810000007', '9810000008', '9810000009'], 'a}}b': 'braces' },
		// An array with a property of its own besides its elements (a Code node can make one).
		{ phones: Object.assign(['9810000001'], { extra: '9810000002' }) },
	];
	return [base(), ...variants.map((v) => ({ ...base(), ...v })), withProto, Object.assign(Object.create(null), base()) as IDataObject];
}

/** A value as exactly as it can be told apart: type, undefined vs missing, NaN, Dates and DateTimes. */
const exact = (v: unknown) => inspect(v, { depth: null, showHidden: false, sorted: false, getters: false });

type Outcome = { value: string } | { error: string };
function capture(read: () => unknown): Outcome {
	try {
		return { value: exact(read()) };
	} catch (error) {
		const e = error as Error & { description?: string };
		return { error: `${e.constructor.name}: ${e.message} | ${e.description ?? ''}` };
	}
}

interface ProbeSettings {
	resourceMapper: { mode: 'add' | 'update' | 'upsert'; showTypeConversionOptions?: boolean; alwaysConvertFieldsToString?: boolean };
}

/**
 * A node that reads the same parameters both ways for every item: n8n's getNodeParameter, and the
 * package's readers (nodes/shared/params.ts). Says, per item, whether the package's reader had to
 * ask n8n.
 */
class Probe implements INodeType {
	description: INodeTypeDescription;

	constructor(settings: ProbeSettings) {
		this.description = {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'Reads parameters both ways',
			defaults: { name: 'Probe' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [
				{
					displayName: 'Columns',
					name: 'columns',
					type: 'resourceMapper',
					default: { mappingMode: 'defineBelow', value: null },
					typeOptions: { resourceMapper: { resourceMapperMethod: 'x', ...settings.resourceMapper } },
				},
				{ displayName: 'Campaign ID', name: 'campaignId', type: 'string', default: '' },
				{
					displayName: 'Campaign',
					name: 'campaign',
					type: 'resourceLocator',
					default: { mode: 'id', value: '' },
					modes: [
						{ displayName: 'ID', name: 'id', type: 'string' },
						{ displayName: 'URL', name: 'url', type: 'string', extractValue: { type: 'regex', regex: 'campaigns/([a-z_0-9]+)' } },
					],
				},
			],
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const settings = probeSettings;
		let asked = 0;
		const counting = Object.create(this) as IExecuteFunctions;
		counting.getNodeParameter = ((...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
			asked++;
			return (this.getNodeParameter as (...a: unknown[]) => unknown)(...args);
		}) as IExecuteFunctions['getNodeParameter'];
		const columns = mappedValues(counting, items, 'columns', settings.resourceMapper);
		const campaignId = perItemParameter<unknown>(counting, 'campaignId', 'fallback', items);
		const campaign = perItemParameter<unknown>(counting, 'campaign', 'fallback', items);
		const out = items.map((_, i) => {
			const before = asked;
			const fast = {
				columns: capture(() => columns(i)),
				campaignId: capture(() => campaignId(i)),
				campaign: capture(() => campaign(i)),
			};
			const askedN8n = asked > before;
			const n8n = {
				columns: capture(() => this.getNodeParameter('columns.value', i, {})),
				campaignId: capture(() => this.getNodeParameter('campaignId', i, 'fallback')),
				campaign: capture(() => this.getNodeParameter('campaign', i, 'fallback', { extractValue: true })),
			};
			return { json: { fast, n8n, askedN8n } as unknown as IDataObject, pairedItem: { item: i } };
		});
		return [out];
	}
}

let probeSettings: ProbeSettings;
async function probe(settings: ProbeSettings, parameters: IDataObject, input: IDataObject[]) {
	probeSettings = settings;
	registerNode('probe', new Probe(settings));
	const res = await runNode({ type: 'probe', parameters, input, credentials: {} });
	expect(res.error).toBeUndefined();
	return res.outputs[0].map((o) => o.json as unknown as { fast: Record<string, Outcome>; n8n: Record<string, Outcome>; askedN8n: boolean });
}

const schema = resourceMapperFields('debtCollection');
const columns = (value: IDataObject, extra: IDataObject = {}) => ({ mappingMode: 'defineBelow', value, matchingColumns: [], schema, ...extra });
const ADD = { resourceMapper: { mode: 'add' as const } };

describe('Plain references read from the item give exactly what n8n gives', () => {
	test(`n8n's expression engine in this run: ${process.env.npm_lifecycle_event === 'test:vm-engine' ? 'vm' : 'legacy'}`, () => {
		// `npm run test:vm-engine` runs this file again with the engine the n8n server uses.
		expect((Expression as unknown as { shouldUseVm: () => boolean }).shouldUseVm()).toBe(process.env.npm_lifecycle_event === 'test:vm-engine');
	});

	test("the editor's one-by-one mapping, over awkward items: the same values and types, or the same error", async () => {
		const input = awkwardItems();
		const out = await probe(ADD, { columns: columns(PLAIN_MAPPING), campaignId: '={{ $json.loan_id }}', campaign: { __rl: true, mode: 'id', value: '={{ $json.status }}' } }, input);
		for (const [i, o] of out.entries()) expect({ item: i, ...o.fast }).toEqual({ item: i, ...o.n8n });
		// Not a vacuous comparison: most items were read without n8n, and some errors are n8n's checks.
		expect(out.filter((o) => !o.askedN8n).length).toBeGreaterThanOrEqual(15);
		expect(out[0].askedN8n).toBe(false);
		expect(out[0].n8n.columns).toEqual({ value: expect.stringContaining("loan_amount: 50000") });
		expect(out.filter((o) => 'error' in o.n8n.columns).length).toBeGreaterThanOrEqual(5);
		expect(out[3].n8n.columns).toEqual({ value: expect.stringContaining('loan_amount: 50000') }); // "50000" made a number by n8n
	});

	test('required columns, type conversion options and a saved schema of other types: n8n checks them the same way', async () => {
		const input = awkwardItems();
		const loose = schema.map((f) => ({ ...f, type: f.id === 'emi_due_date' ? ('dateTime' as const) : f.id === 'loan_id' ? ('number' as const) : f.type, required: true }));
		const settings: ProbeSettings[] = [
			{ resourceMapper: { mode: 'update' } },
			{ resourceMapper: { mode: 'add', showTypeConversionOptions: true } },
			{ resourceMapper: { mode: 'upsert', showTypeConversionOptions: true, alwaysConvertFieldsToString: true } },
		];
		for (const s of settings) {
			for (const extra of [{}, { attemptToConvertTypes: true }, { convertFieldsToString: true }, { schema: loose }, { schema: [] }]) {
				const out = await probe(s, { columns: columns(PLAIN_MAPPING, extra) }, input);
				for (const [i, o] of out.entries()) expect({ item: i, settings: s, extra, ...o.fast }).toEqual({ item: i, settings: s, extra, ...o.n8n });
			}
		}
	});

	test('keys n8n refuses, other expressions and fixed values: the package asks n8n, with the same result', async () => {
		const input = awkwardItems();
		const mappings: IDataObject[] = [
			{ loan_id: '={{ $json.constructorId }}' },
			{ first_name: '={{ $json["__proto__"] }}' },
			{ loan_id: '={{ $json.hasOwnProperty }}', first_name: '={{ $json.name.toString }}' },
			{ loan_id: '={{ $json.loan_id + "-x" }}', loan_amount: '={{ $json.loan_amount }}' },
			{ loan_id: '= {{ $json.loan_id }}', first_name: '={{ $json.loan_id }} ' },
			{ loan_id: 'LOAN-fixed', loan_amount: 7, first_name: null, payment_status: 'paid' },
			{ loan_id: '={{ $json["first name"].length }}', last_name: '={{ $json.phones.length }}', phone_number: '={{ $json.name["\\u006cast"] }}' },
			// n8n ends an expression at its first `}}`, quotes or not; `[01]` and `[08]` are JavaScript's octal and decimal.
			{ first_name: '={{ $json["a}}b"] }}', last_name: "={{ $json['a}}b'] }}" },
			{ phone_number: '={{ $json.phones[01] }}', last_name: '={{ $json.phones[08] }}', first_name: '={{ $json.phones[00] }}' },
			{ loan_id: '={{ $json.phones[99999999999999999999] }}' },
			{ phone_number: '={{ $json.phones.extra }}', last_name: '={{ $json.phones["extra"] }}' },
		];
		for (const mapping of mappings) {
			const value = { ...PLAIN_MAPPING, ...mapping };
			const out = await probe(ADD, { columns: columns(value) }, input);
			for (const [i, o] of out.entries()) expect({ item: i, value, ...o.fast }).toEqual({ item: i, value, ...o.n8n });
		}
	});

	test('Campaign ID and a resource locator (ID mode read directly, URL mode through n8n)', async () => {
		const input = [...awkwardItems(), { campaign: 'https://app.timepay.ai/campaigns/camp_debt_demo' }, { campaign: 'nothing here' }];
		for (const [campaignId, campaign] of [
			['={{ $json.status }}', { __rl: true, mode: 'id', value: '={{ $json.loan_id }}' }],
			['={{ $json.name.last }}', { __rl: true, mode: 'url', value: '={{ $json.campaign }}' }],
			['={{ $json.missing }}', { __rl: true, mode: 'id', value: '={{ $json.emi }}', cachedResultName: 'x' }],
			['camp_fixed', { __rl: true, mode: 'id', value: 'camp_fixed' }],
		] as const) {
			const out = await probe(ADD, { columns: columns(PLAIN_MAPPING), campaignId, campaign }, input);
			for (const [i, o] of out.entries()) expect({ item: i, campaignId, ...o.fast }).toEqual({ item: i, campaignId, ...o.n8n });
		}
	});
});

describe('TimePay Bulk Add mapped one by one: the same outcome for every item either way', () => {
	const sb = useSandbox();

	test('plain references (read directly) and the same references in parentheses (evaluated by n8n) give identical items', async () => {
		const input = [...awkwardItems().map((x, i) => ({ ...x, loan_id: typeof x.loan_id === 'string' ? `${x.loan_id}-${i}` : x.loan_id })), ...[1, 2, 3].map((i) => ({ ...base(), loan_id: `LOAN-OK-${i}` }))];
		const viaN8n = Object.fromEntries(Object.entries(PLAIN_MAPPING).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/^=\{\{\s*(.*?)\s*\}\}$/, '={{ ($1) }}') : v]));
		expect(viaN8n.loan_id).toBe('={{ ($json.loan_id) }}');
		const run = async (mapping: IDataObject, options: IDataObject) => {
			sb.current.reset();
			const res = await runNode({
				type: 'timePay',
				parameters: { resource: 'customer', operation: 'bulkAdd', campaignId: '={{ $json.campaign ?? "camp_debt_demo" }}', campaignType: 'debtCollection', columns: columns(mapping), options },
				input,
				credentials: timePayCredentials(sb.current.url),
			});
			expect(res.error).toBeUndefined();
			return res.outputs[0].map((o) => ({ json: o.json, pairedItem: o.pairedItem }));
		};
		for (const options of [{ validateOnly: true }, {}]) {
			const direct = await run(PLAIN_MAPPING, options);
			const evaluated = await run(viaN8n, options);
			expect(direct).toEqual(evaluated);
			expect(direct.filter((o) => ['valid', 'added'].includes(String(o.json.outcome))).length).toBeGreaterThanOrEqual(5);
		}
	});

	test('10 records mapped one by one are added as automatic mapping adds them', async () => {
		const input = Array.from({ length: 10 }, (_, i) => debtRecord(i));
		const mapping = Object.fromEntries(schema.map((f) => [f.id, `={{ $json.${f.id} }}`]));
		const res = await runNode({
			type: 'timePay',
			parameters: { resource: 'customer', operation: 'bulkAdd', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: columns(mapping) },
			input,
			credentials: timePayCredentials(sb.current.url),
		});
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(Array(10).fill('added'));
		expect(sb.current.state().timePay.campaigns.camp_debt_demo.customers['LOAN-000003']).toMatchObject({ loan_amount: 50000, emi_due_date: '2025-03-05' });
	});
});
