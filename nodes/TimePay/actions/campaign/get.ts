/** Campaign → Get: GET /campaigns/{id}, one campaign per input item. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsField } from '../../../shared/descriptions';
import { validationError } from '../../../shared/outcomes';
import { readEach } from '../../../shared/paging';
import { problemsOf } from '../../../shared/validation';
import { getOne } from '../../lists';
import { campaignIdSchema } from '../../schemas';
import { campaignIdField, readId } from '../ids';
import { readClient, readOptions } from '../reads';

const show = { resource: ['campaign'], operation: ['get'] };

export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	...campaignIdField('The campaign to read'),
	optionsField(show, readOptions),
]);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const client = await readClient(this);
	return await readEach(this, items, async (i) => {
		const campaignId = readId(this, 'campaignId', i);
		const c = campaignIdSchema.safeParse(campaignId);
		if (!c.success) throw validationError(this, i, problemsOf(c.error, campaignId, 'campaignId'));
		return [await getOne(client, `/campaigns/${encodeURIComponent(campaignId)}`, i)];
	});
}
