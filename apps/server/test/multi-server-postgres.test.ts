// Two real voip-server processes on one real PostgreSQL: one directory across them, a killed server's users leaving, name races, and the database going away and coming back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { spawnServer, type ServerProcess } from './support/spawn-server.js';
import { eventually, openClient, type TestClient } from './support/tcp-client.js';

const READ_FAILED = { ack: 'Error', reason: 'the server could not read the directory' };

describe('several voip-server processes on one PostgreSQL database', () => {
  let postgres: TestPostgres;
  let databases = 0;
  const running: ServerProcess[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    postgres = await startTestPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    for (const server of running.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
  });

  async function freshDatabase(): Promise<string> {
    const name = `multi${++databases}`;
    await postgres.query(`create database ${name}`);
    return postgres.url(name);
  }

  async function startServer(url: string, serverId: string): Promise<{ process: ServerProcess; port: number }> {
    const server = spawnServer(['--no-tui', '--port', '0', '--host', '127.0.0.1', '--db', url, '--server-id', serverId]);
    running.push(server);
    const [, port] = await server.waitForLine(/listening on 127\.0\.0\.1:(\d+) /, 20_000);
    await server.waitForLine(new RegExp(`server ${serverId}: \\d+ users? on other servers`));
    return { process: server, port: Number(port) };
  }

  async function client(port: number): Promise<TestClient> {
    const opened = await openClient(port);
    clients.push(opened);
    return opened;
  }

  async function registered(port: number, name: string): Promise<TestClient> {
    const opened = await client(port);
    expect(await opened.request({ command: 'REG', name })).toEqual({ ack: 'Registered successfully' });
    return opened;
  }

  /** Sends a request and reads its reply, past the presence pushes before it (a watcher may be pushed the same list twice). */
  async function reply(to: TestClient, request: Record<string, unknown>): Promise<Record<string, unknown>> {
    to.send(request);
    for (;;) {
      const message = await to.next(10_000);
      if (message.event === undefined) return message;
    }
  }

  const namesOf = (message: Record<string, unknown>) => (message.users as Array<{ name: string }>).map((user) => user.name);

  /** Reads pushes until one lists exactly `names`; resolves with when it came. */
  async function pushOf(watcher: TestClient, names: string[], timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = await watcher.next(Math.max(1, deadline - Date.now()));
      expect(message.event).toBe('presence');
      if (JSON.stringify(namesOf(message)) === JSON.stringify(names)) return Date.now();
    }
  }

  it("GET, LIST and WATCH on either server see both servers' users; a killed server's users leave within 15 s; its restart leaves the other's alone", async () => {
    const url = await freshDatabase();
    const a = await startServer(url, 'a');
    const b = await startServer(url, 'b');
    const alice = await registered(a.port, 'alice');
    const bob = await registered(b.port, 'bob');
    await eventually(async () => JSON.stringify(await bob.request({ command: 'GET', name: 'ALICE' })) === JSON.stringify({ ip: '127.0.0.1', port: 5001 }), 10_000);
    expect(await alice.request({ command: 'GET', name: 'bob' })).toEqual({ ip: '127.0.0.1', port: 5001 });
    expect(await alice.request({ command: 'LIST' })).toEqual({
      users: [
        { name: 'alice', ip: '127.0.0.1', port: 5001 },
        { name: 'bob', ip: '127.0.0.1', port: 5001 },
      ],
    });
    expect(namesOf(await bob.request({ command: 'WATCH' }))).toEqual(['alice', 'bob']);
    await registered(a.port, 'carol');
    await pushOf(bob, ['alice', 'bob', 'carol'], 10_000);
    await b.process.waitForLine(/server b: 2 users on other servers/);

    const killedAt = Date.now();
    a.process.child.kill('SIGKILL');
    const vanishedAt = await pushOf(bob, ['bob'], 20_000);
    expect(vanishedAt - killedAt).toBeLessThan(15_000);
    expect(await reply(bob, { command: 'LIST' })).toEqual({ users: [{ name: 'bob', ip: '127.0.0.1', port: 5001 }] });

    const again = await startServer(url, 'a');
    const dave = await registered(again.port, 'dave');
    expect(namesOf(await dave.request({ command: 'LIST' }))).toEqual(['bob', 'dave']);
    await pushOf(bob, ['bob', 'dave'], 10_000);
    expect((await postgres.query('select name, server_id from voip_presence order by name', new URL(url).pathname.slice(1))).rows).toEqual([
      { name: 'bob', server_id: 'b' },
      { name: 'dave', server_id: 'a' },
    ]);
  }, 90_000);

  it('50 connections over two servers racing for one name: exactly one wins, the others get Error Registering', async () => {
    const url = await freshDatabase();
    const servers = [await startServer(url, 'a'), await startServer(url, 'b')];
    const racers = await Promise.all(Array.from({ length: 50 }, (_, i) => client(servers[i % 2]!.port)));
    for (const [i, racer] of racers.entries()) racer.send({ command: 'REG', name: i % 3 === 0 ? 'Race' : 'race', port: 6000 + i });
    const replies = await Promise.all(racers.map((racer) => racer.next(20_000)));
    expect(replies.filter((reply) => reply.ack === 'Registered successfully')).toHaveLength(1);
    const refused = replies.filter((reply) => reply.ack !== 'Registered successfully');
    expect(refused).toHaveLength(49);
    for (const reply of refused) expect(reply).toEqual({ ack: 'Error Registering', reason: 'name already taken' });
  }, 60_000);

  it('after its listening connection is killed, a server reads the table again and WATCH pushes resume', async () => {
    const url = await freshDatabase();
    const a = await startServer(url, 'a');
    const b = await startServer(url, 'b');
    const bob = await registered(b.port, 'bob');
    expect(namesOf(await bob.request({ command: 'WATCH' }))).toEqual(['bob']);
    const killed = await postgres.query("select pg_terminate_backend(pid, 5000) as killed from pg_stat_activity where application_name = 'voip-server b'");
    expect(killed.rows).toEqual([{ killed: true }]);
    // Registered while b does not listen: b learns of it from the table when it listens again.
    await registered(a.port, 'erin');
    await pushOf(bob, ['bob', 'erin'], 10_000);
    await registered(a.port, 'frank');
    await pushOf(bob, ['bob', 'erin', 'frank'], 10_000);
    expect(namesOf(await reply(bob, { command: 'LIST' }))).toEqual(['bob', 'erin', 'frank']);
    expect(b.process.stdout()).toContain('server b: database unavailable');
  }, 60_000);

  it('while the database is gone connections stay, REG answers Error and reads the documented error; back, the servers recover and list only who is connected', async () => {
    const url = await freshDatabase();
    const a = await startServer(url, 'a');
    const b = await startServer(url, 'b');
    const alice = await registered(a.port, 'alice');
    const bob = await registered(b.port, 'bob');
    const carol = await client(a.port);
    await eventually(async () => namesOf(await bob.request({ command: 'LIST' })).length === 2, 10_000);
    expect(namesOf(await bob.request({ command: 'WATCH' }))).toEqual(['alice', 'bob']);

    await postgres.halt();
    try {
      await b.process.waitForLine(/server b: database unavailable/, 10_000);
      await a.process.waitForLine(/server a: database unavailable/, 10_000);
      expect(await carol.request({ command: 'REG', name: 'carol' })).toEqual({ ack: 'Error', reason: 'the server could not store the name' });
      expect(await reply(bob, { command: 'LIST' })).toEqual(READ_FAILED);
      expect(await reply(bob, { command: 'GET', name: 'alice' })).toEqual(READ_FAILED);
      // Said once, not once per refused read.
      expect(b.process.stdout()).not.toContain('storage failed during lookup');
      // alice leaves while the database is gone.
      await alice.end();
    } finally {
      await postgres.resume();
    }
    await pushOf(bob, ['bob'], 15_000);
    await a.process.waitForLine(/server a: 1 user on other servers \(back/, 15_000);
    expect(await carol.request({ command: 'REG', name: 'carol' })).toEqual({ ack: 'Registered successfully' });
    await pushOf(bob, ['bob', 'carol'], 10_000);
    expect(bob.isClosed).toBe(false);
    expect((await postgres.query('select name, server_id from voip_presence order by name', new URL(url).pathname.slice(1))).rows).toEqual([
      { name: 'bob', server_id: 'b' },
      { name: 'carol', server_id: 'a' },
    ]);
  }, 90_000);
});
