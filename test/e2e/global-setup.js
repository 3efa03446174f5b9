'use strict';
/**
 * Once per e2e run: make sure n8n is installed (scripts/n8n/provision.sh, a no-op when cached;
 * with --system it apt-installs redis-server, postgresql and chromium when missing), build and
 * pack the repo, and install the packed package once into a template user folder (with a migrated
 * SQLite database) that each test copies.
 */
const fs = require('fs');
const path = require('path');
const n8n = require('../../scripts/n8n/lib');

module.exports = async function globalSetup() {
	const t0 = Date.now();
	const log = (m) => process.stderr.write(`[e2e setup +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
	log('provisioning n8n (cached after the first run)');
	n8n.provision({ system: true });
	const tgz = await n8n.packRepo({ build: process.env.N8N_E2E_SKIP_BUILD !== '1', log });
	log(`packed ${path.basename(tgz)}`);
	const template = await n8n.prepareTemplate(tgz);
	log(`installed into ${template}/.n8n/nodes, database migrated`);
	process.env.N8N_E2E_TGZ = tgz;
	process.env.N8N_E2E_TEMPLATE = template;
	fs.writeFileSync(path.join(template, 'README'), 'template user folder of the e2e suite\n');
};
