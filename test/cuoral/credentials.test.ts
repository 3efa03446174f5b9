import { CuoralApi } from '../../credentials/CuoralApi.credentials';
import { checkCuoralBaseUrl } from '../../nodes/Cuoral/api';
import { Cuoral } from '../../nodes/Cuoral/Cuoral.node';
import { registerNode, testCredential } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';

registerNode('cuoral', new Cuoral(), { cuoralApi: new CuoralApi() });

const sb = useSandbox();
const KEY = sandboxCredentials.cuoral.apiKey;
const { READ_ONLY_KEY } = require('../sandbox/cuoral') as { READ_ONLY_KEY: string };
const data = (overrides: Record<string, string> = {}) => ({ apiKey: KEY, baseUrl: `${sb.current.url}/cuoral`, ...overrides });

describe('Cuoral credential test (an empty customer, which Cuoral refuses with its documented 422)', () => {
	test('a good key passes, and nothing is created', async () => {
		expect(await testCredential('cuoral', 'cuoralApi', data())).toEqual({ status: 'OK', message: 'Connection successful: the API key was accepted' });
		expect(sb.current.state().requests).toEqual([expect.objectContaining({ method: 'POST', path: '/cuoral/external/v1/customers', authorization: 'Bearer', bytes: 2 })]);
		expect(sb.current.state().cuoral.customerCount).toBe(0);
	});

	test('a key that may not create customers fails the test (the node could not use it)', async () => {
		expect(await testCredential('cuoral', 'cuoralApi', data({ apiKey: READ_ONLY_KEY }))).toEqual({
			status: 'Error',
			message: 'Cuoral accepted the API key but does not let it create customers (HTTP 403): Not enough permissions',
		});
	});

	test('a Cuoral that took the empty customer is reported, not hidden', async () => {
		sb.current.setFaults({ faults: [{ type: '201', path: '/cuoral', body: { id: 1 } }] });
		const r = await testCredential('cuoral', 'cuoralApi', data());
		expect(r).toEqual({ status: 'OK', message: expect.stringContaining('Cuoral also accepted an empty test customer') });
	});

	test('a bad key fails with 401, without the key in the message', async () => {
		const r = await testCredential('cuoral', 'cuoralApi', data({ apiKey: 'cu_bad_key_999' }));
		expect(r).toEqual({ status: 'Error', message: 'Cuoral refused the API key (HTTP 401): Invalid API key' });
	});

	test('a missing base URL, plain http off loopback and a wrong path fail', async () => {
		expect(await testCredential('cuoral', 'cuoralApi', data({ baseUrl: '' }))).toEqual({ status: 'Error', message: 'Base URL is empty' });
		expect((await testCredential('cuoral', 'cuoralApi', data({ baseUrl: 'http://cuoral.example.com' }))).message).toMatch(/must use https/);
		expect((await testCredential('cuoral', 'cuoralApi', data({ baseUrl: `${sb.current.url}/elsewhere` }))).message).toMatch(/404/);
	});

	test('an unreachable host fails with the reason', async () => {
		const r = await testCredential('cuoral', 'cuoralApi', data({ baseUrl: 'http://127.0.0.1:1' }));
		expect(r.status).toBe('Error');
		expect(r.message).toMatch(/^Could not reach Cuoral/);
		expect(r.message).not.toContain(KEY);
	});

	test('credential sends the key as "Bearer <key>"', async () => {
		const out = await new CuoralApi().authenticate({ apiKey: 'cu key', baseUrl: 'https://x' }, { url: 'x' });
		expect(out.headers).toEqual({ Authorization: 'Bearer cu key' });
	});

	test('base URL: https or loopback http; a trailing /external/v1 is dropped', () => {
		expect(checkCuoralBaseUrl('https://api.cuoral.com/')).toEqual({ url: 'https://api.cuoral.com' });
		expect(checkCuoralBaseUrl('https://api.cuoral.com/external/v1')).toEqual({ url: 'https://api.cuoral.com' });
		expect(checkCuoralBaseUrl('http://127.0.0.1:9000')).toEqual({ url: 'http://127.0.0.1:9000' });
		expect(checkCuoralBaseUrl('http://api.cuoral.com')).toHaveProperty('problem');
		expect(checkCuoralBaseUrl('https://u:p@api.cuoral.com')).toHaveProperty('problem');
	});
});
