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

import { checkCredential, saying } from '../shared/credentialTest';
import { textOf } from '../shared/normalize';
import { operationSubtitle } from '../shared/descriptions';
import { operationFields } from '../shared/router';
import { operations, route } from './actions/router';
import { ADD_UPDATE_PATH, INVALID_AUTH, kaptureBaseUrl } from './api';

/** Kapture's documented answer to a request without name, phone and email: proof that the token was accepted. */
const MISSING_DATA = /name.*(email|phone).*required/i;

const properties: INodeProperties[] = [
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
];

export class KaptureCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kapture CRM',
		name: 'kaptureCrm',
		icon: { light: 'file:../../icons/kapture.svg', dark: 'file:../../icons/kapture.dark.svg' },
		group: ['output'],
		// 2: Mode defaults to Add or Update and contacts to Match Email/Phone (see actions/customer/addOrUpdate.ts).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: operationSubtitle(properties),
		description: 'Add or update customers, their contacts and enquiries in Kapture CRM',
		defaults: { name: 'Kapture CRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kaptureCrmApi', required: true, testedBy: 'kaptureCrmApiTest' }],
		properties,
	};

	methods = {
		credentialTest: {
			/**
			 * Kapture documents no read-only endpoint, and answers HTTP 200 for a bad token too. The
			 * test posts a customer without name, phone or email, which Kapture cannot create: a
			 * good token gets the documented refusal "Name, Email Id, and Phone Number required"
			 * (HTTP 200 with status "failed", or the documented 400 for missing data); a bad token
			 * gets "Invalid Auth Key" or 401/403.
			 */
			async kaptureCrmApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const token = String(data.token ?? '');
				const base = kaptureBaseUrl(data);
				if ('problem' in base) return { status: 'Error', message: base.problem };
				if (!token) return { status: 'Error', message: 'API Token is empty' };
				const accepted = 'Connection successful: the token was accepted';
				return await checkCredential(this, {
					service: 'Kapture CRM',
					request: { method: 'POST', uri: `${base.url}${ADD_UPDATE_PATH}`, body: { customer_info: {} }, authorization: `Basic ${token}` },
					secrets: [token],
					said: (body) => textOf((body as { message?: unknown } | undefined)?.message) || undefined,
					answers: [
						{
							status: [200, 400, 401],
							when: (a) => INVALID_AUTH.test(a.said),
							ok: false,
							message: 'Kapture CRM rejected the API token (Invalid Auth Key): check the token, exactly as Kapture issued it',
						},
						{ status: [200, 400], when: (a) => MISSING_DATA.test(a.said), ok: true, message: accepted },
						// The page's 400: "Bad Request - Invalid parameters or missing data", which is what the empty customer is.
						{ status: [400], ok: true, message: (a) => `${accepted} (Kapture refused the empty test customer${saying(a)})` },
						{ status: [401, 403], ok: false, message: (a) => `Kapture CRM refused the token (HTTP ${a.status})${saying(a)}` },
						{ status: [404], ok: false, message: 'Kapture CRM answered 404: check the Subdomain (or Base URL Override)' },
					],
				});
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
