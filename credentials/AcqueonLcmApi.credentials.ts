import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/**
 * Acqueon LCM's Create Contact is a message on the agent-desktop message bus, which has no auth
 * of its own. From a server, the message is POSTed to an HTTP gateway the customer's Acqueon
 * deployment exposes; this credential holds that gateway's URL and how it authenticates.
 */
export class AcqueonLcmApi implements ICredentialType {
	name = 'acqueonLcmApi';

	displayName = 'Acqueon LCM API';

	icon: Icon = { light: 'file:../icons/acqueon.svg', dark: 'file:../icons/acqueon.dark.svg' };

	documentationUrl = 'https://acqueon.document360.io';

	properties: INodeProperties[] = [
		{
			displayName: 'Gateway URL',
			name: 'gatewayUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://lcm-gateway.example.com/lcm/messages',
			description:
				'The full URL the LCM message is POSTed to: the HTTP gateway your Acqueon deployment exposes in front of its message bus. Must be https; plain http is accepted only for localhost/127.0.0.1.',
		},
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'Basic Auth', value: 'basic', description: 'User name and password' },
				{ name: 'Bearer Token', value: 'bearer', description: 'A token sent as "Authorization: Bearer &lt;token&gt;"' },
			],
			default: 'basic',
			description: 'How the gateway expects requests to be authenticated',
		},
		{
			displayName: 'User Name',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authType: ['basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authType: ['basic'] } },
			description: 'Never shown in outputs or errors',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authType: ['bearer'] } },
			description: 'Never shown in outputs or errors',
		},
		{
			displayName: 'Source Application Name',
			name: 'source',
			type: 'string',
			default: 'n8n',
			required: true,
			description: 'Sent as the message\'s "source": the application broadcasting the message',
		},
	];

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...(requestOptions.headers ?? {}), Authorization: acqueonAuthorization(credentials) },
	});
}

/** The Authorization header for either mode: "Basic base64(user:password)" or "Bearer token". */
export function acqueonAuthorization(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.authType === 'bearer') return `Bearer ${String(credentials.token ?? '')}`;
	const pair = `${String(credentials.username ?? '')}:${String(credentials.password ?? '')}`;
	return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** Values to scrub from anything the node reports. */
export function acqueonSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	// All of them whatever the mode: a field hidden by the mode may still hold a value.
	const basic = acqueonAuthorization({ ...credentials, authType: 'basic' }).slice('Basic '.length);
	return [String(credentials.token ?? ''), String(credentials.password ?? ''), basic].filter((s) => s.length > 0);
}
