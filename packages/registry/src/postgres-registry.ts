/** The PostgreSQL registry backend: kysely's PostgresDialect over a pg pool, shared by every server on one database. */
import { Kysely, Migrator, PostgresDialect, sql, type PostgresPool, type Selectable } from 'kysely';
import { nameKey } from '@voip/protocol';
import { checkNewEntry, readCaps } from './entry.js';
import { NameTakenError, OwnerHasNameError, RegistryStorageError, type RegistryStorageReason } from './errors.js';
import { postgresFailureReason, violatedUniqueConstraint } from './postgres-errors.js';
import { POSTGRES_MIGRATION_TABLES, postgresRegistryMigrationProvider, type PostgresPresenceTable, type PostgresRegistryDatabase } from './postgres-schema.js';
import type { NewRegistryEntry, Registry, RegistryEntry } from './registry.js';

/** Where {@link openPostgresRegistry} keeps its data, like kysely's PostgresDialectConfig. */
export interface PostgresRegistryConfig {
  /**
   * A connection string (`postgres://USER@HOST:PORT/DB`; what it leaves out comes from
   * the `PG*` environment variables, as psql takes them, and `''` takes everything from
   * there), a pg `Pool`, or a function returning one. The registry owns the pool from
   * then on: {@link Registry.close} ends it.
   */
  readonly pool: string | PostgresPool | (() => PostgresPool | Promise<PostgresPool>);
  /**
   * This server's id, unique among the servers sharing the database. With a
   * connection id it makes an owner; the registry removes and clears only the
   * entries of its own server id.
   */
  readonly serverId: string;
  /** Clock for entries registered without `since`, in epoch ms. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** How long a pool made from a connection string waits to connect, in ms. Defaults to 5,000. */
  readonly connectTimeoutMs?: number;
}

/** Stands for the owner column of another server's entry: `serverId/connId`. */
const FOREIGN_OWNER_SEPARATOR = '/';

const COLUMNS = ['name', 'ip', 'port', 'server_id', 'conn_id', 'since', 'version', 'caps'] as const;

type PresenceRow = Pick<Selectable<PostgresPresenceTable>, (typeof COLUMNS)[number]>;

/** A pool, and for one made from settings, where it connects (`USER@HOST:PORT/DB`, no password) for messages. */
interface ResolvedPool {
  readonly pool: PostgresPool;
  readonly target: string | undefined;
}

/** Makes a pg Pool from a connection string; pg is loaded only then, so a caller's own pool needs no import of it. */
async function poolFromConnectionString(connectionString: string, connectTimeoutMs: number): Promise<ResolvedPool> {
  if (connectionString.length > 0) {
    let url: URL;
    try {
      url = new URL(connectionString);
    } catch (error) {
      throw new RegistryStorageError('the connection string is not a valid URL (expected postgres://USER@HOST:PORT/DB)', error, 'config');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new RegistryStorageError(`the connection string must start with postgres://, not ${url.protocol}//`, undefined, 'config');
    }
  }
  const { default: pg } = await import('pg');
  const settings = { connectionString: connectionString.length > 0 ? connectionString : undefined, connectionTimeoutMillis: connectTimeoutMs };
  // A Client reads the settings as a connection would (URL, then PG* variables, then
  // defaults) without connecting: a bad port from any of them is caught here.
  let client: InstanceType<typeof pg.Client>;
  try {
    client = new pg.Client(settings);
  } catch (error) {
    throw new RegistryStorageError('the connection settings are unusable', error, 'config');
  }
  const { port, user, host, database } = client;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    // pg reads PGPORT as parseInt would: a NaN port came from there, as text.
    const given = Number.isNaN(port) ? `PGPORT="${process.env.PGPORT ?? ''}"` : String(port);
    throw new RegistryStorageError(`the database port must be a number from 1 to 65535 (from the URL or PGPORT), got ${given}`, undefined, 'config');
  }
  const pool = new pg.Pool(settings);
  // An idle connection that breaks (the database restarted) is dropped by the pool and
  // the next query gets a fresh one, or fails and says so; without a listener pg
  // would crash the process instead.
  pool.on('error', () => undefined);
  return { pool, target: `${user ?? ''}@${host}:${port}/${database ?? ''}` };
}

async function resolvePool(config: PostgresRegistryConfig): Promise<ResolvedPool> {
  const { pool } = config;
  if (typeof pool === 'string') return poolFromConnectionString(pool, config.connectTimeoutMs ?? 5000);
  try {
    return { pool: typeof pool === 'function' ? await pool() : pool, target: undefined };
  } catch (error) {
    throw new RegistryStorageError('the registry pool factory failed', error, 'config');
  }
}

/** A RegistryStorageError for a pg failure, with the reason the error gives (or `fallback`). */
function storageError(message: string, error: unknown, fallback: RegistryStorageReason = 'failed'): RegistryStorageError {
  if (error instanceof RegistryStorageError) return error;
  const reason = postgresFailureReason(error);
  return new RegistryStorageError(message, error, reason === 'failed' ? fallback : reason);
}

/**
 * Opens a registry stored in PostgreSQL through kysely and pg: checks the database can
 * be reached, applies the schema migrations, records this server in `voip_server` and
 * deletes the presence rows its previous run left behind (never another server's).
 * Rejects with RegistryStorageError whose `reason` says what went wrong (`config`,
 * `unreachable`, `login`, `schema`); the pool is ended then.
 */
export async function openPostgresRegistry(config: PostgresRegistryConfig): Promise<Registry> {
  const now = config.now ?? Date.now;
  const serverId = config.serverId;
  if (typeof serverId !== 'string' || serverId.length === 0) {
    throw new RegistryStorageError('serverId must be a non-empty string', undefined, 'config');
  }
  const { pool, target } = await resolvePool(config);
  const where = target === undefined ? 'the database' : `the database ${target}`;
  const db = new Kysely<PostgresRegistryDatabase>({ dialect: new PostgresDialect({ pool }) });
  try {
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      throw storageError(`cannot connect to ${where}`, error);
    }
    const { error } = await new Migrator({ db, provider: postgresRegistryMigrationProvider, ...POSTGRES_MIGRATION_TABLES }).migrateToLatest();
    if (error !== undefined) throw storageError(`cannot migrate the registry schema in ${where}`, error, 'schema');
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('voip_server')
        .values({ server_id: serverId, started_at: new Date(now()) })
        .onConflict((oc) => oc.column('server_id').doUpdateSet({ started_at: (eb) => eb.ref('excluded.started_at') }))
        .execute();
      // Names belong to connections, and none outlives its server: its old rows are stale.
      await trx.deleteFrom('voip_presence').where('server_id', '=', serverId).execute();
    });
  } catch (error) {
    // The setup error is the one worth reporting; ending the pool is best effort.
    await db.destroy().catch(() => undefined);
    throw storageError(`cannot set up ${where}`, error);
  }
  return createPostgresRegistry(db, serverId, now);
}

function createPostgresRegistry(db: Kysely<PostgresRegistryDatabase>, serverId: string, now: () => number): Registry {
  let closed = false;

  function ensureOpen(): void {
    if (closed) throw new RegistryStorageError('the registry is closed', undefined, 'closed');
  }

  /** Own entries are owned by their connection id; another server's by `serverId/connId`, so owners stay distinct. */
  function toEntry(row: PresenceRow): RegistryEntry {
    const owner = row.server_id === serverId ? row.conn_id : `${row.server_id}${FOREIGN_OWNER_SEPARATOR}${row.conn_id}`;
    return { name: row.name, ip: row.ip, port: row.port, owner, since: new Date(row.since.getTime()), version: row.version, caps: readCaps(row.caps) };
  }

  async function ownerHolds(owner: string): Promise<boolean> {
    const row = await db.selectFrom('voip_presence').select('name').where('server_id', '=', serverId).where('conn_id', '=', owner).executeTakeFirst();
    return row !== undefined;
  }

  return {
    async register(entry: NewRegistryEntry): Promise<RegistryEntry> {
      ensureOpen();
      const { since, version, caps } = checkNewEntry(entry, now);
      try {
        // One statement: it stores the whole row or nothing, and the unique indexes
        // decide races between connections and between servers.
        await db
          .insertInto('voip_presence')
          .values({ name: entry.name, ip: entry.ip, port: entry.port, server_id: serverId, conn_id: entry.owner, since: new Date(since), version, caps })
          .execute();
      } catch (error) {
        const constraint = violatedUniqueConstraint(error);
        if (constraint === undefined) throw storageError('cannot store the name', error);
        // The owner rule first, as in every backend: an owner asking for a taken name
        // while it holds one is told it holds one.
        if (constraint === 'voip_presence_owner_key') throw new OwnerHasNameError(entry.owner);
        let holds: boolean;
        try {
          holds = await ownerHolds(entry.owner);
        } catch (checkError) {
          throw storageError('cannot store the name', checkError);
        }
        throw holds ? new OwnerHasNameError(entry.owner) : new NameTakenError(entry.name);
      }
      return { name: entry.name, ip: entry.ip, port: entry.port, owner: entry.owner, since: new Date(since), version, caps: readCaps(caps) };
    },

    async lookup(name: string): Promise<RegistryEntry | undefined> {
      ensureOpen();
      let row: PresenceRow | undefined;
      try {
        row = await db.selectFrom('voip_presence').select(COLUMNS).where('name_key', '=', nameKey(name)).executeTakeFirst();
      } catch (error) {
        throw storageError('cannot look the name up', error);
      }
      return row === undefined ? undefined : toEntry(row);
    },

    async list(): Promise<RegistryEntry[]> {
      ensureOpen();
      let rows: PresenceRow[];
      try {
        // Keys are unique and in the C collation: ordering by them is list()'s order.
        rows = await db.selectFrom('voip_presence').select(COLUMNS).orderBy('name_key').execute();
      } catch (error) {
        throw storageError('cannot list the names', error);
      }
      return rows.map(toEntry);
    },

    async removeByOwner(owner: string): Promise<RegistryEntry | undefined> {
      ensureOpen();
      let row: PresenceRow | undefined;
      try {
        row = await db.deleteFrom('voip_presence').where('server_id', '=', serverId).where('conn_id', '=', owner).returning(COLUMNS).executeTakeFirst();
      } catch (error) {
        throw storageError('cannot remove the name', error);
      }
      return row === undefined ? undefined : toEntry(row);
    },

    async clear(): Promise<void> {
      ensureOpen();
      try {
        await db.deleteFrom('voip_presence').where('server_id', '=', serverId).execute();
      } catch (error) {
        throw storageError('cannot clear the registry', error);
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
      } catch (error) {
        throw storageError('cannot close the registry database', error);
      }
    },
  };
}
