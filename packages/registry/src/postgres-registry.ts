/** The PostgreSQL registry backend: kysely's PostgresDialect over a pg pool, shared by every server on one database, answering reads from a view that NOTIFY keeps fresh. */
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { nameKey } from '@voip/protocol';
import { checkNewEntry, readCaps } from './entry.js';
import { NameTakenError, OwnerHasNameError, RegistryStorageError } from './errors.js';
import { violatedUniqueConstraint } from './postgres-errors.js';
import { startPresenceListener, type PresenceListener } from './postgres-listener.js';
import { resolvePool, storageError, type PoolSource } from './postgres-pool.js';
import { insertOwn, readOthers, reassertOwn, removeLapsedServers, removeServer, renewLease } from './postgres-presence-sync.js';
import { POSTGRES_MIGRATION_TABLES, postgresRegistryMigrationProvider, type PostgresRegistryDatabase } from './postgres-schema.js';
import { PresenceView, type ViewRow } from './presence-view.js';
import type { NewRegistryEntry, RegistryEntry, SharedRegistry, SharedRegistryChange } from './registry.js';

/** Where {@link openPostgresRegistry} keeps its data, like kysely's PostgresDialectConfig. */
export interface PostgresRegistryConfig {
  /**
   * A connection string (`postgres://USER@HOST:PORT/DB`; what it leaves out comes from
   * the `PG*` environment variables, as psql takes them, and `''` takes everything from
   * there), a pg `Pool`, or a function returning one. The registry owns the pool from
   * then on: {@link Registry.close} ends it. It holds one of the pool's connections
   * for LISTEN.
   */
  readonly pool: PoolSource;
  /**
   * This server's id, unique among the servers sharing the database (1 to 128
   * characters). With a connection id it makes an owner; the registry removes and
   * clears only the entries of its own server id.
   */
  readonly serverId: string;
  /** Clock for entries registered without `since`, in epoch ms. Defaults to `Date.now`. */
  readonly now?: () => number;
  /** How long a pool made from a connection string waits to connect, in ms. Defaults to 5,000. */
  readonly connectTimeoutMs?: number;
  /** How long a query of a pool made from a connection string may go unanswered, in ms. Defaults to 5,000. */
  readonly queryTimeoutMs?: number;
  /** How long this server's lease lasts, in ms; others remove its entries once it lapses. Defaults to 9,000. */
  readonly leaseMs?: number;
  /** How often the lease is renewed, lapsed servers removed and the listening connection checked, in ms. Defaults to 5,000. */
  readonly renewMs?: number;
}

/** Defaults of the lease: renewed every 5 s, lapsed 9 s after the last renewal, so a dead server's entries go within 9 + 5 = 14 s. */
export const POSTGRES_LEASE_DEFAULTS = Object.freeze({ leaseMs: 9_000, renewMs: 5_000 });

/** The longest server id: notifications carry it, and must stay below NOTIFY's 8,000 bytes. */
const MAX_SERVER_ID_LENGTH = 128;

/** Stands for the owner column of another server's entry: `serverId/connId`. */
const FOREIGN_OWNER_SEPARATOR = '/';

/**
 * Opens a registry stored in PostgreSQL through kysely and pg: checks the database can
 * be reached, applies the schema migrations, records this server in `voip_server` with
 * a lease, deletes the presence rows its previous run left behind (never another
 * server's), LISTENs for the changes of every server and reads their entries into its
 * view. Rejects with RegistryStorageError whose `reason` says what went wrong
 * (`config`, `unreachable`, `login`, `schema`); the pool is ended then.
 */
export async function openPostgresRegistry(config: PostgresRegistryConfig): Promise<SharedRegistry> {
  const now = config.now ?? Date.now;
  const serverId = config.serverId;
  if (typeof serverId !== 'string' || serverId.length === 0 || serverId.length > MAX_SERVER_ID_LENGTH) {
    throw new RegistryStorageError(`serverId must be a string of 1 to ${MAX_SERVER_ID_LENGTH} characters`, undefined, 'config');
  }
  const leaseMs = config.leaseMs ?? POSTGRES_LEASE_DEFAULTS.leaseMs;
  const renewMs = config.renewMs ?? POSTGRES_LEASE_DEFAULTS.renewMs;
  if (!(renewMs > 0 && leaseMs > renewMs)) throw new RegistryStorageError('renewMs must be positive and below leaseMs', undefined, 'config');
  const timeouts = { connectTimeoutMs: config.connectTimeoutMs ?? 5000, queryTimeoutMs: config.queryTimeoutMs ?? 5000 };
  const { pool, target } = await resolvePool(config.pool, timeouts);
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
    const startedAt = new Date(now());
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('voip_server')
        .values({ server_id: serverId, started_at: startedAt, lease_until: sql<Date>`now() + make_interval(secs => ${leaseMs / 1000})` })
        .onConflict((oc) => oc.column('server_id').doUpdateSet({ started_at: (eb) => eb.ref('excluded.started_at'), lease_until: (eb) => eb.ref('excluded.lease_until') }))
        .execute();
      // Names belong to connections, and none outlives its server: its old rows are stale.
      await trx.deleteFrom('voip_presence').where('server_id', '=', serverId).execute();
    });
    // A server that died before this one started may have lapsed already.
    await removeLapsedServers(db, serverId);
    return await createPostgresRegistry(db, pool, { serverId, now, leaseMs, renewMs, startedAt });
  } catch (error) {
    // The setup error is the one worth reporting; ending the pool is best effort.
    await db.destroy().catch(() => undefined);
    throw storageError(`cannot set up ${where}`, error);
  }
}

interface Settings {
  readonly serverId: string;
  readonly now: () => number;
  readonly leaseMs: number;
  readonly renewMs: number;
  readonly startedAt: Date;
}

async function createPostgresRegistry(db: Kysely<PostgresRegistryDatabase>, pool: Parameters<typeof startPresenceListener>[0], settings: Settings): Promise<SharedRegistry> {
  const { serverId, now, leaseMs, renewMs, startedAt } = settings;
  const view = new PresenceView(serverId);
  const listeners = new Set<(change: SharedRegistryChange) => void>();
  let closed = false;
  let available = false;
  // The table may hold rows of this server that its view no longer has, or miss some it has
  // (a delete that failed, a lease that lapsed): made right at the next renewal.
  let dirty = false;
  // Notifications that come while the table is read are applied after it, in order.
  let buffered: string[] | undefined;
  // Writes of this server's rows (and the re-assertion) run one at a time, so the
  // re-assertion never misses an entry being stored or brings back one being removed.
  let writes: Promise<unknown> = Promise.resolve();

  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = writes.then(task, task);
    writes = run.catch(() => undefined);
    return run;
  }

  function announce(change: SharedRegistryChange): void {
    for (const listener of [...listeners]) listener(change);
  }

  function ensureOpen(): void {
    if (closed) throw new RegistryStorageError('the registry is closed', undefined, 'closed');
  }

  function ensureAvailable(): void {
    ensureOpen();
    if (!available) throw new RegistryStorageError('the directory database does not answer; the view of who is online is out of date until it does', undefined, 'unreachable');
  }

  /** Own entries are owned by their connection id; another server's by `serverId/connId`, so owners stay distinct. */
  function toEntry(row: ViewRow): RegistryEntry {
    const owner = row.serverId === serverId ? row.connId : `${row.serverId}${FOREIGN_OWNER_SEPARATOR}${row.connId}`;
    return { name: row.name, ip: row.ip, port: row.port, owner, since: new Date(row.since), version: row.version, caps: readCaps(row.caps) };
  }

  /** Makes the table hold this server's entries again, and drops from the view those another server took meanwhile. */
  async function reassert(): Promise<void> {
    const lost = await reassertOwn(db, serverId, view.ownRows(), leaseMs, startedAt);
    dirty = false;
    for (const row of lost) {
      view.removeOwn(row.connId);
      announce({ kind: 'lost', owner: row.connId, name: row.name });
    }
  }

  /** After (re)connecting the listener: the table is the truth. */
  async function resync(): Promise<void> {
    buffered = [];
    try {
      await exclusive(reassert);
      view.replaceOthers(await readOthers(db, serverId));
      for (const payload of buffered) view.applyNotification(payload);
    } finally {
      buffered = undefined;
    }
    const wasAvailable = available;
    available = true;
    if (!wasAvailable) announce({ kind: 'available' });
    else announce({ kind: 'remote' });
  }

  const listener: PresenceListener = await startPresenceListener(
    pool,
    {
      notified(payload) {
        if (buffered !== undefined) buffered.push(payload);
        else if (view.applyNotification(payload)) announce({ kind: 'remote' });
      },
      connected: resync,
      lost(error) {
        if (!available) return;
        available = false;
        announce({ kind: 'unavailable', detail: storageError('the listening connection was lost', error).message });
      },
    },
    { applicationName: `voip-server ${serverId}`.slice(0, 63), retryMs: 250, maxRetryMs: 2000 },
  );

  let ticking = false;
  async function tick(): Promise<void> {
    if (ticking || closed) return;
    ticking = true;
    try {
      if (!(await renewLease(db, serverId, leaseMs))) dirty = true;
      if (dirty) await exclusive(reassert);
      await removeLapsedServers(db, serverId);
    } catch {
      // The database does not answer: the listener notices too, and reading resumes (with a resync) when it does.
      dirty = true;
    } finally {
      ticking = false;
    }
    await listener.check();
  }
  const timer = setInterval(() => void tick(), renewMs);
  timer.unref?.();

  return {
    serverId,

    async register(entry: NewRegistryEntry): Promise<RegistryEntry> {
      ensureOpen();
      const { since, version, caps } = checkNewEntry(entry, now);
      const row: ViewRow = { name: entry.name, ip: entry.ip, port: entry.port, serverId, connId: entry.owner, since, version, caps };
      return exclusive(async () => {
        if (view.holdsOwn(entry.owner)) throw new OwnerHasNameError(entry.owner);
        try {
          // One statement: it stores the whole row or nothing, and the unique indexes
          // decide races between connections and between servers.
          await insertOwn(db, serverId, row);
        } catch (error) {
          const constraint = violatedUniqueConstraint(error);
          if (constraint === undefined) throw storageError('cannot store the name', error);
          throw constraint === 'voip_presence_owner_key' ? new OwnerHasNameError(entry.owner) : new NameTakenError(entry.name);
        }
        view.addOwn(row);
        return toEntry(row);
      });
    },

    async lookup(name: string): Promise<RegistryEntry | undefined> {
      ensureAvailable();
      const row = view.lookup(nameKey(name));
      return row === undefined ? undefined : toEntry(row);
    },

    async list(): Promise<RegistryEntry[]> {
      ensureAvailable();
      return view.list().map(toEntry);
    },

    async removeByOwner(owner: string): Promise<RegistryEntry | undefined> {
      ensureOpen();
      return exclusive(async () => {
        // Gone from the directory at once; the table follows now, or at the next renewal if the database does not answer.
        const row = view.removeOwn(owner);
        try {
          await db.deleteFrom('voip_presence').where('server_id', '=', serverId).where('conn_id', '=', owner).execute();
        } catch {
          dirty = true;
        }
        return row === undefined ? undefined : toEntry(row);
      });
    },

    async clear(): Promise<void> {
      ensureOpen();
      await exclusive(async () => {
        view.clearOwn();
        try {
          await db.deleteFrom('voip_presence').where('server_id', '=', serverId).execute();
        } catch {
          dirty = true;
        }
      });
    },

    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    status() {
      return { serverId, available: available && !closed, otherUsers: view.otherCount };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      listeners.clear();
      await listener.close();
      await writes;
      // A server that stops takes its lease and entries with it (best effort: else they lapse).
      await removeServer(db, serverId).catch(() => undefined);
      try {
        await db.destroy();
      } catch (error) {
        throw storageError('cannot close the registry database', error);
      }
    },
  };
}
