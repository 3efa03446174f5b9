import { AcqueonLcmApi } from '../../credentials/AcqueonLcmApi.credentials';
import { AcqueonLcm } from '../../nodes/AcqueonLcm/AcqueonLcm.node';
import { registerNode, testCredential } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import { acq, basicCredentials, bearerCredentials, GATEWAY_PATH, SECRETS } from './fixtures';

registerNode('acqueonLcm', new AcqueonLcm(), { acqueonLcmApi: new AcqueonLcmApi() });

const sb = useSandbox();
const test_ = (data: Record<string, unknown>) => testCredential('acqueonLcm', 'acqueonLcmApi', data as never);

describe('Acqueon LCM credential', () => {
	test('Basic and Bearer credentials pass the test, which creates nothing', async () => {
		await expect(test_(basicCredentials(sb.current.url).acqueonLcmApi)).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful: the gateway accepted the credentials',
		});
		await expect(test_(bearerCredentials(sb.current.url).acqueonLcmApi)).resolves.toMatchObject({ status: 'OK' });
		expect(sb.current.state().acqueon.contactCount).toBe(0);
		expect(sb.current.state().requests.map((r: any) => [r.path, r.status, r.authorization])).toEqual([
			[GATEWAY_PATH, 400, 'Basic'],
			[GATEWAY_PATH, 400, 'Bearer'],
		]);
	});

	test('a gateway that answers 200 with a CreateContactResponse error refused the empty contact: the credentials are good', async () => {
		const refusal = { channel: 'LCM', topic: 'WebService', subtopic: 'CreateContactResponse', message: { error: 'CampaignID is required' } };
		sb.current.setFaults({ faults: [{ type: '200', path: GATEWAY_PATH, body: refusal }] });
		await expect(test_(basicCredentials(sb.current.url).acqueonLcmApi)).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful: the gateway accepted the credentials (it refused the empty test contact: CampaignID is required)',
		});
	});

	test('a gateway that created a contact from the empty message is reported, not hidden', async () => {
		const created = { channel: 'LCM', topic: 'WebService', subtopic: 'CreateContactResponse', message: { response: '77|1|18|0|0|84|0' } };
		sb.current.setFaults({ faults: [{ type: '200', path: GATEWAY_PATH, body: created }] });
		const r = await test_(basicCredentials(sb.current.url).acqueonLcmApi);
		expect(r).toEqual({ status: 'OK', message: expect.stringContaining('it also accepted an empty test contact (77|1|18|0|0|84|0)') });
	});

	test('wrong credentials fail the test with the gateway text and no secret', async () => {
		const basic = await test_(basicCredentials(sb.current.url, { password: 'not-the-password' }).acqueonLcmApi);
		expect(basic).toEqual({ status: 'Error', message: 'The gateway refused the credentials (HTTP 401): Unauthorized: invalid or missing credentials' });
		const bearer = await test_(bearerCredentials(sb.current.url, { token: 'not-the-token' }).acqueonLcmApi);
		expect(bearer.status).toBe('Error');
		expect(JSON.stringify([basic, bearer])).not.toContain('not-the-');
	});

	test('a wrong URL, plain http off loopback, or no server are errors', async () => {
		const wrongPath = await test_(basicCredentials(sb.current.url, { gatewayUrl: `${sb.current.url}/acqueon/nothing` }).acqueonLcmApi);
		expect(wrongPath).toMatchObject({ status: 'Error', message: expect.stringContaining('HTTP 404') });
		const http = await test_(basicCredentials(sb.current.url, { gatewayUrl: 'http://lcm.example.com/messages' }).acqueonLcmApi);
		expect(http).toMatchObject({ status: 'Error', message: expect.stringContaining('must use https') });
		const down = await test_(basicCredentials('http://127.0.0.1:1').acqueonLcmApi);
		expect(down.status).toBe('Error');
		expect(down.message).toContain('Could not reach the gateway');
		for (const s of SECRETS) expect(JSON.stringify([wrongPath, http, down])).not.toContain(s);
	});

	test('authenticate sets the header for either mode', async () => {
		const cred = new AcqueonLcmApi();
		const auth = cred.authenticate;
		const basic = await auth({ authType: 'basic', username: acq.username, password: acq.password }, { url: 'x', headers: { a: 'b' } });
		expect(basic.headers).toEqual({ a: 'b', Authorization: `Basic ${Buffer.from(`${acq.username}:${acq.password}`).toString('base64')}` });
		const bearer = await auth({ authType: 'bearer', token: acq.token }, { url: 'x' });
		expect(bearer.headers).toEqual({ Authorization: `Bearer ${acq.token}` });
		const props = Object.fromEntries(cred.properties.map((p) => [p.name, p]));
		expect(props.source.default).toBe('n8n');
		expect(props.password.typeOptions?.password).toBe(true);
		expect(props.token.typeOptions?.password).toBe(true);
		expect(props.password.displayOptions?.show?.authType).toEqual(['basic']);
		expect(props.token.displayOptions?.show?.authType).toEqual(['bearer']);
	});
});
