import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { acqueonAuthorization, acqueonSecrets } from '../../credentials/AcqueonLcmApi.credentials';
import { checkBaseUrl } from '../shared/url';
import { checkCredential, saying } from '../shared/credentialTest';
import { operationSubtitle } from '../shared/descriptions';
import { operationFields } from '../shared/router';
import { operations, route } from './actions/router';
import { gatewayText, interpretResponse } from './api';

const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Contact', value: 'contact' }],
		default: 'contact',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a contact in a campaign',
				description: 'One CreateContact message per input item',
			},
		],
		default: 'create',
	},
	...operationFields(operations),
];

export class AcqueonLcm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Acqueon LCM',
		name: 'acqueonLcm',
		icon: { light: 'file:../../icons/acqueon.svg', dark: 'file:../../icons/acqueon.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(properties),
		description: "Create contacts in Acqueon List & Campaign Manager (LCM) campaigns through your deployment's HTTP gateway",
		defaults: { name: 'Acqueon LCM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'acqueonLcmApi', required: true, testedBy: 'acqueonLcmApiTest' }],
		properties,
	};

	methods = {
		credentialTest: {
			/**
			 * LCM documents no read-only message. The test sends a CreateContact message with empty
			 * data — no campaign, no contact modes — which LCM cannot turn into a contact: a gateway
			 * that accepts the credentials refuses it as incomplete (HTTP 400, or a
			 * CreateContactResponse carrying an error) and creates nothing; bad credentials get
			 * 401/403.
			 */
			async acqueonLcmApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const gateway = checkBaseUrl(data.gatewayUrl);
				if ('problem' in gateway) return { status: 'Error', message: `Gateway URL ${gateway.problem}` };
				const accepted = 'Connection successful: the gateway accepted the credentials';
				return await checkCredential(this, {
					service: 'the gateway',
					request: {
						method: 'POST',
						uri: gateway.url,
						body: { channel: 'LCM', topic: 'WebService', subtopic: 'CreateContact', source: String(data.source ?? '').trim() || 'n8n', data: {} },
						authorization: acqueonAuthorization(data),
					},
					secrets: acqueonSecrets(data),
					said: gatewayText,
					answers: [
						{ status: [401, 403], ok: false, message: (a) => `The gateway refused the credentials (HTTP ${a.status})${saying(a)}` },
						{ status: [400, 422], ok: true, message: accepted },
						{
							status: '2xx',
							when: (a) => !interpretResponse({ statusCode: a.status, body: a.body }).ok,
							ok: true,
							message: (a) => `${accepted} (it refused the empty test contact${saying(a)})`,
						},
						{
							// Credentials accepted, but the gateway took an empty contact: say so rather than hide it.
							status: '2xx',
							ok: true,
							message: (a) =>
								`The gateway accepted the credentials, but it also accepted an empty test contact${a.said ? ` (${a.said})` : ''}: check LCM for a contact without data`,
						},
						{ status: [404], ok: false, message: (a) => `Nothing answers at the Gateway URL (HTTP 404)${saying(a)}` },
					],
				});
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
