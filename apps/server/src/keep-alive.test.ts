import { describe, expect, it } from 'vitest';
import { bytes, setup } from '../test/support/connection-harness.js';

const LIMIT = 30_000;
const closes = (effects: readonly { type: string }[]) => effects.filter((e) => e.type === 'close');

describe('the keep-alive silence limit of a connection', () => {
  it('closes a client that announced the keep-alive after the limit without a byte, and removes its name', async () => {
    const { connect, clock, registry } = setup({ silenceLimitMs: LIMIT });
    const c = connect();
    expect(await c.request('{"command":"REG","name":"v2","v":2}{"command":"WATCH"}')).toHaveLength(2);
    clock.advance(LIMIT - 1);
    expect(closes(c.effects)).toEqual([]);
    clock.advance(1);
    expect(closes(c.effects)).toEqual([{ type: 'close', reason: 'silent' }]);
    await c.handler.end();
    expect(await registry.list()).toEqual([]);
  });

  it('keeps a client that PINGs when quiet, however long, and counts any byte as life', async () => {
    const { connect, clock } = setup({ silenceLimitMs: LIMIT });
    const c = connect();
    await c.request('{"command":"REG","name":"v2","v":3}');
    for (let i = 0; i < 30; i++) {
      clock.advance(10_000);
      expect(await c.request('{"command":"PING"}')).toEqual([{ ack: 'PONG' }]);
    }
    // Half a request is a byte too: the client is talking.
    clock.advance(20_000);
    c.handler.receive(bytes('{"command":'));
    clock.advance(20_000);
    expect(closes(c.effects)).toEqual([]);
    clock.advance(10_000);
    expect(closes(c.effects)).toEqual([{ type: 'close', reason: 'silent' }]);
  });

  it.each([
    ['a classic client (no v)', '{"command":"REG","name":"old"}'],
    ['a client of version 1', '{"command":"REG","name":"one","v":1}'],
    ['a v2 client whose REG failed', '{"command":"REG","name":"","v":2}'],
  ])('never drops %s for silence', async (_label, reg) => {
    const { connect, clock } = setup({ silenceLimitMs: LIMIT });
    const c = connect();
    await c.request(`${reg}{"command":"WATCH"}`);
    clock.advance(3_600_000);
    expect(closes(c.effects)).toEqual([]);
  });

  it('does not count silence while it does not read from the client', async () => {
    const { connect, clock } = setup({ silenceLimitMs: LIMIT, rateLimit: 10, maxInboxBytes: 64 });
    const c = connect();
    await c.request('{"command":"REG","name":"v2","v":2}');
    // Far more than the inbox holds, paced at 10/s: reading pauses for about 90 s until the backlog shrinks.
    c.handler.receive(bytes('{"command":"PING"}'.repeat(1000)));
    await new Promise((r) => setTimeout(r, 10));
    expect(c.effects.some((e) => e.type === 'pause-reading')).toBe(true);
    for (let i = 0; i < 300 && !c.effects.some((e) => e.type === 'resume-reading'); i++) {
      clock.advance(1000);
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(c.effects.some((e) => e.type === 'resume-reading')).toBe(true);
    expect(clock.now()).toBeGreaterThan(2 * LIMIT);
    expect(closes(c.effects)).toEqual([]);
    // Reading again: silence counts from now.
    clock.advance(LIMIT - 1);
    expect(closes(c.effects)).toEqual([]);
    clock.advance(1);
    expect(closes(c.effects)).toEqual([{ type: 'close', reason: 'silent' }]);
  });

  it('is off with a limit of 0', async () => {
    const { connect, clock } = setup({ silenceLimitMs: 0 });
    const c = connect();
    await c.request('{"command":"REG","name":"v2","v":2}');
    clock.advance(3_600_000);
    expect(closes(c.effects)).toEqual([]);
  });

  it('says once that the connection took a name', async () => {
    const { connect } = setup();
    const c = connect();
    await c.request('{"command":"PING"}{"command":"REG","name":"x"}{"command":"LIST"}{"command":"REG","name":"y"}');
    expect(c.effects.filter((e) => e.type === 'named')).toHaveLength(1);
    const nameless = connect();
    await nameless.request('{"command":"REG","name":"x"}');
    expect(nameless.effects.filter((e) => e.type === 'named')).toHaveLength(0);
  });
});
