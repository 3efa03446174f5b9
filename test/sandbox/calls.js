// @ts-check
'use strict';
/**
 * TimePay's call side, simulated: calls placed by Initiate Calls and by Add / Bulk Add with
 * initiateCall get an outcome after a delay, are recorded in the call logs (GET /logs,
 * GET /communication/call/{call_id}) and are delivered to a registered webhook URL with
 * `Authorization: Bearer <secret>`, redelivered when the receiver does not answer 200.
 * Contract: shared/api-docs/timepay-calls-and-lookups.md. Where the page is silent the choice
 * is written next to the code (and in the README).
 *
 * Control endpoints (under /__sandbox, no token):
 *   POST /__sandbox/webhook        { url, secret, retryDelaysMs?, maxAttempts?, timeoutMs? } registers
 *                                  the receiver (what TimePay's setup does); { url: null } removes it.
 *   POST /__sandbox/webhook/faults { faults: [{ type, times? }] } for the next deliveries:
 *                                  'wrongSecret' (a wrong Bearer secret), 'noAuth' (no Authorization),
 *                                  'repeat' (delivered again, after the first retry delay, although it got
 *                                  its 200: TimePay did not see the answer), 'outOfOrder' (held back and
 *                                  delivered after the next event).
 *   POST /__sandbox/calls          { delayMs?, spacingMs?, seed?, autoComplete?, outcomes?: [...], logOrder? }
 *                                  how placed calls end; `outcomes` are used in order before the seeded mix;
 *                                  logOrder 'newestFirst' (default) or 'oldestFirst' orders GET /logs.
 *   POST /__sandbox/calls/complete ends every pending call now.
 *   POST /__sandbox/events         { events: [partial log] } records (and delivers) events as given,
 *                                  e.g. a WhatsApp event or a log that appears late (an old start_time).
 *   GET  /__sandbox/calls/idle     { idle, pending, deliveriesInFlight } for tests and the demo to wait on.
 */
const http = require('node:http');
const https = require('node:https');
const { randomUUID } = require('node:crypto');

/** Logs per page of GET /logs (documented). */
const PER_PAGE = 10;

/**
 * The seeded outcome mix: weight, status (the webhook's event), disposition and what the call found.
 * `days` sets extracted_data.promise_to_pay_date that many days after the call.
 * @type {{ weight: number, status: string, disposition: string, dispositionId: string, summary: string, days?: number, lead?: boolean, paid?: boolean }[]}
 */
const MIX = [
  { weight: 25, status: 'Contacted', disposition: 'Promise to Pay', dispositionId: 'disp_ptp', summary: 'Customer agreed to pay the EMI and gave a date.', days: 5 },
  { weight: 10, status: 'Contacted', disposition: 'Already Paid', dispositionId: 'disp_paid', summary: 'Customer says the EMI is already paid.', paid: true },
  { weight: 8, status: 'Contacted', disposition: 'Callback Requested', dispositionId: 'disp_callback', summary: 'Customer asked to be called back later.' },
  { weight: 7, status: 'Contacted', disposition: 'Refused to Pay', dispositionId: 'disp_refused', summary: 'Customer refused to pay.' },
  { weight: 20, status: 'No Contact', disposition: 'No Answer', dispositionId: 'disp_no_answer', summary: 'The call was not answered.' },
  { weight: 10, status: 'No Contact', disposition: 'Busy', dispositionId: 'disp_busy', summary: 'The line was busy.' },
  { weight: 5, status: 'No Contact', disposition: 'Switched Off', dispositionId: 'disp_switched_off', summary: 'The phone was switched off.' },
  { weight: 10, status: 'Failed', disposition: 'Call Failed', dispositionId: 'disp_failed', summary: 'The call could not be connected.' },
  { weight: 5, status: 'Failed', disposition: 'Invalid Number', dispositionId: 'disp_invalid_number', summary: 'The number is not in service.' },
];
const LEAD_MIX = [
  { weight: 30, status: 'Contacted', disposition: 'Interested', dispositionId: 'disp_interested', summary: 'The lead is interested and wants details.' },
  { weight: 20, status: 'Contacted', disposition: 'Not Interested', dispositionId: 'disp_not_interested', summary: 'The lead is not interested.' },
  { weight: 10, status: 'Contacted', disposition: 'Callback Requested', dispositionId: 'disp_callback', summary: 'The lead asked to be called back later.' },
  { weight: 25, status: 'No Contact', disposition: 'No Answer', dispositionId: 'disp_no_answer', summary: 'The call was not answered.' },
  { weight: 15, status: 'Failed', disposition: 'Call Failed', dispositionId: 'disp_failed', summary: 'The call could not be connected.' },
];

/** mulberry32: a small seeded PRNG, so a run's outcome mix can be replayed. @param {number} seed */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** logOrder: the order of GET /logs, which the page does not document (newest first by default). */
const DEFAULTS = { delayMs: 200, spacingMs: 20, seed: 7, autoComplete: true, logOrder: 'newestFirst' };
const DELIVERY_DEFAULTS = { retryDelaysMs: [500, 2000, 5000], maxAttempts: 4, timeoutMs: 10000 };

/**
 * @typedef {{ id: string, name: string, org: string, serviceType: 'debt' | 'lead', customers: Map<string, Record<string, unknown>> }} CampaignRef
 * @typedef {{ callId: string, org: string, campaign: CampaignRef, customerId: string, customer: Record<string, unknown>,
 *   agentId: string, dispositionId: string, placedAt: number, dueAt: number }} PendingCall
 * @typedef {Record<string, any>} Log
 * @typedef {{ type: string, times: number }} DeliveryFault
 * @typedef {{ body: Log, attempt: number, key: string, repeat?: boolean }} Delivery
 */

function createCalls() {
  /** @type {typeof DEFAULTS} */
  let config;
  /** @type {() => number} */
  let random;
  /** @type {Array<Record<string, unknown>>} */
  let forced;
  /** @type {PendingCall[]} */
  let pending;
  /** @type {Array<Log & { org: string }>} */
  let logs;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {{ url: string, secret: string } & typeof DELIVERY_DEFAULTS | undefined} */
  let webhook;
  /** @type {DeliveryFault[]} */
  let deliveryFaults;
  /** @type {Delivery[]} */
  let queue;
  /** @type {{ delivery: Delivery, timer: NodeJS.Timeout } | undefined} */
  let heldBack;
  /** @type {Set<NodeJS.Timeout>} */
  const retryTimers = new Set();
  let delivering = false;
  let generation = 0;
  /** @type {{ callId: string, event: string, attempt: number, status: number | string, authorization: 'right' | 'wrong' | 'none', repeat: boolean, at: string }[]} */
  let deliveries;
  let callCounter = 0;

  function reset() {
    generation++;
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const t of retryTimers) clearTimeout(t);
    retryTimers.clear();
    config = { ...DEFAULTS };
    random = prng(config.seed);
    forced = [];
    pending = [];
    logs = [];
    webhook = undefined;
    deliveryFaults = [];
    queue = [];
    heldBack = undefined;
    delivering = false;
    deliveries = [];
    callCounter = 0;
  }
  reset();

  /**
   * A call was placed (Initiate Calls, or Add / Bulk Add with initiateCall).
   * @param {{ campaign: CampaignRef, customerId: string, agentId?: string, dispositionId?: string }} p
   */
  function place(p) {
    const now = Date.now();
    callCounter++;
    const call = {
      callId: `call_${String(callCounter).padStart(6, '0')}_${randomUUID().slice(0, 8)}`,
      org: p.campaign.org,
      campaign: p.campaign,
      customerId: p.customerId,
      customer: { ...(p.campaign.customers.get(p.customerId) ?? {}) },
      agentId: p.agentId ?? 'agent_demo',
      dispositionId: p.dispositionId ?? 'disp_demo',
      placedAt: now,
      // Calls end in the order they were placed, spacingMs apart: `pending` stays sorted by dueAt.
      dueAt: Math.max(now + config.delayMs, (pending.at(-1)?.dueAt ?? 0) + config.spacingMs),
    };
    pending.push(call);
    schedule();
    return call.callId;
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!config.autoComplete || pending.length === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      const now = Date.now();
      let n = 0;
      while (n < pending.length && pending[n].dueAt <= now) n++;
      for (const c of pending.splice(0, n)) complete(c);
      schedule();
    }, Math.max(0, pending[0].dueAt - Date.now()));
    timer.unref();
  }

  /** The call ends: its outcome is drawn, logged and delivered. @param {PendingCall} c */
  function complete(c) {
    const lead = c.campaign.serviceType === 'lead';
    /** @type {Record<string, any>} */
    const outcome = forced.length ? forced.shift() ?? {} : draw(lead ? LEAD_MIX : MIX);
    const end = new Date();
    const duration = Number(outcome.duration ?? (outcome.status === 'Contacted' ? 45 + Math.floor(random() * 180) : outcome.status === 'No Contact' ? 30 : 0));
    const start = new Date(end.getTime() - duration * 1000);
    /** @type {Record<string, unknown>} */
    const extracted = {};
    if (typeof outcome.days === 'number') {
      const d = new Date(end.getTime() + outcome.days * 86400000);
      extracted.promise_to_pay_date = d.toISOString().slice(0, 10);
    }
    if (!lead && outcome.status === 'Contacted') {
      if (c.customer.emi_amount !== undefined) extracted.emi_amount = c.customer.emi_amount;
      if (c.customer.emi_due_date !== undefined) extracted.emi_due_date = c.customer.emi_due_date;
    }
    if (outcome.paid) extracted.payment_claimed = true;
    const name = [c.customer.first_name, c.customer.last_name].filter(Boolean).join(' ');
    /** @type {Log & { org: string }} */
    const log = {
      org: c.org,
      call_id: c.callId,
      date: start.toISOString().slice(0, 10),
      start_time: start.toISOString(),
      end_time: end.toISOString(),
      campaign_name: c.campaign.name,
      campaign_id: c.campaign.id,
      name,
      [lead ? 'lead_id' : 'loan_id']: c.customerId,
      duration,
      direction: 'outbound',
      from: '+911140000000',
      to: String(c.customer.phone_number ?? ''),
      status: outcome.status,
      disposition: outcome.disposition,
      disposition_id: outcome.dispositionId,
      transcript_id: outcome.status === 'Contacted' ? `tr_${c.callId}` : null,
      recording_id: outcome.status === 'Failed' ? null : `rec_${c.callId}`,
      extracted_data: { ...extracted, ...(/** @type {object} */ (outcome.extracted_data) ?? {}) },
      summary: outcome.summary,
      agent_id: c.agentId,
      type: 'call',
    };
    logs.push(log);
    enqueue(log);
  }

  /** @param {typeof MIX} mix */
  function draw(mix) {
    const total = mix.reduce((s, o) => s + o.weight, 0);
    let r = random() * total;
    for (const o of mix) {
      r -= o.weight;
      if (r < 0) return o;
    }
    return mix[mix.length - 1];
  }

  // ---- webhook deliveries -------------------------------------------------------------------

  /** The body TimePay posts: the call's details (the page's sample was not readable) plus `event`. @param {Log} log */
  function deliveryBody(log) {
    const { org: _org, ...rest } = log;
    return { event: log.status, ...rest };
  }

  /** @param {Log} log */
  function enqueue(log) {
    if (!webhook) return;
    const body = deliveryBody(log);
    /** @type {Delivery} */
    const d = { body, attempt: 0, key: `${log.call_id}:${body.event}` };
    if (takeFault('outOfOrder')) {
      release();
      const gen = generation;
      // Released after the next event, or after a second if none comes.
      const t = setTimeout(() => {
        retryTimers.delete(t);
        if (gen !== generation || heldBack?.delivery !== d) return;
        heldBack = undefined;
        queue.push(d);
        void pump();
      }, 1000);
      t.unref();
      retryTimers.add(t);
      heldBack = { delivery: d, timer: t };
      return;
    }
    queue.push(d);
    release();
    void pump();
  }

  /** The held-back delivery goes now (behind the one just queued). */
  function release() {
    if (!heldBack) return;
    clearTimeout(heldBack.timer);
    retryTimers.delete(heldBack.timer);
    queue.push(heldBack.delivery);
    heldBack = undefined;
  }

  /** @param {string} type */
  function takeFault(type) {
    const f = deliveryFaults.find((x) => x.type === type);
    if (!f) return false;
    f.times--;
    if (f.times <= 0) deliveryFaults.splice(deliveryFaults.indexOf(f), 1);
    return true;
  }

  /** Queues a delivery again after `wait` ms (unless the sandbox was reset meanwhile). @param {Delivery} d @param {number} wait @param {number} gen */
  function later(d, wait, gen) {
    const t = setTimeout(() => {
      retryTimers.delete(t);
      if (gen !== generation) return;
      queue.push(d);
      void pump();
    }, wait);
    t.unref();
    retryTimers.add(t);
  }

  /** Deliveries go one at a time, in order (retries wait for their delay and go to the back). */
  async function pump() {
    if (delivering) return;
    delivering = true;
    const gen = generation;
    try {
      while (queue.length && webhook && gen === generation) {
        const d = /** @type {Delivery} */ (queue.shift());
        d.attempt++;
        const target = webhook;
        const auth = takeFault('noAuth') ? 'none' : takeFault('wrongSecret') ? 'wrong' : 'right';
        const status = await post(target, d.body, auth);
        if (gen !== generation) return;
        deliveries.push({ callId: d.body.call_id, event: d.body.event, attempt: d.attempt, status, authorization: auth, repeat: Boolean(d.repeat), at: new Date().toISOString() });
        if (deliveries.length > 5000) deliveries.shift();
        if (status === 200) {
          // A repeat after a 200 is TimePay retrying a delivery whose answer it did not see: it
          // comes after the retry delay, like any redelivery.
          if (!d.repeat && takeFault('repeat')) later({ ...d, attempt: 0, repeat: true }, target.retryDelaysMs[0] ?? 500, gen);
          continue;
        }
        // Anything but 200: TimePay may deliver again (documented); here after a delay, a few times.
        if (d.attempt < target.maxAttempts) {
          later(d, target.retryDelaysMs[Math.min(d.attempt - 1, target.retryDelaysMs.length - 1)] ?? 1000, gen);
        }
      }
    } finally {
      if (gen === generation) delivering = false;
    }
  }

  /**
   * @param {{ url: string, secret: string, timeoutMs: number }} target
   * @param {unknown} body @param {'right' | 'wrong' | 'none'} auth
   * @returns {Promise<number | string>} the status, or 'error: <code>'
   */
  function post(target, body, auth) {
    return new Promise((resolve) => {
      const text = JSON.stringify(body);
      const url = new URL(target.url);
      /** @type {Record<string, string | number>} */
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'user-agent': 'TimePay-Webhook (sandbox)' };
      if (auth === 'right') headers.authorization = `Bearer ${target.secret}`;
      if (auth === 'wrong') headers.authorization = 'Bearer not-the-secret';
      const lib = url.protocol === 'https:' ? https : http;
      const req = lib.request(url, { method: 'POST', headers, timeout: target.timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve('error: response'));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => resolve(`error: ${/** @type {NodeJS.ErrnoException} */ (e).code ?? e.message}`));
      req.end(text);
    });
  }

  // ---- the API ------------------------------------------------------------------------------

  /** @param {string} org */
  const visible = (org) => logs.filter((l) => l.org === org);
  /** @param {Log & { org: string }} l */
  const publicLog = (l) => {
    const { org: _org, ...rest } = l;
    return rest;
  };
  const lower = (/** @type {unknown} */ v) => String(v ?? '').trim().toLowerCase();

  /**
   * GET /logs. Filters compare case-insensitively and exactly; `phone` is the number called (`to`),
   * `from_phone` the caller ID (`from`). Not on the page, assumed: start_time/end_time bound the
   * log's own start_time (inclusive); logs come newest first (by start_time, then call_id), or
   * oldest first with the logOrder control, so that a client can be shown not to depend on it.
   * @param {URLSearchParams} q @param {string} org
   * @returns {import('./server').Reply}
   */
  function getLogs(q, org) {
    const errors = [];
    /** @type {Record<string, number>} */
    const bounds = {};
    for (const k of ['start_time', 'end_time']) {
      const v = q.get(k);
      if (v === null || v === '') continue;
      const t = Date.parse(v);
      if (Number.isNaN(t)) errors.push(`${k} must be an ISO 8601 date-time`);
      else bounds[k] = t;
    }
    const type = q.get('type');
    if (type && !['call', 'whatsapp'].includes(type)) errors.push("type must be 'call' or 'whatsapp'");
    const pageRaw = q.get('page');
    const page = pageRaw === null || pageRaw === '' ? 1 : Number(pageRaw);
    if (!Number.isInteger(page) || page < 1) errors.push('page must be a positive integer');
    if (errors.length) return { status: 400, body: { success: false, message: 'Validation failed', errors } };
    /** @type {[string, (l: Log) => unknown][]} */
    const exact = [
      ['type', (l) => l.type],
      ['status', (l) => l.status],
      ['disposition', (l) => l.disposition],
      ['campaign_id', (l) => l.campaign_id],
      ['agent_id', (l) => l.agent_id],
      ['from_phone', (l) => l.from],
      ['phone', (l) => l.to],
    ];
    const wanted = exact.filter(([k]) => q.get(k) !== null && q.get(k) !== '').map(([k, f]) => /** @type {const} */ ([lower(q.get(k)), f]));
    const matched = visible(org)
      .filter((l) => wanted.every(([v, f]) => lower(f(l)) === v))
      .filter((l) => {
        const t = Date.parse(l.start_time);
        if (bounds.start_time !== undefined && !(t >= bounds.start_time)) return false;
        if (bounds.end_time !== undefined && !(t <= bounds.end_time)) return false;
        return true;
      })
      .sort((a, b) => Date.parse(b.start_time) - Date.parse(a.start_time) || (a.call_id < b.call_id ? 1 : a.call_id > b.call_id ? -1 : 0));
    if (config.logOrder === 'oldestFirst') matched.reverse();
    const total = matched.length;
    // Not on the page: the shape of a count_only answer. Assumed `{ success, total }`.
    if (lower(q.get('count_only')) === 'true') return { status: 200, body: { success: true, total } };
    const totalPages = Math.ceil(total / PER_PAGE);
    const data = matched.slice((page - 1) * PER_PAGE, page * PER_PAGE).map(publicLog);
    return {
      status: 200,
      body: {
        success: true,
        data,
        pagination: { page, per_page: PER_PAGE, total, total_pages: totalPages, has_next: page < totalPages, has_prev: page > 1 },
      },
    };
  }

  /** GET /communication/call/{call_id}. @param {string} callId @param {string} org @returns {import('./server').Reply} */
  function getCall(callId, org) {
    const log = visible(org).find((l) => l.call_id === callId);
    if (!log) return { status: 404, body: { success: false, message: 'Call not found' } };
    return { status: 200, body: { success: true, data: publicLog(log) } };
  }

  /**
   * Control endpoints under /__sandbox (see the header). Returns undefined for paths it does not own.
   * @param {import('./server').Req} req @param {{ orgOfCampaign: (id: string) => string | undefined }} ctx
   * @returns {import('./server').Reply | undefined}
   */
  function control(req, ctx) {
    const b = req.body ?? {};
    if (req.method === 'POST' && req.path === '/__sandbox/webhook') {
      if (b.url === null || b.url === '') {
        webhook = undefined;
        return { status: 200, body: { ok: true, registered: false } };
      }
      if (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url) || typeof b.secret !== 'string' || !b.secret) {
        return { status: 400, body: { message: 'url (http or https) and a non-empty secret are required' } };
      }
      webhook = {
        url: b.url,
        secret: b.secret,
        retryDelaysMs: Array.isArray(b.retryDelaysMs) ? b.retryDelaysMs.map(Number) : DELIVERY_DEFAULTS.retryDelaysMs,
        maxAttempts: typeof b.maxAttempts === 'number' ? b.maxAttempts : DELIVERY_DEFAULTS.maxAttempts,
        timeoutMs: typeof b.timeoutMs === 'number' ? b.timeoutMs : DELIVERY_DEFAULTS.timeoutMs,
      };
      return { status: 200, body: { ok: true, registered: true, url: webhook.url } };
    }
    if (req.method === 'POST' && req.path === '/__sandbox/webhook/faults') {
      if (b.clear === true) deliveryFaults = [];
      const known = ['wrongSecret', 'noAuth', 'repeat', 'outOfOrder'];
      for (const f of Array.isArray(b.faults) ? b.faults : []) {
        if (!known.includes(f?.type)) return { status: 400, body: { message: `unknown delivery fault '${f?.type}' (known: ${known.join(', ')})` } };
        deliveryFaults.push({ type: f.type, times: typeof f.times === 'number' ? f.times : 1 });
      }
      return { status: 200, body: { ok: true, pendingFaults: deliveryFaults } };
    }
    if (req.method === 'POST' && req.path === '/__sandbox/calls') {
      for (const k of /** @type {const} */ (['delayMs', 'spacingMs'])) if (typeof b[k] === 'number') config[k] = b[k];
      if (typeof b.autoComplete === 'boolean') config.autoComplete = b.autoComplete;
      if (b.logOrder === 'newestFirst' || b.logOrder === 'oldestFirst') config.logOrder = b.logOrder;
      if (typeof b.seed === 'number') {
        config.seed = b.seed;
        random = prng(b.seed);
      }
      if (Array.isArray(b.outcomes)) forced = b.outcomes.map((/** @type {object} */ o) => ({ ...o }));
      schedule();
      return { status: 200, body: { ok: true, config, forcedOutcomes: forced.length } };
    }
    if (req.method === 'POST' && req.path === '/__sandbox/calls/complete') {
      const due = pending;
      pending = [];
      for (const c of due) complete(c);
      schedule();
      return { status: 200, body: { ok: true, completed: due.length } };
    }
    if (req.method === 'POST' && req.path === '/__sandbox/events') {
      /** @type {string[]} */
      const ids = [];
      for (const e of Array.isArray(b.events) ? b.events : []) {
        const campaignId = String(e.campaign_id ?? 'camp_debt_demo');
        const org = ctx.orgOfCampaign(campaignId) ?? 'org_sandbox';
        const now = new Date().toISOString();
        /** @type {Log & { org: string }} */
        const log = {
          call_id: `call_${randomUUID()}`,
          date: String(e.start_time ?? now).slice(0, 10),
          start_time: now,
          end_time: now,
          campaign_id: campaignId,
          type: 'call',
          ...e,
          org,
        };
        logs.push(log);
        ids.push(log.call_id);
        if (b.deliver !== false) enqueue(log);
      }
      return { status: 200, body: { ok: true, callIds: ids } };
    }
    if (req.method === 'GET' && req.path === '/__sandbox/calls/idle') {
      const inFlight = queue.length + (heldBack ? 1 : 0) + retryTimers.size + (delivering ? 1 : 0);
      return { status: 200, body: { idle: pending.length === 0 && inFlight === 0, pending: pending.length, deliveriesInFlight: inFlight } };
    }
    return undefined;
  }

  function state() {
    return {
      config,
      pending: pending.map((c) => ({ callId: c.callId, campaignId: c.campaign.id, customerId: c.customerId })),
      logs: logs.map(publicLog),
      // Whether a receiver is registered, never its secret.
      webhook: webhook ? { url: webhook.url, maxAttempts: webhook.maxAttempts, retryDelaysMs: webhook.retryDelaysMs } : null,
      deliveries,
      pendingDeliveryFaults: deliveryFaults,
    };
  }

  return { place, getLogs, getCall, control, reset, close: reset, state };
}

module.exports = { createCalls, PER_PAGE, MIX, LEAD_MIX };
