// v2 calls between runners on the in-memory network: set-up despite loss and reordering, glare, busy, cancel, bye, a man in the middle, spoofs and replays.
import { afterEach, describe, expect, test } from 'vitest';
import { classifyV2Datagram } from '@voip/protocol/v2';
import { seededRandom } from './support/v2-fixtures.js';
import { autoAccept, createHarness, type Harness, type TestPhone } from './support/runner-harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const connected = (p: TestPhone) => p.notices.find((n) => n.name === 'connected') as { protocol?: string; sas?: string } | undefined;

describe('v2 calls over the in-memory network', () => {
  test('two v2 phones get a v2 call: the same SAS on both sides, the media told the keys; bye ends both', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2 });
    const bob = h.add('bob', { v: 2, onNotice: autoAccept });
    alice.runner.call('bob');
    await h.advance(100);
    expect(alice.runner.state).toBe('in-call');
    expect(bob.runner.state).toBe('in-call');
    expect(connected(alice)).toMatchObject({ protocol: 'v2', secure: true, sas: connected(bob)!.sas });
    expect(alice.media[0]!.v2!.sendKey).toEqual(bob.media[0]!.v2!.receiveKey);
    await h.advance(200);
    expect(bob.media[0]!.received.length).toBeGreaterThan(0);
    expect(h.network.sent.every((f) => f.bytes.length !== 1024)).toBe(true);
    alice.runner.hangup();
    await h.advance(50);
    expect(alice.ended()).toEqual(['hangup']);
    expect(bob.ended()).toEqual(['remote-hangup']);
  });

  test('20% loss each way and reordering: every one of 30 calls sets up', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2 });
    const bob = h.add('bob', { v: 2, onNotice: autoAccept, silenceTimeoutMs: 60_000 });
    const random = seededRandom('loss');
    h.fault(() => {
      const [a, b] = random(2);
      if (a! < 51) return 'drop'; // 51/256: 20%
      return b! < 64 ? { delayMs: b! % 40 } : 'deliver';
    });
    for (let i = 0; i < 30; i++) {
      alice.runner.call('bob');
      for (let t = 0; t < 100 && !(alice.runner.state === 'in-call' && bob.runner.state === 'in-call'); t++) await h.advance(100);
      expect([alice.runner.state, bob.runner.state, i]).toEqual(['in-call', 'in-call', i]);
      alice.runner.hangup();
      for (let t = 0; t < 100 && bob.runner.state !== 'idle'; t++) await h.advance(100);
      expect(bob.runner.state).toBe('idle');
      await h.advance(50);
    }
    const aliceConnected = alice.notices.filter((n) => n.name === 'connected');
    expect(aliceConnected).toHaveLength(30);
    expect(alice.ended().every((r) => r === 'hangup')).toBe(true);
  }, 60_000);

  test('glare: both call each other at once and get one call', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2 });
    const bob = h.add('bob', { v: 2 });
    alice.runner.call('bob');
    bob.runner.call('alice');
    await h.advance(200);
    expect([alice.runner.state, bob.runner.state]).toEqual(['in-call', 'in-call']);
    expect(connected(alice)!.sas).toBe(connected(bob)!.sas);
    expect([...alice.ended(), ...bob.ended()]).toEqual([]);
    expect(alice.incoming() + bob.incoming()).toBe(0);
  });

  test('busy: a third caller gets BUSY at once, the call goes on', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2 });
    const bob = h.add('bob', { v: 2, onNotice: autoAccept });
    const carol = h.add('carol', { v: 2 });
    alice.runner.call('bob');
    await h.advance(100);
    carol.runner.call('bob');
    await h.advance(20);
    expect(carol.notices).toContainEqual(expect.objectContaining({ name: 'ended', reason: 'rejected', detail: 'busy' }));
    expect(bob.runner.state).toBe('in-call');
  });

  test('cancel: the caller hangs up while the callee rings', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2 });
    const bob = h.add('bob', { v: 2 });
    alice.runner.call('bob');
    await h.advance(50);
    expect(bob.runner.state).toBe('ringing');
    alice.runner.hangup();
    await h.advance(20);
    expect(alice.ended()).toEqual(['cancelled']);
    expect(bob.ended()).toEqual(['cancelled']);
  });

  test('a man in the middle who runs its own key exchange with each side: both calls connect, the two SAS differ', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2, lookup: (name) => (name === 'bob' ? { name, ip: '127.0.0.1', port: 6001, v: 2 } : null) });
    const bob = h.add('bob', { v: 2, onNotice: autoAccept, lookup: (name) => (name === 'alice' ? { name, ip: '127.0.0.1', port: 6002, v: 2 } : null) });
    // Mallory's two phones: "bob" at 6001 faces Alice, "alice" at 6002 faces Bob; each runs its own key exchange.
    const relay: { facingAlice?: TestPhone } = {};
    const facingBob = h.add('alice', {
      v: 2,
      port: 6002,
      lookup: () => ({ name: 'bob', ip: bob.address.address, port: bob.address.port, v: 2 }),
      onNotice: (notice) => {
        if (notice.name === 'connected') relay.facingAlice!.runner.accept();
      },
    });
    relay.facingAlice = h.add('bob', {
      v: 2,
      port: 6001,
      lookup: () => ({ name: 'alice', ip: alice.address.address, port: alice.address.port, v: 2 }),
      onNotice: (notice) => {
        if (notice.name === 'incoming') facingBob.runner.call('bob');
      },
    });
    alice.runner.call('bob');
    await h.advance(300);
    expect(bob.runner.state).toBe('in-call');
    expect(facingBob.runner.state).toBe('in-call');
    expect(alice.runner.state).toBe('in-call');
    expect(connected(alice)!.sas).toBe(connected(relay.facingAlice)!.sas);
    expect(connected(bob)!.sas).toBe(connected(facingBob)!.sas);
    expect(connected(alice)!.sas).not.toBe(connected(bob)!.sas);
  });

  test('spoofed datagrams (a third-party source) and replays are counted and neither end nor change the call', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2 });
    const bob = h.add('bob', { v: 2, onNotice: autoAccept });
    alice.runner.call('bob');
    await h.advance(100);
    const captured = h.network.sent.filter((f) => f.from.port === alice.address.port && classifyV2Datagram(f.bytes) === 'signal').map((f) => f.bytes);
    const spoofer = h.network.bind(7000, '127.0.0.9');
    for (const bytes of captured) spoofer.send(bytes, bob.address);
    for (const bytes of captured) alice.transport.send(bytes, bob.address); // replays from the peer's own address
    await h.advance(50);
    const stats = bob.audio.stats()!;
    expect(stats.packetsRejected).toBeGreaterThanOrEqual(captured.length);
    expect(stats.packetsReplayed).toBeGreaterThanOrEqual(captured.length - 1);
    expect(bob.runner.state).toBe('in-call');
    expect(bob.ended()).toEqual([]);
    await h.advance(2000);
    expect(bob.runner.state).toBe('in-call');
  });
});

describe('v2 calls with the real secure media', () => {
  test('a peer that goes silent is hung up on even while a spoofer at its address sends forged and replayed media: only authentic media keeps a call up', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2, realMedia: true });
    const bob = h.add('bob', { v: 2, realMedia: true, onNotice: autoAccept, silenceTimeoutMs: 3000 });
    alice.runner.call('bob');
    await h.advance(1000);
    expect([alice.runner.state, bob.runner.state]).toEqual(['in-call', 'in-call']);
    const captured = h.network.sent.filter((f) => f.from.port === alice.address.port && classifyV2Datagram(f.bytes) === 'media').map((f) => f.bytes);
    expect(captured.length).toBeGreaterThan(30);
    expect(bob.audio.stats()).toMatchObject({ packetsRejected: 0, packetsReplayed: 0 });

    // Alice's host goes dead: nothing she sends arrives any more, but datagrams forged with her address do.
    let spoofing = false;
    h.fault((flight) => (flight.from.port === alice.address.port && !spoofing ? 'drop' : 'deliver'));
    const spoof = (bytes: Uint8Array): void => {
      spoofing = true;
      alice.transport.send(bytes, bob.address);
      spoofing = false;
    };
    let sent = 0;
    for (let t = 0; t < 3500 && bob.runner.state === 'in-call'; t += 20) {
      const original = captured[sent % captured.length]!;
      const forged = Uint8Array.from(original);
      forged[20]! ^= 0x01;
      spoof(forged);
      spoof(original); // a replay
      sent++;
      await h.advance(20);
    }
    expect(bob.ended()).toEqual(['peer-silent']);
    const summary = bob.audio.takeSummary()!;
    expect(summary.durationMs, 'ended by the silence timeout after alice went dead').toBeGreaterThanOrEqual(1000 + 3000 - 100);
    expect(summary.durationMs).toBeLessThanOrEqual(1000 + 3000 + 100);
    expect(summary.stats.packetsRejected, 'each forgery counted').toBeGreaterThanOrEqual(sent - 1);
    expect(summary.stats.packetsReplayed, 'each replay counted').toBeGreaterThanOrEqual(sent - 1);
    h.fault(undefined); // alice's host is back: bob's BYE, retransmitted at most 1.6 s apart, gets its ACK before the phones close
    await h.advance(2000);
  });
});

describe('v2 and classic on one phone', () => {
  test('a v2 phone calling a classic one gets a classic call; a classic START during a v2 call is answered REJECT', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2 });
    const classic = h.add('carol', { secure: 'off', onNotice: autoAccept });
    const bob = h.add('bob', { v: 2, onNotice: autoAccept });
    alice.runner.call('carol');
    await h.advance(400);
    expect(connected(alice)).toEqual({ name: 'connected', peer: 'carol' });
    alice.runner.hangup();
    await h.advance(2000);
    alice.runner.call('bob');
    await h.advance(100);
    classic.runner.call('bob');
    await h.advance(100);
    expect(classic.ended()).toEqual(['remote-hangup', 'rejected']);
    expect(bob.runner.state).toBe('in-call');
  });

  test("secure 'require' refuses classic calls both ways with not-secure", async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2, secure: 'require' });
    const carol = h.add('carol', { secure: 'off' });
    alice.runner.call('carol');
    await h.advance(50);
    expect(alice.notices).toContainEqual(expect.objectContaining({ name: 'ended', reason: 'not-secure', direction: 'outgoing' }));
    expect(carol.incoming()).toBe(0);
    carol.runner.call('alice');
    await h.advance(500);
    expect(carol.ended()).toEqual(['rejected']);
    expect(alice.notices.filter((n) => n.name === 'ended' && n.reason === 'not-secure' && n.direction === 'incoming')).toHaveLength(1);
    expect(alice.incoming()).toBe(0);
  });
});
