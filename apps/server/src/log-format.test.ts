import { describe, expect, it } from 'vitest';
import type { ServerEvent } from './events.js';
import { formatLogLine } from './log-format.js';

const at = new Date('2024-05-01T12:00:00.000Z');

const EVENTS: [ServerEvent, string][] = [
  [{ type: 'listening', at, host: '0.0.0.0', port: 10000, storage: 'memory' }, 'listening on 0.0.0.0:10000 (storage memory)'],
  [{ type: 'connected', at, connection: 'c1', ip: '127.0.0.1', remotePort: 40000 }, 'connection c1 from 127.0.0.1:40000'],
  [{ type: 'disconnected', at, connection: 'c1', ip: '127.0.0.1', reason: 'reset', detail: 'ECONNRESET' }, 'connection c1 from 127.0.0.1 closed: reset (ECONNRESET)'],
  [{ type: 'registered', at, connection: 'c1', name: 'alice', ip: '127.0.0.1', port: 5001, since: at }, 'registered "alice" at 127.0.0.1 port 5001 (connection c1)'],
  [{ type: 'unregistered', at, connection: 'c1', name: 'alice', ip: '127.0.0.1' }, 'removed "alice" (connection c1)'],
  [{ type: 'refused', at, connection: 'c2', ip: '127.0.0.2', reason: 'register first' }, 'refused request from 127.0.0.2 (connection c2): register first'],
  [{ type: 'storage-error', at, operation: 'register', detail: 'disk full' }, 'storage failed during register: disk full'],
  [
    { type: 'accept-error', at, code: 'EMFILE', detail: 'accept EMFILE' },
    'cannot accept a connection: accept EMFILE; the process has no file descriptors left: raise the limit (ulimit -n) or lower --max-conns-per-ip',
  ],
  [{ type: 'accept-error', at, detail: 'accept EINVAL' }, 'cannot accept a connection: accept EINVAL'],
  [{ type: 'directory-shared', at, serverId: 'dir-1:10000', available: true, otherUsers: 12 }, 'server dir-1:10000: 12 users on other servers'],
  [{ type: 'directory-shared', at, serverId: 'b', available: true, otherUsers: 1 }, 'server b: 1 user on other servers'],
  [{ type: 'directory-shared', at, serverId: 'b', available: false, otherUsers: 3, detail: 'connection refused' }, 'server b: database unavailable (connection refused)'],
  [{ type: 'closed', at }, 'server closed'],
];

describe('formatLogLine', () => {
  it.each(EVENTS)('text: %j', (event, message) => {
    expect(formatLogLine(event, 'text')).toBe(`2024-05-01T12:00:00.000Z ${message}`);
  });

  it.each(EVENTS)('json: %j', (event) => {
    const line = formatLogLine(event, 'json');
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed['time']).toBe('2024-05-01T12:00:00.000Z');
    expect(parsed['event']).toBe(event.type);
  });

  it('puts the listening port where log readers look for it', () => {
    const line = formatLogLine({ type: 'listening', at, host: '127.0.0.1', port: 4567, storage: 'sqlite:/tmp/x.db' }, 'json');
    expect(JSON.parse(line)).toEqual({ time: '2024-05-01T12:00:00.000Z', event: 'listening', host: '127.0.0.1', port: 4567, storage: 'sqlite:/tmp/x.db' });
  });
});
