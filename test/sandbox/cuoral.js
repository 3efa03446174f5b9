// @ts-check
'use strict';
/**
 * Cuoral external customers API, as documented in shared/api-docs/cuoral-create-customer.md.
 * Mounted at /cuoral: a credential Base URL of <sandbox>/cuoral, endpoint /external/v1/customers.
 *
 * Documented: 201 with the created customer (id, customer_id, time_created, time_updated,
 * organization_id, company_id as an integer, and every request field); 422 FastAPI-style
 * `detail: [{loc, msg, type}]`. Sandbox choices where the page is silent (also in the README):
 * - auth is `Authorization: Bearer <key>`; a missing/unknown key gets 401 {"detail": "Invalid API key"},
 *   a known key without write permission (READ_ONLY_KEY) gets 403 on create;
 * - GET /external/v1/customers lists customers (used by the credential test);
 * - company_id: a number, or a known company code ("CMP-A9B8" → 42); anything else is a 422.
 */
const creds = require('./credentials');

const PATH = '/external/v1/customers';
/** Test-only value: a key that may read but not create. */
const READ_ONLY_KEY = 'cu_readonly_key';
const COMPANIES = /** @type {Record<string, number>} */ ({ 'CMP-A9B8': 42, 'CMP-0001': 1 });
const ORGANIZATION_ID = 7;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const FIELDS = ['name', 'email', 'whatsapp_number', 'source', 'ip', 'city', 'country', 'location', 'latitude', 'longitude', 'is_active', 'company_id'];
const STRINGS = ['name', 'email', 'whatsapp_number', 'source', 'ip', 'city', 'country', 'location', 'latitude', 'longitude', 'company_id'];

function create() {
  /** @type {Array<Record<string, unknown>>} */
  let customers = [];
  let nextId = 1001;

  function reset() {
    customers = [];
    nextId = 1001;
  }

  /** @param {any} body @returns {import('./server').Reply} */
  function createCustomer(body) {
    /** @type {Array<{ loc: Array<string|number>, msg: string, type: string }>} */
    const detail = [];
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return { status: 422, body: { detail: [{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }] } };
    }
    for (const f of ['name', 'email', 'source']) {
      if (body[f] === undefined || body[f] === null) detail.push({ loc: ['body', f], msg: 'field required', type: 'value_error.missing' });
    }
    for (const f of STRINGS) {
      if (body[f] !== undefined && body[f] !== null && typeof body[f] !== 'string') {
        detail.push({ loc: ['body', f], msg: 'str type expected', type: 'type_error.str' });
      }
    }
    if (typeof body.email === 'string' && !EMAIL.test(body.email)) {
      detail.push({ loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error.email' });
    }
    if (body.is_active !== undefined && typeof body.is_active !== 'boolean') {
      detail.push({ loc: ['body', 'is_active'], msg: 'value could not be parsed to a boolean', type: 'type_error.bool' });
    }
    /** @type {number | null} */
    let companyId = null;
    if (typeof body.company_id === 'string') {
      if (/^\d+$/.test(body.company_id)) companyId = Number(body.company_id);
      else if (COMPANIES[body.company_id] !== undefined) companyId = COMPANIES[body.company_id];
      else detail.push({ loc: ['body', 'company_id'], msg: 'company not found', type: 'value_error' });
    }
    if (detail.length) return { status: 422, body: { detail } };
    const now = new Date().toISOString();
    /** @type {Record<string, unknown>} */
    const customer = {};
    for (const f of FIELDS) customer[f] = body[f] ?? null;
    const id = nextId++;
    Object.assign(customer, {
      id,
      customer_id: `CUS-${String(id).padStart(6, '0')}`,
      is_active: body.is_active ?? true,
      organization_id: ORGANIZATION_ID,
      company_id: companyId,
      time_created: now,
      time_updated: now,
    });
    customers.push(customer);
    return { status: 201, body: customer };
  }

  return {
    name: 'cuoral',
    prefix: '/cuoral',
    reset,
    /** @param {import('./server').Req} req @returns {import('./server').Reply} */
    handle(req) {
      if (req.path !== PATH || (req.method !== 'POST' && req.method !== 'GET')) {
        return { status: 404, body: { detail: 'Not Found' } };
      }
      const auth = String(req.headers.authorization ?? '');
      const readOnly = auth === `Bearer ${READ_ONLY_KEY}`;
      if (auth !== `Bearer ${creds.cuoral.apiKey}` && !readOnly) {
        return { status: 401, body: { detail: 'Invalid API key' }, headers: { 'www-authenticate': 'Bearer' } };
      }
      if (req.method === 'GET') {
        const limit = Math.max(1, Math.min(100, Number(req.query.get('limit') ?? 20) || 20));
        return { status: 200, body: { items: customers.slice(0, limit), total: customers.length } };
      }
      if (readOnly) return { status: 403, body: { detail: 'Not enough permissions' } };
      if (req.body === undefined && req.rawBody.length) {
        return { status: 422, body: { detail: [{ loc: ['body', 0], msg: 'Expecting value: line 1 column 1 (char 0)', type: 'value_error.jsondecode' }] } };
      }
      return createCustomer(req.body);
    },
    state() {
      return { customerCount: customers.length, customers: customers.map((c) => ({ ...c })) };
    },
  };
}

module.exports = { create, READ_ONLY_KEY };
