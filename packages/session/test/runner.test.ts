// Tests of two call runners on a lossy in-memory network with a manual clock.
import { afterEach, describe, expect, test } from 'vitest';
import { encodeClassicSignal } from '@voip/protocol';
import { PhoneError } from '../src/index.js';
import { autoAccept, createHarness, type Harness } from './support/runner-harness.js';

let h: Harness;

afterEach(async () => {
  await h.close();
});

function states(notices: readonly { name: string; state?: string }[]): string[] {
  return notices.flatMap((n) => (n.name === 'state' && n.state ? [n.state] : []));
}

describe('two runners on an in-memory network, manual clock', () => {
  test('call, accept, audio both ways, hang up; CLOSE repeated and spread over time', async () => {
    h = createHarness();
    const alice = h.add('alice');
    const bob = h.add('bob', { onNotice: autoAccept });
    alice.runner.call('bob');
    await h.advance(20);
    expect(alice.runner.state).toBe('in-call');
    expect(bob.runner.state).toBe('in-call');
    expect(bob.incoming()).toBe(1);
    await h.advance(1000);
    expect(alice.media[0]!.received.length).toBeGreaterThan(10);
    expect(bob.media[0]!.received.length).toBeGreaterThan(10);
    expect(alice.audio.stats()).toMatchObject({ packetsSent: expect.any(Number), durationMs: expect.any(Number) });
    expect(alice.notices.some((n) => n.name === 'stats')).toBe(true);

    alice.runner.hangup();
    await h.advance(2000); // past the linger window (CLOSE repeat span + 500 ms)
    expect(alice.ended()).toEqual(['hangup']);
    expect(bob.ended()).toEqual(['remote-hangup']);
    expect(alice.media[0]!.stopped && bob.media[0]!.stopped).toBe(true);
    expect(states(alice.notices)).toEqual(['dialing', 'calling', 'in-call', 'ended', 'idle']);
    expect(states(bob.notices)).toEqual(['ringing', 'in-call', 'ended', 'idle']);

    const closes = h.signals.filter((s) => s.type === 'CLOSE');
    expect(closes).toHaveLength(7);
    for (let i = 1; i < closes.length; i++) expect(closes[i]!.at - closes[i - 1]!.at).toBeGreaterThanOrEqual(100);
    const accepts = h.signals.filter((s) => s.type === 'ACCEPT');
    expect(accepts.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < accepts.length; i++) expect(accepts[i]!.at - accepts[i - 1]!.at).toBeGreaterThanOrEqual(100);

    // Both wait on the same ports again: a second call works.
    bob.runner.call('alice');
    await h.advance(20);
    expect(bob.runner.state).toBe('calling');
    alice.runner.accept();
    await h.advance(20);
    expect(bob.runner.state).toBe('in-call');
    bob.runner.hangup();
    await h.advance(20);
    expect(alice.ended()).toEqual(['hangup', 'remote-hangup']);
  });

  test('reject', async () => {
    h = createHarness();
    const alice = h.add('alice');
    const bob = h.add('bob', { onNotice: (n, p) => n.name === 'incoming' && p.runner.reject() });
    alice.runner.call('bob');
    await h.advance(50);
    expect(alice.ended()).toEqual(['rejected']);
    expect(bob.ended()).toEqual(['rejected']);
    // Late START repeats do not ring bob again.
    await h.advance(2000);
    expect(bob.incoming()).toBe(1);
    expect(h.signals.filter((s) => s.type === 'START').length).toBeLessThanOrEqual(2);
  });

  test('busy: a third caller gets REJECT at once, the call goes on', async () => {
    h = createHarness();
    const alice = h.add('alice');
    const bob = h.add('bob', { onNotice: autoAccept });
    const carol = h.add('carol');
    alice.runner.call('bob');
    await h.advance(20);
    carol.runner.call('bob');
    await h.advance(5);
    expect(carol.ended()).toEqual(['rejected']);
    expect(bob.runner.state).toBe('in-call');
    expect(bob.incoming()).toBe(1);
    expect(() => bob.runner.call('carol')).toThrow(PhoneError);
  });

  test('ring timeout: the caller gives up with CLOSE, the callee stops ringing', async () => {
    h = createHarness();
    const alice = h.add('alice', { ringTimeoutMs: 10_000 });
    const bob = h.add('bob', { ringTimeoutMs: 60_000 });
    alice.runner.call('bob');
    await h.advance(9_990);
    expect(alice.runner.state).toBe('calling');
    expect(bob.runner.state).toBe('ringing');
    expect(bob.incoming()).toBe(1);
    const startsSent = h.signals.filter((s) => s.type === 'START').length;
    expect(startsSent).toBeGreaterThan(50);
    await h.advance(20);
    expect(alice.ended()).toEqual(['ring-timeout']);
    expect(bob.ended()).toEqual(['cancelled']);
  });

  test('peer silence timeout ends the call on the side that hears nothing', async () => {
    h = createHarness();
    const alice = h.add('alice', { silenceTimeoutMs: 3000 });
    const bob = h.add('bob', { onNotice: autoAccept });
    alice.runner.call('bob');
    await h.advance(500);
    bob.media[0]!.muted = true;
    await h.advance(2900);
    expect(alice.runner.state).toBe('in-call');
    await h.advance(300);
    expect(alice.ended()).toEqual(['peer-silent']);
    expect(bob.ended()).toEqual(['remote-hangup']);
  });

  test('self-call and unknown callee', async () => {
    h = createHarness();
    const alice = h.add('alice');
    alice.runner.call('Alice');
    alice.runner.call('nobody');
    await h.advance(5);
    expect(alice.ended()).toEqual(['self-call', 'not-found']);
    expect(h.signals).toEqual([]);
  });

  test('a START from an address the directory does not give for that name is ignored', async () => {
    h = createHarness();
    const alice = h.add('alice');
    h.add('bob');
    const mallory = h.network.bind(6000, '127.0.0.9');
    mallory.send(encodeClassicSignal({ type: 'START', caller: 'bob' }), alice.address);
    await h.advance(50);
    expect(alice.runner.state).toBe('idle');
    expect(alice.incoming()).toBe(0);
    expect(h.signals.filter((s) => s.from.port === alice.address.port)).toEqual([]);
    expect(alice.notices.some((n) => n.name === 'log' && n.level === 'warn')).toBe(true);
    await mallory.close();
  });

  test('datagrams from a third party are dropped during a call', async () => {
    h = createHarness();
    const alice = h.add('alice');
    const bob = h.add('bob', { onNotice: autoAccept });
    alice.runner.call('bob');
    await h.advance(20);
    const mallory = h.network.bind(6000, '127.0.0.9');
    const before = alice.audio.droppedDatagrams;
    mallory.send(new Uint8Array(1024).fill(1), alice.address);
    mallory.send(encodeClassicSignal({ type: 'CLOSE' }), alice.address);
    await h.advance(5);
    expect(alice.runner.state).toBe('in-call');
    expect(alice.audio.droppedDatagrams - before).toBe(2);
    expect(alice.media[0]!.received.every((d) => d[0] === 7)).toBe(true);
    expect(bob.runner.state).toBe('in-call');
    await mallory.close();
  });
});

test('close during a call hangs up, sends the CLOSE repeats, and is idempotent', async () => {
  h = createHarness();
  const alice = h.add('alice');
  const bob = h.add('bob', { onNotice: autoAccept });
  alice.runner.call('bob');
  await h.advance(20);
  let done = 0;
  const first = alice.runner.close().then(() => done++);
  const second = alice.runner.close().then(() => done++);
  await h.advance(500);
  expect(done).toBe(0);
  await h.advance(600);
  await Promise.all([first, second]);
  expect(done).toBe(2);
  expect(h.signals.filter((s) => s.type === 'CLOSE')).toHaveLength(7);
  expect(bob.ended()).toEqual(['remote-hangup']);
  expect(alice.media[0]!.stopped).toBe(true);
  expect(() => alice.runner.call('bob')).toThrow(PhoneError);
});

test('a START arriving while close() waits for the CLOSE repeats is refused, never rung', async () => {
  h = createHarness();
  const alice = h.add('alice', { onNotice: autoAccept });
  const bob = h.add('bob', { onNotice: autoAccept });
  const carol = h.add('carol');
  alice.runner.call('bob');
  await h.advance(20);
  const closing = alice.runner.close();
  await h.advance(200); // alice is still repeating CLOSE to bob
  carol.runner.call('alice');
  await h.advance(1200);
  await closing;
  expect(alice.incoming()).toBe(0);
  expect(alice.media).toHaveLength(1);
  expect(carol.ended()).toEqual(['rejected']);
  expect(carol.runner.state).toBe('idle');
  expect(bob.ended()).toEqual(['remote-hangup']);
});

test('the dropped count is per call: datagrams dropped in one call are not counted in the next', async () => {
  h = createHarness();
  const alice = h.add('alice');
  h.add('bob', { onNotice: autoAccept });
  alice.runner.call('bob');
  await h.advance(20);
  const mallory = h.network.bind(6000, '127.0.0.9');
  mallory.send(new Uint8Array(1024).fill(1), alice.address);
  mallory.send(new Uint8Array(1024).fill(1), alice.address);
  await h.advance(5);
  expect(alice.audio.stats()?.packetsDropped).toBe(2);
  alice.runner.hangup();
  await h.advance(2000);
  alice.runner.call('bob');
  await h.advance(20);
  expect(alice.runner.state).toBe('in-call');
  expect(alice.audio.stats()?.packetsDropped).toBe(0);
  await mallory.close();
});
