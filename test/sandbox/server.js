// @ts-check
'use strict';
/**
 * The sandbox: one local HTTP server that implements the four vendor APIs from the pages in
 * shared/api-docs, with fault injection and a state endpoint. Tests, the demo and the
 * benchmark all talk to it over real HTTP.
 *
 * Vendors are mounted under a prefix each (see VENDORS). Control endpoints live under
 * /__sandbox: GET state, GET counters (state without the stored records), POST reset, POST faults.
 */
const http = require('node:http');
const https = require('node:https');

/** @typedef {{ status: number, body?: unknown, headers?: Record<string,string>, raw?: string }} Reply */
/** @typedef {{ method: string, path: string, query: URLSearchParams, headers: http.IncomingHttpHeaders, body: any, rawBody: string }} Req */
/**
 * `control` answers a vendor's own /__sandbox endpoints (undefined: not its path); `close` stops
 * its timers.
 * @typedef {{ name: string, prefix: string, handle: (req: Req) => Reply | Promise<Reply>, reset: () => void, state: () => unknown,
 *   control?: (req: Req) => Reply | undefined, close?: () => void }} Vendor
 */

/**
 * A fault is applied to the next request(s) whose path starts with `path` (default: any).
 * type: '429' (with retryAfter seconds), '500', '502', '503', '504', any other 3-digit status
 * (e.g. '307' with `location`: a redirect), 'reset' (socket destroyed
 * before the request is applied), 'resetAfter' (applied, then the socket is destroyed: the
 * client never sees the answer), 'hang' (never answered), 'hangAfter' (applied, never answered).
 * `body` replaces the default answer of an HTTP-status fault (e.g. a documented 500 body).
 * `skip` lets that many matching requests through untouched first (e.g. fail the second request).
 * @typedef {{ type: string, times?: number, path?: string, retryAfter?: number, location?: string, method?: string, body?: unknown, skip?: number, delayMs?: number }} Fault
 */

/**
 * `https: true` serves HTTPS with a self-signed certificate made at start (`certificate` in the
 * result: the PEM a client must trust, e.g. through NODE_EXTRA_CA_CERTS).
 * @param {{ port?: number, host?: string, vendors?: Vendor[], quiet?: boolean, https?: boolean }} [options]
 */
async function startSandbox(options = {}) {
  const vendors = options.vendors ?? defaultVendors();
  /** @type {Fault[]} */
  let faults = [];
  let latencyMs = 0;
  /** @type {number | undefined} */
  let maxInFlight;
  let inFlight = 0;
  let peakInFlight = 0;
  /** @type {Record<string, number>} */
  let requestCounts = {};
  /** Connections that carried API requests since the last reset (keep-alive reuse counts once). */
  let connections = 0;
  /** @type {WeakSet<import('node:net').Socket>} */
  let counted = new WeakSet();
  /** @type {{ method: string, path: string, query: string, status: number | string, bytes: number, authorization: string }[]} */
  let log = [];
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  const hung = new Set();

  function resetAll() {
    faults = [];
    latencyMs = 0;
    maxInFlight = undefined;
    peakInFlight = inFlight;
    requestCounts = {};
    connections = 0;
    counted = new WeakSet();
    log = [];
    for (const v of vendors) v.reset();
  }
  resetAll();

  /** @param {string} method @param {string} path */
  function takeFault(method, path) {
    const i = faults.findIndex(
      (f) => (!f.path || path.startsWith(f.path)) && (!f.method || f.method === method),
    );
    if (i < 0) return undefined;
    const f = faults[i];
    if (f.skip) {
      f.skip--;
      return undefined;
    }
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f;
  }

  function control(/** @type {Req} */ req) {
    if (req.method === 'GET' && req.path === '/__sandbox/state') {
      /** @type {Record<string, unknown>} */
      const vendorState = {};
      for (const v of vendors) vendorState[v.name] = v.state();
      return {
        status: 200,
        body: {
          inFlight,
          peakInFlight,
          maxInFlight: maxInFlight ?? null,
          latencyMs,
          pendingFaults: faults,
          requestCounts,
          connections,
          requests: log,
          ...vendorState,
        },
      };
    }
    if (req.method === 'GET' && req.path === '/__sandbox/counters') {
      // The counters alone, without the vendors' stored records (the benchmark adds a million).
      return { status: 200, body: { inFlight, peakInFlight, latencyMs, requestCounts, connections } };
    }
    if (req.method === 'POST' && req.path === '/__sandbox/reset') {
      resetAll();
      return { status: 200, body: { ok: true } };
    }
    if (req.method === 'POST' && req.path === '/__sandbox/faults') {
      const b = req.body ?? {};
      if (Array.isArray(b.faults)) faults.push(...b.faults.map((/** @type {Fault} */ f) => ({ ...f })));
      if (typeof b.latencyMs === 'number') latencyMs = b.latencyMs;
      if (b.maxInFlight === null || typeof b.maxInFlight === 'number') maxInFlight = b.maxInFlight ?? undefined;
      if (b.clear === true) faults = [];
      return { status: 200, body: { ok: true, pendingFaults: faults, latencyMs, maxInFlight: maxInFlight ?? null } };
    }
    for (const v of vendors) {
      const reply = v.control?.(req);
      if (reply) return reply;
    }
    return { status: 404, body: { message: 'unknown sandbox control endpoint' } };
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  const onRequest = (req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  };
  const tls = options.https ? require('./certificate').selfSignedCertificate() : undefined;
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, onRequest) : http.createServer(onRequest);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5000;

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {string} rawBody
   */
  async function handle(req, res, rawBody) {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    /** @param {Reply} reply */
    const send = (reply) => {
      const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      res.writeHead(reply.status, {
        'content-type': reply.raw !== undefined ? 'text/plain' : 'application/json',
        ...(reply.headers ?? {}),
      });
      res.end(text);
    };
    let body;
    if (rawBody.length) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
    }
    if (path.startsWith('/__sandbox/')) {
      send(control({ method, path, query: url.searchParams, headers: req.headers, body, rawBody }));
      return;
    }
    const vendor = vendors.find((v) => path === v.prefix || path.startsWith(v.prefix + '/'));
    const entry = {
      method,
      path,
      query: url.search,
      status: /** @type {number | string} */ (0),
      bytes: rawBody.length,
      // Only whether a header came, and its scheme: the sandbox never keeps a secret either.
      authorization: String(req.headers.authorization ?? '').split(' ')[0],
    };
    log.push(entry);
    if (log.length > 2000) log.shift();
    if (!counted.has(req.socket)) {
      counted.add(req.socket);
      connections++;
    }
    const counterKey = `${method} ${path}`;
    requestCounts[counterKey] = (requestCounts[counterKey] ?? 0) + 1;
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    let finished = false;
    const done = () => {
      if (!finished) {
        finished = true;
        inFlight--;
      }
    };
    res.on('close', done);
    try {
      if (maxInFlight !== undefined && inFlight > maxInFlight) {
        entry.status = 429;
        send({
          status: 429,
          headers: { 'retry-after': '1' },
          body: { success: false, message: `Too many requests in flight (limit ${maxInFlight})` },
        });
        return;
      }
      if (latencyMs > 0) await sleep(latencyMs);
      const fault = takeFault(method, path);
      // A fault may answer late, so that a later request's answer can arrive first.
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault) {
        entry.status = `fault:${fault.type}`;
        if (fault.type === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault.type === 'hang') {
          hung.add(res);
          return;
        }
        if (/^\d{3}$/.test(fault.type)) {
          /** @type {Record<string,string>} */
          const headers = {};
          if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
          if (fault.location !== undefined) headers.location = fault.location;
          send({
            status: Number(fault.type),
            headers,
            body: fault.body ?? { success: false, message: `Injected fault ${fault.type}` },
          });
          return;
        }
      }
      if (!vendor) {
        entry.status = 404;
        send({ status: 404, body: { message: `No sandbox API at ${path}` } });
        return;
      }
      const sub = path.slice(vendor.prefix.length) || '/';
      const reply = await vendor.handle({ method, path: sub, query: url.searchParams, headers: req.headers, body, rawBody });
      if (fault?.type === 'resetAfter') {
        req.socket.destroy();
        return;
      }
      if (fault?.type === 'hangAfter') {
        hung.add(res);
        return;
      }
      entry.status = reply.status;
      send(reply);
    } catch (error) {
      entry.status = 500;
      send({ status: 500, body: { success: false, error: 'Internal Server Error', message: String(error) } });
    }
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `${tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${address.port}`;
  return {
    url,
    port: address.port,
    server,
    /** HTTPS mode: the self-signed certificate (PEM) clients must trust. */
    certificate: tls?.cert,
    /** Vendors' state plus the request log, as GET /__sandbox/state returns it. */
    state: () => /** @type {any} */ (control({ method: 'GET', path: '/__sandbox/state', query: new URLSearchParams(), headers: {}, body: undefined, rawBody: '' }).body),
    reset: resetAll,
    /** @param {{ faults?: Fault[], latencyMs?: number, maxInFlight?: number | null }} f */
    setFaults: (f) => control({ method: 'POST', path: '/__sandbox/faults', query: new URLSearchParams(), headers: {}, body: f, rawBody: '' }),
    /** @param {string} method @param {string} path @param {unknown} [body] A control call without HTTP. */
    control: (method, path, body) => control({ method, path, query: new URLSearchParams(), headers: {}, body, rawBody: '' }),
    close: async () => {
      for (const v of vendors) v.close?.();
      for (const r of hung) /** @type {http.ServerResponse} */ (r).destroy();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function defaultVendors() {
  /** @type {Vendor[]} */
  const list = [require('./timepay').createTimePay()];
  for (const name of ['kapture', 'cuoral', 'acqueon']) {
    try {
      // Vendors are added one file each; a missing one is simply not mounted yet.
      list.push(require(`./${name}`).create());
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  return list;
}

module.exports = { startSandbox, sleep };
