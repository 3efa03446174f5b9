/** Disposition → Get Many: GET /dispositions (20 per page, TimePay's size), Return All or up to Limit. */
import type { IDataObject } from 'n8n-workflow';

import { textOf } from '../../../shared/normalize';
import { listOperation } from '../reads';

export const { description, execute } = listOperation({
	show: { resource: ['disposition'], operation: ['getMany'] },
	path: '/dispositions',
	filters: [
		{
			displayName: 'Search',
			name: 'search',
			type: 'string',
			default: '',
			description: 'Only dispositions whose name or description contains this text',
		},
	],
	query: (ctx, i) => ({ search: textOf((ctx.getNodeParameter('filters', i, {}) as IDataObject).search) || undefined }),
});
