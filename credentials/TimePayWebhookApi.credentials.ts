import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The secret TimePay sends with every webhook delivery (`Authorization: Bearer <secret>`). It is
 * only compared with what arrives; nothing is sent with it.
 */
export class TimePayWebhookApi implements ICredentialType {
	name = 'timePayWebhookApi';

	displayName = 'TimePay Webhook API';

	icon: Icon = { light: 'file:../icons/timepay.svg', dark: 'file:../icons/timepay.dark.svg' };

	documentationUrl = 'https://agents.docs.timepay.ai';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The shared secret agreed with TimePay when the webhook was set up. TimePay sends it as "Authorization: Bearer &lt;secret&gt;"; a delivery without it is answered 401 and starts nothing. Enter the secret alone, without "Bearer".',
		},
	];
}
