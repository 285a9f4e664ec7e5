// Tests of the directory client's failures: unreachable, refused, closed, timed out, bad bytes.
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { createManualClock, type ManualClock } from '@voip/clock';
import { DirectoryClient, DirectoryError } from '../../src/directory/directory-client.js';
import { FakeSocket } from './fake-socket.js';
import { startScriptedDirectoryServer, waitUntil, type RequestHandler, type ScriptedDirectoryServer } from './scripted-directory-server.js';

const line = (message: unknown) => `${JSON.stringify(message)}\n`;

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const address = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return address.port;
}

describe('DirectoryClient errors', () => {
  let server: ScriptedDirectoryServer | undefined;
  const clients: DirectoryClient[] = [];

  async function setUp(handler: RequestHandler, options: { clock?: ManualClock; requestTimeoutMs?: number } = {}): Promise<DirectoryClient> {
    server = await startScriptedDirectoryServer(handler);
    const client = await DirectoryClient.connect({ host: '127.0.0.1', port: server.port, requestTimeoutMs: 3000, ...options });
    clients.push(client);
    return client;
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = undefined;
  });

  test('connection refused -> server-unreachable naming host:port', async () => {
    const port = await freePort();
    const error = await DirectoryClient.connect({ host: '127.0.0.1', port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error).toMatchObject({ name: 'DirectoryError', code: 'server-unreachable' });
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
  });

  test('connect timeout -> server-unreachable, and the socket is destroyed', async () => {
    const clock = createManualClock();
    const socket = new FakeSocket(true);
    const connecting = DirectoryClient.connect({ host: '127.0.0.1', port: 10000, connectTimeoutMs: 1000, clock, createSocket: () => socket });
    clock.advance(999);
    expect(socket.destroyed).toBe(false);
    clock.advance(1);
    await expect(connecting).rejects.toMatchObject({ code: 'server-unreachable' });
    expect(socket.destroyed).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  test('bad options are refused before connecting', async () => {
    await expect(DirectoryClient.connect({ host: '', port: 10000 })).rejects.toBeInstanceOf(TypeError);
    await expect(DirectoryClient.connect({ host: '127.0.0.1', port: 70000 })).rejects.toBeInstanceOf(RangeError);
    await expect(DirectoryClient.connect({ host: '127.0.0.1', port: 10000, requestTimeoutMs: 0 })).rejects.toBeInstanceOf(RangeError);
  });

  test('an injected open socket is used as is', async () => {
    const socket = new FakeSocket(false);
    const client = await DirectoryClient.connect({ host: 'directory.test', port: 10000, createSocket: () => socket });
    const registering = client.register('alice', 5002);
    expect(socket.written).toEqual([line({ command: 'REG', name: 'alice', port: 5002, v: 1 })]);
    socket.emit('data', Buffer.from('{"ack": "Registered successfully"}'));
    await registering;
    client.close();
    expect(socket.destroyed).toBe(true);
  });

  test('name refused -> name-refused with the server reason', async () => {
    const client = await setUp((_request, connection) => connection.send(line({ ack: 'Error Registering', reason: 'name taken' })));
    const error = await client.register('alice', 5001).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'name-refused', reason: 'name taken' });
    // The connection stays usable.
    await expect(client.register('alice2', 5001)).rejects.toMatchObject({ code: 'name-refused' });
  });

  test('a name breaking the rules is refused without asking the server', async () => {
    const client = await setUp(() => {});
    await expect(client.register(' alice', 5001)).rejects.toMatchObject({ code: 'name-refused', reason: expect.any(String) });
    await expect(client.register('a'.repeat(33), 5001)).rejects.toMatchObject({ code: 'name-refused' });
    await expect(client.register('alice', 0)).rejects.toBeInstanceOf(RangeError);
    expect(server!.connections[0]!.requests).toEqual([]);
  });

  test('{"ack": "Error"} -> server-error', async () => {
    const client = await setUp((_request, connection) => connection.send(line({ ack: 'Error' })));
    await expect(client.register('alice', 5001)).rejects.toMatchObject({ code: 'server-error' });
  });

  test('server closes -> pending and queued requests reject connection-closed, close fires unexpected', async () => {
    const client = await setUp((_request, connection) => {
      connection.socket.end();
    });
    const closes: { reason: string; expected: boolean }[] = [];
    client.on('close', (info) => closes.push(info));
    const first = client.lookup('bob');
    const second = client.lookup('carol');
    await expect(first).rejects.toMatchObject({ code: 'connection-closed' });
    await expect(second).rejects.toMatchObject({ code: 'connection-closed' });
    expect(closes).toEqual([{ reason: expect.stringContaining('closed the connection'), expected: false }]);
    await expect(client.register('alice', 5001)).rejects.toMatchObject({ code: 'connection-closed' });
  });

  test('no reply from our server -> timeout; a late reply is not paired with the next request', async () => {
    const clock = createManualClock();
    let lateReply = '';
    const client = await setUp(
      (request, connection) => {
        if (request['command'] === 'GET') lateReply = line({ ip: '127.0.0.9', port: 5009 });
        // The late GET reply comes first, then this request's own reply.
        else if (request['command'] === 'LIST') connection.send(lateReply + line({ users: [] }));
        else connection.send(lateReply + line({ ack: 'Registered successfully', v: 1 }));
      },
      { clock, requestTimeoutMs: 500 },
    );
    const logs: string[] = [];
    client.on('log', (entry) => logs.push(entry.message));
    await client.register('alice', 5001);
    const lookup = client.lookup('bob');
    await waitUntil(() => server!.connections[0]?.requests.length === 2);
    clock.advance(500);
    await expect(lookup).rejects.toMatchObject({ code: 'timeout' });
    // An address reply to LIST would mean "unsupported", were it not the late GET reply.
    await expect(client.list()).resolves.toEqual([]);
    expect(client.listSupported).toBe(true);
    expect(logs).toEqual([expect.stringContaining('late reply')]);
    // Known late replies are forgotten once a request is answered: this one is just stale.
    await expect(client.register('alice', 5001)).resolves.toBeUndefined();
    expect(logs).toHaveLength(2);
    expect(logs[1]).toContain('does not answer REG');
  });

  test('no reply from a server that is not known to be ours -> timeout, then the connection closes, nothing more is sent', async () => {
    const clock = createManualClock();
    const client = await setUp(
      (request, connection) => {
        if (request['command'] === 'REG') connection.send(JSON.stringify({ ack: 'Registered successfully' }));
      },
      { clock, requestTimeoutMs: 500 },
    );
    const closes: { reason: string; expected: boolean }[] = [];
    client.on('close', (info) => closes.push(info));
    await client.register('alice', 5001);
    const lookup = client.lookup('bob');
    const queued = client.lookup('carol');
    await waitUntil(() => server!.connections[0]?.requests.length === 2);
    clock.advance(500);
    await expect(lookup).rejects.toMatchObject({ code: 'timeout' });
    await expect(queued).rejects.toMatchObject({ code: 'connection-closed' });
    expect(closes).toEqual([{ reason: expect.stringContaining('stopped answering'), expected: false }]);
    expect(client.closed).toBe(true);
    expect(server!.connections[0]!.requests.map((r) => r['command'])).toEqual(['REG', 'GET']);
  });

  test('LIST with no reply from our server -> timeout', async () => {
    const clock = createManualClock();
    const client = await setUp(
      (request, connection) => {
        if (request['command'] === 'REG') connection.send(line({ ack: 'Registered successfully', v: 1 }));
      },
      { clock, requestTimeoutMs: 500 },
    );
    await client.register('alice', 5001);
    const listing = client.list();
    await waitUntil(() => server!.connections[0]?.requests.length === 2);
    clock.advance(500);
    await expect(listing).rejects.toMatchObject({ code: 'timeout' });
    expect(client.listSupported).toBe(true);
  });

  test('stale reply to LIST from our server -> list-unsupported, never asked again, later requests still work', async () => {
    let last = '';
    const client = await setUp((request, connection) => {
      if (request['command'] === 'REG') last = JSON.stringify({ ack: 'Registered successfully', v: 1 });
      else if (request['command'] === 'GET') last = JSON.stringify({ ip: '127.0.0.1' });
      connection.send(last);
    });
    await client.register('alice', 5001);
    await expect(client.list()).rejects.toMatchObject({ code: 'list-unsupported' });
    expect(client.listSupported).toBe(false);
    await expect(client.lookup('alice')).resolves.toEqual({ name: 'alice', ip: '127.0.0.1', port: 5001 });
    const sent = server!.connections[0]!.requests.length;
    await expect(client.watch()).rejects.toMatchObject({ code: 'list-unsupported' });
    expect(server!.connections[0]!.requests.length).toBe(sent);
    await expect(client.lookup('bob')).resolves.toEqual({ name: 'bob', ip: '127.0.0.1', port: 5001 });
  });

  test('LIST refused for a reason -> server-error, support unchanged', async () => {
    const client = await setUp((request, connection) =>
      connection.send(line(request['command'] === 'REG' ? { ack: 'Registered successfully', v: 1 } : { ack: 'Error', reason: 'register first' })),
    );
    await client.register('alice', 5001);
    await expect(client.list()).rejects.toMatchObject({ code: 'server-error', reason: 'register first' });
    expect(client.listSupported).toBe(true);
  });

  test('LIST and WATCH before REG is answered are refused without sending', async () => {
    const client = await setUp(() => {});
    expect(client.listSupported).toBeUndefined();
    await expect(client.list()).rejects.toMatchObject({ code: 'list-unsupported' });
    await expect(client.watch()).rejects.toMatchObject({ code: 'list-unsupported' });
    expect(server!.connections[0]!.requests).toEqual([]);
  });

  test('bytes that are not JSON -> protocol-error and an unexpected close', async () => {
    const client = await setUp((_request, connection) => connection.send('hello\n'));
    const closes: { expected: boolean }[] = [];
    client.on('close', (info) => closes.push(info));
    await expect(client.lookup('bob')).rejects.toMatchObject({ code: 'protocol-error' });
    expect(closes).toEqual([expect.objectContaining({ expected: false })]);
    expect(client.closed).toBe(true);
  });

  test('DISCONNECT answered by a close alone still resolves', async () => {
    const client = await setUp((_request, connection) => {
      connection.socket.end();
    });
    const closes: { expected: boolean }[] = [];
    client.on('close', (info) => closes.push(info));
    await client.disconnect('alice');
    expect(closes).toEqual([expect.objectContaining({ expected: true })]);
  });

  test('DISCONNECT with no answer closes after the timeout', async () => {
    const clock = createManualClock();
    const client = await setUp(() => {}, { clock, requestTimeoutMs: 500 });
    const logs: string[] = [];
    client.on('log', (entry) => logs.push(entry.level));
    const leaving = client.disconnect('alice');
    await expect(client.lookup('bob')).rejects.toMatchObject({ code: 'connection-closed' });
    await waitUntil(() => server!.connections[0]?.requests.length === 1);
    clock.advance(500);
    await leaving;
    expect(client.closed).toBe(true);
    expect(logs).toEqual(['warn']);
  });
  test('DISCONNECT refused -> server-error with the reason, and the connection closes all the same', async () => {
    const client = await setUp((_request, connection) => connection.send(line({ ack: 'Error', reason: 'that name belongs to another connection' })));
    await expect(client.disconnect('bob')).rejects.toMatchObject({ code: 'server-error', reason: 'that name belongs to another connection' });
    expect(client.closed).toBe(true);
  });

  test('a server turning the connection away says why in the close reason', async () => {
    server = await startScriptedDirectoryServer(() => {});
    const port = server.port;
    const client = await DirectoryClient.connect({ host: '127.0.0.1', port });
    clients.push(client);
    await waitUntil(() => server!.connections.length === 1);
    server.connections[0]!.socket.end(line({ ack: 'Error', reason: 'too many connections from 127.0.0.1' }));
    const closed = await new Promise<{ reason: string; expected: boolean }>((resolve) => client.on('close', resolve));
    expect(closed).toEqual({ reason: expect.stringContaining('too many connections'), expected: false });
  });
});
