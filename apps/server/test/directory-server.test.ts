import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../src/events.js';
import { ServerEvents } from '../src/events.js';
import { startDirectoryServer, type DirectoryServer, type DirectoryServerOptions } from '../src/server.js';
import { BACKENDS, type TestBackend } from './support/backends.js';
import { eventually, openClient, type TestClient } from './support/tcp-client.js';

describe.each(BACKENDS)('directory server over TCP ($name)', (backendKind) => {
  let backend: TestBackend;
  let server: DirectoryServer | undefined;
  let clients: TestClient[];
  let log: ServerEvent[];

  beforeEach(async () => {
    backend = await backendKind.open();
    clients = [];
    log = [];
  });

  afterEach(async () => {
    for (const client of clients) client.socket.destroy();
    await server?.close();
    server = undefined;
    await backend.dispose();
  });

  async function start(options: DirectoryServerOptions = {}) {
    const events = new ServerEvents();
    events.on((event) => log.push(event));
    server = await startDirectoryServer({ port: 0, registry: backend.registry, events, ...options });
    return server;
  }

  async function client(localAddress?: string) {
    const c = await openClient(server!.address.port, localAddress);
    clients.push(c);
    return c;
  }

  async function registered(name: string, extra: Record<string, unknown> = {}) {
    const c = await client();
    expect(await c.request({ command: 'REG', name, ...extra })).toEqual({ ack: 'Registered successfully' });
    return c;
  }

  it('serves a classic client: bare JSON, no newline, one reply per read, cmd alias', async () => {
    await start();
    const c = await client();
    const chunks: string[] = [];
    c.socket.on('data', (chunk) => chunks.push(chunk.toString('utf8')));
    c.send('{"cmd": "REG", "name": "alice"}');
    await eventually(() => chunks.length === 1);
    expect(JSON.parse(chunks[0]!)).toEqual({ ack: 'Registered successfully' });
    c.send('{"cmd": "GET", "name": "alice"}');
    await eventually(() => chunks.length === 2);
    expect(JSON.parse(chunks[1]!)).toEqual({ ip: '127.0.0.1', port: 5001 });
    c.send('{"cmd": "GET", "name": "nobody"}');
    await eventually(() => chunks.length === 3);
    expect(JSON.parse(chunks[2]!)).toEqual({ ip: 'None' });
    c.send('{"cmd": "DISCONNECT", "name": "alice"}');
    await c.closed;
    expect(JSON.parse(chunks[3]!)).toEqual({ ack: 'Disconnected' });
    expect(await backend.registry.list()).toEqual([]);
  });

  it('takes an object split byte by byte and two objects in one write', async () => {
    await start();
    const c = await client();
    for (const byte of Buffer.from('{"command":"REG","name":"al ice","port":6000}')) {
      c.send(Uint8Array.of(byte));
      await new Promise((r) => setImmediate(r));
    }
    expect(await c.next()).toEqual({ ack: 'Registered successfully' });
    c.send('{"command":"GET","name":"AL ICE"}{"command":"LIST"}');
    expect(await c.next()).toEqual({ ip: '127.0.0.1', port: 6000 });
    expect(await c.next()).toEqual({ users: [{ name: 'al ice', ip: '127.0.0.1', port: 6000 }] });
  });

  it('refuses duplicate names regardless of case, and a second name on one connection', async () => {
    await start();
    const alice = await registered('alice');
    const other = await client();
    expect(await other.request({ command: 'REG', name: 'ALICE' })).toEqual({ ack: 'Error Registering', reason: 'name already taken' });
    expect(await alice.request({ command: 'REG', name: 'bob' })).toMatchObject({ ack: 'Error Registering' });
    expect((await backend.registry.list()).map((e) => e.name)).toEqual(['alice']);
  });

  it('keeps a name with its connection: no DISCONNECT or REG from another', async () => {
    await start();
    await registered('alice');
    const mallory = await registered('mallory');
    expect(await mallory.request({ command: 'DISCONNECT', name: 'alice' })).toMatchObject({ ack: 'Error' });
    expect(await mallory.request({ command: 'REG', name: 'alice' })).toMatchObject({ ack: 'Error Registering' });
    const stranger = await client();
    expect(await stranger.request({ command: 'REG', name: 'Alice' })).toMatchObject({ ack: 'Error Registering' });
    expect(await stranger.request({ command: 'DISCONNECT', name: 'alice' })).toEqual({ ack: 'Disconnected' });
    await stranger.closed;
    expect(await mallory.request({ command: 'GET', name: 'alice' })).toEqual({ ip: '127.0.0.1', port: 5001 });
  });

  it.each([
    ['FIN', (c: TestClient) => c.socket.end()],
    ['RST', (c: TestClient) => c.socket.resetAndDestroy()],
  ])('removes the name at once when the client closes with %s', async (_kind, close) => {
    await start();
    const alice = await registered('alice');
    const bob = await registered('bob');
    close(alice);
    await eventually(() => log.some((e) => e.type === 'unregistered' && e.name === 'alice'));
    expect(await bob.request({ command: 'GET', name: 'alice' })).toEqual({ ip: 'None' });
    expect((await backend.registry.list()).map((e) => e.name)).toEqual(['bob']);
  });

  it.each([
    ['garbage', 'hello there\n'],
    ['JSON that is not an object', '[1, 2, 3]\n'],
    ['invalid UTF-8', Uint8Array.of(0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d)],
    ['a frame over 64 KiB', `{"command":"REG","name":"${'x'.repeat(66 * 1024)}"}`],
  ])('answers %s with Error, closes that connection, and disturbs nobody', async (_label, input) => {
    await start();
    const bob = await registered('bob');
    const bad = await client();
    bad.send(input);
    expect(await bad.next()).toMatchObject({ ack: 'Error', reason: expect.any(String) });
    await bad.closed;
    expect(await bob.request({ command: 'LIST' })).toEqual({ users: [{ name: 'bob', ip: '127.0.0.1', port: 5001 }] });
  });

  it('answers an unknown command and a bad name, keeping the connection', async () => {
    await start();
    const c = await client();
    expect(await c.request({ command: 'DANCE' })).toEqual({ ack: 'Error', reason: 'unknown command' });
    expect(await c.request({ command: 'REG', name: 'bad/name' })).toEqual({ ack: 'Error Registering', reason: expect.any(String) });
    expect(await c.request({ command: 'REG', name: 'x'.repeat(33) })).toMatchObject({ ack: 'Error Registering' });
    expect(await c.request({ command: 'LIST' })).toEqual({ ack: 'Error', reason: 'register first' });
    expect(await c.request({ command: 'REG', name: 'good' })).toEqual({ ack: 'Registered successfully' });
    expect(c.isClosed).toBe(false);
  });

  it('answers PING with PONG, before and after REG, keeping the connection', async () => {
    await start();
    const c = await client();
    expect(await c.request({ command: 'PING' })).toEqual({ ack: 'PONG' });
    expect(await c.request({ command: 'REG', name: 'pinger', v: 2 })).toMatchObject({ ack: 'Registered successfully' });
    expect(await c.request({ command: 'PING', name: 'pinger' })).toEqual({ ack: 'PONG' });
    expect(c.isClosed).toBe(false);
  });

  it('registers 200 clients at once', async () => {
    await start();
    // Four clients per loopback address: the default cap of connections per IP stays on.
    const all = await Promise.all(Array.from({ length: 200 }, (_, i) => client(`127.0.1.${1 + (i % 50)}`)));
    const replies = await Promise.all(all.map((c, i) => c.request({ command: 'REG', name: `user-${String(i).padStart(3, '0')}` })));
    expect(replies.every((r) => r['ack'] === 'Registered successfully')).toBe(true);
    const list = await all[0]!.request({ command: 'LIST' });
    expect((list['users'] as unknown[]).length).toBe(200);
  });

  it('lets exactly one of 50 racing connections take a name', async () => {
    await start();
    const all = await Promise.all(Array.from({ length: 50 }, () => client()));
    const replies = await Promise.all(all.map((c, i) => c.request({ command: 'REG', name: i % 2 ? 'Prize' : 'prize' })));
    expect(replies.filter((r) => r['ack'] === 'Registered successfully')).toHaveLength(1);
    expect(replies.filter((r) => r['ack'] === 'Error Registering')).toHaveLength(49);
    expect(await backend.registry.list()).toHaveLength(1);
  });

  it('pushes presence to watchers on register and on drop', async () => {
    await start();
    const watcher = await registered('watcher');
    expect(await watcher.request({ command: 'WATCH' })).toEqual({ event: 'presence', users: [{ name: 'watcher', ip: '127.0.0.1', port: 5001 }] });
    const zed = await registered('zed', { port: 7001 });
    await eventually(() => watcher.queued > 0);
    expect(await watcher.next()).toEqual({
      event: 'presence',
      users: [
        { name: 'watcher', ip: '127.0.0.1', port: 5001 },
        { name: 'zed', ip: '127.0.0.1', port: 7001 },
      ],
    });
    zed.socket.resetAndDestroy();
    expect(await watcher.next()).toEqual({ event: 'presence', users: [{ name: 'watcher', ip: '127.0.0.1', port: 5001 }] });
  });

  it('lists users sorted by name and honours the port field', async () => {
    await start();
    await registered('carol', { port: 40000 });
    await registered('Bob');
    const alice = await registered('alice', { port: 5002 });
    expect(await alice.request({ command: 'LIST' })).toEqual({
      users: [
        { name: 'alice', ip: '127.0.0.1', port: 5002 },
        { name: 'Bob', ip: '127.0.0.1', port: 5001 },
        { name: 'carol', ip: '127.0.0.1', port: 40000 },
      ],
    });
  });

  it.each([
    ['a classic REG (bare json.dumps, no v)', '{"command": "REG", "name": "alice"}', '{"ack":"Registered successfully"}\n'],
    ['a classic REG with a port and a newline', '{"command":"REG","name":"alice","port":6000}\n', '{"ack":"Registered successfully"}\n'],
    ['a REG that announces v 1', '{"command":"REG","name":"alice","v":1}\n', '{"ack":"Registered successfully","v":2}\n'],
    ['a REG that announces v 2', '{"command":"REG","name":"alice","port":6000,"v":2}\n', '{"ack":"Registered successfully","v":2}\n'],
    [
      'a v2 REG with caps',
      '{"command":"REG","name":"alice","port":6000,"v":2,"caps":{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}}\n',
      '{"ack":"Registered successfully","v":2}\n',
    ],
    ['a REG that announces a later v', '{"command":"REG","name":"alice","port":6000,"v":3}\n', '{"ack":"Registered successfully","v":2}\n'],
    [
      'a REG with caps but no v',
      '{"command":"REG","name":"alice","caps":{"formats":[{"codec":"L16","rate":8000,"frames":[160]}]}}\n',
      '{"ack":"Error Registering","reason":"\\"caps\\" needs \\"v\\" 2 or later"}\n',
    ],
    [
      'a v2 REG with bad caps',
      '{"command":"REG","name":"alice","v":2,"caps":{"formats":[]}}\n',
      '{"ack":"Error Registering","reason":"\\"caps.formats\\" must list 1-8 formats"}\n',
    ],
  ])('answers %s with exactly these bytes', async (_name, request, reply) => {
    await start();
    const raw = connect({ host: '127.0.0.1', port: server!.address.port });
    raw.on('error', () => {});
    try {
      await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
      let received = '';
      raw.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      raw.write(request);
      await eventually(() => received.endsWith('\n'));
      // Give a stray second reply the time to show up.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received).toBe(reply);
    } finally {
      raw.destroy();
    }
  });

  it('removes the name at once when the server closes a connection for bad input, though the peer keeps its side open', async () => {
    await start();
    const raw = connect({ host: '127.0.0.1', port: server!.address.port, allowHalfOpen: true });
    raw.on('error', () => {});
    try {
      await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
      let received = '';
      raw.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      const ended = new Promise<void>((resolve) => raw.once('end', resolve));
      raw.write('{"command":"REG","name":"alice"}\n');
      await eventually(() => received.includes('Registered successfully'));
      raw.write('this is not json\n');
      await ended;
      const bob = await registered('bob');
      expect(await bob.request({ command: 'GET', name: 'alice' })).toEqual({ ip: 'None' });
      expect(log.some((e) => e.type === 'unregistered' && e.name === 'alice')).toBe(true);
    } finally {
      raw.destroy();
    }
  });

  it('removes every name when the server closes', async () => {
    await start();
    const a = await registered('a');
    await registered('b');
    await server!.close();
    await a.closed;
    expect(await backend.registry.list()).toEqual([]);
    expect(log.at(-1)?.type).toBe('closed');
  });
});
