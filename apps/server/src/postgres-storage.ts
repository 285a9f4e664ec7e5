/** Opens the PostgreSQL registry for `voip-server --db postgres...`, saying what to do when it cannot. */
import { hostname } from 'node:os';
import { RegistryStorageError, openPostgresRegistry, type Registry, type RegistryStorageReason } from '@voip/registry';

/** How the storage is named in the log: the URL without its password, or where the settings come from. */
export function postgresStorageLabel(url: string): string {
  if (url.length === 0) return 'postgres (PG* environment variables)';
  const parsed = new URL(url);
  if (parsed.password.length > 0) parsed.password = '';
  return parsed.toString();
}

/**
 * This server's id among the servers sharing the database when `--server-id` is not
 * given: its host name and `--port`, so a restarted server finds (and clears) its own
 * old entries. With `--port 0` the port is not known yet and differs at every start,
 * so the process id stands in: `HOSTNAME:0-PID`.
 */
export function postgresServerId(port: number, pid: number = process.pid): string {
  return `${hostname()}:${port === 0 ? `0-${pid}` : port}`;
}

/** What to do, by reason of failure. */
const ADVICE: Readonly<Record<RegistryStorageReason, string>> = {
  config: 'Fix --db postgres://USER@HOST:PORT/DB or the PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).',
  unreachable: 'Check that PostgreSQL is running and accepts connections at that host and port (listen_addresses, pg_hba.conf, firewall), or point --db at another.',
  login: 'Check the user and its password (PGPASSWORD or ~/.pgpass) and that the database exists (createdb DB), or point --db at another.',
  schema:
    "The user must be allowed to create tables in the database (e.g. GRANT CREATE ON SCHEMA public TO the user, or use the database's owner), and the database must not hold tables from a newer voip-server.",
  closed: 'This is a bug: please report it.',
  failed: 'Check the PostgreSQL server log.',
};

const WHAT: Readonly<Record<RegistryStorageReason, string>> = {
  config: 'bad PostgreSQL connection settings',
  unreachable: 'cannot reach the PostgreSQL database',
  login: 'the PostgreSQL database refused the login',
  schema: 'the PostgreSQL schema migration failed',
  closed: 'the PostgreSQL registry is closed',
  failed: 'cannot use the PostgreSQL database',
};

/**
 * Opens the registry on PostgreSQL (`url` as `--db` gave it; `''` for the PG* variables
 * only). Resolves with it and its log label, or with the message to print (exit 2)
 * saying which failure it was and what to do.
 */
export async function openPostgresStorage(url: string, serverId: string): Promise<{ registry: Registry; label: string } | string> {
  try {
    const registry = await openPostgresRegistry({ pool: url, serverId });
    return { registry, label: postgresStorageLabel(url) };
  } catch (error) {
    if (!(error instanceof RegistryStorageError)) throw error;
    return `${WHAT[error.reason]}: ${error.message}. ${ADVICE[error.reason]}`;
  }
}
