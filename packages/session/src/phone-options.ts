/** The options of `Phone.connect` and their checks, made before anything is opened. */
import { DEFAULT_DIRECTORY_PORT, parseHostPort, validateName, type DirectoryUser } from '@voip/protocol';
import { checkDurationMs } from '@voip/clock';
import type { MediaFactory } from './call-audio.js';
import { PhoneError } from './errors.js';
import type { DirectoryServerOption, PhoneOptions } from './phone-types.js';

/** Options of {@link Phone.connect}: {@link PhoneOptions} plus a few for tests and tuning. */
export interface PhoneConnectOptions extends PhoneOptions {
  /** Spacing of START, ACCEPT and CLOSE repeats, ms; default 150. */
  readonly repeatIntervalMs?: number;
  /** Per-request timeout of the directory, ms; default 5 000. */
  readonly directoryTimeoutMs?: number;
  /** Interval of `stats` events during a call, ms; default 1 000. */
  readonly statsIntervalMs?: number;
  /** Replaces the audio of each call (default: @voip/media's createCallMedia over `audio`; for v2 calls it gets `{ protocol: 'v2', v2 }`). */
  readonly media?: MediaFactory;
  /**
   * Replaces the directory look-up of peers (dialled and calling), e.g. with one that
   * reports `v` in tests while the directory's GET answer does not carry it yet.
   */
  readonly lookup?: (name: string) => Promise<DirectoryUser | null>;
}

/**
 * The directory's host and port from `"host"`, `"host:port"`, `"[v6]:port"` (read by
 * @voip/protocol's `parseHostPort`; port 10000 when none is given) or `{ host, port }`.
 * Throws a PhoneError 'invalid-option'.
 */
export function parseServer(server: DirectoryServerOption): { host: string; port: number } {
  if (typeof server === 'object' && server !== null) {
    if (typeof server.host !== 'string' || server.host.length === 0) throw new PhoneError('invalid-option', 'server.host must be a non-empty string');
    const port = server.port ?? DEFAULT_DIRECTORY_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PhoneError('invalid-option', `server port must be an integer from 1 to 65535, got ${String(port)}`);
    return { host: server.host, port };
  }
  if (typeof server !== 'string') throw new PhoneError('invalid-option', 'server must be "host", "host:port" or { host, port }');
  const parsed = parseHostPort(server, DEFAULT_DIRECTORY_PORT);
  if (!parsed.ok) throw new PhoneError('invalid-option', `server: ${parsed.detail}`);
  return { host: parsed.value.host, port: parsed.value.port };
}

const DURATION_OPTIONS = ['ringTimeoutMs', 'silenceTimeoutMs', 'repeatIntervalMs', 'directoryTimeoutMs', 'statsIntervalMs'] as const;

/** Every duration given must pass @voip/clock's `checkDurationMs`. */
function checkDurations(options: PhoneConnectOptions): void {
  for (const key of DURATION_OPTIONS) {
    const value = options[key];
    if (value === undefined) continue;
    const reason = checkDurationMs(value);
    if (reason !== undefined) throw new PhoneError('invalid-option', `${key} ${reason}`);
  }
}

/**
 * Checks the options that can be judged before anything is opened (durations, the
 * name, the server addresses: `server` or a non-empty `servers`, not both) and
 * returns the directory servers' hosts and ports, in order. Throws a PhoneError
 * 'invalid-option' or 'name-invalid'.
 */
export function checkPhoneOptions(options: PhoneConnectOptions): { host: string; port: number }[] {
  checkDurations(options);
  if (options.secure !== undefined && !['prefer', 'require', 'off'].includes(options.secure)) {
    throw new PhoneError('invalid-option', `secure must be 'prefer', 'require' or 'off', got ${JSON.stringify(options.secure)}`);
  }
  const valid = validateName(options.name);
  if (!valid.ok) throw new PhoneError('name-invalid', `the name ${JSON.stringify(options.name)} is not allowed: ${valid.detail}`);
  return checkServers(options);
}

function checkServers(options: PhoneOptions): { host: string; port: number }[] {
  const { server, servers } = options;
  if (servers === undefined) {
    if (server === undefined) throw new PhoneError('invalid-option', 'give the directory: server or servers');
    return [parseServer(server)];
  }
  if (server !== undefined) throw new PhoneError('invalid-option', 'give either server or servers, not both');
  if (!Array.isArray(servers) || servers.length === 0) throw new PhoneError('invalid-option', 'servers must be a non-empty list');
  return servers.map((s: DirectoryServerOption, i: number) => {
    try {
      return parseServer(s);
    } catch (error) {
      throw new PhoneError('invalid-option', `servers[${i}]: ${(error as Error).message}`);
    }
  });
}
