'use strict';
/*
 * n8n in queue mode, the way users scale out: PostgreSQL + Redis + one main process + workers.
 * PostgreSQL is a private initdb cluster on loopback (Debian package `postgresql`), Redis a
 * private redis-server (Debian package `redis-server`); both are started here and stopped by
 * stop(). Ports stay below 32768 (outgoing connections use 32768–60999).
 *
 *   const q = await startQueue({ mainFolder, workerFolders: [f], concurrency: 5 });
 *   ... q.url, q.main, q.workers[0] ...
 *   await q.stop();
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const cp = require('child_process');
const n8n = require('./lib');

function pgBin(name) {
	const root = '/usr/lib/postgresql';
	if (fs.existsSync(root)) {
		const versions = fs
			.readdirSync(root)
			.filter((v) => fs.existsSync(path.join(root, v, 'bin', name)))
			.sort((a, b) => Number(b) - Number(a));
		if (versions.length) return path.join(root, versions[0], 'bin', name);
	}
	return name;
}

function which(cmd) {
	const r = cp.spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

let aptUpdated = false;
/** apt-get install the Debian packages that are missing (blocking; run before servers start). */
function ensureDebianPackages({ log = () => {} } = {}) {
	const missing = [];
	if (!which('redis-server')) missing.push('redis-server');
	if (!fs.existsSync(pgBin('initdb')) || pgBin('initdb') === 'initdb') missing.push('postgresql');
	if (!missing.length) return;
	log(`apt-get install ${missing.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (!aptUpdated) {
		cp.spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
		aptUpdated = true;
	}
	const r = cp.spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
		stdio: 'inherit',
		env,
	});
	if (r.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
}

/** Runs a command as the `postgres` user when we are root (initdb refuses root). */
function asPostgres(cmd, args) {
	if (process.getuid && process.getuid() === 0) return { cmd: 'runuser', args: ['-u', 'postgres', '--', cmd, ...args] };
	return { cmd, args };
}

/** A private PostgreSQL cluster on 127.0.0.1:<port>, trust auth, database `n8n`. */
async function startPostgres({ port, dir } = {}) {
	port = port || (await n8n.freePort(15432));
	dir = dir || fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pg-'));
	const data = path.join(dir, 'data');
	fs.mkdirSync(data, { recursive: true });
	const isRoot = process.getuid && process.getuid() === 0;
	if (isRoot) {
		cp.spawnSync('chown', ['-R', 'postgres:postgres', dir]);
		fs.chmodSync(dir, 0o755);
	}
	const init = asPostgres(pgBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	await n8n.runOk(init.cmd, init.args, { cwd: dir });
	const logFile = path.join(dir, 'postgres.log');
	const start = asPostgres(pgBin('pg_ctl'), [
		'-D',
		data,
		'-l',
		logFile,
		'-w',
		'-o',
		`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
		'start',
	]);
	await n8n.runOk(start.cmd, start.args, { cwd: dir });
	const createdb = asPostgres(pgBin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n']);
	await n8n.runOk(createdb.cmd, createdb.args, { cwd: dir });
	return {
		port,
		dir,
		logFile,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		},
		async stop() {
			const stop = asPostgres(pgBin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
			await n8n.run(stop.cmd, stop.args, { cwd: dir });
		},
	};
}

/** A private redis-server on 127.0.0.1:<port>, no persistence. */
async function startRedis({ port, dir } = {}) {
	port = port || (await n8n.freePort(16379));
	dir = dir || fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-redis-'));
	const logFile = path.join(dir, 'redis.log');
	const proc = cp.spawn(
		which('redis-server') || 'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', logFile],
		{ stdio: 'ignore' },
	);
	const exited = new Promise((r) => proc.once('exit', r));
	// Ready when it accepts a PING.
	const t0 = Date.now();
	for (;;) {
		const ok = await new Promise((resolve) => {
			const s = require('net').connect(port, '127.0.0.1');
			s.once('error', () => resolve(false));
			s.once('connect', () => s.write('PING\r\n'));
			s.once('data', (d) => {
				s.destroy();
				resolve(d.toString().startsWith('+PONG'));
			});
		});
		if (ok) break;
		if (proc.exitCode !== null) throw new Error(`redis-server exited: ${fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''}`);
		if (Date.now() - t0 > 15000) throw new Error('redis-server not ready after 15 s');
		await n8n.sleep(100);
	}
	return {
		port,
		dir,
		logFile,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		async stop() {
			if (proc.exitCode === null) proc.kill('SIGTERM');
			await exited;
		},
	};
}

/**
 * PostgreSQL + Redis + `n8n start` (main) + one `n8n worker` per worker folder. Each folder must
 * already have the package installed (the worker needs it too) and they share the encryption
 * key (lib.js sets the same one). `prepare(env)` runs once the database is up and before n8n
 * starts (CLI imports need `env`, which points n8n at PostgreSQL and Redis). Resolves with {url, main,
 * workers, addWorker(folder, env?), postgres, redis, env, stop()}.
 */
async function startQueue({
	mainFolder,
	workerFolders = [],
	concurrency = 5,
	mainEnv = {},
	workerEnv = {},
	offloadManual = true,
	prepare,
	log = () => {},
} = {}) {
	ensureDebianPackages({ log });
	const started = [];
	const stopAll = async () => {
		for (const s of started.reverse()) {
			try {
				await s.stop();
			} catch {
				/* already gone */
			}
		}
	};
	try {
		const t0 = Date.now();
		const postgres = await startPostgres();
		started.push(postgres);
		log(`postgres on ${postgres.port} (${Date.now() - t0} ms)`);
		const redis = await startRedis();
		started.push(redis);
		log(`redis on ${redis.port}`);
		const shared = {
			...postgres.env,
			...redis.env,
			EXECUTIONS_MODE: 'queue',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: offloadManual ? 'true' : 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		};
		// e.g. import credentials and workflows, publish a workflow: n8n.n8nCli(mainFolder, args, { env })
		if (prepare) await prepare(shared);
		const main = await n8n.startN8n(mainFolder, { env: { ...shared, ...n8n.ownerEnv(), ...mainEnv }, name: 'n8n-main' });
		started.push(main);
		log(`main ready on ${main.url} in ${main.readyMs} ms`);
		const workers = [];
		const addWorker = async (folder, env = {}) => {
			const w = await startWorker(folder, { ...shared, ...workerEnv, ...env }, { concurrency, index: workers.length + 1, after: main.port });
			started.push(w);
			workers.push(w);
			log(`worker ${workers.length} ready (health port ${w.healthPort})`);
			return w;
		};
		for (const folder of workerFolders) await addWorker(folder);
		// addWorker(folder, env?): one more worker on the same queue (e.g. to replace one that was killed).
		return { url: main.url, main, workers, addWorker, postgres, redis, env: shared, stop: stopAll };
	} catch (e) {
		await stopAll();
		throw e;
	}
}

/**
 * `n8n worker` on the queue that `env` points at (DB_*, QUEUE_BULL_REDIS_*, EXECUTIONS_MODE), with
 * its health check on a free port; resolves once it is ready. Returns the spawnN8n handle plus
 * {healthPort}; `kill()` ends it at once (SIGKILL to its process group, task runner included), as a
 * crashed or force-deleted worker ends.
 */
async function startWorker(folder, env, { concurrency = 5, index = 1, after = 20000 } = {}) {
	const healthPort = await n8n.freePort(after + 10 + index * 3);
	const brokerPort = await n8n.freePort(healthPort + 1);
	const w = n8n.spawnN8n(folder, ['worker', `--concurrency=${concurrency}`], {
		name: `n8n-worker-${index}`,
		env: {
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_PORT: String(healthPort),
			...env,
		},
	});
	try {
		await n8n.waitHttp(`http://127.0.0.1:${healthPort}/healthz/readiness`, { timeoutMs: 90000, proc: w.proc });
	} catch (e) {
		await w.stop();
		throw new Error(`${e.message}\n--- worker log ---\n${w.logs().slice(-4000)}`);
	}
	const kill = async () => {
		try {
			process.kill(-w.proc.pid, 'SIGKILL');
		} catch {
			return;
		}
		await w.exited;
	};
	return { ...w, healthPort, kill };
}

/**
 * `n8n webhook`: a process that only receives production webhooks and puts their executions on
 * the queue (users scale webhook intake with these behind a load balancer). `env` is the queue's
 * (startQueue's `env`); the folder needs the package installed. Resolves once /healthz answers,
 * with the spawnN8n handle plus {url, port}. Pair it with N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true
 * on the main process so that production webhooks are served here only.
 */
async function startWebhookProcess(folder, env, { after = 20000, name = 'n8n-webhook' } = {}) {
	const port = await n8n.freePort(after + 40);
	const brokerPort = await n8n.freePort(port + 1);
	const h = n8n.spawnN8n(folder, ['webhook'], {
		name,
		env: {
			...env,
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		},
	});
	const url = `http://127.0.0.1:${port}`;
	try {
		await n8n.waitHttp(`${url}/healthz`, { timeoutMs: 90000, proc: h.proc });
	} catch (e) {
		await h.stop();
		throw new Error(`${e.message}\n--- ${name} log ---\n${h.logs().slice(-4000)}`);
	}
	return { ...h, url, port };
}

/** Execution ids that a worker's log says it finished. */
function workerFinishedExecutions(worker) {
	return [...worker.logs().matchAll(/Worker finished execution (\S+)/g)].map((m) => m[1]);
}

module.exports = { startPostgres, startRedis, startQueue, startWorker, startWebhookProcess, ensureDebianPackages, workerFinishedExecutions, pgBin };
