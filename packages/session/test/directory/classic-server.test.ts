import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DirectoryClient, DirectoryError } from '../../src/directory/directory-client.js';
import { startClassicDirectoryServer, type ClassicDirectoryServer } from '../support/classic-directory-server.js';
import { waitUntil } from './scripted-directory-server.js';

describe('DirectoryClient against a classic server', () => {
  let server: ClassicDirectoryServer;
  const clients: DirectoryClient[] = [];

  async function connect(requestTimeoutMs = 2000): Promise<DirectoryClient> {
    const client = await DirectoryClient.connect({ host: '127.0.0.1', port: server.port, requestTimeoutMs });
    clients.push(client);
    return client;
  }

  beforeEach(async () => {
    server = await startClassicDirectoryServer();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server.close();
  });

  test('registers, and looks users up with the default port 5001', async () => {
    const alice = await connect();
    const bob = await connect();
    await alice.register('alice', 6001);
    await bob.register('bob', 6002);
    expect(server.users).toEqual(new Map([['alice', '127.0.0.1'], ['bob', '127.0.0.1']]));
    expect(server.requests[0]).toEqual({ command: 'REG', name: 'alice', port: 6001, v: 1 });

    await expect(alice.lookup('bob')).resolves.toEqual({ name: 'bob', ip: '127.0.0.1', port: 5001 });
    await expect(alice.lookup('carol')).resolves.toBeNull();
  });

  test('LIST degrades to list-unsupported and later requests still work', async () => {
    const alice = await connect();
    await alice.register('alice', 5001);
    expect(alice.listSupported).toBe(false);
    const sent = server.requests.length;

    const error = await alice.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('list-unsupported');
    expect(alice.listSupported).toBe(false);

    // Known to be unsupported: refused at once, nothing sent.
    await expect(alice.list()).rejects.toMatchObject({ code: 'list-unsupported' });
    expect(server.requests.length).toBe(sent);

    await expect(alice.lookup('alice')).resolves.toEqual({ name: 'alice', ip: '127.0.0.1', port: 5001 });
  });

  test('WATCH rejects list-unsupported without sending, and lookups still work', async () => {
    const alice = await connect();
    await alice.register('alice', 5001);
    await expect(alice.watch()).rejects.toMatchObject({ code: 'list-unsupported' });
    await expect(alice.lookup('nobody')).resolves.toBeNull();
    await expect(alice.watch()).rejects.toMatchObject({ code: 'list-unsupported' });
  });

  test('LIST before any reply was sent times out as list-unsupported, never hangs', async () => {
    const alice = await connect(150);
    await expect(alice.list()).rejects.toMatchObject({ code: 'list-unsupported' });
    await alice.register('alice', 5001);
    expect(server.users.has('alice')).toBe(true);
  });

  test('disconnect removes the name, waits for the ack and closes', async () => {
    const alice = await connect();
    const closes: { reason: string; expected: boolean }[] = [];
    alice.on('close', (info) => closes.push(info));
    await alice.register('alice', 5001);
    await alice.disconnect('alice');
    expect(server.users.has('alice')).toBe(false);
    expect(alice.closed).toBe(true);
    expect(closes).toEqual([{ reason: expect.any(String), expected: true }]);
    await expect(alice.lookup('bob')).rejects.toMatchObject({ code: 'connection-closed' });
  });

  test('closing the connection removes the name', async () => {
    const alice = await connect();
    const bob = await connect();
    await alice.register('alice', 5001);
    alice.close();
    await waitUntil(() => !server.users.has('alice'));
    await bob.register('bob', 5001);
    await expect(bob.lookup('alice')).resolves.toBeNull();
  });
});
