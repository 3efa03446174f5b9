#!/usr/bin/env node
// @ts-check
'use strict';
/** Starts the sandbox alone: `npm run sandbox` or `node test/sandbox/cli.js --port 4010`. */
const { startSandbox } = require('./server');

const args = process.argv.slice(2);
const arg = (/** @type {string} */ name, /** @type {string} */ fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};

startSandbox({ port: Number(arg('port', process.env.SANDBOX_PORT ?? '4010')), host: arg('host', '127.0.0.1') }).then(
  (sb) => {
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
