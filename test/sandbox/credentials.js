// @ts-check
'use strict';
/** The secrets the sandbox accepts. Test-only values, never real ones. */
module.exports = {
  timePay: { token: 'tp_sandbox_token', otherOrgToken: 'tp_other_org_token', webhookSecret: 'whsec_sandbox_5f1e2d3c4b5a6978' },
  kapture: { token: 'a2FwdHVyZS1zYW5kYm94LXRva2Vu' },
  cuoral: { apiKey: 'cu_sandbox_key' },
  acqueon: { username: 'lcm', password: 'lcm-sandbox-pass', token: 'acq_sandbox_token' },
};
