import type { IDataObject } from 'n8n-workflow';

import { AcqueonLcmApi } from '../../credentials/AcqueonLcmApi.credentials';
import { AcqueonLcm } from '../../nodes/AcqueonLcm/AcqueonLcm.node';
import { registerNode, runNode } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import { basicCredentials, bearerCredentials, createParams, person, readData, SECRETS } from './fixtures';

registerNode('acqueonLcm', new AcqueonLcm(), { acqueonLcmApi: new AcqueonLcmApi() });

const sb = useSandbox();
const contacts = () => sb.current.state().acqueon.contacts as Array<Record<string, any>>;

describe('Acqueon LCM Contact → Create', () => {
	test('creates one contact per item, with the documented envelope, and outputs the LCM key', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({ options: { concurrency: 1 } }),
			input: [person(1), person(2)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error).toBeUndefined();
		const out = res.outputs[0];
		expect(out.map((o) => o.json)).toEqual([
			{ outcome: 'created', message: 'Contact created in campaign SandboxCampaign, LCM key 77|1|18|0|0|84|0', lcmKey: '77|1|18|0|0|84|0', lcmKeyParts: ['77', '1', '18', '0', '0', '84', '0'], campaignId: 'SandboxCampaign' },
			{ outcome: 'created', message: 'Contact created in campaign SandboxCampaign, LCM key 77|1|19|0|0|85|0', lcmKey: '77|1|19|0|0|85|0', lcmKeyParts: ['77', '1', '19', '0', '0', '85', '0'], campaignId: 'SandboxCampaign' },
		]);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const [c] = contacts();
		expect(c.source).toBe('n8n-test');
		expect(c.auth).toBe('basic');
		expect(c.data).toEqual({
			CampaignID: 'SandboxCampaign',
			Calltype: '0',
			callStartDateTime: '24/10/2025 07:33',
			callEndDateTime: '24/10/2025 19:00',
			BussinessFields: '<Data><first_name>Asha1</first_name><last_name>Verma</last_name></Data>',
			priority: 0,
			Modes: '<Data><Home><Cvalue>9810000001</Cvalue><TZ>(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi</TZ></Home></Data>',
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
		expect(readData(c.data.Modes)).toEqual({ Home: { Cvalue: '9810000001', TZ: '(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi' } });
		expect(sb.current.state().requests.every((r: any) => r.authorization === 'Basic')).toBe(true);
		expect(JSON.stringify(res.outputs)).not.toContain(SECRETS[0]);
	});

	test('authenticates with a Bearer token', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams(),
			input: [person(1)],
			credentials: bearerCredentials(sb.current.url),
		});
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json.outcome).toBe('created');
		expect(contacts()[0].auth).toBe('bearer');
	});

	test('hostile values arrive exactly as given: the builder escapes them, the parser reads them back', async () => {
		const hostile = {
			first_name: '</first_name><x>',
			last_name: ']]>',
			entity: '&amp;',
			quotes: `He said "hi" & it's <b>`,
			emoji: 'Ravi 😀🎉',
			devanagari: 'नमस्ते दुनिया',
			numeric: '007',
			exponent: '1e3',
			spaced: '  padded  ',
			empty: '',
			multiline: 'line 1\nline 2\ttab',
			cdata: '<![CDATA[x]]>',
			comment: '<!-- c -->',
		};
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({
				businessFields: {},
				includeInputFields: true,
				excludeInputFields: 'phone',
				modes: {
					mode: [
						{ name: 'Mobile', number: '={{ $json.phone }}', timezone: '__other__', customTimezone: '(UTC+01:00) "Quoted" & <odd>' },
						{ name: '__other__', customName: 'Pager', number: '0044', timezone: '' },
					],
				},
				additionalFields: {
					contactDetail: { field: [{ name: 'note', value: '={{ $json.first_name }}' }, { name: 'hindi', value: '={{ $json.devanagari }}' }] },
				},
			}),
			input: [{ ...hostile, phone: '+91 98100 00001' }],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error).toBeUndefined();
		expect(res.outputs[0][0].json.outcome).toBe('created');
		const [c] = contacts();
		expect(readData(c.data.BussinessFields)).toEqual(hostile);
		expect(readData(c.data.Modes)).toEqual({
			Mobile: { Cvalue: '+91 98100 00001', TZ: '(UTC+01:00) "Quoted" & <odd>' },
			Pager: { Cvalue: '0044' },
		});
		expect(readData(c.data.ContactDetail)).toEqual({ note: '</first_name><x>', hindi: 'नमस्ते दुनिया' });
		// Escaped by the builder: no element is injected, no CDATA section is opened.
		const xml = c.data.BussinessFields as string;
		expect(xml).toContain('<first_name>&lt;/first_name&gt;&lt;x&gt;</first_name>');
		expect(xml).toContain('<last_name>]]&gt;</last_name>');
		expect(xml).toContain('<entity>&amp;amp;</entity>');
		expect(xml).toContain('<quotes>He said &quot;hi&quot; &amp; it&apos;s &lt;b&gt;</quotes>');
		expect(xml).not.toContain('<x>');
		expect(xml).not.toContain('<![CDATA[');
		// The sandbox read the same values (it parses every XML string it is sent).
		expect(c.businessFields).toEqual(hostile);
	});

	test('input fields and listed fields merge: a listed field wins, numbers and booleans become text', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({
				includeInputFields: true,
				excludeInputFields: 'phone, secret_note',
				businessFields: { field: [{ name: 'first_name', value: 'Override' }, { name: 'region', value: 'North' }] },
			}),
			input: [{ first_name: 'Asha', last_name: 'Verma', phone: '9810000001', amount: 2500.5, active: true, secret_note: 'x', nothing: null }],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error).toBeUndefined();
		expect(readData(contacts()[0].data.BussinessFields)).toEqual({
			last_name: 'Verma',
			amount: '2500.5',
			active: 'true',
			nothing: '',
			first_name: 'Override',
			region: 'North',
		});
	});

	test('an input field whose name is not an XML name is a clear error naming it and the item; nothing is sent', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({ includeInputFields: true, excludeInputFields: 'phone' }),
			input: [person(1), { ...person(2), 'First Name': 'x' }],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error?.message).toContain('Item 1');
		expect(res.error?.message).toContain('"First Name"');
		expect(res.error?.message).toContain('not a valid XML element name');
		expect(contacts()).toHaveLength(0);
		expect(sb.current.state().requests).toHaveLength(0);
	});

	test.each([
		['1abc', 'not a valid XML element name'],
		['a b', 'not a valid XML element name'],
		['ns:tag', 'namespace prefixes'],
		['<x>', 'not a valid XML element name'],
		['constructor', 'is reserved'],
		['__proto__', 'is reserved'],
		['prototype', 'is reserved'],
		['', 'is empty'],
	])('the element name %p is refused (%s)', async (name, why) => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({ businessFields: { field: [{ name, value: 'v' }] } }),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error?.message).toContain('Item 0');
		expect(res.error?.message).toContain('BussinessFields element name');
		expect(res.error?.message).toContain(why);
		expect(contacts()).toHaveLength(0);
	});

	test('a mode name that is not an XML name, a mode given twice, and a mode without a number are refused', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({
				modes: {
					mode: [
						{ name: '__other__', customName: 'Cell Phone', number: '1' },
					],
				},
			}),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error?.message).toContain('"Modes element name" = "Cell Phone"');
		const twice = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({ modes: { mode: [{ name: 'Home', number: '1' }, { name: 'Home', number: '2' }] } }),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(twice.error?.message).toContain('is given twice');
		const noNumber = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({ modes: { mode: [{ name: 'Work', number: '' }] } }),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(noNumber.error?.message).toContain('Modes.Work.Cvalue');
		const none = await runNode({
			type: 'acqueonLcm',
			parameters: createParams({ modes: {} }),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		expect(none.error?.message).toContain('needs at least one contact mode');
		expect(contacts()).toHaveLength(0);
	});

	test('a value XML cannot carry (a control character) is refused before sending', async () => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams(),
			input: [person(1, { first_name: 'bad\u0001char' })],
			credentials: basicCredentials(sb.current.url),
		});
		expect(res.error?.message).toContain('BussinessFields.first_name');
		expect(res.error?.message).toContain('U+0001');
		expect(contacts()).toHaveLength(0);
	});
});

describe('Acqueon LCM callback dates', () => {
	const sent = async (parameters: IDataObject) => {
		const res = await runNode({
			type: 'acqueonLcm',
			parameters: createParams(parameters),
			input: [person(1)],
			credentials: basicCredentials(sb.current.url),
		});
		return { res, data: contacts()[0]?.data };
	};

	test('an instant (offset or Z) is shown in the chosen timezone', async () => {
		const { res, data } = await sent({
			callStartDateTime: '2025-01-31T04:00:00Z',
			callEndDateTime: '2025-01-31T18:45:00+05:30',
			timezone: 'Asia/Kolkata',
		});
		expect(res.error).toBeUndefined();
		expect(data.callStartDateTime).toBe('31/01/2025 09:30');
		expect(data.callEndDateTime).toBe('31/01/2025 18:45');
	});

	test('the same instant in New York, across a day boundary, and daylight saving time', async () => {
		const { data } = await sent({
			callStartDateTime: '2025-01-31T04:00:00Z',
			callEndDateTime: '2025-07-01T03:15:00Z',
			timezone: 'America/New_York',
		});
		expect(data.callStartDateTime).toBe('30/01/2025 23:00');
		expect(data.callEndDateTime).toBe('30/06/2025 23:15');
	});

	test('a date-time without offset is a wall-clock time in the chosen timezone; dd/MM/yyyy HH:mm passes as is', async () => {
		const { data } = await sent({ callStartDateTime: '2025-03-09T02:30:00', callEndDateTime: '09/03/2025 23:59', timezone: 'America/Chicago' });
		expect(data.callStartDateTime).toBe('09/03/2025 02:30');
		expect(data.callEndDateTime).toBe('09/03/2025 23:59');
	});

	test('an expression giving a Luxon DateTime ($now-style) is converted', async () => {
		const { res, data } = await sent({
			callStartDateTime: "={{ DateTime.fromISO('2025-05-01T10:00:00', { zone: 'UTC' }) }}",
			callEndDateTime: "={{ DateTime.fromISO('2025-05-01T10:00:00', { zone: 'UTC' }).plus({ hours: 2 }) }}",
			timezone: 'Asia/Kolkata',
		});
		expect(res.error).toBeUndefined();
		expect(data.callStartDateTime).toBe('01/05/2025 15:30');
		expect(data.callEndDateTime).toBe('01/05/2025 17:30');
	});

	test("the workflow's timezone is the default", async () => {
		const { res, data } = await sent({ timezone: undefined, callStartDateTime: '2025-01-31T12:00:00Z', callEndDateTime: '2025-01-31T13:00:00Z' });
		expect(res.error).toBeUndefined();
		const expected = new Intl.DateTimeFormat('en-GB', {
			timeZone: 'America/New_York',
			day: '2-digit',
			month: '2-digit',
			year: 'numeric',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23',
		})
			.format(new Date('2025-01-31T12:00:00Z'))
			.replace(',', '');
		expect(data.callStartDateTime).toBe(expected);
	});

	test('start after end, an unknown timezone, a missing or impossible date are refused before sending', async () => {
		const after = await sent({ callStartDateTime: '2025-01-31T10:00:00', callEndDateTime: '2025-01-31T09:59:00' });
		expect(after.res.error?.message).toContain('callEndDateTime');
		expect(after.res.error?.message).toContain('must not be before the callback start (31/01/2025 10:00)');
		const zone = await sent({ timezone: 'Mars/Olympus' });
		expect(zone.res.error?.message).toContain('"timezone" = "Mars/Olympus": must be an IANA timezone');
		const missing = await sent({ callStartDateTime: '={{ $json.no_such_field }}' });
		expect(missing.res.error?.message).toContain('field "callStartDateTime" is required');
		const impossible = await sent({ callEndDateTime: '2025-02-30T10:00:00' });
		expect(impossible.res.error?.message).toContain('"callEndDateTime" = "2025-02-30T10:00:00": must be a date-time');
		expect(contacts()).toHaveLength(0);
	});
});

describe('examples/acqueon-create-contact.json', () => {
	test("the example's node, with its sample contacts, creates them on the sandbox", async () => {
		const workflow = require('../../examples/acqueon-create-contact.json') as { nodes: Array<{ type: string; parameters: IDataObject; credentials?: IDataObject }> };
		const node = workflow.nodes.find((n) => n.type === 'n8n-nodes-crm-dialer.acqueonLcm')!;
		expect((node.credentials!.acqueonLcmApi as IDataObject).name).toBe('Acqueon LCM (sandbox)');
		const input = [
			{ first_name: 'Asha', last_name: 'Verma', loan_id: 'LOAN-000101', phone: '9810000001', callbackFrom: '2025-06-01T10:00:00.000+05:30', callbackTo: '2025-06-01T18:00:00.000+05:30' },
			{ first_name: 'Ravi', last_name: 'Kumar & Sons <Ltd>', loan_id: 'LOAN-000102', phone: '9810000002', callbackFrom: '2025-06-01T10:00:00.000+05:30', callbackTo: '2025-06-02T10:00:00.000+05:30' },
		];
		const res = await runNode({ type: 'acqueonLcm', parameters: node.parameters, input, credentials: basicCredentials(sb.current.url) });
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(['created', 'created']);
		const sent = contacts().find((c) => c.data.BussinessFields.includes('LOAN-000102'))!;
		expect(readData(sent.data.BussinessFields)).toEqual({ first_name: 'Ravi', last_name: 'Kumar & Sons <Ltd>', loan_id: 'LOAN-000102' });
		expect(sent.data.callEndDateTime).toBe('02/06/2025 10:00');
		expect(readData(sent.data.ContactDetail)).toEqual({ loan_id: 'LOAN-000102' });
	});
});
