import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDirectoryServer, type DirectoryServer } from '../src/server.js';
import { eventually, openClient, type TestClient } from './support/tcp-client.js';

/** Opens a raw socket from `localAddress` and waits until it is connected. */
function rawSocket(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const HOSTILE = 1000;

// A correctness test, not a benchmark: the bounds are generous on purpose.
describe('1,000 hostile connections', () => {
  let server: DirectoryServer;
  const hostile: Socket[] = [];
  const good: TestClient[] = [];
  let rssBefore = 0;

  beforeAll(async () => {
    // The default limits; the hostile connections come from four addresses (250 each, half
    // of them nameless: under the default cap of nameless connections per address).
    server = await startDirectoryServer({ port: 0 });
    rssBefore = process.memoryUsage().rss;
    const port = server.address.port;
    for (let batch = 0; batch < HOSTILE; batch += 100) {
      const sockets = await Promise.all(Array.from({ length: 100 }, () => rawSocket(port, `127.0.0.${2 + ((batch / 100) % 4)}`)));
      sockets.forEach((socket, i) => {
        socket.on('error', () => {});
        // Never read: replies pile up on the server's side.
        socket.pause();
        const n = batch + i;
        switch (n % 4) {
          case 0: // a request that never ends, just under the frame limit
            socket.write(`{"command":"REG","name":"${'x'.repeat(60_000)}`);
            break;
          case 1: // registered, then a flood of LIST whose (large) replies are never read
            socket.write(`{"command":"REG","name":"flood-${n}"}${'{"command":"LIST"}'.repeat(2000)}`);
            break;
          case 2: // registered and watching, never reading the pushes
            socket.write(`{"command":"REG","name":"watch-${n}"}{"command":"WATCH"}`);
            break;
          default: // connected, silent
            break;
        }
        hostile.push(socket);
      });
    }
    await eventually(() => server.connectionCount === HOSTILE, 40_000);
    await eventually(async () => (await server.service.list()).ok && server.service.watcherCount === HOSTILE / 4, 20_000);
  }, 60_000);

  afterAll(async () => {
    for (const socket of hostile) socket.destroy();
    for (const client of good) client.socket.destroy();
    await server.close();
  });

  it('keeps serving a good client quickly and the memory bounded', async () => {
    const alice = await openClient(server.address.port, '127.0.0.1');
    const bob = await openClient(server.address.port, '127.0.0.1');
    good.push(alice, bob);
    expect(await alice.request({ command: 'REG', name: 'alice' })).toEqual({ ack: 'Registered successfully' });
    expect(await bob.request({ command: 'REG', name: 'bob', port: 6000 })).toEqual({ ack: 'Registered successfully' });
    let worst = 0;
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      expect(await alice.request({ command: 'GET', name: 'bob' })).toEqual({ ip: '127.0.0.1', port: 6000 });
      const list = await alice.request({ command: 'LIST' });
      expect((list['users'] as unknown[]).length).toBe(HOSTILE / 2 + 2);
      worst = Math.max(worst, performance.now() - started);
    }
    expect(worst).toBeLessThan(2000);
    // Every hostile connection is still open: limits slowed them, nothing dropped them.
    expect(server.connectionCount).toBe(HOSTILE + 2);
    const grownMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(grownMiB).toBeLessThan(512);
  }, 60_000);
});
