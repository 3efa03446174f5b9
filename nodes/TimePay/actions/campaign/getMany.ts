/** Campaign → Get Many: GET /campaigns, filtered, page by page (Return All or up to Limit). */
import type { IDataObject } from 'n8n-workflow';

import { textOf } from '../../../shared/normalize';
import { listOperation, PAGE_SIZE } from '../reads';
import { CAMPAIGN_TYPES } from './create';

export const { description, execute } = listOperation({
	show: { resource: ['campaign'], operation: ['getMany'] },
	path: '/campaigns',
	filters: [
		{
			displayName: 'Campaign Type',
			name: 'campaign_type',
			type: 'options',
			options: CAMPAIGN_TYPES,
			default: 'emi',
			description: 'Only campaigns of this type. Choose "Expression" for another type your account has.',
		},
		{
			displayName: 'Search',
			name: 'search',
			type: 'string',
			default: '',
			description: "Only campaigns whose name or description contains this text (TimePay's search)",
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'string',
			default: '',
			placeholder: 'active',
			description: 'Only campaigns with this status, as TimePay names it (e.g. active, paused, completed)',
		},
	],
	query: (ctx, i, howMany) => {
		const f = ctx.getNodeParameter('filters', i, {}) as IDataObject;
		return {
			limit: Math.min(PAGE_SIZE, howMany.limit),
			status: textOf(f.status) || undefined,
			campaign_type: textOf(f.campaign_type) || undefined,
			search: textOf(f.search) || undefined,
		};
	},
});
