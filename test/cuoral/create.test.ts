import type { IDataObject } from 'n8n-workflow';

import { CuoralApi } from '../../credentials/CuoralApi.credentials';
import { describeDetail } from '../../nodes/Cuoral/api';
import { Cuoral } from '../../nodes/Cuoral/Cuoral.node';
import { registerNode, runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';

registerNode('cuoral', new Cuoral(), { cuoralApi: new CuoralApi() });

const sb = useSandbox();
const KEY = sandboxCredentials.cuoral.apiKey;
const { READ_ONLY_KEY } = require('../sandbox/cuoral') as { READ_ONLY_KEY: string };

const creds = (overrides: IDataObject = {}) => ({ cuoralApi: { apiKey: KEY, baseUrl: `${sb.current.url}/cuoral`, ...overrides } });
const params = (extra: IDataObject = {}): IDataObject => ({
	resource: 'customer',
	operation: 'create',
	name: '={{ $json.name }}',
	email: '={{ $json.email }}',
	source: 'web',
	...extra,
});
const person = (i: number, overrides: IDataObject = {}): IDataObject => ({ name: `Alice Johnson ${i}`, email: `alice${i}@example.com`, ...overrides });
const state = () => sb.current.state().cuoral;
const requests = () => sb.current.state().requests as Array<{ path: string; authorization: string }>;
const noSecret = (value: unknown) => expect(JSON.stringify(value)).not.toContain(KEY);

describe('Cuoral Customer → Create: success', () => {
	test('creates each item; outputs the created customer and outcome, paired with its input', async () => {
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1), person(2)], credentials: creds() });
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(out[0].json).toMatchObject({
			id: 1001,
			customer_id: 'CUS-001001',
			name: 'Alice Johnson 1',
			email: 'alice1@example.com',
			source: 'web',
			is_active: true,
			organization_id: 7,
			company_id: null,
			outcome: 'created',
			message: 'Customer created',
		});
		expect(typeof out[0].json.time_created).toBe('string');
		expect(typeof out[0].json.time_updated).toBe('string');
		expect(state().customerCount).toBe(2);
		expect(requests().every((r) => r.authorization === 'Bearer' && r.path === '/cuoral/external/v1/customers')).toBe(true);
		noSecret(out);
	});

	test('sends every documented field, normalised', async () => {
		const res = await runNode({
			type: 'cuoral',
			parameters: params({
				source: 'whatsapp',
				additionalFields: {
					isActive: false,
					city: 'Accra',
					companyId: 'CMP-A9B8',
					country: 'Ghana',
					ip: '192.168.1.1',
					latitude: '5.6037',
					location: 'Spintex Road',
					longitude: '={{ 0.187 }}',
					whatsappNumber: '234 800-000-0000',
				},
			}),
			input: [person(1)],
			credentials: creds(),
		});
		expect(res.error).toBeUndefined();
		const c = state().customers[0];
		expect(c).toMatchObject({
			name: 'Alice Johnson 1',
			email: 'alice1@example.com',
			source: 'whatsapp',
			whatsapp_number: '2348000000000',
			ip: '192.168.1.1',
			city: 'Accra',
			country: 'Ghana',
			location: 'Spintex Road',
			latitude: '5.6037',
			longitude: '0.187',
			is_active: false,
			company_id: 42,
		});
		expect(res.outputs[0][0].json).toMatchObject({ company_id: 42, is_active: false, outcome: 'created' });
	});

	test('source: "Other" takes free text; an expression may give any text too', async () => {
		const res = await runNode({
			type: 'cuoral',
			parameters: params({ source: 'other', sourceOther: 'instagram' }),
			input: [person(1)],
			credentials: creds(),
		});
		expect(res.error).toBeUndefined();
		const res2 = await runNode({ type: 'cuoral', parameters: params({ source: '={{ $json.src }}' }), input: [person(2, { src: 'referral' })], credentials: creds() });
		expect(res2.error).toBeUndefined();
		expect(state().customers.map((c: IDataObject) => c.source)).toEqual(['instagram', 'referral']);
	});

	test('concurrency is a real bound on requests in flight', async () => {
		sb.current.setFaults({ latencyMs: 40 });
		const res = await runNode({ type: 'cuoral', parameters: params({ options: { concurrency: 2 } }), input: Array.from({ length: 8 }, (_, i) => person(i)), credentials: creds() });
		expect(res.outputs[0]).toHaveLength(8);
		expect(sb.current.state().peakInFlight).toBe(2);
	});
});

describe('Cuoral: checks before sending', () => {
	test('required fields and the email are checked before any request', async () => {
		const res = await runNode({
			type: 'cuoral',
			parameters: params({ additionalFields: { ip: '999.1.1.1', latitude: '91', whatsappNumber: 'abc' } }),
			input: [{ name: '', email: 'not-an-email' }],
			credentials: creds(),
		});
		const msg = res.error?.message ?? '';
		expect(msg).toMatch(/^Item 0: /);
		for (const f of ['name', 'email', 'ip', 'latitude', 'whatsapp_number']) expect(msg).toContain(`field "${f}"`);
		expect(msg).toContain('must be a valid email address');
		expect(requests()).toHaveLength(0);
	});

	test('an empty "Other" source is refused', async () => {
		const res = await runNode({ type: 'cuoral', parameters: params({ source: 'other', sourceOther: ' ' }), input: [person(1)], credentials: creds() });
		expect(res.error?.message).toContain('field "source" is required');
		expect(requests()).toHaveLength(0);
	});

	test('continue-on-fail: the invalid item is an error item, the others are created', async () => {
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1), person(2, { email: 'x@' }), person(3)], credentials: creds(), continueOnFail: true });
		const out = res.outputs[0];
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out.map((o) => o.json.outcome)).toEqual(['created', undefined, 'created']);
		expect(String(out[1].json.error)).toMatch(/^Item 1: field "email" = "x@": must be a valid email address/);
		expect(state().customerCount).toBe(2);
	});

	test('validate only: nothing is sent', async () => {
		const res = await runNode({ type: 'cuoral', parameters: params({ options: { validateOnly: true } }), input: [person(1), person(2, { email: '' })], credentials: creds({ apiKey: 'x' }) });
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(['valid', 'invalid']);
		expect(res.outputs[0][0].json.wouldSend).toEqual({ name: 'Alice Johnson 1', email: 'alice1@example.com', source: 'web' });
		expect(requests()).toHaveLength(0);
	});
});

describe('Cuoral: documented answers', () => {
	test('422 detail[] becomes one readable message per field', async () => {
		// The node would refuse this email itself; the API's own 422 is injected to see it read.
		sb.current.setFaults({
			faults: [
				{
					type: '422',
					path: '/cuoral',
					body: {
						detail: [
							{ loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error.email' },
							{ loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' },
						],
					},
				},
			],
		});
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1)], credentials: creds() });
		expect(res.error?.message).toBe('Item 0: Cuoral rejected the customer: email: value is not a valid email address; name: field required');
		expect(res.error?.httpCode).toBe('422');
	});

	test("the sandbox's own 422 (unknown company) is an item error under continue-on-fail", async () => {
		const res = await runNode({
			type: 'cuoral',
			parameters: params({ additionalFields: { companyId: '={{ $json.company }}' } }),
			input: [person(1, { company: 'CMP-NOPE' }), person(2, { company: 'CMP-A9B8' })],
			credentials: creds(),
			continueOnFail: true,
		});
		const [a, b] = res.outputs[0];
		expect(a.json.error).toBe('Item 0: Cuoral rejected the customer: company_id: company not found');
		expect(a.pairedItem).toEqual({ item: 0 });
		expect(b.json).toMatchObject({ outcome: 'created', company_id: 42 });
	});

	test('401: a bad key is an error that points at the credential, without the key', async () => {
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1)], credentials: creds({ apiKey: 'cu_wrong_key_1234' }) });
		expect(res.error?.message).toBe('Item 0: Cuoral answered 401: Invalid API key');
		expect(res.error?.description).toMatch(/check the key in the Cuoral credential/);
		expect(JSON.stringify(res.error)).not.toContain('cu_wrong_key_1234');
	});

	test('403: a key without permission', async () => {
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1)], credentials: creds({ apiKey: READ_ONLY_KEY }) });
		expect(res.error?.message).toBe('Item 0: Cuoral answered 403: Not enough permissions');
	});

	test('404: a wrong base URL', async () => {
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1)], credentials: creds({ baseUrl: `${sb.current.url}/cuoral/v2` }) });
		expect(res.error?.message).toMatch(/^Item 0: Cuoral answered 404/);
		expect(res.error?.description).toMatch(/Base URL/);
	});

	test('a base URL ending in /external/v1 is accepted', async () => {
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1)], credentials: creds({ baseUrl: `${sb.current.url}/cuoral/external/v1/` }) });
		expect(res.error).toBeUndefined();
		expect(requests()[0].path).toBe('/cuoral/external/v1/customers');
	});

	test('a plain-http base URL off loopback is refused before any request', async () => {
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1)], credentials: creds({ baseUrl: 'http://cuoral.example.com' }) });
		expect(res.error?.message).toMatch(/Base URL must use https/);
		expect(requests()).toHaveLength(0);
	});

	test('error output: created items on output 0, failed ones on output 1, each paired', async () => {
		const res = await runNode({
			type: 'cuoral',
			parameters: params({ additionalFields: { companyId: '={{ $json.company }}' }, options: { concurrency: 1 } }),
			input: [person(1, { company: 'CMP-NOPE' }), person(2, { email: 'bad' }), person(3, { company: '12' })],
			credentials: creds(),
			onError: 'continueErrorOutput',
		});
		expect(res.error).toBeUndefined();
		const [ok, failed] = res.outputs;
		expect(ok.map((o) => [o.json.outcome, o.pairedItem])).toEqual([['created', { item: 2 }]]);
		expect(failed.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(String(failed[0].json.error)).toContain('company_id: company not found');
		noSecret(res.outputs);
	});
});

describe('Cuoral: faults and retries (create is not idempotent)', () => {
	test('a 429 with Retry-After is retried, and the customer is created once', async () => {
		sb.current.setFaults({ faults: [{ type: '429', times: 1, retryAfter: 0, path: '/cuoral' }] });
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1)], credentials: creds() });
		expect(res.outputs[0][0].json.outcome).toBe('created');
		expect(requests()).toHaveLength(2);
		expect(state().customerCount).toBe(1);
	});

	test('a reset after the request was applied is not retried: error names the item, no duplicate', async () => {
		sb.current.setFaults({ faults: [{ type: 'resetAfter', times: 1, path: '/cuoral' }] });
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1)], credentials: creds() });
		expect(res.error?.message).toMatch(/^Item 0: Could not reach Cuoral at 127\.0\.0\.1:\d+: .*\(1 attempt\)/);
		expect(res.error?.description).toMatch(/Not retried/);
		expect(requests()).toHaveLength(1);
		expect(state().customerCount).toBe(1);
	});

	test('a 500 is not retried and is reported with a hint', async () => {
		sb.current.setFaults({ faults: [{ type: '500', times: 1, path: '/cuoral', body: { detail: 'Internal Server Error' } }] });
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1)], credentials: creds() });
		expect(res.error?.message).toBe('Item 0: Cuoral answered 500: Internal Server Error');
		expect(res.error?.description).toMatch(/may or may not have been created/);
		expect(requests()).toHaveLength(1);
	});

	test('a 503 with Retry-After is retried (not applied)', async () => {
		sb.current.setFaults({ faults: [{ type: '503', times: 1, retryAfter: 0, path: '/cuoral' }] });
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1)], credentials: creds() });
		expect(res.outputs[0][0].json.outcome).toBe('created');
		expect(state().customerCount).toBe(1);
	});

	test('the key appears in no output and no error', async () => {
		sb.current.setFaults({ faults: [{ type: '500', path: '/cuoral', body: { detail: `bad header Bearer ${KEY} api_key=${KEY}` } }] });
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1), person(2)], credentials: creds(), continueOnFail: true });
		expect(res.outputs[0]).toHaveLength(2);
		noSecret(res.outputs);
		noSecret(res.run.data.resultData);
	});
});

describe('describeDetail', () => {
	test('FastAPI detail lists and strings', () => {
		expect(describeDetail({ detail: [{ loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error.email' }] })).toEqual([
			'email: value is not a valid email address',
		]);
		expect(describeDetail({ detail: [{ loc: ['body', 'tags', 0], msg: 'str type expected' }, { msg: 'whole body bad' }] })).toEqual([
			'tags.0: str type expected',
			'whole body bad',
		]);
		expect(describeDetail({ detail: 'Not authenticated' })).toEqual(['Not authenticated']);
		expect(describeDetail({ message: 'x' })).toBeUndefined();
	});
});

describe('Cuoral: an unusable credential under continue-on-fail', () => {
	test('every item is an error item on the error output, none passes through', async () => {
		const res = await runNode({ type: 'cuoral', parameters: params(), input: [person(1), person(2)], credentials: creds({ baseUrl: '' }), onError: 'continueErrorOutput' });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0]).toEqual([]);
		expect(res.outputs[1].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(String(res.outputs[1][0].json.error)).toMatch(/Base URL is empty/);
		expect(requests()).toHaveLength(0);
	});
});
