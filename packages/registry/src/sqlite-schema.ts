/** The SQLite registry's table, for kysely, and its migrations. */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** One online name, as SQLite stores it. */
export interface PresenceTable {
  /** Unique without case through its NOCASE collation (ASCII folding, like the protocol's names). */
  name: string;
  ip: string;
  port: number;
  /** Unique: an owner holds at most one name. */
  owner: string;
  /** Epoch milliseconds. */
  since: number;
  /** The directory version announced in REG; 1 for rows from before migration 0002. */
  version: number;
  /** Canonical caps JSON text, or null. */
  caps: string | null;
}

/** Tables of the SQLite registry, for kysely. */
export interface RegistryDatabase {
  presence: PresenceTable;
}

/**
 * The schema's history, kept in code (not a folder scan) so that it works from
 * `dist/` and from an installed tarball. Names sort in the order they apply;
 * never edit one that has shipped, add the next.
 */
export const registryMigrations: Readonly<Record<string, Migration>> = {
  '0001-presence': {
    async up(db: Kysely<unknown>): Promise<void> {
      // WITHOUT ROWID: the NOCASE primary key is the table itself, so a lookup by
      // name is one b-tree search, and the database refuses case-variant duplicates.
      await db.schema
        .createTable('presence')
        .addColumn('name', 'text', (col) =>
          col
            .notNull()
            .primaryKey()
            .modifyEnd(sql`collate nocase`),
        )
        .addColumn('ip', 'text', (col) => col.notNull().check(sql`length(ip) > 0`))
        .addColumn('port', 'integer', (col) => col.notNull().check(sql`port between 1 and 65535`))
        .addColumn('owner', 'text', (col) => col.notNull().check(sql`length(owner) > 0`))
        .addColumn('since', 'integer', (col) => col.notNull())
        .modifyEnd(sql`without rowid`)
        .execute();
      await db.schema.createIndex('presence_owner_unique').unique().on('presence').column('owner').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('presence').execute();
    },
  },
  '0002-version-caps': {
    async up(db: Kysely<unknown>): Promise<void> {
      // SQLite's DDL is not run in a transaction by kysely's Migrator, and a crash
      // between a column and the migration's record would leave the next open adding
      // it twice: each column is added only if missing.
      const columns = await sql<{ name: string }>`select name from pragma_table_info('presence')`.execute(db);
      const has = new Set(columns.rows.map((row) => row.name));
      if (!has.has('version')) {
        await db.schema
          .alterTable('presence')
          .addColumn('version', 'integer', (col) =>
            col
              .notNull()
              .defaultTo(1)
              .check(sql`version >= 1`),
          )
          .execute();
      }
      if (!has.has('caps')) {
        await db.schema
          .alterTable('presence')
          .addColumn('caps', 'text', (col) => col.check(sql`caps is null or json_valid(caps)`))
          .execute();
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('presence').dropColumn('caps').execute();
      await db.schema.alterTable('presence').dropColumn('version').execute();
    },
  },
};

/** Serves {@link registryMigrations} to kysely's Migrator. */
export const registryMigrationProvider: MigrationProvider = {
  async getMigrations() {
    return registryMigrations;
  },
};
