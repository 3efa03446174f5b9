#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Starts the sandbox alone: `npm run sandbox` or `node test/sandbox/cli.js --port 4010`.
 * `--https`: HTTPS with a self-signed certificate made at start, written to a file whose path is
 * printed (give it to clients as NODE_EXTRA_CA_CERTS).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSandbox } = require('./server');

const args = process.argv.slice(2);
const arg = (/** @type {string} */ name, /** @type {string} */ fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};

startSandbox({
  port: Number(arg('port', process.env.SANDBOX_PORT ?? '4010')),
  host: arg('host', '127.0.0.1'),
  https: args.includes('--https'),
}).then(
  (sb) => {
    if (sb.certificate) {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'crm-dialer-sandbox-')), 'certificate.pem');
      fs.writeFileSync(file, sb.certificate);
      process.on('exit', () => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
      console.log(`sandbox certificate ${file}`);
    }
    console.log(`sandbox listening on ${sb.url}`);
    const stop = () => void sb.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  (error) => {
    console.error(`sandbox failed to start: ${error.message}`);
    process.exit(1);
  },
);
