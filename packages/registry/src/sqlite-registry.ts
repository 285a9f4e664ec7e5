import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type CompiledQuery, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { checkNewEntry, readCaps } from './entry.js';
import { NameTakenError, OwnerHasNameError, RegistryStorageError, type RegistryError } from './errors.js';
import type { NewRegistryEntry, Registry, RegistryEntry } from './registry.js';
import { registryMigrationProvider, type PresenceTable, type RegistryDatabase } from './sqlite-schema.js';

/** A prepared statement, as better-sqlite3 gives it (only what the registry uses). */
export interface SqliteRegistryStatement extends SqliteStatement {
  get(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
}

/**
 * A better-sqlite3 `Database`, described by shape so that this package's types
 * never require the driver's type declarations.
 */
export interface SqliteRegistryDatabase extends SqliteDatabase {
  prepare(sql: string): SqliteRegistryStatement;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** True for an in-memory database (no WAL there). */
  readonly memory: boolean;
}

/** Where {@link openSqliteRegistry} keeps its data, like kysely's SqliteDialectConfig. */
export interface SqliteRegistryConfig {
  /**
   * A file path (created if missing; its directory must exist) or `':memory:'`, an
   * open better-sqlite3 database, or a function returning one. The registry owns the
   * database from then on: {@link Registry.close} closes it.
   */
  readonly database: string | SqliteRegistryDatabase | (() => SqliteRegistryDatabase | Promise<SqliteRegistryDatabase>);
  /** Clock for entries registered without `since`, in epoch ms. Defaults to `Date.now`. */
  readonly now?: () => number;
}

type PresenceRow = PresenceTable;

function toEntry(row: PresenceRow): RegistryEntry {
  return { name: row.name, ip: row.ip, port: row.port, owner: row.owner, since: new Date(row.since), version: row.version, caps: readCaps(row.caps) };
}

async function resolveDatabase(database: SqliteRegistryConfig['database']): Promise<SqliteRegistryDatabase> {
  if (typeof database === 'string') {
    if (database.length === 0) throw new RegistryStorageError('the database path is empty');
    try {
      return new Database(database);
    } catch (error) {
      throw new RegistryStorageError(`cannot open the registry database "${database}"`, error);
    }
  }
  try {
    return typeof database === 'function' ? await database() : database;
  } catch (error) {
    throw new RegistryStorageError('the registry database factory failed', error);
  }
}

/** Prepares a compiled kysely query on the driver, checking its parameters come in the order we bind them. */
function prepareCompiled(db: SqliteRegistryDatabase, query: CompiledQuery, expected: readonly unknown[]): SqliteRegistryStatement {
  const params = query.parameters;
  if (params.length !== expected.length || params.some((p, i) => p !== expected[i])) {
    throw new Error(`unexpected parameter order in: ${query.sql}`);
  }
  return db.prepare(query.sql);
}

/** True when SQLite gave up waiting for a lock another connection holds. */
function isBusyError(error: unknown): boolean {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** True for the errors SQLite raises when a row breaks a UNIQUE or PRIMARY KEY rule. */
function isUniquenessError(error: unknown): boolean {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Opens a registry stored in SQLite through kysely and better-sqlite3: applies the
 * schema migrations, turns on WAL for files, and deletes the presence rows a previous
 * run left behind (after a crash nobody is online any more). A server therefore owns
 * its database file: two servers must never share one, and the registry holds an
 * exclusive lock on the file until {@link Registry.close}, so a second opener fails
 * (after the driver's busy timeout) and other programs cannot read the file
 * meanwhile. Rejects with RegistryStorageError when the database cannot be opened
 * or set up, e.g. a path in a missing directory, a directory, a file that is not
 * SQLite, no permission, or a schema from a newer version; the database is closed then.
 */
export async function openSqliteRegistry(config: SqliteRegistryConfig): Promise<Registry> {
  const now = config.now ?? Date.now;
  const raw = await resolveDatabase(config.database);
  const kysely = new Kysely<RegistryDatabase>({ dialect: new SqliteDialect({ database: raw }) });
  let statements;
  try {
    // The server owns its file: an exclusive lock, taken at the first read below and
    // held until close, keeps a second server out (it fails to open instead of
    // clearing the first one's rows) and spares every query WAL's shared-memory
    // locking, which makes lookups several times faster.
    raw.pragma('locking_mode = EXCLUSIVE');
    const mode = raw.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && !(raw.memory && mode === 'memory')) {
      throw new Error(`journal_mode is ${String(mode)}, WAL could not be turned on`);
    }
    // Presence rows are cleared at every open, so a lost last transaction on power
    // failure costs nothing; NORMAL keeps WAL safe from corruption.
    raw.pragma('synchronous = NORMAL');
    const { error } = await new Migrator({ db: kysely, provider: registryMigrationProvider }).migrateToLatest();
    if (error !== undefined) throw new RegistryStorageError('cannot migrate the registry schema', error, 'schema');
    await kysely.deleteFrom('presence').execute();

    // Hot queries: built and compiled by kysely once, prepared once on the driver.
    // Names are unique under NOCASE, so ordering by the NOCASE column is total and
    // matches list()'s contract (without case, then with) and reads the primary key in order.
    const columns = ['name', 'ip', 'port', 'owner', 'since', 'version', 'caps'] as const;
    const q = kysely.selectFrom('presence').select(columns);
    statements = {
      lookup: prepareCompiled(raw, q.where('name', '=', '$name').compile(), ['$name']),
      list: prepareCompiled(raw, q.orderBy('name').compile(), []),
      ownerHolds: prepareCompiled(raw, kysely.selectFrom('presence').select('name').where('owner', '=', '$owner').compile(), ['$owner']),
      insert: prepareCompiled(raw, kysely.insertInto('presence').values({ name: '$name', ip: '$ip', port: -1, owner: '$owner', since: -2, version: -3, caps: '$caps' }).compile(), [
        '$name',
        '$ip',
        -1,
        '$owner',
        -2,
        -3,
        '$caps',
      ]),
      remove: prepareCompiled(raw, kysely.deleteFrom('presence').where('owner', '=', '$owner').returning(columns).compile(), ['$owner']),
      clear: prepareCompiled(raw, kysely.deleteFrom('presence').compile(), []),
    };
  } catch (error) {
    // The setup error is the one worth reporting; closing is best effort. kysely only
    // closes a database it has used, so the driver handle is closed directly too.
    await kysely.destroy().catch(() => undefined);
    try {
      raw.close();
    } catch {
      // already reported above
    }
    if (error instanceof RegistryStorageError) throw error;
    if (isBusyError(error)) {
      throw new RegistryStorageError('the registry database is in use by another program (another voip-server on the same file?)', error);
    }
    throw new RegistryStorageError('cannot set up the registry database', error);
  }
  const { lookup, list, ownerHolds, insert, remove, clear } = statements;
  let closed = false;

  function ensureOpen(): void {
    if (closed) throw new RegistryStorageError('the registry is closed', undefined, 'closed');
  }

  return {
    async register(entry: NewRegistryEntry): Promise<RegistryEntry> {
      ensureOpen();
      const { since, version, caps } = checkNewEntry(entry, now);
      try {
        insert.run(entry.name, entry.ip, entry.port, entry.owner, since, version, caps);
      } catch (error) {
        if (!isUniquenessError(error)) throw new RegistryStorageError('cannot store the name', error);
        // Which rule refused it is checked, not read from SQLite's message, in the same
        // order as the memory backend (the owner first).
        let conflict: RegistryError | undefined;
        try {
          if (ownerHolds.get(entry.owner) !== undefined) conflict = new OwnerHasNameError(entry.owner);
          else if (lookup.get(entry.name) !== undefined) conflict = new NameTakenError(entry.name);
        } catch (checkError) {
          throw new RegistryStorageError('cannot store the name', checkError);
        }
        throw conflict ?? new RegistryStorageError('cannot store the name', error);
      }
      return { name: entry.name, ip: entry.ip, port: entry.port, owner: entry.owner, since: new Date(since), version, caps: readCaps(caps) };
    },

    async lookup(name: string): Promise<RegistryEntry | undefined> {
      ensureOpen();
      let row: unknown;
      try {
        row = lookup.get(name);
      } catch (error) {
        throw new RegistryStorageError('cannot look the name up', error);
      }
      return row === undefined ? undefined : toEntry(row as PresenceRow);
    },

    async list(): Promise<RegistryEntry[]> {
      ensureOpen();
      let rows: unknown[];
      try {
        rows = list.all();
      } catch (error) {
        throw new RegistryStorageError('cannot list the names', error);
      }
      return (rows as PresenceRow[]).map(toEntry);
    },

    async removeByOwner(owner: string): Promise<RegistryEntry | undefined> {
      ensureOpen();
      let row: unknown;
      try {
        row = remove.get(owner);
      } catch (error) {
        throw new RegistryStorageError('cannot remove the name', error);
      }
      return row === undefined ? undefined : toEntry(row as PresenceRow);
    },

    async clear(): Promise<void> {
      ensureOpen();
      try {
        clear.run();
      } catch (error) {
        throw new RegistryStorageError('cannot clear the registry', error);
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await kysely.destroy();
      } catch (error) {
        throw new RegistryStorageError('cannot close the registry database', error);
      }
    },
  };
}
