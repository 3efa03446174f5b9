// @ts-check
'use strict';
/**
 * TimePay's lookups, as summarised in shared/api-docs/timepay-calls-and-lookups.md:
 *   GET /campaigns?page=&limit=&status=&campaign_type=&search=   (default 10 per page)
 *   GET /campaigns/{id}
 *   GET /dispositions?page=&search=                              (20 per page)
 * Answers: `{ success, data: [...], pagination: { page, limit, total, totalPages } }`.
 *
 * Where the page is silent (also in the README):
 * - `search` matches name or description, case-insensitively (the dispositions page says so;
 *   campaigns are assumed to do the same);
 * - lists are newest first (created in the same millisecond: the later ID first); a page past
 *   the last one is an empty `data` with the same pagination;
 * - `page` must be a positive integer and `limit` 1..100, else 400 `{ success: false, message }`;
 * - a campaign's `status` is one of draft, active, paused, completed; `campaign_type` is the
 *   type it was created with (emi, edi, lead) and `collection_type` the service (debt_collection,
 *   lead_generation);
 * - an unknown campaign id is 404 "Campaign not found", one of another organization 403 (as the
 *   write endpoints answer).
 */

const CAMPAIGN_PAGE = 10;
const MAX_LIMIT = 100;
const DISPOSITION_PAGE = 20;

/**
 * The campaigns every sandbox starts with, beyond the ones the write endpoints' tests use:
 * enough for the campaign list to span three pages.
 * @type {Array<{ id: string, name: string, campaignType: string, status: string, description: string, region?: string }>}
 */
const CATALOG = [
  { id: 'camp_emi_pune', name: 'EMI reminders — Pune branch', campaignType: 'emi', status: 'active', description: 'Monthly EMI reminders for two-wheeler loans' },
  { id: 'camp_emi_delhi', name: 'EMI reminders — Delhi NCR', campaignType: 'emi', status: 'active', description: 'Monthly EMI reminders for personal loans' },
  { id: 'camp_bounced', name: 'Bounced EMI follow-up', campaignType: 'emi', status: 'active', description: 'Customers whose NACH mandate bounced' },
  { id: 'camp_partial', name: 'Partial payment recovery', campaignType: 'edi', status: 'active', description: 'Daily installments paid in part' },
  { id: 'camp_edi_kirana', name: 'Kirana daily collections', campaignType: 'edi', status: 'paused', description: 'Daily installment loans to small shops' },
  { id: 'camp_gold_loans', name: 'Gold loan renewals', campaignType: 'emi', status: 'paused', description: 'Gold loans due for renewal this month' },
  { id: 'camp_q1_legacy', name: 'Q1 legacy book', campaignType: 'emi', status: 'completed', description: 'Closed: the first quarter book' },
  { id: 'camp_diwali_leads', name: 'Diwali personal-loan leads', campaignType: 'lead', status: 'completed', description: 'Festive season leads from the website' },
  { id: 'camp_web_leads', name: 'Website leads — home loans', campaignType: 'lead', status: 'active', description: 'Leads from the home-loan landing page' },
  { id: 'camp_referrals', name: 'Referral leads', campaignType: 'lead', status: 'active', description: 'Leads referred by existing customers' },
  { id: 'camp_msme_leads', name: 'MSME credit-line leads', campaignType: 'lead', status: 'draft', description: 'Working-capital leads for small businesses' },
  { id: 'camp_tamil_emi', name: 'EMI reminders — Tamil', campaignType: 'emi', status: 'active', description: 'EMI reminders in Tamil for Chennai branches', region: 'IN-TN' },
  { id: 'camp_hindi_emi', name: 'EMI reminders — Hindi', campaignType: 'emi', status: 'active', description: 'EMI reminders in Hindi' },
  { id: 'camp_settlement', name: 'One-time settlement offers', campaignType: 'emi', status: 'draft', description: 'Settlement offers for long overdue accounts' },
  { id: 'camp_card_dues', name: 'Credit card dues', campaignType: 'emi', status: 'paused', description: 'Minimum-due reminders for cards' },
  { id: 'camp_agri_loans', name: 'Agri loan harvest reminders', campaignType: 'edi', status: 'active', description: 'Reminders timed with the harvest' },
  { id: 'camp_insurance', name: 'Insurance cross-sell leads', campaignType: 'lead', status: 'paused', description: 'Customers eligible for a loan cover' },
  { id: 'camp_topup', name: 'Top-up loan offers', campaignType: 'lead', status: 'active', description: 'Pre-approved top-ups for good payers' },
  { id: 'camp_car_loans', name: 'Car loan EMI reminders', campaignType: 'emi', status: 'completed', description: 'Closed: car loans moved to a new lender' },
  { id: 'camp_students', name: 'Education loan moratorium end', campaignType: 'emi', status: 'draft', description: 'Borrowers whose moratorium ends this quarter' },
];

/**
 * Dispositions: the two the examples use first, then the ones the simulated calls end with
 * (calls.js: same IDs and names), then more a collections team would define.
 */
const DISPOSITION_NAMES = [
  ['disp_demo', 'Demo outcome', 'The disposition the examples use'],
  ['disp_default', 'Default', 'No other disposition applied'],
  ['disp_ptp', 'Promise to Pay', 'The customer committed to a payment date'],
  ['disp_paid', 'Already Paid', 'The customer says the amount was paid'],
  ['disp_callback', 'Callback Requested', 'The customer asked to be called at another time'],
  ['disp_refused', 'Refused to Pay', 'The customer refused to pay'],
  ['disp_no_answer', 'No Answer', 'The phone rang without an answer'],
  ['disp_busy', 'Busy', 'The line was busy'],
  ['disp_switched_off', 'Switched Off', 'The phone was switched off or out of coverage'],
  ['disp_failed', 'Call Failed', 'The call could not be connected'],
  ['disp_invalid_number', 'Invalid Number', 'The number is not in service'],
  ['disp_interested', 'Interested', 'The lead wants to hear more'],
  ['disp_not_interested', 'Not Interested', 'The lead declined the offer'],
  ['disp_partial', 'Partial Payment', 'The customer will pay part of the amount'],
  ['disp_wrong_number', 'Wrong Number', 'The person reached is not the customer'],
  ['disp_dispute', 'Dispute', 'The customer disputes the amount or the loan'],
  ['disp_language', 'Language Barrier', 'The call needs another language'],
  ['disp_appointment', 'Appointment Booked', 'A branch visit or a callback was booked'],
  ['disp_hardship', 'Financial Hardship', 'The customer cannot pay because of hardship'],
  ['disp_settlement', 'Wants Settlement', 'The customer asks for a one-time settlement'],
  ['disp_escalate', 'Escalate to Agent', 'A human agent should take over'],
  ['disp_dnd', 'Do Not Call', 'The customer asked not to be called again'],
  ['disp_third_party', 'Third Party Answered', 'A relative or colleague answered'],
  ['disp_voicemail', 'Voicemail', 'The call reached voicemail'],
  ['disp_deceased', 'Deceased', 'The customer has died; stop calling'],
];

/** @type {Array<{ id: string, name: string, description: string, priority: number, createdAt: string, updatedAt: string }>} */
const DISPOSITIONS = [
  ...DISPOSITION_NAMES,
  // A tenant with many custom dispositions: enough for three pages.
  ...Array.from({ length: 20 }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return [`disp_custom_${n}`, `Custom outcome ${n}`, `Tenant-defined outcome number ${n}`];
  }),
].map(([id, name, description], i) => {
  const at = new Date(Date.UTC(2025, 0, 1 + i, 9)).toISOString();
  return { id, name, description, priority: i + 1, createdAt: at, updatedAt: at };
});

const DISPOSITION_IDS = new Set(DISPOSITIONS.map((d) => d.id));

/**
 * Adds the catalog campaigns (for org_sandbox) through the write module's own `add`.
 * @param {(c: any) => void} add
 */
function seedCampaigns(add) {
  CATALOG.forEach((c, i) => {
    const created = new Date(Date.UTC(2025, 0, 2 + i, 10)).toISOString();
    add({
      id: c.id,
      name: c.name,
      org: 'org_sandbox',
      serviceType: c.campaignType === 'lead' ? 'lead' : 'debt',
      campaignType: c.campaignType,
      details: {
        description: c.description,
        status: c.status,
        startDate: '2025-01-06',
        endDate: '2025-12-31',
        startTime: '09:00',
        endTime: '18:00',
        languages: c.region === 'IN-TN' ? ['tamil', 'english'] : ['hindi', 'english'],
        region: c.region ?? 'IN',
        tags: [c.campaignType === 'lead' ? 'sales' : 'collections'],
        workflowId: null,
        createdAt: created,
        updatedAt: created,
      },
    });
  });
}

/**
 * A campaign as the list and get endpoints show it.
 * @param {any} c a Campaign of the write module
 */
function campaignView(c) {
  const d = c.details ?? {};
  return {
    id: c.id,
    name: c.name,
    description: d.description ?? '',
    status: d.status ?? 'active',
    campaign_type: c.campaignType,
    collection_type: c.serviceType === 'lead' ? 'lead_generation' : 'debt_collection',
    startDate: d.startDate ?? '2025-01-01',
    startTime: d.startTime ?? '09:00',
    endDate: d.endDate ?? '2025-12-31',
    endTime: d.endTime ?? '18:00',
    region: d.region ?? 'IN',
    tags: d.tags ?? [],
    languages: d.languages ?? ['english', 'hindi'],
    rowsLen: c.customers.size,
    createdAt: d.createdAt ?? '2025-01-01T10:00:00.000Z',
    updatedAt: d.updatedAt ?? d.createdAt ?? '2025-01-01T10:00:00.000Z',
  };
}

/**
 * @param {URLSearchParams} query @param {string} name @param {number} fallback @param {number} max
 * @returns {number | string} the value, or why it is refused
 */
function positiveInt(query, name, fallback, max = Number.MAX_SAFE_INTEGER) {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    return max === Number.MAX_SAFE_INTEGER ? `${name} must be a positive integer` : `${name} must be an integer from 1 to ${max}`;
  }
  return Number(raw);
}

/**
 * @template T
 * @param {T[]} all @param {number} page @param {number} limit
 */
function pageOf(all, page, limit) {
  return {
    success: true,
    data: all.slice((page - 1) * limit, page * limit),
    pagination: { page, limit, total: all.length, totalPages: Math.ceil(all.length / limit) },
  };
}

/** @param {string | null} search @param {{ name: string, description: string }} x */
function matches(search, x) {
  if (!search) return true;
  const s = search.toLowerCase();
  return x.name.toLowerCase().includes(s) || x.description.toLowerCase().includes(s);
}

/**
 * Answers the lookup endpoints, or undefined for any other request.
 * @param {import('./server').Req} req
 * @param {string} org the caller's organization (the token was checked already)
 * @param {Map<string, any>} campaigns the write module's campaigns
 * @returns {import('./server').Reply | undefined}
 */
function handleLookups(req, org, campaigns) {
  if (req.method !== 'GET') return undefined;
  const bad = (/** @type {string} */ message) => ({ status: 400, body: { success: false, message } });
  if (req.path === '/campaigns') {
    const page = positiveInt(req.query, 'page', 1);
    const limit = positiveInt(req.query, 'limit', CAMPAIGN_PAGE, MAX_LIMIT);
    if (typeof page === 'string') return bad(page);
    if (typeof limit === 'string') return bad(limit);
    const status = req.query.get('status');
    const type = req.query.get('campaign_type');
    const search = req.query.get('search');
    const list = [...campaigns.values()]
      .filter((c) => c.org === org)
      .map(campaignView)
      .filter((c) => (!status || c.status === status) && (!type || c.campaign_type === type) && matches(search, c))
      .sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)));
    return { status: 200, body: pageOf(list, page, limit) };
  }
  const one = /^\/campaigns\/([^/]+)$/.exec(req.path);
  if (one) {
    const c = campaigns.get(decodeURIComponent(one[1]));
    if (!c) return { status: 404, body: { success: false, message: 'Campaign not found' } };
    if (c.org !== org) return { status: 403, body: { success: false, message: 'Campaign ID invalid or mismatch for your organization.' } };
    return { status: 200, body: { success: true, data: campaignView(c) } };
  }
  if (req.path === '/dispositions') {
    const page = positiveInt(req.query, 'page', 1);
    if (typeof page === 'string') return bad(page);
    const search = req.query.get('search');
    return { status: 200, body: pageOf(DISPOSITIONS.filter((d) => matches(search, d)), page, DISPOSITION_PAGE) };
  }
  return undefined;
}

module.exports = { handleLookups, seedCampaigns, campaignView, DISPOSITION_IDS, CATALOG, DISPOSITIONS };
