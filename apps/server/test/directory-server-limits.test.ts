import { afterEach, describe, expect, it } from 'vitest';
import { startDirectoryServer, type DirectoryServer } from '../src/server.js';
import { eventually, openClient, type TestClient } from './support/tcp-client.js';
import { createManualClock } from '@voip/clock';

describe('directory server limits', () => {
  let server: DirectoryServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await server?.close();
    server = undefined;
  });

  async function client(localAddress?: string) {
    const c = await openClient(server!.address.port, localAddress);
    clients.push(c);
    return c;
  }

  it('makes requests over the rate limit wait, answering all in order', async () => {
    const clock = createManualClock();
    server = await startDirectoryServer({ port: 0, rateLimit: 10, clock });
    const c = await client();
    c.send(`{"command":"REG","name":"r"}${'{"command":"LIST"}'.repeat(24)}`);
    const first = await Promise.all(Array.from({ length: 20 }, () => c.next()));
    expect(first).toHaveLength(20);
    await new Promise((r) => setTimeout(r, 150));
    expect(c.queued).toBe(0);
    clock.advance(500);
    const rest = await Promise.all(Array.from({ length: 5 }, () => c.next()));
    expect(rest).toEqual(Array(5).fill({ users: [{ name: 'r', ip: '127.0.0.1', port: 5001 }] }));
    expect(c.isClosed).toBe(false);
  });

  it('caps connections per source IP without touching other addresses', async () => {
    server = await startDirectoryServer({ port: 0, maxConnsPerIp: 3 });
    const three = await Promise.all([client('127.0.0.2'), client('127.0.0.2'), client('127.0.0.2')]);
    await eventually(() => server!.connectionCount === 3);
    const fourth = await client('127.0.0.2');
    expect(await fourth.next()).toEqual({ ack: 'Error', reason: 'too many connections from 127.0.0.2' });
    await fourth.closed;
    const elsewhere = await client('127.0.0.1');
    expect(await elsewhere.request({ command: 'REG', name: 'ok' })).toEqual({ ack: 'Registered successfully' });
    await three[0]!.end();
    await eventually(() => server!.connectionCount === 3);
    const again = await client('127.0.0.2');
    expect(await again.request({ command: 'REG', name: 'again' })).toEqual({ ack: 'Registered successfully' });
  });

  it('closes connections that stay without a name, not registered ones', async () => {
    server = await startDirectoryServer({ port: 0, idleTimeoutMs: 200 });
    const idle = await client();
    const named = await client();
    expect(await named.request({ command: 'REG', name: 'named' })).toEqual({ ack: 'Registered successfully' });
    await idle.closed;
    await new Promise((r) => setTimeout(r, 300));
    expect(named.isClosed).toBe(false);
    expect(await named.request({ command: 'LIST' })).toMatchObject({ users: [{ name: 'named' }] });
  });

  it('drops a connection that floods requests without a name, and nobody else', async () => {
    server = await startDirectoryServer({ port: 0, rateLimit: 0 });
    const bob = await client();
    expect(await bob.request({ command: 'REG', name: 'bob' })).toEqual({ ack: 'Registered successfully' });
    const flood = await client();
    flood.send('{"command":"GET","name":"bob"}'.repeat(500));
    await flood.closed;
    const replies: Record<string, unknown>[] = [];
    for (;;) {
      try {
        replies.push(await flood.next(100));
      } catch {
        break;
      }
    }
    expect(replies).toHaveLength(21);
    expect(replies.at(-1)).toEqual({ ack: 'Error', reason: 'too many requests without a name' });
    expect(await bob.request({ command: 'GET', name: 'bob' })).toEqual({ ip: '127.0.0.1', port: 5001 });
  });

  it('drops a silent client that announced the keep-alive, never a classic or version 1 one', async () => {
    const clock = createManualClock();
    server = await startDirectoryServer({ port: 0, clock, silenceLimitMs: 30_000 });
    const reasons = new Map<string, string>();
    server.events.on((e) => {
      if (e.type === 'disconnected') reasons.set(e.connection, e.reason);
    });
    const [silent, pinging, classic, one, watcher] = await Promise.all([client(), client(), client(), client(), client()]);
    expect(await silent.request({ command: 'REG', name: 'silent', v: 2 })).toEqual({ ack: 'Registered successfully', v: 2 });
    expect(await pinging.request({ command: 'REG', name: 'pinging', v: 2 })).toEqual({ ack: 'Registered successfully', v: 2 });
    expect(await classic.request({ command: 'REG', name: 'classic' })).toEqual({ ack: 'Registered successfully' });
    expect(await one.request({ command: 'REG', name: 'one', v: 1 })).toEqual({ ack: 'Registered successfully', v: 2 });
    expect(await watcher.request({ command: 'REG', name: 'watcher' })).toEqual({ ack: 'Registered successfully' });
    expect(await watcher.request({ command: 'WATCH' })).toMatchObject({ event: 'presence' });
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      expect(await pinging.request({ command: 'PING' })).toEqual({ ack: 'PONG' });
    }
    await silent.closed;
    await eventually(() => reasons.size === 1);
    expect([...reasons.values()]).toEqual(['silent']);
    const push = await watcher.next();
    expect((push['users'] as { name: string }[]).map((u) => u.name)).toEqual(['classic', 'one', 'pinging', 'watcher']);
    clock.advance(3_600_000);
    await new Promise((r) => setTimeout(r, 100));
    // The pinging client stopped pinging an hour ago: it is gone too; the others stay however quiet.
    await pinging.closed;
    expect([classic, one, watcher].map((c) => c.isClosed)).toEqual([false, false, false]);
    expect(await classic.request({ command: 'LIST' })).toEqual({
      users: [expect.objectContaining({ name: 'classic' }), expect.objectContaining({ name: 'one' }), expect.objectContaining({ name: 'watcher' })],
    });
  });

  it('closes a connection whose replies wait unread past the write timeout, and nobody who reads', async () => {
    server = await startDirectoryServer({ port: 0, rateLimit: 0, writeTimeoutMs: 1000 });
    const reasons: string[] = [];
    server.events.on((e) => {
      if (e.type === 'disconnected') reasons.push(e.reason);
    });
    // Enough users that a few thousand LIST replies overflow every socket buffer on the way.
    const users = await Promise.all(Array.from({ length: 50 }, () => client()));
    const acks = await Promise.all(users.map((c, i) => c.request({ command: 'REG', name: `user-${String(i).padStart(26, '0')}` })));
    expect(acks).toEqual(Array(50).fill({ ack: 'Registered successfully' }));
    const reader = users[0]!;
    const stuck = await client();
    expect(await stuck.request({ command: 'REG', name: 'stuck' })).toEqual({ ack: 'Registered successfully' });
    stuck.socket.pause();
    stuck.send('{"command":"LIST"}'.repeat(5000));
    await eventually(() => reasons.length > 0, 20_000);
    expect(reasons).toEqual(['slow-consumer']);
    await eventually(async () => ((await reader.request({ command: 'LIST' }))['users'] as unknown[]).length === 50, 5000);
    expect(users.every((c) => !c.isClosed)).toBe(true);
  }, 30_000);

  it('answers Error when the port is in use', async () => {
    server = await startDirectoryServer({ port: 0 });
    await expect(startDirectoryServer({ port: server.address.port })).rejects.toMatchObject({ name: 'ServerStartError', code: 'port-in-use' });
  });
});
