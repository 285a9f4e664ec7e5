import { describe, expect, it } from 'vitest';
import { bytes, setup } from '../test/support/connection-harness.js';

describe('ConnectionHandler', () => {
  it.each([
    ['garbage', 'hello'],
    ['a JSON array', '[1,2]\n'],
    ['a JSON string', '"REG"\n'],
    ['broken JSON', '{"command":}'],
  ])('answers %s with Error and closes, after earlier requests', async (_label, text) => {
    const { connect } = setup();
    const c = connect();
    const replies = await c.request(`{"command":"FLY"}${text}{"command":"LIST"}`);
    expect(replies[0]).toEqual({ ack: 'Error', reason: 'unknown command' });
    expect(replies[1]).toMatchObject({ ack: 'Error' });
    expect(replies).toHaveLength(2);
    expect(c.effects.at(-1)).toMatchObject({ type: 'close', reason: 'bad-input' });
  });

  it('closes on a frame over 64 KiB and pauses reading meanwhile', async () => {
    const { connect } = setup();
    const c = connect();
    c.handler.receive(bytes(`{"command":"REG","name":"${'a'.repeat(70_000)}"}`));
    await c.handler.idle();
    expect(c.effects.map((e) => e.type)).toEqual(['pause-reading', 'resume-reading', 'send', 'refused', 'close']);
    expect(c.effects.at(-1)).toMatchObject({ type: 'close', detail: 'frame-too-large' });
  });

  it('takes bytes split anywhere', async () => {
    const { connect } = setup();
    const c = connect();
    for (const ch of '{"command":"REG",\n"name":"a \\"b"}{"command":"REG","name":"ab"}') c.handler.receive(bytes(ch));
    await c.handler.idle();
    expect(c.sent()).toEqual([{ ack: 'Error Registering', reason: expect.any(String) }, { ack: 'Registered successfully' }]);
  });

  it('removes the name when the connection ends, even mid-request', async () => {
    const { connect, registry } = setup();
    const a = connect();
    a.handler.receive(bytes('{"command":"REG","name":"alice"}'));
    await a.handler.end();
    expect(await registry.list()).toEqual([]);
  });

  it('merges pushes while the connection cannot take output, and waits to process', async () => {
    const { connect, service } = setup();
    const w = connect();
    await w.request('{"command":"REG","name":"w"}{"command":"WATCH"}');
    w.handler.setWritable(false);
    const before = w.sent().length;
    for (const n of ['a', 'b', 'c']) await connect().request(`{"command":"REG","name":"${n}"}`);
    await service.settled();
    w.handler.receive(bytes('{"command":"LIST"}'));
    await Promise.resolve();
    expect(w.sent().length).toBe(before);
    w.handler.setWritable(true);
    await w.handler.idle();
    const after = w.sent().slice(before);
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({ event: 'presence' });
    expect((after[0] as { users: unknown[] }).users).toHaveLength(4);
    expect(after[1]).toMatchObject({ users: expect.any(Array) });
  });

  it('makes requests over the rate wait for tokens', async () => {
    const { connect, clock } = setup({ rateLimit: 2 });
    const c = connect();
    c.handler.receive(bytes('{"command":"X"}'.repeat(6)));
    await new Promise((r) => setTimeout(r, 10));
    expect(c.sent()).toHaveLength(4);
    clock.advance(500);
    await new Promise((r) => setTimeout(r, 10));
    expect(c.sent()).toHaveLength(5);
    clock.advance(500);
    await c.handler.idle();
    expect(c.sent()).toHaveLength(6);
  });

  it('closes a connection that stays without a name and without requests', async () => {
    const { connect, clock } = setup({ idleTimeoutMs: 1000 });
    const idle = connect();
    const busy = connect();
    const named = connect();
    await named.request('{"command":"REG","name":"n"}');
    clock.advance(600);
    await busy.request('{"command":"X"}');
    clock.advance(600);
    expect(idle.effects.at(-1)).toEqual({ type: 'close', reason: 'idle-timeout' });
    expect(busy.effects.some((e) => e.type === 'close')).toBe(false);
    clock.advance(10_000);
    expect(busy.effects.at(-1)).toEqual({ type: 'close', reason: 'idle-timeout' });
    expect(named.effects.some((e) => e.type === 'close')).toBe(false);
  });

  it('drops a connection that keeps sending requests without a name', async () => {
    const { connect } = setup({ maxRequestsWithoutName: 5 });
    const c = connect();
    const replies = await c.request('{"command":"LIST"}'.repeat(8));
    expect(replies).toHaveLength(6);
    expect(replies.at(-1)).toEqual({ ack: 'Error', reason: 'too many requests without a name' });
    expect(c.effects.at(-1)).toEqual({ type: 'close', reason: 'abuse' });
    const named = connect();
    const ok = await named.request('{"command":"REG","name":"n"}' + '{"command":"LIST"}'.repeat(10));
    expect(ok).toHaveLength(11);
    expect(named.effects.some((e) => e.type === 'close')).toBe(false);
  });

  it('logs only the first refusals of a connection', async () => {
    const { connect } = setup();
    const c = connect();
    await c.request('{"command":"X"}'.repeat(10));
    const refused = c.effects.filter((e) => e.type === 'refused');
    expect(refused).toHaveLength(4);
    expect(refused[3]).toMatchObject({ reason: expect.stringContaining('not logged') });
  });
});
