/** Server events as log lines, in text or JSON. */
import type { ServerEvent } from './events.js';

/** How log lines are written without the dashboard. */
export type LogFormat = 'text' | 'json';

/** One human sentence for an event, without its time. */
export function describeEvent(event: ServerEvent): string {
  switch (event.type) {
    case 'listening':
      return `listening on ${event.host}:${event.port} (storage ${event.storage})`;
    case 'connected':
      return `connection ${event.connection} from ${event.ip}:${event.remotePort}`;
    case 'disconnected':
      return `connection ${event.connection} from ${event.ip} closed: ${event.reason}${event.detail ? ` (${event.detail})` : ''}`;
    case 'registered':
      return `registered "${event.name}" at ${event.ip} port ${event.port} (connection ${event.connection})`;
    case 'unregistered':
      return `removed "${event.name}" (connection ${event.connection})`;
    case 'refused':
      return `refused request from ${event.ip} (connection ${event.connection}): ${event.reason}`;
    case 'directory-shared': {
      const state = event.available ? `${event.otherUsers} ${event.otherUsers === 1 ? 'user' : 'users'} on other servers` : 'database unavailable';
      return `server ${event.serverId}: ${state}${event.detail ? ` (${event.detail})` : ''}`;
    }
    case 'storage-error':
      return `storage failed during ${event.operation}: ${event.detail}`;
    case 'accept-error': {
      const advice =
        event.code === 'EMFILE' || event.code === 'ENFILE' ? '; the process has no file descriptors left: raise the limit (ulimit -n) or lower --max-conns-per-ip' : '';
      return `cannot accept a connection: ${event.detail}${advice}`;
    }
    case 'closed':
      return 'server closed';
  }
}

/** The fields of an event as a plain JSON object: `time` and `event` first, dates as ISO text. */
export function eventFields(event: ServerEvent): Record<string, unknown> {
  const fields: Record<string, unknown> = { time: event.at.toISOString(), event: event.type };
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type' || key === 'at') continue;
    fields[key] = value instanceof Date ? value.toISOString() : value;
  }
  return fields;
}

/**
 * Formats one log line (without the newline): `TIME message` as text, or one JSON
 * object per line with `--log json`.
 */
export function formatLogLine(event: ServerEvent, format: LogFormat): string {
  if (format === 'json') return JSON.stringify(eventFields(event));
  return `${event.at.toISOString()} ${describeEvent(event)}`;
}
