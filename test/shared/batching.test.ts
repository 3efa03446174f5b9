/** The task queue under the bulk operations: a real bound, work pushed while work runs, stop on error. */
import * as net from 'node:net';

import { taskQueue, yieldToEventLoop } from '../../nodes/shared/batching';

/** A task whose end the test decides, with a record of what is running. */
function gate() {
	const running = new Set<number>();
	const started: number[] = [];
	let peak = 0;
	const release = new Map<number, { ok: () => void; fail: (e: Error) => void }>();
	const task = (n: number) =>
		new Promise<number>((resolve, reject) => {
			started.push(n);
			running.add(n);
			peak = Math.max(peak, running.size);
			release.set(n, {
				ok: () => (running.delete(n), resolve(n * 10)),
				fail: (e) => (running.delete(n), reject(e)),
			});
		});
	return { task, running, started, release, peak: () => peak };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('taskQueue', () => {
	test('work pushed while earlier work runs never exceeds the bound, and starts when a slot frees', async () => {
		const g = gate();
		const q = taskQueue(2, g.task);
		for (const n of [0, 1, 2]) q.push(n);
		await flush();
		expect(g.started).toEqual([0, 1]);
		q.push(3);
		await flush();
		expect(g.started).toEqual([0, 1]); // still two in flight: 2 and 3 wait
		g.release.get(1)!.ok();
		await flush();
		expect(g.started).toEqual([0, 1, 2]);
		g.release.get(0)!.ok();
		await flush();
		expect(g.started).toEqual([0, 1, 2, 3]);
		g.release.get(2)!.ok();
		g.release.get(3)!.ok();
		const results = await q.done();
		expect(results).toEqual([0, 1, 2, 3].map((n) => ({ ok: true, value: n * 10 })));
		expect(g.peak()).toBe(2);
	});

	test('with stopOnError a failure lets running work finish, starts nothing new, and reports the rest as skipped', async () => {
		const g = gate();
		const q = taskQueue(3, g.task, true);
		for (const n of [0, 1, 2, 3, 4, 5]) q.push(n);
		await flush();
		expect(g.started).toEqual([0, 1, 2]);
		g.release.get(1)!.fail(new Error('boom'));
		await flush();
		expect(q.stopped).toBe(true);
		expect(g.started).toEqual([0, 1, 2]);
		q.push(6);
		g.release.get(0)!.ok();
		g.release.get(2)!.ok();
		const results = await q.done();
		expect(g.started).toEqual([0, 1, 2]);
		expect(results.map((r) => (r.ok ? 'ok' : 'skipped' in r ? 'skipped' : 'error'))).toEqual(['ok', 'error', 'ok', 'skipped', 'skipped', 'skipped', 'skipped']);
		expect(results[1]).toMatchObject({ ok: false, error: new Error('boom') });
	});

	test('without stopOnError a failure is one result and the rest still run', async () => {
		const q = taskQueue(1, async (n: number) => {
			if (n === 1) throw new Error('no');
			return n;
		});
		for (const n of [0, 1, 2]) q.push(n);
		const results = await q.done();
		expect(q.stopped).toBe(false);
		expect(results.map((r) => r.ok)).toEqual([true, false, true]);
	});

	test('a concurrency that is not a positive whole number means one at a time', async () => {
		for (const c of [0, -3, Number.NaN, 0.5]) {
			const g = gate();
			const q = taskQueue(c, g.task);
			q.push(0);
			q.push(1);
			await flush();
			expect(g.started).toEqual([0]);
			g.release.get(0)!.ok();
			await flush();
			g.release.get(1)!.ok();
			await q.done();
			expect(g.peak()).toBe(1);
		}
	});
});

describe('yieldToEventLoop', () => {
	test('lets socket answers be read during a long synchronous loop (a microtask would not)', async () => {
		const server = net.createServer((socket) => socket.end('pong'));
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		try {
			let answered = -1;
			let i = 0;
			const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
			client.on('data', () => (answered = i));
			// Synchronous work in 1 ms slices, yielding after each, as Bulk Add does every 2,000 records.
			for (; i < 2000 && answered < 0; i++) {
				const until = Date.now() + 1;
				while (Date.now() < until);
				await yieldToEventLoop();
			}
			client.destroy();
			expect(answered).toBeGreaterThanOrEqual(0);
			expect(answered).toBeLessThan(2000);
		} finally {
			await new Promise((r) => server.close(r));
		}
	});

	test('costs a timer tick at most once per 50 ms: calls in between return at once', async () => {
		await yieldToEventLoop();
		const t0 = Date.now();
		for (let i = 0; i < 200; i++) await yieldToEventLoop(); // each real yield takes at least 1 ms
		expect(Date.now() - t0).toBeLessThan(100);
	});
});
