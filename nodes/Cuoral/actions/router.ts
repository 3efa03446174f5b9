/** Resource/operation router: one file per operation, each exporting its fields and execute(). */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Operations } from '../../shared/router';
import { routeOperation } from '../../shared/router';
import * as createCustomer from './customer/create';

export const operations: Operations = {
	customer: { create: createCustomer },
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations);
}
