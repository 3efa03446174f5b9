import type { IDataObject } from 'n8n-workflow';
import { XMLParser } from 'fast-xml-parser';

import { sandboxCredentials } from '../harness/sandbox';

export const acq = sandboxCredentials.acqueon;
export const GATEWAY_PATH = '/acqueon/lcm/messages';

export function basicCredentials(url: string, overrides: IDataObject = {}) {
	return {
		acqueonLcmApi: {
			gatewayUrl: `${url}${GATEWAY_PATH}`,
			authType: 'basic',
			username: acq.username,
			password: acq.password,
			source: 'n8n-test',
			...overrides,
		},
	};
}

export function bearerCredentials(url: string, overrides: IDataObject = {}) {
	return {
		acqueonLcmApi: { gatewayUrl: `${url}${GATEWAY_PATH}`, authType: 'bearer', token: acq.token, source: 'n8n-test', ...overrides },
	};
}

/** Every secret a credential could leak, raw and as the Basic header value. */
export const SECRETS = [acq.password, acq.token, Buffer.from(`${acq.username}:${acq.password}`).toString('base64')];

/** Contact → Create parameters with a valid default for everything; `extra` overrides. */
export function createParams(extra: IDataObject = {}): IDataObject {
	return {
		resource: 'contact',
		operation: 'create',
		campaignId: 'SandboxCampaign',
		callStartDateTime: '2025-10-24T07:33:00',
		callEndDateTime: '2025-10-24T19:00:00',
		timezone: 'Asia/Kolkata',
		businessFields: {
			field: [
				{ name: 'first_name', value: '={{ $json.first_name }}' },
				{ name: 'last_name', value: '={{ $json.last_name }}' },
			],
		},
		modes: { mode: [{ name: 'Home', number: '={{ $json.phone }}', timezone: '(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi' }] },
		...extra,
	};
}

export function person(i: number, overrides: IDataObject = {}): IDataObject {
	return { first_name: `Asha${i}`, last_name: 'Verma', phone: `98100000${String(i).padStart(2, '0')}`, ...overrides };
}

/** The reader the tests use to prove what was sent: values stay text, nothing trimmed. */
export const xmlReader = new XMLParser({
	ignoreAttributes: true,
	parseTagValue: false,
	trimValues: false,
	processEntities: true,
	htmlEntities: false,
	onDangerousProperty: (name: string) => name,
});

export function readData(xml: string): unknown {
	return (xmlReader.parse(xml, true) as { Data: unknown }).Data;
}
