/** The sandbox gateway itself: what it refuses, so that the node's tests prove something. */
import { useSandbox } from '../harness/sandbox';
import { acq, GATEWAY_PATH } from './fixtures';

const sb = useSandbox();
const basic = `Basic ${Buffer.from(`${acq.username}:${acq.password}`).toString('base64')}`;

const validData = () => ({
	CampaignID: 'SandboxCampaign',
	Calltype: '0',
	callStartDateTime: '24/10/2024 07:33',
	callEndDateTime: '24/10/2024 07:33',
	BussinessFields: '<Data><first_name>test</first_name><last_name>test</last_name></Data>',
	priority: 0,
	Modes: '<Data><Home><Cvalue>609309034</Cvalue><TZ>(UTC-05:00) Eastern Time (US and Canada)</TZ></Home></Data>',
	AgentID: '',
	SMSData: '',
	MailSubject: '',
	MailMsg: '',
	MailAttachment: '',
	ZipCode: '',
	ContactDetail: '',
	ListID: 0,
	IsAccountNumber: true,
	Status: 4,
});
const envelope = (data: Record<string, unknown> = validData(), over: Record<string, unknown> = {}) => ({
	channel: 'LCM',
	topic: 'WebService',
	subtopic: 'CreateContact',
	source: 'sandbox-test',
	data,
	...over,
});

async function post(body: unknown, authorization = basic) {
	const res = await fetch(`${sb.current.url}${GATEWAY_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as any };
}

describe('sandbox Acqueon LCM gateway', () => {
	test("the documented sample message is accepted and answered with increasing LCM keys", async () => {
		const a = await post(envelope());
		const b = await post(envelope(), `Bearer ${acq.token}`);
		expect(a).toEqual({ status: 200, body: { channel: 'LCM', topic: 'WebService', subtopic: 'CreateContactResponse', message: { response: '77|1|18|0|0|84|0' } } });
		expect(b.body.message.response).toBe('77|1|19|0|0|85|0');
		const state = sb.current.state().acqueon;
		expect(state.contactCount).toBe(2);
		expect(state.contacts[0].businessFields).toEqual({ first_name: 'test', last_name: 'test' });
		expect(state.contacts[0].data.Modes).toBe(validData().Modes);
	});

	test.each([
		['no credentials', envelope(), '', 401, 'Unauthorized'],
		['a wrong password', envelope(), `Basic ${Buffer.from(`${acq.username}:nope`).toString('base64')}`, 401, 'Unauthorized'],
		['a wrong channel', envelope(validData(), { channel: 'CRM' }), basic, 400, "Unknown channel 'CRM'"],
		['a wrong topic', envelope(validData(), { topic: 'Web' }), basic, 400, "Unknown topic 'Web'"],
		['another subtopic', envelope(validData(), { subtopic: 'AddCompliance' }), basic, 400, "Unsupported subtopic 'AddCompliance'"],
		['no source', envelope(validData(), { source: '' }), basic, 400, 'source is required'],
		['empty data', envelope({}), basic, 400, 'Missing required field(s): CampaignID, Calltype, callStartDateTime, callEndDateTime, BussinessFields, Modes, IsAccountNumber, Status'],
		['a date in another format', envelope({ ...validData(), callStartDateTime: '2024-10-24 07:33' }), basic, 400, "callStartDateTime '2024-10-24 07:33' is not in dd/mm/yyyy HH:MM format"],
		['an impossible date', envelope({ ...validData(), callEndDateTime: '31/02/2024 07:33' }), basic, 400, 'callEndDateTime'],
		['start after end', envelope({ ...validData(), callStartDateTime: '25/10/2024 07:33' }), basic, 400, 'must not be after'],
		['business fields that are not XML', envelope({ ...validData(), BussinessFields: '<Data<first_name>test</first_name </Data>' }), basic, 400, 'BussinessFields is not well-formed XML'],
		['modes that are not XML', envelope({ ...validData(), Modes: '<Data><Home><Cvalue>1</Home></Data>' }), basic, 400, 'Modes is not well-formed XML'],
		['a mode without Cvalue', envelope({ ...validData(), Modes: '<Data><Home><TZ>x</TZ></Home></Data>' }), basic, 400, "Mode 'Home' has no Cvalue"],
		['contact detail that is not XML', envelope({ ...validData(), ContactDetail: '<Data><a>&</a></Data>' }), basic, 400, 'ContactDetail is not well-formed XML'],
		['a status as text', envelope({ ...validData(), Status: '4' }), basic, 400, 'Status must be a number'],
		['an unknown campaign', envelope({ ...validData(), CampaignID: 'Nope' }), basic, 400, "Campaign 'Nope' does not exist"],
	])('%s is refused', async (_what, body, authorization, status, error) => {
		const res = await post(body, authorization);
		expect(res.status).toBe(status);
		expect(res.body.message.error).toContain(error);
		expect(sb.current.state().acqueon.contactCount).toBe(0);
	});
});
