import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { NameTakenError, OwnerHasNameError, RegistryStorageError, openPostgresRegistry, type Registry } from '../src/index.js';
import { eventually } from './support/eventually.js';
import { startPostgresCluster, type PostgresCluster } from './support/postgres-cluster.mjs';

const alice = { name: 'alice', ip: '127.0.0.1', port: 5001, owner: 'c1' };

describe('PostgreSQL registry', () => {
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
  // Each test gets a database of its own.
  afterEach(async () => {
    for (const item of toClose.splice(0).reverse()) await item.close();
  });
  async function freshDatabase(): Promise<string> {
    url = await cluster.createDatabase(`t${++databases}`);
    return url;
  }
  async function open(serverId = 'server-a', pool: Parameters<typeof openPostgresRegistry>[0]['pool'] = url): Promise<Registry> {
    const registry = await openPostgresRegistry({ pool, serverId });
    toClose.push(registry);
    return registry;
  }
  async function raw(text: string): Promise<pg.QueryResult> {
    return cluster.query(text, new URL(url).pathname.slice(1));
  }

  test('50 racing registrations of one name from two servers on one database: exactly one wins', async () => {
    await freshDatabase();
    const [a, b] = [await open('server-a'), await open('server-b')];
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).register({ ...alice, name: i % 3 === 0 ? 'Race' : 'race', owner: `o${i}`, port: 1000 + i })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(NameTakenError);
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    const [own, other] = winner % 2 === 0 ? [a, b] : [b, a];
    const ownId = winner % 2 === 0 ? 'server-a' : 'server-b';
    expect((await own.list()).map((e) => e.owner)).toEqual([`o${winner}`]);
    // The other server sees the entry, owned by `serverId/connId`, once the notification came.
    await eventually(async () => expect((await other.lookup('RACE'))?.owner).toBe(`${ownId}/o${winner}`));
    expect((await raw('select count(*)::int as n from voip_presence')).rows[0]).toEqual({ n: 1 });
  });

  test('an owner is a (server id, connection id) pair: removing and clearing touch only the own server', async () => {
    await freshDatabase();
    const [a, b] = [await open('server-a'), await open('server-b')];
    await a.register(alice);
    await b.register({ ...alice, name: 'bob' }); // the same connection id on another server
    await expect(b.register({ ...alice, name: 'ALICE', owner: 'c2' })).rejects.toBeInstanceOf(NameTakenError);
    expect(await b.removeByOwner('server-a/c1')).toBeUndefined();
    await eventually(async () =>
      expect((await a.list()).map((e) => [e.name, e.owner])).toEqual([
        ['alice', 'c1'],
        ['bob', 'server-b/c1'],
      ]),
    );
    await a.clear();
    await eventually(async () => expect((await b.list()).map((e) => [e.name, e.owner])).toEqual([['bob', 'c1']]));
    expect((await b.removeByOwner('c1'))?.name).toBe('bob');
    await eventually(async () => expect(await a.list()).toEqual([]));
  });

  test("a server reopening clears its own old rows and nobody else's", async () => {
    await freshDatabase();
    const a = await open('server-a');
    const b = await open('server-b');
    await a.register(alice);
    await b.register({ ...alice, name: 'bob', owner: 'c2' });
    await a.close();
    const again = await open('server-a');
    expect((await again.list()).map((e) => e.name)).toEqual(['bob']);
    expect((await raw('select server_id from voip_server order by server_id')).rows).toEqual([{ server_id: 'server-a' }, { server_id: 'server-b' }]);
  });

  test('two servers opening a fresh database at once both migrate it safely', async () => {
    await freshDatabase();
    const opened = await Promise.all([open('server-a'), open('server-b'), open('server-c')]);
    expect(opened).toHaveLength(3);
    expect((await raw('select name from voip_migration order by name')).rows).toEqual([{ name: '0001-presence' }, { name: '0002-version-caps' }, { name: '0003-lease-notify' }]);
  });

  test('the database itself refuses a case-variant duplicate, a second name for an owner and a bad port', async () => {
    await freshDatabase();
    const registry = await open('server-a');
    await registry.register(alice);
    const insert = (name: string, conn: string, port = 6000) =>
      raw(`insert into voip_presence (name, ip, port, server_id, conn_id, since) values ('${name}', '127.0.0.2', ${port}, 'server-a', '${conn}', now())`);
    await expect(insert('ALICE', 'c2')).rejects.toMatchObject({ code: '23505', constraint: 'voip_presence_pkey' });
    await expect(insert('bob', 'c1')).rejects.toMatchObject({ code: '23505', constraint: 'voip_presence_owner_key' });
    await expect(insert('carol', 'c3', 0)).rejects.toMatchObject({ code: '23514' });
    await expect(insert('dave', 'c4', 70000)).rejects.toMatchObject({ code: '23514' });
    expect((await registry.list()).map((e) => e.name)).toEqual(['alice']);
  });

  test('a storage failure during register is a RegistryStorageError, not a name conflict, and changes nothing', async () => {
    await freshDatabase();
    const registry = await open();
    await raw(`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by test'; end $$`);
    await raw('create trigger refuse before insert on voip_presence for each row execute function refuse()');
    const attempt = registry.register(alice);
    await expect(attempt).rejects.toBeInstanceOf(RegistryStorageError);
    await expect(attempt).rejects.toMatchObject({ code: 'storage-failed', reason: 'failed' });
    expect(await registry.list()).toEqual([]);
    await raw('drop trigger refuse on voip_presence');
    expect((await registry.register(alice)).name).toBe('alice');
    await expect(registry.register({ ...alice, name: 'bob' })).rejects.toBeInstanceOf(OwnerHasNameError);
  });

  test('a removal the table refuses still leaves the directory at once; the table follows at the next renewal', async () => {
    await freshDatabase();
    const registry = await openPostgresRegistry({ pool: url, serverId: 'server-a', leaseMs: 1500, renewMs: 200 });
    toClose.push(registry);
    await registry.register(alice);
    await raw(`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by test'; end $$`);
    await raw('create trigger refuse before delete on voip_presence for each row execute function refuse()');
    expect((await registry.removeByOwner('c1'))?.name).toBe('alice');
    expect(await registry.list()).toEqual([]);
    expect((await raw('select name from voip_presence')).rows).toEqual([{ name: 'alice' }]);
    await raw('drop trigger refuse on voip_presence');
    await eventually(async () => expect((await raw('select name from voip_presence')).rows).toEqual([]));
  });

  test('migrations run once: reopening keeps one record per migration; a newer schema is refused, not altered', async () => {
    await freshDatabase();
    for (let i = 0; i < 3; i++) await (await open()).close();
    toClose.length = 0;
    expect((await raw('select name from voip_migration order by name')).rows).toEqual([{ name: '0001-presence' }, { name: '0002-version-caps' }, { name: '0003-lease-notify' }]);
    await raw("insert into voip_migration (name, timestamp) values ('9999-from-the-future', 'x')");
    await expect(openPostgresRegistry({ pool: url, serverId: 'a' })).rejects.toMatchObject({ code: 'storage-failed', reason: 'schema' });
  });

  test('a user who may not create tables gets a schema failure', async () => {
    await freshDatabase();
    await cluster.query("do $$ begin if not exists (select from pg_roles where rolname = 'reader') then create role reader login; end if; end $$");
    const database = new URL(url).pathname.slice(1);
    // PostgreSQL 15 lets only the database owner create tables in public.
    await raw('revoke create on schema public from public');
    const attempt = openPostgresRegistry({ pool: cluster.url(database, 'reader'), serverId: 'a' });
    await expect(attempt).rejects.toMatchObject({ reason: 'schema', cause: expect.objectContaining({ code: '42501' }) });
  });

  test.each<[string, () => string, string]>([
    ['a closed port', () => `postgres://postgres@127.0.0.1:1/postgres`, 'unreachable'],
    ['a missing socket folder', () => 'postgres:///postgres?host=/nonexistent&user=postgres', 'unreachable'],
    ['an unknown database', () => cluster.url('no_such_db'), 'login'],
    ['an unknown user', () => cluster.url('postgres', 'nobody'), 'login'],
    ['a URL that does not parse', () => 'postgres://u@h:port/db', 'config'],
    ['another scheme', () => 'mysql://u@h/db', 'config'],
  ])('%s rejects with reason %s', async (_label, target, reason) => {
    const attempt = openPostgresRegistry({ pool: target(), serverId: 'a' });
    await expect(attempt).rejects.toBeInstanceOf(RegistryStorageError);
    await expect(attempt).rejects.toMatchObject({ code: 'storage-failed', reason });
  });

  test('an empty connection string takes everything from the PG* variables', async () => {
    await freshDatabase();
    const saved = { ...process.env };
    Object.assign(process.env, { PGHOST: cluster.socketDir, PGPORT: String(cluster.port), PGUSER: 'postgres', PGDATABASE: new URL(url).pathname.slice(1) });
    try {
      const registry = await open('server-a', '');
      await registry.register(alice);
      expect((await raw('select conn_id from voip_presence')).rows).toEqual([{ conn_id: 'c1' }]);
      process.env.PGPORT = 'none';
      await expect(openPostgresRegistry({ pool: '', serverId: 'b' })).rejects.toMatchObject({ reason: 'config' });
    } finally {
      for (const key of ['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  test('accepts a pg Pool or a factory, and closing the registry ends it', async () => {
    await freshDatabase();
    const pool = new pg.Pool({ connectionString: url });
    const fromPool = await open('server-a', pool);
    await fromPool.register(alice);

    let made: pg.Pool | undefined;
    const fromFactory = await open('server-b', async () => (made = new pg.Pool({ connectionString: url })));
    expect((await fromFactory.lookup('ALICE'))?.owner).toBe('server-a/c1');
    await fromPool.close();
    expect(pool.ended).toBe(true);
    await fromFactory.close();
    expect(made?.ended).toBe(true);

    const cause = new Error('no pool');
    await expect(
      openPostgresRegistry({
        pool: () => {
          throw cause;
        },
        serverId: 'a',
      }),
    ).rejects.toMatchObject({ code: 'storage-failed', cause });
    await expect(openPostgresRegistry({ pool: url, serverId: '' })).rejects.toMatchObject({ reason: 'config' });
  });

  test('a pool handed over is ended when setting up fails', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres' });
    await expect(openPostgresRegistry({ pool, serverId: 'a' })).rejects.toMatchObject({ reason: 'unreachable' });
    expect(pool.ended).toBe(true);
  });
});
