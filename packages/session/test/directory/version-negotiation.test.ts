// Tests that REG announces our directory version and that only a server answering with its own is sent extensions.
import { afterEach, describe, expect, test } from 'vitest';
import type { DirectoryUser } from '@voip/protocol';
import { DirectoryClient } from '../../src/directory/directory-client.js';
import { Phone } from '../../src/phone.js';
import { startScriptedDirectoryServer, waitUntil, type RequestHandler, type ScriptedDirectoryServer } from './scripted-directory-server.js';

const ALICE: DirectoryUser = { name: 'alice', ip: '127.0.0.1', port: 6001 };
const line = (message: unknown) => `${JSON.stringify(message)}\n`;

/**
 * Answers as the reference server does: bare JSON, REG acknowledged without `v`, and
 * an unknown command answered with the previous reply.
 */
function classicServer(): RequestHandler {
  let last = '';
  return (request, connection) => {
    switch (request['command']) {
      case 'REG':
        last = JSON.stringify({ ack: 'Registered successfully' });
        break;
      case 'GET':
        last = JSON.stringify({ ip: 'None' });
        break;
      case 'DISCONNECT':
        connection.send(JSON.stringify({ ack: 'Disconnected' }));
        connection.socket.end();
        return;
    }
    connection.send(last);
  };
}

/** Answers as our server does: a REG carrying `v` gets our `v`, WATCH its first presence. */
const ourServer: RequestHandler = (request, connection) => {
  switch (request['command']) {
    case 'REG':
      connection.send(line(request['v'] === undefined ? { ack: 'Registered successfully' } : { ack: 'Registered successfully', v: 1 }));
      return;
    case 'GET':
      connection.send(line({ ip: 'None' }));
      return;
    case 'LIST':
      connection.send(line({ users: [ALICE] }));
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

describe('REG announces the directory version', () => {
  let server: ScriptedDirectoryServer | undefined;
  const clients: DirectoryClient[] = [];
  const phones: Phone[] = [];

  async function setUp(handler: RequestHandler): Promise<DirectoryClient> {
    server = await startScriptedDirectoryServer(handler);
    const client = await DirectoryClient.connect({ host: '127.0.0.1', port: server.port, requestTimeoutMs: 2000 });
    clients.push(client);
    return client;
  }

  async function phoneOn(handler: RequestHandler): Promise<Phone> {
    server = await startScriptedDirectoryServer(handler);
    const phone = await Phone.connect({ server: `127.0.0.1:${server.port}`, name: 'alice', udpPort: 0, udpHost: '127.0.0.1', directoryTimeoutMs: 2000 });
    phones.push(phone);
    return phone;
  }

  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.close()));
    for (const client of clients.splice(0)) client.close();
    await server?.close();
    server = undefined;
  });

  test('a classic server (no "v" in the REG answer) is sent only REG, GET and DISCONNECT, each with a name', async () => {
    const client = await setUp(classicServer());
    await client.register('alice', 6001);
    expect(client.serverVersion).toBeUndefined();
    expect(client.listSupported).toBe(false);
    await expect(client.list()).rejects.toMatchObject({ code: 'list-unsupported' });
    await expect(client.watch()).rejects.toMatchObject({ code: 'list-unsupported' });
    await expect(client.lookup('bob')).resolves.toBeNull();
    await client.disconnect('alice');
    expect(server!.connections[0]!.requests).toEqual([
      { command: 'REG', name: 'alice', port: 6001, v: 1 },
      { command: 'GET', name: 'bob' },
      { command: 'DISCONNECT', name: 'alice' },
    ]);
  });

  test('our server answers with its "v", and LIST and WATCH carry our name', async () => {
    const client = await setUp(ourServer);
    await client.register('alice', 6001);
    expect(client.serverVersion).toBe(1);
    expect(client.listSupported).toBe(true);
    await expect(client.watch()).resolves.toEqual([ALICE]);
    await expect(client.list()).resolves.toEqual([ALICE]);
    expect(server!.connections[0]!.requests).toEqual([
      { command: 'REG', name: 'alice', port: 6001, v: 1 },
      { command: 'WATCH', name: 'alice' },
      { command: 'LIST', name: 'alice' },
    ]);
  });

  test('LIST and WATCH asked for while REG is unanswered wait for the answer, and are refused by a classic one', async () => {
    const client = await setUp(classicServer());
    const all = Promise.allSettled([client.register('alice', 6001), client.list(), client.watch(), client.lookup('bob')]);
    const [registered, listed, watched, looked] = await all;
    expect(registered.status).toBe('fulfilled');
    expect(listed).toMatchObject({ status: 'rejected', reason: { code: 'list-unsupported' } });
    expect(watched).toMatchObject({ status: 'rejected', reason: { code: 'list-unsupported' } });
    expect(looked).toEqual({ status: 'fulfilled', value: null });
    expect(server!.connections[0]!.requests.map((r) => r['command'])).toEqual(['REG', 'GET']);
  });

  test('a Phone on a classic server sends no LIST, no WATCH and no request without "name"; close sends DISCONNECT', async () => {
    const phone = await phoneOn(classicServer());
    expect(phone.listSupported).toBe(false);
    expect(phone.onlineUsers).toBeUndefined();
    await expect(phone.users()).rejects.toMatchObject({ code: 'list-unsupported' });
    await expect(phone.call('bob')).rejects.toMatchObject({ reason: 'not-found' });
    const requests = server!.connections[0]!.requests;
    await phone.close();
    await waitUntil(() => requests.some((r) => r['command'] === 'DISCONNECT'));
    expect(requests.map((r) => r['command'])).toEqual(['REG', 'GET', 'DISCONNECT']);
    for (const request of requests) expect(typeof request['name']).toBe('string');
  });

  test('a Phone on our server connects with WATCH, no LIST, and keeps the latest list', async () => {
    const phone = await phoneOn(ourServer);
    const first = await phone.once('users');
    expect(first).toEqual([[ALICE]]);
    expect(phone.listSupported).toBe(true);
    expect(phone.onlineUsers).toEqual([ALICE]);
    const bob: DirectoryUser = { name: 'bob', ip: '127.0.0.1', port: 6002 };
    const next = phone.once('users');
    server!.connections[0]!.send(line({ event: 'presence', users: [ALICE, bob] }));
    await next;
    expect(phone.onlineUsers).toEqual([ALICE, bob]);
    const requests = server!.connections[0]!.requests;
    await phone.close();
    expect(requests.map((r) => r['command'])).toEqual(['REG', 'WATCH', 'DISCONNECT']);
    expect(requests[1]).toEqual({ command: 'WATCH', name: 'alice' });
  });
});
