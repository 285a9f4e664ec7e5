// Several servers on one PostgreSQL database: leases, the view NOTIFY keeps fresh, a lost listening connection, and the database going away and coming back.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RegistryStorageError, openPostgresRegistry, type SharedRegistry, type SharedRegistryChange } from '../src/index.js';
import { eventually } from './support/eventually.js';
import { startPostgresCluster, type PostgresCluster } from './support/postgres-cluster.mjs';

const entry = (name: string, owner: string) => ({ name, ip: '127.0.0.1', port: 5001, owner });

describe('PostgreSQL registry shared by several servers', () => {
  let cluster: PostgresCluster;
  let url: string;
  let databases = 0;
  const toClose: Array<{ close(): Promise<unknown> }> = [];

  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  afterEach(async () => {
    for (const item of toClose.splice(0).reverse()) await item.close();
  });

  async function freshDatabase(): Promise<void> {
    url = await cluster.createDatabase(`s${++databases}`);
  }
  async function open(serverId: string, options: { leaseMs?: number; renewMs?: number; pool?: pg.Pool } = {}): Promise<SharedRegistry> {
    const registry = await openPostgresRegistry({ pool: options.pool ?? url, serverId, leaseMs: options.leaseMs ?? 1500, renewMs: options.renewMs ?? 300 });
    toClose.push(registry);
    return registry;
  }
  function changesOf(registry: SharedRegistry): SharedRegistryChange['kind'][] {
    const seen: SharedRegistryChange['kind'][] = [];
    registry.onChange((change) => seen.push(change.kind));
    return seen;
  }
  async function raw(text: string): Promise<pg.QueryResult> {
    return cluster.query(text, new URL(url).pathname.slice(1));
  }
  async function names(registry: SharedRegistry): Promise<string[]> {
    return (await registry.list()).map((e) => e.name);
  }

  test("a change on one server reaches the other's view, is announced there, and reads cost no query", async () => {
    await freshDatabase();
    // A real pg Pool, its connections' queries counted on the way through.
    let queries = 0;
    const pool = new pg.Pool({ connectionString: url });
    const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    const counted = new Proxy(pool, {
      get(target, key, receiver) {
        if (key !== 'connect') return Reflect.get(target, key, receiver) as unknown;
        return async () => {
          const client = await connect();
          const query = client.query.bind(client) as (...args: unknown[]) => unknown;
          (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => (queries++, query(...args));
          return client;
        };
      },
    });
    const a = await open('server-a');
    const b = await open('server-b', { pool: counted, leaseMs: 120_000, renewMs: 60_000 });
    const seen = changesOf(b);
    await a.register({ ...entry('Alice', 'c1'), version: 2, caps: { formats: [{ codec: 'L16', rate: 8000, frames: [160] }] } });
    const found = await eventually(async () => {
      const user = await b.lookup('ALICE');
      expect(user).toBeDefined();
      return user;
    });
    expect(found).toEqual({
      name: 'Alice',
      ip: '127.0.0.1',
      port: 5001,
      owner: 'server-a/c1',
      since: expect.any(Date),
      version: 2,
      caps: { formats: [{ codec: 'L16', rate: 8000, frames: [160] }] },
    });
    expect(seen).toContain('remote');
    expect(b.status()).toEqual({ serverId: 'server-b', available: true, otherUsers: 1 });
    const before = queries;
    for (let i = 0; i < 500; i++) {
      await b.lookup(i % 2 === 0 ? 'alice' : 'nobody');
      await b.list();
    }
    expect(queries - before).toBe(0);
    await b.register(entry('bob', 'c1'));
    expect(queries - before).toBeGreaterThan(0);
    await a.removeByOwner('c1');
    await eventually(async () => expect(await names(b)).toEqual(['bob']));
    expect(b.status().otherUsers).toBe(0);
  });

  test('a server whose lease lapsed loses its entries to the others; a server with a live lease keeps them', async () => {
    await freshDatabase();
    const a = await open('server-a');
    await raw("insert into voip_server (server_id, started_at, lease_until) values ('dead', now(), now() - interval '1 second'), ('alive', now(), now() + interval '1 hour')");
    await raw(
      "insert into voip_presence (name, ip, port, server_id, conn_id, since) values ('ghost', '10.0.0.1', 5001, 'dead', 'c1', now()), ('carol', '10.0.0.2', 5001, 'alive', 'c1', now())",
    );
    await eventually(async () => expect((await raw('select server_id from voip_server order by server_id')).rows.map((r) => r.server_id)).toEqual(['alive', 'server-a']));
    expect((await raw('select name from voip_presence')).rows).toEqual([{ name: 'carol' }]);
    await eventually(async () => expect(await names(a)).toEqual(['carol']));
  });

  test('a server whose rows were removed while it lives (its lease judged lapsed) stores its entries again', async () => {
    await freshDatabase();
    const a = await open('server-a');
    const b = await open('server-b');
    await a.register(entry('alice', 'c1'));
    await raw("delete from voip_server where server_id = 'server-a'");
    await eventually(async () => expect((await raw("select name from voip_presence where server_id = 'server-a'")).rows).toEqual([{ name: 'alice' }]));
    await eventually(async () => expect(await names(b)).toEqual(['alice']));
    expect(await names(a)).toEqual(['alice']);
  });

  test('after its listening connection is killed, a server reads the table again and notifications resume', async () => {
    await freshDatabase();
    const a = await open('server-a');
    const b = await open('server-b');
    const seen = changesOf(b);
    await a.register(entry('alice', 'c1'));
    await eventually(async () => expect(await names(b)).toEqual(['alice']));
    // Killed and waited for, then a change committed: its notification cannot reach b's dead connection.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query("select pg_terminate_backend(pid, 5000) as killed from pg_stat_activity where application_name = 'voip-server server-b'");
      expect(rows).toEqual([{ killed: true }]);
      await client.query("insert into voip_server (server_id, started_at, lease_until) values ('server-c', now(), now() + interval '1 hour')");
      await client.query("insert into voip_presence (name, ip, port, server_id, conn_id, since) values ('carol', '10.0.0.3', 5003, 'server-c', 'c1', now())");
      await client.query('commit');
    } finally {
      await client.end();
    }
    await eventually(async () => expect(await names(b)).toEqual(['alice', 'carol']));
    expect(seen).toEqual(expect.arrayContaining(['unavailable', 'available']));
    expect(seen.indexOf('unavailable')).toBeLessThan(seen.lastIndexOf('available'));
    await a.register(entry('dave', 'c2'));
    await eventually(async () => expect(await names(b)).toEqual(['alice', 'carol', 'dave']));
  });

  test('while the database is gone reads reject and writes fail; once it is back the servers store their live entries again, and only those', async () => {
    await freshDatabase();
    const a = await open('server-a', { leaseMs: 3000, renewMs: 300 });
    const b = await open('server-b', { leaseMs: 3000, renewMs: 300 });
    const seen = changesOf(a);
    await a.register(entry('alice', 'c1'));
    await a.register(entry('bob', 'c2'));
    await b.register(entry('erin', 'c1'));
    await eventually(async () => expect(await names(a)).toEqual(['alice', 'bob', 'erin']));
    await cluster.halt();
    try {
      await eventually(() => expect(a.status().available).toBe(false));
      await expect(a.lookup('alice')).rejects.toMatchObject({ code: 'storage-failed', reason: 'unreachable' });
      await expect(a.list()).rejects.toBeInstanceOf(RegistryStorageError);
      await expect(a.register(entry('carol', 'c3'))).rejects.toBeInstanceOf(RegistryStorageError);
      // bob's connection ends while the database is gone: he leaves the directory at once.
      expect((await a.removeByOwner('c2'))?.name).toBe('bob');
    } finally {
      await cluster.resume();
    }
    await eventually(async () => expect(await names(a)).toEqual(['alice', 'erin']));
    await eventually(async () => expect(await names(b)).toEqual(['alice', 'erin']));
    await eventually(async () =>
      expect((await raw('select name, server_id from voip_presence order by name')).rows).toEqual([
        { name: 'alice', server_id: 'server-a' },
        { name: 'erin', server_id: 'server-b' },
      ]),
    );
    expect(seen).toEqual(expect.arrayContaining(['unavailable', 'available']));
    expect((await a.register(entry('carol', 'c3'))).name).toBe('carol');
    await eventually(async () => expect(await names(b)).toEqual(['alice', 'carol', 'erin']));
  });
});
