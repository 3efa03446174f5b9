#!/usr/bin/env node
/**
 * `npm run bench`: the figures of issue 11, each against a raw-HTTP baseline measured in the same
 * run, medians of the rounds, with the machine's load before and after each part. Writes
 * bench/RESULTS.md (newest first). Every measurement runs in a fresh child process (bench/child.js)
 * against the sandbox in its own process, as a remote API would be.
 *
 *   goal 1  Bulk Add of 10,000 records, fields mapped by hand (`{{ $json.x }}`) vs automatically
 *   goal 2  Bulk Add of 100,000 records, automatic mapping, no added latency: node vs raw client
 *           (and, as before, with 250 ms per request)
 *   goal 3  Customer Add, 1,000 items, 20 ms per request, concurrency 1/4/8/16: % of the ideal
 *           rate (concurrency ÷ latency); connections per 1,000 requests; the per-request cost
 *           over HTTPS (the sandbox with a self-signed certificate) against plain HTTP
 *   goal 4  peak RSS per record above the engine's own cost (a pass-through node), 100,000 and
 *           1,000,000 records
 *   n8n     goals 1 and 3 again in a real n8n 2.41.1, when it is provisioned (bench/n8n.js)
 *
 *   flock /tmp/crm-dialer-heavy.lock npm run bench        # the full run, 3 rounds (~10-15 min)
 *   npm run bench -- --rounds 5 --only 3,4                # some goals, more rounds
 *   npm run bench -- --quick                              # smoke check (CI): small sizes, 1 round, writes nothing
 *   npm run bench -- --profile                            # also write a .cpuprofile per child to bench/profiles/
 *   npm run bench -- --no-n8n                             # leave out the real-n8n part
 */
'use strict';
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { control, loadavg, median, startSandboxProcess } = require('./lib');

const args = process.argv.slice(2);
const has = (/** @type {string} */ name) => args.includes(`--${name}`);
const opt = (/** @type {string} */ name, /** @type {string | undefined} */ d) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : d;
};
const QUICK = has('quick');
const ROUNDS = Number(opt('rounds', QUICK ? '1' : '3'));
const ONLY = new Set(String(opt('only', '1,2,3,4,n8n')).split(','));
if (QUICK || has('no-n8n')) ONLY.delete('n8n');
const WRITE = (!QUICK || has('write')) && !has('no-write');
const PROFILE = has('profile');

const SIZES = QUICK
	? { bulk: 2_000, bulkLatencies: [0], mapped: 500, perItem: 60, perItemLatency: 5, concurrencies: [4], warmup: 20, cost: 30, memory: [2_000, 4_000] }
	: { bulk: 100_000, bulkLatencies: [0, 250], mapped: 10_000, perItem: 1_000, perItemLatency: 20, concurrencies: [1, 4, 8, 16], warmup: 300, cost: 1_000, memory: [100_000, 1_000_000] };

/** @typedef {{ wall: number, cpuMs: number, rssMb: number, requests: number, connections: number }} Measure */

/** Runs one side once in a fresh process. @returns {Promise<Measure>} */
function runChild(/** @type {object} */ job, /** @type {string | undefined} */ ca) {
	return new Promise((resolve, reject) => {
		const execArgv = ['--max-old-space-size=8192'];
		if (PROFILE) execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.join(__dirname, 'profiles')}`);
		const c = fork(path.join(__dirname, 'child.js'), [JSON.stringify(job)], {
			stdio: 'inherit',
			execArgv,
			env: { ...process.env, ...(ca ? { NODE_EXTRA_CA_CERTS: ca } : {}) },
		});
		/** @type {Measure | undefined} */
		let result;
		c.on('message', (m) => (result = /** @type {Measure} */ (m)));
		c.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`${JSON.stringify(job)} exited ${code}`))));
	});
}

/**
 * Every side of one configuration, `ROUNDS` times, the order of the sides rotating per round.
 * @returns {Promise<Record<string, Measure[]>>}
 */
async function measure(/** @type {{ url: string, ca?: string }} */ sb, /** @type {string[]} */ sides, /** @type {object} */ job, /** @type {string} */ label) {
	/** @type {Record<string, Measure[]>} */
	const out = Object.fromEntries(sides.map((s) => [s, []]));
	for (let round = 0; round < ROUNDS; round++) {
		const order = sides.map((_, i) => sides[(i + round) % sides.length]);
		for (const side of order) {
			const r = await runChild({ ...job, side, url: sb.url }, sb.ca);
			out[side].push(r);
			console.log(`  ${label} round ${round + 1} ${side.padEnd(11)} ${(r.wall / 1000).toFixed(3)} s  cpu ${(r.cpuMs / 1000).toFixed(2)} s  peak RSS ${r.rssMb.toFixed(0)} MB`);
		}
	}
	return out;
}

const med = (/** @type {Measure[]} */ rs, /** @type {keyof Measure} */ k) => median(rs.map((r) => r[k]));
const s3 = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(3)} s`;
const pct = (/** @type {number} */ x) => `${(100 * x).toFixed(0)} %`;
const n0 = (/** @type {number} */ x) => Math.round(x).toLocaleString('en-US');
const met = (/** @type {boolean} */ ok) => (ok ? 'met' : '**not met**');

/** Runs `fn`, noting the load average before and after. */
async function part(/** @type {string} */ title, /** @type {() => Promise<string[]>} */ fn) {
	const before = loadavg();
	console.log(`\n${title} (load ${before.join(' ')})`);
	const lines = await fn();
	const after = loadavg();
	return [`### ${title}`, `Load average (1/5/15 min) before ${before.join(' ')}, after ${after.join(' ')}.`, '', ...lines, ''];
}

async function goal1(/** @type {{ url: string }} */ sb) {
	const r = await measure(sb, ['raw', 'node', 'nodeMapped'], { kind: 'bulk', records: SIZES.mapped, concurrency: 2, latency: 0 }, 'goal 1');
	const raw = med(r.raw, 'wall');
	const auto = med(r.node, 'wall');
	const mapped = med(r.nodeMapped, 'wall');
	return [
		`TimePay Bulk Add of ${n0(SIZES.mapped)} records, no added latency, concurrency 2. "By hand": each of the 11 fields mapped as \`{{ $json.<field> }}\`, the editor's default.`,
		'',
		'| | wall time | ÷ raw client | ÷ automatic |',
		'|---|---|---|---|',
		`| raw client | ${s3(raw)} | 1.00 | |`,
		`| node, automatic mapping | ${s3(auto)} | ${(auto / raw).toFixed(2)} | 1.00 |`,
		`| node, mapped by hand | ${s3(mapped)} | ${(mapped / raw).toFixed(2)} | **${(mapped / auto).toFixed(2)}** |`,
		'',
		`Goal 1 (by hand ≤ 1.5 × automatic): ${met(mapped / auto <= 1.5)}.`,
	];
}

async function goal2(/** @type {{ url: string }} */ sb) {
	const lines = [
		`TimePay Bulk Add of ${n0(SIZES.bulk)} records, automatic mapping, in requests of up to 10,000, concurrency 2.`,
		'',
		'| sandbox latency per request | raw client | node | node ÷ raw | peak RSS raw / node |',
		'|---|---|---|---|---|',
	];
	let ratio0 = Infinity;
	for (const latency of SIZES.bulkLatencies) {
		const r = await measure(sb, ['raw', 'node'], { kind: 'bulk', records: SIZES.bulk, concurrency: 2, latency }, `goal 2, ${latency} ms`);
		const raw = med(r.raw, 'wall');
		const node = med(r.node, 'wall');
		if (latency === 0) ratio0 = node / raw;
		lines.push(`| ${latency} ms | ${s3(raw)} | ${s3(node)} | **${(node / raw).toFixed(2)}** | ${n0(med(r.raw, 'rssMb'))} / ${n0(med(r.node, 'rssMb'))} MB |`);
	}
	lines.push('', `Goal 2 (node ≤ 1.5 × raw at 0 ms; reach for 1.25): ${met(ratio0 <= 1.5)}.`);
	return lines;
}

async function goal3(/** @type {{ url: string }} */ sb, /** @type {{ url: string, ca?: string }} */ tls) {
	const N = SIZES.perItem;
	const L = SIZES.perItemLatency;
	const lines = [
		`TimePay Customer Add, ${n0(N)} items, one request each, ${L} ms sandbox latency per request; after a warm-up of ${SIZES.warmup}. Ideal rate = concurrency ÷ latency. The raw client keeps its connections alive; n8n's request helper cannot (below).`,
		'',
		'| concurrency | raw client, % of ideal | node, % of ideal | node ÷ raw | CPU per request raw / node | connections per 1,000 requests raw / node |',
		'|---|---|---|---|---|---|',
	];
	const job = { kind: 'perItem', records: N, latency: L, warmup: SIZES.warmup };
	let at16 = 0;
	const row = (/** @type {string} */ label, /** @type {number} */ c, /** @type {Record<string, Measure[]>} */ r) => {
		const ideal = (N * L) / c;
		const raw = ideal / med(r.raw, 'wall');
		const node = ideal / med(r.node, 'wall');
		const per = (/** @type {Measure[]} */ rs, /** @type {keyof Measure} */ k) => med(rs, k) / N;
		const conns = (/** @type {Measure[]} */ rs) => n0((1000 * med(rs, 'connections')) / Math.max(1, med(rs, 'requests')));
		lines.push(`| ${label} | ${pct(raw)} | **${pct(node)}** | ${(node / raw).toFixed(2)} | ${per(r.raw, 'cpuMs').toFixed(2)} / ${per(r.node, 'cpuMs').toFixed(2)} ms | ${conns(r.raw)} / ${conns(r.node)} |`);
		return node;
	};
	const top = Math.max(...SIZES.concurrencies);
	for (const c of SIZES.concurrencies) {
		const r = await measure(sb, ['raw', 'node'], { ...job, concurrency: c }, `goal 3, concurrency ${c}`);
		const node = row(String(c), c, r);
		if (c === top) at16 = node;
	}
	if (!QUICK) {
		const rt = await measure(tls, ['raw', 'node'], { ...job, concurrency: top }, `goal 3, concurrency ${top}, HTTPS`);
		row(`${top}, over HTTPS`, top, rt);
	}
	lines.push('', `Goal 3 (node ≥ 85 % of ideal at concurrency ${top}): ${met(at16 >= 0.85)}.`, '');

	// The cost of one request, alone: concurrency 1, no added latency, HTTP and HTTPS.
	const C = SIZES.cost;
	const cost = { kind: 'perItem', records: C, latency: 0, warmup: SIZES.warmup, concurrency: 1 };
	const plain = await measure(sb, ['raw', 'node'], cost, 'per-request cost, HTTP');
	const secure = await measure(tls, ['raw', 'node'], cost, 'per-request cost, HTTPS');
	const each = (/** @type {Measure[]} */ rs, /** @type {keyof Measure} */ k) => med(rs, k) / C;
	const tlsConns = (/** @type {Measure[]} */ rs) => n0((1000 * med(rs, 'connections')) / Math.max(1, med(rs, 'requests')));
	lines.push(
		`Cost of one request alone (${n0(C)} requests one after another, no added latency): wall time and client CPU per request.`,
		'',
		'| | HTTP wall / CPU | HTTPS wall / CPU | HTTPS adds (wall / CPU) | TLS handshakes per 1,000 requests |',
		'|---|---|---|---|---|',
	);
	for (const [label, side] of [['raw client (keep-alive)', 'raw'], ['node (n8n helper)', 'node']]) {
		const w0 = each(plain[side], 'wall');
		const c0 = each(plain[side], 'cpuMs');
		const w1 = each(secure[side], 'wall');
		const c1 = each(secure[side], 'cpuMs');
		lines.push(`| ${label} | ${w0.toFixed(2)} / ${c0.toFixed(2)} ms | ${w1.toFixed(2)} / ${c1.toFixed(2)} ms | **+${(w1 - w0).toFixed(2)} / +${(c1 - c0).toFixed(2)} ms** | ${tlsConns(secure[side])} |`);
	}
	return lines;
}

async function goal4(/** @type {{ url: string }} */ sb) {
	const lines = [
		'Peak RSS of the process that runs the workflow (the same input generated in each): Bulk Add with automatic mapping, no added latency, against the engine alone passing the same items through a node that returns its input, and a raw client posting them.',
		'',
		'| records | engine only (pass-through) | node | raw client | node above engine, per record |',
		'|---|---|---|---|---|',
	];
	/** @type {number[]} */
	const perRecord = [];
	/** @type {number[]} */
	const aboveMb = [];
	for (const n of SIZES.memory) {
		const r = await measure(sb, ['passThrough', 'node', 'raw'], { kind: 'bulk', records: n, concurrency: 2, latency: 0 }, `goal 4, ${n0(n)} records`);
		const engine = med(r.passThrough, 'rssMb');
		const node = med(r.node, 'rssMb');
		const above = ((node - engine) * 1024 * 1024) / n;
		perRecord.push(above);
		aboveMb.push(node - engine);
		lines.push(`| ${n0(n)} | ${n0(engine)} MB | ${n0(node)} MB | ${n0(med(r.raw, 'rssMb'))} MB | **${n0(above)} bytes** |`);
	}
	if (perRecord.length > 1) {
		const growth = perRecord[perRecord.length - 1] / perRecord[0];
		const last = SIZES.memory.length - 1;
		const marginal = ((aboveMb[last] - aboveMb[0]) * 1024 * 1024) / (SIZES.memory[last] - SIZES.memory[0]);
		lines.push(
			'',
			`Per record at ${n0(SIZES.memory[last])} ÷ at ${n0(SIZES.memory[0])}: **${growth.toFixed(2)}** — goal 4 (linear growth, taken as ≤ 1.2): ${met(growth <= 1.2)}. Each record beyond ${n0(SIZES.memory[0])} adds ${n0(marginal)} bytes above the engine.`,
		);
	}
	return lines;
}

async function main() {
	const started = Date.now();
	const load0 = loadavg();
	const plain = await startSandboxProcess(false);
	const tls = ONLY.has('3') ? await startSandboxProcess(true) : undefined;
	/** @type {string[]} */
	const body = [];
	try {
		if (ONLY.has('1')) body.push(...(await part('Goal 1 — fields mapped by hand vs automatic mapping', () => goal1(plain))));
		if (ONLY.has('2')) body.push(...(await part('Goal 2 — Bulk Add, node vs raw client (and the earlier 250 ms figure)', () => goal2(plain))));
		if (ONLY.has('3') && tls) body.push(...(await part('Goal 3 — per-item requests', () => goal3(plain, tls))));
		if (ONLY.has('4')) body.push(...(await part('Goal 4 — memory', () => goal4(plain))));
		if (ONLY.has('n8n')) {
			const lib = require('../scripts/n8n/lib');
			if (!lib.isProvisioned()) body.push('### Real n8n', 'Left out: n8n is not provisioned here (`npm run n8n:provision`).', '');
			else {
				const { realN8n } = require('./n8n');
				const o = { rounds: ROUNDS, perItem: SIZES.perItem, latency: SIZES.perItemLatency, concurrency: 16, mapped: SIZES.mapped, log: console.log };
				body.push(...(await part('Goals 1 and 3 in a real n8n', () => realN8n(plain, o))));
			}
		}
	} finally {
		plain.proc.kill();
		tls?.proc.kill();
	}
	const load1 = loadavg();
	const busy = load0[0] > 1 ? ' — **machine busy: these figures are not final**' : '';
	const head = `## ${new Date().toISOString().slice(0, 16)}Z — Node ${process.version}, ${os.cpus().length} cores, median of ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}${QUICK ? ', QUICK (smoke check sizes)' : ''}\n\nLoad average (1/5/15 min) at the start ${load0.join(' ')}, at the end ${load1.join(' ')}${busy}. Took ${Math.round((Date.now() - started) / 1000)} s.\n`;
	const entry = `${head}\n${body.join('\n')}`;
	console.log(`\n${entry}`);
	if (WRITE) {
		const file = path.join(__dirname, 'RESULTS.md');
		const header = fs.readFileSync(path.join(__dirname, 'RESULTS.header.md'), 'utf8');
		const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').replace(header, '') : '';
		fs.writeFileSync(file, `${header}${entry}\n${old.replace(/^\n+/, '')}`);
		console.log(`written to ${path.relative(process.cwd(), file)}`);
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
