import { KaptureCrmApi } from '../../credentials/KaptureCrmApi.credentials';
import { checkSubdomain, kaptureBaseUrl } from '../../nodes/KaptureCrm/api';
import { KaptureCrm } from '../../nodes/KaptureCrm/KaptureCrm.node';
import { keyValuesToObject, pickGiven } from '../../nodes/shared/fieldValues';
import { registerNode, testCredential } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';

registerNode('kaptureCrm', new KaptureCrm(), { kaptureCrmApi: new KaptureCrmApi() });

const sb = useSandbox();
const TOKEN = sandboxCredentials.kapture.token;
const { READ_ONLY_TOKEN } = require('../sandbox/kapture') as { READ_ONLY_TOKEN: string };
const data = (overrides: Record<string, string> = {}) => ({ subdomain: 'acme', token: TOKEN, baseUrl: `${sb.current.url}/kapture`, ...overrides });
const requests = () => sb.current.state().requests as unknown[];

describe('Kapture CRM credential test', () => {
	test('a good token is told apart by the documented "required" failure, and nothing is created', async () => {
		const r = await testCredential('kaptureCrm', 'kaptureCrmApi', data());
		expect(r).toEqual({ status: 'OK', message: 'Connection successful: the token was accepted' });
		expect(sb.current.state().kapture.customerCount).toBe(0);
	});

	test.each([
		[{ status: 'failed', message: 'Name, Email Id, and Phone Number required' }, 'Connection successful: the token was accepted'],
		[
			{ status: 'failed', message: 'Bad Request - Invalid parameters or missing data' },
			'Connection successful: the token was accepted (Kapture refused the empty test customer: Bad Request - Invalid parameters or missing data)',
		],
	])("Kapture's documented HTTP 400 for missing data proves a good token (%#)", async (body, message) => {
		sb.current.setFaults({ faults: [{ type: '400', path: '/kapture', body }] });
		expect(await testCredential('kaptureCrm', 'kaptureCrmApi', data())).toEqual({ status: 'OK', message });
	});

	test('"Invalid Auth Key" fails the test whatever the status (HTTP 400 here)', async () => {
		sb.current.setFaults({ faults: [{ type: '400', path: '/kapture', body: { status: 'failed', message: 'Invalid Auth Key' } }] });
		expect((await testCredential('kaptureCrm', 'kaptureCrmApi', data())).message).toMatch(/rejected the API token \(Invalid Auth Key\)/);
	});

	test('a bad token ("Invalid Auth Key" with HTTP 200) fails, without the token in the message', async () => {
		const r = await testCredential('kaptureCrm', 'kaptureCrmApi', data({ token: 'wrong-token-xyz' }));
		expect(r.status).toBe('Error');
		expect(r.message).toMatch(/rejected the API token \(Invalid Auth Key\)/);
		expect(r.message).not.toContain('wrong-token-xyz');
	});

	test('a token without permission (403) fails', async () => {
		const r = await testCredential('kaptureCrm', 'kaptureCrmApi', data({ token: READ_ONLY_TOKEN }));
		expect(r).toEqual({ status: 'Error', message: 'Kapture CRM refused the token (HTTP 403): Forbidden - Insufficient permissions' });
	});

	test('a wrong path (404) fails with a hint', async () => {
		const r = await testCredential('kaptureCrm', 'kaptureCrmApi', data({ baseUrl: `${sb.current.url}/nowhere` }));
		expect(r.status).toBe('Error');
	});

	test.each([['evil.com#'], ['a.b'], ['x/../'], [''], ['a'.repeat(64)]])('subdomain %j fails before any request', async (subdomain) => {
		const r = await testCredential('kaptureCrm', 'kaptureCrmApi', data({ subdomain }));
		expect(r.status).toBe('Error');
		expect(r.message).toMatch(/^Subdomain/);
		expect(requests()).toHaveLength(0);
	});

	test('plain http off loopback fails before any request', async () => {
		const r = await testCredential('kaptureCrm', 'kaptureCrmApi', data({ baseUrl: 'http://kapture.example.com' }));
		expect(r).toMatchObject({ status: 'Error', message: expect.stringMatching(/Base URL Override must use https/) });
		expect(requests()).toHaveLength(0);
	});

	test('an unreachable host fails with the reason', async () => {
		const r = await testCredential('kaptureCrm', 'kaptureCrmApi', data({ baseUrl: 'http://127.0.0.1:1' }));
		expect(r.status).toBe('Error');
		expect(r.message).toMatch(/^Could not reach Kapture CRM/);
		expect(r.message).not.toContain(TOKEN);
	});
});

describe('Kapture CRM host and field helpers', () => {
	test('a subdomain is one DNS label', () => {
		expect(checkSubdomain('acme')).toEqual({ subdomain: 'acme' });
		expect(checkSubdomain(' Acme-01 ')).toEqual({ subdomain: 'acme-01' });
		expect(checkSubdomain('a'.repeat(63))).toEqual({ subdomain: 'a'.repeat(63) });
		for (const bad of ['evil.com#', 'a.b', 'x/../', '', '   ', 'a'.repeat(64), '-a', 'a-', 'a_b', 'é', 'a:443', undefined, 42]) {
			expect(checkSubdomain(bad)).toHaveProperty('problem');
		}
	});

	test('the default host is https://<subdomain>.kapturecrm.com; an override replaces it', () => {
		expect(kaptureBaseUrl({ subdomain: 'acme', token: 't' })).toEqual({ url: 'https://acme.kapturecrm.com' });
		expect(kaptureBaseUrl({ subdomain: 'acme', baseUrl: '  ' })).toEqual({ url: 'https://acme.kapturecrm.com' });
		expect(kaptureBaseUrl({ subdomain: 'acme', baseUrl: 'https://proxy.example.com/kapture/' })).toEqual({ url: 'https://proxy.example.com/kapture' });
		expect(kaptureBaseUrl({ subdomain: 'acme', baseUrl: 'http://localhost:8080' })).toEqual({ url: 'http://localhost:8080' });
		expect(kaptureBaseUrl({ subdomain: 'acme', baseUrl: 'http://evil.com' })).toHaveProperty('problem');
		expect(kaptureBaseUrl({ subdomain: 'evil.com#', baseUrl: 'https://proxy.example.com' })).toHaveProperty('problem');
	});

	test('credential sends the token exactly as "Basic <token>"', async () => {
		const out = await new KaptureCrmApi().authenticate({ subdomain: 'acme', token: 'tok/+=' }, { url: 'x', headers: { a: 'b' } });
		expect(out.headers).toEqual({ a: 'b', Authorization: 'Basic tok/+=' });
	});

	test('key/value lists become objects; blank rows are skipped; missing and repeated keys are problems', () => {
		expect(keyValuesToObject([{ key: ' a ', value: ' 1 ' }, { key: '', value: '' }, { key: 'n', value: 5 }], 'f')).toEqual({ value: { a: '1', n: 5 }, problems: [] });
		const r = keyValuesToObject([{ key: '', value: 'x' }, { key: 'a', value: '1' }, { key: 'a', value: '2' }], 'f');
		expect(r.value).toEqual({ a: '1' });
		expect(r.problems.map((p) => p.field)).toEqual(['f[0].key', 'f[2].key']);
		expect(keyValuesToObject(undefined, 'f')).toEqual({ value: {}, problems: [] });
	});

	test('pickGiven keeps only given values, renamed', () => {
		expect(pickGiven({ a: ' x ', b: '', c: null, d: 7 }, { a: 'A', b: 'B', c: 'C', d: 'D' })).toEqual({ A: 'x', D: '7' });
	});
});
