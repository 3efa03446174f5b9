// @ts-check
'use strict';
/**
 * Acqueon LCM Create Contact behind an HTTP gateway, as shared/api-docs/acqueon-lcm-create-contact.md
 * documents the message. The page describes a message-bus message; the HTTP gateway in front of it is
 * this package's assumption, and so are its answers where the page is silent:
 * - POST /acqueon/lcm/messages with the JSON envelope {channel, topic, subtopic, source, data};
 * - Basic (sandbox user/password) or Bearer (sandbox token) auth, else HTTP 401;
 * - success: HTTP 200 {channel:"LCM", topic:"WebService", subtopic:"CreateContactResponse", message:{response:"<LCM key>"}};
 * - a refused message: HTTP 400 with the same envelope and message:{error:"<why>"};
 * - an unknown campaign: HTTP 400, error "Campaign '<id>' does not exist".
 * LCM keys increase: "<campaign no>|<list>|<contact seq>|0|0|<record id>|0", like the page's "77|1|18|0|0|84|0".
 */
const { XMLParser, XMLValidator } = require('fast-xml-parser');
const creds = require('./credentials');

const PATH = '/lcm/messages';
const DATE = /^(\d{2})\/(\d{2})\/(\d{4}) ([01]\d|2[0-3]):([0-5]\d)$/;
/** Campaign name (or number as text) → campaign number, the first part of the LCM key. */
const CAMPAIGNS = { SandboxCampaign: 77, Collections_Q4: 78, '77': 77, '78': 78 };
const REQUIRED = ['CampaignID', 'Calltype', 'callStartDateTime', 'callEndDateTime', 'BussinessFields', 'Modes', 'IsAccountNumber', 'Status'];

// Like LCM's own (.NET) reader, names such as toString stay as they are.
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: false, onDangerousProperty: (/** @type {string} */ n) => n });

/**
 * @typedef {{ lcmKey: string, source: string, auth: string, campaignId: string, data: Record<string, unknown>,
 *   businessFields: unknown, modes: unknown, contactDetail: unknown }} Contact
 */

/** @param {string} s */
function realDate(s) {
  const m = DATE.exec(s);
  if (!m) return undefined;
  const [d, mo, y, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return undefined;
  return t.getTime();
}

/**
 * The <Data> root of one XML string, or why it cannot be read.
 * @param {string} name @param {unknown} xml
 * @returns {{ value: unknown } | { error: string }}
 */
function readXml(name, xml) {
  if (typeof xml !== 'string') return { error: `${name} must be an XML string` };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { error: `${name} is not well-formed XML: ${valid.err.msg}` };
  let parsed;
  try {
    parsed = parser.parse(xml);
  } catch (error) {
    return { error: `${name} could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  const keys = Object.keys(parsed);
  if (keys.length !== 1 || keys[0] !== 'Data') return { error: `${name} must have a single <Data> root element` };
  return { value: parsed.Data };
}

function create() {
  /** @type {Contact[]} */
  let contacts = [];
  let seq = 17;
  let recordId = 83;

  function reset() {
    contacts = [];
    seq = 17;
    recordId = 83;
  }

  /** @param {import('node:http').IncomingHttpHeaders} headers */
  function authOf(headers) {
    const h = String(headers.authorization ?? '');
    if (h === `Bearer ${creds.acqueon.token}`) return 'bearer';
    const m = /^Basic (.+)$/.exec(h);
    if (m && Buffer.from(m[1], 'base64').toString('utf8') === `${creds.acqueon.username}:${creds.acqueon.password}`) return 'basic';
    return undefined;
  }

  /** @param {string} subtopic @param {number} status @param {Record<string, unknown>} message */
  const answer = (subtopic, status, message) => ({
    status,
    body: { channel: 'LCM', topic: 'WebService', subtopic, message },
  });
  /** @param {string} error */
  const refuse = (error) => answer('CreateContactResponse', 400, { error });

  /** @param {any} b @param {string} auth */
  function createContact(b, auth) {
    const d = b.data;
    if (!d || typeof d !== 'object' || Array.isArray(d)) return refuse('data is required and must be an object');
    /** @type {string[]} */
    const errors = [];
    const missing = REQUIRED.filter((k) => d[k] === undefined || d[k] === null || d[k] === '');
    if (missing.length) errors.push(`Missing required field(s): ${missing.join(', ')}`);
    for (const k of ['CampaignID', 'Calltype', 'callStartDateTime', 'callEndDateTime', 'BussinessFields', 'Modes']) {
      if (d[k] !== undefined && typeof d[k] !== 'string') errors.push(`${k} must be a string`);
    }
    for (const k of ['AgentID', 'SMSData', 'MailSubject', 'MailMsg', 'MailAttachment', 'ZipCode', 'ContactDetail']) {
      if (d[k] !== undefined && typeof d[k] !== 'string') errors.push(`${k} must be a string`);
    }
    for (const k of ['priority', 'ListID', 'Status']) {
      if (d[k] !== undefined && (typeof d[k] !== 'number' || !Number.isInteger(d[k]))) errors.push(`${k} must be a number`);
    }
    if (d.IsAccountNumber !== undefined && typeof d.IsAccountNumber !== 'boolean') errors.push('IsAccountNumber must be a boolean');
    if (errors.length) return refuse(errors.join('; '));

    const start = realDate(d.callStartDateTime);
    const end = realDate(d.callEndDateTime);
    if (start === undefined) errors.push(`callStartDateTime '${d.callStartDateTime}' is not in dd/mm/yyyy HH:MM format`);
    if (end === undefined) errors.push(`callEndDateTime '${d.callEndDateTime}' is not in dd/mm/yyyy HH:MM format`);
    if (start !== undefined && end !== undefined && start > end) errors.push('callStartDateTime must not be after callEndDateTime');
    const business = readXml('BussinessFields', d.BussinessFields);
    const modes = readXml('Modes', d.Modes);
    const detail = d.ContactDetail ? readXml('ContactDetail', d.ContactDetail) : { value: null };
    for (const r of [business, modes, detail]) if ('error' in r) errors.push(r.error);
    if ('value' in modes && modes.value !== null) {
      const m = modes.value;
      if (!m || typeof m !== 'object' || Object.keys(m).length === 0) errors.push('Modes must list at least one contact mode');
      else {
        for (const [mode, v] of Object.entries(m)) {
          if (!v || typeof v !== 'object' || typeof (/** @type {any} */ (v).Cvalue) !== 'string' || !(/** @type {any} */ (v).Cvalue)) {
            errors.push(`Mode '${mode}' has no Cvalue`);
          }
        }
      }
    }
    if (errors.length) return refuse(errors.join('; '));

    const campaign = /** @type {Record<string, number>} */ (CAMPAIGNS)[d.CampaignID];
    if (campaign === undefined) return refuse(`Campaign '${d.CampaignID}' does not exist`);

    seq += 1;
    recordId += 1;
    const lcmKey = `${campaign}|${d.ListID || 1}|${seq}|0|0|${recordId}|0`;
    contacts.push({
      lcmKey,
      source: b.source,
      auth,
      campaignId: d.CampaignID,
      data: { ...d },
      businessFields: 'value' in business ? business.value : undefined,
      modes: 'value' in modes ? modes.value : undefined,
      contactDetail: 'value' in detail ? detail.value : undefined,
    });
    return answer('CreateContactResponse', 200, { response: lcmKey });
  }

  return {
    name: 'acqueon',
    prefix: '/acqueon',
    reset,
    /** @param {import('./server').Req} req @returns {import('./server').Reply} */
    handle(req) {
      if (req.method !== 'POST' || req.path !== PATH) {
        return { status: 404, body: { message: `No LCM gateway at ${req.method} /acqueon${req.path}` } };
      }
      const auth = authOf(req.headers);
      if (!auth) {
        return {
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="lcm", Bearer' },
          body: { channel: 'LCM', topic: 'WebService', subtopic: 'Error', message: { error: 'Unauthorized: invalid or missing credentials' } },
        };
      }
      const b = req.body;
      if (!b || typeof b !== 'object' || Array.isArray(b)) return refuse('The body must be a JSON message envelope');
      if (b.channel !== 'LCM') return refuse(`Unknown channel '${b.channel}'`);
      if (b.topic !== 'WebService') return refuse(`Unknown topic '${b.topic}'`);
      if (typeof b.source !== 'string' || b.source.trim() === '') return answer(`${b.subtopic}Response`, 400, { error: 'source is required' });
      if (b.subtopic !== 'CreateContact') return answer(`${b.subtopic}Response`, 400, { error: `Unsupported subtopic '${b.subtopic}'` });
      return createContact(b, auth);
    },
    state() {
      return { contacts, contactCount: contacts.length };
    },
  };
}

module.exports = { create, CAMPAIGNS, PATH };
