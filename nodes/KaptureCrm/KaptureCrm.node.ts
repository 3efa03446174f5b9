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

import { redactText } from '../shared/redact';
import { probe } from '../shared/credentialTest';
import { operationFields } from '../shared/router';
import { operations, route } from './actions/router';
import { ADD_UPDATE_PATH, INVALID_AUTH, kaptureBaseUrl } from './api';

/** Kapture's documented answer to a request without name, phone and email: proof that the token was accepted. */
const MISSING_DATA = /name.*(email|phone).*required/i;

export class KaptureCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kapture CRM',
		name: 'kaptureCrm',
		icon: { light: 'file:../../icons/kapture.svg', dark: 'file:../../icons/kapture.dark.svg' },
		group: ['output'],
		// 2: Mode defaults to Add or Update and contacts to Match Email/Phone (see actions/customer/addOrUpdate.ts).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Add or update customers, their contacts and enquiries in Kapture CRM',
		defaults: { name: 'Kapture CRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kaptureCrmApi', required: true, testedBy: 'kaptureCrmApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Customer', value: 'customer' }],
				default: 'customer',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['customer'] } },
				options: [
					{
						name: 'Add or Update',
						value: 'addOrUpdate',
						action: 'Add or update a customer',
						description: 'One request per input item, with its contacts and enquiry',
					},
				],
				default: 'addOrUpdate',
			},
			...operationFields(operations),
		],
	};

	methods = {
		credentialTest: {
			/**
			 * Kapture documents no read-only endpoint, and answers HTTP 200 for a bad token too. An
			 * add-update request with an empty customer is refused with "Name, Email Id, and Phone
			 * Number required" only once the token was accepted (and creates nothing); a bad token
			 * gets "Invalid Auth Key".
			 */
			async kaptureCrmApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const token = String(data.token ?? '');
				const base = kaptureBaseUrl(data);
				if ('problem' in base) return { status: 'Error', message: base.problem };
				if (!token) return { status: 'Error', message: 'API Token is empty' };
				const res = await probe(
					this,
					{ method: 'POST', uri: `${base.url}${ADD_UPDATE_PATH}`, body: { customer_info: {} }, authorization: `Basic ${token}` },
					[token],
				);
				if ('unreachable' in res) return { status: 'Error', message: `Could not reach Kapture CRM: ${res.unreachable}` };
				const message = redactText(String((res.body as { message?: unknown } | undefined)?.message ?? ''), [token]);
				if (res.statusCode === 200 && INVALID_AUTH.test(message)) {
					return { status: 'Error', message: 'Kapture CRM rejected the API token (Invalid Auth Key): check the token, exactly as Kapture issued it' };
				}
				if (res.statusCode === 200 && MISSING_DATA.test(message)) {
					return { status: 'OK', message: 'Connection successful: the token was accepted' };
				}
				if (res.statusCode === 401 || res.statusCode === 403) {
					return { status: 'Error', message: `Kapture CRM refused the token (HTTP ${res.statusCode})${message ? `: ${message}` : ''}` };
				}
				if (res.statusCode === 404) {
					return { status: 'Error', message: 'Kapture CRM answered 404: check the Subdomain (or Base URL Override)' };
				}
				return { status: 'Error', message: `Unexpected answer from Kapture CRM: HTTP ${res.statusCode} ${message}`.trim() };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
