/** Resource/operation router: one file per operation, each exporting its fields and execute(). */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Operations } from '../../shared/router';
import { routeOperation } from '../../shared/router';
import * as addOrUpdateCustomer from './customer/addOrUpdate';

export const operations: Operations = {
	customer: { addOrUpdate: addOrUpdateCustomer },
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations);
}
