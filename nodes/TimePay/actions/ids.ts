/**
 * The Campaign, Disposition and Agent ID fields, defined once for every operation that has them,
 * and how they are read.
 *
 * Version 2 of the node makes Campaign ID and Disposition ID resource locators (From List, backed
 * by TimePay's list endpoints, or By ID; an expression works in both). Version 1 keeps them as
 * text fields, so a workflow saved with a plain string loads and runs unchanged. Both shapes are
 * read with `extractValue`, which gives the plain ID either way.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { textOf } from '../../shared/normalize';

/** Display conditions of the node's versions. */
export const V1 = { '@version': [1] };
export const FROM_V2 = { '@version': [{ _cnd: { gte: 2 } }] };

interface IdField {
	name: string;
	displayName: string;
	description: string;
	placeholder: string;
	searchListMethod: string;
	/** Default true; a filter is optional. */
	required?: boolean;
}

function versionedIdField(f: IdField): INodeProperties[] {
	const common = { displayName: f.displayName, name: f.name, required: f.required ?? true, description: f.description };
	return [
		...updateDisplayOptions({ show: V1 }, [{ ...common, type: 'string', default: '', placeholder: f.placeholder }]),
		...updateDisplayOptions({ show: FROM_V2 }, [
			{
				...common,
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod: f.searchListMethod, searchable: true },
					},
					{ displayName: 'By ID', name: 'id', type: 'string', placeholder: f.placeholder },
				],
			},
		]),
	];
}

/** Campaign ID: From List (searchable, paged) or By ID from version 2; text in version 1. */
export function campaignIdField(description: string, required = true): INodeProperties[] {
	return versionedIdField({
		name: 'campaignId',
		displayName: 'Campaign ID',
		description,
		placeholder: 'camp_abc123',
		searchListMethod: 'searchCampaigns',
		required,
	});
}

/** Agent ID and Disposition ID, as TimePay's call settings (Initiate Calls, and calls after adding). */
export const callConfigFields: INodeProperties[] = [
	{
		displayName: 'Agent ID',
		name: 'agentId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'agent_abc123',
		description: 'The AI agent that handles the calls (TimePay documents no list of agents, so it is typed or mapped)',
	},
	...versionedIdField({
		name: 'dispositionId',
		displayName: 'Disposition ID',
		description: 'The disposition used to categorise the calls',
		placeholder: 'disp_abc123',
		searchListMethod: 'searchDispositions',
	}),
];

/** A Campaign ID or Disposition ID of the item: the plain ID, from a text field or a resource locator. */
export function readId(ctx: IExecuteFunctions, name: 'campaignId' | 'dispositionId', itemIndex: number): string {
	return textOf(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }));
}

/** Agent ID and Disposition ID of the item, as TimePay's callConfig names them. */
export function readCallConfig(ctx: IExecuteFunctions, itemIndex: number): { agentId: string; dispositionId: string } {
	return { agentId: textOf(ctx.getNodeParameter('agentId', itemIndex, '')), dispositionId: readId(ctx, 'dispositionId', itemIndex) };
}
