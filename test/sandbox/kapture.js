// @ts-check
'use strict';
/**
 * Kapture CRM Add/Update Customer API, as documented in shared/api-docs/kapture-crm-add-update-customer.md.
 * Mounted at /kapture: a credential's Base URL Override of <sandbox>/kapture stands for
 * https://<subdomain>.kapturecrm.com.
 *
 * Documented: HTTP 200 with {"status":"failed"} for a bad/missing token ("Invalid Auth Key") and
 * for a customer without a name and a phone or an email; 400/401/403/404/500 error codes.
 * Sandbox choices where the page is silent (also in the README):
 * - a token that is valid but lacks permission (READ_ONLY_TOKEN) gets 403;
 * - a body that is not JSON gets 400; an unknown path or method gets 404;
 * - a contact without a phone and an email gets 200 + failed "Contact person phone or email required";
 * - update:true matches the customer by customer_id, else phone, else email; no match adds one;
 *   update:false always adds (so a repeated add makes a duplicate, as the node assumes);
 * - a contact is matched among that customer's contacts by contact_id when update:true, else, with
 *   matchEmailPhone:true, by contact_person_phone, else contact_person_email; a matched contact is
 *   updated, any other contact is added (so without matchEmailPhone a repeat adds it again).
 * 401 and 500 are produced with fault injection (setFaults with type '401' / '500' and a body).
 */
const creds = require('./credentials');

const ADD_UPDATE = '/ms/customer/customer/api/v1/add-update';
/** A token Kapture knows but that may not write customers. Test-only value. */
const READ_ONLY_TOKEN = 'a2FwdHVyZS1yZWFkb25seS10b2tlbg==';

const INVALID_AUTH = { message: 'Invalid Auth Key', status: 'failed' };
const MISSING = { message: 'Name, Email Id, and Phone Number required', status: 'failed' };

/** @param {unknown} v */
const given = (v) => v !== undefined && v !== null && String(v).trim() !== '';

function create() {
  /** @type {Array<{ customer_id: number, info: Record<string, any>, contacts: Array<Record<string, any>>, enquiries: Array<Record<string, any>>, updates: number }>} */
  let customers = [];
  /** @type {unknown[]} */
  let bodies = [];
  let nextCustomer = 191690263;
  let nextContact = 210004093;
  let nextEnquiry = 5000001;

  function reset() {
    customers = [];
    bodies = [];
    nextCustomer = 191690263;
    nextContact = 210004093;
    nextEnquiry = 5000001;
  }

  /**
   * The first of `list` whose `key` equals the given value, for each key in turn.
   * @template T @param {T[]} list @param {Array<[(x: T) => unknown, unknown]>} keys
   */
  function matchBy(list, keys) {
    for (const [key, value] of keys) {
      if (!given(value)) continue;
      const found = list.find((x) => String(key(x) ?? '') === String(value));
      if (found) return found;
    }
    return undefined;
  }

  /** @param {Record<string, any>} info */
  function findCustomer(info) {
    if (given(info.customer_id)) return customers.find((c) => String(c.customer_id) === String(info.customer_id));
    return matchBy(customers, [
      [(c) => c.info.phone, info.phone],
      [(c) => c.info.email_id, info.email_id],
    ]);
  }

  /** @param {{ contacts: Array<Record<string, any>> }} customer @param {Record<string, any>} c */
  function findContact(customer, c) {
    if (c.update === true && given(c.contact_id)) return customer.contacts.find((x) => String(x.contact_id) === String(c.contact_id));
    if (c.matchEmailPhone !== true) return undefined;
    return matchBy(customer.contacts, [
      [(x) => x.contact_person_phone, c.contact_person_phone],
      [(x) => x.contact_person_email, c.contact_person_email],
    ]);
  }

  /** @param {any} body @returns {import('./server').Reply} */
  function addUpdate(body) {
    bodies.push(body);
    const info = body?.customer_info;
    if (!info || typeof info !== 'object' || !given(info.customer_name) || (!given(info.phone) && !given(info.email_id))) {
      return { status: 200, body: MISSING };
    }
    const contacts = Array.isArray(body.contact_info) ? body.contact_info : [];
    for (const c of contacts) {
      if (!given(c?.contact_person_phone) && !given(c?.contact_person_email)) {
        return { status: 200, body: { message: 'Contact person phone or email required', status: 'failed' } };
      }
    }
    const existing = info.update === true ? findCustomer(info) : undefined;
    const messages = [];
    let customer = existing;
    let event;
    if (customer) {
      const { update: _u, ...rest } = info;
      Object.assign(customer.info, rest);
      customer.updates++;
      event = 'UPDATE_CUSTOMER';
      messages.push('Customer Updated successfully !');
    } else {
      const { update: _u, ...rest } = info;
      customer = { customer_id: nextCustomer++, info: rest, contacts: [], enquiries: [], updates: 0 };
      customers.push(customer);
      event = 'ADD_CUSTOMER';
      messages.push('Customer Added successfully !');
    }
    /** @type {number | undefined} */
    let firstContactId;
    for (const c of contacts) {
      const found = findContact(customer, c);
      if (found) {
        Object.assign(found, c, { contact_id: found.contact_id });
        messages.push('Contact Updated successfully !');
        firstContactId ??= found.contact_id;
      } else {
        const id = nextContact++;
        customer.contacts.push({ ...c, contact_id: id });
        messages.push('Contact Added successfully !');
        firstContactId ??= id;
      }
    }
    if (body.enquiry_info && typeof body.enquiry_info === 'object') {
      const e = body.enquiry_info;
      const found = e.update === true && given(e.enquiry_id) ? customer.enquiries.find((x) => String(x.enquiry_id) === String(e.enquiry_id)) : undefined;
      if (found) Object.assign(found, e, { enquiry_id: found.enquiry_id });
      else customer.enquiries.push({ ...e, enquiry_id: nextEnquiry++ });
    }
    /** @type {Record<string, unknown>} */
    const result = { result: true, customer_id: customer.customer_id, action: 'CUSTOMER', action_event: event };
    if (firstContactId !== undefined) result.contact_id = firstContactId;
    return { status: 200, body: { status: 'success', customer: result, message: messages.join('') } };
  }

  return {
    name: 'kapture',
    prefix: '/kapture',
    reset,
    /** @param {import('./server').Req} req @returns {import('./server').Reply} */
    handle(req) {
      if (req.path !== ADD_UPDATE || req.method !== 'POST') {
        return { status: 404, body: { status: 'failed', message: 'Not Found - Resource or endpoint not found' } };
      }
      const auth = String(req.headers.authorization ?? '');
      if (auth === `Basic ${READ_ONLY_TOKEN}`) {
        return { status: 403, body: { status: 'failed', message: 'Forbidden - Insufficient permissions' } };
      }
      // Exactly "Basic <token>": the token as issued, not user:password.
      if (auth !== `Basic ${creds.kapture.token}`) return { status: 200, body: INVALID_AUTH };
      if (req.body === undefined && req.rawBody.length) {
        return { status: 400, body: { status: 'failed', message: 'Bad Request - Invalid parameters or missing data' } };
      }
      return addUpdate(req.body);
    },
    state() {
      return {
        customerCount: customers.length,
        customers: customers.map((c) => ({ ...c })),
        lastBody: bodies[bodies.length - 1],
        bodies,
      };
    },
  };
}

module.exports = { create, READ_ONLY_TOKEN };
