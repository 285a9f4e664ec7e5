/** The command line of `voip-server`: its options, their defaults, the usage text and a pure parser. */
import { DEFAULT_DIRECTORY_PORT, KEEPALIVE_SILENCE_LIMIT_MS } from '@voip/protocol';
import { DEFAULT_LIMITS } from './default-limits.js';

/**
 * Where the directory keeps its entries. For PostgreSQL, `url` is what `--db` gave
 * (`postgres://...`), or `''` for `--db postgres`: everything from the PG* variables.
 */
export type StorageChoice = { readonly kind: 'memory' } | { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

/** Everything `voip-server` can be told on its command line. */
export interface ServerCliOptions {
  readonly host: string;
  readonly port: number;
  readonly storage: StorageChoice;
  /** False with `--no-tui`; the dashboard also needs stdout to be a terminal. */
  readonly tui: boolean;
  readonly log: 'text' | 'json';
  /** Requests per second per connection; 0 turns the limit off. */
  readonly rateLimit: number;
  /** Open connections per source IP, named or not; 0 turns the cap off. */
  readonly maxConnsPerIp: number;
  /** Open connections per source IP that hold no name; 0 turns the cap off. */
  readonly maxUnnamedPerIp: number;
  /** Seconds a connection may stay without a name and without a request; 0 turns it off. */
  readonly idleTimeoutSeconds: number;
  /** Seconds a client that announced the keep-alive may send nothing (at most 30, PROTOCOL.md); 0 turns it off. */
  readonly silenceLimitSeconds: number;
  /** Seconds unsent output may wait without the client taking any of it; 0 turns it off. */
  readonly writeTimeoutSeconds: number;
  /** `--server-id`: this server's id among those sharing a PostgreSQL database; undefined = `HOSTNAME:PORT`. */
  readonly serverId: string | undefined;
}

/** What the command line asks for. */
export type CliCommand = { readonly kind: 'run'; readonly options: ServerCliOptions } | { readonly kind: 'help' } | { readonly kind: 'version' };

/** The result of {@link parseServerArgs}: a command, or a usage error to print with the usage. */
export type CliParseResult = { readonly ok: true; readonly value: CliCommand } | { readonly ok: false; readonly code: 'usage'; readonly detail: string };

/** The SQLite file used when `--db` is not given, in the working directory. */
export const DEFAULT_DATABASE_FILE = 'voip-directory.db';

/** Defaults of every option. */
export const DEFAULT_CLI_OPTIONS: ServerCliOptions = Object.freeze({
  host: '0.0.0.0',
  port: DEFAULT_DIRECTORY_PORT,
  storage: Object.freeze({ kind: 'sqlite', path: DEFAULT_DATABASE_FILE }),
  tui: true,
  log: 'text',
  rateLimit: DEFAULT_LIMITS.rateLimit,
  maxConnsPerIp: DEFAULT_LIMITS.maxConnsPerIp,
  maxUnnamedPerIp: DEFAULT_LIMITS.maxUnnamedPerIp,
  idleTimeoutSeconds: DEFAULT_LIMITS.idleTimeoutMs / 1000,
  silenceLimitSeconds: DEFAULT_LIMITS.silenceLimitMs / 1000,
  writeTimeoutSeconds: DEFAULT_LIMITS.writeTimeoutMs / 1000,
  serverId: undefined,
} as const);

/** The largest `--silence-limit`: PROTOCOL.md lets a server drop a silent keep-alive client after at most 30 s. */
const MAX_SILENCE_LIMIT_SECONDS = KEEPALIVE_SILENCE_LIMIT_MS / 1000;

/** What a `--server-id` may hold: 1 to 128 letters, digits and `.`, `_`, `:`, `@`, `-`. */
export const SERVER_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The text of `voip-server --help`. */
export const USAGE = `Usage: voip-server [options]

The voip directory server: clients register a name and find each other (TCP, JSON).

Options:
  --host ADDRESS          interface to listen on (default 0.0.0.0, all IPv4 interfaces)
  --port N                TCP port, 0 picks a free one (default ${DEFAULT_DIRECTORY_PORT})
  --db sqlite:PATH        keep entries in a SQLite file (default sqlite:${DEFAULT_DATABASE_FILE})
  --db memory             keep entries in memory only
  --db postgres://USER@HOST:PORT/DB
                          keep entries in PostgreSQL; what the URL leaves out
                          comes from the PG* variables (PGHOST, PGPORT, PGUSER...)
  --db postgres           PostgreSQL, all from the PG* variables, as psql takes them
  --server-id ID          this server's id among those sharing the PostgreSQL database
                          (default HOSTNAME:PORT); give each server its own
  --no-tui                no dashboard: one log line per event on stdout
  --log text|json         log line format without the dashboard (default text)
  --rate-limit N          requests per second per connection, 0 = off (default ${DEFAULT_CLI_OPTIONS.rateLimit})
  --max-conns-per-ip N    open connections per source IP, named or not, 0 = off (default ${DEFAULT_CLI_OPTIONS.maxConnsPerIp})
  --max-unnamed-per-ip N  open connections per source IP that hold no name yet, 0 = off
                          (default ${DEFAULT_CLI_OPTIONS.maxUnnamedPerIp}); registered users behind one NAT are not capped by it
  --idle-timeout S        close a connection without a name after S idle seconds, 0 = off (default ${DEFAULT_CLI_OPTIONS.idleTimeoutSeconds})
  --silence-limit S       close a client that registered with "v" 2 or later (it PINGs when quiet)
                          after S seconds without a byte from it, 1-30, 0 = off (default ${DEFAULT_CLI_OPTIONS.silenceLimitSeconds});
                          classic clients are never dropped for silence
  --write-timeout S       close a connection whose unsent replies waited S seconds without the
                          client taking any (stopped reading, or vanished), 0 = off (default ${DEFAULT_CLI_OPTIONS.writeTimeoutSeconds})
  -h, --help              show this help
  --version               print the version

Dashboard keys: q quit (asks first while users are online: y quits), Ctrl-C quit at once,
  Up/Down scroll the users, PgUp/PgDn scroll the log, End back to the newest log line.

Exit codes: 0 clean stop (also SIGINT, SIGTERM), 2 usage or startup error (port in use,
  unusable database, standard output closed), 3 bug.
`;

const VALUE_FLAGS = new Set([
  '--host',
  '--port',
  '--db',
  '--server-id',
  '--log',
  '--rate-limit',
  '--max-conns-per-ip',
  '--max-unnamed-per-ip',
  '--idle-timeout',
  '--silence-limit',
  '--write-timeout',
]);

function usage(detail: string): CliParseResult {
  return { ok: false, code: 'usage', detail };
}

function parseCount(flag: string, text: string, max: number): number | string {
  if (!/^\d+$/.test(text)) return `${flag} needs a whole number, got "${text}"`;
  const value = Number(text);
  if (value > max) return `${flag} must be at most ${max}, got ${text}`;
  return value;
}

function parseStorage(text: string): StorageChoice | string {
  if (text === 'memory') return { kind: 'memory' };
  if (text.startsWith('sqlite:')) {
    const path = text.slice('sqlite:'.length);
    if (path.length === 0) return '--db sqlite: needs a file path, e.g. sqlite:./voip-directory.db';
    return { kind: 'sqlite', path };
  }
  if (text === 'postgres' || text === 'postgresql') return { kind: 'postgres', url: '' };
  if (/^postgres(ql)?:\/\//.test(text)) {
    try {
      new URL(text);
    } catch {
      return `--db ${text} is not a valid URL: write postgres://USER@HOST:PORT/DB (percent-encode special characters; the port is a number)`;
    }
    return { kind: 'postgres', url: text };
  }
  return `--db must be "memory", "sqlite:PATH", "postgres://USER@HOST:PORT/DB" or "postgres", got "${text}"`;
}

/**
 * Parses the arguments of `voip-server` (without `node` and the script). Pure: it
 * reads no environment and touches no file. `--flag value` and `--flag=value` both work.
 */
export function parseServerArgs(argv: readonly string[]): CliParseResult {
  const options: { -readonly [K in keyof ServerCliOptions]: ServerCliOptions[K] } = { ...DEFAULT_CLI_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { ok: true, value: { kind: 'help' } };
    if (arg === '--version') return { ok: true, value: { kind: 'version' } };
    if (arg === '--no-tui') {
      options.tui = false;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_FLAGS.has(flag)) return usage(arg.startsWith('-') ? `unknown option ${flag}` : `unexpected argument "${arg}"`);
    let value: string;
    if (flag !== arg) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined) return usage(`${flag} needs a value`);
      value = next;
      i++;
    }
    switch (flag) {
      case '--host':
        if (value.trim() === '') return usage('--host needs an address');
        options.host = value;
        break;
      case '--port': {
        const port = parseCount('--port', value, 65535);
        if (typeof port === 'string') return usage(port);
        options.port = port;
        break;
      }
      case '--db': {
        const storage = parseStorage(value);
        if (typeof storage === 'string') return usage(storage);
        options.storage = storage;
        break;
      }
      case '--server-id':
        if (!SERVER_ID_PATTERN.test(value)) return usage(`--server-id must be 1 to 128 letters, digits, ".", "_", ":", "@" or "-", got "${value}"`);
        options.serverId = value;
        break;
      case '--log':
        if (value !== 'text' && value !== 'json') return usage(`--log must be "text" or "json", got "${value}"`);
        options.log = value;
        break;
      case '--rate-limit': {
        const rate = parseCount('--rate-limit', value, 1_000_000);
        if (typeof rate === 'string') return usage(rate);
        options.rateLimit = rate;
        break;
      }
      case '--max-conns-per-ip': {
        const cap = parseCount('--max-conns-per-ip', value, 1_000_000);
        if (typeof cap === 'string') return usage(cap);
        options.maxConnsPerIp = cap;
        break;
      }
      case '--max-unnamed-per-ip': {
        const cap = parseCount('--max-unnamed-per-ip', value, 1_000_000);
        if (typeof cap === 'string') return usage(cap);
        options.maxUnnamedPerIp = cap;
        break;
      }
      case '--idle-timeout': {
        const seconds = parseCount('--idle-timeout', value, 86_400);
        if (typeof seconds === 'string') return usage(seconds);
        options.idleTimeoutSeconds = seconds;
        break;
      }
      case '--silence-limit': {
        const seconds = parseCount('--silence-limit', value, MAX_SILENCE_LIMIT_SECONDS);
        if (typeof seconds === 'string') return usage(seconds);
        options.silenceLimitSeconds = seconds;
        break;
      }
      case '--write-timeout': {
        const seconds = parseCount('--write-timeout', value, 86_400);
        if (typeof seconds === 'string') return usage(seconds);
        options.writeTimeoutSeconds = seconds;
        break;
      }
    }
  }
  if (options.serverId !== undefined && options.storage.kind !== 'postgres') {
    return usage('--server-id names a server among those sharing a PostgreSQL database: it needs --db postgres://... (or --db postgres)');
  }
  return { ok: true, value: { kind: 'run', options } };
}
