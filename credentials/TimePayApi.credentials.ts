import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { authorizationHeader } from './authorization';

export class TimePayApi implements ICredentialType {
	name = 'timePayApi';

	displayName = 'TimePay API';

	icon: Icon = { light: 'file:../icons/timepay.svg', dark: 'file:../icons/timepay.dark.svg' };

	documentationUrl = 'https://agents.docs.timepay.ai';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The API token from the TimePay dashboard. It is sent as "Authorization: Bearer &lt;token&gt;" and never shown in outputs or errors.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.agents.timepay.ai/api/v1',
			required: true,
			description:
				'TimePay API root. Change it only for a proxy, a staging tenant or the local sandbox. Must be https; plain http is accepted only for localhost/127.0.0.1.',
		},
	];

	authenticate = authorizationHeader('Bearer', 'token');
}
