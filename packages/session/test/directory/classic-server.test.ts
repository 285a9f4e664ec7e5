// DirectoryClient against the faithful double of the reference classic server: only
// requests that server survives, one at a time, each carrying "name".
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

  /** The requests that made the server's handler raise (and so stop reading that connection for good). */
  const raises = () => server.log.filter((e) => e.event === 'request' && e.raised !== undefined && e.bytes !== '');

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
    expect(server.users).toEqual(
      new Map([
        ['alice', '127.0.0.1'],
        ['bob', '127.0.0.1'],
      ]),
    );
    expect(server.requests[0]).toEqual({ command: 'REG', name: 'alice', port: 6001, v: 1 });
    expect(alice.serverVersion).toBeUndefined();

    await expect(alice.lookup('bob')).resolves.toEqual({ name: 'bob', ip: '127.0.0.1', port: 5001 });
    await expect(alice.lookup('carol')).resolves.toBeNull();
    expect(raises()).toEqual([]);
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
    expect(raises()).toEqual([]);
  });

  test('WATCH rejects list-unsupported without sending, and lookups still work', async () => {
    const alice = await connect();
    await alice.register('alice', 5001);
    await expect(alice.watch()).rejects.toMatchObject({ code: 'list-unsupported' });
    await expect(alice.lookup('nobody')).resolves.toBeNull();
    await expect(alice.watch()).rejects.toMatchObject({ code: 'list-unsupported' });
    expect(server.requests.map((r) => r['command'])).toEqual(['REG', 'GET']);
  });

  test('LIST before REG is refused at once, nothing sent, and REG still works', async () => {
    const alice = await connect(150);
    await expect(alice.list()).rejects.toMatchObject({ code: 'list-unsupported' });
    expect(server.requests).toEqual([]);
    await alice.register('alice', 5001);
    expect(server.users.has('alice')).toBe(true);
  });

  test('requests made together reach the server one read each (never pipelined), each carrying "name"', async () => {
    const alice = await connect();
    const bob = await connect();
    await bob.register('bob', 5001);
    const [, found, missing, list, watch, again] = await Promise.allSettled([
      alice.register('alice', 5001),
      alice.lookup('bob'),
      alice.lookup('carol'),
      alice.list(),
      alice.watch(),
      alice.lookup('alice'),
    ]);
    expect(found).toEqual({ status: 'fulfilled', value: { name: 'bob', ip: '127.0.0.1', port: 5001 } });
    expect(missing).toEqual({ status: 'fulfilled', value: null });
    expect(list).toMatchObject({ status: 'rejected', reason: { code: 'list-unsupported' } });
    expect(watch).toMatchObject({ status: 'rejected', reason: { code: 'list-unsupported' } });
    expect(again).toEqual({ status: 'fulfilled', value: { name: 'alice', ip: '127.0.0.1', port: 5001 } });
    expect(raises()).toEqual([]);
    expect(server.requests.every((r) => typeof r['name'] === 'string')).toBe(true);
    expect(new Set(server.requests.map((r) => r['command']))).toEqual(new Set(['REG', 'GET']));
  });

  test('disconnect sends DISCONNECT with the name, which removes it, and closes', async () => {
    const alice = await connect();
    const closes: { reason: string; expected: boolean }[] = [];
    alice.on('close', (info) => closes.push(info));
    await alice.register('alice', 5001);
    await alice.disconnect('alice');
    expect(server.requests.at(-1)).toEqual({ command: 'DISCONNECT', name: 'alice' });
    expect(server.users.has('alice')).toBe(false);
    expect(alice.closed).toBe(true);
    expect(closes).toEqual([{ reason: expect.any(String), expected: true }]);
    await expect(alice.lookup('bob')).rejects.toMatchObject({ code: 'connection-closed' });
    expect(raises()).toEqual([]);
  });

  test('disconnect takes the classic answer (the previous reply again) and closes without waiting out the timeout', async () => {
    // A request timeout far beyond the test's own: only taking the classic answer lets it pass.
    const alice = await connect(600_000);
    const warnings: string[] = [];
    alice.on('log', (entry) => warnings.push(entry.message));
    await alice.register('alice', 5001);
    await alice.disconnect('alice');
    expect(alice.closed).toBe(true);
    expect(warnings).toEqual([]);
    await waitUntil(() => server.log.some((e) => e.event === 'request' && (e as { request?: { command?: string } }).request?.command === 'DISCONNECT'));
  });

  test('a closed connection leaves its name listed: only DISCONNECT removes it from a classic server', async () => {
    const alice = await connect();
    const bob = await connect();
    await alice.register('alice', 5001);
    alice.close();
    await waitUntil(() => server.log.some((e) => e.event === 'request' && e.bytes === ''));
    await bob.register('bob', 5001);
    await expect(bob.lookup('alice')).resolves.toEqual({ name: 'alice', ip: '127.0.0.1', port: 5001 });
  });
});
