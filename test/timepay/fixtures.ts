import type { IDataObject } from 'n8n-workflow';

import { sandboxCredentials } from '../harness/sandbox';

export function timePayCredentials(url: string, token = sandboxCredentials.timePay.token) {
	return { timePayApi: { token, baseUrl: `${url}/timepay/api/v1` } };
}

export function debtRecord(i: number, overrides: IDataObject = {}): IDataObject {
	return {
		loan_id: `LOAN-${String(i).padStart(6, '0')}`,
		first_name: 'Asha',
		last_name: `Verma${i}`,
		phone_number: `98${10000001 + i}`,
		loan_amount: 50000,
		emi_amount: 2500,
		loan_period: 24,
		current_emi: 5,
		emi_due_date: '2025-03-05',
		payment_status: 'pending',
		language: 'hindi',
		...overrides,
	};
}

export const autoMap = { mappingMode: 'autoMapInputData', value: null };
