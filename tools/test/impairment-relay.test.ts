// Tests of the impairment relay over loopback UDP: both directions follow the seeded schedule, delays and copies are real, the CLI runs.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
// @ts-expect-error plain ESM script without types
import { startRelay } from '../impairment/relay.mjs';
// @ts-expect-error plain ESM script without types
import { directionSeed, schedule } from '../impairment/schedule.mjs';

const RELAY = fileURLToPath(new URL('../impairment/relay.mjs', import.meta.url));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function socket(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => s.close(() => resolve())));
  return s;
}

/** A target that echoes every datagram and logs what it got, with the time. */
async function echoTarget() {
  const s = await socket();
  const got: { n: number; at: number }[] = [];
  s.on('message', (datagram, from) => {
    got.push({ n: datagram.readUInt32BE(0), at: performance.now() });
    s.send(datagram, from.port, from.address);
  });
  return { port: s.address().port, got };
}

/** A client that sends numbered datagrams to the relay and logs the echoes. */
async function client(relayPort: number) {
  const s = await socket();
  const got: { n: number; at: number }[] = [];
  const sentAt = new Map<number, number>();
  s.on('message', (datagram) => got.push({ n: datagram.readUInt32BE(0), at: performance.now() }));
  return {
    got,
    sentAt,
    async send(count: number, gapMs = 1) {
      for (let n = 0; n < count; n++) {
        const datagram = Buffer.alloc(32);
        datagram.writeUInt32BE(n, 0);
        sentAt.set(n, performance.now());
        s.send(datagram, relayPort, '127.0.0.1');
        await new Promise((resolve) => setTimeout(resolve, gapMs));
      }
    },
  };
}

async function relayTo(port: number, options: object) {
  const relay = await startRelay({ listen: { host: '127.0.0.1', port: 0 }, to: { host: '127.0.0.1', port }, ...options });
  cleanups.push(() => relay.close());
  return relay;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds (checked every 10 ms, for up to 10 s), then 50 ms more for anything unexpected. */
async function until(done: () => boolean) {
  const deadline = performance.now() + 10_000;
  while (!done()) {
    if (performance.now() > deadline) throw new Error('timed out waiting for the datagrams');
    await settle(10);
  }
  await settle(50);
}

describe('impairment relay over loopback', () => {
  test('loss each way follows the seeded schedule of each direction, exactly', async () => {
    const target = await echoTarget();
    const profile = { loss: 0.2, burst: { p: 0.05, r: 0.4 } };
    const relay = await relayTo(target.port, { seed: 77, profile });
    const a = await client(relay.address.port);
    await a.send(300);
    const forward = schedule(directionSeed(77, 'forward'), profile, 300);
    const reached = forward.flatMap((d: { drop: unknown }, n: number) => (d.drop ? [] : [n]));
    // The last datagrams may still be in the relay or the kernel when the send loop ends.
    await until(() => target.got.length >= reached.length);
    expect(target.got.map((g) => g.n)).toEqual(reached);
    const backward = schedule(directionSeed(77, 'backward'), profile, reached.length);
    const back = reached.filter((_: number, i: number) => !backward[i].drop);
    await until(() => a.got.length >= back.length && relay.counters().backward.received >= reached.length);
    expect(a.got.map((g) => g.n)).toEqual(back);
    const counts = relay.counters();
    expect(counts.forward).toMatchObject({ received: 300, forwarded: reached.length, dropped: 300 - reached.length, inFlight: 0 });
    expect(counts.forward.droppedRandom + counts.forward.droppedBurst).toBe(counts.forward.dropped);
    expect(counts.backward).toMatchObject({ received: reached.length, forwarded: back.length });
    console.log('loopback, loss 0.2 + Gilbert 0.05/0.4 each way:', JSON.stringify({ sent: 300, reachedTarget: reached.length, cameBack: back.length }));
  });

  test('fixed delay each way, and duplicates', async () => {
    const target = await echoTarget();
    const relay = await relayTo(target.port, { forward: { delayMs: 40, duplicate: 1 }, backward: { delayMs: 40 } });
    const a = await client(relay.address.port);
    await a.send(20, 5);
    await until(() => a.got.length >= 40);
    expect(target.got.map((g) => g.n)).toEqual(Array.from({ length: 20 }, (_, n) => [n, n]).flat());
    const roundTrips = a.got.map((g) => g.at - a.sentAt.get(g.n)!);
    expect(a.got).toHaveLength(40);
    expect(Math.min(...roundTrips)).toBeGreaterThanOrEqual(79); // timers may fire up to a millisecond early of the rounding
    expect(relay.counters().forward).toMatchObject({ received: 20, forwarded: 40, duplicated: 20, delayed: 20 });
    console.log('loopback, 40 ms each way: round trip min/max', Math.min(...roundTrips).toFixed(1), Math.max(...roundTrips).toFixed(1));
  });

  test('jitter reorders; every datagram still arrives once', async () => {
    const target = await echoTarget();
    const relay = await relayTo(target.port, { seed: 5, forward: { jitterMs: 60 }, backward: {} });
    const a = await client(relay.address.port);
    await a.send(60, 1);
    await until(() => target.got.length >= 60);
    const order = target.got.map((g) => g.n);
    expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    const inversions = order.filter((n, i) => i > 0 && n < order[i - 1]!).length;
    expect(inversions).toBeGreaterThan(5);
    console.log('loopback, jitter 60 ms over 60 datagrams 1 ms apart: descents', inversions);
  });

  test('the command line relays until SIGTERM, then prints its counters', async () => {
    const target = await echoTarget();
    const child = spawn(process.execPath, [RELAY, '--listen', '127.0.0.1:0', '--to', `127.0.0.1:${target.port}`, '--seed', '3', '--forward-loss', '0.5'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const listening = JSON.parse((await lines.next()).value);
    expect(listening).toMatchObject({ event: 'listening', host: '127.0.0.1', seed: 3 });
    const expected = schedule(directionSeed(3, 'forward'), { loss: 0.5 }, 100).filter((d: { drop: unknown }) => !d.drop).length;
    const a = await client(listening.port);
    await a.send(100, 1);
    await until(() => a.got.length >= expected);
    child.kill('SIGTERM');
    const stats = JSON.parse((await lines.next()).value);
    await once(child, 'exit');
    expect(stats.forward).toMatchObject({ received: 100, forwarded: expected });
    expect(stats.backward).toMatchObject({ received: expected, forwarded: expected, dropped: 0 });
    expect(a.got).toHaveLength(expected);
    expect(child.exitCode).toBe(0);
  });

  test('the command line refuses bad flags with status 2', async () => {
    const child = spawn(process.execPath, [RELAY, '--listen', '0', '--to', 'nowhere'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--to/);
  });
});
