import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { commonOptions } from '../shared/descriptions';
import type { ApiResponse } from '../shared/transport';
import type { Query } from './api';
import { timePayClient } from './api';
import { normalise } from './callEvents';
import type { CursorState } from './callLogCursor';
import { advance, baseline, isCursor, logKey, queryFrom, seenSince, startMs } from './callLogCursor';
import { timePayApiTest } from './credentialTest';
import { getPage } from './lists';
import { searchCampaigns } from './methods/listSearch';

/** Logs per page of GET /logs (documented; the API has no page size parameter). */
const PER_PAGE = 10;
/** Reads only: one request at a time; the timeout of an execution's requests. */
const POLL_DEFAULTS = { concurrency: 1, timeoutSeconds: 30 };
const FILTERS = ['status', 'disposition', 'campaign_id', 'agent_id', 'phone', 'from_phone'] as const;

/** The total of a count_only answer, wherever the API puts it; undefined when it gives none. */
function countOf(response: ApiResponse): number | undefined {
	if (response.statusCode !== 200) return undefined;
	const b = (response.body ?? {}) as IDataObject;
	const candidates = [b.total, b.count, (b.data as IDataObject)?.total, (b.data as IDataObject)?.count, (b.pagination as IDataObject)?.total, b.data];
	const n = candidates.find((c) => typeof c === 'number' && Number.isInteger(c) && c >= 0);
	return n as number | undefined;
}

function toItem(log: IDataObject): INodeExecutionData {
	// As the webhook trigger reads it (a WhatsApp log without call_id: its message_id); a log with
	// neither is named by its key, so callId and dedupeKey are never empty.
	const read = normalise(log);
	const event = 'problem' in read ? normalise({ ...log, call_id: logKey(log) }) : read;
	return { json: { ...(event as IDataObject), log } };
}

/** The triggers (workflow and node) whose poll is running in this process; n8n polls only on its main (leader) process. */
const pollsInFlight = new Set<string>();

/** One poll: the latest logs in manual mode ("Fetch Test Event"), else the logs new since the cursor. */
async function readLogs(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const pollStart = Date.now();
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const filters = this.getNodeParameter('filters', {}) as IDataObject;
	const int = (v: unknown, d: number, min: number, max: number) =>
		typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.floor(v))) : d;
	const windowMs = int(options.lateWindowMinutes, 30, 1, 1440) * 60_000;
	const client = await timePayClient(
		this,
		{ maxAttempts: int(options.maxAttempts, 4, 1, 10), timeoutSeconds: int(options.timeoutSeconds, POLL_DEFAULTS.timeoutSeconds, 1, 600) },
		true,
	);
	const query: Query = { type: String(this.getNodeParameter('type', 'call') ?? '') };
	for (const f of FILTERS) {
		// Campaign ID is a picker ({ mode, value }); a plain string is read as the ID too.
		const raw = filters[f];
		const v = raw !== null && typeof raw === 'object' && 'value' in raw ? (raw as IDataObject).value : raw;
		if (v !== undefined && v !== null && String(v).trim() !== '') query[f] = String(v).trim();
	}
	const logsPage = async (page: number, extra: Query = {}) => await getPage(client, '/logs', { ...query, ...extra }, page);

	if (this.getMode() === 'manual') {
		// "Fetch Test Event": the latest logs, whatever the cursor. The order of the API's pages
		// is not documented: the first page and the last two (a last page may hold only a few)
		// hold the newest 10 either way.
		const first = await logsPage(1);
		const pages = first.total === undefined ? 1 : Math.ceil(first.total / PER_PAGE);
		const tail = [];
		for (let page = Math.max(2, pages - 1); page <= pages; page++) tail.push(...(await logsPage(page)).items);
		const byKey = new Map([...first.items, ...tail].map((log) => [logKey(log), log]));
		const latest = [...byKey.values()]
			.sort((a, b) => startMs(b, 0) - startMs(a, 0))
			.slice(0, PER_PAGE);
		return latest.length ? [latest.map(toItem)] : null;
	}

	const staticData = this.getWorkflowStaticData('node');
	const filterKey = JSON.stringify(query);
	const stored = staticData.cursor;
	const state: CursorState | undefined = isCursor(stored, filterKey) ? stored : undefined;
	const from = state ? queryFrom(state, windowMs) : pollStart - windowMs;
	const fromIso = new Date(from).toISOString();

	// An unchanged window counts the same: one request instead of reading every page.
	if (state && !state.scan) {
		const count = countOf(await client.get('/logs', { ...query, start_time: fromIso, count_only: 'true' }));
		if (count !== undefined && count === seenSince(state, from)) {
			staticData.cursor = advance(state, [], { pollStart, windowMs, complete: true }).next;
			return null;
		}
	}

	// Every page of the window, until the API says there is no next one. A poll close to its
	// time budget stops and the next poll goes on from the next page (the first poll after
	// publishing, which only takes note, reads to the end).
	const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : 5 * 60_000;
	const logs: IDataObject[] = [];
	let nextPage: number | undefined;
	for (let page = state?.scan?.nextPage ?? 1; ; page++) {
		const p = await logsPage(page, { start_time: fromIso });
		logs.push(...p.items);
		if (!p.hasNext || p.items.length === 0) break;
		if (state && Date.now() - pollStart > budget * 0.8) {
			nextPage = page + 1;
			break;
		}
	}

	if (!state) {
		// The first poll (or the first after the filters changed): what is there is not new.
		staticData.cursor = baseline(filterKey, logs, pollStart, windowMs);
		return null;
	}
	const { fresh, next } =
		nextPage === undefined
			? advance(state, logs, { pollStart: state.scan?.startedAt ?? pollStart, windowMs, complete: true })
			: advance(state, logs, { pollStart, windowMs, complete: false, nextPage });
	staticData.cursor = next;
	return fresh.length ? [fresh.map(toItem)] : null;
}

export class TimePayCallLogTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TimePay Call Log Trigger',
		name: 'timePayCallLogTrigger',
		icon: { light: 'file:../../icons/timepay.svg', dark: 'file:../../icons/timepay.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Polls call logs" + ($parameter["type"] ? ": " + $parameter["type"] : "") }}',
		description:
			'Starts the workflow for each new TimePay call log, by polling. For n8n instances that TimePay cannot reach; otherwise the TimePay Trigger (webhook) is immediate.',
		defaults: { name: 'TimePay Call Log Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'timePayApi', required: true, testedBy: 'timePayApiTest' }],
		properties: [
			{
				displayName:
					'Each poll reads the call logs (GET /logs) that are new since the last poll and starts one execution with one item per new log, each log once. The first poll after publishing only notes what is already there. "Fetch Test Event" shows the latest logs.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Log Type',
				name: 'type',
				type: 'options',
				options: [
					{ name: 'Calls', value: 'call' },
					{ name: 'WhatsApp Messages', value: 'whatsapp' },
					{ name: 'All', value: '' },
				],
				default: 'call',
				description: 'Which communication logs to pick up',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				description: "Sent to TimePay as the call-log API's own filters",
				options: [
					{ displayName: 'Agent ID', name: 'agent_id', type: 'string', default: '', description: 'Only logs of this AI agent' },
					{
						displayName: 'Caller Number',
						name: 'from_phone',
						type: 'string',
						default: '',
						description: 'Only logs of calls placed from this number (the caller ID)',
					},
					{
						displayName: 'Campaign ID',
						name: 'campaign_id',
						type: 'resourceLocator',
						default: { mode: 'list', value: '' },
						description: 'Only logs of this campaign',
						modes: [
							{
								displayName: 'From List',
								name: 'list',
								type: 'list',
								typeOptions: { searchListMethod: 'searchCampaigns', searchable: true },
							},
							{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'camp_abc123' },
						],
					},
					{ displayName: 'Customer Phone', name: 'phone', type: 'string', default: '', description: 'Only logs of calls to this number' },
					{
						displayName: 'Disposition',
						name: 'disposition',
						type: 'string',
						default: '',
						placeholder: 'Promise to Pay',
						description: 'Only logs with this disposition',
					},
					{
						displayName: 'Status',
						name: 'status',
						type: 'string',
						default: '',
						placeholder: 'No Contact',
						description: 'Only logs with this status, e.g. Contacted, No Contact, Completed, Failed',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Late Log Window (Minutes)',
						name: 'lateWindowMinutes',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1440 },
						default: 30,
						description:
							'A log appears when its call has ended, after its start time. Logs that started up to this long before the previous poll (or the newest log seen) are still picked up; each poll re-reads this window. Make it longer than your longest calls plus any clock difference with TimePay.',
					},
					...commonOptions(POLL_DEFAULTS).filter((o) => o.name === 'maxAttempts' || o.name === 'timeoutSeconds'),
				],
			},
		],
	};

	methods = {
		listSearch: { searchCampaigns },
		credentialTest: { timePayApiTest },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		if (this.getMode() === 'manual') return await readLogs.call(this);
		// n8n starts a poll at every poll time without waiting for the one before. Two polls at
		// once would read the same cursor and emit the same logs: a poll that finds one of this
		// trigger still running leaves the new logs to it and to the next poll.
		const key = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
		if (pollsInFlight.has(key)) {
			this.logger.debug('TimePay Call Log Trigger: the previous poll is still running; this one is skipped', { node: this.getNode().name });
			return null;
		}
		pollsInFlight.add(key);
		try {
			return await readLogs.call(this);
		} finally {
			pollsInFlight.delete(key);
		}
	}
}
