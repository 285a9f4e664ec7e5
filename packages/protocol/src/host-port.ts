/** The one parser of `host`, `host:port` and `[v6]:port` addresses, for the directory and the client alike. */
import { fail, ok, type Result } from './result.js';

/** A host and a TCP or UDP port. */
export interface HostPort {
  /** A host name or IP address; an IPv6 address without its brackets. */
  readonly host: string;
  readonly port: number;
}

/** Why an address could not be read. */
export type HostPortErrorCode =
  /** Nothing but white space. */
  | 'empty'
  /** Not `host`, `host:port` or `[v6]:port` (e.g. an IPv6 address without brackets, an empty host). */
  | 'bad-address'
  /** The port is not an integer from 1 to 65535. */
  | 'bad-port';

/**
 * Reads `"host"`, `"host:port"`, `"[v6]"` or `"[v6]:port"` (white space around it is
 * ignored); `defaultPort` is the port when none is given. Any port from 1 to 65535
 * is accepted (a directory may run on 443). Never throws.
 *
 * @example
 * parseHostPort('example.org:443', 10000); // { ok: true, value: { host: 'example.org', port: 443 } }
 * parseHostPort('[::1]', 10000);           // { ok: true, value: { host: '::1', port: 10000 } }
 */
export function parseHostPort(text: string, defaultPort: number): Result<HostPort, HostPortErrorCode> {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (trimmed === '') return fail('empty', 'no address given: use "host" or "host:port"');
  const match = /^\[([^\]]+)\](?::([^:]*))?$/.exec(trimmed) ?? /^([^:[\]]+)(?::([^:]*))?$/.exec(trimmed);
  if (!match) {
    const detail = trimmed.split(':').length > 2 ? `put an IPv6 address in brackets: "[${trimmed}]" or "[v6]:port"` : 'use "host" or "host:port"';
    return fail('bad-address', `cannot read the address ${JSON.stringify(trimmed)}: ${detail}`);
  }
  const host = match[1]!.trim();
  if (host === '' || /\s/.test(host)) return fail('bad-address', `cannot read the host in ${JSON.stringify(trimmed)}`);
  const portText = match[2];
  if (portText === undefined) return ok({ host, port: defaultPort });
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) return fail('bad-port', `the port in ${JSON.stringify(trimmed)} must be an integer from 1 to 65535`);
  return ok({ host, port });
}

/**
 * Writes a host and port back as text that {@link parseHostPort} reads again: `host:port`,
 * or `[v6]:port` for an IPv6 address.
 *
 * @example
 * formatHostPort({ host: '::1', port: 10000 }); // '[::1]:10000'
 */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
