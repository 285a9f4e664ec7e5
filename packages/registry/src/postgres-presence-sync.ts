/** The statements that keep one server's lease and entries in the shared PostgreSQL tables, and read the other servers' entries into its view. */
import { sql, type Kysely } from 'kysely';
import { nameKey } from '@voip/protocol';
import type { PostgresRegistryDatabase } from './postgres-schema.js';
import { viewRowOf, type ViewRow } from './presence-view.js';

/** Rows per INSERT when entries are stored again (8 parameters each, far below PostgreSQL's 65,535). */
const INSERT_CHUNK = 500;

/** The database's clock plus a lease: every server's lease is read on the one clock, so theirs never disagree. */
function leaseEnd(leaseMs: number) {
  return sql<Date>`now() + make_interval(secs => ${leaseMs / 1000})`;
}

/** The table's values for an entry of this server. */
function rowValues(serverId: string, row: ViewRow) {
  return { name: row.name, ip: row.ip, port: row.port, server_id: serverId, conn_id: row.connId, since: new Date(row.since), version: row.version, caps: row.caps };
}

/** Stores one entry of this server; the unique indexes decide races with every other connection and server. */
export async function insertOwn(db: Kysely<PostgresRegistryDatabase>, serverId: string, row: ViewRow): Promise<void> {
  await db.insertInto('voip_presence').values(rowValues(serverId, row)).execute();
}

/** Renews this server's lease; false when its row is gone (another server found the lease lapsed and removed it). */
export async function renewLease(db: Kysely<PostgresRegistryDatabase>, serverId: string, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable('voip_server')
    .set({ lease_until: leaseEnd(leaseMs) })
    .where('server_id', '=', serverId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Removes the servers whose lease lapsed (never this one); their entries go with them (cascade), and the trigger tells everyone. */
export async function removeLapsedServers(db: Kysely<PostgresRegistryDatabase>, serverId: string): Promise<void> {
  await db
    .deleteFrom('voip_server')
    .where('server_id', '<>', serverId)
    .where('lease_until', '<', sql<Date>`now()`)
    .execute();
}

/** Removes this server's row, and so its entries: what a server that stops does last. */
export async function removeServer(db: Kysely<PostgresRegistryDatabase>, serverId: string): Promise<void> {
  await db.deleteFrom('voip_server').where('server_id', '=', serverId).execute();
}

/**
 * Makes the table hold exactly this server's `own` entries, in one transaction: its
 * `voip_server` row is made (or its lease renewed), its rows for connections that
 * ended (or that hold another name now) are deleted, and the entries missing are
 * stored again. Resolves with the entries that could not be stored because another
 * server's user holds the name now.
 */
export async function reassertOwn(db: Kysely<PostgresRegistryDatabase>, serverId: string, own: readonly ViewRow[], leaseMs: number, startedAt: Date): Promise<ViewRow[]> {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('voip_server')
      .values({ server_id: serverId, started_at: startedAt, lease_until: leaseEnd(leaseMs) })
      .onConflict((oc) => oc.column('server_id').doUpdateSet({ lease_until: (eb) => eb.ref('excluded.lease_until') }))
      .execute();
    const wanted = new Map(own.map((row) => [row.connId, nameKey(row.name)]));
    const present = await trx.selectFrom('voip_presence').select(['conn_id', 'name_key']).where('server_id', '=', serverId).execute();
    const stale = present.filter((row) => wanted.get(row.conn_id) !== row.name_key).map((row) => row.conn_id);
    if (stale.length > 0) await trx.deleteFrom('voip_presence').where('server_id', '=', serverId).where('conn_id', 'in', stale).execute();
    const kept = new Set(present.filter((row) => wanted.get(row.conn_id) === row.name_key).map((row) => row.conn_id));
    const missing = own.filter((row) => !kept.has(row.connId));
    const stored = new Set<string>();
    for (let i = 0; i < missing.length; i += INSERT_CHUNK) {
      const chunk = missing.slice(i, i + INSERT_CHUNK).map((row) => rowValues(serverId, row));
      const inserted = await trx
        .insertInto('voip_presence')
        .values(chunk)
        .onConflict((oc) => oc.doNothing())
        .returning('conn_id')
        .execute();
      for (const row of inserted) stored.add(row.conn_id);
    }
    return missing.filter((row) => !stored.has(row.connId));
  });
}

/** The other servers' entries, as the table holds them now. */
export async function readOthers(db: Kysely<PostgresRegistryDatabase>, serverId: string): Promise<ViewRow[]> {
  const rows = await db.selectFrom('voip_presence').select(['name', 'ip', 'port', 'server_id', 'conn_id', 'since', 'version', 'caps']).where('server_id', '<>', serverId).execute();
  return rows.map((row) => viewRowOf(row)).filter((row): row is ViewRow => row !== undefined);
}
