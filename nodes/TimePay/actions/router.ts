/** Resource/operation router: one file per operation, each exporting its fields and execute(). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as initiateCalls from './call/initiate';
import * as createCampaign from './campaign/create';
import * as addCustomer from './customer/add';
import * as bulkAddCustomers from './customer/bulkAdd';
import * as bulkUpdateCustomers from './customer/bulkUpdate';

type Operation = {
	description: INodeProperties[];
	execute: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;
};

export const operations: Record<string, Record<string, Operation>> = {
	customer: { add: addCustomer, bulkAdd: bulkAddCustomers, bulkUpdate: bulkUpdateCustomers },
	call: { initiate: initiateCalls },
	campaign: { create: createCampaign },
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = operations[resource]?.[operation];
	if (!op) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	return [await op.execute.call(this, items)];
}
