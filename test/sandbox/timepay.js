// @ts-check
'use strict';
/**
 * TimePay AI voice agents API, as documented in shared/api-docs/timepay-*.md.
 * Mounted at /timepay/api/v1. Where the pages are silent (401 body, duplicate reporting in
 * bulk, bulk update status codes) the choices are written next to the code and in the README.
 */
const { randomUUID } = require('node:crypto');
const creds = require('./credentials');
const { createCalls } = require('./calls');
const lookups = require('./timepay-lookups');

const PAYMENT_STATUSES = ['bounced', 'pending', 'partial', 'paid', 'received'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DEBT_FIELDS = {
  loan_id: 'string', first_name: 'string', last_name: 'string', phone_number: 'string',
  loan_amount: 'number', emi_amount: 'number', loan_period: 'number', current_emi: 'number',
  emi_due_date: 'date', payment_status: 'status',
};
const LEAD_FIELDS = { first_name: 'string', last_name: 'string', phone_number: 'string', lead_date: 'date' };
const AGENTS = new Set(['agent_demo', 'agent_collections']);
const DISPOSITIONS = lookups.DISPOSITION_IDS;
const MAX_RECORDS = 10000;

/**
 * @typedef {{ id: string, name: string, org: string, serviceType: 'debt' | 'lead', campaignType: string,
 *   noNumbers?: boolean, customers: Map<string, Record<string, unknown>>, calls: string[], workflowRuns: number,
 *   details?: Record<string, unknown> }} Campaign
 */

function createTimePay() {
  /** @type {Map<string, Campaign>} */
  let campaigns;
  let createdCount = 0;
  // Placed calls end in an outcome, a log and a webhook delivery (test/sandbox/calls.js).
  const calls = createCalls();

  function reset() {
    calls.reset();
    campaigns = new Map();
    createdCount = 0;
    /** @param {Omit<Campaign, 'customers' | 'calls' | 'workflowRuns'>} c */
    const add = (c) => campaigns.set(c.id, { ...c, customers: new Map(), calls: [], workflowRuns: 0 });
    add({ id: 'camp_debt_demo', name: 'EMI reminders (sandbox)', org: 'org_sandbox', serviceType: 'debt', campaignType: 'emi' });
    add({ id: 'camp_lead_demo', name: 'New leads (sandbox)', org: 'org_sandbox', serviceType: 'lead', campaignType: 'lead' });
    add({ id: 'camp_no_numbers', name: 'No numbers (sandbox)', org: 'org_sandbox', serviceType: 'debt', campaignType: 'emi', noNumbers: true });
    add({ id: 'camp_other_org', name: 'Another organization', org: 'org_other', serviceType: 'debt', campaignType: 'emi' });
    lookups.seedCampaigns(add);
  }
  reset();

  /** @param {import('node:http').IncomingHttpHeaders} headers */
  function orgOf(headers) {
    const m = /^Bearer (.+)$/.exec(String(headers.authorization ?? ''));
    if (!m) return undefined;
    if (m[1] === creds.timePay.token) return 'org_sandbox';
    if (m[1] === creds.timePay.otherOrgToken) return 'org_other';
    return undefined;
  }

  /**
   * @param {unknown} campaignId
   * @param {string} org
   * @returns {{ campaign?: Campaign, reply?: import('./server').Reply }}
   */
  function findCampaign(campaignId, org) {
    const campaign = campaigns.get(String(campaignId));
    if (!campaign) return { reply: { status: 404, body: { success: false, message: 'Campaign not found' } } };
    if (campaign.org !== org) {
      return { reply: { status: 403, body: { success: false, message: 'Campaign ID invalid or mismatch for your organization.' } } };
    }
    return { campaign };
  }

  /**
   * The documented "Record N: ..." validation strings.
   * @param {unknown} record @param {number} index @param {'debt' | 'lead'} type
   */
  function validateRecord(record, index, type) {
    /** @type {string[]} */
    const errors = [];
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      return [`Record ${index}: Record must be an object`];
    }
    const r = /** @type {Record<string, unknown>} */ (record);
    const fields = type === 'debt' ? DEBT_FIELDS : LEAD_FIELDS;
    for (const [name, kind] of Object.entries(fields)) {
      const v = r[name];
      if (v === undefined || v === null || v === '') {
        errors.push(`Record ${index}: Missing required field '${name}'`);
      } else if (kind === 'number' && (typeof v !== 'number' || !Number.isFinite(v))) {
        errors.push(`Record ${index}: Field '${name}' must be a number`);
      } else if ((kind === 'string' || kind === 'date' || kind === 'status') && typeof v !== 'string') {
        errors.push(`Record ${index}: Field '${name}' must be a string`);
      } else if (kind === 'date' && !DATE.test(/** @type {string} */ (v))) {
        errors.push(`Record ${index}: Field '${name}' must be a date in YYYY-MM-DD format`);
      } else if (kind === 'status' && !PAYMENT_STATUSES.includes(/** @type {string} */ (v))) {
        errors.push(`Record ${index}: Field '${name}' must be one of ${PAYMENT_STATUSES.join(', ')}`);
      }
    }
    // Not on the pages, like any real server's own rules: a phone number needs 10 to 15 digits.
    // The node does not know this rule, so it is how tests see the API reject a record.
    if (typeof r.phone_number === 'string' && r.phone_number && !/^\+?\d{10,15}$/.test(r.phone_number.replace(/[\s-]/g, ''))) {
      errors.push(`Record ${index}: Invalid phone_number '${r.phone_number}'`);
    }
    if (type === 'lead' && r.lead_id !== undefined && typeof r.lead_id !== 'string') {
      errors.push(`Record ${index}: Field 'lead_id' must be a string`);
    }
    if (r.language !== undefined && typeof r.language !== 'string') {
      errors.push(`Record ${index}: Field 'language' must be a string`);
    }
    return errors;
  }

  /** @param {any} body @returns {string[]} */
  function validateCallOptions(body) {
    const errors = [];
    if (body.initiateCall === true && body.useWorkflow === true) {
      errors.push('initiateCall and useWorkflow cannot both be true');
    }
    if (body.initiateCall === true) {
      if (!body.callConfig || typeof body.callConfig !== 'object') {
        errors.push('callConfig is required when initiateCall is true');
      } else {
        if (typeof body.callConfig.agentId !== 'string' || !body.callConfig.agentId) errors.push('callConfig.agentId is required');
        if (typeof body.callConfig.dispositionId !== 'string' || !body.callConfig.dispositionId) errors.push('callConfig.dispositionId is required');
      }
    }
    return errors;
  }

  /**
   * Places a call. Sandbox rule (not TimePay's): a phone number ending in six zeros cannot be
   * called, so tests can see a call fail for one customer.
   * A placed call ends later in an outcome (calls.js).
   * @param {Campaign} campaign @param {string} id @param {{ agentId?: string, dispositionId?: string }} [config]
   * @returns {string | undefined} why the call failed
   */
  function call(campaign, id, config = {}) {
    if (campaign.noNumbers) return 'No active numbers available for this organization';
    const customer = campaign.customers.get(id);
    if (customer && String(customer.phone_number).endsWith('000000')) return `Invalid phone number for customer '${id}'`;
    campaign.calls.push(id);
    calls.place({ campaign, customerId: id, agentId: config.agentId, dispositionId: config.dispositionId });
    return undefined;
  }

  /** @param {string} agentId @param {string} dispositionId */
  function agentProblem(agentId, dispositionId) {
    if (!AGENTS.has(agentId)) return { status: 404, body: { success: false, message: `Agent '${agentId}' not found` } };
    if (!DISPOSITIONS.has(dispositionId)) return { status: 404, body: { success: false, message: `Disposition '${dispositionId}' not found` } };
    return undefined;
  }

  const idField = (/** @type {Campaign} */ c) => (c.serviceType === 'debt' ? 'loan_id' : 'lead_id');

  /** @param {any} body @param {string} org */
  function addOne(body, org) {
    const errors = [];
    if (typeof body?.campaignId !== 'string' || !body.campaignId) errors.push('campaignId is required and must be a string');
    if (!body?.data || typeof body.data !== 'object') errors.push('data is required and must be an object');
    if (errors.length) return { status: 400, body: { success: false, message: 'Validation failed', errors } };
    const { campaign, reply } = findCampaign(body.campaignId, org);
    if (!campaign) return /** @type {import('./server').Reply} */ (reply);
    errors.push(...validateCallOptions(body), ...validateRecord(body.data, 0, campaign.serviceType));
    if (errors.length) return { status: 400, body: { success: false, message: 'Validation failed', errors } };
    if (body.initiateCall) {
      const p = agentProblem(body.callConfig.agentId, body.callConfig.dispositionId);
      if (p) return p;
    }
    const key = idField(campaign);
    const record = { ...body.data };
    if (key === 'lead_id' && !record.lead_id) record.lead_id = randomUUID();
    const id = String(record[key]);
    if (campaign.customers.has(id)) {
      return { status: 409, body: { success: false, message: `Customer with ${key} '${id}' already exists in this campaign.` } };
    }
    campaign.customers.set(id, record);
    /** @type {Record<string, unknown>} */
    const out = { success: true, message: 'Customer added to campaign successfully', data: { id, campaignId: campaign.id } };
    if (body.initiateCall) {
      const err = call(campaign, id, body.callConfig);
      out.callInitiated = !err;
      if (err) {
        out.callError = err;
        out.message = `Customer added successfully but call could not be initiated: ${err.replace(/ for this organization$/, '')}`;
      } else {
        out.message = 'Customer added and call initiated successfully';
      }
    }
    if (body.useWorkflow) {
      campaign.workflowRuns++;
      out.workflowTriggered = true;
      out.message = 'Customer added and workflow triggered successfully';
    }
    return { status: 201, body: out };
  }

  /** @param {any} body @param {string} org */
  function addBulk(body, org) {
    const errors = [];
    if (typeof body?.campaignId !== 'string' || !body.campaignId) errors.push('campaignId is required and must be a string');
    if (!Array.isArray(body?.records) || body.records.length === 0) errors.push('records is required and must be a non-empty array');
    else if (body.records.length > MAX_RECORDS) errors.push(`records must contain at most ${MAX_RECORDS} items`);
    if (errors.length === 0) errors.push(...validateCallOptions(body));
    if (errors.length) return { status: 400, body: { success: false, message: 'Validation failed', errors } };
    const { campaign, reply } = findCampaign(body.campaignId, org);
    if (!campaign) return /** @type {import('./server').Reply} */ (reply);
    if (body.initiateCall) {
      const p = agentProblem(body.callConfig.agentId, body.callConfig.dispositionId);
      if (p) return p;
    }
    const key = idField(campaign);
    /** @type {{ index: number, id: string | null, errors: string[] }[]} */
    const invalidRecords = [];
    /** @type {{ id: string, error: string, reason: string }[]} */
    const failures = [];
    /** @type {string[]} */
    const added = [];
    /** @type {any[]} */
    const records = body.records;
    records.forEach((record, index) => {
      const problems = validateRecord(record, index, campaign.serviceType);
      const rawId = record && typeof record === 'object' ? record[key] : undefined;
      if (problems.length) {
        invalidRecords.push({ index, id: typeof rawId === 'string' && rawId ? rawId : null, errors: problems });
        return;
      }
      const r = { ...record };
      if (key === 'lead_id' && !r.lead_id) r.lead_id = randomUUID();
      const id = String(r[key]);
      if (campaign.customers.has(id)) {
        // Not on the page: a repeated id is reported per record in `errors`, in the words of the
        // single endpoint's 409.
        failures.push({ id, error: 'DUPLICATE', reason: `Customer with ${key} '${id}' already exists in this campaign.` });
        return;
      }
      campaign.customers.set(id, r);
      added.push(id);
    });
    const valid = records.length - invalidRecords.length;
    const results = {
      total: records.length,
      valid,
      invalid: invalidRecords.length,
      successful: added.length,
      failed: failures.length + invalidRecords.length,
      batchesProcessed: Math.max(1, Math.ceil(valid / 500)),
      errors: failures,
      ...(invalidRecords.length ? { invalidRecords } : {}),
    };
    if (valid === 0) {
      return { status: 400, body: { success: false, message: 'No valid records to add', invalidRecords } };
    }
    let message = `Added ${added.length} of ${records.length} records`;
    /** @type {Record<string, unknown>} */
    const out = { success: added.length === records.length, message, results };
    if (body.initiateCall && added.length) {
      /** @type {{ id: string, error: string }[]} */
      const callErrors = [];
      for (const id of added) {
        const err = call(campaign, id, body.callConfig);
        if (err) callErrors.push({ id, error: err });
      }
      out.callResults = {
        totalRequested: added.length,
        initiated: added.length - callErrors.length,
        failed: callErrors.length,
        errors: callErrors,
      };
      message += ` | Calls initiated for ${added.length - callErrors.length} customers`;
    }
    if (body.useWorkflow && added.length) {
      campaign.workflowRuns += added.length;
      out.workflowTriggered = true;
      message += ` | Workflow triggered for ${added.length} customers`;
    }
    out.message = message;
    const status = added.length === records.length ? 201 : added.length > 0 ? 207 : 400;
    return { status, body: out };
  }

  /** @param {string} campaignId @param {any} body @param {string} org */
  function initiate(campaignId, body, org) {
    const errors = [];
    if (typeof body?.agentId !== 'string' || !body.agentId) errors.push('agentId is required and must be a string');
    if (typeof body?.dispositionId !== 'string' || !body.dispositionId) errors.push('dispositionId is required and must be a string');
    if (body?.limit !== undefined && (!Number.isInteger(body.limit) || body.limit < 1)) errors.push('limit must be a positive integer');
    const f = body?.filters ?? {};
    if (typeof f !== 'object' || Array.isArray(f)) errors.push('filters must be an object');
    for (const k of ['ids', 'exclude_ids']) {
      if (f[k] !== undefined && (!Array.isArray(f[k]) || f[k].some((/** @type {unknown} */ x) => typeof x !== 'string'))) errors.push(`filters.${k} must be an array of strings`);
    }
    const statuses = f.payment_status === undefined ? undefined : [].concat(f.payment_status);
    if (statuses && statuses.some((s) => !PAYMENT_STATUSES.includes(s))) errors.push(`filters.payment_status must be one of ${PAYMENT_STATUSES.join(', ')}`);
    if (f.custom !== undefined && (typeof f.custom !== 'object' || f.custom === null || Array.isArray(f.custom))) errors.push('filters.custom must be an object');
    if (errors.length) return { status: 400, body: { success: false, message: 'Validation failed', errors } };
    const { campaign, reply } = findCampaign(campaignId, org);
    if (!campaign) return /** @type {import('./server').Reply} */ (reply);
    const p = agentProblem(body.agentId, body.dispositionId);
    if (p) return p;
    if (campaign.noNumbers) return { status: 400, body: { success: false, message: 'No active numbers available for this organization' } };
    const languages = f.language === undefined ? undefined : [].concat(f.language);
    const ids = f.ids ? new Set(f.ids) : undefined;
    const exclude = new Set(f.exclude_ids ?? []);
    const matched = [];
    for (const [id, c] of campaign.customers) {
      if (ids && !ids.has(id)) continue;
      if (exclude.has(id)) continue;
      if (statuses && !statuses.includes(/** @type {never} */ (c.payment_status))) continue;
      if (languages && !languages.includes(/** @type {never} */ (c.language))) continue;
      if (f.custom && !Object.entries(f.custom).every(([k, v]) => c[k] === v)) continue;
      matched.push(id);
    }
    if (matched.length === 0) return { status: 404, body: { success: false, message: 'No customers found matching the filters' } };
    const selected = body.limit ? matched.slice(0, body.limit) : matched;
    const callErrors = [];
    for (const id of selected) {
      const err = call(campaign, id, body);
      if (err) callErrors.push({ id, error: err });
    }
    const initiated = selected.length - callErrors.length;
    const results = {
      totalMatched: matched.length,
      customersSelected: selected.length,
      initiated,
      failed: callErrors.length,
      batchesProcessed: Math.ceil(selected.length / 500),
      errors: callErrors,
    };
    if (initiated === 0) return { status: 500, body: { success: false, message: 'All calls failed to initiate', results } };
    return {
      status: callErrors.length ? 207 : 200,
      body: { success: callErrors.length === 0, message: `Calls initiated for ${initiated} customers`, results },
    };
  }

  /** @param {any} body @param {string} org */
  function bulkUpdate(body, org) {
    const errors = [];
    if (typeof body?.campaignId !== 'string' || !body.campaignId) errors.push('campaignId is required and must be a string');
    if (!Array.isArray(body?.records) || body.records.length === 0) errors.push('records is required and must be a non-empty array');
    else if (body.records.length > MAX_RECORDS) errors.push(`records must contain at most ${MAX_RECORDS} items`);
    if (errors.length) return { status: 400, body: { success: false, message: 'Validation failed', errors } };
    const { campaign, reply } = findCampaign(body.campaignId, org);
    if (!campaign) return /** @type {import('./server').Reply} */ (reply);
    /** @type {{ id: string | null, error: string, reason: string }[]} */
    const failures = [];
    let invalid = 0;
    let successful = 0;
    /** @type {any[]} */
    const records = body.records;
    records.forEach((r, index) => {
      const id = r && typeof r.id === 'string' && r.id ? r.id : null;
      if (!id || !r.data || typeof r.data !== 'object' || Array.isArray(r.data)) {
        invalid++;
        failures.push({ id, error: 'VALIDATION', reason: `Record ${index}: 'id' and an object 'data' are required` });
        return;
      }
      const d = r.data;
      if (d.payment_status !== undefined && !PAYMENT_STATUSES.includes(d.payment_status)) {
        invalid++;
        failures.push({ id, error: 'VALIDATION', reason: `Record ${index}: Field 'payment_status' must be one of ${PAYMENT_STATUSES.join(', ')}` });
        return;
      }
      const existing = campaign.customers.get(id);
      if (!existing) {
        failures.push({ id, error: 'NOT_FOUND', reason: `Customer '${id}' not found in this campaign` });
        return;
      }
      Object.assign(existing, d);
      successful++;
    });
    const results = {
      total: records.length,
      valid: records.length - invalid,
      invalid,
      successful,
      failed: failures.length,
      retried: 0,
      batchesProcessed: Math.max(1, Math.ceil(records.length / 500)),
      errors: failures,
    };
    // Not on the page: status codes follow Bulk Add's (200 instead of 201, nothing is created).
    const status = successful === records.length ? 200 : successful > 0 ? 207 : 400;
    return { status, body: { success: successful === records.length, message: `Updated ${successful} of ${records.length} records`, results } };
  }

  /** @param {any} body @param {string} org */
  function createCampaign(body, org) {
    const errors = [];
    const b = body ?? {};
    for (const k of ['name', 'description', 'campaignType', 'region']) {
      if (typeof b[k] !== 'string' || !b[k]) errors.push(`${k} is required and must be a string`);
    }
    for (const k of ['startDate', 'endDate']) {
      if (typeof b[k] !== 'string' || !DATE.test(b[k])) errors.push(`${k} is required in YYYY-MM-DD format`);
    }
    for (const k of ['startTime', 'endTime']) {
      if (typeof b[k] !== 'string' || !TIME.test(b[k])) errors.push(`${k} is required in HH:MM 24-hour format`);
    }
    if (!Array.isArray(b.languages) || b.languages.length === 0) errors.push('languages is required and must be a non-empty array');
    if (b.tags !== undefined && !Array.isArray(b.tags)) errors.push('tags must be an array');
    if (b.jsonData !== undefined && !Array.isArray(b.jsonData)) errors.push('jsonData must be an array');
    if (errors.length === 0 && b.startDate > b.endDate) errors.push('endDate must not be before startDate');
    if (errors.length) return { status: 400, body: { success: false, message: 'Validation failed', errors } };
    createdCount++;
    const id = `camp_${String(createdCount).padStart(4, '0')}`;
    const serviceType = b.campaignType === 'lead' ? 'lead' : 'debt';
    /** @type {Campaign} */
    const campaign = {
      id, name: b.name, org, serviceType, campaignType: b.campaignType, customers: new Map(), calls: [], workflowRuns: 0,
      details: { description: b.description, startDate: b.startDate, endDate: b.endDate, startTime: b.startTime, endTime: b.endTime, languages: b.languages, region: b.region, tags: b.tags ?? [], workflowId: b.workflowId ?? null, status: 'active', createdAt: new Date().toISOString() },
    };
    if (Array.isArray(b.jsonData)) {
      const key = serviceType === 'debt' ? 'loan_id' : 'lead_id';
      for (const r of b.jsonData) campaign.customers.set(String(r[key] ?? randomUUID()), { ...r });
    }
    campaigns.set(id, campaign);
    return { status: 201, body: { success: true, message: 'Campaign created successfully', data: { id, name: b.name } } };
  }

  return {
    name: 'timePay',
    prefix: '/timepay/api/v1',
    reset,
    /** @param {import('./server').Req} req @returns {import('./server').Reply} */
    handle(req) {
      const org = orgOf(req.headers);
      if (!org) return { status: 401, body: { success: false, message: 'Unauthorized: missing or invalid token' } };
      if (req.body === undefined && req.rawBody.length) return { status: 400, body: { success: false, message: 'Invalid JSON body' } };
      const { method, path } = req;
      if (method === 'POST' && path === '/customers/add') return addOne(req.body, org);
      if (method === 'POST' && path === '/customers/add/bulk') return addBulk(req.body, org);
      if (method === 'PUT' && path === '/customer-data/bulk') return bulkUpdate(req.body, org);
      if (method === 'POST' && path === '/campaigns/create') return createCampaign(req.body, org);
      if (method === 'GET' && path === '/logs') return calls.getLogs(req.query, org);
      const c = /^\/communication\/call\/([^/]+)$/.exec(path);
      if (method === 'GET' && c) return calls.getCall(decodeURIComponent(c[1]), org);
      const m = /^\/initiate\/([^/]+)\/calls$/.exec(path);
      if (method === 'POST' && m) return initiate(decodeURIComponent(m[1]), req.body, org);
      const lookup = lookups.handleLookups(req, org, campaigns);
      if (lookup) return lookup;
      return { status: 404, body: { success: false, message: `Cannot ${method} ${path}` } };
    },
    state() {
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const [id, c] of campaigns) {
        out[id] = {
          name: c.name,
          serviceType: c.serviceType,
          campaignType: c.campaignType,
          customerCount: c.customers.size,
          customers: Object.fromEntries(c.customers),
          calls: c.calls,
          workflowRuns: c.workflowRuns,
          ...(c.details ? { details: c.details } : {}),
        };
      }
      return { campaigns: out, calls: calls.state() };
    },
    /** @param {import('./server').Req} req */
    control: (req) => calls.control(req, { orgOfCampaign: (id) => campaigns.get(id)?.org }),
    close: () => calls.close(),
  };
}

module.exports = { createTimePay, PAYMENT_STATUSES };
