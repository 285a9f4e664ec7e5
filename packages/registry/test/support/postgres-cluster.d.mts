/** Types of the throwaway PostgreSQL cluster of the tests (postgres-cluster.mjs). */
import type pg from 'pg';

/** A running cluster. Its superuser is `postgres`, trusted without a password on loopback and the socket. */
export interface PostgresCluster {
  /** The TCP address it listens on. */
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The folder holding its Unix socket (and, below it, its data). */
  readonly socketDir: string;
  readonly user: 'postgres';
  /** `postgres://USER@127.0.0.1:PORT/DATABASE` (`postgres` for both by default). */
  url(database?: string, user?: string): string;
  /** Runs one SQL statement as the superuser in a database (`postgres` by default). */
  query(text: string, database?: string): Promise<pg.QueryResult>;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (every connection cut at once, pg_ctl's fast mode), keeping its data: the database is gone until {@link resume}. */
  halt(): Promise<void>;
  /** Starts the halted server again, on the same port with the same data. */
  resume(): Promise<void>;
  /** Stops the cluster at once and deletes its folder; calling it again does nothing. */
  stop(): Promise<void>;
}

/** Thrown when the PostgreSQL server programs are not installed; its message says how to install them. */
export class PostgresBinariesMissingError extends Error {
  constructor(detail: string);
}

/** Finds the folder of initdb and pg_ctl: on PATH, else the newest `/usr/lib/postgresql/N/bin` (Debian's layout). */
export function findPostgresBin(where?: { path?: string; debian?: string }): string;

/** Starts a fresh cluster (about 1.5 s) on a free port of 127.0.0.1. */
export function startPostgresCluster(): Promise<PostgresCluster>;
