// Closing a runner during a v2 call: BYE goes out and is resent, but closing waits for its acknowledgement at most CLOSE_BYE_WAIT_MS.
import { afterEach, describe, expect, test } from 'vitest';
import { CLOSE_BYE_WAIT_MS } from '../src/call-runner.js';
import { autoAccept, createHarness, type Harness } from './support/runner-harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('closing during a v2 call', () => {
  test('a peer that answers: closing ends once the BYE is acknowledged, well before the bound', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2 });
    const bob = h.add('bob', { v: 2, onNotice: autoAccept });
    alice.runner.call('bob');
    await h.advance(100);
    expect(alice.runner.state).toBe('in-call');
    let closed = false;
    void alice.runner.close().then(() => (closed = true));
    await h.advance(50);
    expect(closed).toBe(true);
    expect(bob.ended()).toEqual(['remote-hangup']);
  });

  test('a peer that is gone: BYE is resent, and closing ends after CLOSE_BYE_WAIT_MS, not the 8 s transaction timeout', async () => {
    h = createHarness();
    const alice = h.add('alice', { v: 2 });
    const bob = h.add('bob', { v: 2, onNotice: autoAccept, silenceTimeoutMs: 60_000 });
    alice.runner.call('bob');
    await h.advance(100);
    expect(alice.runner.state).toBe('in-call');
    // From now on nothing reaches alice: bob's acknowledgements are lost.
    h.fault((flight) => (flight.to.port === alice.address.port ? 'drop' : 'deliver'));
    const sentBefore = h.network.sent.filter((f) => f.from.port === alice.address.port).length;
    let closed = false;
    void alice.runner.close().then(() => (closed = true));
    await h.advance(CLOSE_BYE_WAIT_MS - 50);
    expect(closed).toBe(false);
    await h.advance(100);
    expect(closed).toBe(true);
    expect(alice.ended()).toEqual(['hangup']);
    // BYE and its resends (bob, who got them, ended the call).
    expect(h.network.sent.filter((f) => f.from.port === alice.address.port).length).toBeGreaterThan(sentBefore + 3);
    expect(bob.ended()).toEqual(['remote-hangup']);
  });
});
