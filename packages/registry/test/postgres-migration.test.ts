// The PostgreSQL schema upgrade: a database at the schema before entries had a version and caps is migrated in place, other servers' rows kept.
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPostgresRegistry } from '../src/index.js';
import { POSTGRES_MIGRATION_TABLES, postgresRegistryMigrations } from '../src/postgres-schema.js';
import { eventually } from './support/eventually.js';
import { startPostgresCluster, type PostgresCluster } from './support/postgres-cluster.mjs';

const caps = { formats: [{ codec: 'L16', rate: 8000, frames: [160, 512] }] };
let cluster: PostgresCluster;

beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** A database as the previous release left it: migration 0001 only, and a row of another server that is still running. */
async function previousReleaseDatabase(name: string): Promise<string> {
  const url = await cluster.createDatabase(name);
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) });
  try {
    const provider = { getMigrations: async () => ({ '0001-presence': postgresRegistryMigrations['0001-presence']! }) };
    const { error } = await new Migrator({ db, provider, ...POSTGRES_MIGRATION_TABLES }).migrateToLatest();
    if (error !== undefined) throw error;
  } finally {
    await db.destroy();
  }
  await cluster.query("insert into voip_server (server_id, started_at) values ('old-server', now())", name);
  await cluster.query("insert into voip_presence (name, ip, port, server_id, conn_id, since) values ('Alice', '10.0.0.1', 5002, 'old-server', 'c1', 'epoch')", name);
  return url;
}

async function columnsOf(database: string): Promise<string[]> {
  const result = await cluster.query("select column_name from information_schema.columns where table_name = 'voip_presence' order by ordinal_position", database);
  return result.rows.map((row: { column_name: string }) => row.column_name);
}

test('opening a previous release database adds version and caps in place; existing rows read as version 1 without caps', async () => {
  const url = await previousReleaseDatabase('upgrade');
  expect(await columnsOf('upgrade')).toEqual(['name_key', 'name', 'ip', 'port', 'server_id', 'conn_id', 'since']);

  const registry = await openPostgresRegistry({ pool: url, serverId: 'new-server' });
  try {
    expect(await columnsOf('upgrade')).toEqual(['name_key', 'name', 'ip', 'port', 'server_id', 'conn_id', 'since', 'version', 'caps']);
    expect((await cluster.query('select name from voip_migration order by name', 'upgrade')).rows).toEqual([
      { name: '0001-presence' },
      { name: '0002-version-caps' },
      { name: '0003-lease-notify' },
    ]);
    // The old server's entry survives the upgrade, as a classic one.
    expect(await registry.lookup('alice')).toEqual({ name: 'Alice', ip: '10.0.0.1', port: 5002, owner: 'old-server/c1', since: new Date(0), version: 1, caps: null });

    const stored = await registry.register({ name: 'bob', ip: '10.0.0.2', port: 5003, owner: 'c2', version: 2, caps });
    expect(stored).toMatchObject({ version: 2, caps });
    expect(await registry.list()).toEqual([await registry.lookup('alice'), stored]);
    // Stored as written: canonical JSON text, the key order every backend relays.
    expect((await cluster.query("select version, caps::text as caps from voip_presence where name = 'bob'", 'upgrade')).rows).toEqual([
      { version: 2, caps: '{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}' },
    ]);
    // The database itself refuses a version below 1 and caps that are not JSON.
    await expect(
      cluster.query("insert into voip_presence (name, ip, port, server_id, conn_id, since, version) values ('carol', 'x', 1, 'old-server', 'c3', now(), 0)", 'upgrade'),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      cluster.query("insert into voip_presence (name, ip, port, server_id, conn_id, since, caps) values ('carol', 'x', 1, 'old-server', 'c3', now(), '{x')", 'upgrade'),
    ).rejects.toMatchObject({ code: '22P02' });
  } finally {
    await registry.close();
  }
});

test('servers of the new release opening an old database together migrate it once', async () => {
  const url = await previousReleaseDatabase('upgrade_race');
  const registries = await Promise.all(['s1', 's2', 's3'].map((serverId) => openPostgresRegistry({ pool: url, serverId })));
  try {
    expect((await cluster.query('select name from voip_migration order by name', 'upgrade_race')).rows).toEqual([
      { name: '0001-presence' },
      { name: '0002-version-caps' },
      { name: '0003-lease-notify' },
    ]);
    await registries[0]!.register({ name: 'dave', ip: '10.0.0.4', port: 5004, owner: 'c4', version: 2, caps });
    await eventually(async () => expect((await registries[2]!.lookup('DAVE'))?.caps).toEqual(caps));
  } finally {
    await Promise.all(registries.map((r) => r.close()));
  }
});
