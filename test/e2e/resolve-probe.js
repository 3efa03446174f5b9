'use strict';
/**
 * Loaded into n8n with NODE_OPTIONS=--require (test/e2e/load.e2e.test.ts): records, for each
 * module that a file of the installed n8n-nodes-crm-dialer asks for by name (not a relative path),
 * the file Node resolved it to, one JSON line per distinct name in $CRM_DIALER_RESOLVE_LOG. This is
 * how the test proves which zod, luxon and p-limit the package really runs with inside n8n.
 */
const Module = require('module');
const fs = require('fs');

const log = process.env.CRM_DIALER_RESOLVE_LOG;
const marker = `${require('path').sep}node_modules${require('path').sep}n8n-nodes-crm-dialer${require('path').sep}`;
const seen = new Set();
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
	const file = resolve.call(this, request, parent, ...rest);
	if (log && parent && typeof parent.filename === 'string' && parent.filename.includes(marker) && !request.startsWith('.') && !seen.has(request)) {
		seen.add(request);
		fs.appendFileSync(log, `${JSON.stringify({ request, file, from: parent.filename, pid: process.pid })}\n`);
	}
	return file;
};
