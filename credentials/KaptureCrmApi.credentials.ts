import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { authorizationHeader } from './authorization';

export class KaptureCrmApi implements ICredentialType {
	name = 'kaptureCrmApi';

	displayName = 'Kapture CRM API';

	icon: Icon = { light: 'file:../icons/kapture.svg', dark: 'file:../icons/kapture.dark.svg' };

	documentationUrl = 'https://developer.kapturecrm.com';

	properties: INodeProperties[] = [
		{
			displayName: 'Subdomain',
			name: 'subdomain',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'mycompany',
			description:
				'Your Kapture CRM subdomain: "mycompany" for https://mycompany.kapturecrm.com. One DNS label only (letters, digits and hyphens, at most 63), so that requests always go to a kapturecrm.com host.',
		},
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The token Kapture issued for the API, exactly as given. It is sent as "Authorization: Basic &lt;token&gt;" (it is not a user name and password) and never shown in outputs or errors.',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://proxy.example.com/kapture',
			description:
				'Leave empty to use https://&lt;subdomain&gt;.kapturecrm.com. Set it only for a proxy or the local sandbox. Must be https; plain http is accepted only for localhost/127.0.0.1.',
		},
	];

	authenticate = authorizationHeader('Basic', 'token');
}
