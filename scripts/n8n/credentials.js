'use strict';
/*
 * The n8n credentials that point the package at the sandbox, with the ids and names that the
 * workflows in examples/ reference. Imported with `n8n import:credentials` (n8n encrypts them).
 */
const secrets = require('../../test/sandbox/credentials');

const IDS = Object.freeze({
	timePayApi: { id: 'timePaySandbox01', name: 'TimePay (sandbox)' },
	timePayWebhookApi: { id: 'timePayWebhook01', name: 'TimePay webhook secret (sandbox)' },
	kaptureCrmApi: { id: 'kaptureSandbox01', name: 'Kapture CRM (sandbox)' },
	cuoralApi: { id: 'cuoralSandbox001', name: 'Cuoral (sandbox)' },
	acqueonLcmApi: { id: 'acqueonSandbox01', name: 'Acqueon LCM (sandbox)' },
});

/** @param {string} sandboxUrl e.g. http://127.0.0.1:4010 */
function sandboxCredentials(sandboxUrl) {
	const url = sandboxUrl.replace(/\/$/, '');
	return [
		{ ...IDS.timePayApi, type: 'timePayApi', data: { token: secrets.timePay.token, baseUrl: `${url}/timepay/api/v1` } },
		{ ...IDS.timePayWebhookApi, type: 'timePayWebhookApi', data: { secret: secrets.timePay.webhookSecret } },
		{
			...IDS.kaptureCrmApi,
			type: 'kaptureCrmApi',
			data: { subdomain: 'acme', token: secrets.kapture.token, baseUrl: `${url}/kapture` },
		},
		{ ...IDS.cuoralApi, type: 'cuoralApi', data: { apiKey: secrets.cuoral.apiKey, baseUrl: `${url}/cuoral` } },
		{
			...IDS.acqueonLcmApi,
			type: 'acqueonLcmApi',
			data: {
				gatewayUrl: `${url}/acqueon/lcm/messages`,
				authType: 'basic',
				username: secrets.acqueon.username,
				password: secrets.acqueon.password,
				source: 'n8n',
			},
		},
	];
}

/** The credential types a set of workflows uses (to import only those). */
function credentialTypesUsed(workflows) {
	const types = new Set();
	for (const wf of workflows) for (const n of wf.nodes || []) for (const t of Object.keys(n.credentials || {})) types.add(t);
	return types;
}

module.exports = { IDS, sandboxCredentials, credentialTypesUsed };
