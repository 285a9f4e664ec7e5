/**
 * Checks of what a user types, shared by the command line and the connect form.
 * Each returns a typed result whose `detail` is the reason to show inline.
 */
import { parseAudioSpec } from '@voip/media';
import { DEFAULT_DIRECTORY_PORT, formatHostPort, parseHostPort, validateName as validateProtocolName } from '@voip/protocol';

/** A checked value, or a stable code with the reason for people. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly detail: string };

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A server IPv4 address or host name (RFC 1123 labels). */
export function checkHost(text: string): Checked<string> {
  const host = text.trim();
  if (host.length === 0) return { ok: false, code: 'host-empty', detail: 'server is empty: type an IP address or a host name' };
  const v4 = IPV4.exec(host);
  if (v4) {
    if (v4.slice(1).every((part) => Number(part) <= 255)) return { ok: true, value: host };
    return { ok: false, code: 'host-bad', detail: `bad host "${host}": each number of an IPv4 address is 0-255` };
  }
  if (/^[\d.]+$/.test(host)) return { ok: false, code: 'host-bad', detail: `bad host "${host}": an IPv4 address has four numbers, e.g. 127.0.0.1` };
  if (host.length > 253 || !host.split('.').every((label) => HOST_LABEL.test(label))) {
    return { ok: false, code: 'host-bad', detail: `bad host "${host}": use an IPv4 address or a name of letters, digits, "-" and "."` };
  }
  return { ok: true, value: host };
}

/** A TCP or UDP port typed by a user: an integer in [min, 65535]. */
export function checkPort(text: string, what = 'port', min = 1024): Checked<number> {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { ok: false, code: 'port-not-number', detail: `${what} "${text}" is not a number` };
  const port = Number(trimmed);
  if (port < min || port > 65535) return { ok: false, code: 'port-out-of-range', detail: `${what} ${port} is out of range (${min}-65535)` };
  return { ok: true, value: port };
}

/** A user name per PROTOCOL.md section 1 (validated by @voip/protocol). */
export function checkName(text: string, what = 'name'): Checked<string> {
  const result = validateProtocolName(text);
  if (result.ok) return result;
  return { ok: false, code: result.code, detail: `bad ${what} "${text}": ${result.detail}` };
}

/** A directory's TCP port: any port from 1 (a directory may run on 443). */
export function checkServerPort(text: string): Checked<number> {
  return checkPort(text, 'server port', 1);
}

/**
 * A directory address `HOST` or `HOST:PORT` (port 10000 when left out, any port
 * from 1), read by @voip/protocol's `parseHostPort`; the host must be an IPv4
 * address or a host name.
 */
export function checkServer(text: string): Checked<{ readonly host: string; readonly port: number }> {
  const parsed = parseHostPort(text, DEFAULT_DIRECTORY_PORT);
  if (!parsed.ok) {
    const code = parsed.code === 'empty' ? 'host-empty' : parsed.code === 'bad-address' ? 'host-bad' : /:\d+$/.test(text.trim()) ? 'port-out-of-range' : 'port-not-number';
    return { ok: false, code, detail: parsed.detail };
  }
  const host = checkHost(parsed.value.host);
  if (!host.ok) return host;
  return { ok: true, value: { host: host.value, port: parsed.value.port } };
}

/** What separates the servers of a list (`--server A,B`, `ConnectRequest.server`): no host or port holds it. */
const SERVER_SEPARATOR = ',';

/**
 * One directory server or several sharing one directory, `HOST[:PORT],HOST[:PORT]...`,
 * each read by {@link checkServer}; returned as `host:port` texts, in order.
 */
export function checkServers(text: string): Checked<readonly string[]> {
  const parts = text.split(SERVER_SEPARATOR);
  const servers: string[] = [];
  for (const [index, part] of parts.entries()) {
    const checked = checkServer(part);
    if (!checked.ok) return parts.length === 1 ? checked : { ...checked, detail: `server ${index + 1} of ${parts.length}: ${checked.detail}` };
    servers.push(formatHostPort(checked.value));
  }
  return { ok: true, value: servers };
}

/** The servers of a list checked by {@link checkServers}, written back as one text (`host:port,host:port`). */
export function joinServers(servers: readonly string[]): string {
  return servers.join(SERVER_SEPARATOR);
}

/** The servers of a text made by {@link joinServers}. */
export function splitServers(text: string): string[] {
  return text.split(SERVER_SEPARATOR);
}

/** A positive duration in seconds (decimals allowed), returned in milliseconds. */
export function checkSeconds(text: string, what: string): Checked<number> {
  const trimmed = text.trim();
  if (!/^\d+(?:\.\d+)?$/.test(trimmed)) return { ok: false, code: 'seconds-not-number', detail: `${what} "${text}" is not a number of seconds` };
  const ms = Math.round(Number(trimmed) * 1000);
  if (ms <= 0) return { ok: false, code: 'seconds-not-positive', detail: `${what} must be more than 0 seconds` };
  if (ms > 24 * 3600 * 1000) return { ok: false, code: 'seconds-too-large', detail: `${what} must be at most 86400 seconds` };
  return { ok: true, value: ms };
}

/**
 * An audio spec string for `--audio-in` / `--audio-out`, checked by @voip/media's
 * parser (`device[:NAME]`, `wav:PATH`, `tone[:HZ]`, `silence`; output `device`,
 * `wav:PATH`, `null`). Opening it is the phone's job.
 */
export function checkAudioSpec(text: string, direction: 'in' | 'out'): Checked<string> {
  const parsed = parseAudioSpec(text, direction === 'in' ? 'input' : 'output');
  if (!parsed.ok) return { ok: false, code: parsed.code, detail: parsed.detail };
  return { ok: true, value: text };
}
