/** The pg pool of the PostgreSQL registry: made from a connection string (checked before any connection) or handed over, and how its failures read. */
import type { PostgresPool } from 'kysely';
import { RegistryStorageError, type RegistryStorageReason } from './errors.js';
import { postgresFailureReason } from './postgres-errors.js';

/** Where the pool comes from, as {@link PostgresRegistryConfig} takes it. */
export type PoolSource = string | PostgresPool | (() => PostgresPool | Promise<PostgresPool>);

/** Timeouts of a pool made from a connection string, in ms. */
export interface PoolTimeouts {
  readonly connectTimeoutMs: number;
  /** A query without an answer for this long fails (a database that stopped answering, not only refusing). */
  readonly queryTimeoutMs: number;
}

/** A pool, and for one made from settings, where it connects (`USER@HOST:PORT/DB`, no password) for messages. */
export interface ResolvedPool {
  readonly pool: PostgresPool;
  readonly target: string | undefined;
}

/** Makes a pg Pool from a connection string; pg is loaded only then, so a caller's own pool needs no import of it. */
async function poolFromConnectionString(connectionString: string, timeouts: PoolTimeouts): Promise<ResolvedPool> {
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
  const settings = {
    connectionString: connectionString.length > 0 ? connectionString : undefined,
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    query_timeout: timeouts.queryTimeoutMs,
  };
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
  // The pool listens only to idle connections: one handed out (between the statements of
  // a transaction, say) that breaks would emit an error nobody hears, which ends the
  // process. Its next query fails instead, and says so.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return { pool, target: `${user ?? ''}@${host}:${port}/${database ?? ''}` };
}

/** The pool to use: made from a connection string (pg loaded then), or the one handed over (or made by the factory). */
export async function resolvePool(pool: PoolSource, timeouts: PoolTimeouts): Promise<ResolvedPool> {
  if (typeof pool === 'string') return poolFromConnectionString(pool, timeouts);
  try {
    return { pool: typeof pool === 'function' ? await pool() : pool, target: undefined };
  } catch (error) {
    throw new RegistryStorageError('the registry pool factory failed', error, 'config');
  }
}

/** A RegistryStorageError for a pg failure, with the reason the error gives (or `fallback`). */
export function storageError(message: string, error: unknown, fallback: RegistryStorageReason = 'failed'): RegistryStorageError {
  if (error instanceof RegistryStorageError) return error;
  const reason = postgresFailureReason(error);
  return new RegistryStorageError(message, error, reason === 'failed' ? fallback : reason);
}
