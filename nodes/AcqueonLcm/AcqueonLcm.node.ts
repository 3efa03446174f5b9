import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { acqueonAuthorization, acqueonSecrets } from '../../credentials/AcqueonLcmApi.credentials';
import { redactText } from '../shared/redact';
import { checkBaseUrl } from '../shared/url';
import { probe } from '../shared/credentialTest';
import { operationFields } from '../shared/router';
import { operations, route } from './actions/router';
import { gatewayText } from './api';

export class AcqueonLcm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Acqueon LCM',
		name: 'acqueonLcm',
		icon: { light: 'file:../../icons/acqueon.svg', dark: 'file:../../icons/acqueon.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Create contacts in Acqueon List & Campaign Manager (LCM) campaigns through your deployment's HTTP gateway",
		defaults: { name: 'Acqueon LCM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'acqueonLcmApi', required: true, testedBy: 'acqueonLcmApiTest' }],
		properties: [
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
		],
	};

	methods = {
		credentialTest: {
			/**
			 * LCM documents no read-only message. The test sends a CreateContact message with empty
			 * data: a gateway that accepts the credentials refuses it as incomplete (HTTP 400 with a
			 * CreateContactResponse error) and creates nothing; bad credentials get 401/403.
			 */
			async acqueonLcmApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const secrets = acqueonSecrets(data);
				const gateway = checkBaseUrl(data.gatewayUrl);
				if ('problem' in gateway) return { status: 'Error', message: `Gateway URL ${gateway.problem}` };
				const res = await probe(
					this,
					{
						method: 'POST',
						uri: gateway.url,
						body: { channel: 'LCM', topic: 'WebService', subtopic: 'CreateContact', source: String(data.source ?? '').trim() || 'n8n', data: {} },
						authorization: acqueonAuthorization(data),
					},
					secrets,
				);
				if ('unreachable' in res) return { status: 'Error', message: `Could not reach the gateway: ${res.unreachable}` };
				const said = redactText(gatewayText(res.body) ?? '', secrets);
				if (res.statusCode === 401 || res.statusCode === 403) {
					return { status: 'Error', message: `The gateway refused the credentials (HTTP ${res.statusCode})${said ? `: ${said}` : ''}` };
				}
				if (res.statusCode === 400 || res.statusCode === 422) {
					return { status: 'OK', message: 'Connection successful: the gateway accepted the credentials' };
				}
				if (res.statusCode >= 200 && res.statusCode < 300) {
					// Credentials accepted, but the gateway took an empty contact: say so rather than hide it.
					return {
						status: 'OK',
						message: `The gateway accepted the credentials, but it also accepted an empty test contact${said ? ` (${said})` : ''}: check LCM for a contact without data`,
					};
				}
				if (res.statusCode === 404) return { status: 'Error', message: `Nothing answers at the Gateway URL (HTTP 404)${said ? `: ${said}` : ''}` };
				return { status: 'Error', message: `Unexpected answer from the gateway: HTTP ${res.statusCode}${said ? ` ${said}` : ''}` };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
