// Types of the faithful classic directory server double (classic-directory-server.mjs).

/** Options of {@link startClassicDirectoryServer}. */
export interface ClassicDirectoryServerOptions {
  /** IPv4 address to listen on (the reference binds one interface's address); default 127.0.0.1. */
  readonly host?: string;
  /** TCP port; default 0 (any free port). */
  readonly port?: number;
  /** Called with every log entry as it happens (the program prints each as a JSON line). */
  readonly log?: (entry: ClassicServerLogEntry) => void;
}

/** One thing the double did, in order: what its program prints as JSON lines on stdout. */
export type ClassicServerLogEntry =
  | { readonly event: 'listening'; readonly host: string; readonly port: number }
  | { readonly event: 'connection'; readonly conn: number; readonly ip: string; readonly port: number | undefined }
  | ClassicRequestLogEntry
  | { readonly event: 'closed'; readonly conn: number };

/** One `recv(1024)` handled: the bytes, what parsed, and the reply sent or the exception raised. */
export interface ClassicRequestLogEntry {
  readonly event: 'request';
  readonly conn: number;
  /** The bytes taken, as UTF-8 text ("" for the end of stream). */
  readonly bytes: string;
  /** The parsed JSON, or undefined when it did not parse. */
  readonly request: unknown;
  /** The exact reply sent (Python `json.dumps`, no newline), when the handler did not raise. */
  readonly reply?: string;
  /** The Python exception that ended the handler: `JSONDecodeError`, `KeyError`, `TypeError`, `UnboundLocalError`... */
  readonly raised?: string;
  /** The name the handler's `except` clause deleted, when it did. */
  readonly deleted?: string;
}

/** A row of the reference's `users` table. */
export interface ClassicUserRow {
  readonly username: string;
  readonly ip: string;
}

/** A running classic directory double. */
export interface ClassicDirectoryServer {
  /** The address it listens on. */
  readonly host: string;
  /** The TCP port it listens on. */
  readonly port: number;
  /** `host:port`, for `--server`. */
  readonly address: string;
  /** Who is registered: name -> IP address (no UDP port: the reference stores none); a fresh snapshot on each read. */
  readonly users: Map<string, string>;
  /** The table's rows, oldest first (a quirk of its quoted lookups can let a name in twice). */
  rows(): ClassicUserRow[];
  /** Every request that parsed as a JSON object, in arrival order, as sent. */
  readonly requests: Record<string, unknown>[];
  /** Every log entry so far. */
  readonly log: readonly ClassicServerLogEntry[];
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/** The most bytes one request may have: the reference's `recv(1024)`. */
export declare const RECV_SIZE: 1024;

/** Starts the double; see the module's doc comment for the behaviour. */
export declare function startClassicDirectoryServer(options?: ClassicDirectoryServerOptions): Promise<ClassicDirectoryServer>;

/** Parses the program's `--host H --port P`; throws a TypeError naming a bad argument. */
export declare function parseClassicServerArgs(argv: readonly string[]): { host: string; port: number };
