import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { NameTakenError, RegistryStorageError, openSqliteRegistry, type Registry } from '../src/index.js';

const alice = { name: 'alice', ip: '127.0.0.1', port: 5001, owner: 'c1' };

describe('SQLite registry', () => {
  let dir: string;
  let file: string;
  const toClose: Array<{ close(): unknown }> = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'voip-registry-'));
    file = join(dir, 'registry.db');
  });
  afterEach(async () => {
    for (const item of toClose.splice(0).reverse()) await item.close();
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(database: Parameters<typeof openSqliteRegistry>[0]['database'] = file): Promise<Registry> {
    const registry = await openSqliteRegistry({ database });
    toClose.push(registry);
    return registry;
  }
  function rawOpen(): Database.Database {
    const db = new Database(file, { timeout: 50 });
    toClose.push(db);
    return db;
  }

  test('rows reach the file, and presence rows left by a previous run are cleared at open', async () => {
    const first = await open();
    await first.register(alice);
    await first.register({ ...alice, name: 'bob', owner: 'c2' });
    await first.close();
    // The rows were written: a crashed server would leave them behind.
    const raw = new Database(file);
    expect(raw.prepare('select name from presence order by name').pluck().all()).toEqual(['alice', 'bob']);
    raw.close();

    const second = await open();
    expect(await second.list()).toEqual([]);
    expect(await second.lookup('alice')).toBeUndefined();
    await second.register({ ...alice, owner: 'c9' });
    expect((await second.lookup('ALICE'))?.owner).toBe('c9');
  });

  test('migrations run once: reopening keeps one record per migration', async () => {
    for (let i = 0; i < 3; i++) await (await open()).close();
    const raw = rawOpen();
    expect(raw.prepare('select name from kysely_migration').pluck().all()).toEqual(['0001-presence', '0002-version-caps']);
  });

  test('a database migrated by a newer version is refused, not altered', async () => {
    await (await open()).close();
    const raw = new Database(file);
    raw.prepare("insert into kysely_migration (name, timestamp) values ('9999-from-the-future', 'x')").run();
    raw.close();
    await expect(openSqliteRegistry({ database: file })).rejects.toBeInstanceOf(RegistryStorageError);
  });

  /** Opens a registry on the test file through an instance the test keeps, to query it raw. */
  async function openWithInstance(): Promise<{ registry: Registry; db: Database.Database }> {
    const db = new Database(file, { timeout: 50 });
    toClose.push(db);
    return { registry: await open(db), db };
  }

  test('WAL is on for a file', async () => {
    const { db } = await openWithInstance();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  test('the file is locked while open: a second registry on it is refused until the first closes', async () => {
    const first = await open();
    await first.register(alice);
    const second = openSqliteRegistry({ database: () => new Database(file, { timeout: 50 }) });
    await expect(second).rejects.toBeInstanceOf(RegistryStorageError);
    await expect(second).rejects.toMatchObject({ cause: expect.objectContaining({ code: 'SQLITE_BUSY' }) });
    expect((await first.lookup('alice'))?.owner).toBe('c1');
    await first.close();
    const third = await open();
    expect(await third.list()).toEqual([]);
  });

  test('the database itself refuses a case-variant duplicate or a second name for an owner', async () => {
    const { registry, db } = await openWithInstance();
    await registry.register(alice);
    const insert = db.prepare('insert into presence (name, ip, port, owner, since) values (?, ?, ?, ?, ?)');
    expect(() => insert.run('ALICE', '127.0.0.2', 6000, 'c2', 0)).toThrow(/UNIQUE/);
    expect(() => insert.run('Alice', '127.0.0.2', 6000, 'c2', 0)).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }));
    expect(() => insert.run('bob', '127.0.0.2', 6000, 'c1', 0)).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }));
    expect(() => insert.run('carol', '127.0.0.2', 0, 'c3', 0)).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_CHECK' }));
    expect((await registry.list()).map((e) => e.name)).toEqual(['alice']);
  });

  test('a storage failure during register is a RegistryStorageError, not a name conflict, and changes nothing', async () => {
    const { registry, db } = await openWithInstance();
    db.exec("create trigger refuse before insert on presence begin select raise(abort, 'refused by test'); end");
    const attempt = registry.register(alice);
    await expect(attempt).rejects.toBeInstanceOf(RegistryStorageError);
    await expect(attempt).rejects.toMatchObject({ code: 'storage-failed' });
    await expect(attempt).rejects.not.toBeInstanceOf(NameTakenError);
    expect(await registry.list()).toEqual([]);
    db.exec('drop trigger refuse');
    expect((await registry.register(alice)).name).toBe('alice');
  });

  test('storage failures of reads are RegistryStorageError', async () => {
    const { registry, db } = await openWithInstance();
    db.exec('drop table presence');
    await expect(registry.lookup('alice')).rejects.toBeInstanceOf(RegistryStorageError);
    await expect(registry.list()).rejects.toBeInstanceOf(RegistryStorageError);
    await expect(registry.removeByOwner('c1')).rejects.toBeInstanceOf(RegistryStorageError);
    await expect(registry.clear()).rejects.toBeInstanceOf(RegistryStorageError);
  });

  test('accepts an open database or a factory, and closing the registry closes it', async () => {
    const instance = new Database(':memory:');
    const fromInstance = await open(instance);
    await fromInstance.register(alice);
    expect((await fromInstance.lookup('Alice'))?.owner).toBe('c1');
    await fromInstance.close();
    expect(instance.open).toBe(false);

    let made: Database.Database | undefined;
    const fromFactory = await open(async () => (made = new Database(file)));
    await fromFactory.register(alice);
    await fromFactory.close();
    expect(made?.open).toBe(false);
  });

  describe('unusable databases reject with RegistryStorageError', () => {
    test.each([
      ['a path in a missing directory', (d: string) => join(d, 'missing', 'registry.db')],
      ['a directory', (d: string) => d],
      ['a path below a regular file', (d: string) => (writeFileSync(join(d, 'plain'), 'x'), join(d, 'plain', 'registry.db'))],
      ['a file that is not SQLite', (d: string) => (writeFileSync(join(d, 'junk.db'), 'not a database. '.repeat(64)), join(d, 'junk.db'))],
      ['an empty path', () => ''],
    ])('%s', async (_label, pathIn) => {
      const attempt = openSqliteRegistry({ database: pathIn(dir) });
      await expect(attempt).rejects.toBeInstanceOf(RegistryStorageError);
      await expect(attempt).rejects.toMatchObject({ code: 'storage-failed' });
    });

    test('a database handed over is closed when setting it up fails', async () => {
      writeFileSync(file, 'not a database. '.repeat(64));
      const instance = new Database(file);
      toClose.push(instance);
      await expect(openSqliteRegistry({ database: instance })).rejects.toBeInstanceOf(RegistryStorageError);
      expect(instance.open).toBe(false);
    });

    test('a factory that throws', async () => {
      const cause = new Error('no disk');
      const attempt = openSqliteRegistry({
        database: () => {
          throw cause;
        },
      });
      await expect(attempt).rejects.toMatchObject({ code: 'storage-failed', cause });
    });

    // root bypasses file permissions, so this case can only be checked as another user.
    test.skipIf(process.getuid?.() === 0)('a directory without write permission', async () => {
      const locked = join(dir, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      await expect(openSqliteRegistry({ database: join(locked, 'registry.db') })).rejects.toBeInstanceOf(RegistryStorageError);
    });
  });
});
