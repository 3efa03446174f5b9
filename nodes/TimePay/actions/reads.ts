/** What the read operations share: their Options (attempts, timeout), their client, and the Get Many shape. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { commonOptions, optionsField, readCommonOptions } from '../../shared/descriptions';
import type { HowMany } from '../../shared/paging';
import { readEach, readHowMany, readPages, returnAllOrLimit } from '../../shared/paging';
import type { Operation } from '../../shared/router';
import type { Query, TimePayClient } from '../api';
import { timePayClient } from '../api';
import { getPage, recordKey } from '../lists';

const DEFAULTS = { concurrency: 1, timeoutSeconds: 30 };

/** Max Attempts and Timeout: a read sends nothing, so concurrency and dry runs do not apply. */
export const readOptions: INodeProperties[] = commonOptions(DEFAULTS).filter((o) => o.name === 'maxAttempts' || o.name === 'timeoutSeconds');

/** A GET changes nothing, so every transient failure (timeouts, 502/503/504, resets) is retried. */
export async function readClient(ctx: IExecuteFunctions): Promise<TimePayClient> {
	const options = readCommonOptions(ctx.getNodeParameter('options', 0, {}) as IDataObject, DEFAULTS, ctx);
	return await timePayClient(ctx, options, true);
}

/** Records per page when the node reads a list whose page size it may choose (TimePay's default is 10). */
export const PAGE_SIZE = 50;

export interface ListSpec {
	show: { resource: string[]; operation: string[] };
	/** The list endpoint, e.g. /campaigns. */
	path: string;
	/** The options of its Filters collection. */
	filters: INodeProperties[];
	/** The query of one input item (page excluded). */
	query: (ctx: IExecuteFunctions, itemIndex: number, howMany: HowMany) => Query;
}

/** A "Get Many" over one of TimePay's page-numbered lists: Return All or Limit, one read per input item. */
export function listOperation(spec: ListSpec): Operation {
	return {
		description: updateDisplayOptions({ show: spec.show }, [
			...returnAllOrLimit(),
			{ displayName: 'Filters', name: 'filters', type: 'collection', placeholder: 'Add filter', default: {}, options: spec.filters },
			optionsField(spec.show, readOptions),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
			const client = await readClient(this);
			return await readEach(this, items, async (i) => {
				const howMany = readHowMany(this, i);
				const query = spec.query(this, i, howMany);
				return await readPages((page) => getPage(client, spec.path, query, page, i), howMany, recordKey('id'));
			});
		},
	};
}
