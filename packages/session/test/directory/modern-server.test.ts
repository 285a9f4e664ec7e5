// Tests of the directory client against a scripted server speaking our protocol.
import { afterEach, describe, expect, test } from 'vitest';
import type { DirectoryUser } from '@voip/protocol';
import { DirectoryClient } from '../../src/directory/directory-client.js';
import { startScriptedDirectoryServer, waitUntil, type RequestHandler, type ScriptedDirectoryServer } from './scripted-directory-server.js';

const ALICE: DirectoryUser = { name: 'alice', ip: '127.0.0.1', port: 6001 };
const BOB: DirectoryUser = { name: 'bob', ip: '127.0.0.1', port: 6002 };
const line = (message: unknown) => `${JSON.stringify(message)}\n`;

/** Answers as our server does, newline-terminated, with fixed data. */
const ourServer: RequestHandler = (request, connection) => {
  switch (request['command']) {
    case 'REG':
      connection.send(line({ ack: 'Registered successfully', v: 1 }));
      return;
    case 'GET':
      connection.send(line(request['name'] === 'bob' ? { ip: BOB.ip, port: BOB.port } : { ip: 'None' }));
      return;
    case 'LIST':
      connection.send(line({ users: [ALICE, BOB] }));
      return;
    case 'WATCH':
      connection.send(line({ event: 'presence', users: [ALICE] }));
      return;
    case 'DISCONNECT':
      connection.send(line({ ack: 'Disconnected' }));
      connection.socket.end();
      return;
  }
};

describe('DirectoryClient against a server speaking our protocol', () => {
  let server: ScriptedDirectoryServer | undefined;
  const clients: DirectoryClient[] = [];

  async function setUp(handler: RequestHandler): Promise<DirectoryClient> {
    server = await startScriptedDirectoryServer(handler);
    const client = await DirectoryClient.connect({ host: '127.0.0.1', port: server.port, requestTimeoutMs: 3000 });
    clients.push(client);
    return client;
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = undefined;
  });

  test('REG, GET, LIST, WATCH and DISCONNECT', async () => {
    const client = await setUp(ourServer);
    const presence: DirectoryUser[][] = [];
    client.on('presence', (users) => presence.push(users));

    await client.register('alice', 6001);
    await expect(client.lookup('bob')).resolves.toEqual(BOB);
    await expect(client.lookup('carol')).resolves.toBeNull();
    expect(client.serverVersion).toBe(1);
    await expect(client.list()).resolves.toEqual([ALICE, BOB]);
    expect(client.listSupported).toBe(true);
    await expect(client.watch()).resolves.toEqual([ALICE]);
    expect(presence).toEqual([[ALICE]]);
    await client.disconnect('alice');
    expect(client.closed).toBe(true);

    expect(server!.connections[0]!.requests).toEqual([
      { command: 'REG', name: 'alice', port: 6001, v: 1 },
      { command: 'GET', name: 'bob' },
      { command: 'GET', name: 'carol' },
      { command: 'LIST', name: 'alice' },
      { command: 'WATCH', name: 'alice' },
      { command: 'DISCONNECT', name: 'alice' },
    ]);
  });

  test('presence pushes interleaved with replies are never taken as replies', async () => {
    const client = await setUp((request, connection) => {
      if (request['command'] === 'WATCH') {
        connection.send(line({ event: 'presence', users: [ALICE] }));
      } else if (request['command'] === 'GET') {
        // A push and the reply in one chunk, the push first.
        connection.send(line({ event: 'presence', users: [ALICE, BOB] }) + line({ ip: BOB.ip, port: BOB.port }));
      } else if (request['command'] === 'LIST') {
        connection.send(line({ event: 'presence', users: [] }));
        setTimeout(() => connection.send(line({ users: [BOB] })), 20);
      } else {
        void ourServer(request, connection);
      }
    });
    const presence: DirectoryUser[][] = [];
    client.on('presence', (users) => presence.push(users));

    await client.register('alice', 6001);
    await expect(client.watch()).resolves.toEqual([ALICE]);
    await expect(client.lookup('bob')).resolves.toEqual(BOB);
    await expect(client.list()).resolves.toEqual([BOB]);
    expect(presence).toEqual([[ALICE], [ALICE, BOB], []]);
  });

  test('replies split byte by byte, and without newlines, are read whole', async () => {
    const client = await setUp((request, connection) => {
      if (request['command'] === 'REG') void connection.trickle(line({ ack: 'Registered successfully', v: 1 }));
      else if (request['command'] === 'LIST') void connection.trickle(JSON.stringify({ users: [{ name: 'bé b', ip: '127.0.0.1', port: 7000 }] }));
      else if (request['command'] === 'GET') connection.send(JSON.stringify({ ip: '127.0.0.1' }));
    });
    await client.register('alice', 6001);
    await expect(client.list()).resolves.toEqual([{ name: 'bé b', ip: '127.0.0.1', port: 7000 }]);
    await expect(client.lookup('x')).resolves.toEqual({ name: 'x', ip: '127.0.0.1', port: 5001 });
  });

  test('requests go one at a time, in call order, each paired with its own reply', async () => {
    let answered = 0;
    const arrivals: number[] = [];
    const client = await setUp((request, connection) => {
      // Every request must arrive after the previous one was answered.
      arrivals.push(connection.requests.length - answered);
      setTimeout(() => {
        answered++;
        connection.send(line({ ip: `127.0.0.${String(request['name']).length}`, port: 5000 + answered }));
      }, 10);
    });
    const results = await Promise.all([client.lookup('a'), client.lookup('bb'), client.lookup('ccc')]);
    expect(results).toEqual([
      { name: 'a', ip: '127.0.0.1', port: 5001 },
      { name: 'bb', ip: '127.0.0.2', port: 5002 },
      { name: 'ccc', ip: '127.0.0.3', port: 5003 },
    ]);
    expect(server!.connections[0]!.requests.map((r) => r['name'])).toEqual(['a', 'bb', 'ccc']);
    expect(arrivals).toEqual([1, 1, 1]);
  });

  test('a reply of the wrong kind is discarded with a log, and the right one is awaited', async () => {
    const client = await setUp((request, connection) => {
      if (request['command'] === 'GET') {
        connection.send(line({ ack: 'Registered successfully' }));
        setTimeout(() => connection.send(line({ ip: BOB.ip, port: BOB.port })), 20);
      }
    });
    const logs: string[] = [];
    client.on('log', (entry) => logs.push(entry.level));
    await expect(client.lookup('bob')).resolves.toEqual(BOB);
    expect(logs).toEqual(['warn']);
  });

  test('close() during a request rejects it and fires an expected close', async () => {
    const client = await setUp(() => {});
    const closes: { expected: boolean }[] = [];
    client.on('close', (info) => closes.push(info));
    const pending = client.lookup('bob');
    await waitUntil(() => server!.connections[0]?.requests.length === 1);
    client.close();
    await expect(pending).rejects.toMatchObject({ name: 'DirectoryError', code: 'connection-closed' });
    expect(closes).toEqual([expect.objectContaining({ expected: true })]);
    client.close();
    expect(closes).toHaveLength(1);
  });
});
