/** Customer → Add: POST /customers/add, one request per item, bounded concurrency. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { commonOptions, readCommonOptions, optionsField } from '../../../shared/descriptions';
import { runPerItem } from '../../../shared/outcomes';
import type { Problem } from '../../../shared/validation';
import { checkExactly, problemsOf } from '../../../shared/validation';
import { timePayClient } from '../../api';
import { stableLeadId } from '../../fields';
import type { AddCustomerBody } from '../../schemas';
import { addCustomerBodySchema, campaignIdSchema, idFieldFor, recordSchemaFor } from '../../schemas';
import { customerFields, includeOtherFieldsOption, readCallOptions, readCampaignKind, recordReader } from './common';
import { optionChoice } from '../../../shared/params';
import { readId } from '../ids';

const DEFAULTS = { concurrency: 5, timeoutSeconds: 30 };

export const description: INodeProperties[] = [
	...customerFields('add'),
	optionsField({ resource: ['customer'], operation: ['add'] }, [...commonOptions(DEFAULTS), includeOtherFieldsOption]),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const raw = this.getNodeParameter('options', 0, {}) as IDataObject;
	const options = readCommonOptions(raw, DEFAULTS, this);
	const kind = readCampaignKind(this);
	const idField = idFieldFor(kind);
	const includeOthers = optionChoice<boolean>(this, raw, includeOtherFieldsOption);
	const readRecord = recordReader(this, items, kind, includeOthers);
	const client = options.validateOnly ? undefined : await timePayClient(this, options, true);

	return await runPerItem<AddCustomerBody>(this, {
		items,
		concurrency: options.concurrency,
		validateOnly: options.validateOnly,
		prepare: (i) => {
			const problems: Problem[] = [];
			const campaignId = readId(this, 'campaignId', i);
			const c = campaignIdSchema.safeParse(campaignId);
			if (!c.success) problems.push(...problemsOf(c.error, campaignId, 'campaignId'));
			const record = readRecord(i);
			if (kind === 'leadGeneration' && record.lead_id === undefined) record.lead_id = stableLeadId(campaignId, record);
			const r = checkExactly<Record<string, unknown>>(recordSchemaFor(kind), record);
			if (!r.ok) problems.push(...r.problems);
			const call = readCallOptions(this, i);
			if ('problems' in call) problems.push(...call.problems);
			const body = { campaignId, data: record, ...('options' in call ? call.options : {}) };
			if (problems.length) return { ok: false, problems, preview: body as IDataObject };
			// What is checked is what is sent: the body itself, not the schema's copy of it.
			const checked = checkExactly<AddCustomerBody>(addCustomerBodySchema, body);
			if (!checked.ok) return { ok: false, problems: checked.problems, preview: body as IDataObject };
			return { ok: true, payload: checked.value, preview: body as IDataObject };
		},
		send: async (body, i) => {
			const res = await client!.request('POST', '/customers/add', body as IDataObject, i);
			const b = (res.body ?? {}) as IDataObject;
			const id = String((b.data as IDataObject | undefined)?.id ?? body.data[idField]);
			if (res.statusCode === 409) {
				return { id, campaignId: body.campaignId, outcome: 'already present', message: String(b.message ?? 'Customer already exists in this campaign') };
			}
			if (res.statusCode < 200 || res.statusCode >= 300 || b.success === false) throw client!.error(res, i);
			const out: IDataObject = {
				id,
				campaignId: String((b.data as IDataObject | undefined)?.campaignId ?? body.campaignId),
				outcome: 'added',
				message: String(b.message ?? ''),
			};
			for (const k of ['callInitiated', 'callError', 'workflowTriggered'] as const) if (b[k] !== undefined) out[k] = b[k];
			return out;
		},
	});
}
