/** What the benchmark's parent and children share: records, the sandbox process, its control calls. */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const CAMPAIGN = 'camp_debt_demo';
/** The TimePay debt-collection fields, each of which "mapped by hand" maps as `{{ $json.<field> }}`. */
const FIELDS = ['loan_id', 'first_name', 'last_name', 'phone_number', 'loan_amount', 'emi_amount', 'loan_period', 'current_emi', 'emi_due_date', 'payment_status', 'language'];

function record(/** @type {number} */ i) {
	return {
		loan_id: `LOAN-${String(i).padStart(7, '0')}`,
		first_name: 'Asha',
		last_name: `Verma${i}`,
		phone_number: `98${10000001 + i}`,
		loan_amount: 50000 + (i % 1000),
		emi_amount: 2500,
		loan_period: 24,
		current_emi: 1 + (i % 24),
		emi_due_date: '2025-03-05',
		payment_status: 'pending',
		language: 'hindi',
	};
}

/**
 * The sandbox in its own process, as a remote API would be. With `https`, it makes a self-signed
 * certificate at start and prints the file a client must trust (NODE_EXTRA_CA_CERTS).
 * @returns {Promise<{ proc: import('node:child_process').ChildProcess, url: string, ca?: string }>}
 */
function startSandboxProcess(https = false) {
	return new Promise((resolve, reject) => {
		const args = [path.join(__dirname, '../test/sandbox/cli.js'), '--port', '0', ...(https ? ['--https'] : [])];
		const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
		let ca;
		let out = '';
		proc.stdout.on('data', (d) => {
			out += String(d);
			const c = /sandbox certificate (\S+)/.exec(out);
			if (c) ca = c[1];
			const m = /listening on (\S+)/.exec(out);
			if (m) resolve({ proc, url: m[1], ca });
		});
		proc.on('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
	});
}

/** A sandbox control call (/__sandbox/...): reset, faults, state. */
async function control(/** @type {string} */ url, /** @type {string} */ what, /** @type {object | undefined} */ body) {
	const res = await fetch(`${url}/__sandbox/${what}`, {
		method: body ? 'POST' : 'GET',
		headers: { 'content-type': 'application/json' },
		body: body && JSON.stringify(body),
	});
	return /** @type {any} */ (await res.json());
}

/** The 1-, 5- and 15-minute load averages. */
function loadavg() {
	try {
		return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
	} catch {
		return require('node:os').loadavg();
	}
}

const median = (/** @type {number[]} */ xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

module.exports = { CAMPAIGN, FIELDS, record, startSandboxProcess, control, loadavg, median };
