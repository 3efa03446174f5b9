/**
 * The request path's per-request cost cuts keep n8n's own handling: the credential is read once per
 * execution but still applied by n8n to every request, requests go through n8n's proxy routing,
 * redirects are reported rather than followed, and over HTTPS the certificate is verified.
 * (SSRF protection: transport.ssrf.test.ts, which needs its own process settings.)
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

import { credentialUse, runNode } from '../harness/engine';
import { sandboxCredentials, useSandbox } from '../harness/sandbox';
import { autoMap, debtRecord, timePayCredentials } from '../timepay/fixtures';

const sb = useSandbox();
const REPO = path.resolve(__dirname, '..', '..');
const base = { resource: 'customer', operation: 'add', campaignId: 'camp_debt_demo', campaignType: 'debtCollection', columns: autoMap };
const add = (n: number, url = sb.current.url, extra: object = {}) =>
	runNode({
		type: 'timePay',
		parameters: { ...base, options: { concurrency: 4 }, ...extra },
		input: Array.from({ length: n }, (_, i) => debtRecord(i)),
		credentials: timePayCredentials(url),
	});
const apiRequests = () => sb.current.state().requests.filter((r: { path: string }) => r.path.startsWith('/timepay'));

beforeEach(() => {
	credentialUse.decrypted = 0;
	credentialUse.authenticated = 0;
});

describe('per-request cost, within n8n’s request handling', () => {
	test('the credential is read once per execution, and n8n applies it to every request', async () => {
		const res = await add(20);
		expect(res.error).toBeUndefined();
		expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(Array(20).fill('added'));
		expect(credentialUse.decrypted).toBe(1);
		expect(credentialUse.authenticated).toBe(20);
		expect(apiRequests().map((r: { authorization: string }) => r.authorization)).toEqual(Array(20).fill('Bearer'));
	});

	test('a second execution reads the credential again (nothing is kept between executions)', async () => {
		await add(3);
		await add(3, sb.current.url, { campaignId: 'camp_lead_demo', campaignType: 'leadGeneration' });
		expect(credentialUse.decrypted).toBe(2);
	});

	test('n8n’s helper opens one connection per request (it builds new agents each time)', async () => {
		await add(12);
		expect(apiRequests()).toHaveLength(12);
		expect(sb.current.state().connections).toBe(12);
	});

	test('the sandbox counts a kept-alive connection once', async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		const post = () =>
			new Promise<number>((resolve, reject) => {
				const req = http.request(
					`${sb.current.url}/timepay/api/v1/customers/add`,
					{ method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${sandboxCredentials.timePay.token}` } },
					(r) => {
						r.resume();
						r.on('end', () => resolve(r.statusCode ?? 0));
					},
				);
				req.on('error', reject);
				req.end(JSON.stringify({ campaignId: 'camp_debt_demo', data: debtRecord(1) }));
			});
		expect([await post(), await post(), await post()]).toEqual([201, 409, 409]);
		agent.destroy();
		expect(sb.current.state().connections).toBe(1);
	});

	test('requests go through the proxy n8n takes from HTTP_PROXY', async () => {
		const seen: string[] = [];
		const proxy = http.createServer((req, res) => {
			seen.push(`${req.method} ${req.url}`);
			const target = new URL(req.url ?? '');
			const up = http.request(target, { method: req.method, headers: req.headers }, (r) => {
				res.writeHead(r.statusCode ?? 502, r.headers);
				r.pipe(res);
			});
			req.pipe(up);
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
		process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
		delete process.env.NO_PROXY;
		try {
			const res = await add(5);
			expect(res.error).toBeUndefined();
			expect(res.outputs[0].map((o) => o.json.outcome)).toEqual(Array(5).fill('added'));
		} finally {
			for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
			else process.env[k] = v;
			proxy.close();
		}
		expect(seen).toEqual(Array(5).fill(`POST ${sb.current.url}/timepay/api/v1/customers/add`));
	});

	test('a redirect is reported, not followed: nothing (and no token) goes to the Location', async () => {
		sb.current.setFaults({
			faults: [{ type: '307', path: '/timepay/api/v1/customers/add', location: `${sb.current.url}/timepay/api/v1/elsewhere` }],
		});
		const res = await add(1);
		expect(res.error?.message).toMatch(/^Item 0: TimePay answered 307/);
		expect(res.error?.description).toMatch(/redirect, which the node does not follow/);
		expect(apiRequests().map((r: { path: string }) => r.path)).toEqual(['/timepay/api/v1/customers/add']);
	});
});

describe('answers that are not what the API documents', () => {
	test('a body that starts like JSON but is cut off is shown as its text, not lost', async () => {
		const server = http.createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end('{"success": false, "message": "Database unav');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		try {
			const res = await add(1, `http://127.0.0.1:${(server.address() as { port: number }).port}`, { options: { maxAttempts: 1 } });
			expect(res.error?.message).toBe('Item 0: TimePay answered 500: {"success": false, "message": "Database unav');
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});

describe('HTTPS (the sandbox’s self-signed certificate)', () => {
	test('items are added over TLS when the certificate is trusted, and fail when it is not', async () => {
		const { startSandbox } = require('../sandbox');
		const trusted = await startSandbox({ https: true });
		const other = await startSandbox({ https: true });
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-dialer-tls-'));
		try {
			fs.writeFileSync(path.join(dir, 'ca.pem'), trusted.certificate);
			// NODE_EXTRA_CA_CERTS is read at process start: the node runs in a child process.
			const script = `
				require(${JSON.stringify(path.join(REPO, 'scripts/ts-register'))});
				require(${JSON.stringify(path.join(REPO, 'test/harness/setup'))});
				const { runNode } = require(${JSON.stringify(path.join(REPO, 'test/harness/engine.ts'))});
				const run = (url) => runNode({
					type: 'timePay',
					parameters: ${JSON.stringify({ ...base, options: { concurrency: 2, maxAttempts: 1 } })},
					input: [0, 1, 2].map((i) => ({ loan_id: 'TLS-' + i, first_name: 'A', last_name: 'B', phone_number: '9810000001',
						loan_amount: 1, emi_amount: 1, loan_period: 1, current_emi: 1, emi_due_date: '2025-03-05', payment_status: 'pending', language: 'hindi' })),
					credentials: { timePayApi: { token: ${JSON.stringify(sandboxCredentials.timePay.token)}, baseUrl: url + '/timepay/api/v1' } },
					continueOnFail: true,
				});
				(async () => {
					const a = await run(${JSON.stringify(trusted.url)});
					const b = await run(${JSON.stringify(other.url)});
					const pick = (r) => r.outputs[0].map((o) => o.json.outcome ?? o.json.details?.outcome + ': ' + o.json.message);
					console.log(JSON.stringify({ trusted: pick(a), untrusted: pick(b) }));
				})().catch((e) => { console.error(e); process.exit(1); });`;
			const stdout = await new Promise<string>((resolve, reject) =>
				execFile(process.execPath, ['-e', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem') } }, (e, out, err) =>
					e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out),
				),
			);
			const got = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
			expect(trusted.url).toMatch(/^https:/);
			expect(got.trusted).toEqual(['added', 'added', 'added']);
			expect(trusted.state().connections).toBe(3);
			expect(got.untrusted).toHaveLength(3);
			for (const o of got.untrusted) expect(o).toMatch(/^rejected: .*(self[- ]signed|certificate)/i);
			expect(other.state().requests).toHaveLength(0);
		} finally {
			await trusted.close();
			await other.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
