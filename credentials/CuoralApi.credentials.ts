import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { authorizationHeader } from './authorization';

export class CuoralApi implements ICredentialType {
	name = 'cuoralApi';

	displayName = 'Cuoral API';

	icon: Icon = { light: 'file:../icons/cuoral.svg', dark: 'file:../icons/cuoral.dark.svg' };

	documentationUrl = 'https://docs.cuoral.com';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The API key from your Cuoral workspace. It is sent as "Authorization: Bearer &lt;key&gt;" (Cuoral\'s page does not name the scheme; Bearer is assumed) and never shown in outputs or errors.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.cuoral.com',
			description:
				'The root of your Cuoral API, without /external/v1 (added by the node; a trailing /external/v1 is accepted too). Cuoral publishes no default. Must be https; plain http is accepted only for localhost/127.0.0.1.',
		},
	];

	authenticate = authorizationHeader('Bearer', 'apiKey');
}
