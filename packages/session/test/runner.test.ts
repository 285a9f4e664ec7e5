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

describe('calling again at once while the old CLOSE repeats are in flight', () => {
  test('the callee hung up; the caller calls back at once: the new call connects and is not ended', async () => {
    h = createHarness();
    const alice = h.add('alice');
    const bob = h.add('bob', { onNotice: autoAccept });
    alice.runner.call('bob');
    await h.advance(20);
    expect(bob.runner.state).toBe('in-call');

    bob.runner.hangup();
    await h.advance(2);
    expect(alice.ended()).toEqual(['remote-hangup']);
    const placedAt = h.clock.now();
    const droppedBefore = alice.audio.droppedDatagrams;
    alice.runner.call('bob');
    await h.advance(5);
    expect(alice.runner.state).toBe('calling');

    await h.advance(3000);
    const bobAddress = (s: (typeof h.signals)[number]): boolean => s.from.port === bob.address.port;
    const lateCloses = h.signals.filter((s) => s.type === 'CLOSE' && bobAddress(s) && s.at > placedAt);
    expect(lateCloses.length).toBeGreaterThanOrEqual(5);
    expect(alice.audio.droppedDatagrams - droppedBefore).toBeGreaterThanOrEqual(lateCloses.length);
    expect(alice.runner.state).toBe('in-call');
    expect(bob.runner.state).toBe('in-call');
    expect(alice.ended()).toEqual(['remote-hangup']);
    expect(bob.ended()).toEqual(['hangup']);
    expect(bob.incoming()).toBe(2);
    expect(alice.notices.filter((n) => n.name === 'connected')).toHaveLength(2);

    // The new call still ends normally once the window is over.
    bob.runner.hangup();
    await h.advance(20);
    expect(alice.ended()).toEqual(['remote-hangup', 'remote-hangup']);
    expect(alice.runner.state).toBe('idle');
  });

  test('a CLOSE held up past the linger window reaches the caller while calling: ignored, the call connects', async () => {
    h = createHarness();
    const alice = h.add('alice');
    let answer = true;
    const bob = h.add('bob', { onNotice: (n, p) => answer && autoAccept(n, p) });
    alice.runner.call('bob');
    await h.advance(20);
    let closes = 0;
    h.fault((_f, signal) => (signal === 'CLOSE' && closes++ > 0 ? { delayMs: 2000 } : 'deliver'));
    bob.runner.hangup();
    await h.advance(1700);
    expect(alice.ended()).toEqual(['remote-hangup']);
    expect(alice.runner.state).toBe('idle');

    answer = false;
    alice.runner.call('bob');
    await h.advance(300); // the held-up repeats arrive from about now on, for about a second
    expect(bob.runner.state).toBe('ringing');
    await h.advance(1000);
    expect(alice.runner.state).toBe('calling');
    bob.runner.accept();
    await h.advance(1000);
    expect(alice.runner.state).toBe('in-call');
    expect(bob.runner.state).toBe('in-call');
    expect(alice.ended()).toEqual(['remote-hangup']);
  });

  test('a delayed CLOSE of a cancelled attempt, arriving in the next call with that peer, does not end it', async () => {
    h = createHarness();
    const alice = h.add('alice', { onNotice: autoAccept });
    const bob = h.add('bob');
    let closes = 0;
    // The first CLOSE arrives at once; the repeats are held up in the network.
    h.fault((_f, signal) => (signal === 'CLOSE' && closes++ > 0 ? { delayMs: 400 } : 'deliver'));
    alice.runner.call('bob');
    await h.advance(20);
    expect(bob.runner.state).toBe('ringing');
    alice.runner.hangup();
    await h.advance(200);
    expect(bob.ended()).toEqual(['cancelled']);
    expect(closes).toBe(2);

    bob.runner.call('alice');
    await h.advance(20);
    expect(bob.runner.state).toBe('in-call');
    await h.advance(400); // the held-up CLOSE arrives during the new call
    await h.advance(2000);
    expect(bob.runner.state).toBe('in-call');
    expect(alice.runner.state).toBe('in-call');
    expect(bob.ended()).toEqual(['cancelled']);
    expect(alice.ended()).toEqual(['cancelled']);
  });
});

describe('lossy, duplicating and reordering network', () => {
  test('the first 3 ACCEPTs are lost: the caller connects on a repeat', async () => {
    h = createHarness();
    let dropped = 0;
    h.fault((_f, signal) => (signal === 'ACCEPT' && dropped++ < 3 ? 'drop' : 'deliver'));
    const alice = h.add('alice');
    h.add('bob', { onNotice: autoAccept, audio: false });
    alice.runner.call('bob');
    await h.advance(200);
    expect(alice.runner.state).toBe('calling');
    await h.advance(400);
    expect(alice.runner.state).toBe('in-call');
    expect(alice.notices.filter((n) => n.name === 'connected')).toHaveLength(1);
  });

  test('every ACCEPT lost: the callee audio counts as the answer', async () => {
    h = createHarness();
    h.fault((_f, signal) => (signal === 'ACCEPT' ? 'drop' : 'deliver'));
    const alice = h.add('alice');
    h.add('bob', { onNotice: autoAccept });
    alice.runner.call('bob');
    await h.advance(200);
    expect(alice.runner.state).toBe('in-call');
  });

  test('every START duplicated: one incoming call, one look-up', async () => {
    h = createHarness();
    h.fault((_f, signal) => (signal === 'START' ? 'duplicate' : 'deliver'));
    const alice = h.add('alice', { ringTimeoutMs: 2000 });
    const bob = h.add('bob');
    alice.runner.call('bob');
    await h.advance(1500);
    expect(bob.incoming()).toBe(1);
    bob.runner.accept();
    await h.advance(10);
    expect(alice.runner.state).toBe('in-call');
    expect(alice.notices.filter((n) => n.name === 'connected')).toHaveLength(1);
  });

  test('CLOSE lost except the last repeat: the call still ends on both sides', async () => {
    h = createHarness();
    let closes = 0;
    h.fault((_f, signal) => (signal === 'CLOSE' && ++closes < 7 ? 'drop' : 'deliver'));
    const alice = h.add('alice');
    const bob = h.add('bob', { onNotice: autoAccept, audio: false });
    alice.runner.call('bob');
    await h.advance(20);
    alice.runner.hangup();
    await h.advance(500);
    expect(bob.runner.state).toBe('in-call');
    await h.advance(1000);
    expect(bob.ended()).toEqual(['remote-hangup']);
  });

  test('reordered signalling: a delayed first START arriving during the call changes nothing', async () => {
    h = createHarness();
    let first = true;
    h.fault((_f, signal) => {
      if (signal === 'START' && first) {
        first = false;
        return { delayMs: 400 };
      }
      return 'deliver';
    });
    const alice = h.add('alice');
    const bob = h.add('bob', { onNotice: autoAccept });
    alice.runner.call('bob');
    await h.advance(1000);
    expect(bob.incoming()).toBe(1);
    expect(alice.runner.state).toBe('in-call');
    expect(bob.runner.state).toBe('in-call');
  });

  test('a START arriving just after the call ended does not ring again', async () => {
    h = createHarness();
    const alice = h.add('alice');
    const bob = h.add('bob', { onNotice: autoAccept });
    alice.runner.call('bob');
    await h.advance(20);
    alice.runner.hangup();
    await h.advance(5);
    expect(bob.runner.state).toBe('idle');
    // A late repeat of alice's START, delayed in the network.
    alice.transport.send(encodeClassicSignal({ type: 'START', caller: 'alice' }), bob.address);
    await h.advance(10);
    expect(bob.incoming()).toBe(1);
    expect(bob.runner.state).toBe('idle');
  });
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
