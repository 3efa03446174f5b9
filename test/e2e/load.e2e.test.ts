/**
 * The packed package, installed into n8n the way a user installs it, is loaded by n8n: all four
 * nodes and credential types are listed, and n8n logs no problem loading them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { EXPECTED_CREDENTIALS, EXPECTED_NODES, n8n } from './helpers';
import type { Json } from './helpers';

const smoke = require('../../scripts/n8n/smoke');

describe('n8n loads the package', () => {
	let folder: string;
	let got: Json;

	beforeAll(async () => {
		folder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
		got = await smoke.loadedTypes(folder);
	});

	test('the package is installed under .n8n/nodes as n8n-nodes-crm-dialer', () => {
		const pj = path.join(folder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-crm-dialer', 'package.json');
		expect(JSON.parse(fs.readFileSync(pj, 'utf8')).name).toBe('n8n-nodes-crm-dialer');
	});

	test.each(EXPECTED_NODES)('node type n8n-nodes-crm-dialer.%s is listed', (name) => {
		expect(got.nodeTypes).toContain(`n8n-nodes-crm-dialer.${name}`);
	});

	test.each(EXPECTED_CREDENTIALS)('credential type %s is listed', (name) => {
		expect(got.allCredentialTypes).toContain(name);
	});

	test('every node and credential the package declares is listed', () => {
		const declared = smoke.declaredTypes(path.join(folder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-crm-dialer'));
		for (const n of declared.nodes) expect(got.nodeTypes).toContain(`n8n-nodes-crm-dialer.${n}`);
		for (const c of declared.credentials) expect(got.allCredentialTypes).toContain(c);
	});

	test('n8n logs no error or warning about loading the package', () => {
		expect(got.problems).toEqual([]);
		expect(got.log).not.toMatch(/n8n-nodes-crm-dialer[^\n]*(error|warn|fail)/i);
	});
});
