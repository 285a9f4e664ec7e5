// The SQLite schema upgrade: a file at the schema before entries had a version and caps is migrated in place.
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openSqliteRegistry } from '../src/index.js';
import { registryMigrationProvider, registryMigrations } from '../src/sqlite-schema.js';

const caps = { formats: [{ codec: 'L16', rate: 8000, frames: [160, 512] }] };
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'voip-registry-migration-'));
  file = join(dir, 'registry.db');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs kysely's Migrator on the test file with the given migrations, as a server of that version did. */
async function migrate(provider: ConstructorParameters<typeof Migrator>[0]['provider']): Promise<void> {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(file) }) });
  try {
    const { error } = await new Migrator({ db, provider }).migrateToLatest();
    if (error !== undefined) throw error;
  } finally {
    await db.destroy();
  }
}

/** A file as the previous release left it: migration 0001 only, with one row. */
async function previousReleaseFile(): Promise<void> {
  await migrate({ getMigrations: async () => ({ '0001-presence': registryMigrations['0001-presence']! }) });
  const raw = new Database(file);
  raw.prepare('insert into presence (name, ip, port, owner, since) values (?, ?, ?, ?, ?)').run('alice', '10.0.0.1', 5002, 'c1', 1000);
  raw.close();
}

function columns(raw: Database.Database): string[] {
  return raw.prepare("select name from pragma_table_info('presence')").pluck().all() as string[];
}

test('migration 0002 adds version (1 for existing rows) and caps (null) in place', async () => {
  await previousReleaseFile();
  const before = new Database(file);
  expect(columns(before)).toEqual(['name', 'ip', 'port', 'owner', 'since']);
  before.close();

  await migrate(registryMigrationProvider);
  const raw = new Database(file);
  try {
    expect(columns(raw)).toEqual(['name', 'ip', 'port', 'owner', 'since', 'version', 'caps']);
    expect(raw.prepare('select name, ip, port, owner, since, version, caps from presence').all()).toEqual([
      { name: 'alice', ip: '10.0.0.1', port: 5002, owner: 'c1', since: 1000, version: 1, caps: null },
    ]);
    expect(raw.prepare('select name from kysely_migration order by name').pluck().all()).toEqual(['0001-presence', '0002-version-caps']);
    // The database itself refuses a version below 1 and caps that are not JSON.
    const insert = raw.prepare('insert into presence (name, ip, port, owner, since, version, caps) values (?, ?, ?, ?, ?, ?, ?)');
    expect(() => insert.run('bob', '10.0.0.2', 5001, 'c2', 0, 0, null)).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }));
    expect(() => insert.run('bob', '10.0.0.2', 5001, 'c2', 0, 2, '{"formats":')).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }));
    // The old rules still hold on the upgraded table.
    expect(() => insert.run('ALICE', '10.0.0.2', 5001, 'c2', 0, 1, null)).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }));
  } finally {
    raw.close();
  }
});

test('a registry opens a previous release file, upgrades it, and stores version and caps', async () => {
  await previousReleaseFile();
  const registry = await openSqliteRegistry({ database: file });
  try {
    // Presence rows are cleared at every open, upgraded or not.
    expect(await registry.list()).toEqual([]);
    await registry.register({ name: 'alice', ip: '10.0.0.1', port: 5002, owner: 'c1', version: 2, caps });
    await registry.register({ name: 'bob', ip: '10.0.0.2', port: 5001, owner: 'c2' });
    expect((await registry.list()).map((e) => [e.name, e.version, e.caps])).toEqual([
      ['alice', 2, caps],
      ['bob', 1, null],
    ]);
  } finally {
    await registry.close();
  }
  const raw = new Database(file);
  expect(raw.prepare('select name, version, caps from presence order by name').all()).toEqual([
    { name: 'alice', version: 2, caps: '{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}' },
    { name: 'bob', version: 1, caps: null },
  ]);
  raw.close();
});

test('an upgrade cut short after its first column is finished at the next open', async () => {
  await previousReleaseFile();
  const raw = new Database(file);
  raw.exec('alter table presence add column version integer not null default 1 check (version >= 1)');
  raw.close();
  const registry = await openSqliteRegistry({ database: file });
  try {
    const stored = await registry.register({ name: 'carol', ip: '10.0.0.3', port: 5003, owner: 'c3', version: 2, caps });
    expect(await registry.lookup('carol')).toEqual(stored);
  } finally {
    await registry.close();
  }
});
