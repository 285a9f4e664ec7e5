/** Many users behind one address (an office or a school behind one NAT), on the default limits, over real TCP. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, startDirectoryServer, type DirectoryServer } from '../src/server.js';
import { eventually, openClient, type TestClient } from './support/tcp-client.js';

const USERS = 1000;
/** Users that connect in the same instant (a school's morning): 200, the seed's own setting, under the nameless cap. */
const WAVE = 200;

describe('users sharing one address', () => {
  let server: DirectoryServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await server?.close();
    server = undefined;
  });

  it(`lets ${USERS} clients from 127.0.0.1 register on the default limits, ${WAVE} arriving at once, and see each other`, async () => {
    server = await startDirectoryServer({ port: 0 });
    const port = server.address.port;
    for (let wave = 0; wave < USERS; wave += WAVE) {
      // A whole wave connects before any of it registers: all nameless at the same time.
      const arriving = await Promise.all(Array.from({ length: WAVE }, () => openClient(port, '127.0.0.1')));
      clients.push(...arriving);
      const acks = await Promise.all(arriving.map((c, i) => c.request({ command: 'REG', name: `user-${wave + i}`, port: 6000 + wave + i }, 30_000)));
      expect(acks).toEqual(Array(WAVE).fill({ ack: 'Registered successfully' }));
    }
    expect(server.connectionCount).toBe(USERS);
    const list = await clients[0]!.request({ command: 'LIST' });
    expect(list['users']).toHaveLength(USERS);
    expect(await clients[USERS - 1]!.request({ command: 'GET', name: 'user-0' })).toEqual({ ip: '127.0.0.1', port: 6000 });
    expect(clients.every((c) => !c.isClosed)).toBe(true);
  }, 120_000);

  it('caps the connections of one address that hold no name, while its registered users keep coming', async () => {
    server = await startDirectoryServer({ port: 0 });
    const port = server.address.port;
    const cap = DEFAULT_LIMITS.maxUnnamedPerIp;
    const registered: TestClient[] = [];
    for (let i = 0; i < 300; i++) {
      const c = await openClient(port, '127.0.0.3');
      clients.push(c);
      expect(await c.request({ command: 'REG', name: `staff-${i}` })).toEqual({ ack: 'Registered successfully' });
      registered.push(c);
    }
    // Then a pile of connections from the same address that never register.
    const silent = await Promise.all(Array.from({ length: cap }, () => openClient(port, '127.0.0.3')));
    clients.push(...silent);
    await eventually(() => server!.connectionCount === 300 + cap, 20_000);
    const over = await openClient(port, '127.0.0.3');
    clients.push(over);
    expect(await over.next()).toEqual({ ack: 'Error', reason: 'too many connections without a name from 127.0.0.3' });
    await over.closed;
    // One nameless connection registering makes room for the next newcomer.
    expect(await silent[0]!.request({ command: 'REG', name: 'late' })).toEqual({ ack: 'Registered successfully' });
    const next = await openClient(port, '127.0.0.3');
    clients.push(next);
    expect(await next.request({ command: 'REG', name: 'newcomer' })).toEqual({ ack: 'Registered successfully' });
    // Registered users were never counted against the cap, and another address is untouched.
    expect(registered.every((c) => !c.isClosed)).toBe(true);
    const elsewhere = await openClient(port, '127.0.0.4');
    clients.push(elsewhere);
    expect(await elsewhere.request({ command: 'REG', name: 'visitor' })).toEqual({ ack: 'Registered successfully' });
    expect((await elsewhere.request({ command: 'LIST' }))['users']).toHaveLength(303);
  }, 60_000);
});
