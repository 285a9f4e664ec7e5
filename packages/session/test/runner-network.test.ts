// Tests of two call runners when repeats of an earlier call are in flight, and on a lossy, duplicating and reordering network.
import { afterEach, describe, expect, test } from 'vitest';
import { encodeClassicSignal } from '@voip/protocol';
import { autoAccept, createHarness, type Harness } from './support/runner-harness.js';

let h: Harness;

afterEach(async () => {
  await h.close();
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
