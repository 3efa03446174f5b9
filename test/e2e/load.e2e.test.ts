/**
 * The packed package, installed into n8n the way a user installs it, is loaded by n8n: all four
 * nodes and credential types are listed, and n8n logs no problem loading them. It has no runtime
 * dependencies: the modules it asks for by name (zod, luxon, p-limit, n8n-workflow) resolve to
 * n8n's own copies, which are the versions the package is built and tested with, and
 * fast-xml-parser is bundled (the Acqueon examples in workflows.e2e.test.ts build and send its XML).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { EXPECTED_CREDENTIALS, EXPECTED_NODES, n8n, REPO } from './helpers';
import type { Json } from './helpers';

const smoke = require('../../scripts/n8n/smoke');

describe('n8n loads the package', () => {
	let folder: string;
	let got: Json;
	let resolved: Record<string, string>;

	beforeAll(async () => {
		folder = n8n.cloneUserFolder(process.env.N8N_E2E_TEMPLATE);
		const log = path.join(folder, 'resolved.jsonl');
		const probe = path.join(__dirname, 'resolve-probe.js');
		got = await smoke.loadedTypes(folder, { env: { NODE_OPTIONS: `--require ${probe}`, CRM_DIALER_RESOLVE_LOG: log } });
		resolved = {};
		const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
		for (const l of lines) {
			const r = JSON.parse(l) as { request: string; file: string };
			resolved[r.request] = r.file;
		}
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

	test('zod, luxon, p-limit and n8n-workflow resolve to the node_modules of n8n itself; nothing else is required by name', () => {
		const n8nModules = path.join(n8n.N8N_HOME, 'node_modules') + path.sep;
		// What the nodes import: zod/v4 (zod 3.25+ and 4 both have it), luxon, p-limit, n8n-workflow.
		for (const request of ['zod/v4', 'luxon', 'p-limit', 'n8n-workflow']) {
			expect([request, resolved[request]]).toEqual([request, expect.stringMatching(new RegExp(`^${escape(n8nModules + request.split('/')[0] + path.sep)}`))]);
		}
		const allowed = new Set(['zod/v4', 'zod', 'luxon', 'p-limit', 'n8n-workflow', 'lodash', 'moment', 'crypto', 'node:crypto']);
		expect(Object.keys(resolved).filter((r) => !allowed.has(r))).toEqual([]);
	});

	test('the zod, luxon and p-limit n8n provides are the versions the package is built and tested with', () => {
		const ours = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
		for (const name of ['zod', 'luxon', 'p-limit']) {
			const provided = JSON.parse(fs.readFileSync(path.join(n8n.N8N_HOME, 'node_modules', name, 'package.json'), 'utf8'));
			expect([name, provided.version]).toEqual([name, ours.devDependencies[name]]);
		}
		expect(ours.dependencies ?? {}).toEqual({});
	});

	test('the installed package brought no module of its own: no node_modules in it, nothing beside it', () => {
		const nodes = path.join(folder, '.n8n', 'nodes', 'node_modules');
		expect(fs.existsSync(path.join(nodes, 'n8n-nodes-crm-dialer', 'node_modules'))).toBe(false);
		expect(fs.readdirSync(nodes).filter((d) => !d.startsWith('.'))).toEqual(['n8n-nodes-crm-dialer']);
	});
});

function escape(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
