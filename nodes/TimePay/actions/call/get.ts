/** Call → Get: GET /communication/call/{call_id}, one call per input item. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsField } from '../../../shared/descriptions';
import { textOf } from '../../../shared/normalize';
import { validationError } from '../../../shared/outcomes';
import { readEach } from '../../../shared/paging';
import { getOne } from '../../lists';
import { readClient, readOptions } from '../reads';

const show = { resource: ['call'], operation: ['get'] };

export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	{
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'call_abc123',
		description: "The call to read: the call_id that TimePay's webhook deliveries and call logs carry (map it with an expression)",
	},
	optionsField(show, readOptions),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const client = await readClient(this);
	return await readEach(this, items, async (i) => {
		const callId = textOf(this.getNodeParameter('callId', i, ''));
		if (!callId) throw validationError(this, i, [{ field: 'Call ID', value: undefined, rule: 'is required', parameter: true }]);
		return [await getOne(client, `/communication/call/${encodeURIComponent(callId)}`, i)];
	});
}
