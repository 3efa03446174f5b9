// @ts-check
'use strict';
/**
 * A self-signed TLS certificate made at start, for the sandbox's HTTPS mode: an ECDSA P-256 key
 * from node:crypto and a minimal X.509 v3 certificate encoded here in DER (node:crypto can parse
 * and verify certificates but not create them). Valid for `localhost` and 127.0.0.1 (and ::1),
 * one day. Clients trust it through NODE_EXTRA_CA_CERTS or an agent's `ca`; nothing is written
 * to the system's trust store.
 */
const crypto = require('node:crypto');

/** DER: tag, length, content. */
function tlv(/** @type {number} */ tag, /** @type {Buffer} */ content) {
  const n = content.length;
  let len;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (/** @type {Buffer[]} */ ...parts) => tlv(0x30, Buffer.concat(parts));
const set = (/** @type {Buffer[]} */ ...parts) => tlv(0x31, Buffer.concat(parts));
const explicit = (/** @type {number} */ n, /** @type {Buffer} */ content) => tlv(0xa0 + n, content);
const utf8 = (/** @type {string} */ s) => tlv(0x0c, Buffer.from(s, 'utf8'));
const octets = (/** @type {Buffer} */ b) => tlv(0x04, b);
const bits = (/** @type {Buffer} */ b) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const bool = (/** @type {boolean} */ v) => tlv(0x01, Buffer.from([v ? 0xff : 0]));

function integer(/** @type {Buffer} */ b) {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(/** @type {string} */ dotted) {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime, YYMMDDHHMMSSZ (valid up to 2049). */
function utcTime(/** @type {Date} */ d) {
  return tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z', 'ascii'));
}

/**
 * @param {{ commonName?: string, days?: number }} [options]
 * @returns {{ key: string, cert: string }} PEM private key and certificate
 */
function selfSignedCertificate(options = {}) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = seq(set(seq(oid('2.5.4.3'), utf8(options.commonName ?? 'crm-dialer sandbox'))));
  const sigAlg = seq(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  const now = Date.now();
  const validity = seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + (options.days ?? 1) * 86_400_000)));
  const altNames = seq(
    tlv(0x82, Buffer.from('localhost', 'ascii')), // dNSName
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress
    tlv(0x87, Buffer.alloc(16, 0).fill(1, 15)), // ::1
  );
  const extensions = explicit(
    3,
    seq(
      seq(oid('2.5.29.17'), octets(altNames)), // subjectAltName
      seq(oid('2.5.29.19'), bool(true), octets(seq(bool(true)))), // basicConstraints: CA (it signs itself)
    ),
  );
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(Buffer.concat([Buffer.from([1]), crypto.randomBytes(15)])),
    sigAlg,
    name,
    validity,
    name,
    /** @type {Buffer} */ (publicKey.export({ type: 'spki', format: 'der' })),
    extensions,
  );
  const signature = crypto.sign('sha256', tbs, privateKey); // DER-encoded ECDSA signature
  const der = seq(tbs, sigAlg, bits(signature));
  const pem = (/** @type {string} */ label, /** @type {Buffer} */ b) =>
    `-----BEGIN ${label}-----\n${b.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
  return { key: String(privateKey.export({ type: 'pkcs8', format: 'pem' })), cert: pem('CERTIFICATE', der) };
}

module.exports = { selfSignedCertificate };
