/**
 * Cuoral's `ip` field is checked without node:net (n8n does not let a community node import it).
 * The check must accept exactly what node:net's isIP accepts, apart from IPv6 zone indexes.
 */
import { isIP } from 'node:net';

import { createCustomerBodySchema, isIpAddress } from '../../nodes/Cuoral/schemas';

/** A small deterministic PRNG (mulberry32), so a failure names a case that can be run again. */
function prng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Strings near the edge of valid addresses: dotted quads, colon groups, mixed forms, junk. */
function corpus(n: number): string[] {
	const r = prng(20261125);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
	const int = (max: number) => Math.floor(r() * max);
	const octet = () => pick([String(int(256)), String(int(400)), `0${int(10)}`, '', '255', '256', '00']);
	const hex = () => int(0x1ffff).toString(16).slice(0, 1 + int(5));
	const out: string[] = [];
	for (let i = 0; i < n; i++) {
		switch (i % 5) {
			case 0:
				out.push(Array.from({ length: 2 + int(4) }, octet).join('.'));
				break;
			case 1:
			case 2: {
				const groups = Array.from({ length: 1 + int(9) }, () => (r() < 0.15 ? '' : r() < 0.1 ? '1.2.3.4' : hex()));
				out.push(groups.join(':'));
				break;
			}
			case 3:
				out.push(pick(['::ffff:', '::', '64:ff9b::', '1:2:3:4:5:6:', 'fe80::']) + [int(300), int(256), int(256), int(256)].join('.'));
				break;
			default:
				out.push(Array.from({ length: 1 + int(16) }, () => pick([...'0123456789abcdefABCDEFgx:. '])).join(''));
		}
	}
	return out;
}

describe('Cuoral IP address check', () => {
	test('agrees with node:net isIP on 20,000 generated strings', () => {
		const disagreements = corpus(20_000).filter((s) => isIpAddress(s) !== (isIP(s) !== 0));
		expect(disagreements).toEqual([]);
	});

	test.each(['192.168.1.1', '0.0.0.0', '255.255.255.255', '::', '::1', '2001:db8::8a2e:370:7334', '::ffff:192.0.2.1', '1:2:3:4:5:6:7:8'])(
		'%s is an address',
		(s) => {
			expect(isIP(s)).not.toBe(0);
			expect(isIpAddress(s)).toBe(true);
		},
	);

	test.each(['999.1.1.1', '01.2.3.4', '1.2.3', '1::2::3', '12345::', ' 1.2.3.4', '1.2.3.4 ', 'localhost', ''])('%j is not an address', (s) => {
		expect(isIP(s)).toBe(0);
		expect(isIpAddress(s)).toBe(false);
	});

	test('an IPv6 zone index is refused, though node:net accepts it', () => {
		expect(isIP('fe80::1%eth0')).toBe(6);
		expect(isIpAddress('fe80::1%eth0')).toBe(false);
	});

	test('the payload schema uses the check', () => {
		const body = { name: 'Asha', email: 'asha@example.com', source: 'api' };
		expect(createCustomerBodySchema.safeParse({ ...body, ip: '2001:db8::1' }).success).toBe(true);
		const bad = createCustomerBodySchema.safeParse({ ...body, ip: '2001:db8::g' });
		expect(bad.success).toBe(false);
		expect(bad.error?.issues[0]).toMatchObject({ path: ['ip'], message: 'must be an IPv4 or IPv6 address' });
	});
});
