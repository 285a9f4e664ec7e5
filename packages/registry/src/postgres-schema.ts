/** The PostgreSQL registry's tables, for kysely, and their migrations. */
import { sql, type ColumnType, type GeneratedAlways, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** A server that keeps entries in the database; its entries go when its row goes. */
export interface PostgresServerTable {
  /** The id given in the registry's config (`serverId`). */
  server_id: string;
  /** When that server last opened the registry. */
  started_at: ColumnType<Date, Date | string, Date | string>;
  /**
   * Until when the server is taken to be alive, by the database's clock (migration
   * 0003). It renews this; once it has lapsed, any other server deletes the row, and
   * with it the server's entries.
   */
  lease_until: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One online name, as PostgreSQL stores it. */
export interface PostgresPresenceTable {
  /**
   * The primary key: the name with ASCII letters folded to lower case (exactly
   * @voip/protocol's `nameKey`, like SQLite's NOCASE), computed by the database itself.
   */
  name_key: GeneratedAlways<string>;
  /** As registered, case kept. */
  name: string;
  ip: string;
  port: number;
  /** With `conn_id`, the owner: unique together, so an owner holds at most one name. */
  server_id: string;
  /** The owning connection, as its server names it. */
  conn_id: string;
  since: Date;
  /** The directory version announced in REG; 1 for rows from before migration 0002. */
  version: ColumnType<number, number | undefined, number>;
  /** Caps as `json` (its text kept as written: canonical JSON), or null. pg reads it back parsed. */
  caps: ColumnType<unknown, string | null | undefined, string | null>;
}

/** Tables of the PostgreSQL registry, for kysely. */
export interface PostgresRegistryDatabase {
  voip_server: PostgresServerTable;
  voip_presence: PostgresPresenceTable;
}

/** Where kysely's Migrator records what ran; prefixed, since the database may be shared with other programs. */
export const POSTGRES_MIGRATION_TABLES = Object.freeze({
  migrationTableName: 'voip_migration',
  migrationLockTableName: 'voip_migration_lock',
});

// translate(), unlike lower(), folds ASCII letters only, whatever the database's locale.
const FOLD_ASCII = sql`translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;

/** The channel every change of `voip_presence` is announced on (migration 0003's trigger). */
export const PRESENCE_CHANNEL = 'voip_presence';

/** Epoch milliseconds of a timestamptz, as a JSON number. */
const EPOCH_MS = (column: string) => `floor(extract(epoch from ${column}) * 1000)::bigint`;

/**
 * The trigger function of migration 0003: every row inserted, updated or deleted in
 * `voip_presence` (also by a cascade from `voip_server`) is announced on
 * {@link PRESENCE_CHANNEL}, at commit: `{"op":"D","server_id","conn_id","name_key"}` for
 * a row gone, `{"op":"I", ...the row}` for a row stored. The payload stays far below
 * NOTIFY's 8000 bytes: names are at most 32 characters, caps at most 8 formats, and
 * server ids at most 128 characters.
 */
const NOTIFY_FUNCTION = `
create function voip_presence_notify() returns trigger language plpgsql as $body$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    perform pg_notify('${PRESENCE_CHANNEL}', json_build_object('op', 'D', 'server_id', old.server_id, 'conn_id', old.conn_id, 'name_key', old.name_key)::text);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform pg_notify('${PRESENCE_CHANNEL}', json_build_object('op', 'I', 'name', new.name, 'ip', new.ip, 'port', new.port, 'server_id', new.server_id,
      'conn_id', new.conn_id, 'since', ${EPOCH_MS('new.since')}, 'version', new.version, 'caps', new.caps)::text);
  end if;
  return null;
end
$body$`;

/**
 * The schema's history, kept in code so that it works from `dist/` and from an
 * installed tarball. Names sort in the order they apply; never edit one that has
 * shipped, add the next. Each runs in one transaction (PostgreSQL's DDL is
 * transactional), under kysely's migration lock, so servers starting together are safe.
 */
export const postgresRegistryMigrations: Readonly<Record<string, Migration>> = {
  '0001-presence': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('voip_server')
        .addColumn('server_id', 'text', (col) => col.primaryKey().check(sql`length(server_id) > 0`))
        .addColumn('started_at', 'timestamptz', (col) => col.notNull())
        .execute();
      await db.schema
        .createTable('voip_presence')
        // The C collation orders keys by code point, as list() promises, whatever the locale.
        .addColumn('name_key', sql`text collate "C"`, (col) => col.primaryKey().generatedAlwaysAs(FOLD_ASCII).stored())
        .addColumn('name', 'text', (col) => col.notNull().check(sql`length(name) > 0`))
        .addColumn('ip', 'text', (col) => col.notNull().check(sql`length(ip) > 0`))
        .addColumn('port', 'integer', (col) => col.notNull().check(sql`port between 1 and 65535`))
        .addColumn('server_id', 'text', (col) => col.notNull().references('voip_server.server_id').onDelete('cascade'))
        .addColumn('conn_id', 'text', (col) => col.notNull().check(sql`length(conn_id) > 0`))
        .addColumn('since', 'timestamptz', (col) => col.notNull())
        .addUniqueConstraint('voip_presence_owner_key', ['server_id', 'conn_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('voip_presence').execute();
      await db.schema.dropTable('voip_server').execute();
    },
  },
  '0002-version-caps': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Existing rows (other servers' entries) read as classic: version 1, no caps.
      // `json`, not `jsonb`: the text is kept as written, so the key order the
      // directory relays is the one every backend stores.
      await db.schema
        .alterTable('voip_presence')
        .addColumn('version', 'integer', (col) =>
          col
            .notNull()
            .defaultTo(1)
            .check(sql`version >= 1`),
        )
        .addColumn('caps', 'json')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('voip_presence').dropColumn('caps').dropColumn('version').execute();
    },
  },
  '0003-lease-notify': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('voip_server')
        .addColumn('lease_until', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      // Servers of the previous release never renew: their entries stay a minute after the upgrade, then go.
      await sql`update voip_server set lease_until = now() + interval '60 seconds'`.execute(db);
      await sql.raw(NOTIFY_FUNCTION).execute(db);
      await sql`create trigger voip_presence_notify after insert or update or delete on voip_presence for each row execute function voip_presence_notify()`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop trigger voip_presence_notify on voip_presence`.execute(db);
      await sql`drop function voip_presence_notify()`.execute(db);
      await db.schema.alterTable('voip_server').dropColumn('lease_until').execute();
    },
  },
};

/** Serves {@link postgresRegistryMigrations} to kysely's Migrator. */
export const postgresRegistryMigrationProvider: MigrationProvider = {
  async getMigrations() {
    return postgresRegistryMigrations;
  },
};
