'use strict';
/*
 * The second half of the demo: call outcomes come back into n8n.
 *
 *   before the cross-system workflow runs:  prepareCalls(sandbox)   calls wait for their outcome
 *   after it:                                runLoop({ ... })
 *
 * runLoop publishes examples/call-outcomes-follow-up.json, starts `n8n start`, gives the sandbox
 * (standing in for TimePay's webhook setup) the trigger's production URL and the secret, lets the
 * calls the cross-system workflow placed end, and waits until every delivery is answered and every
 * execution has finished. It prints each event as TimePay delivered it, the executions n8n ran,
 * and what each vendor received from the follow-ups. Faults on the way, as they happen for real:
 * the first delivery carries a wrong secret (401, delivered again), and one event is delivered
 * twice (the repeat runs, and Remove Duplicates stops it).
 */
const fs = require('fs');
const path = require('path');
const n8n = require('./lib');

const FOLLOW_UP_FILE = 'call-outcomes-follow-up.json';

/** The outcomes the sandbox gives the calls, in the order they were placed. */
const OUTCOMES = [
	{ status: 'Contacted', disposition: 'Promise to Pay', dispositionId: 'disp_ptp', summary: 'Agreed to pay the overdue EMI and gave a date.', days: 9 },
	{ status: 'No Contact', disposition: 'No Answer', dispositionId: 'disp_no_answer', summary: 'The call was not answered.' },
	{ status: 'Contacted', disposition: 'Already Paid', dispositionId: 'disp_paid', summary: 'Says the EMI is already paid.' },
];

function followUpWorkflow() {
	return JSON.parse(fs.readFileSync(path.join(n8n.REPO, 'examples', FOLLOW_UP_FILE), 'utf8'));
}

/** Placed calls wait (autoComplete off) until runLoop lets them end, with OUTCOMES. */
function prepareCalls(sandbox) {
	sandbox.control('POST', '/__sandbox/calls', {
		autoComplete: false,
		outcomes: OUTCOMES.map(({ days, ...o }) => ({
			...o,
			...(days ? { extracted_data: { promise_to_pay_date: new Date(Date.now() + days * 86400000).toISOString().slice(0, 10) } } : {}),
		})),
	});
}

async function waitFor(what, check, timeoutMs = 60000) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const v = await check();
		if (v) return v;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await n8n.sleep(200);
	}
}

/**
 * @param {{ userFolder: string, sandbox: any, workflowId: string, secret: string, port?: number, say: (m: string) => void, out: (m: string) => void }} o
 *   workflowId: the follow-up example, already imported under this id.
 * @returns the running n8n (the caller stops it) and whether the loop did what it should.
 */
async function runLoop({ userFolder, sandbox, workflowId, secret, port, say, out }) {
	const workflow = followUpWorkflow();
	await n8n.n8nCliOk(userFolder, ['publish:workflow', `--id=${workflowId}`]);
	say(`published "${workflow.name}"; starting n8n`);
	const inst = await n8n.startN8n(userFolder, { env: n8n.ownerEnv(), port, name: 'n8n-demo' });
	const trigger = workflow.nodes.find((n) => n.type === `${n8n.PACKAGE_NAME}.timePayTrigger`);
	const url = `${inst.url}/webhook/${trigger.webhookId}/timepay`;
	await waitFor('the webhook to be registered', async () => {
		const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		await res.text();
		return res.status === 401;
	});
	say(`n8n ${n8n.N8N_VERSION} is up; production URL ${url}`);

	// What TimePay's webhook setup does for an account: the URL and the shared secret.
	sandbox.control('POST', '/__sandbox/webhook', { url, secret, retryDelaysMs: [500, 1000] });
	sandbox.control('POST', '/__sandbox/webhook/faults', { faults: [{ type: 'wrongSecret' }, { type: 'repeat' }] });
	const requestsBefore = sandbox.state().requests.length;
	const contactsBefore = sandbox.state().acqueon.contactCount;
	const pending = sandbox.state().timePay.calls.pending.length;
	say(`the sandbox ends the ${pending} call(s) the workflow placed and posts each outcome to n8n`);
	sandbox.control('POST', '/__sandbox/calls/complete');

	const api = await n8n.login(inst.url);
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const executions = async () => (await api.get(`/rest/executions?filter=${filter}&limit=100`)).results || [];
	await waitFor('the deliveries', async () => sandbox.control('GET', '/__sandbox/calls/idle').body.idle);
	const deliveries = sandbox.state().timePay.calls.deliveries;
	const accepted = deliveries.filter((d) => d.status === 200).length;
	const runs = await waitFor('the executions', async () => {
		const list = await executions();
		return list.length >= accepted && list.every((e) => !['new', 'running', 'waiting'].includes(e.status)) ? list : undefined;
	});

	const state = sandbox.state();
	const logs = state.timePay.calls.logs;
	out('\n=== Call outcomes back into n8n: TimePay Trigger → Remove Duplicates → Switch → follow-ups ===');
	out('\nTimePay (the sandbox) delivered:');
	for (const d of deliveries) {
		const log = logs.find((l) => l.call_id === d.callId) || {};
		const auth = d.authorization === 'right' ? 'right secret' : d.authorization === 'wrong' ? 'WRONG secret' : 'no secret';
		out(
			`  ${d.callId}  ${String(log.loan_id || log.lead_id || '').padEnd(16)} ${String(d.event).padEnd(11)} ${String(log.disposition || '').padEnd(15)} attempt ${d.attempt}, ${auth.padEnd(12)} → HTTP ${d.status}${d.repeat ? '  (a repeat of the same event)' : ''}`,
		);
	}
	out(`\nn8n ran ${runs.length} execution(s) of the follow-up workflow, one per delivery it accepted:`);
	const flatted = require(path.join(n8n.N8N_HOME, 'node_modules', 'flatted'));
	for (const e of [...runs].reverse()) {
		const full = await api.get(`/rest/executions/${e.id}`);
		const runData = ((typeof full.data === 'string' ? flatted.parse(full.data) : full.data) || {}).resultData?.runData || {};
		const items = (name) => (runData[name] || []).flatMap((r) => (r.data?.main?.[0] || []).map((i) => i.json));
		const [event] = items(trigger.name);
		const ran = Object.keys(runData).filter((name) => workflow.nodes.some((n) => n.name === name && n.type.startsWith(`${n8n.PACKAGE_NAME}.`) && n.name !== trigger.name));
		const what = !items('Remove Duplicates').length ? 'dropped by Remove Duplicates: this dedupeKey was handled before' : ran.length ? `→ ${ran.join(', ')}` : 'no branch for this outcome';
		out(`  execution ${e.id} (${e.status}): ${event ? `${event.dedupeKey}, ${event.disposition}` : '?'} ${what}`);
	}

	out('\nThe follow-ups the vendors received:');
	const since = state.requests.slice(requestsBefore).filter((r) => !String(r.path).startsWith('/__sandbox'));
	for (const r of since) out(`  ${r.method} ${r.path} → ${r.status}`);
	if (!since.length) out('  nothing');
	for (const c of state.kapture.customers) {
		for (const e of c.enquiries || []) out(`  Kapture CRM: ${c.info.customer_name} (${c.info.phone}) — follow-up ${e.next_follow_up_date}: ${e.remarks}`);
	}
	for (const [id, c] of Object.entries(state.timePay.campaigns)) {
		for (const [cid, cust] of Object.entries(c.customers)) if (cust.payment_status === 'paid') out(`  TimePay: ${id} ${cid} marked paid`);
	}
	for (const c of state.acqueon.contacts.slice(contactsBefore)) out(`  Acqueon LCM: a contact for a human agent's callback: ${JSON.stringify(c.businessFields || c.modes || c).slice(0, 160)}`);

	const followUps = since.length;
	const events = new Set(deliveries.filter((d) => d.status === 200).map((d) => `${d.callId}:${d.event}`)).size;
	const ok = runs.every((e) => e.status === 'success') && runs.length === accepted && followUps === events;
	out(`\n${events} event(s), ${accepted} accepted deliveries, ${runs.length} execution(s), ${followUps} follow-up request(s): ${ok ? 'each event followed up once' : 'NOT as expected'}`);
	return { inst, ok, url };
}

module.exports = { prepareCalls, runLoop, FOLLOW_UP_FILE };
