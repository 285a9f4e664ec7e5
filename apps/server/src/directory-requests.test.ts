import { describe, expect, it } from 'vitest';
import { createManualClock } from '@voip/clock';
import { createMemoryRegistry } from '@voip/registry';
import { bytes, setup } from '../test/support/connection-harness.js';
import { ConnectionHandler, type ConnectionEffect } from './connection-handler.js';
import { DirectoryService } from './directory-service.js';
import { ServerEvents } from './events.js';

describe('ConnectionHandler: the answers to directory requests', () => {
  it('registers, looks up, lists, and keeps request order', async () => {
    const { connect } = setup();
    const bob = connect('10.0.0.2');
    await bob.request('{"command":"REG","name":"bob","port":6000}');
    const alice = connect('10.0.0.1');
    const replies = await alice.request('{"command":"REG","name":"alice"}{"cmd":"GET","name":"BOB"}\n{"command":"LIST"}{"command":"GET","name":"carol"}');
    expect(replies).toEqual([
      { ack: 'Registered successfully' },
      { ip: '10.0.0.2', port: 6000 },
      {
        users: [
          { name: 'alice', ip: '10.0.0.1', port: 5001 },
          { name: 'bob', ip: '10.0.0.2', port: 6000 },
        ],
      },
      { ip: 'None' },
    ]);
  });

  it('answers a REG that announces a version with the server version, and a classic REG with the classic reply', async () => {
    const { connect } = setup();
    expect(await connect().request('{"command":"REG","name":"alice","v":1}')).toEqual([{ ack: 'Registered successfully', v: 2 }]);
    expect(await connect().request('{"command":"REG","name":"bob","port":6000,"v":2}')).toEqual([{ ack: 'Registered successfully', v: 2 }]);
    const classic = await connect().request('{"command": "REG", "name": "carol"}');
    expect(classic).toEqual([{ ack: 'Registered successfully' }]);
    expect(Object.keys(classic[0] as object)).toEqual(['ack']);
  });

  it('refuses a second name, a taken name in any case, and bad names', async () => {
    const { connect } = setup();
    const a = connect();
    const b = connect();
    expect(await a.request('{"command":"REG","name":"alice"}{"command":"REG","name":"other"}')).toEqual([
      { ack: 'Registered successfully' },
      { ack: 'Error Registering', reason: 'this connection already holds a name' },
    ]);
    const replies = await b.request('{"command":"REG","name":"ALICE"}{"command":"REG","name":" x"}{"command":"REG","name":42}{"command":"REG","name":"b","port":0}');
    expect(replies.map((r) => (r as { ack: string }).ack)).toEqual(Array(4).fill('Error Registering'));
    expect(replies.every((r) => typeof (r as { reason?: unknown }).reason === 'string')).toBe(true);
    expect(b.handler.name).toBeUndefined();
  });

  it('answers GET, LIST and WATCH only after REG, and keeps the connection', async () => {
    const { connect } = setup();
    const c = connect();
    const replies = await c.request('{"command":"GET","name":"x"}{"command":"LIST"}{"command":"WATCH"}');
    expect(replies).toEqual(Array(3).fill({ ack: 'Error', reason: 'register first' }));
    expect(c.effects.some((e) => e.type === 'close')).toBe(false);
  });

  it('answers unknown commands and keeps the connection open', async () => {
    const { connect } = setup();
    const c = connect();
    expect(await c.request('{"command":"FLY"}{"name":"x"}{"command":"GET","name":7}')).toEqual([
      { ack: 'Error', reason: 'unknown command' },
      { ack: 'Error', reason: 'unknown command' },
      { ack: 'Error', reason: '"name" must be a string' },
    ]);
    expect(c.effects.some((e) => e.type === 'close')).toBe(false);
  });

  it('lets only the owner DISCONNECT a name, and removes it before answering', async () => {
    const { connect, registry } = setup();
    const a = connect();
    const b = connect();
    await a.request('{"command":"REG","name":"alice"}');
    await b.request('{"command":"REG","name":"bob"}');
    expect(await b.request('{"command":"DISCONNECT","name":"alice"}')).toEqual([{ ack: 'Error', reason: 'that name belongs to another connection' }]);
    expect(await registry.lookup('alice')).toBeDefined();
    expect(await a.request('{"command":"DISCONNECT","name":"Alice"}{"command":"LIST"}')).toEqual([{ ack: 'Disconnected' }]);
    expect(a.effects.at(-1)).toEqual({ type: 'close', reason: 'disconnect' });
    expect(await registry.lookup('alice')).toBeUndefined();
  });

  it('pushes presence to watchers after every change and stops when they leave', async () => {
    const { connect, service } = setup();
    const w = connect();
    expect(await w.request('{"command":"REG","name":"w"}{"command":"WATCH"}')).toEqual([
      { ack: 'Registered successfully' },
      { event: 'presence', users: [{ name: 'w', ip: '127.0.0.1', port: 5001 }] },
    ]);
    const x = connect('10.0.0.9');
    await x.request('{"command":"REG","name":"x","port":7000}');
    await service.settled();
    expect(w.sent().at(-1)).toEqual({
      event: 'presence',
      users: [
        { name: 'w', ip: '127.0.0.1', port: 5001 },
        { name: 'x', ip: '10.0.0.9', port: 7000 },
      ],
    });
    await x.handler.end();
    await service.settled();
    expect(w.sent().at(-1)).toEqual({ event: 'presence', users: [{ name: 'w', ip: '127.0.0.1', port: 5001 }] });
    await w.handler.end();
    expect(service.watcherCount).toBe(0);
  });

  it('answers Error when storage fails and stores nothing', async () => {
    const { connect, registry } = setup();
    const c = connect();
    registry.failing = true;
    expect(await c.request('{"command":"REG","name":"alice"}')).toEqual([{ ack: 'Error', reason: expect.any(String) }]);
    registry.failing = false;
    expect(await registry.list()).toEqual([]);
    expect(await c.request('{"command":"REG","name":"alice"}')).toEqual([{ ack: 'Registered successfully' }]);
  });

  it('answers WATCH before any push, and a change during the WATCH read still ends with the latest list', async () => {
    const inner = createMemoryRegistry();
    // list() reads at once but answers only when the test says so (a slow disk).
    let hold = false;
    const held: (() => void)[] = [];
    const registry = {
      ...inner,
      register: inner.register,
      lookup: inner.lookup,
      removeByOwner: inner.removeByOwner,
      clear: inner.clear,
      close: inner.close,
      async list() {
        const users = await inner.list();
        if (hold) await new Promise<void>((resolve) => held.push(resolve));
        return users;
      },
    };
    const service = new DirectoryService(registry, new ServerEvents());
    const clock = createManualClock();
    const effects: ConnectionEffect[] = [];
    const handler = (id: string, output: (effect: ConnectionEffect) => void) =>
      new ConnectionHandler({ id, ip: '127.0.0.1', service, clock, output, rateLimit: 0, idleTimeoutMs: 0 });
    const watcher = handler('w', (effect) => effects.push(effect));
    watcher.receive(bytes('{"command":"REG","name":"w"}'));
    await watcher.idle();
    hold = true;
    watcher.receive(bytes('{"command":"WATCH"}'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(held).toHaveLength(1);
    hold = false;
    const other = handler('o', () => {});
    other.receive(bytes('{"command":"REG","name":"o"}'));
    await other.idle();
    await service.settled();
    held.shift()!();
    await watcher.idle();
    await service.settled();
    const sent = effects.filter((e) => e.type === 'send').map((e) => (e as { message: { users?: { name: string }[] } }).message);
    expect(sent[0]).toEqual({ ack: 'Registered successfully' });
    // The WATCH reply comes first, and the last list the watcher holds is the latest one.
    expect(sent[1]).toEqual({ event: 'presence', users: [{ name: 'w', ip: '127.0.0.1', port: 5001 }] });
    expect(sent.at(-1)!.users!.map((u) => u.name)).toEqual(['o', 'w']);
  });

  it("sends a registration's reply before the presence push it causes", async () => {
    const service = new DirectoryService(createMemoryRegistry(), new ServerEvents());
    const clock = createManualClock();
    const order: string[] = [];
    const handler = (id: string) =>
      new ConnectionHandler({
        id,
        ip: '127.0.0.1',
        service,
        clock,
        rateLimit: 0,
        idleTimeoutMs: 0,
        output: (effect) => {
          if (effect.type === 'send') order.push(`${id} ${'event' in effect.message ? 'push' : 'reply'}`);
        },
      });
    const w = handler('w');
    w.receive(bytes('{"command":"REG","name":"w"}{"command":"WATCH"}'));
    await w.idle();
    await service.settled();
    const b = handler('b');
    b.receive(bytes('{"command":"REG","name":"b"}'));
    await b.idle();
    await service.settled();
    expect(order).toEqual(['w reply', 'w push', 'b reply', 'w push']);
  });
});
