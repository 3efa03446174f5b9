/** Resource/operation router: one file per operation, each exporting its fields and execute(). */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Operations } from '../../shared/router';
import { routeOperation } from '../../shared/router';
import * as getCall from './call/get';
import * as initiateCalls from './call/initiate';
import * as getManyCallLogs from './callLog/getMany';
import * as createCampaign from './campaign/create';
import * as getCampaign from './campaign/get';
import * as getManyCampaigns from './campaign/getMany';
import * as addCustomer from './customer/add';
import * as bulkAddCustomers from './customer/bulkAdd';
import * as bulkUpdateCustomers from './customer/bulkUpdate';
import * as getManyDispositions from './disposition/getMany';

export const operations: Operations = {
	customer: { add: addCustomer, bulkAdd: bulkAddCustomers, bulkUpdate: bulkUpdateCustomers },
	call: { get: getCall, initiate: initiateCalls },
	callLog: { getMany: getManyCallLogs },
	campaign: { create: createCampaign, get: getCampaign, getMany: getManyCampaigns },
	disposition: { getMany: getManyDispositions },
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, operations);
}
